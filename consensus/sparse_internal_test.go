package consensus

import (
	"math/rand/v2"
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
