package amm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/holiman/uint256"

	"github.com/dtao-go/dtao/fixed"
)

// mulPerquintillRound is Balancer::mul_perquintill_round on uint256, as
// the chain computes it in U256: v·p/1e18 rounded half up, capped at
// u128::MAX. It is the reference of roundPerquintill.
func mulPerquintillRound(parts uint64, v *uint256.Int) uint256.Int {
	var z, t uint256.Int
	z.Mul(v, t.SetUint64(parts))
	z.Add(&z, t.SetUint64(fixed.PerquintillAccuracy/2))
	z.Div(&z, t.SetUint64(fixed.PerquintillAccuracy))
	capU128(&z)
	return z
}

// roundPerquintill is Balancer::mul_perquintill_round as
// fixed.PerquintillShareOfRounded computes each of its two products
// (updatedWeight's rounding): v·p/1e18 rounded
// half up, capped at u128::MAX. v < 2^128 and p < 2^64, so the product
// fits 192 bits: MulAddQuoPerquintill (MulAddQuoUint64 by 1e18, on a
// precomputed reciprocal) divides it exactly (it reports a quotient of
// 2^128 or more, which the chain caps).
func roundPerquintill(parts uint64, v fixed.U128) fixed.U128 {
	z, ok := v.MulAddQuoPerquintill(parts, fixed.PerquintillAccuracy/2)
	if !ok {
		return fixed.U128Max()
	}
	return z
}

// updatedWeightRef is update_weights_for_added_liquidity
// (pallets/swap/src/pallet/balancer.rs) transcribed on uint256: the
// reference of updatedWeight.
func (c curve) updatedWeightRef(y, x, dy, dx uint64) (fixed.Perquintill, bool) {
	var yy, xx, ny, nx, t uint256.Int
	yy.SetUint64(y)
	xx.SetUint64(x)
	ny.SetUint64(y)
	ny.Add(&ny, t.SetUint64(dy)) // < 2^65: u128 saturating_add never saturates
	nx.SetUint64(x)
	nx.Add(&nx, t.SetUint64(dx))
	var p1, p2 uint256.Int
	p1.Mul(&yy, &nx)
	capU128(&p1) // u128 saturating_mul
	p2.Mul(&xx, &ny)
	capU128(&p2)
	q1 := mulPerquintillRound(c.w1, &p1)
	q2 := mulPerquintillRound(c.w2, &p2)
	var sum uint256.Int
	sum.Add(&q1, &q2)
	capU128(&sum) // u128 saturating_add
	w := HalfWeight
	if !sum.IsZero() {
		w = fixed.PerquintillFromRational256(&q2, &sum)
	}
	return w, validWeight(w)
}

func u128OfInt(v *uint256.Int) fixed.U128 { return fixed.U128FromBits(v[1], v[0]) }

func checkUpdatedWeight(t *testing.T, w2, y, x, dy, dx uint64) {
	t.Helper()
	c := curveOf(fixed.Perquintill(w2))
	gw, gok := c.updatedWeight(y, x, dy, dx)
	rw, rok := c.updatedWeightRef(y, x, dy, dx)
	if gw != rw || gok != rok {
		t.Fatalf("w2 %d, y %d, x %d, dy %d, dx %d: updatedWeight %d, %v; reference %d, %v", w2, y, x, dy, dx, gw, gok, rw, rok)
	}
}

// updatedWeight (u128 arithmetic) gives the uint256 transcription's weight,
// on random reserves and injections of every size, with the saturating
// products, zero reserves and the weight bounds among the edge cases.
func TestUpdatedWeightMatchesReference(t *testing.T) {
	edges := []uint64{0, 1, 2, 1e9, 1e12, 1e18, 1 << 63, math.MaxUint64 - 1, math.MaxUint64}
	weights := []uint64{0, 1, uint64(MinWeight), uint64(HalfWeight), uint64(MaxWeight), fixed.PerquintillAccuracy - 1, fixed.PerquintillAccuracy}
	for _, w := range weights {
		for _, y := range edges {
			for _, x := range edges {
				for _, d := range edges {
					checkUpdatedWeight(t, w, y, x, d, d/3)
					checkUpdatedWeight(t, w, y, x, d/7, d)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(14, 7))
	r64 := func() uint64 { return rng.Uint64() >> rng.IntN(64) }
	for range 200_000 {
		checkUpdatedWeight(t, rng.Uint64N(fixed.PerquintillAccuracy+1), r64(), r64(), r64(), r64())
	}
}

// roundPerquintill is mul_perquintill_round's uint256 value.
func TestRoundPerquintillMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 8))
	for range 200_000 {
		v := uint256.Int{rng.Uint64() >> rng.IntN(64), rng.Uint64() >> rng.IntN(65)}
		if rng.IntN(8) == 0 {
			v = uint256.Int{math.MaxUint64, math.MaxUint64}
		}
		parts := rng.Uint64N(fixed.PerquintillAccuracy + 1)
		want := mulPerquintillRound(parts, &v)
		if got := roundPerquintill(parts, u128OfInt(&v)); got != u128OfInt(&want) {
			t.Fatalf("roundPerquintill(%d, %v) = %v, want %v", parts, &v, got, &want)
		}
	}
}

func FuzzUpdatedWeight(f *testing.F) {
	f.Add(uint64(HalfWeight), uint64(1e12), uint64(4e12), uint64(1234567), uint64(2432765890))
	f.Add(uint64(MaxWeight), uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(1))
	f.Fuzz(func(t *testing.T, w2, y, x, dy, dx uint64) {
		checkUpdatedWeight(t, w2%(fixed.PerquintillAccuracy+1), y, x, dy, dx)
	})
}

func TestUpdatedWeightAllocs(t *testing.T) {
	c := curveOf(HalfWeight)
	if a := testing.AllocsPerRun(100, func() { c.updatedWeight(1e15, 3e15, 1e9, 2e9) }); a != 0 {
		t.Fatalf("%v allocations", a)
	}
}
