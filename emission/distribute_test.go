package emission

import (
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func hk(b byte) units.AccountID { return units.AccountID{31: b} }

// coinbase.rs::test_calculate_dividend_distribution_totals and
// _total_only_tao @14bc6f9f: the alpha payouts sum to the pending validator
// alpha and the root payouts to the pending root alpha (ε = 1_000).
func TestSplitDividendsTotals(t *testing.T) {
	for _, pendingValidator := range []units.Alpha{183_123_567_452, 0} {
		const pendingRoot = 837_120_949_872
		divs := []StakeSplit{
			{Hotkey: hk(0), Dividend: fixed.U96F32FromUint64(77_783_738), AlphaStake: 4_859_302, RootStake: 2_342_352},
			{Hotkey: hk(1), Dividend: fixed.U96F32FromUint64(19_283_940), AlphaStake: 23_423, RootStake: 859_273},
		}
		shares := SplitDividends(pendingValidator, pendingRoot, fixed.U96F32FromFloat64(0.18), divs, nil)
		require.Len(t, shares, 2)
		alpha, root := fixed.U96F32{}, fixed.U96F32{}
		for _, s := range shares {
			alpha = alpha.Add(s.Alpha)
			root = root.Add(s.Root)
		}
		require.InDelta(t, float64(pendingValidator), float64(alpha.SaturatingToUint64()), 1_000)
		require.InDelta(t, float64(pendingRoot), float64(root.SaturatingToUint64()), 1_000)
	}
}

// coinbase.rs::test_calculate_dividend_distribution_total_no_tao_weight and
// _total_only_alpha @14bc6f9f: without TAO weight, or without root stake,
// everything is alpha dividends.
func TestSplitDividendsNoRoot(t *testing.T) {
	cases := []struct {
		tw         fixed.U96F32
		root0, rt1 units.Alpha
	}{
		{fixed.U96F32{}, 2_342_352, 859_273},
		{fixed.U96F32FromFloat64(0.18), 0, 0},
	}
	for _, c := range cases {
		divs := []StakeSplit{
			{Hotkey: hk(0), Dividend: fixed.U96F32FromUint64(77_783_738), AlphaStake: 4_859_302, RootStake: c.root0},
			{Hotkey: hk(1), Dividend: fixed.U96F32FromUint64(19_283_940), AlphaStake: 23_423, RootStake: c.rt1},
		}
		shares := SplitDividends(183_123_567_452, 837_120_949_872, c.tw, divs, nil)
		alpha := shares[0].Alpha.Add(shares[1].Alpha)
		require.InDelta(t, 183_123_567_452, float64(alpha.SaturatingToUint64()), 1_000)
		require.True(t, shares[0].Root.IsZero() && shares[1].Root.IsZero())
	}
}

// coinbase.rs::test_drain_alpha_childkey_parentkey @14bc6f9f: a parent lends
// all its 1e9 alpha to an unstaked child with a 10% childkey take; with no
// incentive the validator pool is the whole 1e9, the child's epoch dividend
// (the fallback pays it all to the only validator, by stake). The parent
// ends up with ≈ 0.9e9 and the child ≈ 1e8 (ε = 10_000).
func TestDistributeChildkeyParentkey(t *testing.T) {
	parent, child, coldkey := hk(1), hk(2), hk(3)
	in := DistributionInput{
		PendingServer:    500_000_000,
		PendingValidator: 500_000_000,
		Emissions:        []HotkeyEmission{{Hotkey: child, Dividend: 1_000_000_000}},
		Hotkeys: map[units.AccountID]HotkeyState{
			// The parent was staked to without an Owner entry: its owner is
			// the default account, not the child's coldkey.
			parent: {AlphaStake: 1_000_000_000, DelegateTake: TakeOf(DefaultDelegateTake)},
			child:  {Owner: coldkey, ChildkeyTake: 65_535 / 10, DelegateTake: TakeOf(DefaultDelegateTake), Parents: []ParentLink{{Hotkey: parent, Proportion: ^uint64(0)}}},
		},
	}
	d := runDistribute(t, &in)
	require.Equal(t, units.Alpha(1_000_000_000), d.ValidatorPool)
	got := map[units.AccountID]units.Alpha{}
	for _, p := range d.AlphaDividends {
		got[p.Hotkey] += p.Take + p.Rest
	}
	require.InDelta(t, 900_000_000, float64(got[parent]), 10_000)
	require.InDelta(t, 100_000_000, float64(got[child]), 10_000)
	require.Empty(t, d.Incentives)
}

func TestDistributeWithholdsOwnerIncentive(t *testing.T) {
	owner, miner, validator := hk(9), hk(5), hk(7)
	in := DistributionInput{
		PendingServer: 600, PendingValidator: 400, PendingOwnerCut: 50,
		Emissions: []HotkeyEmission{
			{Hotkey: miner, Incentive: 300},
			{Hotkey: owner, Incentive: 100},
			{Hotkey: validator, Dividend: 400},
		},
		Hotkeys: map[units.AccountID]HotkeyState{
			validator: {Owner: hk(8), AlphaStake: 1_000, DelegateTake: TakeOf(0)},
		},
		OwnerHotkeys: []units.AccountID{owner},
	}
	d := runDistribute(t, &in)
	require.Equal(t, units.Alpha(50), d.OwnerCut)
	require.Equal(t, units.Alpha(400), d.ValidatorPool, "incentive was earned")
	require.Equal(t, []Payout{{Hotkey: miner, Amount: 300}}, d.Incentives)
	require.Equal(t, units.Alpha(100), d.Withheld)
	require.Equal(t, fixed.U96F32FromFloat64(0.25), d.MinerBurned)
	require.Equal(t, []DividendPayout{{Hotkey: validator, Take: 0, Rest: 400}}, d.AlphaDividends)
}

func TestRootClaimableIncrement(t *testing.T) {
	rate, ok := RootClaimableIncrement(820_000, 2_000_000)
	require.True(t, ok)
	require.Equal(t, fixed.I96F32FromUint64(820_000).Div(fixed.I96F32FromUint64(2_000_000)), rate)
	_, ok = RootClaimableIncrement(3, 2)
	require.False(t, ok, "more than the root stake is staked to the owner instead")
	rate, ok = RootClaimableIncrement(0, 0)
	require.True(t, ok)
	require.True(t, rate.IsZero())
}

// A hotkey's dividend goes to itself and its parents, never more than the
// dividend, and short of it by at most one floor per recipient and per burn
// — as long as CK burn plus childkey take is at most 1 (see
// TestSplitToParentsOverTake for the chain's behaviour past that).
func TestSplitToParentsConserves(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 5).Draw(t, "parents")
		take := rapid.Uint16().Draw(t, "take")
		// CKBurn ≤ 1 − take/65535, in parts of u64::MAX.
		maxBurn := (^uint64(0) / 65_535) * uint64(65_535-take)
		s := ChildSplit{
			Dividend:     units.Alpha(rapid.Uint64Range(0, 1<<50).Draw(t, "dividend")),
			TaoWeight:    fixed.U96F32FromU64Proportion(rapid.Uint64().Draw(t, "tw")),
			CKBurn:       fixed.U96F32FromU64Proportion(rapid.Uint64Range(0, maxBurn).Draw(t, "ck_burn")),
			ChildkeyTake: take,
			AlphaStake:   units.Alpha(rapid.Uint64Range(0, 1<<50).Draw(t, "alpha")),
			RootStake:    units.Alpha(rapid.Uint64Range(0, 1<<50).Draw(t, "root")),
		}
		for i := range n {
			s.Parents = append(s.Parents, Parent{
				Hotkey:     hk(byte(i + 1)),
				Proportion: rapid.Uint64().Draw(t, "proportion"),
				AlphaStake: units.Alpha(rapid.Uint64Range(0, 1<<50).Draw(t, "parent_alpha")),
				RootStake:  units.Alpha(rapid.Uint64Range(0, 1<<50).Draw(t, "parent_root")),
				SameOwner:  rapid.Bool().Draw(t, "same_owner"),
			})
		}
		out, burned, err := SplitToParents(&s, hk(0), nil)
		require.NoError(t, err)
		if len(out) != n+1 || out[n].Hotkey != hk(0) {
			t.Fatalf("payouts %v: want %d parents then self", out, n)
		}
		total := burned
		for _, p := range out {
			total += p.Amount
		}
		if total > s.Dividend || s.Dividend-total > units.Alpha(2*n+2) {
			t.Fatalf("dividend %d paid out as %d (burned %d): %v", s.Dividend, total, burned, out)
		}
	})
}

// Payouts at an epoch never exceed what was pending.
func TestDistributeNeverExceedsPending(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := DistributionInput{
			PendingServer:    units.Alpha(rapid.Uint64Range(0, 1<<45).Draw(t, "server")),
			PendingValidator: units.Alpha(rapid.Uint64Range(0, 1<<45).Draw(t, "validator")),
			PendingRoot:      units.Alpha(rapid.Uint64Range(0, 1<<45).Draw(t, "root")),
			TaoWeight:        rapid.Uint64().Draw(t, "tw"),
			Hotkeys:          map[units.AccountID]HotkeyState{},
		}
		n := rapid.IntRange(1, 6).Draw(t, "n")
		var incentive units.Alpha
		for i := range n {
			e := HotkeyEmission{
				Hotkey:    hk(byte(rapid.IntRange(0, 7).Draw(t, "hotkey"))),
				Incentive: units.Alpha(rapid.Uint64Range(0, 1<<40).Draw(t, "incentive")),
				Dividend:  units.Alpha(rapid.Uint64Range(0, 1<<40).Draw(t, "dividend")),
			}
			incentive += e.Incentive
			in.Emissions = append(in.Emissions, e)
			in.Hotkeys[hk(byte(i))] = HotkeyState{
				Owner:        hk(byte(100 + rapid.IntRange(0, 2).Draw(t, "owner"))),
				AlphaStake:   units.Alpha(rapid.Uint64Range(0, 1<<45).Draw(t, "alpha")),
				RootStake:    units.Alpha(rapid.Uint64Range(0, 1<<45).Draw(t, "root_stake")),
				DelegateTake: TakeOf(rapid.Uint16().Draw(t, "take")),
			}
		}
		d := runDistribute(t, &in)
		var paid units.Alpha
		for _, p := range d.Incentives {
			paid += p.Amount
		}
		if paid+d.Withheld != incentive {
			t.Fatalf("incentives %d + withheld %d != earned %d", paid, d.Withheld, incentive)
		}
		var alpha, root units.Alpha
		for _, p := range d.AlphaDividends {
			alpha += p.Take + p.Rest
		}
		for _, p := range d.RootDividends {
			root += p.Take + p.Rest
		}
		if alpha > d.ValidatorPool || root > in.PendingRoot {
			t.Fatalf("paid alpha %d of %d, root %d of %d", alpha, d.ValidatorPool, root, in.PendingRoot)
		}
	})
}

// claim_root.rs::test_claim_root_with_drain_emissions @14bc6f9f: TAO weight
// 1, a hotkey with root stake 2e6 (of one coldkey) and 1e7 alpha (of the
// owner), 1e6 pending root alpha. The owner's stake grows by the 18% take
// (ε = 100), the claimable rate is 1e6·0.82/2e6 (ε = 0.001), a Keep claim
// stakes rate·root stake (ε = 10) and records exactly that as claimed; a
// second identical drain doubles the rate.
func TestRootClaimWithDrainEmissions(t *testing.T) {
	hotkey, owner := hk(2), hk(1)
	const rootStake, alpha, pendingRoot = 2_000_000, 10_000_000, 1_000_000
	in := DistributionInput{
		PendingRoot: pendingRoot,
		TaoWeight:   ^uint64(0),
		// The only validator: the epoch's fallback pays it the whole emission.
		Emissions: []HotkeyEmission{{Hotkey: hotkey, Dividend: pendingRoot}},
		Hotkeys: map[units.AccountID]HotkeyState{
			hotkey: {Owner: owner, AlphaStake: alpha, RootStake: rootStake, DelegateTake: TakeOf(DefaultDelegateTake)},
		},
	}
	var rate fixed.I96F32
	drain := func() {
		d := runDistribute(t, &in)
		require.Len(t, d.RootDividends, 1)
		require.InDelta(t, alpha+0.18*pendingRoot, float64(alpha+d.RootDividends[0].Take), 100)
		inc, ok := RootClaimableIncrement(d.RootDividends[0].Rest, rootStake)
		require.True(t, ok)
		rate = rate.SaturatingAdd(inc)
	}
	drain()
	require.InDelta(t, pendingRoot*0.82/rootStake, rate.Float64(), 0.001)
	threshold, err := RootClaimThreshold(DefaultRootClaimThreshold)
	require.NoError(t, err)
	// A Keep claim stakes the owed alpha on the subnet and adds it to
	// RootClaimed (root_claim_on_subnet).
	var claimed fixed.U128
	var stake units.Alpha
	claim := func() {
		a := RootClaimAmount(RootOwedFloat(rate, rootStake, claimed), threshold, false)
		require.NotZero(t, a, "owed is above the default threshold")
		stake += a
		claimed = claimed.SaturatingAdd(fixed.U128FromUint64(uint64(a)))
	}
	claim()
	require.InDelta(t, float64(rate.SaturatingMul(fixed.I96F32FromUint64(rootStake)).SaturatingToUint64()), float64(stake), 10)
	require.Equal(t, fixed.U128FromUint64(uint64(stake)), claimed, "assert_eq!(u128::from(new_stake), claimed)")
	require.Zero(t, RootOwed(rate, rootStake, claimed), "nothing more is owed after a claim")

	drain()
	require.InDelta(t, 2*pendingRoot*0.82/rootStake, rate.Float64(), 0.001)
	require.InDelta(t, 820_000, float64(RootOwed(rate, rootStake, claimed)), 10)
	claim()
	require.InDelta(t, float64(rate.SaturatingMul(fixed.I96F32FromUint64(rootStake)).SaturatingToUint64()), float64(stake), 10)
	require.Equal(t, fixed.U128FromUint64(uint64(stake)), claimed)
}

// When CK burn and childkey take add up past 1 the chain burns the whole
// share and still credits the take: a parent's share can pay out more than
// it was (found by TestSplitToParentsConserves; reproduced, not corrected).
func TestSplitToParentsOverTake(t *testing.T) {
	s := ChildSplit{
		Dividend:     347,
		CKBurn:       fixed.U96F32FromU64Proportion(^uint64(0)),
		ChildkeyTake: 189,
		Parents:      []Parent{{Hotkey: hk(1), Proportion: 1 << 32, AlphaStake: 1}},
	}
	out, burned, err := SplitToParents(&s, hk(0), nil)
	require.NoError(t, err)
	require.Equal(t, units.Alpha(347), burned)
	require.Equal(t, []Payout{{Hotkey: hk(1), Amount: 0}, {Hotkey: hk(0), Amount: 1}}, out)
}

// runDistribute runs Distribute on a valid input.
func runDistribute(t require.TestingT, in *DistributionInput) Distribution {
	d, err := Distribute(in)
	require.NoError(t, err)
	return d
}

// TestCheckHotkeysDoesNotAllocate: the check of every hotkey's child
// proportions, run at each distribution, allocates nothing (it once took
// the loop variable's address, one allocation per hotkey).
func TestCheckHotkeysDoesNotAllocate(t *testing.T) {
	hs := make(map[units.AccountID]HotkeyState)
	for i := range 200 {
		hs[units.AccountID{byte(i), byte(i >> 8)}] = HotkeyState{ChildProportions: []uint64{1 << 62}}
	}
	lines := make([]HotkeyEmission, 200)
	states := make([]HotkeyState, 200)
	for i := range lines {
		lines[i].Hotkey = units.AccountID{1, byte(i)}
		states[i].ChildProportions = []uint64{1 << 62, 1 << 62}
	}
	if n := testing.AllocsPerRun(50, func() {
		if err := checkHotkeys(hs, lines, states); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
