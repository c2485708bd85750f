#!/bin/bash
# Builds (once, cached) a container root directory from Debian packages, the way README's
# "A root from Debian packages" describes it by hand:
#
#   debian-root.sh [--user NAME]... [--setup SHELL-CODE]... NAME PKG...
#
# prints the root's path, /var/cache/berth-test/roots/NAME (BERTH_ROOTS_DIR replaces
# /var/cache/berth-test/roots). The root holds PKG and its dependency closure as apt resolves it
# for an empty system (Depends and Pre-Depends, first alternatives, no Recommends), each
# unpacked with dpkg-deb (no maintainer script runs), over a merged /usr (/bin, /sbin, /lib,
# /lib64 are symlinks into /usr, as on Debian 12). /etc/passwd and /etc/group come from
# base-passwd's master files (root, daemon, www-data, nobody, ...); --user NAME adds a system
# user and group of that name (what a package's postinst would have created: _chrony, ntpsec);
# --setup runs shell code with the new root as its working directory (what else a postinst
# would have done: enable a site, a module).
#
# The .debs are kept in /var/cache/berth-test/debs; a root is rebuilt only when the resolved
# package versions (or this script) change. Concurrent callers are serialised per NAME.
# Needs apt's package lists: runs `apt-get update` once when a package is unknown.
set -euo pipefail

users=()
setups=()
while [ $# -gt 0 ]; do
        case $1 in
        --user) users+=("$2"); shift 2 ;;
        --user=*) users+=("${1#--user=}"); shift ;;
        --setup) setups+=("$2"); shift 2 ;;
        --) shift; break ;;
        -*) echo "debian-root.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
        esac
done
[ $# -ge 2 ] || { echo "usage: debian-root.sh [--user NAME]... NAME PKG..." >&2; exit 2; }
name=$1
shift
case $name in */* | .* | "") echo "debian-root.sh: bad root name '$name'" >&2; exit 2 ;; esac
pkgs=("$@" base-passwd)

cache=${BERTH_DEBIAN_CACHE:-/var/cache/berth-test}
roots=${BERTH_ROOTS_DIR:-$cache/roots}
debs=$cache/debs
root=$roots/$name
mkdir -p "$roots" "$debs"
# apt's download sandbox user must be able to write here.
chmod 755 "$cache" "$debs" 2>/dev/null || true

resolve() { # the closure for an empty system: "pkg=version" lines
        apt-get -s -q -o Dir::State::status=/dev/null -o APT::Install-Recommends=false \
                install "${pkgs[@]}" 2>&1 | sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*/\1=\2/p' | sort
}

exec 9>"$roots/.$name.lock"
flock 9

closure=$(resolve)
if [ -z "$closure" ]; then
        echo "debian-root.sh: apt does not know ${pkgs[*]}: running apt-get update" >&2
        apt-get -o DPkg::Lock::Timeout=900 update -q >/dev/null
        closure=$(resolve)
fi
[ -n "$closure" ] || { echo "debian-root.sh: cannot resolve ${pkgs[*]}:" >&2; resolve >&2 || true; exit 1; }
key=$( { printf '%s\n' "$closure" "${users[@]}" "${setups[@]}"; cat "${BASH_SOURCE[0]}"; } | sha256sum | cut -d' ' -f1)
if [ -f "$root/.berth-debian-root" ] && [ "$(cat "$root/.berth-debian-root")" = "$key" ]; then
        echo "$root"
        exit 0
fi

# Download what is not cached yet (apt-get download names files pkg_version_arch.deb, with
# the version's ':' as %3a).
want=()
files=()
while IFS== read -r p v; do
        f=$(ls "$debs/${p}_${v/:/%3a}_"*.deb 2>/dev/null | head -n 1 || true)
        if [ -z "$f" ]; then
                want+=("$p=$v")
        else
                files+=("$f")
        fi
done <<<"$closure"
if [ ${#want[@]} -gt 0 ]; then
        echo "debian-root.sh: downloading ${#want[@]} packages for $name" >&2
        (cd "$debs" && apt-get download -q "${want[@]}" >&2)
        for pv in "${want[@]}"; do
                p=${pv%%=*} v=${pv#*=}
                f=$(ls "$debs/${p}_${v/:/%3a}_"*.deb 2>/dev/null | head -n 1 || true)
                [ -n "$f" ] || { echo "debian-root.sh: $pv was not downloaded" >&2; exit 1; }
                files+=("$f")
        done
fi

tmp=$(mktemp -d "$roots/.$name.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/usr/bin" "$tmp/usr/sbin" "$tmp/usr/lib" "$tmp/usr/lib64"
for d in bin sbin lib lib64; do ln -s "usr/$d" "$tmp/$d"; done
for f in "${files[@]}"; do
        dpkg-deb --fsys-tarfile "$f" | tar -x --keep-directory-symlink -C "$tmp" \
                || { echo "debian-root.sh: unpacking $f failed" >&2; exit 1; }
done
mkdir -p "$tmp/etc" "$tmp/proc" "$tmp/sys" "$tmp/dev" "$tmp/run" "$tmp/tmp" "$tmp/var/tmp"
chmod 1777 "$tmp/tmp" "$tmp/var/tmp"
cp "$tmp/usr/share/base-passwd/passwd.master" "$tmp/etc/passwd"
cp "$tmp/usr/share/base-passwd/group.master" "$tmp/etc/group"
id=100
for u in "${users[@]}"; do
        while grep -q "^[^:]*:[^:]*:$id:" "$tmp/etc/passwd" "$tmp/etc/group"; do id=$((id + 1)); done
        echo "$u:x:$id:$id::/nonexistent:/usr/sbin/nologin" >>"$tmp/etc/passwd"
        echo "$u:x:$id:" >>"$tmp/etc/group"
done
for code in "${setups[@]}"; do
        (cd "$tmp" && sh -ec "$code") || { echo "debian-root.sh: --setup '$code' failed" >&2; exit 1; }
done
echo "$key" >"$tmp/.berth-debian-root"

rm -rf "$root.old"
[ -e "$root" ] && mv "$root" "$root.old"
mv "$tmp" "$root"
trap - EXIT
rm -rf "$root.old"
echo "$root"
