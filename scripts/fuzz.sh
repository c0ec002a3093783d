#!/usr/bin/env bash
# libFuzzer runs of padscan's input readers (docs/fuzzing.md).
#
# Usage: scripts/fuzz.sh TARGET SECONDS [-- LIBFUZZER_OPTION...]
#        scripts/fuzz.sh --ci [SECONDS_PER_TARGET]   (default 25: every target, CI)
#        scripts/fuzz.sh --list
# TARGET: read (whole ELF files), manifest, budget, config, baseline, report,
#         profile (pprof heap profiles).
#
# Builds build-fuzz/ with clang -fsanitize=fuzzer,address,undefined, makes the
# seed corpus in build-fuzz/seeds/TARGET from the test fixtures (compiled
# now; the JSON seeds written by padscan itself and taken from samples/),
# adds tests/fuzz/regress/TARGET, and fuzzes into build-fuzz/corpus/TARGET,
# which persists between runs.  A crash, leak, timeout or sanitizer report
# fails the run and leaves the input in build-fuzz/findings/TARGET/; copy it
# to tests/fuzz/regress/TARGET/ once fixed (ctest fuzz_replay_* replays it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-fuzz"
targets=(read manifest budget config baseline report profile)

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }

build_fuzz() {
    CC=clang BUILD_DIR="$build" BUILD_TYPE=RelWithDebInfo "$root/scripts/build.sh" \
        -DPADSCAN_FUZZ=ON -DPADSCAN_TESTS=OFF >/dev/null
}

# Seeds from the fixtures: binaries compiled now, reports and baselines
# written by padscan from them, budgets, configs and manifests from samples/.
make_seeds() {
    local s="$build/seeds" work="$build/seeds/work" fx="$root/tests/fixtures/c"
    rm -rf "$s"
    mkdir -p "$work" "${targets[@]/#/$s/}"
    local i=0
    for cc in gcc clang; do
        for flags in "-gdwarf-4 -O0" "-gdwarf-5 -O2" "-gdwarf-5 -O0 -m32" "-gdwarf-4 -O2 -c"; do
            for src in "$fx/fixture.c" "$fx/hostile_names.c"; do
                i=$((i + 1))
                # shellcheck disable=SC2086
                "$cc" -std=gnu11 $flags "$src" -o "$s/read/${cc}_$i" 2>/dev/null || continue
            done
        done
    done
    local pad="$build/padscan" n=0
    printf '{"rules": [{"types": ["*"], "max_waste": 100000}]}\n' >"$work/budget.json"
    for bin in "$s"/read/*; do
        n=$((n + 1))
        "$pad" analyze --format json -o "$s/report/analyze_$n.json" "$bin" 2>/dev/null || true
        "$pad" check --budget "$work/budget.json" --write-baseline "$s/baseline/baseline_$n.json" \
            "$bin" >/dev/null 2>&1 || true
    done
    cp "$s/report/"* "$s/baseline/" 2>/dev/null || true   # a baseline may be a report too
    cp "$root/samples/budget.json" "$s/budget/"
    cp "$root/samples/padscan.json" "$s/config/"
    cp "$root/samples/fleet.json" "$s/manifest/"
    local bin1 rep1
    bin1="$(ls "$s"/read/* | head -1)"
    rep1="$(ls "$s"/report/* | head -1)"
    printf '{"services": [{"name": "a", "binary": "%s", "replicas": 3, "allocator": "glibc",\n  "hot_types": [{"type": "*", "instances": 100, "held": "array"}]},\n {"name": "b", "report": "%s", "replicas": 1,\n  "hot_types": [{"type": "x", "instances": 1, "held": "embedded", "in": "y"}]}]}\n' \
        "$bin1" "$rep1" >"$s/manifest/generated.json"
    printf '{"rules": [{"types": ["*"], "max_waste": 32, "max_waste_percent": 25, "max_size": 256,\n  "max_cachelines": 4, "must_be_optimal": true, "max_pointer_bytes": 128}],\n "fleet": {"max_waste": 104857600}, "ignore": [{"type": "wire_*", "reason": "r"}]}\n' \
        >"$s/budget/all_rules.json"
    printf '{"cacheline": 64, "types": {"basic_*": {"hot": ["a"], "cacheline": 128, "fixed": false}},\n "fixed": ["x", "y*"]}\n' \
        >"$s/config/all_keys.json"
    # a real Go heap profile (tests/fixtures/go_heap) and the hand-made regressions
    if command -v go >/dev/null 2>&1; then
        cp -r "$root/tests/fixtures/go_heap" "$work/go_heap"
        (cd "$work/go_heap" && GOFLAGS=-mod=mod GOPROXY=off GOCACHE="$work/gocache" \
            go build -o heapprog . && ./heapprog "$s/profile/go_heap.pb.gz" >/dev/null) || true
    fi
    cp "$root/tests/fuzz/regress/profile/"* "$s/profile/"
    rm -rf "$work"
}

# run TARGET SECONDS [options]: 0 when nothing was found.
run() {
    local t="$1" secs="$2"
    shift 2
    local corpus="$build/corpus/$t" findings="$build/findings/$t" log="$build/logs/$t.log"
    mkdir -p "$corpus" "$findings" "$(dirname "$log")"
    local maxlen=65536
    [ "$t" = read ] && maxlen=262144
    local regress=()
    [ -d "$root/tests/fuzz/regress/$t" ] && regress=("$root/tests/fuzz/regress/$t")
    local rc=0
    ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0" \
        UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
        "$build/fuzz_$t" -max_total_time="$secs" -max_len="$maxlen" -timeout=20 -rss_limit_mb=2560 \
        -print_final_stats=1 -artifact_prefix="$findings/" "$@" \
        "$corpus" "$build/seeds/$t" "${regress[@]}" >"$log" 2>&1 || rc=$?
    local execs
    execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)"
    if [ "$rc" -ne 0 ]; then
        echo "fuzz $t: FINDING after ${execs:-?} executions (exit $rc); input in $findings/, log $log"
        grep -m5 -E 'ERROR|SUMMARY|runtime error' "$log" | sed 's/^/  /' || true
        return 1
    fi
    echo "fuzz $t: ${execs:-?} executions in ${secs} s, nothing found (corpus $(ls "$corpus" | wc -l) inputs)"
}

case "${1:-}" in
    ""|-h|--help) usage; exit 0 ;;
    --list) printf '%s\n' "${targets[@]}"; exit 0 ;;
    --ci)
        secs="${2:-25}"
        build_fuzz
        make_seeds
        bad=0
        for t in "${targets[@]}"; do
            run "$t" "$secs" || bad=1
        done
        exit "$bad" ;;
    *)
        t="$1" secs="${2:?usage: scripts/fuzz.sh TARGET SECONDS}"
        shift 2
        [ "${1:-}" = "--" ] && shift
        printf '%s\n' "${targets[@]}" | grep -qx "$t" || { echo "fuzz.sh: unknown target '$t' (--list)" >&2; exit 2; }
        build_fuzz
        make_seeds
        run "$t" "$secs" "$@" ;;
esac
