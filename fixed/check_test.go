package fixed

import (
	"math"
	"math/big"
	"testing"
)

// fx is the method set shared by the five fixed-point types; the checkers
// below are written once against it.
type fx[T any] interface {
	comparable
	Add(T) T
	Sub(T) T
	Mul(T) T
	Div(T) T
	SaturatingAdd(T) T
	SaturatingSub(T) T
	SaturatingMul(T) T
	SaturatingDiv(T) T
	CheckedAdd(T) (T, bool)
	CheckedSub(T) (T, bool)
	CheckedMul(T) (T, bool)
	CheckedDiv(T) (T, bool)
	SafeDiv(T) T
	SafeDivOr(T, T) T
	Cmp(T) int
	Less(T) bool
	IsZero() bool
	IsNegative() bool
	Sign() int
	Floor() T
	Ceil() T
	Round() T
	Frac() T
	SaturatingToUint64() uint64
	SaturatingToUint16() uint16
	SaturatingToInt64() int64
	CheckedToUint64() (uint64, bool)
	CheckedToInt64() (int64, bool)
	SaturatingToI32F32() I32F32
	SaturatingToI64F64() I64F64
	SaturatingToU64F64() U64F64
	SaturatingToI96F32() I96F32
	SaturatingToU96F32() U96F32
	CheckedToI32F32() (I32F32, bool)
	CheckedToI64F64() (I64F64, bool)
	CheckedToU64F64() (U64F64, bool)
	CheckedToI96F32() (I96F32, bool)
	CheckedToU96F32() (U96F32, bool)
	String() string
	BitsString() string
	Float64() float64
	MarshalText() ([]byte, error)
}

// signedFx is the extra method set of the signed types.
type signedFx[T any] interface {
	Neg() T
	SaturatingNeg() T
	Abs() T
	SaturatingAbs() T
}

func wantRaw(t testing.TB, k kind, op string, args []*big.Int, got any, want *big.Int) {
	t.Helper()
	if g := rawOf(got); g.Cmp(want) != 0 {
		t.Fatalf("%s.%s%v = raw %s, want raw %s", k.name, op, args, g, want)
	}
}

// wantChecked checks a (value, ok) result against the exact value v: ok
// must be true exactly when v is in range (and valid), and then equal v;
// otherwise the value must be the zero value.
func wantChecked(t testing.TB, k, to kind, op string, args []*big.Int, got any, ok bool, v *big.Int, valid bool) {
	t.Helper()
	wantOK := valid && to.inRange(v)
	if ok != wantOK {
		t.Fatalf("%s.%s%v ok = %v, want %v (exact %v)", k.name, op, args, ok, wantOK, v)
	}
	if ok {
		wantRaw(t, k, op, args, got, v)
	} else if rawOf(got).Sign() != 0 {
		t.Fatalf("%s.%s%v = raw %s with ok == false, want 0", k.name, op, args, rawOf(got))
	}
}

// checkBinary checks every two-operand method on (x, y) against the
// reference.
func checkBinary[T fx[T]](t testing.TB, x, y T) {
	t.Helper()
	k := kindOf(x)
	a, b := rawOf(x), rawOf(y)
	args := []*big.Int{a, b}

	v := refAdd(a, b)
	wantRaw(t, k, "Add", args, x.Add(y), k.wrap(v))
	wantRaw(t, k, "SaturatingAdd", args, x.SaturatingAdd(y), k.clamp(v))
	z, ok := x.CheckedAdd(y)
	wantChecked(t, k, k, "CheckedAdd", args, z, ok, v, true)

	v = refSub(a, b)
	wantRaw(t, k, "Sub", args, x.Sub(y), k.wrap(v))
	wantRaw(t, k, "SaturatingSub", args, x.SaturatingSub(y), k.clamp(v))
	z, ok = x.CheckedSub(y)
	wantChecked(t, k, k, "CheckedSub", args, z, ok, v, true)

	v = refMul(k, a, b)
	wantRaw(t, k, "Mul", args, x.Mul(y), k.wrap(v))
	wantRaw(t, k, "SaturatingMul", args, x.SaturatingMul(y), k.clamp(v))
	z, ok = x.CheckedMul(y)
	wantChecked(t, k, k, "CheckedMul", args, z, ok, v, true)

	if b.Sign() == 0 {
		wantRaw(t, k, "Div", args, x.Div(y), new(big.Int))
		wantRaw(t, k, "SafeDiv", args, x.SafeDiv(y), new(big.Int))
		wantRaw(t, k, "SafeDivOr", args, x.SafeDivOr(y, x), a)
		z, ok = x.CheckedDiv(y)
		wantChecked(t, k, k, "CheckedDiv", args, z, ok, nil, false)
		var sat *big.Int
		switch a.Sign() {
		case 1:
			sat = k.maxRaw()
		case -1:
			sat = k.minRaw()
		default:
			sat = new(big.Int)
		}
		wantRaw(t, k, "SaturatingDiv", args, x.SaturatingDiv(y), sat)
	} else {
		v = refDiv(k, a, b)
		wantRaw(t, k, "Div", args, x.Div(y), k.wrap(v))
		wantRaw(t, k, "SaturatingDiv", args, x.SaturatingDiv(y), k.clamp(v))
		z, ok = x.CheckedDiv(y)
		wantChecked(t, k, k, "CheckedDiv", args, z, ok, v, true)
		safe := new(big.Int)
		if k.inRange(v) {
			safe = v
		}
		wantRaw(t, k, "SafeDiv", args, x.SafeDiv(y), safe)
		d := y // any marker value distinct from the quotient's fallback path
		if !k.inRange(v) {
			wantRaw(t, k, "SafeDivOr", args, x.SafeDivOr(y, d), b)
		} else {
			wantRaw(t, k, "SafeDivOr", args, x.SafeDivOr(y, d), v)
		}
	}

	if got, want := x.Cmp(y), a.Cmp(b); got != want {
		t.Fatalf("%s.Cmp%v = %d, want %d", k.name, args, got, want)
	}
	if got, want := x.Less(y), a.Cmp(b) < 0; got != want {
		t.Fatalf("%s.Less%v = %v, want %v", k.name, args, got, want)
	}
	if got, want := x == y, a.Cmp(b) == 0; got != want {
		t.Fatalf("%s ==%v = %v, want %v", k.name, args, got, want)
	}
}

// checkUnary checks every one-operand method on x against the reference.
func checkUnary[T fx[T]](t testing.TB, x T) {
	t.Helper()
	k := kindOf(x)
	a := rawOf(x)
	args := []*big.Int{a}

	if got, want := x.IsZero(), a.Sign() == 0; got != want {
		t.Fatalf("%s.IsZero(%s) = %v", k.name, a, got)
	}
	if got, want := x.IsNegative(), a.Sign() < 0; got != want {
		t.Fatalf("%s.IsNegative(%s) = %v", k.name, a, got)
	}
	if got, want := x.Sign(), a.Sign(); got != want {
		t.Fatalf("%s.Sign(%s) = %d", k.name, a, got)
	}

	wantRaw(t, k, "Floor", args, x.Floor(), refFloor(k, a))
	wantRaw(t, k, "Ceil", args, x.Ceil(), k.clamp(refCeil(k, a)))
	wantRaw(t, k, "Round", args, x.Round(), k.clamp(refRound(k, a)))
	wantRaw(t, k, "Frac", args, x.Frac(), new(big.Int).Sub(a, refFloor(k, a)))

	if s, ok := any(x).(signedFx[T]); ok {
		n := new(big.Int).Neg(a)
		wantRaw(t, k, "Neg", args, s.Neg(), k.wrap(n))
		wantRaw(t, k, "SaturatingNeg", args, s.SaturatingNeg(), k.clamp(n))
		m := new(big.Int).Abs(a)
		wantRaw(t, k, "Abs", args, s.Abs(), k.wrap(m))
		wantRaw(t, k, "SaturatingAbs", args, s.SaturatingAbs(), k.clamp(m))
	}

	// To integers: floor, then clamp.
	fl := new(big.Int).Rsh(a, k.frac)
	maxU64 := new(big.Int).SetUint64(math.MaxUint64)
	if got, want := x.SaturatingToUint64(), clampInt(fl, new(big.Int), maxU64).Uint64(); got != want {
		t.Fatalf("%s.SaturatingToUint64(%s) = %d, want %d", k.name, a, got, want)
	}
	if got, want := x.SaturatingToUint16(), clampInt(fl, new(big.Int), big.NewInt(math.MaxUint16)).Uint64(); uint64(got) != want {
		t.Fatalf("%s.SaturatingToUint16(%s) = %d, want %d", k.name, a, got, want)
	}
	minI64, maxI64 := big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
	if got, want := x.SaturatingToInt64(), clampInt(fl, minI64, maxI64).Int64(); got != want {
		t.Fatalf("%s.SaturatingToInt64(%s) = %d, want %d", k.name, a, got, want)
	}
	u, ok := x.CheckedToUint64()
	if wantOK := fl.Sign() >= 0 && fl.Cmp(maxU64) <= 0; ok != wantOK || (ok && u != fl.Uint64()) || (!ok && u != 0) {
		t.Fatalf("%s.CheckedToUint64(%s) = %d, %v", k.name, a, u, ok)
	}
	i, ok := x.CheckedToInt64()
	if wantOK := fl.IsInt64(); ok != wantOK || (ok && i != fl.Int64()) || (!ok && i != 0) {
		t.Fatalf("%s.CheckedToInt64(%s) = %d, %v", k.name, a, i, ok)
	}

	// Between types: floor the dropped bits, then clamp.
	conv := func(to kind, sat any, chk any, ok bool) {
		t.Helper()
		v := refConvert(k, to, a)
		wantRaw(t, k, "SaturatingTo"+to.name, args, sat, to.clamp(v))
		wantChecked(t, k, to, "CheckedTo"+to.name, args, chk, ok, v, true)
	}
	c1, ok1 := x.CheckedToI32F32()
	conv(kI32F32, x.SaturatingToI32F32(), c1, ok1)
	c2, ok2 := x.CheckedToI64F64()
	conv(kI64F64, x.SaturatingToI64F64(), c2, ok2)
	c3, ok3 := x.CheckedToU64F64()
	conv(kU64F64, x.SaturatingToU64F64(), c3, ok3)
	c4, ok4 := x.CheckedToI96F32()
	conv(kI96F32, x.SaturatingToI96F32(), c4, ok4)
	c5, ok5 := x.CheckedToU96F32()
	conv(kU96F32, x.SaturatingToU96F32(), c5, ok5)

	// Text forms.
	if got, want := x.String(), refString(k, a); got != want {
		t.Fatalf("%s.String(%s) = %q, want %q", k.name, a, got, want)
	}
	if got, want := x.BitsString(), a.String(); got != want {
		t.Fatalf("%s.BitsString(%s) = %q", k.name, a, got)
	}
	txt, err := x.MarshalText()
	if err != nil || string(txt) != a.String() {
		t.Fatalf("%s.MarshalText(%s) = %q, %v", k.name, a, txt, err)
	}
	back, err := parseAs[T](string(txt))
	if err != nil || back != x {
		t.Fatalf("Parse%sBits(%q) = %v, %v", k.name, txt, rawOf(back), err)
	}
	if got, want := x.Float64(), refToFloat64(k, a); got != want {
		t.Fatalf("%s.Float64(%s) = %v, want %v", k.name, a, got, want)
	}
}

func parseAs[T any](s string) (T, error) {
	var z T
	var r any
	var err error
	switch any(z).(type) {
	case I32F32:
		r, err = ParseI32F32Bits(s)
	case I64F64:
		r, err = ParseI64F64Bits(s)
	case U64F64:
		r, err = ParseU64F64Bits(s)
	case I96F32:
		r, err = ParseI96F32Bits(s)
	case U96F32:
		r, err = ParseU96F32Bits(s)
	}
	return r.(T), err
}

// checkFromInts checks the integer constructors against the reference.
func checkFromInts[T fx[T]](t testing.TB, fromU func(uint64) T, fromI func(int64) T, u uint64, i int64) {
	t.Helper()
	var zero T
	k := kindOf(zero)
	vu := new(big.Int).Lsh(new(big.Int).SetUint64(u), k.frac)
	if got := rawOf(fromU(u)); got.Cmp(k.clamp(vu)) != 0 {
		t.Fatalf("%sFromUint64(%d) = raw %s, want %s", k.name, u, got, k.clamp(vu))
	}
	vi := new(big.Int).Lsh(big.NewInt(i), k.frac)
	if got := rawOf(fromI(i)); got.Cmp(k.clamp(vi)) != 0 {
		t.Fatalf("%sFromInt64(%d) = raw %s, want %s", k.name, i, got, k.clamp(vi))
	}
}

// checkFromFloat checks from_num(f64) (ties to even, saturating, NaN -> 0).
func checkFromFloat[T fx[T]](t testing.TB, from func(float64) T, f float64) {
	t.Helper()
	var zero T
	k := kindOf(zero)
	var want *big.Int
	switch {
	case math.IsNaN(f):
		want = new(big.Int)
	case math.IsInf(f, 1):
		want = k.maxRaw()
	case math.IsInf(f, -1):
		want = k.minRaw()
	default:
		want = refFromFloat64(k, f)
	}
	if got := rawOf(from(f)); got.Cmp(want) != 0 {
		t.Fatalf("%sFromFloat64(%v) = raw %s, want %s", k.name, f, got, want)
	}
}
