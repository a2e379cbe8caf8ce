package fixed

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func checkExp(t testing.TB, x I32F32) {
	t.Helper()
	a := big.NewInt(x.bits)
	want, wantOK := refExp(a)
	got, ok := Exp(x)
	if ok != wantOK || (ok && got.bits != want.Int64()) || (!ok && got.bits != 0) {
		t.Fatalf("Exp(%s) = %v, %v; want %v, %v", a, got.bits, ok, want, wantOK)
	}
	// exp_safe: clamp to [-20, 20], then exp, falling back by sign.
	c := clampInt(a, big.NewInt(-20<<32), big.NewInt(20<<32))
	safe, sok := want, wantOK
	if c.Cmp(a) != 0 {
		safe, sok = refExp(c)
	}
	switch {
	case sok:
	case c.Sign() <= 0:
		safe = new(big.Int)
	default:
		safe = kI32F32.maxRaw()
	}
	if got := ExpSafe(x); got.bits != safe.Int64() {
		t.Fatalf("ExpSafe(%s) = %d, want %s", a, got.bits, safe)
	}
}

func TestExpEdges(t *testing.T) {
	for _, a := range edgeRaws(kI32F32) {
		checkExp(t, I32F32{a.Int64()})
	}
	for i := int64(-64); i <= 64; i++ {
		checkExp(t, I32F32FromInt64(i))
		checkExp(t, I32F32{i<<32 + 1})
		checkExp(t, I32F32{i<<32 - 1})
		checkExp(t, I32F32{i<<32 + 1<<31})
	}
}

func TestExpRandom(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(21, 21))
	n := 10_000
	if testing.Short() {
		n = 2_000
	}
	for i := range n {
		var b int64
		if i%2 == 0 {
			b = r.Int64N(90<<32) - 45<<32 // where the series succeeds or just fails
		} else {
			b = int64(r.Uint64()) >> r.IntN(64)
		}
		checkExp(t, I32F32{b})
	}
}

// TestExpSpecValues pins the values spec/yuma.md §1.0 states.
func TestExpSpecValues(t *testing.T) {
	// exp(1) is e truncated to 23 fractional bits: 22802600 / 2^23.
	if got, ok := Exp(I32F32FromUint64(1)); !ok || got.bits != 22802600<<9 {
		t.Fatalf("Exp(1) = %d, %v", got.bits, ok)
	}
	if got, ok := Exp(I32F32{}); !ok || got != I32F32FromUint64(1) {
		t.Fatalf("Exp(0) = %v, %v", got, ok)
	}
	// exp(20) evaluates to 481 239 357.67, not 485 165 195.41.
	e20 := ExpSafe(I32F32FromInt64(20))
	if got := e20.SaturatingToUint64(); got != 481_239_357 {
		t.Fatalf("ExpSafe(20) = %v", e20)
	}
	if f := e20.Float64(); math.Abs(f-481_239_357.67) > 0.01 {
		t.Fatalf("ExpSafe(20) = %v, want about 481239357.67", f)
	}
	// Clamping: ExpSafe(1000) == ExpSafe(20); ExpSafe(-1000) == ExpSafe(-20).
	if ExpSafe(I32F32FromInt64(1000)) != e20 {
		t.Fatal("ExpSafe does not clamp above")
	}
	if ExpSafe(I32F32FromInt64(-1000)) != ExpSafe(I32F32FromInt64(-20)) {
		t.Fatal("ExpSafe does not clamp below")
	}
	// Exp(-1) runs the series (only +1 is special-cased) and inverts it.
	em1, ok := Exp(I32F32FromInt64(-1))
	if !ok || math.Abs(em1.Float64()-math.Exp(-1)) > 1e-8 {
		t.Fatalf("Exp(-1) = %v, %v", em1, ok)
	}
	// The series overflows I32F32 well before x = 22.
	if _, ok := Exp(I32F32FromInt64(22)); ok {
		t.Fatal("Exp(22) should fail")
	}
	if _, ok := Exp(I32F32Min()); ok {
		t.Fatal("Exp(min) should fail (checked_neg)")
	}
}
