package units_test

import (
	"encoding/json"
	"testing"

	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/require"
)

type holding struct {
	Free  units.TAO   `json:"free"`
	Stake units.Alpha `json:"stake"`
}

func TestJSONIsRaoInteger(t *testing.T) {
	b, err := json.Marshal(holding{Free: 1_500_000_000, Stake: units.Alpha(maxRao)})
	require.NoError(t, err)
	require.Equal(t, `{"free":1500000000,"stake":18446744073709551615}`, string(b))

	var h holding
	require.NoError(t, json.Unmarshal([]byte(`{"free": 18446744073709551615, "stake": 0}`), &h))
	require.Equal(t, holding{Free: units.TAO(maxRao), Stake: 0}, h)
}

func TestUnmarshalJSONRefused(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{`18446744073709551616`, units.ErrOverflow},
		{`99999999999999999999999`, units.ErrOverflow},
		{`-1`, units.ErrNegative},
		{`1.5`, units.ErrSyntax},
		{`1e9`, units.ErrSyntax},
		{`1.0`, units.ErrSyntax},
		{`"1500000000"`, units.ErrSyntax},
		{`"1.5"`, units.ErrSyntax},
		{`true`, units.ErrSyntax},
		{`{}`, units.ErrSyntax},
		{`[]`, units.ErrSyntax},
	}
	for _, tt := range tests {
		tao := units.TAO(42)
		require.ErrorIs(t, tao.UnmarshalJSON([]byte(tt.in)), tt.want, tt.in)
		require.Equal(t, units.TAO(42), tao, "a failed decode leaves the value: %s", tt.in)
		alpha := units.Alpha(42)
		require.ErrorIs(t, alpha.UnmarshalJSON([]byte(tt.in)), tt.want, tt.in)
		require.Equal(t, units.Alpha(42), alpha, tt.in)

		var h holding
		require.ErrorIs(t, json.Unmarshal([]byte(`{"free":`+tt.in+`}`), &h), tt.want, tt.in)
	}
	// Not valid JSON, so only reachable by a direct call.
	for _, in := range []string{``, `007`, `+1`, `1 `, `0x1`} {
		var x units.TAO
		require.ErrorIs(t, x.UnmarshalJSON([]byte(in)), units.ErrSyntax, "%q", in)
	}
}

func TestUnmarshalJSONNull(t *testing.T) {
	h := holding{Free: 7, Stake: 9}
	require.NoError(t, json.Unmarshal([]byte(`{"free":null,"stake":null}`), &h))
	require.Equal(t, holding{Free: 7, Stake: 9}, h)
}

func TestUnmarshalTextLeavesValueOnError(t *testing.T) {
	x := units.TAO(42)
	require.ErrorIs(t, x.UnmarshalText([]byte("1.2.3")), units.ErrSyntax)
	require.Equal(t, units.TAO(42), x)
	require.NoError(t, x.UnmarshalText([]byte("τ1,000.25")))
	require.Equal(t, units.TAO(1_000_250_000_000), x)

	a := units.Alpha(42)
	require.ErrorIs(t, a.UnmarshalText([]byte("-1")), units.ErrNegative)
	require.Equal(t, units.Alpha(42), a)
	require.NoError(t, a.UnmarshalText([]byte("\u200e2.000000000α\u200e")))
	require.Equal(t, units.Alpha(2_000_000_000), a)
}

// TestTextKeys pins the documented map-key behaviour: encoding/json
// writes keys through MarshalText (decimal TAO), but reads them back
// through UnmarshalJSON with the quoted key, which refuses strings. The
// failure is loud, never a silently rescaled amount ("1500000000" read as
// TAO would be a billion times too large).
func TestTextKeys(t *testing.T) {
	b, err := json.Marshal(map[units.TAO]int{1_500_000_000: 1})
	require.NoError(t, err)
	require.Equal(t, `{"1.5":1}`, string(b))
	var m map[units.TAO]int
	require.ErrorIs(t, json.Unmarshal(b, &m), units.ErrSyntax)
}
