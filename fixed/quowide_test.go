package fixed

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// quoWideRef is quoWide as it was before the shared normalisation, the
// reference for its two-word path: for a two-word divisor, the high
// quotient word and remainder from div3by2 (each step normalising on its
// own and returning an unscaled remainder), then the low word from
// div3by2 again.
func quoWideRef(n3, n2, n1, n0 uint64, y U128) (U128, bool) {
	if y.hi == 0 {
		d := y.lo
		if d == 0 || n3 != 0 || n2 >= d {
			return U128{}, false
		}
		n := new(big.Int).Lsh(bigOfU128(U128{n2, n1}), 64)
		n.Or(n, new(big.Int).SetUint64(n0))
		n.Quo(n, new(big.Int).SetUint64(d))
		return U128{new(big.Int).Rsh(n, 64).Uint64(), n.Uint64()}, true
	}
	if n3 > y.hi || n3 == y.hi && n2 >= y.lo {
		return U128{}, false
	}
	q1, r1, r0 := div3by2(n3, n2, n1, y.hi, y.lo)
	q0, _, _ := div3by2(r1, r0, n0, y.hi, y.lo)
	return U128{q1, q0}, true
}

// checkQuoWide compares quoWide with quoWideRef and math/big.
func checkQuoWide(t testing.TB, n3, n2, n1, n0 uint64, y U128) {
	t.Helper()
	got, ok := quoWide(n3, n2, n1, n0, y)
	want, wok := quoWideRef(n3, n2, n1, n0, y)
	if got != want || ok != wok {
		t.Fatalf("quoWide(%x:%x:%x:%x / %v) = %v, %v; reference %v, %v", n3, n2, n1, n0, y, got, ok, want, wok)
	}
	if !ok {
		return
	}
	n := new(big.Int).Lsh(bigOfU128(U128{n3, n2}), 128)
	n.Or(n, new(big.Int).Lsh(bigOfU128(U128{n1, n0}), 0))
	n.Quo(n, bigOfU128(y))
	if n.Cmp(bigOfU128(got)) != 0 {
		t.Fatalf("quoWide(%x:%x:%x:%x / %v) = %v; math/big %v", n3, n2, n1, n0, y, got, n)
	}
}

// wordsOf returns the four low words of n ≥ 0.
func wordsOf(n *big.Int) (w [4]uint64) {
	for i := range w {
		w[i] = new(big.Int).Rsh(n, uint(64*i)).Uint64()
	}
	return w
}

// quoWide's two-word path against the reference: edge words (zero, one,
// all ones, powers of two, divisors normalised by shifts 0 and 63), random
// numerators, and numerators q·d + r just below and at the next multiple
// (r in {0, 1, d − 1}) for quotients of one and two words, where each
// Knuth step needs its corrections.
func TestQuoWideMatchesReference(t *testing.T) {
	edges := []uint64{0, 1, 2, 1 << 32, 1<<63 - 1, 1 << 63, 1<<63 + 1, math.MaxUint64 - 1, math.MaxUint64}
	for _, d1 := range edges {
		for _, d0 := range edges {
			y := U128{d1, d0}
			for _, n3 := range []uint64{0, 1, d1 - 1, d1} {
				for _, n2 := range edges {
					for _, n1 := range edges {
						for _, n0 := range []uint64{0, 1, math.MaxUint64} {
							checkQuoWide(t, n3, n2, n1, n0, y)
						}
					}
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(14, 31))
	for range 100_000 {
		y := randU128(rng)
		switch rng.IntN(4) {
		case 0:
			y.hi = 1 // shift 63
		case 1:
			y.hi |= 1 << 63 // shift 0
		}
		if y.IsZero() {
			y.lo = 1
		}
		checkQuoWide(t, randU128(rng).hi>>uint(rng.IntN(64)), randU128(rng).lo, rng.Uint64(), rng.Uint64(), y)
		q := randU128(rng)
		for _, r := range []U128{{}, {0, 1}, y.Sub(U128{0, 1})} {
			n := new(big.Int).Mul(bigOfU128(y), bigOfU128(q))
			n.Add(n, bigOfU128(r))
			if n.BitLen() > 256 {
				continue
			}
			w := wordsOf(n)
			checkQuoWide(t, w[3], w[2], w[1], w[0], y)
		}
	}
}

func FuzzQuoWide(f *testing.F) {
	f.Add(uint64(0), uint64(0), uint64(0), uint64(0), uint64(1), uint64(0))
	f.Add(uint64(0), uint64(1<<63), ^uint64(0), uint64(0), uint64(1<<63), ^uint64(0))
	f.Add(uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), uint64(1), uint64(0))
	f.Fuzz(func(t *testing.T, n3, n2, n1, n0, d1, d0 uint64) {
		checkQuoWide(t, n3, n2, n1, n0, U128{d1, d0})
	})
}

// U64F64Divisor.Divide against math/big directly (floor(x·2^64/d), ok
// when d != 0 and the quotient is below 2^128), on divisors whose
// normalising shift is every value from 0 to 63 in each word (one-word
// divisors d < 2^64 and two-word ones), with numerators just below the
// divisor, the divisor shifted down, zero, and above the divisor.
func TestU64F64DivisorAgainstBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 33))
	check := func(x, d U64F64) {
		t.Helper()
		r := NewU64F64Divisor(d)
		got, ok := r.Divide(x)
		var want U128
		wok := !d.IsZero()
		if wok {
			n := new(big.Int).Lsh(bigOfU128(U128(x)), 64)
			n.Quo(n, bigOfU128(U128(d)))
			if wok = n.BitLen() <= 128; wok {
				w := wordsOf(n)
				want = U128{w[1], w[0]}
			}
		}
		if U128(got) != want || ok != wok {
			t.Fatalf("NewU64F64Divisor(%v).Divide(%v) = %v, %v; math/big %v, %v", d, x, got, ok, want, wok)
		}
	}
	for s := range 64 {
		for range 300 {
			top := uint64(1)<<(63-s) | rng.Uint64()>>(s+1)
			for _, d := range []U64F64{{0, top}, {top, rng.Uint64()}, {top, 0}} {
				below := U64F64(U128(d).Sub(U128{0, 1 + rng.Uint64N(3)}))
				for _, x := range []U64F64{{}, {0, 1}, below, U64F64(rshU128(U128(d), uint(rng.IntN(128)))), d, U64F64(U128(d).Add(U128{0, 1}))} {
					check(x, d)
				}
			}
		}
	}
}
