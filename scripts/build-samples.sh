#!/usr/bin/env bash
# Build the sample Go and C services under samples/ into OUTDIR
# (default: build/samples relative to the repository root).
#
#   scripts/build-samples.sh [OUTDIR]
#
# Produces OUTDIR/<service> for every service, plus 32-bit variants
# OUTDIR/386/combat (GOARCH=386) and OUTDIR/386/weapons (gcc -m32).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUTDIR=${1:-$ROOT/build/samples}
mkdir -p "$OUTDIR/386"
OUTDIR=$(cd "$OUTDIR" && pwd)

GO_SERVICES="combat abilities inventory guilds auctions notifications auth"
C_SERVICES="weapons analytics backups"
GO_386_SERVICE=combat
C_386_SERVICE=weapons

CC=${CC:-gcc}
CFLAGS="-std=c11 -g -O2 -Wall -Wextra"

# Keep Go's caches out of $HOME (which may be read-only) unless the caller set them.
export GOCACHE=${GOCACHE:-$OUTDIR/.gocache/build}
export GOPATH=${GOPATH:-$OUTDIR/.gocache/path}
export GOFLAGS=${GOFLAGS:-}
export GOPROXY=off
export GO111MODULE=on
export CGO_ENABLED=0

die() { echo "build-samples: $*" >&2; exit 1; }
command -v go >/dev/null || die "go not found in PATH"
command -v "$CC" >/dev/null || die "$CC not found in PATH"

cd "$ROOT/samples/go"
for svc in $GO_SERVICES; do
	go build -o "$OUTDIR/$svc" "./$svc" || die "go build $svc failed"
	echo "built $OUTDIR/$svc"
done
GOARCH=386 go build -o "$OUTDIR/386/$GO_386_SERVICE" "./$GO_386_SERVICE" || die "go build (386) $GO_386_SERVICE failed"
echo "built $OUTDIR/386/$GO_386_SERVICE"

cd "$ROOT/samples/c"
for svc in $C_SERVICES; do
	# shellcheck disable=SC2086
	$CC $CFLAGS -o "$OUTDIR/$svc" "$svc/$svc.c" || die "$CC $svc failed"
	echo "built $OUTDIR/$svc"
done
# shellcheck disable=SC2086
$CC -m32 $CFLAGS -o "$OUTDIR/386/$C_386_SERVICE" "$C_386_SERVICE/$C_386_SERVICE.c" \
	|| die "$CC -m32 $C_386_SERVICE failed (is gcc-multilib installed?)"
echo "built $OUTDIR/386/$C_386_SERVICE"
