package bigpow

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/holiman/uint256"

	"github.com/dtao-go/dtao/fixed"
)

func checkAtanhArg(t *testing.T, bn, bd *uint256.Int) {
	t.Helper()
	gz, gneg, gk := atanhArg128(fixed.U128FromBits(bn[1], bn[0]), fixed.U128FromBits(bd[1], bd[0]))
	wz, wneg, wk := atanhArg256(bn, bd)
	if gz != wz || gneg != wneg || gk != wk {
		t.Fatalf("atanhArg(%v, %v): 128-bit %v %v %d, uint256 %v %v %d", bn, bd, gz, gneg, gk, wz, wneg, wk)
	}
}

// atanhArg128 is atanhArg256 on its whole domain, bases in [1, 2^126):
// random bit lengths (so that every shift of the normalisation occurs),
// ratios near 3/4, 3/2 and 1, and the extremes.
func TestAtanhArg128MatchesUint256(t *testing.T) {
	const top = 1<<62 - 1 // high word of 2^126 − 1
	edges := []uint256.Int{
		{1}, {2}, {3}, {4}, {math.MaxUint64}, {0, 1}, {math.MaxUint64, top}, {0, 1 << 61},
		{1e18}, {3e18, 1}, {4e18, 1},
	}
	for i := range edges {
		for j := range edges {
			checkAtanhArg(t, &edges[i], &edges[j])
		}
	}
	rng := rand.New(rand.NewPCG(14, 10))
	rnd := func() uint256.Int {
		n := 1 + rng.IntN(126)
		var v uint256.Int
		v[0], v[1] = rng.Uint64(), rng.Uint64()
		v.Rsh(&v, uint(128-n))
		var one uint256.Int
		one.Lsh(uint256.NewInt(1), uint(n-1))
		v.Or(&v, &one)
		return v
	}
	for range 200_000 {
		a, b := rnd(), rnd()
		checkAtanhArg(t, &a, &b)
		// b·3/4, b·3/2 and b ± small: the boundaries of the normalisation.
		var c uint256.Int
		for _, num := range []uint64{3, 6} {
			c.Mul(&b, uint256.NewInt(num))
			c.Rsh(&c, 2)
			if !c.IsZero() && c[1]>>62 == 0 {
				for _, d := range []int64{-1, 0, 1} {
					e := c
					if d < 0 {
						e.SubUint64(&e, 1)
					} else {
						e.AddUint64(&e, uint64(d))
					}
					if !e.IsZero() && e[1]>>62 == 0 {
						checkAtanhArg(t, &e, &b)
					}
				}
			}
		}
		c.AddUint64(&b, rng.Uint64N(1000))
		if c[1]>>62 == 0 {
			checkAtanhArg(t, &b, &c)
		}
	}
}

func FuzzAtanhArg128(f *testing.F) {
	f.Add(uint64(1e15), uint64(0), uint64(1e15+1e9), uint64(0))
	f.Fuzz(func(t *testing.T, nl, nh, dl, dh uint64) {
		bn, bd := uint256.Int{nl, nh >> 2}, uint256.Int{dl, dh >> 2}
		if bn.IsZero() || bd.IsZero() {
			return
		}
		checkAtanhArg(t, &bn, &bd)
	})
}
