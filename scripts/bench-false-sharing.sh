#!/usr/bin/env bash
# Two goroutines increment the two atomics of issue 13's Counters, once with
# the declared layout (hits and misses 64 bytes apart) and once with the
# order `padscan suggest` proposes, and print ns per increment for both.  A
# suggestion that put hits and misses into one cache line would show as a
# large slowdown (false sharing).  Not a timed test: numbers depend on the
# machine (two cores at least).
#
#   scripts/bench-false-sharing.sh [PADSCAN] [ITERATIONS]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PADSCAN=${1:-$ROOT/build/padscan}
N=${2:-20000000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export GOCACHE=${GOCACHE:-$WORK/gocache} GOPATH=${GOPATH:-$WORK/gopath}
export GOFLAGS=-mod=mod GOPROXY=off GO111MODULE=on CGO_ENABLED=0

mkdir -p "$WORK/orig" "$WORK/bench"
printf 'module bench\n\ngo 1.19\n' > "$WORK/orig/go.mod"
cp "$WORK/orig/go.mod" "$WORK/bench/go.mod"
cat > "$WORK/orig/main.go" <<'GO'
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

type Counters struct {
	hits   atomic.Int64
	_      [56]byte
	misses atomic.Int64
	_      [56]byte
	mu     sync.Mutex
	name   string
	flag   bool
	n      int64
}

var c Counters

func main() { fmt.Println(&c) }
GO
(cd "$WORK/orig" && go build -o "$WORK/orig/orig" .)

# padscan's order, as Go source (pointer-byte-only orders included: the
# point is to show that even those keep the atomics apart)
"$PADSCAN" suggest --all --pointer-bytes --format go --rename-prefix Suggested \
	--type main.Counters "$WORK/orig/orig" > "$WORK/suggested.go"
sed -n '/^type SuggestedCounters struct {/,/^}/p' "$WORK/suggested.go" > "$WORK/suggested_type.go"
grep -q SuggestedCounters "$WORK/suggested_type.go" || {
	echo "bench-false-sharing: padscan proposed no order for main.Counters" >&2
	exit 1
}

{
	cat <<'GO'
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

type Counters struct {
	hits   atomic.Int64
	_      [56]byte
	misses atomic.Int64
	_      [56]byte
	mu     sync.Mutex
	name   string
	flag   bool
	n      int64
}

GO
	cat "$WORK/suggested_type.go"
	cat <<'GO'

// run increments a and b from two goroutines, n times each.
func run(a, b *atomic.Int64, n int) time.Duration {
	var wg sync.WaitGroup
	start := time.Now()
	for _, p := range []*atomic.Int64{a, b} {
		wg.Add(1)
		go func(p *atomic.Int64) {
			defer wg.Done()
			for i := 0; i < n; i++ {
				p.Add(1)
			}
		}(p)
	}
	wg.Wait()
	return time.Since(start)
}

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	o := new(Counters)
	s := new(SuggestedCounters)
	// the two atomics of the declared layout, and side by side (what a
	// careless reorder would do): the scale for the suggestion's number
	type packed struct{ a, b atomic.Int64 }
	p := new(packed)
	for _, c := range []struct {
		name       string
		a, b       *atomic.Int64
		gap        uintptr
	}{
		{"declared order", &o.hits, &o.misses, unsafe.Offsetof(o.misses) - unsafe.Offsetof(o.hits)},
		{"padscan's order", &s.hits, &s.misses, unsafe.Offsetof(s.misses) - unsafe.Offsetof(s.hits)},
		{"both in one line (reference)", &p.a, &p.b, unsafe.Offsetof(p.b) - unsafe.Offsetof(p.a)},
	} {
		d := run(c.a, c.b, n)
		fmt.Printf("%-30s hits/misses %3d bytes apart: %6.2f ns per increment\n", c.name, c.gap,
			float64(d.Nanoseconds())/float64(2*n))
	}
}
GO
} > "$WORK/bench/main.go"
(cd "$WORK/bench" && go build -o "$WORK/bench/bench" .)
echo "padscan's order for main.Counters:"
sed 's/^/    /' "$WORK/suggested_type.go"
"$WORK/bench/bench" "$N"
