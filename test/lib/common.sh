# shellcheck shell=bash
# Common setup for berth's shell tests, run by `meson test` (which sets BERTH_BUILD_DIR and
# BERTH_SOURCE_DIR) or by hand from the source tree.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/tap.sh"
: "${BERTH_SOURCE_DIR:=$(cd "$here/../.." && pwd)}"
: "${BERTH_BUILD_DIR:=$BERTH_SOURCE_DIR/build}"
: "${BERTH_ROOTFS:=/var/tmp/berth-rootfs}"
# BERTH_WRAP prefixes every berth binary a test runs (the valgrind pass sets it).
: "${BERTH_WRAP:=}"
BERTH_EXEC_BIN=$BERTH_BUILD_DIR/src/exec/berth-exec
BERTH_GENERATOR_BIN=$BERTH_BUILD_DIR/generators/berth-generator
BERTH_CLI_BIN=$BERTH_BUILD_DIR/src/cli/berth
export BERTH_SOURCE_DIR BERTH_BUILD_DIR BERTH_ROOTFS

# The bundled busybox root, built once per machine (flock: tests run in parallel).
ensure_rootfs() {
        (
                flock 9
                [ -f "$BERTH_ROOTFS/etc/berth-rootfs" ] || bash "$here/make-rootfs.sh" "$BERTH_ROOTFS" >&2
        ) 9>/var/tmp/.berth-rootfs.lock
}

berth_exec() { $BERTH_WRAP "$BERTH_EXEC_BIN" "$@"; }
berth_generator() { $BERTH_WRAP "$BERTH_GENERATOR_BIN" "$@"; }
berth_cli() { $BERTH_WRAP "$BERTH_CLI_BIN" "$@"; }

# A fresh scratch directory, removed when the test exits: `tmp=$(scratch_dir)`.
# The directories live under one parent made here, in the test's own shell, because an EXIT
# trap set inside $(...) would fire as soon as the command substitution's subshell ended.
BERTH_TEST_TMP=$(mktemp -d /tmp/berth-test.XXXXXX)
trap 'rm -rf "$BERTH_TEST_TMP"' EXIT
scratch_dir() {
        mktemp -d "$BERTH_TEST_TMP/scratch.XXXXXX"
}
