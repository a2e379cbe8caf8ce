package fixed

import (
	"math/rand/v2"
	"testing"
)

// sfBenchOperands returns deterministic operands shaped like the share
// pools' traffic: amounts and pool values of 1 to 2^54 rao, and SafeFloats
// of them as shares and denominators.
func sfBenchOperands() (ns [256]uint64, xs [256]SafeFloat) {
	r := rand.New(rand.NewPCG(14, 21))
	for i := range ns {
		ns[i] = r.Uint64N(uint64(1) << (1 + r.UintN(54)))
		xs[i] = SafeFloatFromUint64(ns[i] + 1)
	}
	return ns, xs
}

// sfImpl is one implementation of the exported SafeFloat operations.
type sfImpl struct {
	fromUint64 func(uint64) SafeFloat
	fromU64F64 func(U64F64) SafeFloat
	newSF      func(hi, lo uint64, e int64) (SafeFloat, bool)
	add, sub   func(x, y SafeFloat) (SafeFloat, bool)
	mulDiv     func(x, y, z SafeFloat) (SafeFloat, bool)
	div        func(x, y SafeFloat) (SafeFloat, bool)
	toUint64   func(SafeFloat) uint64
}

var (
	sfFast = sfImpl{SafeFloatFromUint64, SafeFloatFromU64F64, NewSafeFloat,
		SafeFloat.Add, SafeFloat.Sub, SafeFloat.MulDiv, SafeFloat.Div, SafeFloat.ToUint64}
	sfOld = sfImpl{oldSafeFloatFromUint64, oldSafeFloatFromU64F64, oldNewSafeFloat,
		oldAdd, oldSub, oldMulDiv, oldDiv, oldToUint64}
)

// BenchmarkSafeFloat measures the fast operations; BenchmarkSafeFloatOld
// the same operations of the reference (safefloat_ref_test.go), for a
// before/after comparison in one run (the calls go through function values
// in both).
func BenchmarkSafeFloat(b *testing.B)    { benchSafeFloat(b, sfFast) }
func BenchmarkSafeFloatOld(b *testing.B) { benchSafeFloat(b, sfOld) }

func benchSafeFloat(b *testing.B, f sfImpl) {
	ns, xs := sfBenchOperands()
	var sink SafeFloat
	var u uint64
	b.Run("op=FromUint64", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink = f.fromUint64(ns[i&255])
		}
	})
	b.Run("op=FromU64F64", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink = f.fromU64F64(U64F64FromBits(ns[i&255]>>20, ns[(i+1)&255]))
		}
	})
	b.Run("op=New", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink, _ = f.newSF(0, ns[i&255], int64(i&63)-32)
		}
	})
	b.Run("op=Add", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink, _ = f.add(xs[i&255], xs[(i+7)&255])
		}
	})
	b.Run("op=Sub", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink, _ = f.sub(xs[i&255], xs[(i+7)&255])
		}
	})
	b.Run("op=MulDiv", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink, _ = f.mulDiv(xs[i&255], xs[(i+7)&255], xs[(i+13)&255])
		}
	})
	b.Run("op=Div", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink, _ = f.div(xs[i&255], xs[(i+7)&255])
		}
	})
	b.Run("op=ToUint64", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			u += f.toUint64(xs[i&255])
		}
	})
	// The share pool's stake step: shares = amount·denominator/V, then
	// denominator + shares and share + shares (sharepool.go updateForOne).
	b.Run("op=StakeStep", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			s, _ := f.mulDiv(f.fromUint64(ns[i&255]), xs[(i+7)&255], f.fromUint64(ns[(i+13)&255]+1))
			d, _ := f.add(xs[(i+7)&255], s)
			sink, _ = f.add(xs[(i+3)&255], s)
			u += f.toUint64(d)
		}
	})
	_, _ = sink, u
}
