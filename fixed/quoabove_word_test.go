package fixed

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestQuoAboveOneWordMatches covers QuoAbove's path for a one-word
// divisor and cap (the coinbase's shape: both amounts in rao), against
// CheckedDiv and Less: caps at the quotient and one either side (and
// the largest word, whose successor is two words), quotients at and
// beyond a word and at the overflow edge, random dividends of every
// length.
func TestQuoAboveOneWordMatches(t *testing.T) {
	const m = math.MaxUint64
	ys := []uint64{1, 2, 3, 1 << 32, 1<<32 + 1, 1e9, 1e18, m - 1, m}
	xs := []U96F32{{0, 0}, {0, 1}, {0, m}, {1, 0}, {m >> 32, m}, {m>>32 + 1, 0}, {m, m}, {1 << 31, 5}}
	cs := []uint64{0, 1, 2, 1e9, m - 1, m}
	for _, x := range xs {
		for _, y := range ys {
			for _, c := range cs {
				checkQuoAbove(t, x, U96F32{0, y}, U96F32{0, c})
			}
		}
	}
	rng := rand.New(rand.NewPCG(19, 23))
	word := func() uint64 { return rng.Uint64() >> uint(rng.IntN(65)) }
	n := 500_000
	if testing.Short() {
		n = 50_000
	}
	for range n {
		x, y := U96F32{word(), rng.Uint64()}, U96F32{0, word()}
		c := U96F32{0, word()}
		if q, ok := x.CheckedDiv(y); ok && q.hi == 0 {
			c = q
		}
		for _, d := range []uint64{0, 1, m} { // c, c+1, c−1 (wrapping in the word)
			checkQuoAbove(t, x, y, U96F32{0, c.lo + d})
		}
	}
}
