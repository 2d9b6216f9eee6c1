#!/usr/bin/env bash
# The README's second command: install what is missing, build, and run every test — unit and
# integration — once on the normal build and once under AddressSanitizer + UBSan.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"

echo "== build (RelWithDebInfo)"
"$root/scripts/build.sh" "$root/build"
echo "== tests"
# Integration modules mostly wait (on servers, timers, health checks): run one more at a time
# than there are cores.
jobs=$(( $(nproc) + 1 ))
ctest --test-dir "$root/build" --output-on-failure -j "$jobs"

echo "== build (AddressSanitizer + UndefinedBehaviorSanitizer)"
"$root/scripts/build.sh" "$root/build-asan" -DAWSEMU_SANITIZE=ON
echo "== tests under ASan + UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --test-dir "$root/build-asan" --output-on-failure -j "$jobs"
