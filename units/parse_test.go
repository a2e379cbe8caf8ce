package units_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/require"
)

const maxRao = ^uint64(0)

func TestParseTAOAccepted(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
	}{
		{"0", 0},
		{"1", 1_000_000_000},
		{"1.5", 1_500_000_000},
		{"1.5τ", 1_500_000_000},
		{"τ1.5", 1_500_000_000},
		{"0.000000001", 1},
		{"21000000", 21_000_000_000_000_000},
		{"τ1,234.567890123", 1_234_567_890_123},
		{"1,234.567890123τ", 1_234_567_890_123},
		{"1234.567890123", 1_234_567_890_123},
		{"1,234,567.5", 1_234_567_500_000_000},
		{"τ0.000000000", 0},
		{"1.000000000", 1_000_000_000},
		{"1.10", 1_100_000_000},
		{"0.5", 500_000_000},
		{"000001.5", 1_500_000_000},
		{"0,001", 1_000_000_000},
		{"00000000000000000000000000000000000000001", 1_000_000_000},
		{"18446744073.709551615", maxRao},
		{"τ18,446,744,073.709551615", maxRao},
		{"18446744073", 18_446_744_073_000_000_000},
		// The LEFT-TO-RIGHT MARKs of the SDK's suffixed form are allowed.
		{"\u200e1.5τ\u200e", 1_500_000_000},
		{"\u200e1.5", 1_500_000_000},
	}
	for _, tt := range tests {
		got, err := units.ParseTAO(tt.in)
		require.NoError(t, err, "%q", tt.in)
		require.Equal(t, units.TAO(tt.want), got, "%q", tt.in)
	}
}

// refused lists inputs every parser refuses with the given sentinel,
// whatever its symbol ("S" stands for it).
var refused = []struct {
	in   string
	want error
}{
	{"", units.ErrSyntax},
	{"S", units.ErrSyntax},
	{".", units.ErrSyntax},
	{".5", units.ErrSyntax},
	{"5.", units.ErrSyntax},
	{"S.5", units.ErrSyntax},
	{"1.2.3", units.ErrSyntax},
	{"1e9", units.ErrSyntax},
	{"1E9", units.ErrSyntax},
	{"+1", units.ErrSyntax},
	{" 1", units.ErrSyntax},
	{"1 ", units.ErrSyntax},
	{"1 S", units.ErrSyntax},
	{"S 1", units.ErrSyntax},
	{"S1S", units.ErrSyntax},
	{"SS1", units.ErrSyntax},
	{"1SS", units.ErrSyntax},
	{"1,23", units.ErrSyntax},
	{"1234,567", units.ErrSyntax},
	{",123", units.ErrSyntax},
	{"1,234,", units.ErrSyntax},
	{"1,,234", units.ErrSyntax},
	{"1,2345", units.ErrSyntax},
	{"1.234,5", units.ErrSyntax},
	{"1.234,567", units.ErrSyntax},
	{"NaN", units.ErrSyntax},
	{"Infinity", units.ErrSyntax},
	{"inf", units.ErrSyntax},
	{"0x10", units.ErrSyntax},
	{"1_000", units.ErrSyntax},
	{"１", units.ErrSyntax}, // fullwidth digit one
	{"٣", units.ErrSyntax}, // Arabic-Indic digit three
	{"--1", units.ErrSyntax},
	{"-S1", units.ErrSyntax},
	{"S-", units.ErrSyntax},
	{"-", units.ErrSyntax},
	{"\u200e\u200e1", units.ErrSyntax},
	{"1\x00", units.ErrSyntax},
	{"\xff", units.ErrSyntax},
	{"-1.2.3", units.ErrSyntax},
	{"-1", units.ErrNegative},
	{"-0", units.ErrNegative},
	{"S-0.000000001", units.ErrNegative},
	{"-1.5S", units.ErrNegative},
	{"-0.0000000001", units.ErrNegative},
	{"-99999999999999999999", units.ErrNegative},
	{"0.0000000001", units.ErrTooManyDecimals},
	{"1.0000000000", units.ErrTooManyDecimals},
	{"S1.1234567891", units.ErrTooManyDecimals},
	{"99999999999999999999.0000000001", units.ErrTooManyDecimals},
	{"18446744073.709551616", units.ErrOverflow},
	{"18446744074", units.ErrOverflow},
	{"18,446,744,074S", units.ErrOverflow},
	{"99999999999999999999", units.ErrOverflow},
	{"100000000000", units.ErrOverflow},
	{"1" + strings.Repeat("0", 1000), units.ErrOverflow},
}

func TestParseRefused(t *testing.T) {
	parsers := []struct {
		name  string
		sym   string
		parse func(string) error
	}{
		{"TAO", "τ", func(s string) error { _, err := units.ParseTAO(s); return err }},
		{"alpha", "α", func(s string) error { _, err := units.ParseAlpha(s); return err }},
		{"alpha/19", "t", func(s string) error { _, err := units.ParseAlphaFor(s, 19); return err }},
		{"alpha/439", "ατ", func(s string) error { _, err := units.ParseAlphaFor(s, 439); return err }},
	}
	for _, p := range parsers {
		for _, tt := range refused {
			in := strings.ReplaceAll(tt.in, "S", p.sym)
			err := p.parse(in)
			require.ErrorIs(t, err, tt.want, "%s %q", p.name, in)
			for _, other := range []error{units.ErrSyntax, units.ErrNegative, units.ErrTooManyDecimals, units.ErrOverflow} {
				if other != tt.want {
					require.False(t, errors.Is(err, other), "%s %q: %v also matches %v", p.name, in, err, other)
				}
			}
		}
	}
}

func TestParseErrorNamesInput(t *testing.T) {
	_, err := units.ParseTAO("1.2.3")
	require.EqualError(t, err, `units: invalid amount syntax: parsing TAO "1.2.3"`)
	_, err = units.ParseAlpha(strings.Repeat("7", 100))
	require.ErrorIs(t, err, units.ErrOverflow)
	require.Less(t, len(err.Error()), 120, "long inputs are clipped in messages")
}

func TestParseWrongSymbol(t *testing.T) {
	for _, in := range []string{"1.5α", "α1.5", "\u200e1.500000000α\u200e", "1.5Τ", "1.5ρ"} {
		_, err := units.ParseTAO(in)
		require.ErrorIs(t, err, units.ErrSyntax, "%q", in)
	}
	for _, in := range []string{"τ1.5", "1.5τ", "1.5β", "\u200e1.5β\u200e"} {
		_, err := units.ParseAlpha(in)
		require.ErrorIs(t, err, units.ErrSyntax, "%q", in)
	}
	_, err := units.ParseAlphaFor("1.5α", 2)
	require.ErrorIs(t, err, units.ErrSyntax)
	_, err = units.ParseAlphaFor("1.5α", 439)
	require.ErrorIs(t, err, units.ErrSyntax, "a prefix of netuid 439's symbol ατ is not its symbol")
}

func TestParseAlphaAccepted(t *testing.T) {
	tests := []struct {
		in     string
		netuid units.NetUID
		want   uint64
	}{
		{"1.5", 1, 1_500_000_000},
		{"1.5α", 1, 1_500_000_000},
		{"α1.5", 1, 1_500_000_000},
		{"\u200e1.500000000α\u200e", 1, 1_500_000_000},
		{"τ1.500000000", 0, 1_500_000_000},
		{"1.5τ", 0, 1_500_000_000},
		{"\u200e1,234.5β\u200e", 2, 1_234_500_000_000},
		{"t2", 19, 2_000_000_000},
		{"2t", 19, 2_000_000_000},
		{"\u200e0.000000001\u1680\u200e", 90, 1}, // OGHAM SPACE MARK
		{"\u16801", 90, 1_000_000_000},
		{"\u200e7ατ\u200e", 439, 7_000_000_000},
		{"7", 65535, 7_000_000_000},
	}
	for _, tt := range tests {
		got, err := units.ParseAlphaFor(tt.in, tt.netuid)
		require.NoError(t, err, "%q on %d", tt.in, tt.netuid)
		require.Equal(t, units.Alpha(tt.want), got, "%q on %d", tt.in, tt.netuid)
		if tt.netuid == 1 {
			got, err := units.ParseAlpha(tt.in)
			require.NoError(t, err, "%q", tt.in)
			require.Equal(t, units.Alpha(tt.want), got, "%q", tt.in)
		}
	}
}
