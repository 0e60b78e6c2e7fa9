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

# A unity build (sources compiled a batch at a time, see CMakeLists.txt): a
# fresh build in about 6 minutes of a 2-core machine instead of 7. For
# editing, a build folder of your own without it rebuilds one file at a time
# (CMakePresets.json's dev presets). UNDERSTUDY_BUILD_TYPE picks the build
# type, RelWithDebInfo unless set: CI builds Release, as packagers do.
build_type=${UNDERSTUDY_BUILD_TYPE:-RelWithDebInfo}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_UNITY_BUILD=ON
cmake --build build -j "$(nproc)"
