package fixed

import (
	"testing"

	"github.com/holiman/uint256"
)

// Package-level sinks keep the compiler from discarding the results.
var (
	sinkI32F32 I32F32
	sinkI64F64 I64F64
	sinkU64F64 U64F64
	sinkI96F32 I96F32
	sinkU96F32 U96F32
	sinkU64    uint64
	sinkPq     Perquintill
	sinkOK     bool
)

func TestNoAllocs(t *testing.T) {
	x32, y32 := I32F32FromFloat64(-3.25), I32F32FromFloat64(0.7)
	xi64, yi64 := I64F64FromInt64(-12345), I64F64FromFloat64(0.3)
	xu64, yu64 := U64F64FromUint64(1e12), U64F64FromBits(0, 1<<62|12345)
	xi96, yi96 := I96F32FromInt64(-1e15), I96F32FromFloat64(7.5)
	xu96, yu96 := U96F32FromUint64(1e18), U96F32FromBits(1, 77)
	p, q := uint256.NewInt(3), uint256.NewInt(1e17)
	cases := map[string]func(){
		"I32F32": func() {
			sinkI32F32 = x32.Mul(y32).Div(y32).SafeDiv(x32).SaturatingMul(y32).SaturatingDiv(x32)
			sinkI32F32, sinkOK = x32.CheckedDiv(y32)
			sinkI32F32 = x32.Add(y32).Sub(y32).Round().Ceil().Floor().SafeDivOr(y32, x32)
			sinkI64F64 = x32.SaturatingToI64F64()
			sinkU64 = y32.SaturatingToUint64()
			sinkI32F32, sinkOK = Exp(x32)
			sinkI32F32 = ExpSafe(y32)
		},
		"I64F64": func() {
			sinkI64F64 = xi64.Mul(yi64).Div(yi64).SafeDiv(xi64).SaturatingMul(yi64).SaturatingDiv(xi64)
			sinkI64F64, sinkOK = xi64.CheckedDiv(yi64)
			sinkI64F64 = xi64.Add(yi64).Sub(yi64).Round().Ceil().Floor()
			sinkI32F32 = xi64.SaturatingToI32F32()
			sinkU64 = yi64.SaturatingToUint64() + uint64(xi64.SaturatingToUint16())
		},
		"U64F64": func() {
			sinkU64F64 = xu64.Mul(yu64).Div(yu64).SafeDiv(xu64).SaturatingMul(yu64).SaturatingDiv(xu64)
			sinkU64F64, sinkOK = xu64.CheckedDiv(yu64)
			sinkU64F64 = xu64.SaturatingAdd(yu64).SaturatingSub(yu64).Round()
			sinkU96F32 = xu64.SaturatingToU96F32()
			sinkU64 = xu64.SaturatingToUint64()
			sinkU64F64, sinkOK = xu64.CheckedSqrt(yu64)
		},
		"I96F32": func() {
			sinkI96F32 = xi96.Mul(yi96).Div(yi96).SafeDiv(xi96).SaturatingMul(yi96).SaturatingDiv(xi96)
			sinkI96F32, sinkOK = xi96.CheckedDiv(yi96)
			sinkI32F32 = xi96.SaturatingToI32F32()
			sinkU64 = yi96.SaturatingToUint64()
		},
		"U96F32": func() {
			sinkU96F32 = xu96.Mul(yu96).Div(yu96).SafeDiv(xu96).SaturatingMul(yu96).SaturatingDiv(xu96)
			sinkU96F32, sinkOK = xu96.CheckedDiv(yu96)
			sinkU64F64 = xu96.SaturatingToU64F64()
			sinkU64 = yu96.SaturatingToUint64()
		},
		"IntOps": func() {
			sinkU64F64 = U64F64FromRatio(7, 3)
			sinkU96F32 = U96F32FromRatio(1<<40, 3).Add(U96F32FromU64Proportion(1 << 60)).Add(U96F32FromU16Proportion(11_796))
			sinkI32F32 = I32F32FromU16Proportion(65535)
			sinkU64 = xu64.SaturatingMulToUint64(1e9) + uint64(y32.U16Proportion()) + NewUint64Divisor(65535).Div(1<<40)
			sinkU64 += SaturatingAddUint64(1, 2) + SaturatingSubUint64(1, 2) + SaturatingMulUint64(3, 4)
			sinkU64, sinkOK = MulDivUint64(1e18, 65535, 7)
			sinkI32F32, sinkOK = Log2(x32.Neg())
			sinkI32F32, sinkOK = Ln(y32)
		},
		"Perquintill": func() {
			sinkPq = PerquintillFromRational(3, 7)
			sinkPq = PerquintillFromRational256(p, q).Complement()
			sinkU64 = sinkPq.MulFloorUint64(1e15) + Isqrt128(5, 7) + SafeDivUint64(7, 0)
		},
	}
	for name, f := range cases {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", name, n)
		}
	}
}
