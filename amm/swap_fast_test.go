package amm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// limitPrice is the chain's conversion for every limit, the precomputed
// defaults included.
func TestLimitPriceMatchesConversion(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 11))
	raos := []uint64{0, 1, MinPriceRao - 1, MinPriceRao, MinPriceRao + 1, units.RaoPerTAO, MaxPriceRao - 1, MaxPriceRao, MaxPriceRao + 1, math.MaxUint64}
	for range 10_000 {
		raos = append(raos, rng.Uint64()>>rng.IntN(64))
	}
	for _, r := range raos {
		if got, want := limitPrice(r), fixed.U64F64FromRatio(r, units.RaoPerTAO); got != want {
			t.Fatalf("limitPrice(%d) = %v, want %v", r, got, want)
		}
		if got, want := limitPrice(r), PriceFromRao(r).U64F64(); got != want {
			t.Fatalf("limitPrice(%d) = %v, PriceFromRao %v", r, got, want)
		}
	}
}

// The fee of a zero rate is 0, as the chain's formula gives it.
func TestFeeZeroRate(t *testing.T) {
	for _, a := range []uint64{0, 1, 1e9, math.MaxUint64} {
		if got, want := fee(a, 0), fixed.U64F64FromRatio(0, 65535).SaturatingMulToUint64(a); got != want || got != 0 {
			t.Fatalf("fee(%d, 0) = %d, formula %d", a, got, want)
		}
	}
}

// priceAt with the swap's one weight ratio is calculate_price as the
// chain spells it: safe_div(w1, w2) ×sat safe_div(y, x).
func TestPriceAtMatchesCalculatePrice(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 12))
	for range 100_000 {
		c := curveOf(fixed.Perquintill(rng.Uint64N(fixed.PerquintillAccuracy + 1)))
		x, y := rng.Uint64()>>rng.IntN(64), rng.Uint64()>>rng.IntN(64)
		want := fixed.U64F64FromRatio(c.w1, c.w2).SaturatingMul(fixed.U64F64FromRatio(y, x))
		if got := c.price(x, y); got != want {
			t.Fatalf("price(%d, %d) at %+v = %v, want %v", x, y, c, got, want)
		}
		if got := priceAt(c.weightRatio(), x, y); got != want {
			t.Fatalf("priceAt(%d, %d) at %+v = %v, want %v", x, y, c, got, want)
		}
	}
}
