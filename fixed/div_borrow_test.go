package fixed

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The reference for U96F32Divisor.Divide's final correction by borrow3:
// the word-by-word comparison it replaces.

// above3Branchy is Divide's former test (p2, p1, p0) > (n2, n1, n0).
func above3Branchy(n2, n1, n0, p2, p1, p0 uint64) bool {
	return p2 > n2 || p2 == n2 && (p1 > n1 || p1 == n1 && p0 > n0)
}

// borrowEdgeWords are the words where the comparisons tie or flip.
var borrowEdgeWords = []uint64{0, 1, 2, 1 << 31, 1 << 32, 1<<32 + 1, 1 << 63, 1<<63 + 1, math.MaxUint64 - 1, math.MaxUint64}

func checkBorrow3(t *testing.T, n2, n1, n0, p2, p1, p0 uint64) {
	t.Helper()
	want := uint64(0)
	if above3Branchy(n2, n1, n0, p2, p1, p0) {
		want = 1
	}
	if got := borrow3(n2, n1, n0, p2, p1, p0); got != want {
		t.Fatalf("borrow3(%d, %d, %d, %d, %d, %d) = %d, reference %d", n2, n1, n0, p2, p1, p0, got, want)
	}
}

// TestBorrow3MatchesComparison compares borrow3 with the comparison on
// every combination of edge words, on ties in the high words, and on
// random words.
func TestBorrow3MatchesComparison(t *testing.T) {
	e := borrowEdgeWords
	for _, a := range e {
		for _, b := range e {
			for _, c := range e {
				for _, d := range e {
					checkBorrow3(t, a, b, c, a, d, c)
					checkBorrow3(t, a, b, c, d, b, c)
					checkBorrow3(t, a, b, c, a, b, d)
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(19, 31))
	for range 500_000 {
		n2, n1, n0 := r.Uint64(), r.Uint64(), r.Uint64()
		checkBorrow3(t, n2, n1, n0, r.Uint64(), r.Uint64(), r.Uint64())
		checkBorrow3(t, n2, n1, n0, n2, r.Uint64(), r.Uint64())
		checkBorrow3(t, n2, n1, n0, n2, n1, r.Uint64())
		checkBorrow3(t, n2, n1, n0, n2, n1, n0)
		checkBorrow3(t, n2, n1, n0, n2, n1, n0+1)
		checkBorrow3(t, n2, n1, n0, n2, n1, n0-1)
	}
}

func FuzzBorrow3(f *testing.F) {
	f.Add(uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0))
	f.Add(uint64(1), uint64(math.MaxUint64), uint64(0), uint64(1), uint64(math.MaxUint64), uint64(1))
	f.Add(uint64(math.MaxUint64), uint64(1<<63), uint64(5), uint64(math.MaxUint64), uint64(1<<63), uint64(5))
	f.Fuzz(func(t *testing.T, a, b, c, d, e, g uint64) {
		checkBorrow3(t, a, b, c, d, e, g)
		checkBorrow3(t, a, b, c, a, e, g)
		checkBorrow3(t, a, b, c, a, b, g)
	})
}
