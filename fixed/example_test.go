package fixed_test

import (
	"fmt"

	"github.com/dtao-go/dtao/fixed"
	"github.com/holiman/uint256"
)

// Multiplication floors toward -inf: -1.5 * 2^-32 is -1.5 deltas, which
// floors to -2 deltas, not -1.
func ExampleI32F32_Mul() {
	x := fixed.I32F32FromFloat64(-1.5)
	d := fixed.I32F32Delta()
	fmt.Println(x.Mul(d).Bits())
	fmt.Println(fixed.I32F32FromInt64(3).Mul(fixed.I32F32FromFloat64(0.5)))
	// Output:
	// -2
	// 1.5
}

// Division truncates toward zero; the plain Div returns 0 on a zero divisor
// where Rust would panic.
func ExampleI32F32_Div() {
	one := fixed.I32F32FromInt64(1)
	three := fixed.I32F32FromInt64(3)
	fmt.Println(one.Div(three).Bits(), one.Neg().Div(three).Bits())
	fmt.Println(one.Div(fixed.I32F32{}))
	// Output:
	// 1431655765 -1431655765
	// 0
}

// SafeDiv returns 0 both on division by zero and when the quotient
// overflows; SaturatingDiv clamps instead.
func ExampleU64F64_SafeDiv() {
	big := fixed.U64F64FromUint64(1 << 40)
	tiny := fixed.U64F64Delta()
	fmt.Println(big.SafeDiv(fixed.U64F64{}))
	fmt.Println(big.SafeDiv(tiny))
	fmt.Println(big.SaturatingDiv(tiny) == fixed.U64F64Max())
	fmt.Println(big.SafeDivOr(tiny, fixed.U64F64FromUint64(7)))
	// Output:
	// 0
	// 0
	// true
	// 7
}

// Conversions to a type with fewer fractional bits floor; out-of-range
// values saturate, and the checked form reports it.
func ExampleI64F64_SaturatingToI32F32() {
	x := fixed.I64F64FromBits(^uint64(0), ^uint64(0)) // -2^-64
	fmt.Println(x.SaturatingToI32F32().Bits())
	huge := fixed.I64F64FromUint64(1 << 40)
	fmt.Println(huge.SaturatingToI32F32() == fixed.I32F32Max())
	_, ok := huge.CheckedToI32F32()
	fmt.Println(ok)
	// Output:
	// -1
	// true
	// false
}

// Conversion to an integer floors, then clamps.
func ExampleU96F32_SaturatingToUint64() {
	fmt.Println(fixed.U96F32FromFloat64(2.75).SaturatingToUint64())
	fmt.Println(fixed.I96F32FromFloat64(-0.25).SaturatingToUint64())
	fmt.Println(fixed.U96F32Max().SaturatingToUint64())
	// Output:
	// 2
	// 0
	// 18446744073709551615
}

// Round is ties away from zero.
func ExampleI32F32_Round() {
	for _, f := range []float64{2.5, -2.5, 2.49, -0.5} {
		fmt.Print(fixed.I32F32FromFloat64(f).Round(), " ")
	}
	fmt.Println()
	// Output: 3 -3 2 -1
}

// FromFloat64 rounds to nearest with ties to even (as from_num(f64)).
func ExampleI32F32FromFloat64() {
	fmt.Println(fixed.I32F32FromFloat64(0.000003).Bits())
	fmt.Println(fixed.I32F32FromFloat64(0x3p-33).Bits()) // 1.5 deltas -> 2
	fmt.Println(fixed.I32F32FromFloat64(0x1p-33).Bits()) // 0.5 delta -> 0
	// Output:
	// 12885
	// 2
	// 0
}

// Exp is the chain's 30-term truncated series, not the true exponential.
func ExampleExp() {
	e, ok := fixed.Exp(fixed.I32F32FromInt64(1))
	fmt.Println(e, ok)
	_, ok = fixed.Exp(fixed.I32F32FromInt64(30))
	fmt.Println(ok)
	// Output:
	// 2.71828174591064453125 true
	// false
}

// ExpSafe clamps its input to [-20, 20]; exp(20) is about 481 239 357.67
// through the series, where the true value is 485 165 195.41.
func ExampleExpSafe() {
	fmt.Println(fixed.ExpSafe(fixed.I32F32FromInt64(100)).SaturatingToUint64())
	fmt.Println(fixed.ExpSafe(fixed.I32F32FromInt64(-100)).Bits())
	// Output:
	// 481239357
	// 8
}

func ExamplePerquintillFromRational() {
	fmt.Println(fixed.PerquintillFromRational(1, 2).Parts())
	fmt.Println(fixed.PerquintillFromRational(2, 3).Parts())
	fmt.Println(fixed.PerquintillFromRational(1, 0).Parts()) // q == 0: one
	fmt.Println(fixed.PerquintillFromRational(1, 3).MulFloorUint64(1_000_000_000))
	// Output:
	// 500000000000000000
	// 666666666666666666
	// 1000000000000000000
	// 333333333
}

func ExamplePerquintillFromRational256() {
	p := uint256.NewInt(1)
	p.Lsh(p, 100)
	q := new(uint256.Int).Mul(p, uint256.NewInt(4))
	fmt.Println(fixed.PerquintillFromRational256(p, q).Parts())
	// Output: 250000000000000000
}

func ExampleParseU64F64Bits() {
	price, err := fixed.ParseU64F64Bits("27670116110564327424") // 1.5
	fmt.Println(price, err)
	_, err = fixed.ParseU64F64Bits("-1")
	fmt.Println(err)
	// Output:
	// 1.5 <nil>
	// fixed: invalid raw bits: "-1"
}

func ExampleIsqrt128() {
	fmt.Println(fixed.Isqrt64(99), fixed.Isqrt128(1, 0))
	// Output: 9 4294967296
}
