package amm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// emaWeightRef is update_moving_price's weight as the chain writes it
// (pallets/subtensor/src/staking/stake_utils.rs): U64F64 b.safe_div(b +
// halving), the sum saturating.
func emaWeightRef(b, halving uint64) fixed.U64F64 {
	bf := fixed.U64F64FromUint64(b)
	return bf.SafeDiv(bf.SaturatingAdd(fixed.U64F64FromUint64(halving)))
}

func checkEMAWeight(t testing.TB, b, h uint64) {
	t.Helper()
	if got, want := emaWeight(b, h), emaWeightRef(b, h); got != want {
		t.Fatalf("emaWeight(%d, %d) = %v, reference %v", b, h, got, want)
	}
}

// emaWeight is the chain's division on random block counts and halvings
// of every size, and at the edges: zero sums, a zero halving (weight 1),
// sums at and past 2^64 (saturation).
func TestEMAWeightMatchesReference(t *testing.T) {
	edges := []uint64{0, 1, 2, 3, 201_600, 1 << 32, 1 << 63, math.MaxUint64 - 1, math.MaxUint64}
	for _, b := range edges {
		for _, h := range edges {
			checkEMAWeight(t, b, h)
			checkEMAWeight(t, b, math.MaxUint64-b)
			checkEMAWeight(t, b, math.MaxUint64-b+1)
		}
	}
	rng := rand.New(rand.NewPCG(14, 30))
	for range 300_000 {
		b, h := rng.Uint64()>>rng.IntN(64), rng.Uint64()>>rng.IntN(64)
		checkEMAWeight(t, b, h)
	}
}

func FuzzEMAWeight(f *testing.F) {
	f.Add(uint64(1000), uint64(201_600))
	f.Add(uint64(math.MaxUint64), uint64(1))
	f.Fuzz(func(t *testing.T, b, h uint64) { checkEMAWeight(t, b, h) })
}
