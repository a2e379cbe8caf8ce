package units_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/units"
)

// satAddRef is the former SaturatingAdd: the carry tested with a branch.
func satAddRef(x, y uint64) uint64 {
	s := x + y
	if s < x {
		return math.MaxUint64
	}
	return s
}

func checkSatAdd(t testing.TB, x, y uint64) {
	t.Helper()
	want := satAddRef(x, y)
	if got := uint64(units.TAO(x).SaturatingAdd(units.TAO(y))); got != want {
		t.Fatalf("TAO(%d).SaturatingAdd(%d) = %d, want %d", x, y, got, want)
	}
	if got := uint64(units.Alpha(x).SaturatingAdd(units.Alpha(y))); got != want {
		t.Fatalf("Alpha(%d).SaturatingAdd(%d) = %d, want %d", x, y, got, want)
	}
}

// The branch-free SaturatingAdd against the branching one at the edges
// (0, 1, the sum at 2^64 - 1, 2^64 and past it) and on random words.
func TestSaturatingAddMatchesBranching(t *testing.T) {
	edges := []uint64{0, 1, 2, 1 << 63, math.MaxUint64 - 1, math.MaxUint64}
	for _, x := range edges {
		for _, y := range edges {
			checkSatAdd(t, x, y)
			checkSatAdd(t, x, math.MaxUint64-x)
			checkSatAdd(t, x, math.MaxUint64-x+1)
		}
	}
	rng := rand.New(rand.NewPCG(14, 99))
	for range 100_000 {
		checkSatAdd(t, rng.Uint64(), rng.Uint64()>>rng.IntN(64))
	}
}

func FuzzSaturatingAdd(f *testing.F) {
	f.Add(uint64(math.MaxUint64), uint64(1))
	f.Add(uint64(1<<63), uint64(1<<63-1))
	f.Fuzz(func(t *testing.T, x, y uint64) { checkSatAdd(t, x, y) })
}
