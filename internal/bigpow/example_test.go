package bigpow_test

import (
	"fmt"
	"math/big"

	"github.com/holiman/uint256"

	"github.com/dtao-go/dtao/internal/bigpow"
)

// The crate's documentation example: (2/3)^(1/2) · 1000, floored.
func ExamplePowBig() {
	r, ok := bigpow.PowBig(big.NewInt(2), big.NewInt(3), big.NewInt(1), big.NewInt(2), 0, big.NewInt(1000))
	fmt.Println(r, ok)
	// Output: 816 true
}

// A sell's (x/(x+dx))^(w1/w2) with non-trivial weights (spec/amm.md §13.3),
// an equal-weight swap (exponent 1/1) and an undefined call (bd == 0).
func ExamplePow() {
	x, xdx := uint256.NewInt(987654321098765), uint256.NewInt(997654321098765)
	fmt.Println(bigpow.Pow(x, xdx, 516273847362514088, 483726152637485912, 256, 1e18))
	fmt.Println(bigpow.Pow(uint256.NewInt(4e12), uint256.NewInt(4003993993829), 5e17, 5e17, 256, 1e18))
	fmt.Println(bigpow.Pow(x, new(uint256.Int), 1, 2, 256, 1e18))
	// Output:
	// 989305671153756799 false true
	// 999002497547410014 false true
	// 0 false false
}

// Results beyond u64 are reported as overflow; PowBig has the value.
func ExamplePow_overflow() {
	r, overflow, ok := bigpow.Pow(uint256.NewInt(3), uint256.NewInt(1), 1, 1, 256, 1e19)
	fmt.Println(r, overflow, ok)
	v, _ := bigpow.PowBig(big.NewInt(3), big.NewInt(1), big.NewInt(1), big.NewInt(1), 256, new(big.Int).SetUint64(1e19))
	fmt.Println(v)
	// Output:
	// 0 true true
	// 30000000000000000000
}
