#!/usr/bin/env bash
# Installs Understudy's Debian packages (when missing) and builds it in build/.
# Idempotent: run it again after pulling changes.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=$(grep -v '^#' tools/debian-packages.txt | xargs)
missing=""
for p in $packages; do
  dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing="$missing $p"
done
if [ -n "${missing// /}" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "setup: installing$missing"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j "$(nproc)"
