package vector

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A quote weight above 1e18 is clamped as Perquintill::from_parts clamps
// it: every kind that takes one answers as for exactly 1e18.
func TestQuoteWeightAboveOneClamps(t *testing.T) {
	cases := []string{
		`{"id":"x","kind":"swap","input":{"tao_reserve":1000000000,"alpha_reserve":1000000000,"quote_weight":W,"direction":"buy","amount":1000}}`,
		`{"id":"x","kind":"swap","input":{"tao_reserve":1000000000,"alpha_reserve":1000000000,"quote_weight":W,"direction":"sell","amount":1000}}`,
		`{"id":"x","kind":"price","input":{"tao_reserve":1000000000,"alpha_reserve":1000000000,"quote_weight":W}}`,
		`{"id":"x","kind":"inject","input":{"tao_reserve":1000000000,"alpha_reserve":1000000000,"quote_weight":W,"tao_in":5,"alpha_in":7}}`,
		`{"id":"x","kind":"coinbase","input":{"block_emission":1000,"tao_weight":0,"root_tao":0,"subnets":[{"netuid":1,"tao_reserve":1000000000,"alpha_reserve":1000000000,"alpha_out":0,"quote_weight":W,"moving_price_bits":"4294967296","emitting":true}]}}`,
	}
	for _, c := range cases {
		_, atOne := runString(t, strings.ReplaceAll(c, "W", "1000000000000000000"), Options{})
		for _, w := range []string{"1000000000000000001", "18446744073709551615"} {
			_, above := runString(t, strings.ReplaceAll(c, "W", w), Options{})
			require.Equal(t, atOne, above, "quote_weight %s in %s", w, c)
		}
	}
}
