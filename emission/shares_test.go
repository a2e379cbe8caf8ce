package emission

import (
	"math/big"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func price(f float64) fixed.I96F32 { return fixed.I96F32FromFloat64(f) }

func u64f64Rat(x fixed.U64F64) *big.Rat {
	hi, lo := x.Bits()
	n := new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
	n.Or(n, new(big.Int).SetUint64(lo))
	return new(big.Rat).SetFrac(n, new(big.Int).Lsh(big.NewInt(1), 64))
}

// coinbase.rs::test_coinbase_tao_issuance_different_prices @14bc6f9f: EMA prices 0.1 and 0.2 split E = 1e8 as E/3 and 2E/3; the
// test's tolerance is 10 rao.
func TestSharesByMovingPrice(t *testing.T) {
	subnets := []ShareInput{{MovingPrice: price(0.1)}, {MovingPrice: price(0.2)}}
	shares := make([]fixed.U64F64, 2)
	Shares(subnets, shares)
	const e = 100_000_000
	got0 := SubnetTAOEmission(e, shares[0]).SaturatingToUint64()
	got1 := SubnetTAOEmission(e, shares[1]).SaturatingToUint64()
	require.InDelta(t, float64(e)/3, float64(got0), 10)
	require.InDelta(t, 2*float64(e)/3, float64(got1), 10)
	require.LessOrEqual(t, got0+got1, uint64(e))
	require.False(t, RootSell(subnets), "0.1 + 0.2 does not exceed 1")
}

// Three stable subnets share E equally (coinbase.rs::test_coinbase_tao_issuance_multiple:
// each ≈ 1_111_111 with ε = 1 for E = 3_333_333).
func TestSharesStable(t *testing.T) {
	subnets := []ShareInput{{Stable: true}, {Stable: true}, {Stable: true}}
	shares := make([]fixed.U64F64, 3)
	Shares(subnets, shares)
	for _, s := range shares {
		require.InDelta(t, 1_111_111, float64(SubnetTAOEmission(3_333_333, s).SaturatingToUint64()), 1)
	}
	require.True(t, RootSell(subnets), "three stable subnets sum to 3.0")
}

func TestSharesMinerBurnedAndDisabled(t *testing.T) {
	half := fixed.U96F32FromFloat64(0.5)
	subnets := []ShareInput{
		{MovingPrice: price(1)},
		{MovingPrice: price(1), MinerBurned: half},
		{MovingPrice: price(1), MinerBurned: fixed.U96F32FromUint64(3)}, // clamped to 1: weight 0
	}
	shares := make([]fixed.U64F64, 3)
	Shares(subnets, shares)
	// Weights 1/3, 1/6, 0 over 1/2: shares 2/3, 1/3, 0 (each floored).
	require.InDelta(t, 2.0/3, shares[0].Float64(), 1e-18)
	require.InDelta(t, 1.0/3, shares[1].Float64(), 1e-18)
	require.True(t, shares[2].IsZero())

	// Disabling the first subnet hands its share to the others.
	subnets[0].EmissionDisabled = true
	Shares(subnets, shares)
	require.True(t, shares[0].IsZero())
	require.InDelta(t, 1.0, shares[1].Float64(), 1e-18)
	require.True(t, shares[2].IsZero())

	// Everything burned: fall back to the price shares.
	all := []ShareInput{
		{MovingPrice: price(1), MinerBurned: fixed.U96F32FromUint64(1)},
		{MovingPrice: price(3), MinerBurned: fixed.U96F32FromUint64(1)},
	}
	Shares(all, shares[:2])
	require.Equal(t, u64f64Rat(fixed.U64F64FromFloat64(0.25)), u64f64Rat(shares[0]))
	require.Equal(t, u64f64Rat(fixed.U64F64FromFloat64(0.75)), u64f64Rat(shares[1]))
}

func TestSharesZeroPrices(t *testing.T) {
	shares := make([]fixed.U64F64, 2)
	Shares([]ShareInput{{}, {MovingPrice: price(-1)}}, shares)
	require.True(t, shares[0].IsZero() && shares[1].IsZero(), "no price, no share")
	require.False(t, RootSell([]ShareInput{{MovingPrice: price(1)}}), "exactly 1.0 is not > 1")
}

// Shares sum to at most one and fall short only by the floors (n·2^-64 per
// normalisation), or are all zero; a disabled subnet gets nothing.
func TestSharesSumToOne(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 12).Draw(t, "n")
		subnets := make([]ShareInput, n)
		for i := range subnets {
			subnets[i] = ShareInput{
				MovingPrice:      fixed.I96F32FromBits(0, rapid.Uint64Range(0, 1<<40).Draw(t, "price")),
				MinerBurned:      fixed.U96F32FromBits(0, rapid.Uint64Range(0, 1<<33).Draw(t, "burned")),
				EmissionDisabled: rapid.Bool().Draw(t, "disabled"),
				Stable:           rapid.Float64Range(0, 1).Draw(t, "stable") < 0.1,
			}
		}
		shares := make([]fixed.U64F64, n)
		Shares(subnets, shares)
		sum := new(big.Rat)
		for i, s := range shares {
			if subnets[i].EmissionDisabled && !s.IsZero() {
				t.Fatalf("disabled subnet %d has share %s", i, s)
			}
			sum.Add(sum, u64f64Rat(s))
		}
		if sum.Sign() == 0 {
			return
		}
		one := big.NewRat(1, 1)
		slack := big.NewRat(int64(3*n), 1)
		slack.Quo(slack, new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), 64)))
		if sum.Cmp(one) > 0 { // every step floors, so the sum never exceeds 1
			t.Fatalf("shares sum to %s > 1", sum.FloatString(25))
		}
		if new(big.Rat).Sub(one, sum).Cmp(slack) > 0 {
			t.Fatalf("shares sum to %s, short of 1 by more than the floors", sum.FloatString(25))
		}
	})
}

func TestSharesAllocs(t *testing.T) {
	subnets := make([]ShareInput, 128)
	for i := range subnets {
		subnets[i] = ShareInput{MovingPrice: fixed.I96F32FromUint64(uint64(i + 1))}
	}
	shares := make([]fixed.U64F64, len(subnets))
	require.Zero(t, testing.AllocsPerRun(50, func() { Shares(subnets, shares) }))
}
