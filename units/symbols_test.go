package units_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/require"
)

// The digests are SHA-256 of the SDK's symbols joined by "\n", computed
// with CPython from bittensor/utils/balance.py @bb526e6 (UNITS, and
// Balance.get_unit for every u16).
const (
	sdkUnitsDigest   = "a5d1d74dc49da404a999738a4aa4231bceccc0963193c9cf99da12eeae5b5f12"
	sdkGetUnitDigest = "7f53d6377f3c9cefdc5e04387fe0982872ccd0a7071c4147603b17994c180cd0"
)

func joinSymbols(n int) string {
	syms := make([]string, n)
	for i := range syms {
		syms[i] = units.NetUID(i).Symbol()
	}
	return strings.Join(syms, "\n")
}

func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestSymbolTable(t *testing.T) {
	require.Equal(t, sdkUnitsDigest, digest(joinSymbols(439)))
	require.Equal(t, sdkGetUnitDigest, digest(joinSymbols(65536)))
}

func TestSymbolSpotChecks(t *testing.T) {
	tests := []struct {
		netuid units.NetUID
		want   string
	}{
		{0, "τ"}, {1, "α"}, {17, "ρ"}, {18, "σ"}, {19, "t"}, {24, "ω"},
		{25, "א"}, {51, "ת"}, {80, "ى"}, {87, "Ы"}, {90, "\u1680"},
		{127, "\U00011005"}, {438, "\u0db0"},
		{439, "ατ"}, {500, "αر"}, {878, "βτ"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, tt.netuid.Symbol(), "netuid %d", tt.netuid)
	}
	for n := range 439 {
		s := units.NetUID(n).Symbol()
		require.Equal(t, 1, utf8.RuneCountInString(s), "netuid %d", n)
	}
}
