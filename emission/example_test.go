package emission_test

import (
	"fmt"

	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/units"
)

// The emission halves on issuance, not on block height.
func ExampleBlockEmission() {
	for _, issuance := range []units.TAO{
		0,
		10_499_999_999_999_999, // one rao below 10.5M TAO
		10_500_000_000_000_000, // the first halving
		15_750_000_000_000_000,
		emission.TotalSupply,
	} {
		fmt.Println(issuance.Rao(), emission.BlockEmission(issuance).Rao())
	}
	// Output:
	// 0 1000000000
	// 10499999999999999 1000000000
	// 10500000000000000 500000000
	// 15750000000000000 250000000
	// 21000000000000000 0
}
