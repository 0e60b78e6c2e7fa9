#!/usr/bin/env bash
# Builds the Debian package from build/ (cpack), installs it on this machine
# with apt, and runs the shipped example repository (PREFIX/share/understudy/
# examples) against the installed files only: copied to a scratch folder, run
# with an environment that names no part of the source tree (no PYTHONPATH,
# no UNDERSTUDY_* variables, a PATH of the system's folders), so that what a
# studio gets from `apt install ./understudy_*.deb` is what is tested.
#
#   tools/ci/package.sh          (root, or sudo for apt)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

(cd build && cpack -G DEB >/dev/null)
deb=$(ls "$root"/build/understudy_*.deb)
echo "package: built $(basename "$deb") ($(du -h "$deb" | cut -f1))"
dpkg-deb --info "$deb" | sed -n 's/^ Depends: /package: depends on /p'

sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --reinstall "$deb" >/dev/null
echo "package: installed: $(command -v understudy) $(understudy --version)"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r /usr/share/understudy/examples/. "$scratch/"
cd "$scratch"
clean_env=(env -i "HOME=$HOME" "PATH=/usr/bin:/bin" "LANG=C.UTF-8" "TMPDIR=${TMPDIR:-/tmp}")
# The installed plugin is loaded by its pytest11 entry point, with nothing named.
"${clean_env[@]}" /usr/bin/python3 -m pytest -q -p no:cacheprovider
"${clean_env[@]}" understudy run scenarios/ --report-dir "$scratch/reports"
echo "package: the example repository passed against the installed package"
