package fixed

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/holiman/uint256"
	"pgregory.net/rapid"
)

// Differential tests: the fast SafeFloat (safefloat.go) against the
// one-digit-per-step 256-bit reference (safefloat_ref_test.go), bit for bit
// on every exported operation, on random and constructed operands.

// sfEdgeMantissas are mantissas around every boundary the fast path
// decides on: powers of ten ±1 and ±9, the normalised range's ends, and
// u64 and word edges.
var sfEdgeMantissas = func() (out []u128) {
	add := func(v *big.Int) {
		if v.Sign() < 0 || v.BitLen() > 128 {
			return
		}
		lo := new(big.Int).And(v, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
		out = append(out, u128{new(big.Int).Rsh(v, 64).Uint64(), lo})
	}
	for k := int64(0); k <= 38; k++ {
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(k), nil)
		for _, d := range []int64{-10, -9, -2, -1, 0, 1, 2, 9, 10, 11} {
			add(new(big.Int).Add(p, big.NewInt(d)))
		}
		for _, m := range []int64{2, 5, 9} {
			add(new(big.Int).Mul(p, big.NewInt(m)))
		}
	}
	for b := uint(1); b <= 128; b++ {
		p := new(big.Int).Lsh(big.NewInt(1), b)
		add(new(big.Int).Sub(p, big.NewInt(1)))
		add(new(big.Int).Rsh(p, 1))
	}
	// 10^21 + k·10^j: the sums and quotients the down step rounds onto
	// 10^21 or 10^20.
	for j := int64(0); j <= 17; j++ {
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(21+j), nil)
		for _, k := range []int64{1, 9, 10, 11, 99, 100} {
			q := new(big.Int).Exp(big.NewInt(10), big.NewInt(j), nil)
			add(new(big.Int).Add(p, q.Mul(q, big.NewInt(k))))
		}
	}
	return out
}()

var sfEdgeExponents = []int64{
	0, 1, -1, 2, -2, 19, -19, 20, -20, 21, -21, 22, -22, 23, -23, 40, -40,
	math.MaxInt64, math.MaxInt64 - 1, math.MaxInt64 - 2, math.MaxInt64 - 17,
	math.MaxInt64 - 20, math.MaxInt64 - 21, math.MaxInt64 - 22, math.MaxInt64 - 40,
	math.MinInt64, math.MinInt64 + 1, math.MinInt64 + 2, math.MinInt64 + 20,
	math.MinInt64 + 21, math.MinInt64 + 22, math.MinInt64 + 40,
	math.MaxInt64 / 2, math.MinInt64 / 2,
}

// sfRandU128 draws a value of a random bit length, or a boundary value.
func sfRandU128(r *rand.Rand) u128 {
	if r.IntN(4) == 0 {
		return sfEdgeMantissas[r.IntN(len(sfEdgeMantissas))]
	}
	b := r.UintN(129)
	x := u128{r.Uint64(), r.Uint64()}
	switch {
	case b == 0:
		return u128{}
	case b <= 64:
		return u128{0, x.lo >> (64 - b)}
	}
	return u128{x.hi >> (128 - b), x.lo}
}

// sfRandExp draws an exponent: small, an edge, near another exponent, or
// any.
func sfRandExp(r *rand.Rand, near int64) int64 {
	switch r.IntN(5) {
	case 0:
		return sfEdgeExponents[r.IntN(len(sfEdgeExponents))]
	case 1:
		return near + r.Int64N(51) - 25
	case 2:
		return int64(r.Uint64())
	}
	return r.Int64N(101) - 50
}

// sfRandValue draws a SafeFloat: zero, a u64, a normalised mantissa near a
// boundary or anywhere in (10^20, 10^21], with an exponent from
// sfRandExp.
func sfRandValue(r *rand.Rand, near int64) SafeFloat {
	switch r.IntN(8) {
	case 0:
		return SafeFloat{}
	case 1, 2:
		return SafeFloatFromUint64(r.Uint64() >> r.UintN(64))
	case 3:
		m := sfEdgeMantissas[r.IntN(len(sfEdgeMantissas))]
		if x, ok := NewSafeFloat(m.hi, m.lo, sfRandExp(r, near)); ok {
			return x
		}
	}
	// 10^20 + 1 + (a draw below 9·10^20), as three 64-bit-ish pieces.
	span := u128{48, 14215716317313351680} // 9·10^20
	v := u128{r.Uint64N(span.hi + 1), r.Uint64()}
	if !sfLess(v, span) {
		v = v.sub(span)
	}
	x, _ := SafeFloatFromParts(sfMin.add(v).add(u128{0, 1}).hi, sfMin.add(v).add(u128{0, 1}).lo, sfRandExp(r, near))
	return x
}

func sfSame(t fataler, op string, got SafeFloat, gotOK bool, want SafeFloat, wantOK bool) {
	t.Helper()
	if got != want || gotOK != wantOK {
		t.Fatalf("%s = %+v, %v; reference %+v, %v", op, got, gotOK, want, wantOK)
	}
}

// sfCheckAll compares every exported operation on a, b, c and n.
func sfCheckAll(t fataler, a, b, c SafeFloat, n uint64, hi, lo uint64) {
	t.Helper()
	g, ok := a.Add(b)
	w, wok := oldAdd(a, b)
	sfSame(t, "Add", g, ok, w, wok)
	g, ok = a.Sub(b)
	w, wok = oldSub(a, b)
	sfSame(t, "Sub", g, ok, w, wok)
	g, ok = a.MulDiv(b, c)
	w, wok = oldMulDiv(a, b, c)
	sfSame(t, "MulDiv", g, ok, w, wok)
	g, ok = a.Div(b)
	w, wok = oldDiv(a, b)
	sfSame(t, "Div", g, ok, w, wok)
	if gu, wu := a.ToUint64(), oldToUint64(a); gu != wu {
		t.Fatalf("ToUint64(%+v) = %d, reference %d", a, gu, wu)
	}
	sfSame(t, "FromUint64", SafeFloatFromUint64(n), true, oldSafeFloatFromUint64(n), true)
	sfSame(t, "FromU64F64", SafeFloatFromU64F64(U64F64FromBits(hi, lo)), true, oldSafeFloatFromU64F64(U64F64FromBits(hi, lo)), true)
	g, ok = NewSafeFloat(hi>>57, lo, a.e)
	w, wok = oldNewSafeFloat(hi>>57, lo, a.e)
	sfSame(t, "NewSafeFloat", g, ok, w, wok)
	g, ok = SafeFloatFromParts(hi>>57, lo, b.e)
	w, wok = oldSafeFloatFromParts(hi>>57, lo, b.e)
	sfSame(t, "SafeFloatFromParts", g, ok, w, wok)
}

// TestSafeFloatFastMatchesOld runs half a million random operand sets
// (4.7 million comparisons; a sixteenth with -short) through every
// operation.
func TestSafeFloatFastMatchesOld(t *testing.T) {
	n := 1 << 19
	if testing.Short() {
		n = 1 << 15
	}
	r := rand.New(rand.NewPCG(2026, 14))
	for range n {
		a := sfRandValue(r, 0)
		b := sfRandValue(r, a.e)
		c := sfRandValue(r, a.e)
		sfCheckAll(t, a, b, c, r.Uint64()>>r.UintN(64), r.Uint64()>>r.UintN(64), r.Uint64()>>r.UintN(64))
	}
}

// TestSafeFloatNormalizeMatchesOld compares the one-step normalisation with
// the loop on every 128-bit magnitude and boundary, at every edge exponent.
func TestSafeFloatNormalizeMatchesOld(t *testing.T) {
	check := func(x u128, e int64) {
		g, ok := safeFloatNormalize(x, e)
		m := uint256.Int{x.lo, x.hi}
		w, wok := oldSafeFloatNormalize(&m, e)
		if g != w || ok != wok {
			t.Fatalf("normalize(%v, %d) = %+v, %v; reference %+v, %v", x, e, g, ok, w, wok)
		}
	}
	for _, x := range sfEdgeMantissas {
		for _, e := range sfEdgeExponents {
			check(x, e)
		}
	}
	r := rand.New(rand.NewPCG(7, 21))
	for range 1 << 18 {
		check(sfRandU128(r), sfRandExp(r, 0))
	}
}

// TestSafeFloatDigits checks the bit-length table and its correction
// against the decimal strings, at every power of two and ten ±1.
func TestSafeFloatDigits(t *testing.T) {
	for _, x := range sfEdgeMantissas {
		if x.isZero() {
			continue
		}
		v := new(big.Int).Lsh(new(big.Int).SetUint64(x.hi), 64)
		v.Or(v, new(big.Int).SetUint64(x.lo))
		if g, w := sfDigits(x), len(v.String()); g != w {
			t.Fatalf("sfDigits(%v) = %d, want %d", v, g, w)
		}
	}
}

// TestSafeFloatMulQuoExtremes checks the two-word long division at the
// ends of its range against uint256: the largest and smallest products
// over the largest and smallest divisors.
func TestSafeFloatMulQuoExtremes(t *testing.T) {
	ms := []u128{sfMax, sfMax.sub(u128{0, 1}), sfMin.add(u128{0, 1}), sfMin.add(u128{0, 2}),
		{54, math.MaxUint64 >> 1}, {32, 0}, {5, math.MaxUint64}, {6, 0}}
	for _, a := range ms {
		for _, b := range ms {
			for _, c := range ms {
				x, y, z := uint256.Int{a.lo, a.hi}, uint256.Int{b.lo, b.hi}, uint256.Int{c.lo, c.hi}
				x.Mul(&x, &y)
				x.Div(&x, &z)
				if g := sfMulQuo(a, b, c); g != (u128{x[1], x[0]}) {
					t.Fatalf("sfMulQuo(%v, %v, %v) = %v, want %v", a, b, c, g, x.Hex())
				}
			}
		}
	}
}

// TestSafeFloatDiv3by2 checks div3by2nq, the normalised 3-by-2 word step
// of SafeFloat's MulDiv and Div (through quoWide), and div3by2, its
// reference, against math/big, including the estimate's clamp (u2 = d1)
// and its corrections.
func TestSafeFloatDiv3by2(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 9))
	w := func(v uint64) *big.Int { return new(big.Int).SetUint64(v) }
	for i := range 1 << 16 {
		d1, d0 := r.Uint64()|1<<63, r.Uint64()
		var u2, u1, u0 uint64
		switch i % 4 {
		case 0: // u2 = d1, u1 < d0: the estimate is clamped to 2^64 − 1
			if d0 == 0 {
				d0 = 1
			}
			u2, u1, u0 = d1, r.Uint64N(d0), r.Uint64()
		case 1: // just below the divisor's multiple: corrections run
			u2, u1, u0 = d1-1, d0, r.Uint64()&0xff
		default:
			u2, u1, u0 = r.Uint64N(d1), r.Uint64(), r.Uint64()
		}
		q, r1, r0 := div3by2(u2, u1, u0, d1, d0)
		u := new(big.Int).Lsh(w(u2), 128)
		u.Or(u, new(big.Int).Lsh(w(u1), 64)).Or(u, w(u0))
		d := new(big.Int).Lsh(w(d1), 64)
		d.Or(d, w(d0))
		wq, wr := new(big.Int).QuoRem(u, d, new(big.Int))
		gr := new(big.Int).Lsh(w(r1), 64)
		gr.Or(gr, w(r0))
		if !wq.IsUint64() || wq.Uint64() != q || gr.Cmp(wr) != 0 {
			t.Fatalf("div3by2(%x:%x:%x / %x:%x) = %x rem %v, want %v rem %v", u2, u1, u0, d1, d0, q, gr, wq, wr)
		}
		if g := div3by2nq(u2, u1, u0, d1, d0); g != q {
			t.Fatalf("div3by2nq(%x:%x:%x / %x:%x) = %x, want %v", u2, u1, u0, d1, d0, g, wq)
		}
	}
}

// TestSafeFloatEdgesMatchOld runs every pair of edge values through every
// operation.
func TestSafeFloatEdgesMatchOld(t *testing.T) {
	var vals []SafeFloat
	for _, m := range sfEdgeMantissas {
		for _, e := range sfEdgeExponents {
			if x, ok := NewSafeFloat(m.hi, m.lo, e); ok && len(vals) < 4000 {
				vals = append(vals, x)
			}
		}
	}
	vals = append(vals, SafeFloat{})
	r := rand.New(rand.NewPCG(3, 3))
	for _, a := range vals {
		for range 12 {
			b := vals[r.IntN(len(vals))]
			c := vals[r.IntN(len(vals))]
			sfCheckAll(t, a, b, c, r.Uint64()>>r.UintN(64), r.Uint64(), r.Uint64()>>r.UintN(64))
		}
	}
}

// drawSFValue draws a SafeFloat for rapid, shrinking toward small values.
func drawSFValue(t *rapid.T, label string, near int64) SafeFloat {
	seed := rapid.Uint64().Draw(t, label)
	return sfRandValue(rand.New(rand.NewPCG(seed, uint64(near))), near)
}

func TestSafeFloatFastMatchesOldRapid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := drawSafeFloat(t, "a")
		b := drawSFValue(t, "b", a.e)
		c := drawSFValue(t, "c", b.e)
		n := rapid.Uint64().Draw(t, "n")
		hi, lo := rapid.Uint64().Draw(t, "hi"), rapid.Uint64().Draw(t, "lo")
		sfCheckAll(t, a, b, c, n, hi, lo)
		sfCheckAll(t, b, a, c, lo, n, hi)
	})
}

// FuzzSafeFloatFastVsOld compares every exported operation of the fast
// SafeFloat with the reference on operands built from the fuzzer's words:
// NewSafeFloat of a mantissa below 2^70 (normalised, or refused), and the
// same words through SafeFloatFromParts, From<u64> and From<U64F64>.
func FuzzSafeFloatFastVsOld(f *testing.F) {
	f.Add(uint64(54), uint64(3875820019684212736), int64(0), uint64(5), uint64(7766279631452241921), int64(-3), uint64(5), uint64(1), int64(22), uint64(7))
	f.Add(uint64(0), uint64(10), int64(math.MaxInt64), uint64(0), uint64(1), int64(math.MinInt64), uint64(0), uint64(3), int64(0), uint64(0))
	f.Add(uint64(54), uint64(3875820019684212745), int64(-1), uint64(5), uint64(7766279631452241920), int64(-20), uint64(54), uint64(0), int64(math.MaxInt64-21), uint64(1)<<63)
	f.Fuzz(func(t *testing.T, ahi, alo uint64, ae int64, bhi, blo uint64, be int64, chi, clo uint64, ce int64, n uint64) {
		mk := func(hi, lo uint64, e int64) SafeFloat {
			x, ok := NewSafeFloat(hi&63, lo, e)
			w, wok := oldNewSafeFloat(hi&63, lo, e)
			sfSame(t, "NewSafeFloat", x, ok, w, wok)
			return x
		}
		a, b, c := mk(ahi, alo, ae), mk(bhi, blo, be), mk(chi, clo, ce)
		g, ok := SafeFloatFromParts(ahi, alo, ae)
		w, wok := oldSafeFloatFromParts(ahi, alo, ae)
		sfSame(t, "SafeFloatFromParts", g, ok, w, wok)
		sfCheckAll(t, a, b, c, n, ahi^blo, alo^bhi)
		sfCheckAll(t, c, a, b, alo, n, clo)
	})
}

// The fast operations do not allocate (the share pools call them on every
// stake, unstake and payout).
func TestSafeFloatFastAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	a, b, c := sfRandValue(r, 0), sfRandValue(r, 0), SafeFloatFromUint64(123456789)
	var sink SafeFloat
	var u uint64
	allocs := testing.AllocsPerRun(200, func() {
		x, _ := a.Add(b)
		y, _ := x.Sub(c)
		z, _ := y.MulDiv(b, c)
		w, _ := z.Div(c)
		v, _ := NewSafeFloat(0, u|1, -7)
		p, _ := SafeFloatFromParts(5, 7766279631452241921, 3)
		sink, _ = v.Add(p)
		sink, _ = sink.Add(SafeFloatFromU64F64(U64F64FromBits(u, 1<<62)))
		u = w.ToUint64() + SafeFloatFromUint64(u).ToUint64()
	})
	if allocs != 0 {
		t.Errorf("SafeFloat operations allocate %v times per run", allocs)
	}
	_ = sink
}
