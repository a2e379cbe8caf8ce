package emission

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// sharesRef is Shares as first written: the chain's get_shares and the
// emission switch of get_subnet_block_emissions
// (pallets/subtensor/src/coinbase/subnet_emissions.rs), with CheckedDiv
// and SafeDiv (uint256 divisions) and the moving price read at each use.
// It is the reference of Shares.
func sharesRef(subnets []ShareInput, out []fixed.U64F64) {
	out = out[:len(subnets)]
	zero := fixed.U64F64{}
	one := fixed.U64F64FromUint64(1)
	totalPrice := zero
	for _, s := range subnets {
		totalPrice = totalPrice.SaturatingAdd(s.movingPrice())
	}
	totalWeight := zero
	for i, s := range subnets {
		share, ok := s.movingPrice().CheckedDiv(totalPrice)
		if !ok {
			share = zero
		}
		out[i] = share
		burned := s.MinerBurned.SaturatingToU64F64()
		if one.Less(burned) {
			burned = one
		}
		totalWeight = totalWeight.SaturatingAdd(share.SaturatingMul(one.SaturatingSub(burned)))
	}
	if !totalWeight.IsZero() {
		for i, s := range subnets {
			burned := s.MinerBurned.SaturatingToU64F64()
			if one.Less(burned) {
				burned = one
			}
			out[i] = out[i].SaturatingMul(one.SaturatingSub(burned)).SafeDiv(totalWeight)
		}
	}
	anyDisabled := false
	enabledSum := zero
	for i, s := range subnets {
		if s.EmissionDisabled {
			anyDisabled = true
		} else {
			enabledSum = enabledSum.SaturatingAdd(out[i])
		}
	}
	if !anyDisabled {
		return
	}
	for i, s := range subnets {
		if !s.EmissionDisabled && !enabledSum.IsZero() {
			out[i] = out[i].SafeDiv(enabledSum)
		} else {
			out[i] = zero
		}
	}
}

// rootProportionRef is RootProportion with CheckedDiv (uint256).
func rootProportionRef(rootTAO units.TAO, taoWeight fixed.U96F32, alphaIssuance units.Alpha) fixed.U96F32 {
	w := fixed.U96F32FromUint64(uint64(rootTAO)).SaturatingMul(taoWeight)
	rp, ok := w.CheckedDiv(w.SaturatingAdd(fixed.U96F32FromUint64(uint64(alphaIssuance))))
	if !ok {
		return fixed.U96F32{}
	}
	return rp
}

// subnetTermsRef is SubnetTerms with SafeDivOr (uint256 for large prices).
func subnetTermsRef(taoEmission fixed.U96F32, alphaIssuance units.Alpha, price fixed.U64F64, rootProportion fixed.U96F32) Terms {
	ae := fixed.U96F32FromUint64(uint64(AlphaBlockEmission(alphaIssuance)))
	p := price.SaturatingToU96F32()
	taoIn := taoEmission
	alphaIn := taoEmission.SafeDivOr(p, fixed.U96F32{})
	capped := rootProportion.SaturatingMul(ae)
	if capped.Less(alphaIn) {
		alphaIn = capped
		taoIn = alphaIn.SaturatingMul(p)
	}
	return Terms{TAOIn: taoIn, AlphaIn: alphaIn, AlphaOut: ae, ExcessTAO: taoEmission.SaturatingSub(taoIn)}
}

func randU64(rng *rand.Rand) uint64 {
	switch rng.IntN(10) {
	case 0:
		return 0
	case 1:
		return ^uint64(0)
	}
	return rng.Uint64() >> rng.IntN(64)
}

func randI96F32(rng *rand.Rand) fixed.I96F32 {
	hi := int64(randU64(rng))
	if rng.IntN(8) == 0 {
		hi = -hi
	}
	return fixed.I96F32FromBits(uint64(hi)>>rng.IntN(64), randU64(rng))
}

// Shares gives sharesRef's shares on random subnet sets: prices from 0 to
// saturating, negative EMAs, stable subnets, burn above 1, disabled
// subnets, all disabled, and empty sets.
func TestSharesMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 20))
	for range 20_000 {
		n := rng.IntN(9)
		in := make([]ShareInput, n)
		for i := range in {
			in[i] = ShareInput{
				MovingPrice:      randI96F32(rng),
				Stable:           rng.IntN(6) == 0,
				MinerBurned:      fixed.U96F32FromBits(randU64(rng)>>rng.IntN(64), randU64(rng)),
				EmissionDisabled: rng.IntN(5) == 0,
			}
			if rng.IntN(3) == 0 {
				in[i].MovingPrice = fixed.I96F32FromFloat64(rng.Float64() * 0.2)
				in[i].MinerBurned = fixed.U96F32{}
			}
		}
		got, want := make([]fixed.U64F64, n), make([]fixed.U64F64, n)
		Shares(in, got)
		sharesRef(in, want)
		require.Equal(t, want, got, "%+v", in)
	}
}

// RootProportion and SubnetTerms give their CheckedDiv/SafeDivOr values.
func TestRootProportionAndTermsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 21))
	for range 200_000 {
		root, tw, iss := units.TAO(randU64(rng)), fixed.U96F32FromU64Proportion(randU64(rng)), units.Alpha(randU64(rng))
		require.Equal(t, rootProportionRef(root, tw, iss), RootProportion(root, tw, iss))
		rp := RootProportion(root, tw, iss)
		te := fixed.U96F32FromBits(randU64(rng)>>rng.IntN(64), randU64(rng))
		price := fixed.U64F64FromBits(randU64(rng)>>rng.IntN(64), randU64(rng))
		require.Equal(t, subnetTermsRef(te, iss, price, rp), SubnetTerms(te, iss, price, rp))
	}
}

// The duplicate check names the first earlier index holding the netuid.
func TestCoinbaseDuplicateNamesFirstIndex(t *testing.T) {
	in := CoinbaseInput{BlockEmission: 1_000_000_000, TaoWeight: ^uint64(0), RootTAO: fullRootTAO}
	for _, n := range []units.NetUID{5, 7, 300, 7, 5} {
		in.Subnets = append(in.Subnets, dynamicSubnet(n, 1_000_000_000_000, 1_000_000_000_000, 1))
	}
	_, err := Coinbase(&in)
	require.ErrorIs(t, err, ErrDuplicateSubnet)
	require.True(t, strings.Contains(err.Error(), "netuid 7 at Subnets[1] and [3]"), err.Error())
}

// splitAlphaOutRef is SplitAlphaOut with SaturatingMul.
func splitAlphaOutRef(alphaOut, cut fixed.U96F32, ownerCutEnabled bool, rootProportion fixed.U96F32) AlphaSplit {
	var split AlphaSplit
	a := alphaOut
	if ownerCutEnabled {
		oc := a.SaturatingMul(cut)
		a = a.SaturatingSub(oc)
		split.OwnerCut = units.Alpha(oc.SaturatingToUint64())
	}
	half := fixed.U96F32FromBits(0, 1<<31)
	r := rootProportion.SaturatingMul(a).SaturatingMul(half)
	s := a.SaturatingMul(half)
	v := a.SaturatingSub(s).SaturatingSub(r)
	split.Server = units.Alpha(s.SaturatingToUint64())
	split.Validator = units.Alpha(v.SaturatingToUint64())
	split.Root = units.Alpha(r.SaturatingToUint64())
	return split
}

func TestSplitAlphaOutMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 22))
	for range 200_000 {
		a := fixed.U96F32FromBits(randU64(rng)>>rng.IntN(64), randU64(rng))
		cut := fixed.U96F32FromU16Proportion(uint16(rng.Uint32()))
		rp := fixed.U96F32FromBits(randU64(rng)>>rng.IntN(64), randU64(rng))
		if rng.IntN(2) == 0 {
			rp = RootProportion(units.TAO(randU64(rng)), fixed.U96F32FromU64Proportion(randU64(rng)), units.Alpha(randU64(rng)))
		}
		on := rng.IntN(4) != 0
		require.Equal(t, splitAlphaOutRef(a, cut, on, rp), SplitAlphaOut(a, cut, on, rp))
	}
}

// SubnetTerms skips the division when the cap binds: caps at the
// quotient and one either side, zero and saturating prices, and a
// quotient that overflows (alpha_in 0, never capped).
func TestSubnetTermsCapEdgesMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 22))
	for range 100_000 {
		te := fixed.U96F32FromBits(randU64(rng)>>rng.IntN(64), randU64(rng))
		price := fixed.U64F64FromBits(randU64(rng)>>rng.IntN(64), randU64(rng))
		iss := units.Alpha(randU64(rng))
		ae := fixed.U96F32FromUint64(uint64(AlphaBlockEmission(iss)))
		q, ok := te.CheckedDiv(price.SaturatingToU96F32())
		// rp with rp·ae near q: q/ae, and a step up and down.
		rp, _ := q.CheckedDiv(ae)
		if !ok {
			rp = fixed.U96F32FromUint64(1)
		}
		for _, r := range []fixed.U96F32{rp, rp.SaturatingAdd(fixed.U96F32FromBits(0, 1)), rp.SaturatingSub(fixed.U96F32FromBits(0, 1)), {}} {
			require.Equal(t, subnetTermsRef(te, iss, price, r), SubnetTerms(te, iss, price, r))
		}
	}
	for _, price := range []fixed.U64F64{{}, fixed.U64F64FromBits(0, 1), fixed.U64F64FromBits(0, 1<<32), fixed.U64F64FromBits(^uint64(0), ^uint64(0))} {
		for _, te := range []fixed.U96F32{{}, fixed.U96F32FromBits(0, 1), fixed.U96F32FromBits(^uint64(0), ^uint64(0))} {
			for _, rp := range []fixed.U96F32{{}, fixed.U96F32FromBits(0, 1), fixed.U96F32FromUint64(1)} {
				require.Equal(t, subnetTermsRef(te, 1e15, price, rp), SubnetTerms(te, 1e15, price, rp))
			}
		}
	}
}
