package emission

import (
	"math/big"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func u96Rat(x fixed.U96F32) *big.Rat {
	hi, lo := x.Bits()
	n := new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
	n.Or(n, new(big.Int).SetUint64(lo))
	return new(big.Rat).SetFrac(n, new(big.Int).Lsh(big.NewInt(1), 32))
}

// coinbase.rs::test_root_proportion @14bc6f9f: the chain's own formula with
// plain operators, compared exactly; get_tao_weight spelled as the chain
// does (stake_utils.rs) equals the proportion constructor the package uses.
func TestRootProportion(t *testing.T) {
	const rootTAO, stored, alphaIn = 1_000_000_000_000, 3_320_413_933_267_719_290, 100_000_000_000
	chainTaoWeight := func(v uint64) fixed.U96F32 {
		return fixed.U96F32FromUint64(v).SafeDiv(fixed.U96F32FromUint64(^uint64(0)))
	}
	tw := fixed.U96F32FromU64Proportion(stored)
	require.Equal(t, chainTaoWeight(stored), tw)
	w := tw.Mul(fixed.U96F32FromUint64(rootTAO))
	want := w.Div(w.Add(fixed.U96F32FromUint64(alphaIn)))
	require.Equal(t, want, RootProportion(rootTAO, tw, AlphaIssuance(alphaIn, 0)))

	require.Equal(t, fixed.U96F32FromUint64(1), fixed.U96F32FromU64Proportion(^uint64(0)), "u64::MAX is exactly 1.0")
	require.Equal(t, chainTaoWeight(^uint64(0)), fixed.U96F32FromU64Proportion(^uint64(0)))
	require.True(t, RootProportion(0, tw, 0).IsZero(), "0/0 is 0")
	require.True(t, RootProportion(rootTAO, fixed.U96F32FromU64Proportion(0), 5).IsZero())
}

// coinbase.rs::test_owner_cut_base @14bc6f9f: with a tiny alpha issuance the
// alpha emission is 1e9; a cut of 0 pends nothing, a cut of 65535 pends it
// all. Exact.
func TestOwnerCutBase(t *testing.T) {
	ae := fixed.U96F32FromUint64(uint64(AlphaBlockEmission(2_000_000_000_000)))
	require.Zero(t, SplitAlphaOut(ae, fixed.U96F32FromU16Proportion(0), true, fixed.U96F32{}).OwnerCut)
	require.Equal(t, units.Alpha(1_000_000_000), SplitAlphaOut(ae, fixed.U96F32FromU16Proportion(65_535), true, fixed.U96F32{}).OwnerCut)
}

// coinbase.rs::test_pending_emission @14bc6f9f: owner cut 0, TAO weight 1.0,
// root TAO 1e9 and an alpha issuance of 3e9 give a root proportion of 0.25;
// of 1e9 alpha, the server pends 5e8, validators 3.75e8 and root 1.25e8
// (ε = 1 each, as the test).
func TestPendingEmissionSplit(t *testing.T) {
	rp := RootProportion(1_000_000_000, fixed.U96F32FromU64Proportion(^uint64(0)), 3_000_000_000)
	split := SplitAlphaOut(fixed.U96F32FromUint64(1_000_000_000), fixed.U96F32FromU16Proportion(0), true, rp)
	require.InDelta(t, 500_000_000, float64(split.Server), 1)
	require.InDelta(t, 375_000_000, float64(split.Validator), 1)
	require.InDelta(t, 125_000_000, float64(split.Root), 1)
	require.Zero(t, split.OwnerCut)
}

// coinbase.rs::test_get_subnet_terms_alpha_emissions_cap @14bc6f9f: at price
// 1.0 with a root proportion near 1, 1e8 TAO injects 1e8 alpha exactly and
// 1e10 TAO is capped at exactly root_proportion · alpha_emission.
func TestSubnetTermsCap(t *testing.T) {
	const issuance = 2_000_000_000_000 // a fresh subnet's pool
	rp := RootProportion(1_000_000_000_000_000_000, fixed.U96F32FromU64Proportion(^uint64(0)), issuance)
	ae := fixed.U96F32FromUint64(uint64(AlphaBlockEmission(issuance)))
	one := fixed.U64F64FromUint64(1)

	e1 := fixed.U96F32FromUint64(100_000_000)
	terms := SubnetTerms(e1, issuance, one, rp)
	require.Equal(t, e1, terms.AlphaIn)
	require.Equal(t, e1, terms.TAOIn)
	require.True(t, terms.ExcessTAO.IsZero())
	require.Equal(t, ae, terms.AlphaOut)

	e2 := fixed.U96F32FromUint64(10_000_000_000)
	terms = SubnetTerms(e2, issuance, one, rp)
	require.Equal(t, rp.SaturatingMul(ae), terms.AlphaIn)
	require.Equal(t, terms.AlphaIn, terms.TAOIn, "tao_in = alpha_in · 1.0")
	require.Equal(t, e2.SaturatingSub(terms.TAOIn), terms.ExcessTAO)
}

// A spot price below 2^-32 reads as 0 in U96F32: no alpha in, all TAO in.
func TestSubnetTermsZeroPrice(t *testing.T) {
	e := fixed.U96F32FromUint64(7)
	terms := SubnetTerms(e, 0, fixed.U64F64FromBits(0, 1<<31), fixed.U96F32FromUint64(1))
	require.True(t, terms.AlphaIn.IsZero())
	require.Equal(t, e, terms.TAOIn)
	require.True(t, terms.ExcessTAO.IsZero())
}

// Every alpha rao emitted is accounted for: owner + server + validator +
// root never exceed the alpha out, and fall short by at most the four floors
// plus the U96F32 steps.
func TestSplitAlphaOutConserves(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		alphaOut := fixed.U96F32FromUint64(rapid.Uint64Range(0, 1_000_000_000).Draw(t, "alpha_out"))
		cut := fixed.U96F32FromU16Proportion(rapid.Uint16().Draw(t, "cut"))
		enabled := rapid.Bool().Draw(t, "enabled")
		rp := fixed.U96F32FromBits(0, rapid.Uint64Range(0, 1<<32).Draw(t, "rp_bits"))
		s := SplitAlphaOut(alphaOut, cut, enabled, rp)
		total := s.OwnerCut + s.Server + s.Validator + s.Root
		out := units.Alpha(alphaOut.SaturatingToUint64())
		if total > out {
			t.Fatalf("split %+v sums to %d > alpha out %d", s, total, out)
		}
		if out-total > 5 {
			t.Fatalf("split %+v loses %d rao of %d", s, out-total, out)
		}
		if !enabled && s.OwnerCut != 0 {
			t.Fatalf("owner cut %d while disabled", s.OwnerCut)
		}
	})
}

// tao_in + excess equals the TAO emission to within the U96F32 floors of
// alpha_in · price, and alpha_in never exceeds the cap.
func TestSubnetTermsConserve(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := fixed.U96F32FromBits(0, rapid.Uint64Range(0, 1<<62).Draw(t, "e_bits"))
		issuance := units.Alpha(rapid.Uint64Range(0, uint64(TotalSupply)).Draw(t, "issuance"))
		price := fixed.U64F64FromBits(rapid.Uint64Range(0, 1<<20).Draw(t, "price_hi"), rapid.Uint64().Draw(t, "price_lo"))
		rp := fixed.U96F32FromBits(0, rapid.Uint64Range(0, 1<<32).Draw(t, "rp_bits"))
		terms := SubnetTerms(e, issuance, price, rp)
		sum := new(big.Rat).Add(u96Rat(terms.TAOIn), u96Rat(terms.ExcessTAO))
		if sum.Cmp(u96Rat(e)) != 0 {
			t.Fatalf("tao_in %s + excess %s != e %s", terms.TAOIn, terms.ExcessTAO, e)
		}
		capped := rp.SaturatingMul(terms.AlphaOut)
		if capped.Less(terms.AlphaIn) {
			t.Fatalf("alpha_in %s above cap %s", terms.AlphaIn, capped)
		}
	})
}
