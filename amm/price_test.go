package amm_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// bigFloorBits is floor(dec·2^64) for a plain decimal, by math/big: the
// value ParsePrice must return, computed independently.
func bigFloorBits(t require.TestingT, dec string) *big.Int {
	r, ok := new(big.Rat).SetString(dec)
	require.True(t, ok, dec)
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), 64)))
	return new(big.Int).Quo(r.Num(), r.Denom())
}

func priceBits(p amm.Price) *big.Int {
	hi, lo := p.U64F64().Bits()
	b := new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
	return b.Or(b, new(big.Int).SetUint64(lo))
}

func TestPriceFromRaoAndRaoAreInverse(t *testing.T) {
	for _, r := range []uint64{0, 1, 999_999_999, 1e9, 13_000_000, amm.MinPriceRao, amm.MaxPriceRao, 1 << 63, math.MaxUint64 - 1, math.MaxUint64} {
		assert.Equal(t, r, amm.PriceFromRao(r).Rao(), "rao %d", r)
	}
	rapid.Check(t, func(t *rapid.T) {
		r := rapid.Uint64().Draw(t, "rao")
		if got := amm.PriceFromRao(r).Rao(); got != r {
			t.Fatalf("PriceFromRao(%d).Rao() = %d", r, got)
		}
	})
}

func TestLimitFromTextKeepsItsRao(t *testing.T) {
	// The chain's floor loses a rao on 0.013: floor(0.013·2^64)·1e9/2^64 is
	// just below 13_000_000. Rao rounds to nearest and gives it back.
	p, err := amm.ParsePrice("0.013")
	require.NoError(t, err)
	assert.Equal(t, amm.PriceFromRao(13_000_000), p)
	assert.Equal(t, uint64(12_999_999), p.U64F64().SaturatingMulToUint64(units.RaoPerTAO))
	assert.Equal(t, uint64(13_000_000), p.Rao())
	o := amm.BuyOrder(1e9).WithLimit(p)
	assert.Equal(t, p, o.Limit())

	// Every decimal of at most 9 decimals whose rao fits a u64, in both
	// printed forms of a TAO amount.
	rapid.Check(t, func(t *rapid.T) {
		r := rapid.Uint64().Draw(t, "rao")
		if rapid.Bool().Draw(t, "small") {
			r %= 1e12
		}
		for _, s := range []string{units.TAO(r).Decimal(), units.TAO(r).String()} {
			p, err := amm.ParsePrice(s)
			if err != nil {
				t.Fatalf("ParsePrice(%q): %v", s, err)
			}
			if p != amm.PriceFromRao(r) || p.Rao() != r || amm.SellOrder(1).WithLimit(p).Limit() != p {
				t.Fatalf("ParsePrice(%q) = %v, rao %d", s, p, p.Rao())
			}
		}
	})
}

func TestParsePriceIsFloorOfTheDecimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		intPart := rapid.StringMatching(`[0-9]{1,19}`).Draw(t, "int")
		frac := rapid.StringMatching(`[0-9]{0,64}`).Draw(t, "frac")
		dec := intPart
		if frac != "" {
			dec += "." + frac
		}
		p, err := amm.ParsePrice(dec)
		if err != nil {
			t.Fatalf("ParsePrice(%q): %v", dec, err)
		}
		if got, want := priceBits(p), bigFloorBits(t, dec); got.Cmp(want) != 0 {
			t.Fatalf("ParsePrice(%q) bits %v, want %v", dec, got, want)
		}
	})
}

func TestPriceTextReadsBackExactly(t *testing.T) {
	check := func(t require.TestingT, p amm.Price) {
		for _, s := range []string{p.String(), p.Decimal()} {
			q, err := amm.ParsePrice(s)
			require.NoError(t, err, s)
			require.Equal(t, p, q, "%q", s)
			// Independently of ParsePrice: floor(s·2^64) is the value.
			plain := strings.ReplaceAll(strings.TrimPrefix(s, units.TAOSymbol), ",", "")
			require.Equal(t, 0, priceBits(p).Cmp(bigFloorBits(t, plain)), "%q", s)
			_, frac, _ := strings.Cut(plain, ".")
			require.LessOrEqual(t, len(frac), 20, "%q", s)
		}
		// String has at least 9 decimals and, beyond 9, no decimal it can
		// spare: one fewer (rounded up) no longer reads back.
		_, frac, _ := strings.Cut(p.String(), ".")
		require.GreaterOrEqual(t, len(frac), 9)
		if len(frac) > 9 {
			short := strings.ReplaceAll(strings.TrimPrefix(p.String(), units.TAOSymbol), ",", "")
			short = short[:len(short)-1]
			r, _ := new(big.Rat).SetString(short)
			ulp := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(frac)-1)), nil))
			up := new(big.Rat).Add(r, ulp)
			for _, cand := range []*big.Rat{r, up} {
				require.NotEqual(t, 0, priceBits(p).Cmp(bigFloorBits(t, cand.FloatString(len(frac)-1))), "%q is not the shortest", p.String())
			}
		}
	}
	for _, p := range []amm.Price{{}, amm.PriceFromRao(1), amm.PriceFromRao(13_000_000),
		amm.PriceFromU64F64(fixed.U64F64Max()), amm.PriceFromU64F64(fixed.U64F64FromBits(0, 1)),
		amm.PriceFromU64F64(fixed.U64F64FromBits(0, math.MaxUint64)), amm.PriceFromU64F64(fixed.U64F64FromBits(1234567, 1<<63))} {
		check(t, p)
	}
	assert.Equal(t, "τ0.013000000", amm.PriceFromRao(13_000_000).String())
	assert.Equal(t, "0.013", amm.PriceFromRao(13_000_000).Decimal())
	assert.Equal(t, "τ18,446,744,073,709,551,615.99999999999999999995", amm.PriceFromU64F64(fixed.U64F64Max()).String())
	assert.Equal(t, "0", amm.Price{}.Decimal())
	assert.Equal(t, "τ0.000000000", amm.Price{}.String())
	rapid.Check(t, func(t *rapid.T) {
		hi := rapid.Uint64().Draw(t, "hi") >> rapid.IntRange(0, 64).Draw(t, "shift")
		check(t, amm.PriceFromU64F64(fixed.U64F64FromBits(hi, rapid.Uint64().Draw(t, "lo"))))
	})
}

func TestParsePriceForms(t *testing.T) {
	want := amm.PriceFromRao(13_000_000)
	for _, s := range []string{"0.013", "τ0.013", "0.013τ", "0.013 τ", "0.013/α", "τ0.013/α", "0.013τ/α", "0.013 τ/α", "0.013000000", "00.013"} {
		p, err := amm.ParsePrice(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, p, s)
	}
	p, err := amm.ParsePrice("1,234.5")
	require.NoError(t, err)
	assert.Equal(t, amm.PriceFromRao(1_234_500_000_000), p)
	for _, c := range []struct {
		s     string
		cause error
	}{
		{"", units.ErrSyntax}, {" 0.013", units.ErrSyntax}, {"0.013 ", units.ErrSyntax}, {".5", units.ErrSyntax},
		{"1.", units.ErrSyntax}, {"τ0.013τ", units.ErrSyntax}, {"τ0.013 τ/α", units.ErrSyntax}, {"0.013α", units.ErrSyntax},
		{"1,23.5", units.ErrSyntax}, {"1e-3", units.ErrSyntax}, {"0.013 /α", units.ErrSyntax}, {"0x10", units.ErrSyntax},
		{"-0.013", units.ErrNegative}, {"τ-1", units.ErrNegative},
		{"18446744073709551616", units.ErrOverflow},
		{"0." + strings.Repeat("1", 65), nil},
	} {
		_, err := amm.ParsePrice(c.s)
		require.ErrorIs(t, err, amm.ErrInvalidPrice, "%q", c.s)
		if c.cause != nil {
			assert.ErrorIs(t, err, c.cause, "%q", c.s)
		}
		assert.Empty(t, units.ChainName(err), "not a chain error")
	}
	// 64 decimals is the exact expansion of 2^-64 and is accepted.
	p, err = amm.ParsePrice("0.0000000000000000000542101086242752217003726400434970855712890625")
	require.NoError(t, err)
	assert.Equal(t, amm.PriceFromU64F64(fixed.U64F64Delta()), p)
	_, err = amm.ParsePrice("18446744073709551615.9999999999999999999999")
	require.NoError(t, err)
}

func TestPriceEncodings(t *testing.T) {
	p := amm.PriceFromRao(13_245_678)
	text, err := p.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "0.013245678", string(text))
	var q amm.Price
	require.NoError(t, q.UnmarshalText([]byte("τ0.013245678")))
	assert.Equal(t, p, q)

	b, err := json.Marshal(struct{ Limit amm.Price }{p})
	require.NoError(t, err)
	assert.Equal(t, `{"Limit":"0.013245678"}`, string(b))
	var v struct{ Limit amm.Price }
	require.NoError(t, json.Unmarshal(b, &v))
	assert.Equal(t, p, v.Limit)
	require.NoError(t, json.Unmarshal([]byte(`{"Limit":0.013245678}`), &v), "a plain JSON number, read exactly")
	assert.Equal(t, p, v.Limit)
	require.NoError(t, json.Unmarshal([]byte(`{"Limit":null}`), &v))
	assert.Equal(t, p, v.Limit, "null leaves the value")
	for _, bad := range []string{`{"Limit":1e-2}`, `{"Limit":-1}`, `{"Limit":"abc"}`, `{"Limit":true}`} {
		err := json.Unmarshal([]byte(bad), &v)
		assert.True(t, errors.Is(err, amm.ErrInvalidPrice), "%s: %v", bad, err)
		assert.Equal(t, p, v.Limit, "a failed decode leaves the value")
	}
	assert.InDelta(t, 0.013245678, p.Float64(), 1e-15)
}

func TestPoolPriceType(t *testing.T) {
	p := amm.NewPool(1_000*units.RaoPerTAO, 4_000*units.RaoPerTAO)
	assert.Equal(t, amm.PriceFromRao(250_000_000), p.Price())
	assert.Equal(t, "τ0.250000000", p.Price().String())
	assert.Equal(t, 1, p.Price().Cmp(amm.PriceFromRao(249_999_999)))
	empty := amm.NewPool(1, 0)
	assert.True(t, empty.Price().IsZero())
}
