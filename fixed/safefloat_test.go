package fixed

import (
	"math"
	"math/big"
	"testing"

	"pgregory.net/rapid"
)

// The reference below transcribes primitives/share-pool/src/lib.rs
// (SafeFloat at 14bc6f9f) step by step on math/big integers, slowly and
// without the fast type's tricks: one digit per normalisation step, the
// exponent in big integers checked against the i64 range at every step.

type refSF struct {
	m *big.Int
	e int64
}

var (
	refTen    = big.NewInt(10)
	refMax    = new(big.Int).Exp(refTen, big.NewInt(21), nil)
	refMin    = new(big.Int).Exp(refTen, big.NewInt(20), nil)
	refU64Max = new(big.Int).SetUint64(math.MaxUint64)
)

func sfPow10(k uint64) *big.Int {
	if k > 22 {
		k = 22
	}
	return new(big.Int).Exp(refTen, new(big.Int).SetUint64(k), nil)
}

func sfNormalize(m *big.Int, e int64) (refSF, bool) {
	if m.Sign() == 0 {
		return refSF{new(big.Int), 0}, true
	}
	x := new(big.Int).Set(m)
	for x.Cmp(refMax) > 0 {
		if e == math.MaxInt64 {
			return refSF{}, false
		}
		x.Quo(x, refTen)
		e++
	}
	for x.Cmp(refMin) <= 0 {
		if e == math.MinInt64 {
			return refSF{}, false
		}
		x.Mul(x, refTen)
		e--
	}
	return refSF{x, e}, true
}

// sfExpFits computes a sum of exponents in big integers and reports
// whether it fits i64.
func sfExpFits(terms ...int64) (int64, bool) {
	s := new(big.Int)
	for i, t := range terms {
		if i == 0 {
			s.SetInt64(t)
		} else {
			s.Add(s, big.NewInt(t))
		}
	}
	if !s.IsInt64() {
		return 0, false
	}
	return s.Int64(), true
}

func sfAlign(a, b refSF) (x, y *big.Int, e int64) {
	x, y = new(big.Int).Set(a.m), new(big.Int).Set(b.m)
	d := new(big.Int).Sub(big.NewInt(a.e), big.NewInt(b.e))
	if d.Sign() >= 0 {
		if !d.IsUint64() {
			d.SetUint64(math.MaxUint64)
		}
		y.Quo(y, sfPow10(d.Uint64()))
		return x, y, a.e
	}
	d.Neg(d)
	x.Quo(x, sfPow10(d.Uint64()))
	return x, y, b.e
}

func sfAdd(a, b refSF) (refSF, bool) {
	if a.m.Sign() == 0 {
		return b, true
	}
	if b.m.Sign() == 0 {
		return a, true
	}
	x, y, e := sfAlign(a, b)
	return sfNormalize(x.Add(x, y), e)
}

func sfSub(a, b refSF) (refSF, bool) {
	if a.m.Sign() == 0 && b.m.Sign() == 0 {
		return refSF{new(big.Int), 0}, true
	}
	if a.m.Sign() == 0 {
		return refSF{}, false
	}
	if b.m.Sign() == 0 {
		return a, true
	}
	x, y, e := sfAlign(a, b)
	x.Sub(x, y)
	if x.Sign() < 0 {
		x.SetInt64(0)
	}
	return sfNormalize(x, e)
}

func sfMulDiv(a, b, c refSF) (refSF, bool) {
	if c.m.Sign() == 0 {
		return refSF{}, false
	}
	ab, ok := sfExpFits(a.e, b.e)
	if !ok {
		return refSF{}, false
	}
	e, ok := sfExpFits(ab, -c.e)
	if !ok || (c.e == math.MinInt64) {
		// −e_c itself does not fit when e_c is i64::MIN: checked_sub fails
		// whenever ab ≥ 0, and ab − MinInt64 ≥ 2^63 when ab ≥ 0.
		if c.e == math.MinInt64 {
			if ab >= 0 {
				return refSF{}, false
			}
			e = ab - c.e
		} else {
			return refSF{}, false
		}
	}
	m := new(big.Int).Mul(a.m, b.m)
	return sfNormalize(m.Quo(m, c.m), e)
}

func sfDiv(a, b refSF) (refSF, bool) {
	if b.m.Sign() == 0 {
		return refSF{}, false
	}
	s := new(big.Int).Sub(big.NewInt(a.e), big.NewInt(b.e))
	s.Sub(s, big.NewInt(21))
	if !s.IsInt64() {
		return refSF{}, false
	}
	m := new(big.Int).Mul(a.m, refMax)
	return sfNormalize(m.Quo(m, b.m), s.Int64())
}

func sfToU64(a refSF) uint64 {
	q := new(big.Int).Set(a.m)
	switch {
	case a.e > 0:
		q.Mul(q, sfPow10(uint64(a.e)))
	case a.e < 0:
		q.Quo(q, sfPow10(new(big.Int).Neg(big.NewInt(a.e)).Uint64()))
	}
	if q.Cmp(refU64Max) > 0 {
		return math.MaxUint64
	}
	return q.Uint64()
}

func toRef(x SafeFloat) refSF {
	hi, lo, e := x.Parts()
	m := new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
	return refSF{m.Or(m, new(big.Int).SetUint64(lo)), e}
}

type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

func sameAsRef(t fataler, op string, got SafeFloat, gotOK bool, want refSF, wantOK bool) {
	t.Helper()
	if gotOK != wantOK {
		t.Fatalf("%s: ok = %v, reference %v", op, gotOK, wantOK)
	}
	if !gotOK {
		return
	}
	g := toRef(got)
	if g.m.Cmp(want.m) != 0 || g.e != want.e {
		t.Fatalf("%s = %v e%d, reference %v e%d", op, g.m, g.e, want.m, want.e)
	}
}

func u128Big(s string) (hi, lo uint64) {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	lo = new(big.Int).And(v, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	hi = new(big.Int).Rsh(v, 64).Uint64()
	return hi, lo
}

func mustSF(t testing.TB, m string, e int64) SafeFloat {
	t.Helper()
	hi, lo := u128Big(m)
	x, ok := NewSafeFloat(hi, lo, e)
	if !ok {
		t.Fatalf("NewSafeFloat(%s, %d) failed", m, e)
	}
	return x
}

func checkParts(t *testing.T, what string, x SafeFloat, m string, e int64) {
	t.Helper()
	g := toRef(x)
	if g.m.String() != m || g.e != e {
		t.Errorf("%s = %v e%d, want %s e%d", what, g.m, g.e, m, e)
	}
}

// primitives/share-pool/src/lib.rs tests::test_safefloat_normalize.
func TestSafeFloatNormalizeCrate(t *testing.T) {
	for _, c := range []struct {
		m    string
		e    int64
		want string
		we   int64
	}{
		{"1", 0, "1000000000000000000000", -21},
		{"0", 0, "0", 0},
		{"10", 0, "1000000000000000000000", -20},
		{"1000", 0, "1000000000000000000000", -18},
		{"100000000000000000000", 0, "1000000000000000000000", -1},
		{"1000000000000000000000", 0, "1000000000000000000000", 0},
	} {
		checkParts(t, "new("+c.m+")", mustSF(t, c.m, c.e), c.want, c.we)
	}
	if hi, lo := u128Big("1000000000000000000001"); func() bool { _, ok := NewSafeFloat(hi, lo, 0); return ok }() {
		t.Error("a mantissa above 10^21 must be refused")
	}
}

// primitives/share-pool/src/lib.rs tests::test_safefloat_add, both orders.
func TestSafeFloatAddCrate(t *testing.T) {
	const max = "1000000000000000000000"
	for _, c := range []struct {
		ma string
		ea int64
		mb string
		eb int64
		m  string
		e  int64
	}{
		{"1", 0, "1", 0, "200000000000000000000", -20},
		{"0", 0, "1", 0, max, -21},
		{"0", 0, "1", -1, max, -22},
		{"1", -1000, "1", -1, max, -22},
		{max, 0, max, 0, "200000000000000000000", 1},
		{"1", 0, max, 1, max, 1},
		{"1", 0, "1", 22, max, 1},
		{"1", 0, "1", 23, max, 2},
		{"123", 1, "1", 23, "100000000000000000001", 3},
		{"42", 0, "1", 22, max, 1},
		{"999999999999999999999", 0, "1", 22, "109999999999999999999", 2},
		{"42", 0, "1", 23, max, 2},
		{"4200", 0, "1", 23, "100000000000000000004", 3},
		{"999999999999999999999", 0, "1", 23, "100999999999999999999", 3},
		{"999999", 1, "1", 23, "100000000000000009999", 3},
		{"1", 24, "1", 0, max, 3},
		{"1", 24, "123456789012345678901", 0, "100012345678901234567", 4},
		{"1", 22, "1", 23, "110000000000000000000", 3},
		{"999999999999999999999", 22, "1", 22, max, 22},
	} {
		a, b := mustSF(t, c.ma, c.ea), mustSF(t, c.mb, c.eb)
		ab, ok1 := a.Add(b)
		ba, ok2 := b.Add(a)
		if !ok1 || !ok2 {
			t.Fatalf("add failed: %+v", c)
		}
		checkParts(t, c.ma+"+"+c.mb, ab, c.m, c.e)
		checkParts(t, c.mb+"+"+c.ma, ba, c.m, c.e)
	}
}

// The crate's None cases: a zero divisor, sub from zero, exponent overflow.
func TestSafeFloatFailures(t *testing.T) {
	one := SafeFloatFromUint64(1)
	if _, ok := one.Div(SafeFloat{}); ok {
		t.Error("div by zero must fail (tests::test_safefloat_div_by_zero_is_none)")
	}
	if _, ok := one.MulDiv(one, SafeFloat{}); ok {
		t.Error("mul_div by zero must fail")
	}
	if _, ok := (SafeFloat{}).Sub(one); ok {
		t.Error("zero minus one must fail")
	}
	if z, ok := (SafeFloat{}).Sub(SafeFloat{}); !ok || !z.IsZero() {
		t.Error("zero minus zero is zero")
	}
	if z, ok := one.Sub(SafeFloatFromUint64(2)); !ok || !z.IsZero() {
		t.Error("one minus two saturates at zero")
	}
	big := mustSF(t, "1000000000000000000000", 0)
	big.e = math.MaxInt64
	if _, ok := big.Add(big); ok {
		t.Error("an add whose normalisation passes i64::MAX must fail")
	}
	if _, ok := big.MulDiv(big, one); ok {
		t.Error("mul_div with e_a + e_b overflowing must fail")
	}
	if got := big.ToUint64(); got != math.MaxUint64 {
		t.Errorf("to_u64 of a huge value = %d, want u64::MAX", got)
	}
	small := big
	small.e = math.MinInt64
	if got := small.ToUint64(); got != 0 {
		t.Errorf("to_u64 of a tiny value = %d", got)
	}
	// div's exponent is computed in i128: e_x − e_y overflows i64 but
	// e_x − e_y − 21 fits.
	x := big
	x.e = math.MaxInt64 - 5
	y := big
	y.e = -10
	got, ok := x.Div(y)
	want, wok := sfDiv(toRef(x), toRef(y))
	sameAsRef(t, "div across the i64 edge", got, ok, want, wok)
	if !ok {
		t.Error("div whose i128 exponent fits must succeed")
	}
}

func TestSafeFloatFromPartsRefusesUnnormalised(t *testing.T) {
	for _, c := range []struct {
		m  string
		e  int64
		ok bool
	}{
		{"0", 0, true}, {"0", 1, false}, {"100000000000000000000", 0, false},
		{"100000000000000000001", -3, true}, {"1000000000000000000000", 7, true},
		{"1000000000000000000001", 0, false}, {"5", 0, false},
	} {
		hi, lo := u128Big(c.m)
		if _, ok := SafeFloatFromParts(hi, lo, c.e); ok != c.ok {
			t.Errorf("SafeFloatFromParts(%s, %d) ok = %v", c.m, c.e, ok)
		}
	}
}

// drawSafeFloat draws a normalised SafeFloat: zero, a u64, or a random
// mantissa with an exponent that is small, moderate or at the i64 edges.
func drawSafeFloat(t *rapid.T, label string) SafeFloat {
	switch rapid.IntRange(0, 3).Draw(t, label+".kind") {
	case 0:
		return SafeFloat{}
	case 1:
		return SafeFloatFromUint64(rapid.Uint64().Draw(t, label+".u64"))
	}
	m := new(big.Int).Add(refMin, big.NewInt(1))
	span := new(big.Int).Sub(refMax, refMin)
	off := new(big.Int).Mod(new(big.Int).SetUint64(rapid.Uint64().Draw(t, label+".m")), span)
	off.Mul(off, big.NewInt(int64(rapid.IntRange(1, 5).Draw(t, label+".mul"))))
	m.Add(m, off.Mod(off, span))
	var e int64
	switch rapid.IntRange(0, 2).Draw(t, label+".ekind") {
	case 0:
		e = rapid.Int64Range(-45, 25).Draw(t, label+".e")
	case 1:
		e = rapid.Int64Range(math.MaxInt64-30, math.MaxInt64).Draw(t, label+".e")
	default:
		e = rapid.Int64Range(math.MinInt64, math.MinInt64+30).Draw(t, label+".e")
	}
	hi, lo := u128Big(m.String())
	x, ok := SafeFloatFromParts(hi, lo, e)
	if !ok {
		t.Fatalf("drew an unnormalised value %v e%d", m, e)
	}
	return x
}

func TestSafeFloatMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b, c := drawSafeFloat(t, "a"), drawSafeFloat(t, "b"), drawSafeFloat(t, "c")
		ra, rb, rc := toRef(a), toRef(b), toRef(c)
		got, ok := a.Add(b)
		want, wok := sfAdd(ra, rb)
		sameAsRef(t, "add", got, ok, want, wok)
		got, ok = a.Sub(b)
		want, wok = sfSub(ra, rb)
		sameAsRef(t, "sub", got, ok, want, wok)
		got, ok = a.MulDiv(b, c)
		want, wok = sfMulDiv(ra, rb, rc)
		sameAsRef(t, "mul_div", got, ok, want, wok)
		got, ok = a.Div(b)
		want, wok = sfDiv(ra, rb)
		sameAsRef(t, "div", got, ok, want, wok)
		if g, w := a.ToUint64(), sfToU64(ra); g != w {
			t.Fatalf("to_u64 = %d, reference %d", g, w)
		}
		n := rapid.Uint64().Draw(t, "n")
		want, _ = sfNormalize(new(big.Int).SetUint64(n), 0)
		sameAsRef(t, "from u64", SafeFloatFromUint64(n), true, want, true)
		hi, lo := rapid.Uint64().Draw(t, "hi"), rapid.Uint64().Draw(t, "lo")
		sameAsRef(t, "from U64F64", SafeFloatFromU64F64(U64F64FromBits(hi, lo)), true, sfFromU64F64(hi, lo), true)
	})
}

// sfFromU64F64 transcribes From<U64F64> for SafeFloat.
func sfFromU64F64(hi, lo uint64) refSF {
	if hi|lo == 0 {
		return refSF{new(big.Int), 0}
	}
	i, _ := sfNormalize(new(big.Int).SetUint64(hi), 0)
	f, _ := sfNormalize(new(big.Int).SetUint64(lo), 0)
	two64, _ := sfNormalize(new(big.Int).Lsh(big.NewInt(1), 64), 0)
	q, ok := sfDiv(f, two64)
	if !ok {
		q = refSF{new(big.Int), 0}
	}
	r, ok := sfAdd(i, q)
	if !ok {
		return refSF{new(big.Int), 0}
	}
	return r
}

// A legacy U64F64 share of 1.5 reads as 1.5 exactly; of 2^-64 as
// 5.42101086242752217003e-20 (21 digits of 10^21/2^64 truncated).
func TestSafeFloatFromU64F64Values(t *testing.T) {
	checkParts(t, "1.5", SafeFloatFromU64F64(U64F64FromBits(1, 1<<63)), "150000000000000000000", -20)
	checkParts(t, "2^-64", SafeFloatFromU64F64(U64F64FromBits(0, 1)), "542101086242752217003", -40)
	checkParts(t, "0", SafeFloatFromU64F64(U64F64{}), "0", 0)
}

func FuzzSafeFloat(f *testing.F) {
	f.Add(uint64(54), uint64(3875820019684212736), int64(0), uint64(5), uint64(7766279631452241921), int64(-3), uint64(7))
	f.Add(uint64(0), uint64(0), int64(0), uint64(1), uint64(0), int64(math.MaxInt64), uint64(1))
	f.Fuzz(func(t *testing.T, ahi, alo uint64, ae int64, bhi, blo uint64, be int64, n uint64) {
		a, okA := NewSafeFloat(ahi&63, alo, ae)
		b, okB := NewSafeFloat(bhi&63, blo, be)
		if !okA || !okB {
			return
		}
		ra, rb := toRef(a), toRef(b)
		got, ok := a.Add(b)
		want, wok := sfAdd(ra, rb)
		sameAsRef(t, "add", got, ok, want, wok)
		got, ok = a.Sub(b)
		want, wok = sfSub(ra, rb)
		sameAsRef(t, "sub", got, ok, want, wok)
		c := SafeFloatFromUint64(n)
		got, ok = a.MulDiv(b, c)
		want, wok = sfMulDiv(ra, rb, toRef(c))
		sameAsRef(t, "mul_div", got, ok, want, wok)
		got, ok = a.Div(b)
		want, wok = sfDiv(ra, rb)
		sameAsRef(t, "div", got, ok, want, wok)
		if g, w := a.ToUint64(), sfToU64(ra); g != w {
			t.Fatalf("to_u64 = %d, reference %d", g, w)
		}
	})
}

func TestSafeFloatAllocs(t *testing.T) {
	a, b, c := SafeFloatFromUint64(123456789), SafeFloatFromUint64(987654321012), SafeFloatFromUint64(5)
	var sink SafeFloat
	var u uint64
	allocs := testing.AllocsPerRun(100, func() {
		x, _ := a.Add(b)
		y, _ := x.Sub(a)
		z, _ := y.MulDiv(b, c)
		w, _ := z.Div(b)
		sink = SafeFloatFromU64F64(U64F64FromBits(3, 1<<62))
		u = w.ToUint64() + SafeFloatFromUint64(u).ToUint64()
	})
	if allocs != 0 {
		t.Errorf("SafeFloat operations allocate %v times per run", allocs)
	}
	_ = sink
}

func BenchmarkSafeFloatMulDiv(b *testing.B) {
	x, y, z := SafeFloatFromUint64(123456789), SafeFloatFromUint64(987654321012), SafeFloatFromUint64(5555)
	var sink SafeFloat
	for b.Loop() {
		sink, _ = x.MulDiv(y, z)
	}
	_ = sink
}
