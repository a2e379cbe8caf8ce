package amm

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// checkMaxPriceProduct compares InjectAndBuyValid's saturated product test
// with belowMaxPrice (the reference: its product test by the high word,
// then priceBelow) and with priceBelow itself.
func checkMaxPriceProduct(t *testing.T, w2, x, y uint64) {
	t.Helper()
	c := curveOf(fixed.Perquintill(w2))
	got := y < maxPriceProduct(x) || c.priceBelow(x, y, maxPriceLimitInt)
	if want := c.belowMaxPrice(x, y); got != want {
		t.Fatalf("w2 %d, x %d, y %d: saturated test %v, belowMaxPrice %v", w2, x, y, got, want)
	}
	if want := c.priceBelow(x, y, maxPriceLimitInt); got != want {
		t.Fatalf("w2 %d, x %d, y %d: saturated test %v, priceBelow %v", w2, x, y, got, want)
	}
}

// TestMaxPriceProductMatches runs checkMaxPriceProduct at the edges of
// the product's word (x around 2^64/10^4, y = 10^4·x and its neighbours,
// the largest y), at the weights' bounds, and at random reserves.
func TestMaxPriceProductMatches(t *testing.T) {
	weights := []uint64{uint64(MinWeight), uint64(MaxWeight), uint64(HalfWeight), uint64(MinWeight) + 1, uint64(MaxWeight) - 1}
	xs := []uint64{0, 1, 2, 9_999, 10_000, 1e9, 1 << 50, math.MaxUint64/maxPriceRatio - 1, math.MaxUint64 / maxPriceRatio, math.MaxUint64/maxPriceRatio + 1, math.MaxUint64}
	for _, w2 := range weights {
		for _, x := range xs {
			hi, lo := bits.Mul64(x, maxPriceRatio)
			for _, y := range []uint64{0, 1, lo - 1, lo, lo + 1, lo * 99, math.MaxUint64 - 1, math.MaxUint64} {
				if hi != 0 && y < math.MaxUint64-1 {
					continue
				}
				checkMaxPriceProduct(t, w2, x, y)
			}
			checkMaxPriceProduct(t, w2, x, math.MaxUint64)
		}
	}
	r := rand.New(rand.NewPCG(19, 41))
	for range 200_000 {
		w2 := randomWeight(r)
		x := r.Uint64() >> r.UintN(64)
		hi, lo := bits.Mul64(x, 9_000+r.Uint64N(2_000_000))
		y := lo
		if hi != 0 {
			y = math.MaxUint64 - r.Uint64N(2)
		}
		checkMaxPriceProduct(t, w2, x, y)
		checkMaxPriceProduct(t, w2, x, r.Uint64()>>r.UintN(64))
	}
}

func FuzzMaxPriceProduct(f *testing.F) {
	f.Add(uint64(HalfWeight), uint64(1e9), uint64(1e13))
	f.Add(uint64(MinWeight), uint64(math.MaxUint64/maxPriceRatio+1), uint64(math.MaxUint64))
	f.Add(uint64(MaxWeight), uint64(math.MaxUint64), uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, w2, x, y uint64) {
		w2 = uint64(MinWeight) + w2%(uint64(MaxWeight)-uint64(MinWeight)+1) // a valid pool's weight
		checkMaxPriceProduct(t, w2, x, y)
	})
}
