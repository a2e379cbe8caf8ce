package fixed

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestU64F64MulRatiosOneWordBounds compares U64F64MulRatios with its
// composition (checkU64F64MulRatios) at the bounds of its one-word case (a = 2b − 1 and 2b, the
// weight ratio's integer part 1 and 2; c = d − 1 and d, the price's 0
// and 1; a = b, ratios of exactly 1; zero divisors; the words'
// extremes, where x.hi·y.lo + the high product word carries into the
// top word), then pools' weights near and far from 1/2 with reserves of
// every size, and random words.
func TestU64F64MulRatiosOneWordBounds(t *testing.T) {
	bs := []uint64{0, 1, 2, 3, 1e9, PerquintillAccuracy / 2, 1<<63 - 1, 1 << 63, math.MaxUint64}
	for _, b := range bs {
		as := []uint64{0, 1, b - 1, b, b + 1, 2*b - 1, 2 * b, 2*b + 1, math.MaxUint64}
		for _, d := range bs {
			cs := []uint64{0, 1, d / 2, d - 1, d, d + 1, math.MaxUint64}
			for _, a := range as {
				for _, c := range cs {
					checkU64F64MulRatios(t, a, b, c, d)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(19, 43))
	for range 200_000 {
		w2 := PerquintillAccuracy/2 + rng.Uint64N(1<<(rng.IntN(58)+1)) - 1<<rng.IntN(58)
		w2 = min(w2, PerquintillAccuracy)
		y, x := rng.Uint64()>>rng.IntN(64), rng.Uint64()>>rng.IntN(64)
		checkU64F64MulRatios(t, PerquintillAccuracy-w2, w2, y, x)
		checkU64F64MulRatios(t, w2, PerquintillAccuracy-w2, y, x)
		b := rng.Uint64() >> rng.IntN(65)
		checkU64F64MulRatios(t, b+rng.Uint64N(b|1), b, ^uint64(0)-rng.Uint64N(1<<20), ^uint64(0))
		checkU64F64MulRatios(t, rng.Uint64()>>rng.IntN(65), rng.Uint64()>>rng.IntN(65), rng.Uint64()>>rng.IntN(65), rng.Uint64()>>rng.IntN(65))
	}
}

func FuzzU64F64MulRatiosOneWord(f *testing.F) {
	f.Add(uint64(PerquintillAccuracy/2+7), uint64(PerquintillAccuracy/2-7), uint64(4e14), uint64(1.5e15))
	f.Add(uint64(math.MaxUint64), uint64(1<<63), uint64(math.MaxUint64-1), uint64(math.MaxUint64))
	f.Add(uint64(5), uint64(3), uint64(0), uint64(3))
	f.Fuzz(func(t *testing.T, a, b, c, d uint64) {
		checkU64F64MulRatios(t, a, b, c, d)
		// The new case's operands: a below 2b, c below d.
		if b != 0 && d != 0 {
			checkU64F64MulRatios(t, b+a%b, b, c%d, d)
		}
	})
}
