#!/usr/bin/env bash
# The README's first command: install what is missing, build, run `awsemu up` in the foreground.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
exec "$root/build/awsemu" up "$@"
