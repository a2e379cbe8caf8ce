package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// mulUnitOperands are raw I32F32 bits in [0, 2^32], mulUnit's domain,
// with both ends.
func mulUnitOperands() (xs, ys []uint64) {
	r := rand.New(rand.NewPCG(1, 2))
	xs, ys = make([]uint64, 4096), make([]uint64, 4096)
	for i := range xs {
		xs[i], ys[i] = r.Uint64N(1<<32+1), r.Uint64N(1<<32+1)
	}
	xs[0], ys[0] = 1<<32, 1<<32
	xs[1], ys[1] = 0, 1<<32
	xs[2], ys[2] = 1<<32, 1<<32-1
	return xs, ys
}

// mulUnit equals fixed's I32F32 Mul on its domain.
func TestMulUnit(t *testing.T) {
	xs, ys := mulUnitOperands()
	for i := range xs {
		want := fixed.I32F32FromBits(int64(xs[i])).Mul(fixed.I32F32FromBits(int64(ys[i])))
		if got := mulUnit(xs[i], ys[i]); got != uint64(want.Bits()) {
			t.Fatalf("mulUnit(%d, %d) = %d, Mul %d", xs[i], ys[i], got, want.Bits())
		}
	}
}

var sinkMul uint64

// BenchmarkMulUnit compares mulUnit with the I32F32 Mul it specialises, on
// 4096 products a run.
func BenchmarkMulUnit(b *testing.B) {
	xs, ys := mulUnitOperands()
	b.Run("mulUnit", func(b *testing.B) {
		for b.Loop() {
			var t uint64
			for i := range xs {
				t += mulUnit(xs[i], ys[i])
			}
			sinkMul = t
		}
	})
	b.Run("I32F32.Mul", func(b *testing.B) {
		for b.Loop() {
			var t uint64
			for i := range xs {
				t += uint64(fixed.I32F32FromBits(int64(xs[i])).Mul(fixed.I32F32FromBits(int64(ys[i]))).Bits())
			}
			sinkMul = t
		}
	})
}

// TestNormalizeUsingMatchesSafeDiv: normalizeUsing's divisor path gives
// SafeDiv's bits for every element: zeros, values in [0, 1) around the
// overflow bound, 1 and above, negatives, and sums of either sign, tiny or
// large.
func TestNormalizeUsingMatchesSafeDiv(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	draw := func() fixed.I32F32 {
		switch r.IntN(8) {
		case 0:
			return zero
		case 1:
			return fixed.I32F32FromBits(1<<32 - 1 - r.Int64N(4))
		case 2:
			return fixed.I32F32FromBits(1<<32 + r.Int64N(1<<40))
		case 3:
			return fixed.I32F32FromBits(-r.Int64N(1 << 40))
		case 4:
			return fixed.I32F32FromBits(1 + r.Int64N(64))
		default:
			return fixed.I32F32FromBits(r.Int64N(1 << 32))
		}
	}
	for range 20000 {
		x := make([]fixed.I32F32, 1+r.IntN(6))
		for i := range x {
			x[i] = draw()
		}
		s := draw()
		if r.IntN(4) == 0 {
			s = sum(x)
		}
		got := slices.Clone(x)
		normalizeUsing(got, s)
		for i := range x {
			want := x[i]
			if !s.IsZero() {
				want = x[i].SafeDiv(s)
			}
			if got[i] != want {
				t.Fatalf("%v / %v: got %v, SafeDiv %v", x[i], s, got[i], want)
			}
		}
	}
}

// TestMulUnitRao: for a proportion x in [0, 1] and any u64 emission e,
// mulUnit(x_bits, e) is writeOutput's I96F32 amount
// saturating_to_num::<u64>(I96F32(x)·I96F32(e)).
func TestMulUnitRao(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 4))
	es := []uint64{0, 1, 65535, 1e9, 1 << 32, 1<<63 + 5, ^uint64(0) - 1, ^uint64(0)}
	xs := []int64{0, 1, 1<<31 + 1, 1<<32 - 1, 1 << 32}
	for range 2000 {
		es = append(es, r.Uint64(), r.Uint64N(1<<40))
		xs = append(xs, r.Int64N(1<<32+1))
	}
	for _, e := range es {
		e96 := fixed.I96F32FromUint64(e)
		for _, xb := range xs[:len(xs)/20+5] {
			x := fixed.I32F32FromBits(xb)
			want := x.SaturatingToI96F32().SaturatingMul(e96).SaturatingToUint64()
			if got := mulUnit(uint64(xb), e); got != want {
				t.Fatalf("x %v e %d: mulUnit %d, I96F32 %d", x, e, got, want)
			}
		}
	}
}
