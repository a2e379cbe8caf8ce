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

// uint64Samples draws deterministic u64 operands of random bit length;
// divisors never zero.
func uint64Samples() (xs, ys [numSamples]uint64) {
	r := rand.New(rand.NewPCG(0, 1))
	for i := range numSamples {
		xs[i] = r.Uint64() >> r.IntN(64)
		ys[i] = max(r.Uint64()>>r.IntN(64), 1)
	}
	return xs, ys
}

// BenchmarkIntOps measures the integer-operand helpers on random operands
// and, where the epoch or the swap feeds them a narrower shape, on that
// shape.
func BenchmarkIntOps(b *testing.B) {
	xs, ys := uint64Samples()
	us, vs := samples[U64F64](kU64F64)
	b.Run("U64F64FromRatio", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkU64F64 = U64F64FromRatio(xs[i%numSamples], ys[i%numSamples])
		}
	})
	b.Run("U96F32FromRatio", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkU96F32 = U96F32FromRatio(xs[i%numSamples], ys[i%numSamples])
		}
	})
	b.Run("U96F32FromU64Proportion", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkU96F32 = U96F32FromU64Proportion(xs[i%numSamples])
		}
	})
	b.Run("U96F32FromU16Proportion", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkU96F32 = U96F32FromU16Proportion(uint16(xs[i%numSamples]))
		}
	})
	b.Run("I32F32FromU16Proportion", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkI32F32 = I32F32FromU16Proportion(uint16(xs[i%numSamples]))
		}
	})
	b.Run("U16Proportion", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkU64 = uint64(I32F32{int64(xs[i%numSamples] >> 31)}.U16Proportion())
		}
	})
	b.Run("U64F64.SaturatingMulToUint64", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkU64 = us[i%numSamples].SaturatingMulToUint64(xs[i%numSamples])
		}
	})
	b.Run("U64F64.SaturatingMul", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkU64F64 = us[i%numSamples].SaturatingMul(vs[i%numSamples])
		}
	})
	b.Run("U64F64.SaturatingSub", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkU64F64 = us[i%numSamples].SaturatingSub(vs[i%numSamples])
		}
	})
	b.Run("SaturatingAddUint64", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkU64 = SaturatingAddUint64(xs[i%numSamples], ys[i%numSamples])
		}
	})
	b.Run("MulDivUint64", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkU64, sinkOK = MulDivUint64(xs[i%numSamples], 65535, ys[i%numSamples])
		}
	})
	b.Run("Uint64Divisor.Div", func(b *testing.B) {
		b.ReportAllocs()
		d := NewUint64Divisor(12_345_678)
		for i := 0; b.Loop(); i++ {
			sinkU64 = d.Div(xs[i%numSamples])
		}
	})
	b.Run("Log2", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkI32F32, sinkOK = Log2(I32F32{int64(xs[i%numSamples] >> 1)})
		}
	})
	b.Run("Ln", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkI32F32, sinkOK = Ln(I32F32{int64(xs[i%numSamples] >> 1)})
		}
	})
}

// BenchmarkI32F32SafeDivShapes is SafeDiv on the epoch's operand shapes:
// cells at most 1 over positive sums, integer weights over whole-number
// sums, and general non-negative operands.
func BenchmarkI32F32SafeDivShapes(b *testing.B) {
	xs, ys := uint64Samples()
	var unit, whole, general [numSamples][2]I32F32
	for i := range numSamples {
		unit[i] = [2]I32F32{{int64(xs[i] >> 31)}, {int64(ys[i]>>1) | 1<<32}}
		whole[i] = [2]I32F32{{int64(xs[i]>>48) << 32}, {int64(ys[i]>>33+1) << 32}}
		general[i] = [2]I32F32{{int64(xs[i] >> 1)}, {int64(ys[i] >> 1)}}
	}
	for _, c := range []struct {
		name string
		ops  *[numSamples][2]I32F32
	}{{"unit", &unit}, {"whole", &whole}, {"general", &general}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				op := &c.ops[i%numSamples]
				sinkI32F32 = op[0].SafeDiv(op[1])
			}
		})
	}
}
