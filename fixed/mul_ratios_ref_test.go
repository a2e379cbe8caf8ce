package fixed

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// u64F64MulRatiosPrev is U64F64MulRatios without its case for a price
// below 1 and a weight ratio below 2 (the four word products whatever
// the quotients). It is the reference of TestU64F64MulRatiosMatchesPrev
// and FuzzU64F64MulRatiosPrev.
func u64F64MulRatiosPrev(a, b, c, d uint64) U64F64 {
	x, y := U64F64FromRatio(a, b), U64F64FromRatio(c, d)
	// mulSatU64F64: bits 64..191 of the 256-bit product, saturated.
	h0, _ := bits.Mul64(x.lo, y.lo)
	h1, l1 := bits.Mul64(x.lo, y.hi)
	h2, l2 := bits.Mul64(x.hi, y.lo)
	h3, l3 := bits.Mul64(x.hi, y.hi)
	w1, c0 := bits.Add64(h0, l1, 0)
	w1, c2 := bits.Add64(w1, l2, 0)
	w2, c3 := bits.Add64(h1, h2, c0)
	w2, c4 := bits.Add64(w2, l3, c2)
	if h3|c3|c4 != 0 {
		return U64F64{^uint64(0), ^uint64(0)}
	}
	return U64F64{w2, w1}
}

func checkU64F64MulRatiosPrev(t testing.TB, a, b, c, d uint64) {
	t.Helper()
	if got, want := U64F64MulRatios(a, b, c, d), u64F64MulRatiosPrev(a, b, c, d); got != want {
		t.Fatalf("U64F64MulRatios(%d, %d, %d, %d) = %v, previous %v", a, b, c, d, got.BitsString(), want.BitsString())
	}
}

// TestU64F64MulRatiosMatchesPrev compares U64F64MulRatios with its
// previous version at the bounds of the new case (a = 2b − 1 and 2b, the
// weight ratio's integer part 1 and 2; c = d − 1 and d, the price's 0
// and 1; a = b, ratios of exactly 1; zero divisors; the words'
// extremes, where x.hi·y.lo + the high product word carries into the
// top word), then pools' weights near and far from 1/2 with reserves of
// every size, and random words.
func TestU64F64MulRatiosMatchesPrev(t *testing.T) {
	bs := []uint64{0, 1, 2, 3, 1e9, PerquintillAccuracy / 2, 1<<63 - 1, 1 << 63, math.MaxUint64}
	for _, b := range bs {
		as := []uint64{0, 1, b - 1, b, b + 1, 2*b - 1, 2 * b, 2*b + 1, math.MaxUint64}
		for _, d := range bs {
			cs := []uint64{0, 1, d / 2, d - 1, d, d + 1, math.MaxUint64}
			for _, a := range as {
				for _, c := range cs {
					checkU64F64MulRatiosPrev(t, a, b, c, d)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(19, 43))
	for range 200_000 {
		w2 := PerquintillAccuracy/2 + rng.Uint64N(1<<(rng.IntN(58)+1)) - 1<<rng.IntN(58)
		w2 = min(w2, PerquintillAccuracy)
		y, x := rng.Uint64()>>rng.IntN(64), rng.Uint64()>>rng.IntN(64)
		checkU64F64MulRatiosPrev(t, PerquintillAccuracy-w2, w2, y, x)
		checkU64F64MulRatiosPrev(t, w2, PerquintillAccuracy-w2, y, x)
		b := rng.Uint64() >> rng.IntN(65)
		checkU64F64MulRatiosPrev(t, b+rng.Uint64N(b|1), b, ^uint64(0)-rng.Uint64N(1<<20), ^uint64(0))
		checkU64F64MulRatiosPrev(t, rng.Uint64()>>rng.IntN(65), rng.Uint64()>>rng.IntN(65), rng.Uint64()>>rng.IntN(65), rng.Uint64()>>rng.IntN(65))
	}
}

func FuzzU64F64MulRatiosPrev(f *testing.F) {
	f.Add(uint64(PerquintillAccuracy/2+7), uint64(PerquintillAccuracy/2-7), uint64(4e14), uint64(1.5e15))
	f.Add(uint64(math.MaxUint64), uint64(1<<63), uint64(math.MaxUint64-1), uint64(math.MaxUint64))
	f.Add(uint64(5), uint64(3), uint64(0), uint64(3))
	f.Fuzz(func(t *testing.T, a, b, c, d uint64) {
		checkU64F64MulRatiosPrev(t, a, b, c, d)
		// The new case's operands: a below 2b, c below d.
		if b != 0 && d != 0 {
			checkU64F64MulRatiosPrev(t, b+a%b, b, c%d, d)
		}
	})
}
