#!/usr/bin/env bash
# Makes a Java 17 JRE base image from Debian packages, without a Docker engine or a registry:
#   debootstrap --variant=minbase --include=openjdk-17-jre-headless  ->  a root file system
#   umoci                                                            ->  an OCI image of it, one layer
#   skopeo                                                           ->  a docker-archive tarball (what Jib's tar:// reads)
#
#   k8s/image/debian-jre-base.sh OUTPUT.tar [WORK_DIR]
#
# Needs root (debootstrap runs the packages' scripts in a chroot) and the Debian mirror DEBIAN_MIRROR
# (default http://deb.debian.org/debian), suite DEBIAN_SUITE (default bookworm).
set -euo pipefail

out="${1:?usage: debian-jre-base.sh OUTPUT.tar [WORK_DIR]}"
work="${2:-$(mktemp -d)}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite="${DEBIAN_SUITE:-bookworm}"
arch="$(dpkg --print-architecture)"
rootfs="$work/rootfs"
layout="$work/oci"

rm -rf "$rootfs" "$layout"
mkdir -p "$work" "$(dirname "$out")"

echo "debian-jre-base: debootstrap $suite ($arch) from $mirror with openjdk-17-jre-headless..."
debootstrap --variant=minbase --include=openjdk-17-jre-headless --components=main \
  "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  echo "debian-jre-base: debootstrap failed; the end of $work/debootstrap.log:" >&2
  tail -20 "$work/debootstrap.log" >&2
  exit 1
}

# What an image does not need: the package cache and lists, docs, and the device nodes and mounts of the
# build (a container runtime gives its own /dev and /proc).
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*.log
find "$rootfs/dev" -mindepth 1 -delete
# /usr/bin/java -> /etc/alternatives/java -> ...: absolute links, resolved inside the root file system, not here
java_home="$(dirname "$(dirname "$(chroot "$rootfs" readlink -f /usr/bin/java)")")"
[ -x "$rootfs$java_home/bin/java" ] || { echo "debian-jre-base: no java in the root file system" >&2; exit 1; }

echo "debian-jre-base: image of $(du -sh "$rootfs" | cut -f1) with umoci and skopeo..."
umoci init --layout "$layout"
umoci new --image "$layout:base"
umoci insert --image "$layout:base" "$rootfs" /
umoci config --image "$layout:base" \
  --os linux --architecture "$arch" \
  --config.env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --config.env "JAVA_HOME=$java_home" \
  --config.env "LANG=C.UTF-8" \
  --config.workingdir / \
  --config.label "org.opencontainers.image.description=Debian $suite minbase with openjdk-17-jre-headless"
rm -f "$out"
skopeo copy --quiet "oci:$layout:base" "docker-archive:$out:clusterpool-base/jre17:$suite"
rm -rf "$rootfs" "$layout"
echo "debian-jre-base: $out ($(du -h "$out" | cut -f1)), java at $java_home"
