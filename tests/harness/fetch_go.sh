#!/usr/bin/env bash
# fetch_go.sh - fetch Debian-packaged Go toolchains for the padscan Go tests.
#
# Usage: fetch_go.sh [--dest DIR] [--refresh] VERSION...
#   VERSION  1.NN   golang-1.NN-go (+ golang-1.NN-src) from whichever suite has it
#            1.NN+  the newest golang-1.MM-go with MM >= NN that any suite has
#   --dest   where toolchains are extracted (default: <repo>/build/go-toolchains)
#   --refresh  re-read the archive's package lists and re-resolve 1.NN+
#
# For each VERSION prints "VERSION GOROOT" on stdout (everything else goes to
# stderr); use GOROOT/bin/go with GOROOT=GOROOT GOTOOLCHAIN=local.
# Exit status: 0 all found, 77 some VERSION not in any reachable suite (or the
# archive / apt tools unreachable: the tests using it are skipped), 1 error,
# 2 usage.
#
# How: a private apt configuration (own sources list, lists, cache and an empty
# dpkg status, all under DIR/.apt) pointing at the archive named in the
# system's /etc/apt/sources.list.d/debian.sources (override with
# PADSCAN_DEBIAN_SOURCES), with the suites <codename>-backports, stable,
# testing and unstable (override with PADSCAN_GO_SUITES="suite ...").  Which
# suite has which version is read from those lists (apt-cache policy); the
# .debs come from `apt-get download` and are unpacked with `dpkg-deb -x`.
# Nothing is installed into the system.  Idempotent: an extracted toolchain
# (DIR/go1.NN/.padscan-complete) is reused without touching the network.

set -u
ME=fetch_go.sh
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DEST="$REPO/build/go-toolchains"
REFRESH=0
VERSIONS=()

say() { echo "$ME: $*" >&2; }
skip() { say "SKIP: $*"; exit 77; }
die() { say "ERROR: $*"; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --dest) [ $# -ge 2 ] || { say "--dest needs a directory"; exit 2; }; DEST=$2; shift 2 ;;
        --dest=*) DEST=${1#--dest=}; shift ;;
        --refresh) REFRESH=1; shift ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
        -*) say "unknown option $1"; exit 2 ;;
        *) VERSIONS+=("$1"); shift ;;
    esac
done
[ ${#VERSIONS[@]} -gt 0 ] || { say "usage: $ME [--dest DIR] [--refresh] VERSION..."; exit 2; }
for v in "${VERSIONS[@]}"; do
    [[ "$v" =~ ^1\.[0-9]+\+?$ ]] || { say "bad VERSION '$v' (want 1.NN or 1.NN+)"; exit 2; }
done

mkdir -p "$DEST" || die "cannot create $DEST"
DEST=$(cd "$DEST" && pwd)
APTDIR="$DEST/.apt"
mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$APTDIR/sources.list.d" \
    "$APTDIR/debs" || die "cannot create $APTDIR"
: >>"$APTDIR/status"

# One fetch at a time per DEST (ctest may start several users at once).
if command -v flock >/dev/null 2>&1; then
    exec 9>"$DEST/.lock"
    flock 9
fi

# ---------------------------------------------------------------------------
# extracted toolchains
goroot_of() { echo "$DEST/go$1/usr/lib/go-$1"; }          # $1 = 1.NN
complete() {                                              # $1 = 1.NN
    [ -f "$DEST/go$1/.padscan-complete" ] && [ -x "$(goroot_of "$1")/bin/go" ]
}

# ---------------------------------------------------------------------------
# private apt configuration (set up lazily: only when something is missing)
APT_READY=0
APT_OPTS=()

archive_from_sources() {
    # prints "URI KEYRING" of the main archive (the deb822 stanza listing the
    # release's codename itself, not -security/-updates), or of a one-line
    # "deb URI codename ..." entry.
    local f=${PADSCAN_DEBIAN_SOURCES:-/etc/apt/sources.list.d/debian.sources}
    local code=$1
    if [ -r "$f" ]; then
        awk -v code="$code" '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " code " ") && uri != "" && !done) {
                    print uri, (key == "" ? "-" : key); done = 1
                }
                types = ""; suites = ""; uri = ""; key = ""
            }
            /^[ \t]*$/ { flush(); next }
            /^[ \t]*#/ { next }
            tolower($1) == "types:"     { $1 = ""; types = $0 }
            tolower($1) == "suites:"    { $1 = ""; suites = $0 }
            tolower($1) == "uris:"      { uri = $2 }
            tolower($1) == "signed-by:" { key = $2 }
            END { flush() }' "$f"
        return
    fi
    if [ -r /etc/apt/sources.list ]; then
        sed -e 's/\[[^]]*\]//' /etc/apt/sources.list |
            awk -v code="$code" '$1 == "deb" && $3 == code { print $2, "-"; exit }'
    fi
}

setup_apt() {
    [ "$APT_READY" = 1 ] && return 0
    command -v apt-get >/dev/null 2>&1 && command -v apt-cache >/dev/null 2>&1 \
        && command -v dpkg-deb >/dev/null 2>&1 \
        || skip "apt-get / apt-cache / dpkg-deb not available: cannot fetch Go toolchains"
    local code="" uri key suites s
    if [ -r /etc/os-release ]; then
        code=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    fi
    [ -n "$code" ] || skip "cannot tell the Debian release codename (/etc/os-release)"
    read -r uri key < <(archive_from_sources "$code") || true
    [ -n "${uri:-}" ] || skip "no Debian archive for '$code' found in ${PADSCAN_DEBIAN_SOURCES:-/etc/apt/sources.list.d/debian.sources}"
    suites=${PADSCAN_GO_SUITES:-"$code-backports stable testing unstable"}
    # check-valid-until=no: a Release file past its Valid-Until date (testing
    # and unstable expire within a week; a mirror or a snapshot lags behind)
    # is still signed; we only read which Go versions a suite has, so an old
    # list is fine, while apt would otherwise drop the suite as "expired".
    local opt="check-valid-until=no"
    if [ -n "${key:-}" ] && [ "$key" != "-" ] && [ -r "$key" ]; then
        opt="$opt signed-by=$key"
    fi
    {
        echo "# generated by $ME from the system's apt sources"
        for s in $suites; do echo "deb [$opt] $uri $s main"; done
    } >"$APTDIR/sources.list.new"
    local stale=0
    if ! cmp -s "$APTDIR/sources.list.new" "$APTDIR/sources.list"; then
        mv "$APTDIR/sources.list.new" "$APTDIR/sources.list"; stale=1
    else
        rm -f "$APTDIR/sources.list.new"
    fi
    APT_OPTS=(
        -o "Dir::Etc::SourceList=$APTDIR/sources.list"
        -o "Dir::Etc::SourceParts=$APTDIR/sources.list.d"
        -o "Dir::State::Lists=$APTDIR/lists"
        -o "Dir::State::status=$APTDIR/status"
        -o "Dir::Cache=$APTDIR/cache"
        -o "Dir::Cache::archives=$APTDIR/cache/archives"
        -o "APT::Sandbox::User=$(id -un)"
        -o "Acquire::Languages=none"
        -o "Acquire::Check-Valid-Until=false"
        -o "APT::Get::List-Cleanup=1"
    )
    # Re-read the lists when missing, when the sources changed, when older
    # than a day, or on --refresh.
    if [ "$REFRESH" = 1 ] || [ "$stale" = 1 ] \
        || ! ls "$APTDIR/lists/"*_Packages* >/dev/null 2>&1 \
        || [ -n "$(find "$APTDIR/lists" -maxdepth 1 -name '*_Packages*' -mmin +1440 2>/dev/null)" ]; then
        apt_update
    fi
    APT_READY=1
}

UPDATED=0
apt_update() {
    say "reading package lists of $(grep -c '^deb ' "$APTDIR/sources.list") suites from the Debian archive"
    # A missing suite makes apt-get update fail as a whole; the others are
    # still read, so judge by what arrived.
    apt-get "${APT_OPTS[@]}" -q update >&2 || say "apt-get update reported errors (continuing with what was read)"
    UPDATED=1
    ls "$APTDIR/lists/"*_Packages* >/dev/null 2>&1 \
        || skip "could not read any package list from the Debian archive (offline?)"
}

candidate() {   # $1 = package -> candidate version or nothing
    apt-cache "${APT_OPTS[@]}" policy "$1" 2>/dev/null |
        awk '$1 == "Candidate:" && $2 != "(none)" { print $2; exit }'
}

suite_of() {    # $1 = package, $2 = version -> "suite/component" lines (info only)
    apt-cache "${APT_OPTS[@]}" madison "$1" 2>/dev/null |
        awk -F'|' -v v="$2" '{ gsub(/ /, "", $2) } $2 == v { n = split($3, a, " "); print a[2] }' |
        sort -u | tr '\n' ' '
}

# newest minor >= $1 with a golang-1.MM-go candidate (prints 1.MM)
resolve_newest() {
    local min=$1 m
    for m in $(apt-cache "${APT_OPTS[@]}" pkgnames golang-1. 2>/dev/null |
               sed -n 's/^golang-1\.\([0-9][0-9]*\)-go$/\1/p' | sort -rn | uniq); do
        [ "$m" -ge "$min" ] || break
        if [ -n "$(candidate "golang-1.$m-go")" ] && [ -n "$(candidate "golang-1.$m-src")" ]; then
            echo "1.$m"; return 0
        fi
    done
    return 1
}

fetch_one() {   # $1 = 1.NN ; 0 ok, 77 not available, 1 error
    local v=$1 pkg="golang-$1-go" src="golang-$1-src" ver sver
    complete "$v" && return 0
    setup_apt
    ver=$(candidate "$pkg"); sver=$(candidate "$src")
    if { [ -z "$ver" ] || [ -z "$sver" ]; } && [ "$UPDATED" = 0 ]; then
        apt_update; ver=$(candidate "$pkg"); sver=$(candidate "$src")
    fi
    if [ -z "$ver" ] || [ -z "$sver" ]; then
        say "Go $v: $pkg / $src not found in any suite of $APTDIR/sources.list"
        return 77
    fi
    say "Go $v: $pkg $ver from $(suite_of "$pkg" "$ver")+ $src $sver"
    local debs="$APTDIR/debs/$v"
    rm -rf "$debs"; mkdir -p "$debs"
    if ! (cd "$debs" && apt-get "${APT_OPTS[@]}" -q download "$pkg=$ver" "$src=$sver" >&2); then
        say "Go $v: apt-get download $pkg=$ver $src=$sver failed"
        rm -rf "$debs"
        return 77
    fi
    local tmp="$DEST/.tmp-go$v.$$" d
    rm -rf "$tmp"; mkdir -p "$tmp"
    for d in "$debs"/*.deb; do
        dpkg-deb -x "$d" "$tmp" || { rm -rf "$tmp" "$debs"; say "Go $v: dpkg-deb -x $d failed"; return 1; }
    done
    rm -rf "$debs"
    local gr="$tmp/usr/lib/go-$v" out
    [ -x "$gr/bin/go" ] || { rm -rf "$tmp"; say "Go $v: no usr/lib/go-$v/bin/go in $pkg"; return 1; }
    [ -d "$gr/src/runtime" ] || { rm -rf "$tmp"; say "Go $v: GOROOT/src missing after unpacking $src"; return 1; }
    out=$(env -u GOFLAGS GOROOT="$gr" GOTOOLCHAIN=local GOPROXY=off "$gr/bin/go" version 2>&1) \
        || { rm -rf "$tmp"; say "Go $v: extracted go does not run here: $out"; return 1; }
    case "$out" in
        *"go version go$v"*) ;;
        *) rm -rf "$tmp"; say "Go $v: unexpected 'go version' output: $out"; return 1 ;;
    esac
    printf '%s %s\n%s\n' "$pkg" "$ver" "$out" >"$tmp/.padscan-complete"
    rm -rf "$DEST/go$v"
    mv "$tmp" "$DEST/go$v" || die "cannot move $tmp to $DEST/go$v"
    say "Go $v: $out -> $(goroot_of "$v")"
    return 0
}

# ---------------------------------------------------------------------------
rc=0
for spec in "${VERSIONS[@]}"; do
    v=${spec%+}
    if [ "$spec" != "$v" ]; then
        # 1.NN+: DEST/go1.NN+ is a symlink naming the toolchain it resolved to
        alias="$DEST/go$spec"
        if [ "$REFRESH" = 0 ] && [ -L "$alias" ] && complete "$(readlink "$alias" | sed 's/^go//')"; then
            v=$(readlink "$alias" | sed 's/^go//')
        else
            setup_apt
            nv=$(resolve_newest "${v#1.}")
            if [ -z "$nv" ] && [ "$UPDATED" = 0 ]; then apt_update; nv=$(resolve_newest "${v#1.}"); fi
            if [ -z "$nv" ]; then
                say "Go $spec: no golang-1.MM-go with MM >= ${v#1.} in any suite of $APTDIR/sources.list"
                rc=77; continue
            fi
            say "Go $spec: newest available is $nv"
            v=$nv
        fi
    fi
    fetch_one "$v"; r=$?
    if [ $r -ne 0 ]; then
        [ $r -eq 77 ] && [ $rc -ne 1 ] && rc=77
        [ $r -eq 1 ] && rc=1
        continue
    fi
    if [ "$spec" != "${spec%+}" ]; then
        ln -sfn "go$v" "$DEST/go$spec"
    fi
    echo "$spec $(goroot_of "$v")"
done
[ $rc -eq 77 ] && say "SKIP: some requested Go toolchains are not available from the Debian archive"
exit $rc
