package fixed

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

const numSamples = 256

// samples draws deterministic operands: random magnitudes, divisors never zero.
func samples[T any](k kind) (xs, ys [numSamples]T) {
	r := rand.New(rand.NewPCG(0, 0))
	for i := range numSamples {
		xs[i] = fromRaw[T](randRaw(r, k))
		y := randRaw(r, k)
		if y.Sign() == 0 {
			y.SetInt64(1)
		}
		ys[i] = fromRaw[T](y)
	}
	return xs, ys
}

func benchOps[T fx[T]](b *testing.B, sink *T) {
	var zero T
	xs, ys := samples[T](kindOf(zero))
	b.Run("Mul", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			*sink = xs[i%numSamples].Mul(ys[i%numSamples])
		}
	})
	b.Run("SaturatingMul", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			*sink = xs[i%numSamples].SaturatingMul(ys[i%numSamples])
		}
	})
	b.Run("Div", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			*sink = xs[i%numSamples].Div(ys[i%numSamples])
		}
	})
	b.Run("SafeDiv", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			*sink = xs[i%numSamples].SafeDiv(ys[i%numSamples])
		}
	})
	b.Run("SaturatingToI32F32", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkI32F32 = xs[i%numSamples].SaturatingToI32F32()
		}
	})
	// The math/big baseline for the same multiplication.
	b.Run("Mul/big", func(b *testing.B) {
		b.ReportAllocs()
		k := kindOf(zero)
		as, bs := make([]*big.Int, numSamples), make([]*big.Int, numSamples)
		for i := range numSamples {
			as[i], bs[i] = rawOf(xs[i]), rawOf(ys[i])
		}
		var p big.Int
		for i := 0; b.Loop(); i++ {
			p.Mul(as[i%numSamples], bs[i%numSamples])
			p.Rsh(&p, k.frac)
		}
	})
}

func BenchmarkI32F32(b *testing.B) {
	benchOps(b, &sinkI32F32)
	xs, _ := samples[I32F32](kI32F32)
	for i := range xs {
		xs[i] = I32F32{xs[i].bits >> 26} // |x| < 2^5: the range exp is used on
	}
	b.Run("Exp", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkI32F32, sinkOK = Exp(xs[i%numSamples])
		}
	})
	b.Run("ExpSafe", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkI32F32 = ExpSafe(xs[i%numSamples])
		}
	})
}

func BenchmarkI64F64(b *testing.B) { benchOps(b, &sinkI64F64) }
func BenchmarkU64F64(b *testing.B) { benchOps(b, &sinkU64F64) }
func BenchmarkI96F32(b *testing.B) { benchOps(b, &sinkI96F32) }
func BenchmarkU96F32(b *testing.B) { benchOps(b, &sinkU96F32) }

func BenchmarkPerquintill(b *testing.B) {
	b.Run("FromRational", func(b *testing.B) {
		b.ReportAllocs()
		for i := uint64(1); b.Loop(); i++ {
			sinkPq = PerquintillFromRational(i, i*3+1)
		}
	})
	b.Run("MulFloorUint64", func(b *testing.B) {
		b.ReportAllocs()
		p := PerquintillFromRational(1, 3)
		for i := uint64(1); b.Loop(); i++ {
			sinkU64 = p.MulFloorUint64(i)
		}
	})
}
