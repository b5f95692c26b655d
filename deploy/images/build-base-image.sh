#!/usr/bin/env bash
# Builds the JVM base image of every Faultline service from Debian packages
# (no container registry needed): Debian bookworm, minimal, with OpenJDK 17 JRE
# headless and a user 185 (the uid the Kubernetes manifests run as). Writes a
# `docker save`-format tarball that Jib reads as `tar://` base image, and that
# `docker load -i` also accepts.
#
# Needs root and debootstrap (apt-get install debootstrap), and reaches only
# the Debian mirror. Takes a few minutes; the result is ~200 MB compressed.
#
# bookworm is the release as it shipped: the rootfs takes bookworm-updates and
# bookworm-security, and is upgraded to them, so that a rebuild brings every
# security fix Debian has published (rebuild and redeploy for each DSA that
# touches the JRE or its libraries).
#
# Usage: deploy/images/build-base-image.sh [output.tar] [mirror] [security-mirror]
set -euo pipefail

out=${1:-$(dirname "$0")/target/jre17-base.tar}
mirror=${2:-http://deb.debian.org/debian}
security_mirror=${3:-http://deb.debian.org/debian-security}
tag=faultline/jre17-base:bookworm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
mkdir -p "$(dirname "$out")"

if [[ -n "${FAULTLINE_BASE_ROOTFS:-}" ]]; then
  # reuse a rootfs debootstrapped earlier (saves the download)
  cp -a "$FAULTLINE_BASE_ROOTFS" "$rootfs"
else
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$mirror"
fi

cat > "$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security_mirror bookworm-security main
SOURCES
mount -t proc proc "$rootfs/proc"
trap 'umount "$rootfs/proc" 2>/dev/null || true; rm -rf "$work"' EXIT
chroot "$rootfs" apt-get update
chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get -y --no-install-recommends dist-upgrade
umount "$rootfs/proc"

# the unprivileged user the services run as, and the working directory
# Quarkus' Jib extension puts the application in
echo 'jboss:x:185:185:Faultline service:/home/jboss:/usr/sbin/nologin' >> "$rootfs/etc/passwd"
echo 'jboss:x:185:' >> "$rootfs/etc/group"
# the classifier's state directory: owned by 185 in the image, so that Docker
# initialises a named volume mounted there with the same owner (Kubernetes
# gets there through fsGroup)
mkdir -p "$rootfs/home/jboss" "$rootfs/var/lib/faultline/streams" "$rootfs/var/lib/faultline/resolver"
chown 185:185 "$rootfs/home/jboss" "$rootfs/var/lib/faultline" "$rootfs/var/lib/faultline/streams" \
  "$rootfs/var/lib/faultline/resolver"

# what a runtime image does not need
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/log/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
  "$rootfs"/usr/share/locale/* "$rootfs"/tmp/* "$rootfs"/dev/* "$rootfs"/proc/* "$rootfs"/sys/*

image=$work/image
mkdir -p "$image/layer"
tar --numeric-owner --sort=name --mtime='2025-01-01 00:00:00Z' -C "$rootfs" -cf "$image/layer/layer.tar" .
diff_id=$(sha256sum "$image/layer/layer.tar" | cut -d' ' -f1)
java_home=/usr/lib/jvm/java-17-openjdk-amd64
cat > "$image/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"2025-01-01T00:00:00Z",
 "config":{"User":"185","WorkingDir":"/home/jboss",
  "Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"2025-01-01T00:00:00Z","created_by":"deploy/images/build-base-image.sh (debootstrap bookworm + bookworm-security + openjdk-17-jre-headless)"}]}
JSON
config_id=$(sha256sum "$image/config.json" | cut -d' ' -f1)
mv "$image/config.json" "$image/$config_id.json"
echo "[{\"Config\":\"$config_id.json\",\"RepoTags\":[\"$tag\"],\"Layers\":[\"layer/layer.tar\"]}]" > "$image/manifest.json"
tar -C "$image" -cf "$out" manifest.json "$config_id.json" layer/layer.tar
echo "$tag -> $out ($(du -h "$out" | cut -f1))"
