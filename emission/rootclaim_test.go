package emission

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/sha3"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// rootRest runs the chain tests' distribute_emission(netuid, 0, 0,
// pendingRoot, 0) for one hotkey with TAO weight 1, 1e7 alpha and
// rootStake on root, the only validator, and returns the root dividend
// left after the 18% delegate take: what increase_root_claimable receives.
func rootRest(t *testing.T, pendingRoot, rootStake units.Alpha) units.Alpha {
	t.Helper()
	hotkey := hk(2)
	in := DistributionInput{
		PendingRoot: pendingRoot,
		TaoWeight:   ^uint64(0),
		Emissions:   []HotkeyEmission{{Hotkey: hotkey, Dividend: pendingRoot}},
		Hotkeys: map[units.AccountID]HotkeyState{
			hotkey: {Owner: hk(1), AlphaStake: 10_000_000, RootStake: rootStake, DelegateTake: TakeOf(DefaultDelegateTake)},
		},
	}
	d := runDistribute(t, &in)
	require.Len(t, d.RootDividends, 1)
	return d.RootDividends[0].Rest
}

// rootStaker is one coldkey's root position on the chain tests' hotkey:
// its root stake, its RootClaimed watermark on the subnet and the alpha it
// has claimed with Keep (its stake on the subnet).
type rootStaker struct {
	root    units.Alpha
	claimed fixed.U128
	kept    units.Alpha
}

// rootHotkey is the hotkey side: its claimable rate on the subnet.
type rootHotkey struct {
	rate      fixed.I96F32
	threshold fixed.I96F32
}

func newRootHotkey(t *testing.T) *rootHotkey {
	th, err := RootClaimThreshold(DefaultRootClaimThreshold)
	require.NoError(t, err)
	return &rootHotkey{threshold: th}
}

// drain distributes pendingRoot and raises the rate, as
// increase_root_claimable_for_hotkey_and_subnet does.
func (h *rootHotkey) drain(t *testing.T, pendingRoot units.Alpha, stakers ...*rootStaker) {
	t.Helper()
	var total units.Alpha
	for _, s := range stakers {
		total += s.root
	}
	inc, ok := RootClaimableIncrement(rootRest(t, pendingRoot, total), total)
	require.True(t, ok)
	h.rate = h.rate.SaturatingAdd(inc)
}

// claim is root_claim_on_subnet with Keep; it returns the alpha kept.
func (h *rootHotkey) claim(s *rootStaker) units.Alpha {
	a := RootClaimAmount(RootOwedFloat(h.rate, s.root, s.claimed), h.threshold, false)
	s.kept += a
	s.claimed = s.claimed.SaturatingAdd(fixed.U128FromUint64(uint64(a)))
	return a
}

// removeRoot and addRoot move root stake with the claimed adjustments of
// unstake_from_subnet and stake_into_subnet on root.
func (h *rootHotkey) removeRoot(s *rootStaker, amount units.Alpha) {
	s.root -= amount
	s.claimed = RootClaimedAfterRemoveStake(s.claimed, h.rate, amount)
}

func (h *rootHotkey) addRoot(s *rootStaker, amount units.Alpha) {
	s.root += amount
	s.claimed = RootClaimedAfterAddStake(s.claimed, h.rate, amount)
}

// claim_root.rs::test_claim_root_adding_stake_proportionally_for_two_stakers
// @14bc6f9f: alice and bob hold 10% of the hotkey's root stake each; after
// 1e7 pending root alpha both claim exactly the same, 1e7·0.82·0.1 (ε =
// 100).
func TestRootClaimProportionalTwoStakers(t *testing.T) {
	h := newRootHotkey(t)
	alice, bob, other := &rootStaker{root: 1_000_000}, &rootStaker{root: 1_000_000}, &rootStaker{root: 8_000_000}
	h.drain(t, 10_000_000, alice, bob, other)
	h.claim(alice)
	h.claim(bob)
	require.Equal(t, alice.kept, bob.kept)
	require.InDelta(t, 10_000_000*0.82*0.1, float64(alice.kept), 100)
}

// claim_root.rs::test_claim_root_adding_stake_disproportionally_for_two_stakers
// @14bc6f9f: bob holds twice alice's root stake and claims exactly twice
// her alpha; alice's is 1e7·0.82·0.1 (ε = 100).
func TestRootClaimDisproportionalTwoStakers(t *testing.T) {
	h := newRootHotkey(t)
	alice, bob, other := &rootStaker{root: 1_000_000}, &rootStaker{root: 2_000_000}, &rootStaker{root: 7_000_000}
	h.drain(t, 10_000_000, alice, bob, other)
	h.claim(alice)
	h.claim(bob)
	require.Equal(t, 2*alice.kept, bob.kept)
	require.InDelta(t, 10_000_000*0.82*0.1, float64(alice.kept), 100)
}

// claim_root.rs::test_claim_root_with_changed_stake @14bc6f9f: alice and
// bob hold 8e6 root each and claim the same; bob unstakes half (the
// RootClaimed adjustment of remove_stake) and then gets half of alice's
// next claim, 8.2e6/3; he stakes it back (add_stake's adjustment) and
// they claim alike again, 8.2e6/2 (ε = 100 throughout).
func TestRootClaimWithChangedStake(t *testing.T) {
	h := newRootHotkey(t)
	alice, bob := &rootStaker{root: 8_000_000}, &rootStaker{root: 8_000_000}
	h.drain(t, 10_000_000, alice, bob)
	h.claim(alice)
	h.claim(bob)
	require.Equal(t, alice.kept, bob.kept)
	require.InDelta(t, 10_000_000*0.82/2, float64(alice.kept), 100)

	h.removeRoot(bob, 4_000_000)
	h.drain(t, 10_000_000, alice, bob)
	da, db := h.claim(alice), h.claim(bob)
	require.InDelta(t, float64(2*db), float64(da), 100)
	require.InDelta(t, 10_000_000*0.82/3, float64(db), 100)

	h.addRoot(bob, 4_000_000)
	h.drain(t, 10_000_000, alice, bob)
	da, db = h.claim(alice), h.claim(bob)
	require.InDelta(t, float64(db), float64(da), 100)
	require.InDelta(t, 10_000_000*0.82/2, float64(db), 100)
}

// claim_root.rs::test_claim_root_with_moved_stake @14bc6f9f: bob transfers
// half his root stake to eve between a drain and the claims
// (transfer_stake_within_subnet's remove and add adjustments): eve gets
// nothing of the dividends earned before (ε = 100), bob still his full
// share; after the stake is moved back, alice and bob claim alike.
func TestRootClaimWithMovedStake(t *testing.T) {
	h := newRootHotkey(t)
	alice, bob, eve := &rootStaker{root: 8_000_000}, &rootStaker{root: 8_000_000}, &rootStaker{}
	h.drain(t, 10_000_000, alice, bob, eve)
	h.claim(alice)
	h.claim(bob)
	require.Equal(t, alice.kept, bob.kept)
	require.InDelta(t, 10_000_000*0.82/2, float64(alice.kept), 100)

	h.drain(t, 10_000_000, alice, bob, eve)
	h.removeRoot(bob, 4_000_000)
	h.addRoot(eve, 4_000_000)
	da, db, de := h.claim(alice), h.claim(bob), h.claim(eve)
	require.InDelta(t, 0, float64(de), 100)
	require.InDelta(t, float64(db), float64(da), 100)
	require.InDelta(t, 10_000_000*0.82/2, float64(db), 100)

	h.removeRoot(eve, 4_000_000)
	h.addRoot(bob, 4_000_000)
	h.drain(t, 10_000_000, alice, bob, eve)
	da, db = h.claim(alice), h.claim(bob)
	require.InDelta(t, float64(db), float64(da), 100)
	require.InDelta(t, 10_000_000*0.82/2, float64(db), 100)
}

// claim_root.rs::test_claim_root_with_unrelated_subnets @14bc6f9f: a claim
// on a subnet without a claimable rate pays nothing; on the subnet with
// one it pays, and RootClaimed equals the stake claimed.
func TestRootClaimWithUnrelatedSubnets(t *testing.T) {
	h := newRootHotkey(t)
	s := &rootStaker{root: 2_000_000}
	require.Zero(t, RootClaimAmount(RootOwedFloat(fixed.I96F32{}, s.root, s.claimed), h.threshold, false))
	h.drain(t, 1_000_000, s)
	require.Positive(t, h.claim(s))
	require.Equal(t, fixed.U128FromUint64(uint64(s.kept)), s.claimed)
}

// claim_root.rs::test_claim_root_with_keep_subnets @14bc6f9f: an empty
// KeepSubnets is refused; KeepSubnets{netuid} keeps netuid's alpha, which
// is rate·root stake (ε = 10).
func TestRootClaimWithKeepSubnets(t *testing.T) {
	const netuid units.NetUID = 1
	err := RootClaimType{Kind: RootClaimKeepSubnets}.Validate()
	require.ErrorIs(t, err, ErrInvalidSubnetNumber)
	var ce *units.ChainError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "InvalidSubnetNumber", ce.ChainName())

	keep := RootClaimType{Kind: RootClaimKeepSubnets, Subnets: []units.NetUID{netuid}}
	require.NoError(t, keep.Validate())
	require.False(t, keep.Swaps(netuid))

	h := newRootHotkey(t)
	s := &rootStaker{root: 2_000_000}
	h.drain(t, 1_000_000, s)
	h.claim(s)
	require.InDelta(t, float64(h.rate.SaturatingMul(fixed.I96F32FromUint64(2_000_000)).SaturatingToUint64()), float64(s.kept), 10)
}

// claim_root.rs::test_claim_root_keep_subnets_swap_claim_type,
// test_claim_root_default_mode_keep, test_claim_root_set_claim_type and
// test_claim_root_with_drain_emissions_and_swap_claim_type @14bc6f9f (the
// choice only; the swap is the ledger's): KeepSubnets of another subnet
// swaps, the default (zero) type is Swap, Keep keeps.
func TestRootClaimTypeSwaps(t *testing.T) {
	const netuid units.NetUID = 1
	other := RootClaimType{Kind: RootClaimKeepSubnets, Subnets: []units.NetUID{100}}
	require.NoError(t, other.Validate())
	require.True(t, other.Swaps(netuid))
	require.False(t, other.Swaps(100))

	var def RootClaimType
	require.Equal(t, RootClaimSwap, def.Kind)
	require.NoError(t, def.Validate())
	require.True(t, def.Swaps(netuid))
	require.True(t, def.Swaps(0))

	keep := RootClaimType{Kind: RootClaimKeep, Subnets: []units.NetUID{netuid}}
	require.NoError(t, keep.Validate())
	require.False(t, keep.Swaps(netuid), "Keep ignores Subnets")
	require.False(t, keep.Swaps(7))

	bad := RootClaimType{Kind: RootClaimKeepSubnets + 1}
	require.ErrorIs(t, bad.Validate(), ErrUnknownRootClaimKind)
	require.False(t, bad.Swaps(netuid))
}

// claim_root.rs::test_claim_root_threshold @14bc6f9f: the default
// threshold is DefaultMinRootClaimAmount (500_000 as I96F32); a set value
// is stored as I96F32::from(value); MAX_ROOT_CLAIM_THRESHOLD + 1 is
// InvalidRootClaimThreshold.
func TestRootClaimThreshold(t *testing.T) {
	th, err := RootClaimThreshold(DefaultRootClaimThreshold)
	require.NoError(t, err)
	require.Equal(t, fixed.I96F32FromUint64(500_000), th)
	for _, v := range []units.Alpha{0, 1000, 2000, MaxRootClaimThreshold} {
		th, err := RootClaimThreshold(v)
		require.NoError(t, err)
		require.Equal(t, fixed.I96F32FromUint64(uint64(v)), th)
	}
	require.Equal(t, units.Alpha(10_000_000), MaxRootClaimThreshold)
	th, err = RootClaimThreshold(MaxRootClaimThreshold + 1)
	require.ErrorIs(t, err, ErrInvalidRootClaimThreshold)
	require.True(t, th.IsZero())
}

// claim_root.rs::test_claim_root_subnet_limits @14bc6f9f: claim_root with
// no subnet or with 11 is InvalidSubnetNumber; up to MAX_SUBNET_CLAIMS
// (5) distinct subnets pass, repeats counting once.
func TestCheckClaimRootSubnets(t *testing.T) {
	require.ErrorIs(t, CheckClaimRootSubnets(nil), ErrInvalidSubnetNumber)
	var eleven []units.NetUID
	for u := range units.NetUID(11) {
		eleven = append(eleven, u)
	}
	require.ErrorIs(t, CheckClaimRootSubnets(eleven), ErrInvalidSubnetNumber)
	require.ErrorIs(t, CheckClaimRootSubnets(eleven[:6]), ErrInvalidSubnetNumber)
	require.NoError(t, CheckClaimRootSubnets(eleven[:5]))
	require.NoError(t, CheckClaimRootSubnets(eleven[:1]))
	require.NoError(t, CheckClaimRootSubnets([]units.NetUID{3, 3, 4, 4, 5, 6, 7, 3}), "5 distinct")
}

// claim_root.rs::test_sudo_set_num_root_claims @14bc6f9f:
// MAX_NUM_ROOT_CLAIMS + 1 is InvalidNumRootClaim; 27 is accepted.
func TestCheckNumRootClaim(t *testing.T) {
	require.ErrorIs(t, CheckNumRootClaim(MaxNumRootClaims+1), ErrInvalidNumRootClaim)
	require.NoError(t, CheckNumRootClaim(27))
	require.NoError(t, CheckNumRootClaim(0))
	require.NoError(t, CheckNumRootClaim(MaxNumRootClaims))
	require.Equal(t, uint64(50), MaxNumRootClaims)
	require.NoError(t, CheckNumRootClaim(DefaultNumRootClaim))
}

func keccak(s string) [32]byte {
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(s))
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// claim_root.rs::test_claim_root_block_hash_indices @14bc6f9f: no index
// for k = 0, and the chain's precomputed indices for keccak_256("some")
// and keccak_256("some2") with k = 15, n = 15000.
func TestBlockHashToIndices(t *testing.T) {
	require.Empty(t, BlockHashToIndices(keccak("zero"), 0, 15000, nil))
	require.Equal(t, []uint64{
		265, 630, 1286, 1558, 4496, 4861, 5517, 5789, 6803, 8096, 9092, 11034, 11399, 12055, 12327,
	}, BlockHashToIndices(keccak("some"), 15, 15000, nil))
	require.Equal(t, []uint64{
		61, 246, 1440, 2855, 3521, 5236, 6130, 6615, 8511, 9405, 9890, 11786, 11971, 13165, 14580,
	}, BlockHashToIndices(keccak("some2"), 15, 15000, nil))

	// n == 0: checked_rem fails, every index is 0.
	require.Equal(t, []uint64{0}, BlockHashToIndices(keccak("some"), 5, 0, nil))
	// Repeated positions are kept once: with n = 1 every position is 0.
	require.Equal(t, []uint64{0}, BlockHashToIndices(keccak("some"), 15, 1, nil))
	// The positions are appended after dst's contents, sorted among
	// themselves.
	got := BlockHashToIndices(keccak("some"), 15, 15000, []uint64{99999, 1})
	require.Equal(t, []uint64{99999, 1, 265, 630}, got[:4])
	require.Len(t, got, 17)

	// Saturating addition: an all-0xff hash steps by u64::MAX from
	// u64::MAX, which saturates, so each index is u64::MAX mod n.
	var ff [32]byte
	for i := range ff {
		ff[i] = 0xff
	}
	require.Equal(t, []uint64{^uint64(0) % 1000}, BlockHashToIndices(ff, 3, 1000, nil))
}

// RootOwed over u64::MAX: the watermark is a u128 and the I96F32
// arithmetic saturates at each step as get_root_owed_for_hotkey_coldkey's
// does.
func TestRootOwedWide(t *testing.T) {
	rate := fixed.I96F32FromUint64(1 << 40)
	stake := units.Alpha(1 << 40) // claimable 2^80
	require.Equal(t, units.Alpha(^uint64(0)), RootOwed(rate, stake, fixed.U128{}), "saturates to u64::MAX")
	claimed := fixed.U128FromBits(1<<16, 5) // 2^80 + 5
	require.True(t, RootOwedFloat(rate, stake, claimed).IsNegative())
	require.Zero(t, RootOwed(rate, stake, claimed))
	claimed = fixed.U128FromBits(1<<16-1, 7) // 2^80 - 2^64 + 7
	require.Equal(t, units.Alpha(^uint64(0)-6), RootOwed(rate, stake, claimed))
	require.Equal(t, fixed.I96F32FromUint64(^uint64(0)-6), RootOwedFloat(rate, stake, claimed))

	// A watermark past 2^95 converts to I96F32::MAX: owed is claimable − MAX.
	huge := fixed.U128Max()
	require.Equal(t, fixed.I96F32FromUint64(1<<40).SaturatingMul(fixed.I96F32FromUint64(1<<40)).SaturatingSub(fixed.I96F32Max()), RootOwedFloat(rate, stake, huge))
	require.Zero(t, RootOwed(rate, stake, huge))

	// The claimable product saturates at I96F32::MAX.
	require.Equal(t, fixed.I96F32Max(), RootOwedFloat(fixed.I96F32Max(), 2, fixed.U128{}))
	// A fractional owed is floored.
	require.Equal(t, units.Alpha(2), RootOwed(fixed.I96F32FromFloat64(0.75), 3, fixed.U128{}))
	require.Equal(t, units.Alpha(1), RootOwed(fixed.I96F32FromFloat64(0.75), 3, fixed.U128FromUint64(1)))
}

// root_claim_on_subnet's threshold: owed below it is skipped, equal passes;
// ignoring it still skips a negative or sub-rao owed.
func TestRootClaimAmount(t *testing.T) {
	th := fixed.I96F32FromUint64(500_000)
	require.Equal(t, units.Alpha(500_000), RootClaimAmount(th, th, false))
	below := th.Sub(fixed.I96F32Delta())
	require.Zero(t, RootClaimAmount(below, th, false))
	require.Equal(t, units.Alpha(499_999), RootClaimAmount(below, th, true))
	require.Zero(t, RootClaimAmount(fixed.I96F32FromFloat64(-3), fixed.I96F32{}, false), "negative is below a zero threshold")
	require.Zero(t, RootClaimAmount(fixed.I96F32FromFloat64(-3), th, true))
	require.Zero(t, RootClaimAmount(fixed.I96F32FromFloat64(0.5), fixed.I96F32{}, false), "floors to 0")
	require.Equal(t, units.Alpha(^uint64(0)), RootClaimAmount(fixed.I96F32Max(), th, false))
}

// The stake adjustments: rate·amount in I96F32 (saturating), floored to
// u128 (negative to 0), added or subtracted with u128 saturation.
func TestRootClaimedAdjustments(t *testing.T) {
	rate := fixed.I96F32FromFloat64(0.41)
	prod := rate.SaturatingMul(fixed.I96F32FromUint64(4_000_000)).SaturatingToU128()
	require.Equal(t, fixed.U128FromUint64(1_639_999), prod, "0.41 in I96F32 is just below 0.41")
	base := fixed.U128FromUint64(^uint64(0))
	require.Equal(t, base.Add(prod), RootClaimedAfterAddStake(base, rate, 4_000_000), "carries past u64::MAX")
	require.Equal(t, base.SaturatingSub(prod), RootClaimedAfterRemoveStake(base, rate, 4_000_000))
	require.True(t, RootClaimedAfterRemoveStake(fixed.U128FromUint64(5), rate, 4_000_000).IsZero())
	require.Equal(t, fixed.U128Max(), RootClaimedAfterAddStake(fixed.U128Max(), rate, 1))
	// I96F32 saturation of the product: at most 2^95 − 1 is added.
	got := RootClaimedAfterAddStake(fixed.U128{}, fixed.I96F32Max(), 2)
	require.Equal(t, fixed.U128FromBits(1<<31-1, ^uint64(0)), got)
	// A negative rate (no chain path makes one) adjusts by 0.
	neg := fixed.I96F32FromInt64(-1)
	require.Equal(t, base, RootClaimedAfterAddStake(base, neg, 7))
	require.Equal(t, base, RootClaimedAfterRemoveStake(base, neg, 7))
}

var (
	sinkAlpha   units.Alpha
	sinkU128    fixed.U128
	sinkIndices []uint64
	sinkErr     error
)

func TestRootClaimNoAllocs(t *testing.T) {
	rate := fixed.I96F32FromFloat64(0.41)
	th := fixed.I96F32FromUint64(500_000)
	claimed := fixed.U128FromBits(1, 3)
	keep := RootClaimType{Kind: RootClaimKeepSubnets, Subnets: []units.NetUID{1, 2}}
	hash := keccak("some")
	buf := make([]uint64, 0, 16)
	subnets := []units.NetUID{1, 2, 3}
	n := testing.AllocsPerRun(100, func() {
		sinkAlpha = RootOwed(rate, 2_000_000, claimed) + RootClaimAmount(RootOwedFloat(rate, 2_000_000, claimed), th, false)
		sinkU128 = RootClaimedAfterRemoveStake(RootClaimedAfterAddStake(claimed, rate, 4_000_000), rate, 1)
		r, _ := RootClaimableIncrement(820_000, 2_000_000)
		sinkAlpha += RootOwed(r, 1, fixed.U128{})
		if keep.Swaps(3) {
			sinkAlpha++
		}
		sinkIndices = BlockHashToIndices(hash, 15, 15000, buf[:0])
		sinkErr = CheckClaimRootSubnets(subnets)
	})
	require.Zero(t, n)
	require.NoError(t, sinkErr)
	require.True(t, errors.Is(CheckNumRootClaim(51), ErrInvalidNumRootClaim))
}
