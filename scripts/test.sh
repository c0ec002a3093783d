#!/usr/bin/env bash
# Builds padscan and runs its test suite with ctest.
# Usage: scripts/test.sh [--quick] [--sanitize] [--no-skip]
#   --quick     the edit-loop tier (ctest label "quick": C and Go layouts,
#               bad input, JSON schema; under 2 minutes); CI runs everything
#   --sanitize  ASan + UBSan build in build-asan/
#   --no-skip   a skipped test (exit 77) is a failure.  Tests skip only when
#               the network is unreachable (README "Tests"); CI has network,
#               so .ci/run passes this.
# Skipped tests are always listed at the end, with the reason they printed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
quick=0 sanitize=0 noskip=0
for a in "$@"; do
    case "$a" in
        --quick) quick=1 ;;
        --sanitize) sanitize=1 ;;
        --no-skip) noskip=1 ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "test.sh: unknown option '$a' (see --help)" >&2; exit 2 ;;
    esac
done
# Test byproducts stay in the build directory: no __pycache__ in tests/harness.
export PYTHONDONTWRITEBYTECODE=1
if [ "$sanitize" = 1 ]; then
    export BUILD_DIR="$root/build-asan" BUILD_TYPE=Debug
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    # the Go toolchains fetched for the plain build are reused, not fetched twice
    "$root/scripts/build.sh" -DPADSCAN_SANITIZE=ON -DPADSCAN_GO_TOOLCHAINS_DIR="$root/build/go-toolchains"
else
    export BUILD_DIR="$root/build"
    "$root/scripts/build.sh"
fi
cd "$BUILD_DIR"
label=()
[ "$quick" = 1 ] && label=(-L '^quick$')
junit="$BUILD_DIR/Testing/ctest-results.xml"
rm -f "$junit"
rc=0
ctest --output-on-failure -j"$(nproc)" --timeout 900 --output-junit "$junit" "${label[@]}" || rc=$?
# The skipped tests and why (the last "SKIP" line each printed).
skipped=$(python3 - "$junit" <<'EOF'
import sys, xml.etree.ElementTree as ET
try:
    cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
except (OSError, ET.ParseError) as e:
    print("(no ctest results: %s)" % e)
    sys.exit(0)
for c in cases:
    if c.get("status") == "notrun" or c.find("skipped") is not None:
        out = (c.findtext("system-out") or "").splitlines()
        why = [l.strip() for l in out if "SKIP" in l]
        print("%s: %s" % (c.get("name"), why[-1] if why else "(no reason printed)"))
EOF
)
if [ -n "$skipped" ]; then
    echo "test.sh: tests that did NOT run:" >&2
    echo "$skipped" | sed 's/^/  /' >&2
    if [ "$noskip" = 1 ]; then
        echo "test.sh: --no-skip: a skipped test is a failure" >&2
        [ "$rc" -ne 0 ] || rc=1
    fi
fi
exit "$rc"
