#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the
# shipped scenario suite on the built-in defaults (a local engine per
# scenario, real client processes, a private redis-server when needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
exec build/harness/understudy run scenarios --report-dir build/understudy-reports "$@"
