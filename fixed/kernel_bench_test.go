package fixed

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkKernels times the division kernels on the operand shapes the
// block feeds them (64 subnets): U64F64Divisor.Divide of moving prices
// (0.001 to 0.5) by their sum, and of shares (below 1) by a sum near 1;
// PerquintillShareOfRounded of two reserve products (1e13 to 1e16 rao
// each) with weights near one half; the root proportion's U96F32 division.
func BenchmarkKernels(b *testing.B) {
	rng := rand.New(rand.NewPCG(14, 21))
	var prices, shares [64]U64F64
	var total, shareSum U64F64
	for i := range prices {
		prices[i] = U64F64{0, rng.Uint64N(1<<63) + 1<<54}
		total = total.Add(prices[i])
	}
	for i := range shares {
		shares[i], _ = prices[i].CheckedDiv(total)
		shareSum = shareSum.Add(shares[i])
	}
	byTotal := NewU64F64Divisor(total)
	bySum := NewU64F64Divisor(shareSum)
	b.Run("U64F64Divisor.Divide/prices", func(b *testing.B) {
		for b.Loop() {
			for i := range prices {
				sinkU64F64, sinkOK = byTotal.Divide(prices[i])
			}
		}
	})
	b.Run("U64F64Divisor.Divide/shares", func(b *testing.B) {
		for b.Loop() {
			for i := range shares {
				sinkU64F64, sinkOK = bySum.Divide(shares[i])
			}
		}
	})
	b.Run("U64F64Divisor.Divide/oneword", func(b *testing.B) {
		d := NewU64F64Divisor(U64F64{0, 1<<63 + 12345})
		for b.Loop() {
			for i := range prices {
				sinkU64F64, sinkOK = d.Divide(prices[i])
			}
		}
	})
	type shareOps struct {
		p1 U128
		w1 uint64
		p2 U128
		w2 uint64
	}
	var ops [64]shareOps
	for i := range ops {
		y, x := 1e13+rng.Uint64N(1e16), 1e13+rng.Uint64N(1e16)
		dy, dx := rng.Uint64N(1e12), rng.Uint64N(1e12)
		w2 := 4e17 + rng.Uint64N(2e17)
		ops[i] = shareOps{U128MulSumSat(y, x, dx), PerquintillAccuracy - w2, U128MulSumSat(x, y, dy), w2}
	}
	b.Run("PerquintillShareOfRounded", func(b *testing.B) {
		for b.Loop() {
			for i := range ops {
				o := &ops[i]
				sinkPerq, sinkOK = PerquintillShareOfRounded(o.p1, o.w1, o.p2, o.w2)
			}
		}
	})
}
