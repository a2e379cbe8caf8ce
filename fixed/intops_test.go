package fixed

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// The integer-operand helpers (ratio.go, uint64.go, log.go) are checked
// two ways: against a math/big reference computed from their definitions,
// and against the chain's spelled-out fixed-point operations they replace.

var bigU64Max = new(big.Int).SetUint64(math.MaxUint64)

func u64(v uint64) *big.Int { return new(big.Int).SetUint64(v) }

// refRatio is floor(a * 2^frac / b), 0 for b == 0.
func refRatio(a, b uint64, frac uint) *big.Int {
	if b == 0 {
		return new(big.Int)
	}
	n := new(big.Int).Lsh(u64(a), frac)
	return n.Quo(n, u64(b))
}

// checkRatios checks every ratio constructor on (a, b).
func checkRatios(t testing.TB, a, b uint64) {
	t.Helper()
	args := []*big.Int{u64(a), u64(b)}
	got64 := U64F64FromRatio(a, b)
	wantRaw(t, kU64F64, "FromRatio", args, got64, refRatio(a, b, 64))
	if spelled := U64F64FromUint64(a).SafeDiv(U64F64FromUint64(b)); got64 != spelled {
		t.Fatalf("U64F64FromRatio(%d, %d) = %v, SafeDiv %v", a, b, got64, spelled)
	}
	got96 := U96F32FromRatio(a, b)
	wantRaw(t, kU96F32, "FromRatio", args, got96, refRatio(a, b, 32))
	if spelled := U96F32FromUint64(a).SafeDiv(U96F32FromUint64(b)); got96 != spelled {
		t.Fatalf("U96F32FromRatio(%d, %d) = %v, SafeDiv %v", a, b, got96, spelled)
	}
	p := U96F32FromU64Proportion(a)
	wantRaw(t, kU96F32, "FromU64Proportion", args[:1], p, refRatio(a, math.MaxUint64, 32))
	if spelled := U96F32FromUint64(a).SafeDiv(U96F32FromUint64(math.MaxUint64)); p != spelled {
		t.Fatalf("U96F32FromU64Proportion(%d) = %v, SafeDiv %v", a, p, spelled)
	}
}

// checkUint64Ops checks the u64 helpers and the divisor on (a, b, c).
func checkUint64Ops(t testing.TB, a, b, c uint64) {
	t.Helper()
	ba, bb, bc := u64(a), u64(b), u64(c)
	sat := func(v *big.Int) uint64 { return clampInt(v, new(big.Int), bigU64Max).Uint64() }
	if got, want := SaturatingAddUint64(a, b), sat(new(big.Int).Add(ba, bb)); got != want {
		t.Fatalf("SaturatingAddUint64(%d, %d) = %d, want %d", a, b, got, want)
	}
	if got, want := SaturatingSubUint64(a, b), sat(new(big.Int).Sub(ba, bb)); got != want {
		t.Fatalf("SaturatingSubUint64(%d, %d) = %d, want %d", a, b, got, want)
	}
	if got, want := SaturatingMulUint64(a, b), sat(new(big.Int).Mul(ba, bb)); got != want {
		t.Fatalf("SaturatingMulUint64(%d, %d) = %d, want %d", a, b, got, want)
	}
	q, ok := MulDivUint64(a, b, c)
	want, wantOK := new(big.Int), c != 0
	if wantOK {
		want.Mul(ba, bb)
		want.Quo(want, bc)
		wantOK = want.Cmp(bigU64Max) <= 0
	}
	if !wantOK {
		want.SetUint64(0)
	}
	if ok != wantOK || q != want.Uint64() {
		t.Fatalf("MulDivUint64(%d, %d, %d) = %d, %v; want %s, %v", a, b, c, q, ok, want, wantOK)
	}
	for _, d := range []uint64{b, c} {
		if got, want := NewUint64Divisor(d).Div(a), SafeDivUint64(a, d); got != want {
			t.Fatalf("NewUint64Divisor(%d).Div(%d) = %d, want %d", d, a, got, want)
		}
	}
	// SaturatingMulToUint64 with x = (b, c) as raw bits.
	x := U64F64{b, c}
	n := new(big.Int).Mul(ba, rawOf(x))
	if got, want := x.SaturatingMulToUint64(a), sat(n.Rsh(n, 64)); got != want {
		t.Fatalf("U64F64{%d, %d}.SaturatingMulToUint64(%d) = %d, want %d", b, c, a, got, want)
	}
	if got, want := x.SaturatingMulToUint64(a), U64F64FromUint64(a).SaturatingMul(x).SaturatingToUint64(); got != want {
		t.Fatalf("SaturatingMulToUint64 = %d, spelled %d", got, want)
	}
	// The U64F64 multiplication kernel against the generic one.
	y := U64F64{a, b ^ c}
	r1, o1 := mulU64F64(u128(x), u128(y))
	r2, o2 := mulShr(u128(x), u128(y), 64, false)
	if r1 != r2 || o1 != o2 {
		t.Fatalf("mulU64F64(%v, %v) = %v, %v; mulShr %v, %v", x, y, r1, o1, r2, o2)
	}
	if o2 {
		r2 = u128{math.MaxUint64, math.MaxUint64}
	}
	if r3 := mulSatU64F64(u128(x), u128(y)); r3 != r2 {
		t.Fatalf("mulSatU64F64(%v, %v) = %v, want %v", x, y, r3, r2)
	}
}

// uint64Edges are operands at the boundaries of the fast paths.
var uint64Edges = []uint64{
	0, 1, 2, 3, 7, 1000, 65534, 65535, 65536, 1e9, 1e18,
	1<<31 - 1, 1 << 31, 1<<32 - 1, 1 << 32, 1<<32 + 1, 1<<48 - 1, 1 << 48,
	1<<63 - 1, 1 << 63, 1<<63 + 1, math.MaxUint64 - 1, math.MaxUint64,
}

func TestRatiosAndUint64OpsEdges(t *testing.T) {
	for _, a := range uint64Edges {
		for _, b := range uint64Edges {
			checkRatios(t, a, b)
			for _, c := range uint64Edges {
				checkUint64Ops(t, a, b, c)
			}
		}
	}
}

// randU64 draws a u64 of random bit length, so that small and large
// operands are both common.
func randU64(r *rand.Rand) uint64 { return r.Uint64() >> r.IntN(64) }

func TestRatiosAndUint64OpsRandom(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(9, 4))
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	for range n {
		a, b, c := randU64(r), randU64(r), randU64(r)
		checkRatios(t, a, b)
		checkUint64Ops(t, a, b, c)
	}
}

// The u16 proportions, both directions, for every u16.
func TestU16Proportions(t *testing.T) {
	u16m := I32F32FromUint64(65535)
	for v := range 1 << 16 {
		w := uint16(v)
		want := refRatio(uint64(w), 65535, 32)
		got := I32F32FromU16Proportion(w)
		wantRaw(t, kI32F32, "FromU16Proportion", []*big.Int{big.NewInt(int64(w))}, got, want)
		if spelled := I32F32FromUint64(uint64(w)).SafeDiv(u16m); got != spelled {
			t.Fatalf("I32F32FromU16Proportion(%d) = %v, SafeDiv %v", w, got, spelled)
		}
		got96 := U96F32FromU16Proportion(w)
		wantRaw(t, kU96F32, "FromU16Proportion", []*big.Int{big.NewInt(int64(w))}, got96, want)
		if spelled := U96F32FromUint64(uint64(w)).SafeDiv(U96F32FromUint64(65535)); got96 != spelled {
			t.Fatalf("U96F32FromU16Proportion(%d) = %v, SafeDiv %v", w, got96, spelled)
		}
		// The way back floors: v*(2^32-1)/2^32 gives v-1 for 0 < v < 65535.
		checkU16Proportion(t, got)
		if back, want := got.U16Proportion(), w-min(w, 1)+w/65535; back != want {
			t.Fatalf("I32F32FromU16Proportion(%d).U16Proportion() = %d, want %d", w, back, want)
		}
	}
}

// checkU16Proportion checks fixed_proportion_to_u16 against math/big and
// the spelled-out saturating operations.
func checkU16Proportion(t testing.TB, x I32F32) {
	t.Helper()
	p := new(big.Int).Mul(big.NewInt(x.bits), big.NewInt(65535))
	p.Rsh(p, 32)
	want := clampInt(p, new(big.Int), big.NewInt(65535)).Uint64()
	if got := x.U16Proportion(); uint64(got) != want {
		t.Fatalf("I32F32{%d}.U16Proportion() = %d, want %d", x.bits, got, want)
	}
	if got, spelled := x.U16Proportion(), x.SaturatingMul(I32F32FromUint64(65535)).SaturatingToUint16(); got != spelled {
		t.Fatalf("I32F32{%d}.U16Proportion() = %d, spelled %d", x.bits, got, spelled)
	}
}

func TestU16ProportionRandom(t *testing.T) {
	for _, a := range edgeRaws(kI32F32) {
		checkU16Proportion(t, I32F32{a.Int64()})
	}
	for _, b := range []int64{1<<47 - 1, 1 << 47, 1<<47 + 1, 1<<32 + 1, 65536 << 16} {
		checkU16Proportion(t, I32F32{b})
		checkU16Proportion(t, I32F32{-b})
	}
	r := rand.New(rand.NewPCG(2, 7))
	for range 50_000 {
		checkU16Proportion(t, I32F32{int64(r.Uint64()) >> r.IntN(64)})
	}
}

// U96F32FromU64Proportion at and around the top, where it reaches 1.0.
func TestU64ProportionTop(t *testing.T) {
	if got := U96F32FromU64Proportion(math.MaxUint64); got != U96F32FromUint64(1) {
		t.Fatalf("U96F32FromU64Proportion(max) = %v, want 1", got)
	}
	for d := range uint64(1 << 12) {
		checkRatios(t, math.MaxUint64-d, math.MaxUint64)
		checkRatios(t, d<<52, 1)
	}
}

// The divisor's operands as the epoch's row normalisation uses them (the
// test of the divisor it replaces), then across the full u64 range.
func TestUint64Divisor(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	check := func(x, d uint64) {
		t.Helper()
		if got, want := NewUint64Divisor(d).Div(x), SafeDivUint64(x, d); got != want {
			t.Fatalf("NewUint64Divisor(%d).Div(%d) = %d, want %d", d, x, got, want)
		}
	}
	for _, d := range []uint64{0, 1, 2, 3, 65535, 65536, 1<<31 - 1, 1 << 30, 123456789, 1 << 63, 1<<63 + 1, math.MaxUint64} {
		for _, x := range []uint64{0, 1, d - 1, d, d + 1, 1<<48 - 1, 65535 << 32, math.MaxUint64, math.MaxUint64 - 1} {
			check(x, d)
		}
		if d != 0 {
			check(math.MaxUint64/d*d, d)
			check(math.MaxUint64/d*d-1, d)
		}
	}
	if got := (Uint64Divisor{}).Div(12345); got != 0 {
		t.Fatalf("zero Uint64Divisor divides to %d", got)
	}
	if got := NewUint64Divisor(77).Divisor(); got != 77 {
		t.Fatalf("Divisor() = %d", got)
	}
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	for range n {
		d := 1 + r.Uint64N(1<<31-1)
		if r.IntN(2) == 0 {
			d = 1 + r.Uint64N(1000)
		}
		x := r.Uint64N(1 << 48)
		if r.IntN(2) == 0 {
			x = r.Uint64N(65536) << 32 // a u16 weight
		}
		check(x, d)
		check(r.Uint64(), randU64(r))
	}
}

// I32F32 division on the operand shapes the epoch produces (the fast
// paths: a dividend at most 1, a whole-number divisor, one wide division)
// and on random ones, against the math/big reference for every division
// method.
func TestI32F32DivisionShapes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	edge := []int64{0, 1, -1, 1 << 31, 1 << 32, 1<<32 - 1, 1<<63 - 1, -1 << 63, 65535 << 32, 3, 1 << 62, 7 << 32, -7 << 32}
	check := func(a, b int64) {
		t.Helper()
		checkBinary(t, I32F32{a}, I32F32{b})
	}
	for _, a := range edge {
		for _, b := range edge {
			check(a, b)
		}
	}
	n := 50_000
	if testing.Short() {
		n = 5_000
	}
	for range n {
		a, b := int64(r.Uint64()), int64(r.Uint64())
		switch r.IntN(5) {
		case 0:
			a >>= r.IntN(63)
			b >>= r.IntN(63)
		case 1:
			a, b = a>>40, b>>r.IntN(63)
		case 2:
			// A whole-number divisor (a row sum of integer weights).
			a, b = a>>r.IntN(63), b>>r.IntN(63)&^(1<<32-1)
		case 3:
			// A dividend at most 1 (a column-normalised cell).
			a, b = a>>r.IntN(64)&(1<<33-1), b>>r.IntN(63)
		}
		check(a, b)
	}
}

// refLog2 is substrate-fixed's log2 for I32F32 (transcendental.rs log2,
// log2_inner, rs) on math/big raw bits: ok is false for x <= 0 and where
// 1/x does not fit.
func refLog2(a *big.Int) (*big.Int, bool) {
	if a.Sign() <= 0 {
		return nil, false
	}
	one, two := pow2(32), pow2(33)
	x := a
	neg := false
	if a.Cmp(one) < 0 {
		x = refDiv(kI32F32, one, a)
		if !kI32F32.inRange(x) {
			return nil, false
		}
		neg = true
	}
	x = new(big.Int).Set(x)
	rs := func(v *big.Int) *big.Int {
		lsb := new(big.Int).And(v, big.NewInt(1))
		return v.Add(v.Rsh(v, 1), lsb)
	}
	result := new(big.Int)
	for x.Cmp(two) >= 0 {
		result.Add(result, big.NewInt(1))
		x = rs(x)
	}
	if x.Cmp(one) == 0 {
		result.Lsh(result, 32)
	} else {
		for range 32 {
			x = kI32F32.wrap(refMul(kI32F32, x, x))
			result.Lsh(result, 1)
			if x.Cmp(two) >= 0 {
				result.SetBit(result, 0, 1)
				x = rs(x)
			}
		}
	}
	if neg {
		result.Neg(result)
	}
	return result, true
}

func checkLog(t testing.TB, x I32F32) {
	t.Helper()
	a := big.NewInt(x.bits)
	want, wantOK := refLog2(a)
	got, ok := Log2(x)
	if ok != wantOK || (ok && got.bits != want.Int64()) || (!ok && got.bits != 0) {
		t.Fatalf("Log2(%s) = %d, %v; want %v, %v", a, got.bits, ok, want, wantOK)
	}
	gotLn, ok := Ln(x)
	if ok != wantOK || (!ok && gotLn.bits != 0) {
		t.Fatalf("Ln(%s) ok = %v, want %v", a, ok, wantOK)
	}
	if ok {
		wantLn := kI32F32.wrap(refDiv(kI32F32, want, big.NewInt(0xB8AA3B<<9)))
		if gotLn.bits != wantLn.Int64() {
			t.Fatalf("Ln(%s) = %d, want %s", a, gotLn.bits, wantLn)
		}
	}
}

// Exact cases, the round-half-up halving of log2_inner's integer part, and
// the failures (the test of the helpers these replace), then the reference.
func TestLog2AndLn(t *testing.T) {
	for _, c := range []struct{ x, want int64 }{{1, 0}, {2, 1}, {8, 3}, {1 << 20, 20}, {1 << 30, 30}} {
		got, ok := Log2(I32F32FromInt64(c.x))
		if !ok || got != I32F32FromInt64(c.want) {
			t.Fatalf("Log2(%d) = %v, %v; want %d", c.x, got, ok, c.want)
		}
	}
	if got, ok := Log2(I32F32FromFloat64(0.5)); !ok || got != I32F32FromInt64(-1) {
		t.Fatalf("Log2(0.5) = %v, %v", got, ok)
	}
	// 4 - 2^-32 halves (rounding up) to 2.0 and so counts a second time.
	if got, ok := Log2(I32F32{4<<32 - 1}); !ok || got.bits>>32 != 2 {
		t.Fatalf("Log2(4 - 2^-32) = %v, %v; want integer part 2", got, ok)
	}
	for _, b := range []int64{0, -1, 1, -1 << 63} {
		if _, ok := Ln(I32F32{b}); ok {
			t.Fatalf("Ln(raw %d) should fail", b)
		}
	}
	ln10, ok := Ln(I32F32FromInt64(10))
	if !ok || math.Abs(ln10.Float64()-math.Log(10)) > 1e-6 {
		t.Fatalf("Ln(10) = %v, %v", ln10, ok)
	}
	for _, a := range edgeRaws(kI32F32) {
		checkLog(t, I32F32{a.Int64()})
	}
	for b := int64(-4); b <= 1<<12; b++ {
		checkLog(t, I32F32{b})
		checkLog(t, I32F32{1<<32 + b})
	}
	r := rand.New(rand.NewPCG(1, 9))
	n := 20_000
	if testing.Short() {
		n = 2_000
	}
	for range n {
		checkLog(t, I32F32{int64(r.Uint64()) >> r.IntN(64)})
	}
}

func FuzzIntOps(f *testing.F) {
	for _, s := range [][3]uint64{{0, 0, 0}, {1, 3, 7}, {math.MaxUint64, math.MaxUint64, 1}, {1 << 63, 1<<63 + 1, 1 << 32}, {65535 << 32, 65535, 0}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, a, b, c uint64) {
		checkRatios(t, a, b)
		checkUint64Ops(t, a, b, c)
		checkU16Proportion(t, I32F32{int64(a)})
		checkLog(t, I32F32{int64(b)})
	})
}

// U64F64FromRatio takes integer parts 0 and 1 without a division: ratios
// at and around 1 and 2 (a = b ± k, 2b ± k, with 2b past 2^64), as a
// pool's weights and prices near 1 give them.
func TestRatiosNearOneAndTwo(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 60))
	for range 100_000 {
		b := randU64(r) | 1
		k := randU64(r) >> r.IntN(64)
		for _, a := range []uint64{b - min(k, b), b, b + k, 2*b - 1, 2 * b, 2*b + 1, 2*b - min(k, 2*b), 2*b + k} {
			checkRatios(t, a, b)
		}
	}
	for _, b := range []uint64{1, 2, 3, 1 << 63, 1<<63 + 1, math.MaxUint64} {
		for _, a := range []uint64{0, b - 1, b, b + 1, 2*b - 1, 2 * b, 2*b + 1, math.MaxUint64} {
			checkRatios(t, a, b)
		}
	}
}
