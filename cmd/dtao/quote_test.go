package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// Pool S1 of testdata/swap.jsonl (general weights, the pow fallback path;
// pallets/swap/src/pallet/balancer.rs at 14bc6f9f): a buy of 1e14 rao with
// a limit 1% above the spot price fills to the limit. The legs, the fee and
// the chain's prices (current_alpha_price, rao per alpha) are the vector's.
func TestQuote(t *testing.T) {
	code, stdout, stderr := runArgs("", "quote", "--tao", "12345.678901234", "--alpha", "987654.321098765",
		"--weight", "483726152637485912", "--limit", "0.013474477", "buy", "100000")
	require.Equal(t, 0, code, stderr)
	require.Empty(t, stderr)
	require.Equal(t, "pool:            τ12,345.678901234 and \u200e987,654.321098765α\u200e, quote weight 0.483726152637485912, fee rate 33/65535\n"+
		"buy:             τ63.583772024 (net of the fee)\n"+
		"fee:             τ0.032033594 (0.0504% of the input)\n"+
		"receive:         \u200e4,742.365122036α\u200e\n"+
		// (63.583772024 + 0.032033594) / 4742.365122036 = 0.0134143633…
		"effective price: τ0.013414363 per alpha, the fee included\n"+
		// 1 - 4742.365122036 / (63.583772024 / 0.013341067…) = 0.4963…%
		"slippage:        0.4963% against a fill at the spot price\n"+
		// 13474476 / 13341067 - 1 = 1.0000%
		"price impact:    +1.0000% (τ0.013341067 -> τ0.013474476 per alpha)\n"+
		// the limit binds: the max is this swap's input and fee
		"max at limit:    τ63.615805618 (the largest stake before the price reaches τ0.013474477)\n", stdout)
}

// The three forms of an order (--buy, the positional form, symbols or none)
// and of a weight (decimal, parts of 1e18) give the same quote.
func TestQuoteForms(t *testing.T) {
	base := []string{"quote", "--tao", "τ125,000", "--alpha", "9800000α"}
	want := func(args ...string) string {
		code, stdout, stderr := runArgs("", append(append([]string{}, base...), args...)...)
		require.Equal(t, 0, code, stderr)
		return stdout
	}
	buy := want("--buy", "10τ")
	require.Contains(t, buy, "buy:             τ9.994964523 (net of the fee)\n")
	require.Contains(t, buy, "fee:             τ0.005035477 ")
	require.Contains(t, buy, "receive:         \u200e783.542566761α\u200e\n") // the README's minimal example
	require.Equal(t, buy, want("buy", "10"))
	require.Equal(t, buy, want("buy", "10", "--fee", "33")) // flags after the order
	require.Equal(t, buy, want("buy", "--weight", "0.5", "10"))
	require.Equal(t, buy, want("--", "buy", "10"))
	require.Equal(t, buy, want("--buy", "τ10"))
	require.Equal(t, buy, want("--buy", "10", "--weight", "500000000000000000"))
	require.Equal(t, buy, want("--buy", "10", "--weight", "0.50", "--fee", "33"))

	sell := want("--sell", "12.5α")
	require.Contains(t, sell, "sell:            \u200e12.493705654α\u200e (net of the fee)\n")
	require.Equal(t, sell, want("sell", "12.5"))
	require.Equal(t, sell, want("SELL", "\u200e12.500000000α\u200e"))
}

// --json: amounts as integers of rao, prices as decimal strings that read
// back with amm.ParsePrice, percentages as numbers; the values are the
// text form's.
func TestQuoteJSON(t *testing.T) {
	code, stdout, stderr := runArgs("", "quote", "--tao", "12345.678901234", "--alpha", "987654.321098765",
		"--weight", "0.483726152637485912", "--limit", "0.013474477", "--buy", "100000", "--json")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, 1, strings.Count(stdout, "\n"))
	var got struct {
		Direction string `json:"direction"`
		Pool      struct {
			TAO         uint64 `json:"tao"`
			Alpha       uint64 `json:"alpha"`
			QuoteWeight uint64 `json:"quote_weight"`
			FeeRate     uint16 `json:"fee_rate"`
		} `json:"pool"`
		Limit              string   `json:"limit"`
		PaidIn             uint64   `json:"paid_in"`
		Fee                uint64   `json:"fee"`
		PaidOut            uint64   `json:"paid_out"`
		EffectivePrice     string   `json:"effective_price"`
		PriceBefore        string   `json:"price_before"`
		PriceAfter         string   `json:"price_after"`
		FeePercent         *float64 `json:"fee_percent"`
		SlippagePercent    *float64 `json:"slippage_percent"`
		PriceImpactPercent *float64 `json:"price_impact_percent"`
		MaxAmount          *uint64  `json:"max_amount"`
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&got))
	require.Equal(t, "buy", got.Direction)
	require.Equal(t, uint64(12345678901234), got.Pool.TAO)
	require.Equal(t, uint64(987654321098765), got.Pool.Alpha)
	require.Equal(t, uint64(483726152637485912), got.Pool.QuoteWeight)
	require.Equal(t, uint16(33), got.Pool.FeeRate)
	require.Equal(t, "0.013474477", got.Limit)
	require.Equal(t, uint64(63583772024), got.PaidIn)
	require.Equal(t, uint64(32033594), got.Fee)
	require.Equal(t, uint64(4742365122036), got.PaidOut)
	require.NotNil(t, got.MaxAmount)
	require.Equal(t, uint64(63583772024+32033594), *got.MaxAmount)
	for field, s := range map[string]string{"effective_price": got.EffectivePrice, "price_before": got.PriceBefore, "price_after": got.PriceAfter} {
		_, err := amm.ParsePrice(s)
		require.NoError(t, err, "%s %q", field, s)
	}
	before, _ := amm.ParsePrice(got.PriceBefore)
	after, _ := amm.ParsePrice(got.PriceAfter)
	// The chain's current_alpha_price of each: floor(price·1e9).
	require.Equal(t, uint64(13341067), before.U64F64().SaturatingMulToUint64(units.RaoPerTAO))
	require.Equal(t, uint64(13474476), after.U64F64().SaturatingMulToUint64(units.RaoPerTAO))
	require.NotNil(t, got.FeePercent)
	require.InDelta(t, 100*32033594.0/(63583772024+32033594), *got.FeePercent, 1e-12)
	require.NotNil(t, got.SlippagePercent)
	require.NotNil(t, got.PriceImpactPercent)
	require.InDelta(t, 1.0, *got.PriceImpactPercent, 1e-4)

	// Without a limit there is no max amount and no limit.
	code, stdout, _ = runArgs("", "quote", "--tao", "125000", "--alpha", "9800000", "--sell", "12.5", "--json")
	require.Equal(t, 0, code)
	require.NotContains(t, stdout, "limit")
	require.NotContains(t, stdout, "max_amount")
	require.Contains(t, stdout, `"direction":"sell","pool":{"tao":125000000000000,"alpha":9800000000000000,"quote_weight":500000000000000000,"fee_rate":33},"paid_in":12493705654,"fee":6294346,"paid_out":159358287,`)
}

// A sell with a limit prints get_max_amount_remove's answer.
func TestQuoteSellLimit(t *testing.T) {
	pool := amm.NewPool(125_000*units.RaoPerTAO, units.Alpha(9_800_000*units.RaoPerTAO))
	limit, err := amm.ParsePrice("0.0127")
	require.NoError(t, err)
	maxAlpha, err := pool.MaxAmountRemove(limit)
	require.NoError(t, err)
	code, stdout, stderr := runArgs("", "quote", "--tao", "125000", "--alpha", "9800000", "--sell", "12.5α", "--limit", "0.0127")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "max at limit:    "+maxAlpha.String()+" (the largest unstake before the price falls to τ0.012700000)\n")
}

// Every usage error of quote names the flag or argument and why, on one
// line of stderr, with exit 2 and nothing on stdout.
func TestQuoteUsageErrors(t *testing.T) {
	pool := []string{"--tao", "1000", "--alpha", "4000"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing --tao", []string{"--alpha", "4000", "--buy", "1"}, "missing required flag --tao (the pool's TAO reserve, e.g. --tao 125000)"},
		{"missing --alpha", []string{"--tao", "1000", "--buy", "1"}, "missing required flag --alpha (the pool's alpha reserve, e.g. --alpha 9800000)"},
		{"missing order", pool, "missing the order: give --buy TAO or --sell ALPHA"},
		{"buy and sell", append(pool, "--buy", "1", "--sell", "1"), "--buy and --sell both given: a quote is one swap"},
		{"flag and positional order", append(pool, "--buy", "1", "sell", "1"), `unexpected argument "sell": the order is already given by --buy`},
		{"bad direction", append(pool, "hold", "1"), `unexpected argument "hold": give the order as --buy TAO or --sell ALPHA`},
		{"missing amount", append(pool, "buy"), `missing the amount after "buy"`},
		{"stray argument", append(pool, "buy", "1", "now"), `unexpected argument "now" after the amount`},
		{"flag after --", append(pool, "buy", "1", "--", "--json"), `unexpected argument "--json" after the amount`},
		{"unknown flag after the order", append(pool, "buy", "1", "--jsn"), "unknown flag --jsn"},
		{"unknown flag", append(pool, "--amount", "1"), "unknown flag --amount"},
		{"flag without value", append(pool, "--buy"), "flag --buy needs a value"},
		{"negative reserve", []string{"--tao", "-1", "--alpha", "4000", "--buy", "1"}, `--tao "-1": units: negative amount`},
		{"bad alpha reserve", []string{"--tao", "1000", "--alpha", "lots", "--buy", "1"}, `--alpha "lots": units: invalid amount syntax`},
		{"alpha as TAO", append(pool, "--buy", "1α"), `--buy "1α": units: invalid amount syntax`},
		{"too many decimals", append(pool, "--sell", "0.0000000001"), `--sell "0.0000000001": units: more than 9 decimals`},
		{"weight 0", append(pool, "--weight", "0", "--buy", "1"), "--weight 0: out of range: the chain keeps a quote weight in [0.01, 0.99] (InvalidWeight)"},
		{"weight 0.995", append(pool, "--weight", "0.995", "--buy", "1"), "--weight 0.995: out of range: the chain keeps a quote weight in [0.01, 0.99] (InvalidWeight)"},
		{"weight in parts below the range", append(pool, "--weight", "9999999999999999", "--buy", "1"), "--weight 9999999999999999: out of range: the chain keeps a quote weight in [0.01, 0.99] (InvalidWeight)"},
		{"weight 1", append(pool, "--weight", "1.0", "--buy", "1"), `--weight "1.0": out of range: a quote weight lies in [0.01, 0.99]`},
		{"weight above 1e18 parts", append(pool, "--weight", "1000000000000000001", "--buy", "1"), `--weight "1000000000000000001": out of range: as an integer it is parts of 1e18, at most 1e18`},
		{"weight not a number", append(pool, "--weight", "half", "--buy", "1"), `--weight "half": want a decimal such as 0.5, or an integer of parts of 1e18`},
		{"weight with 19 decimals", append(pool, "--weight", "0.5000000000000000001", "--buy", "1"), `--weight "0.5000000000000000001": more than 18 decimals (a weight is parts of 1e18)`},
		{"fee above the chain's maximum", append(pool, "--fee", "65535", "--buy", "1"), "--fee 65535: above the chain's maximum fee rate: want 0 to 10000, parts of 65535 (FeeRateTooHigh)"},
		{"fee 10001", append(pool, "--fee", "10001", "--buy", "1"), "--fee 10001: above the chain's maximum fee rate: want 0 to 10000, parts of 65535 (FeeRateTooHigh)"},
		{"fee beyond u16", append(pool, "--fee", "65536", "--buy", "1"), `--fee "65536": want an integer from 0 to 10000 (the fee is FEE/65535 of the input)`},
		{"fee not an integer", append(pool, "--fee", "0.3%", "--buy", "1"), `--fee "0.3%": want an integer from 0 to 10000 (the fee is FEE/65535 of the input)`},
		{"limit in an unknown form", append(pool, "--limit", "13rao", "--buy", "1"), `--limit "13rao": amm: invalid price`},
		{"negative limit", append(pool, "--limit", "-0.1", "--buy", "1"), `--limit "-0.1": amm: invalid price`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runArgs("", append([]string{"quote"}, c.args...)...)
			require.Equal(t, 2, code, "stderr %q", stderr)
			require.Empty(t, stdout)
			first, rest, _ := strings.Cut(stderr, "\n")
			require.True(t, strings.HasPrefix(first, "dtao quote: "+c.want), "got %q\nwant prefix %q", first, "dtao quote: "+c.want)
			require.Equal(t, "Run 'dtao quote -h' for usage.\n", rest)
		})
	}
}

// A swap the chain refuses is a runtime error: one line on stderr with the
// chain's name of the error, exit 1, nothing on stdout.
func TestQuoteRuntimeErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"dust", []string{"--tao", "1000", "--alpha", "4000", "--sell", "0.000000001"},
			"dtao quote: the chain refuses the swap: ReservesTooLow (amm: reserves too low for the swap)\n"},
		{"limit below the price", []string{"--tao", "1000", "--alpha", "4000", "--buy", "1", "--limit", "0.2"},
			"dtao quote: the chain refuses the swap: PriceLimitExceeded (amm: price limit exceeded)\n"},
		{"input above 1000 reserves", []string{"--tao", "1", "--alpha", "4000", "--buy", "2000", "--json"},
			"dtao quote: the chain refuses the swap: SwapInputTooLarge (amm: swap input exceeds 1000 times the input reserve)\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runArgs("", append([]string{"quote"}, c.args...)...)
			require.Equal(t, 1, code)
			require.Empty(t, stdout)
			require.Equal(t, c.want, stderr)
		})
	}
}

// Weights are read exactly, in both forms.
func TestParseWeight(t *testing.T) {
	for s, parts := range map[string]uint64{
		"0.5": 500_000_000_000_000_000, "0.01": 10_000_000_000_000_000, "0.99": 990_000_000_000_000_000,
		".5": 0, "0.483726152637485912": 483_726_152_637_485_912, "483726152637485912": 483_726_152_637_485_912,
		"000.25": 250_000_000_000_000_000, "0": 0, "1000000000000000000": 1_000_000_000_000_000_000,
	} {
		w, err := parseWeight(s)
		if s == ".5" {
			require.Error(t, err, s)
			continue
		}
		require.NoError(t, err, s)
		require.Equal(t, parts, w.Parts(), s)
	}
	for _, s := range []string{"", "-0.5", "0.5.1", "0,5", "1e17", "0x10", " 0.5", "5."} {
		_, err := parseWeight(s)
		require.Error(t, err, "%q", s)
	}
}
