package units_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestRoundTripTAO(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := units.TAO(rapid.Uint64().Draw(t, "rao"))
		for _, s := range []string{x.String(), x.Decimal()} {
			got, err := units.ParseTAO(s)
			require.NoError(t, err, "%q", s)
			require.Equal(t, x, got, "%q", s)
		}
		text, err := x.MarshalText()
		require.NoError(t, err)
		var fromText units.TAO
		require.NoError(t, fromText.UnmarshalText(text))
		require.Equal(t, x, fromText)
		js, err := json.Marshal(x)
		require.NoError(t, err)
		var fromJSON units.TAO
		require.NoError(t, json.Unmarshal(js, &fromJSON))
		require.Equal(t, x, fromJSON)
	})
}

func TestRoundTripAlpha(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := units.Alpha(rapid.Uint64().Draw(t, "rao"))
		netuid := units.NetUID(rapid.Uint16().Draw(t, "netuid"))
		for _, s := range []string{x.String(), x.Decimal()} {
			got, err := units.ParseAlpha(s)
			require.NoError(t, err, "%q", s)
			require.Equal(t, x, got, "%q", s)
		}
		for _, s := range []string{x.StringFor(netuid), x.Decimal()} {
			got, err := units.ParseAlphaFor(s, netuid)
			require.NoError(t, err, "%q on %d", s, netuid)
			require.Equal(t, x, got, "%q on %d", s, netuid)
		}
		text, err := x.MarshalText()
		require.NoError(t, err)
		var fromText units.Alpha
		require.NoError(t, fromText.UnmarshalText(text))
		require.Equal(t, x, fromText)
		js, err := json.Marshal(x)
		require.NoError(t, err)
		var fromJSON units.Alpha
		require.NoError(t, json.Unmarshal(js, &fromJSON))
		require.Equal(t, x, fromJSON)
	})
}

// amountText draws strings close to the grammar, so that both accepted
// inputs and near misses (bad grouping, stray signs, long fractions,
// doubled symbols) are common.
func amountText(sym string) *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		var b strings.Builder
		pieces := []string{"\u200e", sym, "-", "", "", "", "", "", "", ""}
		b.WriteString(rapid.SampledFrom(pieces).Draw(t, "lead"))
		b.WriteString(rapid.SampledFrom(pieces).Draw(t, "lead2"))
		digits := rapid.StringOfN(rapid.RuneFrom([]rune("0123456789")), 0, 24, -1).Draw(t, "int")
		if rapid.Bool().Draw(t, "grouped") {
			for i, c := range digits {
				if i > 0 && (len(digits)-i)%3 == 0 {
					b.WriteByte(',')
				}
				b.WriteRune(c)
			}
		} else {
			b.WriteString(digits)
		}
		if rapid.Bool().Draw(t, "point") {
			b.WriteByte('.')
			b.WriteString(rapid.StringOfN(rapid.RuneFrom([]rune("0123456789")), 0, 12, -1).Draw(t, "frac"))
		}
		noise := []string{"", "", "", "", "", "", "", "", ",", ".", " ", "e", "1", "0"}
		b.WriteString(rapid.SampledFrom(noise).Draw(t, "noise"))
		b.WriteString(rapid.SampledFrom(pieces).Draw(t, "trail"))
		b.WriteString(rapid.SampledFrom(pieces).Draw(t, "trail2"))
		return b.String()
	})
}

// TestParseMatchesReference checks the apd parser against the
// regexp-and-big.Rat model on near-grammar strings (rapid's 100 checks,
// each drawing perCheck strings: about 5,000 per parser).
func TestParseMatchesReference(t *testing.T) {
	perCheck := 50
	if testing.Short() {
		perCheck = 5
	}
	rapid.Check(t, func(t *rapid.T) {
		for range perCheck {
			s := amountText("τ").Draw(t, "s")
			want, wantErr := refParse(s, "τ")
			got, err := units.ParseTAO(s)
			require.True(t, sameOutcome(uint64(got), err, want, wantErr), "%q: got %d, %v; want %d, %v", s, got, err, want, wantErr)
		}
	})
	rapid.Check(t, func(t *rapid.T) {
		for range perCheck {
			netuid := units.NetUID(rapid.SampledFrom([]uint16{0, 1, 19, 90, 439, 65535}).Draw(t, "netuid"))
			sym := netuid.Symbol()
			s := amountText(sym).Draw(t, "s")
			want, wantErr := refParse(s, sym)
			got, err := units.ParseAlphaFor(s, netuid)
			require.True(t, sameOutcome(uint64(got), err, want, wantErr), "%q on %d: got %d, %v; want %d, %v", s, netuid, got, err, want, wantErr)
		}
	})
}
