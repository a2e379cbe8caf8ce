package units_test

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/require"
)

// sdkVectors are str(Balance) outputs of bittensor's Python SDK
// (bittensor/utils/balance.py @bb526e6, __str__: f"{unit}{tao:,.9f}" for
// netuid 0, f"\u200e{tao:,.9f}{unit}\u200e" otherwise), printed by CPython
// 3 for Balance.from_rao(rao).
var sdkVectors = []struct {
	rao         uint64
	tao, alpha1 string
}{
	{0, "τ0.000000000", "\u200e0.000000000α\u200e"},
	{1, "τ0.000000001", "\u200e0.000000001α\u200e"},
	{999_999_999, "τ0.999999999", "\u200e0.999999999α\u200e"},
	{1_000_000_000, "τ1.000000000", "\u200e1.000000000α\u200e"},
	{1_500_000_000, "τ1.500000000", "\u200e1.500000000α\u200e"},
	{1_234_567_890_123, "τ1,234.567890123", "\u200e1,234.567890123α\u200e"},
	{21_000_000_000_000_000, "τ21,000,000.000000000", "\u200e21,000,000.000000000α\u200e"},
	{8_388_607_999_999_999, "τ8,388,607.999999999", "\u200e8,388,607.999999999α\u200e"},
	{9_007_199_254_740_993, "τ9,007,199.254740993", "\u200e9,007,199.254740993α\u200e"},
	{12_345_678_901_234_567, "τ12,345,678.901234567", "\u200e12,345,678.901234567α\u200e"},
}

func TestStringMatchesSDK(t *testing.T) {
	for _, v := range sdkVectors {
		require.Equal(t, v.tao, units.TAO(v.rao).String(), "rao %d", v.rao)
		require.Equal(t, v.alpha1, units.Alpha(v.rao).String(), "rao %d", v.rao)
		require.Equal(t, v.alpha1, units.Alpha(v.rao).StringFor(1), "rao %d", v.rao)
		require.Equal(t, v.tao, units.Alpha(v.rao).StringFor(0), "rao %d", v.rao)
	}
}

// TestStringDivergesFromSDKAboveTwoTo23 pins the documented divergence:
// the SDK formats rao/1e9 as a float64, whose spacing exceeds 1e-9 from
// 2^23 TAO up, so its last digits drift; String stays exact. The SDK
// strings are CPython's output.
func TestStringDivergesFromSDKAboveTwoTo23(t *testing.T) {
	tests := []struct {
		rao       uint64
		sdk, want string
	}{
		{8_388_608_000_000_001, "τ8,388,608.000000002", "τ8,388,608.000000001"},
		{8_388_608_000_000_008, "τ8,388,608.000000007", "τ8,388,608.000000008"},
		{maxRao, "τ18,446,744,073.709552765", "τ18,446,744,073.709551615"},
	}
	for _, tt := range tests {
		got := units.TAO(tt.rao).String()
		require.Equal(t, tt.want, got)
		require.NotEqual(t, tt.sdk, got)
		require.Equal(t, tt.sdk, sdkFloatString(tt.rao), "the float model reproduces the SDK")
	}
}

// sdkFloatString models the SDK's f"τ{rao/1e9:,.9f}" in Go. Both languages
// divide correctly rounded and format the exact binary value correctly
// rounded, so for rao below 2^53 (where float64(rao) is exact) the model is
// the SDK.
func sdkFloatString(rao uint64) string {
	s := strconv.FormatFloat(float64(rao)/1e9, 'f', 9, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString("τ")
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[i])
	}
	return b.String() + "." + frac
}

// TestStringMatchesSDKFloatModel compares String with the SDK's float
// formatting over the whole range where the SDK is exact: below 2^23 TAO.
func TestStringMatchesSDKFloatModel(t *testing.T) {
	const limit = 1 << 23 * units.RaoPerTAO
	r := rand.New(rand.NewPCG(1, 2))
	n := 10_000
	if testing.Short() {
		n = 1_000
	}
	for i := range n {
		var rao uint64
		switch i % 3 {
		case 0:
			rao = r.Uint64N(limit)
		case 1: // near the top, where the float's spacing is widest
			rao = limit - 1 - r.Uint64N(1_000_000)
		default: // small amounts, many leading zero decimals
			rao = r.Uint64N(1 << (i % 40))
		}
		require.Equal(t, sdkFloatString(rao), units.TAO(rao).String(), "rao %d", rao)
	}
}

func TestDecimal(t *testing.T) {
	tests := []struct {
		rao  uint64
		want string
	}{
		{0, "0"},
		{1, "0.000000001"},
		{10, "0.00000001"},
		{1_500_000_000, "1.5"},
		{1_000_000_000, "1"},
		{1_234_567_890_123, "1234.567890123"},
		{21_000_000_000_000_000, "21000000"},
		{100_000_000_000_000_000, "100000000"},
		{maxRao, "18446744073.709551615"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, units.TAO(tt.rao).Decimal())
		require.Equal(t, tt.want, units.Alpha(tt.rao).Decimal())
		b, err := units.TAO(tt.rao).MarshalText()
		require.NoError(t, err)
		require.Equal(t, tt.want, string(b))
		b, err = units.Alpha(tt.rao).AppendText([]byte("x="))
		require.NoError(t, err)
		require.Equal(t, "x="+tt.want, string(b))
	}
}

func TestStringFor(t *testing.T) {
	a := units.Alpha(1_500_000_000)
	tests := []struct {
		netuid units.NetUID
		want   string
	}{
		{0, "τ1.500000000"},
		{1, "\u200e1.500000000α\u200e"},
		{2, "\u200e1.500000000β\u200e"},
		{19, "\u200e1.500000000t\u200e"},
		{25, "\u200e1.500000000א\u200e"},
		{90, "\u200e1.500000000\u1680\u200e"},
		{123, "\u200e1.500000000\U00011000\u200e"},
		{438, "\u200e1.500000000ධ\u200e"},
		{439, "\u200e1.500000000ατ\u200e"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, a.StringFor(tt.netuid), "netuid %d", tt.netuid)
	}
	// The longest output fits the formatting buffer without truncation.
	long := units.Alpha(maxRao).StringFor(65535)
	require.Equal(t, "\u200e18,446,744,073.709551615\u2c0f\U00011001\u200e", long)
}

func TestFloat64(t *testing.T) {
	require.Equal(t, 1.5, units.TAO(1_500_000_000).Float64())
	require.Equal(t, 0.000000001, units.Alpha(1).Float64())
	require.Equal(t, 21e6, units.MaxSupply.Float64())
}

func TestIDStrings(t *testing.T) {
	require.Equal(t, "65535", units.NetUID(65535).String())
	require.Equal(t, "0", units.UID(0).String())
	require.Equal(t, "4096", units.UID(4096).String())
}
