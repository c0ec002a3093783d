#!/usr/bin/env bash
# Side-by-side benchmark: padscan analyze vs pahole on the same binaries.
# Reports wall time and peak memory of each and their ratios (lower is
# better for padscan); absolute numbers depend on the machine, ratios less.
#
# Usage: scripts/bench.sh [--vmlinux] [--runs N] [-j N] [EXTRA_BINARY...]
#   default set: the Go samples, the Go toolchain's own cmd/go built from
#   source, and the largest C debug file of libc6-dbg.
#   --vmlinux: also the Debian kernel's debug vmlinux (downloads
#   linux-image-*-dbg, about 1 GB, into build/bench/), against pahole -j.
#   --runs N: runs of each tool per binary (default 3), alternating
#   padscan and pahole; the table gives medians and [min-max] ranges.
#   -j N: padscan's threads (default: the online cores, as padscan's own).
#   PADSCAN=path: measure that padscan instead of a Release build of the tree.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/build/bench"
runs=3
vmlinux=0
pad_jobs="$(nproc)"
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --vmlinux) vmlinux=1 ;;
        --runs) runs="$2"; shift ;;
        -j) pad_jobs="$2"; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) extra+=("$1") ;;
    esac
    shift
done
mkdir -p "$work"
pad="${PADSCAN:-}" # an existing build, else a Release build made here
if [ -z "$pad" ]; then
    BUILD_DIR="$root/build-release" BUILD_TYPE=Release "$root/scripts/build.sh" -DPADSCAN_TESTS=OFF >/dev/null
    pad="$root/build-release/padscan"
fi
"$root/scripts/build-samples.sh" "$work/samples" >/dev/null

targets=()
for s in combat inventory auctions; do targets+=("$work/samples/$s"); done
if [ ! -x "$work/cmd-go" ]; then
    GOCACHE="${GOCACHE:-$work/.gocache}" go build -o "$work/cmd-go" cmd/go
fi
targets+=("$work/cmd-go")
if ! dpkg -s libc6-dbg >/dev/null 2>&1; then
    apt-get install -y -qq libc6-dbg >/dev/null 2>&1 || true
fi
libc_debug="$(ls -S /usr/lib/debug/.build-id/*/*.debug 2>/dev/null | head -n 1 || true)"
[ -n "$libc_debug" ] && targets+=("$libc_debug")
if [ "$vmlinux" = 1 ]; then
    vm="$(ls "$work"/vmlinux-* 2>/dev/null | head -n 1 || true)"
    if [ -z "$vm" ]; then
        pkg="$(apt-cache depends linux-image-amd64-dbg | awk '/Depends: linux-image-.*-dbg/ && !n++ {print $2}')"
        (cd "$work" && apt-get download "$pkg" >/dev/null)
        member="$(dpkg-deb -c "$work"/"$pkg"_*.deb | awk '$6 ~ /boot\/vmlinux-/ && !n++ {print $6}')"
        dpkg-deb --fsys-tarfile "$work"/"$pkg"_*.deb | tar -x -C "$work" "$member"
        mv "$work/$member" "$work/"
        rm -rf "$work"/"$pkg"_*.deb "$work/usr"
        vm="$(ls "$work"/vmlinux-* | head -n 1)"
    fi
    targets+=("$vm")
fi
targets+=("${extra[@]}")

# measure LABEL CMD...: one run; appends "seconds peak_kb" to $work/LABEL.runs.
measure() {
    local label="$1"
    shift
    /usr/bin/time -f "%e %M" -o "$work/time.out" "$@" >/dev/null 2>"$work/stderr.out" || {
        echo "failed: $* ($(head -c 300 "$work/stderr.out"))" >&2
        return 1
    }
    cat "$work/time.out" >>"$work/$label.runs"
}

# stats FILE COLUMN: "median min max" of a column of numbers.
stats() {
    awk -v c="$2" '{print $c}' "$1" | sort -g | awk '
        {v[NR] = $1}
        END {
            m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%g %g %g\n", m, v[1], v[NR]
        }'
}

jobs="$(nproc)"
echo "padscan -j$pad_jobs (analyze --format json --sort none) vs pahole; $runs alternating runs each;"
echo "median [min-max]; time x and mem x: padscan's median divided by pahole's (below 1: padscan is cheaper)"
printf '%-28s %5s %-22s %-22s %7s %-22s %-22s %6s\n' binary MB "padscan s" "pahole s" "time x" \
    "padscan MB" "pahole MB" "mem x"
for t in "${targets[@]}"; do
    pahole_cmd=(pahole "$t")
    case "$t" in *vmlinux*) pahole_cmd=(pahole -j"$jobs" "$t") ;; esac
    rm -f "$work/pad.runs" "$work/pahole.runs"
    for _ in $(seq "$runs"); do # alternating, so that load drifts hit both alike
        measure pad "$pad" analyze -j "$pad_jobs" --no-progress --format json --sort none "$t"
        measure pahole "${pahole_cmd[@]}"
    done
    read -r pt ptmin ptmax < <(stats "$work/pad.runs" 1)
    read -r ht htmin htmax < <(stats "$work/pahole.runs" 1)
    read -r pm pmmin pmmax < <(stats "$work/pad.runs" 2)
    read -r hm hmmin hmmax < <(stats "$work/pahole.runs" 2)
    mb() { awk "BEGIN{printf \"%.0f\", $1/1024}"; }
    size_mb=$(awk "BEGIN{printf \"%.0f\", $(stat -c %s "$t")/1048576}")
    name="$(basename "$t")"
    case "$t" in *vmlinux*) name="$name (pahole -j$jobs)" ;; esac
    printf '%-28s %5s %-22s %-22s %7s %-22s %-22s %6s\n' "$name" "$size_mb" \
        "$pt [$ptmin-$ptmax]" "$ht [$htmin-$htmax]" \
        "$(awk "BEGIN{printf \"%.2f\", $pt/($ht>0?$ht:0.01)}")" \
        "$(mb "$pm") [$(mb "$pmmin")-$(mb "$pmmax")]" "$(mb "$hm") [$(mb "$hmmin")-$(mb "$hmmax")]" \
        "$(awk "BEGIN{printf \"%.2f\", $pm/$hm}")"
done
