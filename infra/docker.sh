#!/usr/bin/env bash
# Docker for the tests that start their own containers (Testcontainers), on a Debian 12 machine without systemd or
# an image registry:
#   - installs docker.io (and mmdebstrap, to build images) with apt when missing;
#   - starts dockerd in the background when it is not answering, with loopback-only networking (no iptables rules,
#     no forwarding, published ports on 127.0.0.1 only); its log: /var/log/sdp-dockerd.log;
#   - builds the two local images once, from a Debian root filesystem made with mmdebstrap through the host's apt
#     mirror: sdp-local/postgres:15 (cluster initialised in the image) and sdp-local/rabbitmq:3.10.
#     A rebuild happens only when a recipe changes (the recipe's hash is a label of each image).
#
# Idempotent; a few seconds when everything is there. stdout carries only export lines, for
#   eval "$(infra/docker.sh)"
# Progress goes to stderr. Run as root. See infra/README.md.
set -euo pipefail
exec 3>&1 1>&2

export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
# Debian 12's dockerd serves API 1.41; a newer docker CLI on PATH must not ask for more.
export DOCKER_API_VERSION=1.41

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IMAGES_DIR="$SCRIPT_DIR/images"
DOCKERD_LOG=/var/log/sdp-dockerd.log
POSTGRES_IMAGE=sdp-local/postgres:15
RABBITMQ_IMAGE=sdp-local/rabbitmq:3.10
START_S=$(date +%s)

log() { printf '[docker %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[docker] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must be run as root (apt-get, dockerd)"

pkg_installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'; }

apt_install() {
  local missing=() p
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  [ ${#missing[@]} -gt 0 ] || return 0
  log "installing ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 -y -q --no-install-recommends install "${missing[@]}" </dev/null >&2
}

# Run a long-lived process detached from this script: no inherited descriptors (so `eval "$(infra/docker.sh)"`
# does not wait for it), its own session, output to a log file.
detach() {
  local logfile=$1; shift
  (
    for fd in /proc/self/fd/*; do
      fd="${fd##*/}"
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null || true
    done
    exec setsid "$@" </dev/null >>"$logfile" 2>&1
  ) &
}

# ---------------------------------------------------------------------------
# 1. the engine
# ---------------------------------------------------------------------------
apt_install docker.io
# The package's docker CLI; a newer one earlier on PATH works as well with DOCKER_API_VERSION set.
docker() { /usr/bin/docker "$@"; }

if docker version >/dev/null 2>&1; then
  log "dockerd is running"
else
  if pgrep -x dockerd >/dev/null; then
    log "dockerd is running but not answering yet; waiting"
  else
    log "starting dockerd (log: $DOCKERD_LOG)"
    detach "$DOCKERD_LOG" dockerd --iptables=false --ip-forward=false --ip-masq=false --ip 127.0.0.1
  fi
  for _ in $(seq 1 120); do
    docker version >/dev/null 2>&1 && break
    pgrep -x dockerd >/dev/null || { tail -n 20 "$DOCKERD_LOG" >&2; die "dockerd exited; see $DOCKERD_LOG"; }
    sleep 0.5
  done
  docker version >/dev/null 2>&1 || die "dockerd did not answer within 60 s; see $DOCKERD_LOG"
  log "dockerd is up"
fi

# ---------------------------------------------------------------------------
# 2. the images
# ---------------------------------------------------------------------------
label_of() { docker image inspect -f '{{ index .Config.Labels "sdp.recipe" }}' "$1" 2>/dev/null || true; }

# One root filesystem for both images: one mmdebstrap run, one shared layer on disk. Without manuals, docs, locales
# and the JIT's LLVM (the server runs with jit = off, and only the JIT module loads LLVM), dpkg writing unsafely.
ROOTFS_ARGS=(
  --mode=root --variant=essential --include=postgresql-15,rabbitmq-server
  --dpkgopt=force-unsafe-io
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-exclude=/usr/lib/llvm-14/*' --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/libLLVM-14.so*'
  --aptopt='Acquire::Languages "none"'
  # The package creates a cluster 15/main; the PostgreSQL image initialises its own.
  --customize-hook='if [ -d "$1"/etc/postgresql/15/main ]; then chroot "$1" pg_dropcluster 15 main; fi'
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*'
)
rootfs_recipe=$(printf '%s\n' "${ROOTFS_ARGS[@]}" | sha256sum | cut -c1-16)
ROOTFS_IMAGE="sdp-local/rootfs:bookworm-$rootfs_recipe"

if [ "$(label_of "$ROOTFS_IMAGE")" != "$rootfs_recipe" ]; then
  apt_install mmdebstrap
  # The host's own Debian sources: images are built only from the mirror this machine's apt already uses.
  sources=/etc/apt/sources.list.d/debian.sources
  [ -f "$sources" ] || sources=/etc/apt/sources.list
  log "building the root filesystem $ROOTFS_IMAGE with mmdebstrap (a few minutes)"
  mmdebstrap --quiet "${ROOTFS_ARGS[@]}" bookworm - "$sources" \
    | docker import --change "LABEL sdp.recipe=$rootfs_recipe" - "$ROOTFS_IMAGE" >/dev/null
  [ "$(label_of "$ROOTFS_IMAGE")" = "$rootfs_recipe" ] || die "importing $ROOTFS_IMAGE failed"
fi

build_image() {
  local image=$1 dir=$2 recipe old
  recipe=$( (echo "$ROOTFS_IMAGE"; cat "$dir"/*) | sha256sum | cut -c1-16)
  if [ "$(label_of "$image")" = "$recipe" ]; then
    log "$image is up to date"
    return 0
  fi
  log "building $image"
  old=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
  docker build --quiet --network=none --build-arg "BASE=$ROOTFS_IMAGE" --label "sdp.recipe=$recipe" \
    -t "$image" "$dir" >/dev/null
  # The previous build of this image, now untagged, only takes space.
  [ -z "$old" ] || docker image rm "$old" >/dev/null 2>&1 || true
}
build_image "$POSTGRES_IMAGE" "$IMAGES_DIR/postgres"
build_image "$RABBITMQ_IMAGE" "$IMAGES_DIR/rabbitmq"

# Root filesystems of older recipes only take space.
for old in $(docker image ls --filter 'reference=sdp-local/rootfs' --format '{{.Repository}}:{{.Tag}}'); do
  [ "$old" = "$ROOTFS_IMAGE" ] || docker image rm "$old" >/dev/null 2>&1 || true
done

log "ready in $(( $(date +%s) - START_S )) s"

cat >&3 <<EOF
export DOCKER_API_VERSION=1.41
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
export TESTCONTAINERS_RYUK_DISABLED=true
export SDP_POSTGRES_IMAGE=$POSTGRES_IMAGE
export SDP_RABBITMQ_IMAGE=$RABBITMQ_IMAGE
EOF
