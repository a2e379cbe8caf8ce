package fixed

import (
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/holiman/uint256"
)

// mulShrRef and divShlRef are the 128-bit kernels as first written
// (commit e6cea7d): the full 256-bit product for every multiplication, and
// uint256's long division for divisors of 2^64 or more. mulShr's two-word
// path and divShl's Knuth steps (quoWide) must give their bits exactly.
func mulShrRef(a, b u128, frac uint, signed bool) (u128, bool) {
	// Unsigned 256-bit product of the raw bit patterns.
	h00, l00 := bits.Mul64(a.lo, b.lo)
	h01, l01 := bits.Mul64(a.lo, b.hi)
	h10, l10 := bits.Mul64(a.hi, b.lo)
	h11, l11 := bits.Mul64(a.hi, b.hi)
	p0 := l00
	p1, c := bits.Add64(h00, l01, 0)
	p2, c2 := bits.Add64(h01, l11, c)
	p3 := h11 + c2
	p1, c = bits.Add64(p1, l10, 0)
	p2, c2 = bits.Add64(p2, h10, c)
	p3 += c2
	if signed {
		// Two's complement correction: a negative operand x stands for
		// x - 2^128, so subtract the other operand from the upper half.
		if a.neg() {
			p2, c = bits.Sub64(p2, b.lo, 0)
			p3, _ = bits.Sub64(p3, b.hi, c)
		}
		if b.neg() {
			p2, c = bits.Sub64(p2, a.lo, 0)
			p3, _ = bits.Sub64(p3, a.hi, c)
		}
	}
	var q0, q1, q2, q3 uint64
	switch frac {
	case 64:
		q0, q1, q2 = p1, p2, p3
		if signed {
			q3 = uint64(int64(p3) >> 63)
		}
	case 32:
		q0 = p0>>32 | p1<<32
		q1 = p1>>32 | p2<<32
		q2 = p2>>32 | p3<<32
		if signed {
			q3 = uint64(int64(p3) >> 32)
		} else {
			q3 = p3 >> 32
		}
	default:
		// 64 < frac < 128, unsigned: the fixed-point products of
		// internal/bigpow's bounded power (U128.MulShr).
		if signed || frac <= 64 || frac >= 128 {
			panic("fixed: unsupported fractional bit count")
		}
		s := frac - 64
		q0 = p1>>s | p2<<(64-s)
		q1 = p2>>s | p3<<(64-s)
		q2 = p3 >> s
	}
	r := u128{q1, q0}
	var ext uint64
	if signed {
		ext = uint64(int64(q1) >> 63)
	}
	return r, q2 != ext || q3 != ext
}

func divShlRef(a, b u128, frac uint, signed bool) (u128, bool) {
	negQ := signed && a.neg() != b.neg()
	ma, mb := a.abs(signed), b.abs(signed)
	var q0, q1, q2 uint64
	if mb.hi == 0 {
		// Fast path: schoolbook division of three words by one.
		var n0, n1, n2 uint64
		switch frac {
		case 64:
			n0, n1, n2 = 0, ma.lo, ma.hi
		case 32:
			n0, n1, n2 = ma.lo<<32, ma.hi<<32|ma.lo>>32, ma.hi>>32
		default:
			panic("fixed: unsupported fractional bit count")
		}
		d := mb.lo
		var r uint64
		q2, r = n2/d, n2%d
		q1, r = bits.Div64(r, n1, d)
		q0, _ = bits.Div64(r, n0, d)
	} else {
		var n, d, q uint256.Int
		n = uint256.Int{ma.lo, ma.hi, 0, 0}
		n.Lsh(&n, frac)
		d = uint256.Int{mb.lo, mb.hi, 0, 0}
		q.Div(&n, &d)
		q0, q1, q2 = q[0], q[1], q[2]
	}
	r := u128{q1, q0}
	var ovf bool
	switch {
	case q2 != 0:
		ovf = true
	case !signed:
		ovf = false
	case negQ:
		ovf = r.hi > 1<<63 || (r.hi == 1<<63 && r.lo != 0)
	default:
		ovf = r.hi >= 1<<63
	}
	if negQ {
		r = r.negate()
	}
	return r, ovf
}

// kernelShapes are the (frac, signed) pairs the kernels serve: the four
// fixed-point types and U128.MulShr's shifts (multiplication only).
var kernelShapes = []struct {
	frac   uint
	signed bool
}{{32, false}, {64, false}, {32, true}, {64, true}}

// randKernelOperand draws a raw value, often below 2^64 (the two-word
// product path) or with a divisor's high word set (the Knuth path).
func randKernelOperand(rng *rand.Rand) u128 {
	x := u128(randU128(rng))
	switch rng.IntN(4) {
	case 0:
		x.hi = 0
	case 1:
		x.hi = uint64(rng.IntN(4))
	}
	return x
}

func checkKernels(t *testing.T, a, b u128) {
	t.Helper()
	for _, k := range kernelShapes {
		got, o := mulShr(a, b, k.frac, k.signed)
		want, wo := mulShrRef(a, b, k.frac, k.signed)
		if got != want || o != wo {
			t.Fatalf("mulShr(%v, %v, %d, %v) = %v, %v; reference %v, %v", a, b, k.frac, k.signed, got, o, want, wo)
		}
		if b.isZero() {
			continue
		}
		got, o = divShl(a, b, k.frac, k.signed)
		want, wo = divShlRef(a, b, k.frac, k.signed)
		if got != want || o != wo {
			t.Fatalf("divShl(%v, %v, %d, %v) = %v, %v; reference %v, %v", a, b, k.frac, k.signed, got, o, want, wo)
		}
	}
	for s := uint(65); s < 128; s += 9 {
		if got, want := U128(a).MulShr(U128(b), s), U128(mustMulShrRef(a, b, s)); got != want {
			t.Fatalf("MulShr(%v, %v, %d) = %v, reference %v", a, b, s, got, want)
		}
	}
	if q, r, ok := U128(a).QuoRem(U128(b)); !b.isZero() {
		x, y := uint256.Int{a.lo, a.hi}, uint256.Int{b.lo, b.hi}
		var wq, wr uint256.Int
		wq.DivMod(&x, &y, &wr)
		if !ok || q != (U128{wq[1], wq[0]}) || r != (U128{wr[1], wr[0]}) {
			t.Fatalf("QuoRem(%v, %v) = %v, %v, %v; uint256 %v, %v", a, b, q, r, ok, &wq, &wr)
		}
	}
}

func mustMulShrRef(a, b u128, s uint) u128 {
	r, _ := mulShrRef(a, b, s, false)
	return r
}

// The kernels give the reference's bits on edge values and on 300,000
// random pairs for every type, and QuoRem uint256's quotient and remainder.
func TestKernelsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 12))
	for _, a := range edgeU128 {
		for _, b := range edgeU128 {
			checkKernels(t, u128(a), u128(b))
		}
	}
	for range 300_000 {
		checkKernels(t, randKernelOperand(rng), randKernelOperand(rng))
	}
}

func FuzzKernels(f *testing.F) {
	f.Add(uint64(0), uint64(1), uint64(1), uint64(0))
	f.Add(uint64(0), ^uint64(0), uint64(0), uint64(3))
	f.Fuzz(func(t *testing.T, ah, al, bh, bl uint64) {
		checkKernels(t, u128{ah, al}, u128{bh, bl})
	})
}
