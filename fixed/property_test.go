package fixed

import (
	"testing"

	"pgregory.net/rapid"
)

// Laws the chain's arithmetic relies on, drawn over raw bit patterns.

func drawU64F64(t *rapid.T, label string) U64F64 {
	return U64F64{rapid.Uint64().Draw(t, label+".hi"), rapid.Uint64().Draw(t, label+".lo")}
}

func drawI32F32(t *rapid.T, label string) I32F32 {
	return I32F32{rapid.Int64().Draw(t, label)}
}

// Floor on multiply and truncation on divide never overshoot for
// non-negative operands: (x/y)*y <= x, and x*y/y <= x.
func TestPropDivMulNeverOvershoots(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x, y := drawU64F64(t, "x"), drawU64F64(t, "y")
		if q, ok := x.CheckedDiv(y); ok {
			if p, ok := q.CheckedMul(y); ok && x.Less(p) {
				t.Fatalf("(%v / %v) * %v = %v > x", x, y, y, p)
			}
		}
		if p, ok := x.CheckedMul(y); ok {
			if q, ok := p.CheckedDiv(y); ok && x.Less(q) {
				t.Fatalf("(%v * %v) / %v = %v > x", x, y, y, q)
			}
		}
	})
}

// Saturating multiplication is monotone in each operand for non-negative
// values.
func TestPropSaturatingMulMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x, y, z := drawU64F64(t, "x"), drawU64F64(t, "y"), drawU64F64(t, "z")
		if z.Less(y) {
			y, z = z, y
		}
		if x.SaturatingMul(z).Less(x.SaturatingMul(y)) {
			t.Fatalf("x*y > x*z with y <= z")
		}
	})
}

// Widening I32F32 -> I64F64 -> I32F32 (and via I96F32) is the identity;
// narrowing after widening never loses a bit.
func TestPropWidenRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := drawI32F32(t, "x")
		if got := x.SaturatingToI64F64().SaturatingToI32F32(); got != x {
			t.Fatalf("I64F64 round trip %v -> %v", x, got)
		}
		if got, ok := x.SaturatingToI96F32().CheckedToI32F32(); !ok || got != x {
			t.Fatalf("I96F32 round trip %v -> %v", x, got)
		}
	})
}

// Negation laws of the signed types: SaturatingNeg is an involution except
// at the minimum, and Abs is never negative except the wrapped minimum.
func TestPropNeg(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := drawI32F32(t, "x")
		if x != I32F32Min() && x.SaturatingNeg().SaturatingNeg() != x {
			t.Fatalf("-(-%v) != %v", x, x)
		}
		if x != I32F32Min() && x.Abs().IsNegative() {
			t.Fatalf("|%v| < 0", x)
		}
		if x.SaturatingAbs().IsNegative() {
			t.Fatalf("saturating |%v| < 0", x)
		}
	})
}

// Perquintill: complement is an involution and parts stay within 1e18.
func TestPropPerquintill(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := PerquintillFromRational(rapid.Uint64().Draw(t, "p"), rapid.Uint64().Draw(t, "q"))
		if p.Parts() > PerquintillAccuracy || p.Complement().Complement() != p {
			t.Fatalf("perquintill %d", p)
		}
		v := rapid.Uint64().Draw(t, "v")
		if p.MulFloorUint64(v)+p.Complement().MulFloorUint64(v) > v {
			t.Fatalf("p*v + (1-p)*v > v for p=%d v=%d", p, v)
		}
	})
}
