package fixed

import (
	"math"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// sfMulQuoWide is sfMulQuo as it was before its division was written out:
// the product's three words divided by quoWide (the reference of
// TestSafeFloatMulQuoMatchesWide and FuzzSafeFloatMulQuo).
func sfMulQuoWide(a, b, c u128) u128 {
	h00, p0 := bits.Mul64(a.lo, b.lo)
	h01, l01 := bits.Mul64(a.lo, b.hi)
	h10, l10 := bits.Mul64(a.hi, b.lo)
	p1, c1 := bits.Add64(h00, l01, 0)
	p2 := h01 + c1
	p1, c1 = bits.Add64(p1, l10, 0)
	p2 += h10 + c1 + a.hi*b.hi

	q, _ := quoWide(0, p2, p1, p0, U128(c))
	return u128(q)
}

// sfBig is x as a big.Int.
func sfBig(x u128) *big.Int {
	v := new(big.Int).Lsh(new(big.Int).SetUint64(x.hi), 64)
	return v.Or(v, new(big.Int).SetUint64(x.lo))
}

// checkSfMulQuo compares sfMulQuo(a, b, c) with sfMulQuoWide and with
// math/big's floor(a·b/c), for a, b ≤ 10^21 and 10^20 < c ≤ 10^21.
func checkSfMulQuo(t testing.TB, a, b, c u128) {
	t.Helper()
	got, want := sfMulQuo(a, b, c), sfMulQuoWide(a, b, c)
	if got != want {
		t.Fatalf("sfMulQuo(%v, %v, %v) = %v, quoWide's %v", a, b, c, got, want)
	}
	q := new(big.Int).Mul(sfBig(a), sfBig(b))
	q.Quo(q, sfBig(c))
	if q.Cmp(sfBig(got)) != 0 {
		t.Fatalf("sfMulQuo(%v, %v, %v) = %v, math/big %v", a, b, c, got, q)
	}
}

// sfMantissaIn is a mantissa in [lo, hi] (10^20 < lo ≤ hi ≤ 10^21 or
// lo = 0): an edge of that range or a random value in it.
func sfMantissaIn(r *rand.Rand, lo, hi u128) u128 {
	switch r.IntN(6) {
	case 0:
		return lo
	case 1:
		return hi
	}
	span := new(big.Int).Sub(sfBig(hi), sfBig(lo))
	span.Add(span, big.NewInt(1))
	v := new(big.Int).Mod(sfBig(u128{r.Uint64(), r.Uint64()}), span)
	v.Add(v, sfBig(lo))
	return u128{new(big.Int).Rsh(v, 64).Uint64(), v.Uint64()}
}

// TestSafeFloatMulQuoMatchesWide compares the written-out division with
// quoWide's and math/big: random mantissas over the whole range (a and b
// in [0, 10^21], c normalised), the edges (sfEdgeMantissas within the
// range, 10^20 + 1 and 10^21), and constructed numerators whose quotient's
// low word is all ones or zero with the high word from 0 to 8, so that
// the second step's estimate is capped (its remainder's top word equals
// the divisor's) or exact, and those just beside them.
func TestSafeFloatMulQuoMatchesWide(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 5))
	minC := sfMin.add(u128{0, 1})
	for range 200_000 {
		checkSfMulQuo(t, sfMantissaIn(r, u128{}, sfMax), sfMantissaIn(r, u128{}, sfMax), sfMantissaIn(r, minC, sfMax))
	}
	var ab, cs []u128
	for _, x := range sfEdgeMantissas {
		if !sfLess(sfMax, x) {
			ab = append(ab, x)
			if sfLess(sfMin, x) {
				cs = append(cs, x)
			}
		}
	}
	for _, a := range ab {
		for _, c := range cs {
			checkSfMulQuo(t, a, ab[r.IntN(len(ab))], c)
			checkSfMulQuo(t, a, sfMax, c)
			checkSfMulQuo(t, a, a, c)
		}
	}
	// a·2^64 over c for a = (q1 + 1)·c − 1 − u: the quotient is q1·2^64 +
	// 2^64 − 1 for the small u (u + 1 < c/2^64), and q1·2^64 +
	// floor((c − 1 − u)·2^64/c) around it; a = q1·c + v puts the
	// remainder of the first word at v.
	two64 := u128{1, 0}
	for range 20_000 {
		c := sfMantissaIn(r, minC, sfMax)
		q1 := r.Uint64N(9)
		for _, u := range []uint64{0, 1, 2, 3, r.Uint64N(1 << 20), r.Uint64()} {
			a := new(big.Int).Mul(sfBig(c), new(big.Int).SetUint64(q1+1))
			a.Sub(a, new(big.Int).SetUint64(1+u))
			if a.Sign() >= 0 && a.Cmp(sfBig(sfMax)) <= 0 {
				checkSfMulQuo(t, u128{new(big.Int).Rsh(a, 64).Uint64(), a.Uint64()}, two64, c)
			}
			a = new(big.Int).Mul(sfBig(c), new(big.Int).SetUint64(q1))
			a.Add(a, new(big.Int).SetUint64(u))
			if a.Cmp(sfBig(sfMax)) <= 0 {
				checkSfMulQuo(t, u128{new(big.Int).Rsh(a, 64).Uint64(), a.Uint64()}, two64, c)
			}
		}
	}
}

// TestSafeFloatMulQuoCappedSteps checks quotients whose second word is
// 2^64 − 1, − 2 or − 3 with the largest remainders that leave a·2^64 a
// multiple of 2^64: the second step's top remainder word then equals the
// divisor's, its estimate is capped at 2^64 − 1 and corrected down by up
// to two (div3by2nqCapped), against quoWide's and math/big.
func TestSafeFloatMulQuoCappedSteps(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 7))
	minC := sfMin.add(u128{0, 1})
	two64 := new(big.Int).Lsh(big.NewInt(1), 64)
	for range 4000 {
		c := sfMantissaIn(r, minC, sfMax)
		if r.IntN(2) == 0 {
			c.lo |= 3 << 62 // a large low word: the normalised d0 above d1
		}
		bc := sfBig(c)
		for q1 := uint64(0); q1 < 9; q1++ {
			for _, q0 := range []uint64{math.MaxUint64, math.MaxUint64 - 1, math.MaxUint64 - 2} {
				q := new(big.Int).Lsh(new(big.Int).SetUint64(q1), 64)
				q.Add(q, new(big.Int).SetUint64(q0))
				n := new(big.Int).Mul(q, bc)
				// The largest remainder below c that makes n + rem a
				// multiple of 2^64, and a random one.
				rem := new(big.Int).Mod(new(big.Int).Neg(n), two64)
				k := new(big.Int).Sub(bc, rem)
				k.Sub(k, big.NewInt(1))
				k.Quo(k, two64)
				for _, m := range []*big.Int{k, new(big.Int).Mod(new(big.Int).SetUint64(r.Uint64()), new(big.Int).Add(k, big.NewInt(1)))} {
					v := new(big.Int).Add(rem, new(big.Int).Mul(m, two64))
					a := new(big.Int).Add(n, v)
					a.Rsh(a, 64)
					if a.Cmp(sfBig(sfMax)) <= 0 {
						checkSfMulQuo(t, u128{new(big.Int).Rsh(a, 64).Uint64(), a.Uint64()}, u128{1, 0}, c)
					}
				}
			}
		}
	}
}

func FuzzSafeFloatMulQuo(f *testing.F) {
	f.Add(uint64(54), uint64(0), uint64(54), uint64(0), uint64(5), uint64(1))
	f.Add(uint64(0), uint64(1), uint64(1), uint64(0), uint64(54), ^uint64(0))
	f.Fuzz(func(t *testing.T, ah, al, bh, bl, ch, cl uint64) {
		// Fold each operand into its range: a and b in [0, 10^21], c in
		// (10^20, 10^21].
		a, b, c := sfFold(u128{ah, al}, 0), sfFold(u128{bh, bl}, 0), sfFold(u128{ch, cl}, 1)
		checkSfMulQuo(t, a, b, c)
	})
}

// sfFold maps x into [0, 10^21] (norm 0) or (10^20, 10^21] (norm 1) by
// reduction modulo the range's width.
func sfFold(x u128, norm int) u128 {
	lo := big.NewInt(0)
	if norm == 1 {
		lo = new(big.Int).Add(sfBig(sfMin), big.NewInt(1))
	}
	w := new(big.Int).Sub(sfBig(sfMax), lo)
	w.Add(w, big.NewInt(1))
	v := new(big.Int).Mod(sfBig(x), w)
	v.Add(v, lo)
	return u128{new(big.Int).Rsh(v, 64).Uint64(), v.Uint64()}
}

// TestSafeFloatFromWordMatches compares sfFromWord with sfScaleUp on
// every power of ten and of two and their neighbours, the smallest and
// largest words, and random words of every length.
func TestSafeFloatFromWordMatches(t *testing.T) {
	check := func(n uint64) {
		t.Helper()
		if n == 0 {
			return
		}
		want, ok := sfScaleUp(u128{0, n}, 0)
		if got := sfFromWord(n); !ok || got != want {
			t.Fatalf("sfFromWord(%d) = %v, sfScaleUp's %v (ok %v)", n, got, want, ok)
		}
		if got, want := SafeFloatFromUint64(n), oldSafeFloatFromUint64(n); got != want {
			t.Fatalf("SafeFloatFromUint64(%d) = %v, reference %v", n, got, want)
		}
	}
	for n := uint64(1); n <= 10_000; n++ {
		check(n)
	}
	for k := range pow10U64 {
		p := pow10U64[k]
		for _, d := range []uint64{p - 1, p, p + 1, 2 * p, 9 * p, 10*p - 1} {
			if d/p <= 10 { // below 2^64 (10·10^19 wraps)
				check(d)
			}
		}
	}
	for b := range 64 {
		p := uint64(1) << b
		check(p - 1)
		check(p)
		check(p + 1)
	}
	check(math.MaxUint64)
	r := rand.New(rand.NewPCG(18, 6))
	for range 200_000 {
		check(r.Uint64() >> r.UintN(64))
	}
}

func FuzzSafeFloatFromWord(f *testing.F) {
	f.Add(uint64(1))
	f.Add(uint64(10_000_000_000_000_000_000))
	f.Add(uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, n uint64) {
		if n == 0 {
			return
		}
		want, _ := sfScaleUp(u128{0, n}, 0)
		if got := sfFromWord(n); got != want {
			t.Fatalf("sfFromWord(%d) = %v, sfScaleUp's %v", n, got, want)
		}
	})
}
