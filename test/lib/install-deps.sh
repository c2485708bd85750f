#!/bin/bash
# Installs everything berth needs to build and to run every test layer, from Debian.
#   install-deps.sh          everything (build + every test layer)
#   install-deps.sh --build  just what building and the demo need
set -euo pipefail
pkgs=(meson ninja-build pkg-config gcc libc6-dev python3
      libsystemd-dev libcap-dev libselinux1-dev libseccomp-dev libinih-dev libjson-c-dev
      busybox-static systemd)
# Where the kernel runs AppArmor, berth-exec loads berth-default with apparmor_parser.
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then pkgs+=(apparmor); fi
if [ "${1:-}" != --build ]; then
        pkgs+=(clang libclang-rt-14-dev valgrind systemd-container dbus iproute2 libcap2-bin cpio
               qemu-system-x86 linux-image-cloud-amd64 checkpolicy policycoreutils selinux-utils mcstrans
               apparmor)
fi
# berth learn's BPF tracer (-Dlearn=auto; clang is above)
[ "${1:-}" = --build ] || pkgs+=(libbpf-dev bpftool)
missing=()
for p in "${pkgs[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
        echo "install-deps: installing ${missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >/dev/null
        apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
