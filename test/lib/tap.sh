# shellcheck shell=bash
# TAP 13 for berth's shell tests. Source it, then:
#   ok COND_EXIT_STATUS "name"    e.g.  [ "$x" = y ]; ok $? "x is y"
#   is "$got" "$want" "name"
#   tap_skip_all "reason"         (a failure under CI=true: CI must run every layer)
#   tap_done                      (prints the plan, exits 1 if anything failed)
TAP_N=0
TAP_FAILED=0
echo "TAP version 13"

tap_in_ci() { [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; }

ok() {
        local status=$1; shift
        TAP_N=$((TAP_N + 1))
        if [ "$status" -eq 0 ]; then
                echo "ok $TAP_N - $*"
        else
                TAP_FAILED=$((TAP_FAILED + 1))
                echo "not ok $TAP_N - $*"
        fi
        return "$status"
}

is() {
        local got=$1 want=$2; shift 2
        if [ "$got" = "$want" ]; then
                ok 0 "$*"
        else
                ok 1 "$*"
                printf '#   got:  %s\n#   want: %s\n' "$got" "$want" | sed 's/^/# /;s/^# #/#/'
                return 1
        fi
}

like() {
        local got=$1 pattern=$2; shift 2
        if printf '%s' "$got" | grep -Eq -- "$pattern"; then
                ok 0 "$*"
        else
                ok 1 "$*"
                printf '#   got: %s\n#   want match: %s\n' "$got" "$pattern"
                return 1
        fi
}

diag() { printf '# %s\n' "$*"; }
# multi-line diagnostics (a command's output), every line a TAP comment
diag_text() { printf '%s\n' "$1" | sed 's/^/# /'; }

# tap_replay PREFIX <TAP: re-reports each result of another TAP stream (a VM's, a booted
# systemd's) as one of ours, its name after PREFIX; a "Bail out!" is a failure; comments pass
# through. Sets tap_replay_plan (empty: no plan line came) and tap_replay_results.
tap_replay() {
        local prefix=$1 line
        tap_replay_plan=
        tap_replay_results=0
        while IFS= read -r line; do
                case $line in
                "TAP version"*) ;;
                "ok "*)
                        tap_replay_results=$((tap_replay_results + 1))
                        ok 0 "$prefix${line#ok * - }"
                        ;;
                "not ok "*)
                        tap_replay_results=$((tap_replay_results + 1))
                        ok 1 "$prefix${line#not ok * - }"
                        ;;
                "Bail out!"*) ok 1 "$prefix$line" ;;
                "1.."*) tap_replay_plan=${line#1..} ;;
                "#"*) echo "$line" ;;
                esac
        done
}

tap_skip_all() {
        if tap_in_ci; then
                ok 1 "skipped under CI=true, which must run every layer: $*"
                tap_done
        fi
        echo "1..0 # SKIP $*"
        exit 0
}

tap_done() {
        echo "1..$TAP_N"
        [ "$TAP_FAILED" -eq 0 ] || exit 1
        exit 0
}

# Root, namespaces and the like: these layers must run in CI.
require_root() {
        [ "$(id -u)" = 0 ] || tap_skip_all "needs root"
}
