package emission

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/require"
)

// Delegates defaults to DefaultDelegateTake (lib.rs, read by
// get_hotkey_take_float in staking/helpers.rs @14bc6f9f): pending
// validator 100 and one hotkey with dividend 1 and no state pay the take
// floor(11796/65535·100) = 17 and the rest floor(100 − 17.99…) = 82, as
// the chain does; a state whose DelegateTake is left out reads the same,
// and only TakeOf(0) pays no take.
func TestDistributeDelegateTakeDefault(t *testing.T) {
	h := hk(1)
	base := DistributionInput{PendingValidator: 100, Emissions: []HotkeyEmission{{Hotkey: h, Dividend: 1}}}

	missing := base
	d := runDistribute(t, &missing)
	require.Equal(t, []DividendPayout{{Hotkey: h, Take: 17, Rest: 82}}, d.AlphaDividends)

	leftOut := base
	leftOut.Hotkeys = map[units.AccountID]HotkeyState{h: {Owner: hk(2), AlphaStake: 5}}
	d = runDistribute(t, &leftOut)
	require.Equal(t, []DividendPayout{{Hotkey: h, Take: 17, Rest: 82}}, d.AlphaDividends)

	zero := base
	zero.Hotkeys = map[units.AccountID]HotkeyState{h: {DelegateTake: TakeOf(0)}}
	d = runDistribute(t, &zero)
	require.Equal(t, []DividendPayout{{Hotkey: h, Take: 0, Rest: 100}}, d.AlphaDividends)
}

func TestTake(t *testing.T) {
	var unset Take
	require.False(t, unset.IsSet())
	require.Equal(t, DefaultDelegateTake, unset.Value())
	require.Equal(t, DefaultDelegateTake, HotkeyState{}.DelegateTake.Value())
	require.True(t, TakeOf(0).IsSet())
	require.Zero(t, TakeOf(0).Value())
	require.Equal(t, uint16(65_535), TakeOf(65_535).Value())
}

func TestNilInputs(t *testing.T) {
	_, err := Distribute(nil)
	require.ErrorIs(t, err, ErrNilInput)
	_, err = Coinbase(nil)
	require.ErrorIs(t, err, ErrNilInput)
	dst := []Payout{{Hotkey: hk(4), Amount: 1}}
	out, burned, err := SplitToParents(nil, hk(0), dst)
	require.ErrorIs(t, err, ErrNilInput)
	require.Equal(t, dst, out, "dst is returned as it was")
	require.Zero(t, burned)
}

// FlowShares sizes nothing itself: a short out is a programming error,
// documented as a panic.
func TestFlowSharesShortOutPanics(t *testing.T) {
	require.Panics(t, func() {
		FlowShares(make([]FlowInput, 2), false, fixed.I64F64{}, fixed.U64F64FromUint64(1), make([]fixed.U64F64, 1))
	})
}

// set_children refuses child proportions above u64::MAX in total
// (ensure_total_proportions, staking/set_children.rs @14bc6f9f); the
// saturating arithmetic would read them as lending the whole stake and
// give the parents everything. Exactly u64::MAX is accepted.
func TestChildProportionOverflow(t *testing.T) {
	over := []uint64{^uint64(0), 1}
	_, err := SelfContribution(100, 0, over, fixed.U96F32{})
	require.ErrorIs(t, err, ErrProportionOverflow)
	var named interface{ ChainName() string }
	require.True(t, errors.As(err, &named))
	require.Equal(t, "ProportionOverflow", named.ChainName())

	c, err := SelfContribution(100, 0, []uint64{^uint64(0) / 2, ^uint64(0) - ^uint64(0)/2}, fixed.U96F32{})
	require.NoError(t, err)
	require.Zero(t, c)

	s := ChildSplit{Dividend: 10, AlphaStake: 100, ChildProportions: over,
		Parents: []Parent{{Hotkey: hk(1), Proportion: 1 << 40, AlphaStake: 100}}}
	dst := make([]Payout, 0, 4)
	out, _, err := SplitToParents(&s, hk(0), dst)
	require.ErrorIs(t, err, ErrProportionOverflow)
	require.Empty(t, out)

	in := DistributionInput{
		PendingValidator: 100,
		Emissions:        []HotkeyEmission{{Hotkey: hk(0), Dividend: 10}},
		Hotkeys:          map[units.AccountID]HotkeyState{hk(0): {AlphaStake: 100, ChildProportions: over}},
	}
	_, err = Distribute(&in)
	require.ErrorIs(t, err, ErrProportionOverflow)
}

// NetworksAdded holds each non-root subnet once: a repeated netuid or the
// root subnet is an error, and no pool moves.
func TestCoinbaseRefusesDuplicateAndRootSubnets(t *testing.T) {
	for _, c := range []struct {
		netuids []units.NetUID
		want    error
	}{
		{[]units.NetUID{1, 2, 1}, ErrDuplicateSubnet},
		{[]units.NetUID{1, 0}, ErrRootSubnet},
	} {
		in := CoinbaseInput{BlockEmission: 1_000_000_000, TaoWeight: ^uint64(0), RootTAO: fullRootTAO}
		for _, n := range c.netuids {
			in.Subnets = append(in.Subnets, dynamicSubnet(n, 1_000_000_000_000, 1_000_000_000_000, 1))
		}
		before := make([]CoinbaseSubnet, len(in.Subnets))
		copy(before, in.Subnets)
		_, err := Coinbase(&in)
		require.ErrorIs(t, err, c.want)
		require.Equal(t, before, in.Subnets)
	}
}

// A parent's own child proportions are checked too, though its self
// contribution is not read: no chain state holds them.
func TestDistributeRefusesAnyOverflowingState(t *testing.T) {
	in := DistributionInput{
		PendingValidator: 100,
		Emissions:        []HotkeyEmission{{Hotkey: hk(0), Dividend: 10}},
		Hotkeys: map[units.AccountID]HotkeyState{
			hk(0): {AlphaStake: 100, Parents: []ParentLink{{Hotkey: hk(1), Proportion: 1 << 62}}},
			hk(1): {AlphaStake: 100, ChildProportions: []uint64{1 << 63, 1 << 63}},
			hk(2): {ChildProportions: []uint64{1 << 63, 1 << 63}},
		},
	}
	for range 5 {
		_, err := Distribute(&in)
		require.ErrorIs(t, err, ErrProportionOverflow)
		one := hk(1)
		require.Contains(t, err.Error(), fmt.Sprintf("(hotkey %x)", one[:]))
	}
}

func TestCut(t *testing.T) {
	var unset Cut
	require.False(t, unset.IsSet())
	require.Equal(t, DefaultOwnerCut, unset.Value())
	require.Equal(t, DefaultOwnerCut, CoinbaseSubnet{}.OwnerCut.Value())
	require.True(t, CutOf(0).IsSet())
	require.Zero(t, CutOf(0).Value())
	require.Equal(t, uint16(65_535), CutOf(65_535).Value())
}

// SubnetOwnerCut defaults to 11_796 (DefaultSubnetOwnerCut in lib.rs,
// SubtensorInitialSubnetOwnerCut in runtime/src/lib.rs @14bc6f9f): a
// subnet whose OwnerCut is left out pays that cut, the same as one that
// states it, and only CutOf(0) pays none. (Before Cut, the left-out field
// read as a 0% cut.)
func TestCoinbaseOwnerCutDefault(t *testing.T) {
	run := func(cut Cut) AlphaSplit {
		s := dynamicSubnet(1, 1_000_000_000_000, 1_000_000_000_000, 1)
		s.OwnerCut = cut
		in := CoinbaseInput{BlockEmission: 1_000_000_000, Subnets: []CoinbaseSubnet{s}}
		return runCoinbase(t, &in).Subnets[0].Split
	}
	leftOut, stated, none := run(Cut{}), run(CutOf(DefaultOwnerCut)), run(CutOf(0))
	// Alpha out is 1e9 at this issuance: floor(1e9 · 11796/65535 in U96F32).
	want := fixed.U96F32FromU16Proportion(DefaultOwnerCut).SaturatingMul(fixed.U96F32FromUint64(1_000_000_000)).SaturatingToUint64()
	require.Equal(t, units.Alpha(want), leftOut.OwnerCut)
	require.Positive(t, want)
	require.Equal(t, stated, leftOut)
	require.Zero(t, none.OwnerCut)
}

// A pool the chain could never hold is refused, not skipped: the zero Pool
// (quote weight 0), a quote weight past MaxWeight (one of 2e18 would have
// given its alpha reserve away), a fee rate past MaxFeeRate and an unknown
// mechanism, on an emitting subnet or not. The error wraps amm's and names
// the netuid, and no pool moves.
func TestCoinbaseRefusesInvalidPool(t *testing.T) {
	for _, c := range []struct {
		name     string
		edit     func(*amm.Pool)
		emitting bool
		want     error
	}{
		{"zero pool", func(p *amm.Pool) { *p = amm.Pool{} }, true, amm.ErrInvalidWeight},
		{"weight 2e18", func(p *amm.Pool) { p.QuoteWeight = 2_000_000_000_000_000_000 }, true, amm.ErrInvalidWeight},
		{"weight below min", func(p *amm.Pool) { p.QuoteWeight = amm.MinWeight - 1 }, false, amm.ErrInvalidWeight},
		{"fee rate", func(p *amm.Pool) { p.FeeRate = amm.MaxFeeRate + 1 }, true, amm.ErrFeeRateTooHigh},
		{"mechanism", func(p *amm.Pool) { p.Mechanism = 2 }, false, amm.ErrMechanismDoesNotExist},
	} {
		in := CoinbaseInput{BlockEmission: 1_000_000_000, TaoWeight: ^uint64(0), RootTAO: fullRootTAO,
			Subnets: []CoinbaseSubnet{
				dynamicSubnet(3, 1_000_000_000_000, 1_000_000_000_000, 1),
				dynamicSubnet(7, 1_000_000_000_000, 1_000_000_000_000, 1),
			}}
		c.edit(&in.Subnets[1].Pool)
		in.Subnets[1].Emitting = c.emitting
		before := make([]CoinbaseSubnet, len(in.Subnets))
		copy(before, in.Subnets)
		_, err := Coinbase(&in)
		require.ErrorIs(t, err, c.want, c.name)
		require.Contains(t, err.Error(), "netuid 7", c.name)
		require.Equal(t, before, in.Subnets, c.name)
	}
}

// The chain's errors are *units.ChainError sentinels that carry the
// chain's name; the errors for inputs no chain state holds are not.
func TestChainErrors(t *testing.T) {
	for _, c := range []struct {
		err  error
		name string
	}{
		{ErrTempoOutOfBounds, "TempoOutOfBounds"},
		{ErrDynamicTempoBlockedByCommitReveal, "DynamicTempoBlockedByCommitReveal"},
		{ErrEpochTriggerAlreadyPending, "EpochTriggerAlreadyPending"},
		{ErrAutoEpochAlreadyImminent, "AutoEpochAlreadyImminent"},
		{ErrProportionOverflow, "ProportionOverflow"},
	} {
		var ce *units.ChainError
		require.True(t, errors.As(fmt.Errorf("context: %w", c.err), &ce), c.name)
		require.Equal(t, c.name, ce.ChainName())
		require.Equal(t, c.name, units.ChainName(fmt.Errorf("context: %w", c.err)))
		require.True(t, strings.HasPrefix(c.err.Error(), "emission: "), c.err.Error())
	}
	for _, err := range []error{ErrNilInput, ErrDuplicateSubnet, ErrRootSubnet} {
		var ce *units.ChainError
		require.False(t, errors.As(err, &ce), err.Error())
		require.Empty(t, units.ChainName(err))
	}
	var s Schedule
	err := s.SetTempo(MaxTempo+1, 5)
	var ce *units.ChainError
	require.True(t, errors.As(err, &ce))
	require.Same(t, ErrTempoOutOfBounds, ce)
}
