package units_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dtao-go/dtao/units"
)

func ExampleParseTAO() {
	for _, s := range []string{"1.5", "τ1,234.567890123", "0.000000001", "21000000", "0.0000000001", "-1", "1,23"} {
		x, err := units.ParseTAO(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(x.Rao(), "rao")
	}
	// Output:
	// 1500000000 rao
	// 1234567890123 rao
	// 1 rao
	// 21000000000000000 rao
	// units: more than 9 decimals: parsing TAO "0.0000000001"
	// units: negative amount: parsing TAO "-1"
	// units: invalid amount syntax: parsing TAO "1,23"
}

func ExampleTAO_String() {
	x := units.TAO(1_234_567_890_123)
	fmt.Println(x)           // as the Python SDK prints a Balance
	fmt.Println(x.Decimal()) // plain
	fmt.Printf("%d\n", x)    // rao
	// Output:
	// τ1,234.567890123
	// 1234.567890123
	// 1234567890123
}

func ExampleAlpha_StringFor() {
	a := units.Alpha(1_500_000_000)
	// %q shows the LEFT-TO-RIGHT MARKs the SDK wraps around the number.
	fmt.Printf("%q\n", a.String())
	fmt.Printf("%q\n", a.StringFor(2))
	fmt.Printf("%q\n", a.StringFor(0))
	back, err := units.ParseAlphaFor(a.StringFor(2), 2)
	fmt.Println(back == a, err)
	// Output:
	// "\u200e1.500000000α\u200e"
	// "\u200e1.500000000β\u200e"
	// "τ1.500000000"
	// true <nil>
}

func ExampleTAO_Add() {
	x := units.TAO(18_446_744_073_709_551_615) // 2^64-1 rao
	if _, overflow := x.Add(1); overflow {
		fmt.Println("overflow")
	}
	fmt.Println(x.SaturatingAdd(1) == x)
	_, underflow := units.TAO(1).Sub(2)
	fmt.Println(underflow, units.TAO(1).SaturatingSub(2))
	// Output:
	// overflow
	// true
	// true τ0.000000000
}

func ExampleTAO_MarshalJSON() {
	b, _ := json.Marshal(struct {
		Free units.TAO `json:"free"`
	}{Free: 1_500_000_000})
	fmt.Println(string(b))

	var x units.TAO
	err := json.Unmarshal([]byte(`1.5`), &x)
	fmt.Println(errors.Is(err, units.ErrSyntax))
	// Output:
	// {"free":1500000000}
	// true
}

func ExampleNetUID_Symbol() {
	for _, n := range []units.NetUID{0, 1, 19, 439} {
		fmt.Println(n, n.Symbol())
	}
	// Output:
	// 0 τ
	// 1 α
	// 19 t
	// 439 ατ
}
