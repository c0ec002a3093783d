#!/usr/bin/env bash
# Builds padscan and runs the whole test suite with ctest.
# Usage: scripts/test.sh [--sanitize]   (ASan + UBSan build in build-asan/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${1:-}" = "--sanitize" ]; then
    export BUILD_DIR="$root/build-asan" BUILD_TYPE=Debug
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    "$root/scripts/build.sh" -DPADSCAN_SANITIZE=ON
else
    export BUILD_DIR="$root/build"
    "$root/scripts/build.sh"
fi
cd "$BUILD_DIR"
ctest --output-on-failure -j"$(nproc)" --timeout 900
