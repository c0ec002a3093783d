#!/usr/bin/env bash
# package_deb.sh - the .deb that `cpack -G DEB` builds (packaging/packaging.cmake)
# holds what a user needs and depends on what the binary links:
#   - contents: usr/bin/padscan, the man page (a section per command of
#     `padscan --help`, every option of `padscan CMD --help`), the bash
#     completion (completes commands and options), every docs/schema/*.json
#     under usr/share/padscan/schema, LICENSE;
#   - Depends names the Debian package of every shared library padscan's
#     ELF NEEDED (found with dpkg -S on this machine, not typed in);
#   - the extracted padscan analyzes a fixture compiled here: size and
#     offsets equal the compiler's sizeof/offsetof, and the JSON validates
#     against the schema shipped in the package;
#   - `dpkg --dry-run -i` accepts it on this machine (its dependencies resolve);
#   - `cmake --install --prefix` installs the same files.
# Usage: package_deb.sh BUILD_DIR SOURCE_DIR WORKDIR
set -euo pipefail
build=$1 src=$2 work=$3
fail() { echo "package_deb: FAIL: $*" >&2; exit 1; }
rm -rf "$work"; mkdir -p "$work"
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >cpack.log 2>&1) \
    || { cat "$work/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb=$(ls "$work"/out/padscan_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "cpack wrote no padscan_*.deb"
echo "package_deb: $(basename "$deb")"
dpkg-deb -I "$deb" control | sed 's/^/  /'

# --- contents
dpkg-deb -c "$deb" | awk '{ print $NF }' | sed 's|^\./||' >"$work/files"
need_file() { grep -qx "$1" "$work/files" || fail "$1 not in the package"; }
need_file usr/bin/padscan
need_file usr/share/man/man1/padscan.1.gz
need_file usr/share/bash-completion/completions/padscan
need_file usr/share/doc/padscan/LICENSE
n=0
for s in "$src"/docs/schema/*.json; do
    need_file "usr/share/padscan/schema/$(basename "$s")"; n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no schemas in docs/schema"

# --- cmake --install puts the same files under any prefix
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" 2>&1 \
    || { cat "$work/install.log" >&2; fail "cmake --install failed"; }
for f in bin/padscan share/man/man1/padscan.1.gz share/bash-completion/completions/padscan \
         share/doc/padscan/LICENSE; do
    [ -f "$work/prefix/$f" ] || fail "cmake --install did not install $f"
done
for s in "$src"/docs/schema/*.json; do
    cmp -s "$s" "$work/prefix/share/padscan/schema/$(basename "$s")" \
        || fail "cmake --install: share/padscan/schema/$(basename "$s") differs from docs/schema"
done

# --- Depends: the package of every NEEDED library
dpkg-deb -x "$deb" "$work/root"
bin="$work/root/usr/bin/padscan"
depends=$(dpkg-deb -f "$deb" Depends)
[ -n "$depends" ] || fail "no Depends"
for lib in $(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }'); do
    path=$(ldd "$bin" | awk -v l="$lib" '$1 == l { print $3 }')
    [ -n "$path" ] || fail "ldd cannot resolve $lib"
    pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1) \
        || pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1) || true
    [ -n "$pkg" ] || fail "no Debian package owns $path ($lib)"
    echo "$depends" | tr ',' '\n' | grep -qE "^ *$pkg( |\$)" \
        || fail "$lib comes from $pkg, which Depends ($depends) does not name"
    echo "package_deb: $lib -> $pkg (in Depends)"
done

# --- man page: a section per command, every option
gzip -dc "$work/root/usr/share/man/man1/padscan.1.gz" >"$work/padscan.1" || fail "man page not gzip"
man="$work/padscan.1"
cmds=$("$bin" --help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
[ "$(echo $cmds)" = "analyze suggest fleet heap check diff" ] || fail "commands are '$(echo $cmds)'"
for c in $cmds; do
    grep -qx ".SH $(echo "$c" | tr a-z A-Z)" "$man" || fail "man page has no section for $c"
    for o in $("$bin" "$c" --help | grep -E '^ +-' | sed -E 's/   .*//' | grep -oE -- '--?[a-z][a-z-]*'); do
        grep -qF -- "$(echo "$o" | sed 's/-/\\-/g')" "$man" || fail "man page lacks $c's option $o"
    done
done
if command -v groff >/dev/null 2>&1; then
    warn=$(groff -man -Tutf8 -ww -z "$man" 2>&1) ; [ -z "$warn" ] || fail "groff: $warn"
fi

# --- bash completion
comp="$work/root/usr/share/bash-completion/completions/padscan"
complete_words() { bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _padscan; echo "${COMPREPLY[*]}"' _ "$comp" "$@"; }
[ "$(complete_words padscan an)" = analyze ] || fail "completion of 'padscan an' is '$(complete_words padscan an)'"
complete_words padscan check --bu | grep -qx -- --budget || fail "completion of 'padscan check --bu'"
complete_words padscan diff --format m | grep -qx markdown || fail "completion of 'padscan diff --format m'"

# --- the extracted binary on a fixture compiled here
cat >"$work/fx.c" <<'C'
#include <stdio.h>
#include <stddef.h>
struct pk_fixture { char a; long b; char c; short d; };
struct pk_fixture g;
int main(void) {
    printf("%zu %zu %zu %zu %zu\n", sizeof(struct pk_fixture), offsetof(struct pk_fixture, a),
           offsetof(struct pk_fixture, b), offsetof(struct pk_fixture, c), offsetof(struct pk_fixture, d));
    return 0;
}
C
cc -g -O0 -o "$work/fx" "$work/fx.c" || fail "cannot compile the fixture"
truth=$("$work/fx")
"$bin" analyze --format json --type pk_fixture -o "$work/fx.json" "$work/fx" || fail "extracted padscan analyze failed"
got=$(python3 - "$work/fx.json" "$work/root/usr/share/padscan/schema/analyze.schema.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
try:
    import jsonschema
    jsonschema.validate(doc, json.load(open(sys.argv[2])))
except ImportError:
    sys.exit("python3-jsonschema missing (scripts/install-deps.sh installs it)")
s = [r for b in doc["binaries"] for r in b["structs"] if r["name"] == "pk_fixture"]
assert len(s) == 1, s
print(s[0]["size"], *[m["offset"] for m in s[0]["members"]])
PY
) || fail "the JSON of the extracted padscan"
[ "$got" = "$truth" ] || fail "extracted padscan says '$got', the compiler '$truth'"
echo "package_deb: extracted padscan: size/offsets $got = compiler's"

# --- dpkg accepts it here
dpkg --dry-run -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg --dry-run -i"; }
echo "package_deb: OK"
