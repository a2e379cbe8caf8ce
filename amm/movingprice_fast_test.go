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

// nextMovingPriceRef is update_moving_price as the chain writes it
// (pallets/subtensor/src/staking/stake_utils.rs), every operation the
// U64F64 one: the reference of NextMovingPrice's word arithmetic.
func nextMovingPriceRef(prev fixed.I96F32, spot Price, movingAlpha fixed.I96F32, b, halving uint64) fixed.I96F32 {
	a := movingAlpha.SaturatingToU64F64().SaturatingMul(emaWeightRef(b, halving))
	one := fixed.U64F64FromUint64(1)
	s := spot.U64F64()
	if one.Less(s) {
		s = one
	}
	cur := a.SaturatingMul(s)
	old := one.SaturatingSub(a).SaturatingMul(prev.SaturatingToU64F64())
	return cur.SaturatingAdd(old).SaturatingToI96F32()
}

func checkNextMovingPrice(t testing.TB, prev fixed.I96F32, spot Price, movingAlpha fixed.I96F32, b, h uint64) {
	t.Helper()
	got := NextMovingPrice(prev, spot, movingAlpha, b, h)
	if want := nextMovingPriceRef(prev, spot, movingAlpha, b, h); got != want {
		t.Fatalf("NextMovingPrice(%v, %v, %v, %d, %d) = %v, reference %v",
			prev.BitsString(), spot.U64F64().BitsString(), movingAlpha.BitsString(), b, h, got.BitsString(), want.BitsString())
	}
}

// randWord is a random word of random bit length, or one of the words at
// the edges of NextMovingPrice's fast domain.
func randWord(rng *rand.Rand) uint64 {
	switch rng.IntN(8) {
	case 0:
		return []uint64{0, 1, 1<<32 - 1, 1 << 32, 1<<63 - 1, 1 << 63, math.MaxUint64}[rng.IntN(7)]
	case 1:
		return math.MaxUint64 - rng.Uint64N(4)
	}
	return rng.Uint64() >> rng.IntN(65)
}

// NextMovingPrice's word arithmetic (movingEMA) is the chain's U64F64
// operations: on the chain's values (moving alpha 0.000003 and others
// below 1, spot prices around and above 1, prices and block counts of
// every size), and on random bits inside and outside the fast domain
// (negative and large moving alphas and previous prices, a zero halving
// giving the weight 1, sums that saturate).
func TestNextMovingPriceMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 31))
	edges := []uint64{0, 1, 2, 1<<32 - 1, 1 << 32, 1<<63 - 1, 1 << 63, math.MaxUint64}
	alphas := []fixed.I96F32{DefaultMovingAlpha(), fixed.I96F32FromBits(0, 0), fixed.I96F32FromBits(0, 1),
		fixed.I96F32FromBits(0, 1<<32-1), fixed.I96F32FromBits(0, 1<<32), fixed.I96F32FromBits(0, 1<<33),
		fixed.I96F32FromBits(math.MaxUint64, math.MaxUint64), fixed.I96F32FromBits(1<<31, 0)}
	for _, ma := range alphas {
		for _, ph := range edges {
			for _, pl := range edges {
				for _, sh := range []uint64{0, 1, 2, math.MaxUint64} {
					for _, sl := range edges {
						for _, bh := range [][2]uint64{{0, 0}, {1, 0}, {1000, 201_600}, {1, 1}, {math.MaxUint64, 1}, {math.MaxUint64, math.MaxUint64}} {
							checkNextMovingPrice(t, fixed.I96F32FromBits(ph, pl), PriceFromU64F64(fixed.U64F64FromBits(sh, sl)), ma, bh[0], bh[1])
						}
					}
				}
			}
		}
	}
	for i := range 300_000 {
		prev := fixed.I96F32FromBits(randWord(rng), randWord(rng))
		spot := PriceFromU64F64(fixed.U64F64FromBits(randWord(rng), randWord(rng)))
		ma := fixed.I96F32FromBits(randWord(rng), randWord(rng))
		b, h := randWord(rng), randWord(rng)
		if i%2 == 0 {
			// The fast domain as the chain fills it: a small moving
			// alpha, a price EMA below 2^64, a spot of either size.
			prev = fixed.I96F32FromBits(rng.Uint64()>>(32+rng.IntN(33)), rng.Uint64())
			ma = fixed.I96F32FromBits(0, rng.Uint64()>>(32+rng.IntN(33)))
			spot = PriceFromU64F64(fixed.U64F64FromBits(rng.Uint64N(3), rng.Uint64()))
			b, h = rng.Uint64N(10_000_000), rng.Uint64N(1_000_000)
		}
		checkNextMovingPrice(t, prev, spot, ma, b, h)
	}
}

func FuzzNextMovingPrice(f *testing.F) {
	f.Add(uint64(0), uint64(1)<<32, uint64(0), uint64(1)<<63, uint64(0), uint64(12885), uint64(1000), uint64(201_600))
	f.Add(uint64(1)<<31, uint64(0), uint64(1), uint64(0), uint64(0), uint64(1)<<32, uint64(5), uint64(0))
	f.Add(uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(0), uint64(0), uint64(12885), uint64(math.MaxUint64), uint64(2))
	f.Fuzz(func(t *testing.T, ph, pl, sh, sl, mh, ml, b, h uint64) {
		checkNextMovingPrice(t, fixed.I96F32FromBits(ph, pl), PriceFromU64F64(fixed.U64F64FromBits(sh, sl)), fixed.I96F32FromBits(mh, ml), b, h)
	})
}

// The fast path moves the price EMA toward the spot by a's share of the
// distance: from 0 toward 1/2 with a = 1/2 · 1/(1+1) = 1/4, the EMA is
// 1/8 (raw I96F32 2^29); from 1 toward 1/2, 7/8.
func TestNextMovingPriceMovesTowardSpot(t *testing.T) {
	half := fixed.I96F32FromBits(0, 1<<31)
	spot := PriceFromU64F64(fixed.U64F64FromBits(0, 1<<63))
	if got, want := NextMovingPrice(fixed.I96F32FromUint64(0), spot, half, 1, 1), fixed.I96F32FromBits(0, 1<<29); got != want {
		t.Fatalf("EMA from 0 toward 1/2 with a = 1/4: %v, want %v", got, want)
	}
	if got, want := NextMovingPrice(fixed.I96F32FromUint64(1), spot, half, 1, 1), fixed.I96F32FromBits(0, 7<<29); got != want {
		t.Fatalf("EMA from 1 toward 1/2 with a = 1/4: %v, want %v", got, want)
	}
}

// The chain's default parameters lie in the word arithmetic's domain, so
// the differential test above compares it and not the wide path alone.
func TestMovingEMADomain(t *testing.T) {
	w := emaWeight(BlocksSinceStart(1_000_000, 1), DefaultEMAPriceHalvingBlocks)
	if _, ok := movingEMA(fixed.I96F32FromUint64(3), fixed.U64F64FromUint64(2), DefaultMovingAlpha(), w); !ok {
		t.Fatal("movingEMA refuses the default moving alpha and halving")
	}
}
