#!/usr/bin/env bash
# Side-by-side benchmark: padscan analyze vs pahole on the same binaries.
# Reports wall time and peak memory of each and their ratios (lower is
# better for padscan); absolute numbers depend on the machine, ratios less.
#
# Usage: scripts/bench.sh [--vmlinux] [--runs N] [EXTRA_BINARY...]
#   default set: the Go samples, the Go toolchain's own cmd/go built from
#   source, and the largest C debug file of libc6-dbg.
#   --vmlinux: also the Debian kernel's debug vmlinux (downloads
#   linux-image-*-dbg, about 1 GB, into build/bench/), against pahole -j.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/build/bench"
runs=3
vmlinux=0
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --vmlinux) vmlinux=1 ;;
        --runs) runs="$2"; shift ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) extra+=("$1") ;;
    esac
    shift
done
mkdir -p "$work"
BUILD_DIR="$root/build-release" BUILD_TYPE=Release "$root/scripts/build.sh" -DPADSCAN_TESTS=OFF >/dev/null
pad="$root/build-release/padscan"
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
        pkg="$(apt-cache depends linux-image-amd64-dbg | awk '/Depends: linux-image-.*-dbg/{print $2; exit}')"
        (cd "$work" && apt-get download "$pkg" >/dev/null)
        member="$(dpkg-deb -c "$work"/"$pkg"_*.deb | awk '$6 ~ /boot\/vmlinux-/ {print $6; exit}')"
        dpkg-deb --fsys-tarfile "$work"/"$pkg"_*.deb | tar -x -C "$work" "$member"
        mv "$work/$member" "$work/"
        rm -rf "$work"/"$pkg"_*.deb "$work/usr"
        vm="$(ls "$work"/vmlinux-* | head -n 1)"
    fi
    targets+=("$vm")
fi
targets+=("${extra[@]}")

# best_of CMD...: prints "seconds peak_kb", the fastest of $runs runs.
best_of() {
    local best_t="" best_m=""
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %M" -o "$work/time.out" "$@" >/dev/null 2>"$work/stderr.out" || {
            echo "failed: $* ($(head -c 300 "$work/stderr.out"))" >&2; return 1; }
        read -r t m <"$work/time.out"
        if [ -z "$best_t" ] || awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; best_m=$m; fi
    done
    echo "$best_t $best_m"
}

jobs="$(nproc)"
printf '%-34s %9s %9s %9s %9s %9s %9s %s\n' binary "MB" "pad s" "pahole s" "time x" "pad MB" "pahole MB" "mem x"
for t in "${targets[@]}"; do
    read -r pt pm < <(best_of "$pad" analyze --format json --sort none "$t")
    pahole_cmd=(pahole "$t")
    case "$t" in *vmlinux*) pahole_cmd=(pahole -j"$jobs" "$t") ;; esac
    read -r ht hm < <(best_of "${pahole_cmd[@]}")
    size_mb=$(awk "BEGIN{printf \"%.0f\", $(stat -c %s "$t")/1048576}")
    printf '%-34s %9s %9s %9s %9s %9.0f %9.0f %s\n' "$(basename "$t")" "$size_mb" "$pt" "$ht" \
        "$(awk "BEGIN{printf \"%.2f\", $pt/($ht>0?$ht:0.01)}")" "$(awk "BEGIN{print $pm/1024}")" \
        "$(awk "BEGIN{print $hm/1024}")" "$(awk "BEGIN{printf \"%.2f\", $pm/$hm}")"
done
echo "time x and mem x: padscan divided by pahole (pahole -j$jobs for vmlinux); below 1 means padscan is cheaper"
