package dtao

import (
	"errors"
	"math/big"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Keys of the claim_root.rs ports: U256::from(1001), ... of the chain's
// tests, here distinct test accounts.
var (
	cOwner = acctN(91) // owner_coldkey (1001)
	cOther = acctN(92) // other_coldkey (10010)
	hClaim = acctN(93) // hotkey (1002), the subnet's owner hotkey
	cAlice = acctN(94) // alice_coldkey / coldkey (1003)
	cBob   = acctN(95) // bob_coldkey (1004)
	netC   = units.NetUID(1)
)

type rootStakeOf struct {
	coldkey units.AccountID
	stake   units.Alpha
}

// claimPortLedger is the setup of the claim_root.rs tests:
// add_dynamic_network(hotkey, owner_coldkey) with the given pool,
// set_tao_weight(u64::MAX), mock_increase_stake of the root stakes on the
// hotkey and of 10_000_000 alpha of the owner on the subnet. Each coldkey
// holds 1 TAO.
func claimPortLedger(t *testing.T, pool amm.Pool, stakes ...rootStakeOf) *Ledger {
	t.Helper()
	b := NewBuilder().Root(1_000_000_000_000).
		SubnetWith(GenesisSubnet{NetUID: netC, Owner: cOwner, OwnerHotkey: hClaim, Pool: pool}).
		Stake(hClaim, cOwner, netC, 10_000_000)
	for _, s := range stakes {
		b.Stake(hClaim, s.coldkey, RootNetUID, s.stake)
	}
	for _, c := range []units.AccountID{cOwner, cOther, cAlice, cBob} {
		b.Account(c, 1_000_000_000)
	}
	l, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	p := l.Params()
	p.TaoWeight = ^uint64(0)
	if err := l.SetParams(p); err != nil {
		t.Fatal(err)
	}
	return l
}

// rootDividend is what the chain tests' distribute_emission(netuid, 0, 0,
// pending, 0) leaves for the root stakers of the subnet's only validator:
// the pending root alpha less the validator's delegate take
// (emission.ApplyTake at the default take).
func rootDividend(pending units.Alpha) units.Alpha {
	return emission.ApplyTake(fixed.U96F32FromUint64(uint64(pending)), emission.DefaultDelegateTake).Rest
}

// accrueRoot is increase_root_claimable_for_hotkey_and_subnet for an
// amount the coinbase already minted into SubnetAlphaOut: the rate rises
// and the alpha is reserved for claims (RootClaimableAlpha).
func accrueRoot(t *testing.T, l *Ledger, hotkey units.AccountID, netuid units.NetUID, amount units.Alpha) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	inc, ok := emission.RootClaimableIncrement(amount, l.hotkeyAlpha(hotkey, RootNetUID))
	if !ok {
		t.Fatalf("dividend %d above the root stake", amount)
	}
	st := l.subnets[netuid]
	st.Pool.AlphaOut += amount
	st.RootClaimableAlpha += amount
	k := stakeKey{hotkey, netuid}
	r := l.claimableEntry(k)
	*r = r.SaturatingAdd(inc)
}

// owedExact is rate·stake floored, with rate = amount/total in I96F32
// (32 fractional bits, truncated), computed with math/big.
func owedExact(amounts []units.Alpha, totals []units.Alpha, stake units.Alpha) uint64 {
	rate := new(big.Int)
	for i, a := range amounts {
		r := new(big.Int).Lsh(big.NewInt(0).SetUint64(uint64(a)), 32)
		r.Quo(r, new(big.Int).SetUint64(uint64(totals[i])))
		rate.Add(rate, r)
	}
	rate.Mul(rate, new(big.Int).SetUint64(uint64(stake)))
	return rate.Rsh(rate, 32).Uint64()
}

func mustInvariants(t *testing.T, l *Ledger, what string) {
	t.Helper()
	if err := l.CheckInvariants(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func near(a, b, eps uint64) bool {
	if a > b {
		return a-b <= eps
	}
	return b-a <= eps
}

// Port of pallets/subtensor/src/tests/claim_root.rs test_claim_root_set_claim_type.
func TestClaimRootSetClaimType(t *testing.T) {
	l := claimPortLedger(t, amm.NewPool(1_000_000_000_000, 1_000_000_000_000))
	if got := l.RootClaimType(cAlice); got.Kind != emission.RootClaimSwap {
		t.Fatalf("default claim type %v, want Swap", got.Kind)
	}
	if err := l.SetRootClaimType(cAlice, emission.RootClaimType{Kind: emission.RootClaimKeep}); err != nil {
		t.Fatal(err)
	}
	if got := l.RootClaimType(cAlice); got.Kind != emission.RootClaimKeep {
		t.Fatalf("claim type %v, want Keep", got.Kind)
	}
	err := l.SetRootClaimType(cAlice, emission.RootClaimType{Kind: emission.RootClaimKeepSubnets})
	if !errors.Is(err, emission.ErrInvalidSubnetNumber) {
		t.Fatalf("KeepSubnets without subnets: %v", err)
	}
	if got := l.RootClaimType(cAlice); got.Kind != emission.RootClaimKeep {
		t.Fatalf("a refused call changed the claim type to %v", got.Kind)
	}
}

// Port of claim_root.rs test_claim_root_with_drain_emissions: two rounds
// of root dividends claimed as Keep; RootClaimed follows the stake. Exact.
func TestClaimRootWithDrainEmissions(t *testing.T) {
	const rootStake = 2_000_000
	l := claimPortLedger(t, amm.NewPool(1_000_000_000_000, 1_000_000_000_000), rootStakeOf{cAlice, rootStake})
	rest := rootDividend(1_000_000)
	accrueRoot(t, l, hClaim, netC, rest)
	mustInvariants(t, l, "accrue")
	if err := l.SetRootClaimType(cAlice, emission.RootClaimType{Kind: emission.RootClaimKeep}); err != nil {
		t.Fatal(err)
	}
	want1 := owedExact([]units.Alpha{rest}, []units.Alpha{rootStake}, rootStake)
	if got := l.RootOwed(hClaim, cAlice, netC); uint64(got) != want1 {
		t.Fatalf("owed %d, want %d", got, want1)
	}
	if err := l.ClaimRoot(cAlice, []units.NetUID{netC}); err != nil {
		t.Fatal(err)
	}
	mustInvariants(t, l, "claim 1")
	stake := l.Stake(hClaim, cAlice, netC)
	if uint64(stake) != want1 {
		t.Fatalf("stake %d, want %d", stake, want1)
	}
	if c := l.RootClaimed(hClaim, cAlice, netC); c != fixed.U128FromUint64(uint64(stake)) {
		t.Fatalf("root claimed %v, want %d", c, stake)
	}
	// Round 2.
	accrueRoot(t, l, hClaim, netC, rest)
	if err := l.ClaimRoot(cAlice, []units.NetUID{netC}); err != nil {
		t.Fatal(err)
	}
	mustInvariants(t, l, "claim 2")
	want2 := owedExact([]units.Alpha{rest, rest}, []units.Alpha{rootStake, rootStake}, rootStake)
	stake2 := l.Stake(hClaim, cAlice, netC)
	if uint64(stake2) != want2 {
		t.Fatalf("stake %d, want %d", stake2, want2)
	}
	if c := l.RootClaimed(hClaim, cAlice, netC); c != fixed.U128FromUint64(uint64(stake2)) {
		t.Fatalf("root claimed %v, want %d", c, stake2)
	}
	// The chain's estimate: 18% take off 1_000_000 per round, all to alice.
	if !near(uint64(stake2), 2*820_000, 100) {
		t.Fatalf("stake %d far from the chain's estimate", stake2)
	}
}

// Ports of claim_root.rs test_claim_root_adding_stake_proportionally_for_two_stakers
// and test_claim_root_adding_stake_disproportionally_for_two_stakers.
func TestClaimRootTwoStakers(t *testing.T) {
	for _, tc := range []struct {
		name       string
		alice, bob units.Alpha
		other      units.Alpha
	}{
		{"proportionally", 1_000_000, 1_000_000, 8_000_000},
		{"disproportionally", 1_000_000, 2_000_000, 7_000_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := claimPortLedger(t, amm.NewPool(1_000_000_000_000, 1_000_000_000_000),
				rootStakeOf{cAlice, tc.alice}, rootStakeOf{cBob, tc.bob}, rootStakeOf{cOther, tc.other})
			for _, c := range []units.AccountID{cAlice, cBob} {
				if err := l.SetRootClaimType(c, emission.RootClaimType{Kind: emission.RootClaimKeep}); err != nil {
					t.Fatal(err)
				}
			}
			rest := rootDividend(10_000_000)
			accrueRoot(t, l, hClaim, netC, rest)
			for _, c := range []units.AccountID{cAlice, cBob} {
				if err := l.ClaimRoot(c, []units.NetUID{netC}); err != nil {
					t.Fatal(err)
				}
				mustInvariants(t, l, "claim")
			}
			total := tc.alice + tc.bob + tc.other
			alice, bob := l.Stake(hClaim, cAlice, netC), l.Stake(hClaim, cBob, netC)
			if want := owedExact([]units.Alpha{rest}, []units.Alpha{total}, tc.alice); uint64(alice) != want {
				t.Fatalf("alice %d, want %d", alice, want)
			}
			if want := owedExact([]units.Alpha{rest}, []units.Alpha{total}, tc.bob); uint64(bob) != want {
				t.Fatalf("bob %d, want %d", bob, want)
			}
			// The chain's assertions.
			if tc.alice == tc.bob && alice != bob || tc.alice != tc.bob && 2*alice != bob {
				t.Fatalf("alice %d, bob %d", alice, bob)
			}
			if !near(uint64(alice), 820_000, 100) {
				t.Fatalf("alice %d far from the chain's estimate", alice)
			}
		})
	}
}

// Port of claim_root.rs test_claim_root_with_changed_stake: root stake
// removed and added between dividends moves RootClaimed so that each
// stake earns only the dividends paid while it was staked.
func TestClaimRootWithChangedStake(t *testing.T) {
	const rootStake = 8_000_000
	l := claimPortLedger(t, amm.NewPool(1_000_000_000_000, 1_000_000_000_000),
		rootStakeOf{cAlice, rootStake}, rootStakeOf{cBob, rootStake})
	for _, c := range []units.AccountID{cAlice, cBob} {
		if err := l.SetRootClaimType(c, emission.RootClaimType{Kind: emission.RootClaimKeep}); err != nil {
			t.Fatal(err)
		}
	}
	rest := rootDividend(10_000_000)
	claimBoth := func(what string) (units.Alpha, units.Alpha) {
		t.Helper()
		accrueRoot(t, l, hClaim, netC, rest)
		for _, c := range []units.AccountID{cAlice, cBob} {
			if err := l.ClaimRoot(c, []units.NetUID{netC}); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			mustInvariants(t, l, what)
		}
		return l.Stake(hClaim, cAlice, netC), l.Stake(hClaim, cBob, netC)
	}
	alice, bob := claimBoth("round 1")
	if alice != bob || !near(uint64(alice), 8_200_000/2, 100) {
		t.Fatalf("round 1: alice %d, bob %d", alice, bob)
	}
	if _, err := l.RemoveStake(cBob, hClaim, RootNetUID, rootStake/2); err != nil {
		t.Fatal(err)
	}
	mustInvariants(t, l, "remove_stake")
	// Bob's remaining stake is owed nothing of the past dividends.
	if owed := l.RootOwed(hClaim, cBob, netC); owed > 1 {
		t.Fatalf("owed %d after remove_stake", owed)
	}
	alice2, bob2 := claimBoth("round 2")
	da, db := uint64(alice2-alice), uint64(bob2-bob)
	if !near(da, 2*db, 100) || !near(db, 8_200_000/3, 100) {
		t.Fatalf("round 2: alice +%d, bob +%d", da, db)
	}
	if _, err := l.AddStake(cBob, hClaim, RootNetUID, rootStake/2); err != nil {
		t.Fatal(err)
	}
	mustInvariants(t, l, "add_stake")
	if owed := l.RootOwed(hClaim, cBob, netC); owed > 1 {
		t.Fatalf("owed %d after add_stake", owed)
	}
	alice3, bob3 := claimBoth("round 3")
	da, db = uint64(alice3-alice2), uint64(bob3-bob2)
	if !near(da, db, 100) || !near(db, 8_200_000/2, 100) {
		t.Fatalf("round 3: alice +%d, bob +%d", da, db)
	}
}

// Port of claim_root.rs test_claim_root_with_drain_emissions_and_swap_claim_type:
// a Swap claim sells the owed alpha fee-free and stakes the TAO on root.
func TestClaimRootSwapClaimType(t *testing.T) {
	const rootStake = 2_000_000
	pool := amm.NewPool(50_000_000_000, 100_000_000_000) // price 0.5
	l := claimPortLedger(t, pool, rootStakeOf{cAlice, rootStake}, rootStakeOf{cOther, 9 * rootStake})
	rest := rootDividend(10_000_000)
	prev := units.Alpha(rootStake)
	for round := range 3 {
		accrueRoot(t, l, hClaim, netC, rest)
		owed := l.RootOwed(hClaim, cAlice, netC)
		before, _ := l.Subnet(netC)
		root0, _ := l.Subnet(RootNetUID)
		q := before.Pool
		want, err := q.Swap(amm.SellOrder(owed).WithoutFees())
		if err != nil {
			t.Fatal(err)
		}
		sub0, rootAcct0, ts0 := l.Balance(SubnetAccountID(netC)), l.Balance(SubnetAccountID(RootNetUID)), l.TotalStake()
		if err := l.ClaimRoot(cAlice, []units.NetUID{netC}); err != nil {
			t.Fatal(err)
		}
		mustInvariants(t, l, "swap claim")
		after, _ := l.Subnet(netC)
		root1, _ := l.Subnet(RootNetUID)
		got := l.Stake(hClaim, cAlice, RootNetUID)
		if got != prev+units.Alpha(want.TAO) {
			t.Fatalf("round %d: root stake %d, want %d + %d", round, got, prev, want.TAO)
		}
		if after.Pool != q || after.RootClaimableAlpha != before.RootClaimableAlpha-owed {
			t.Fatalf("round %d: pool %+v, want %+v; reserved %d", round, after.Pool, q, after.RootClaimableAlpha)
		}
		if root1.Pool.TAO != root0.Pool.TAO+want.TAO || root1.Pool.AlphaOut != root0.Pool.AlphaOut+units.Alpha(want.TAO) {
			t.Fatalf("round %d: root pool %+v", round, root1.Pool)
		}
		if l.Balance(SubnetAccountID(netC)) != sub0-want.TAO || l.Balance(SubnetAccountID(RootNetUID)) != rootAcct0+want.TAO ||
			l.TotalStake() != ts0 {
			t.Fatalf("round %d: balances or TotalStake moved wrongly", round)
		}
		// Nothing stays owed: the new root stake entered at the current rate.
		if o := l.RootOwed(hClaim, cAlice, netC); o > 1 {
			t.Fatalf("round %d: owed %d after the claim", round, o)
		}
		if l.Stake(hClaim, cAlice, netC) != 0 {
			t.Fatalf("round %d: a swap claim kept alpha", round)
		}
		// The chain's estimate: owed × price 0.5 within 10_000 rao.
		if !near(uint64(want.TAO), uint64(owed)/2, 10_000) {
			t.Fatalf("round %d: %d TAO for %d alpha", round, want.TAO, owed)
		}
		prev = got
	}
}

// Port of claim_root.rs test_claim_root_swap_failure_does_not_consume_claim:
// the subnet account cannot pay the TAO; the call fails and changes
// nothing.
func TestClaimRootSwapFailureDoesNotConsumeClaim(t *testing.T) {
	l := claimPortLedger(t, amm.NewPool(50_000_000_000, 100_000_000_000),
		rootStakeOf{cAlice, 2_000_000}, rootStakeOf{cOther, 18_000_000})
	accrueRoot(t, l, hClaim, netC, rootDividend(10_000_000))
	l.mu.Lock()
	l.putBalance(SubnetAccountID(netC), l.balances.cell(SubnetAccountID(netC)), 1) // Balances::make_free_balance_be(subnet account, 0), kept non-zero
	l.mu.Unlock()
	hash := l.StateHash()
	claimed := l.RootClaimed(hClaim, cAlice, netC)
	var events int
	l.OnEvent(func(Event) { events++ })
	err := l.ClaimRoot(cAlice, []units.NetUID{netC})
	if !errors.Is(err, ErrInsufficientBalance) {
		t.Fatalf("claim: %v, want InsufficientBalance", err)
	}
	if l.StateHash() != hash || l.RootClaimed(hClaim, cAlice, netC) != claimed || events != 0 {
		t.Fatal("the failed claim changed the state or emitted events")
	}
}

// Port of claim_root.rs test_claim_root_threshold: owed alpha below
// RootClaimableThreshold is not claimed; the threshold is capped.
func TestClaimRootThreshold(t *testing.T) {
	l := claimPortLedger(t, amm.NewPool(1_000_000_000_000, 1_000_000_000_000), rootStakeOf{cAlice, 2_000_000})
	if got := l.RootClaimThreshold(netC); got != fixed.I96F32FromUint64(uint64(emission.DefaultRootClaimThreshold)) {
		t.Fatalf("default threshold %v", got)
	}
	if err := l.SetRootClaimThreshold(Signed(cAlice), netC, 1000); err == nil {
		t.Fatal("a non-owner set the threshold")
	}
	if err := l.SetRootClaimThreshold(Signed(cOwner), netC, emission.MaxRootClaimThreshold+1); !errors.Is(err, emission.ErrInvalidRootClaimThreshold) {
		t.Fatalf("threshold above the maximum: %v", err)
	}
	if err := l.SetRootClaimThreshold(Signed(cOwner), netC, 1_000_000); err != nil {
		t.Fatal(err)
	}
	if err := l.SetRootClaimType(cAlice, emission.RootClaimType{Kind: emission.RootClaimKeep}); err != nil {
		t.Fatal(err)
	}
	accrueRoot(t, l, hClaim, netC, 900_000) // owes 899_999 < 1_000_000
	if err := l.ClaimRoot(cAlice, []units.NetUID{netC}); err != nil {
		t.Fatal(err)
	}
	if s := l.Stake(hClaim, cAlice, netC); s != 0 {
		t.Fatalf("claimed %d below the threshold", s)
	}
	if err := l.SetRootClaimThreshold(RootOrigin(), netC, 500_000); err != nil {
		t.Fatal(err)
	}
	if err := l.ClaimRoot(cAlice, []units.NetUID{netC}); err != nil {
		t.Fatal(err)
	}
	if s := l.Stake(hClaim, cAlice, netC); s != 899_999 {
		t.Fatalf("claimed %d, want 899_999", s)
	}
	mustInvariants(t, l, "claim")
}

// Port of claim_root.rs test_claim_root_subnet_limits: claim_root needs
// between 1 and MAX_SUBNET_CLAIMS subnets.
func TestClaimRootSubnetLimits(t *testing.T) {
	l := claimPortLedger(t, amm.NewPool(1_000_000_000_000, 1_000_000_000_000), rootStakeOf{cAlice, 2_000_000})
	if err := l.ClaimRoot(cAlice, nil); !errors.Is(err, emission.ErrInvalidSubnetNumber) {
		t.Fatalf("no subnets: %v", err)
	}
	if err := l.ClaimRoot(cAlice, []units.NetUID{1, 2, 3, 4, 5, 6}); !errors.Is(err, emission.ErrInvalidSubnetNumber) {
		t.Fatalf("6 subnets: %v", err)
	}
	if err := l.ClaimRoot(cAlice, []units.NetUID{1, 2, 3, 4, 5}); err != nil {
		t.Fatalf("5 subnets: %v", err)
	}
}

// Port of claim_root.rs test_claim_root_with_keep_subnets: KeepSubnets
// keeps the listed subnet's alpha and swaps the others'.
func TestClaimRootWithKeepSubnets(t *testing.T) {
	l := claimPortLedger(t, amm.NewPool(1_000_000_000_000, 1_000_000_000_000), rootStakeOf{cAlice, 2_000_000})
	if err := l.SetRootClaimType(cAlice, emission.RootClaimType{Kind: emission.RootClaimKeepSubnets, Subnets: []units.NetUID{netC}}); err != nil {
		t.Fatal(err)
	}
	accrueRoot(t, l, hClaim, netC, 1_000_000)
	owed := l.RootOwed(hClaim, cAlice, netC)
	if err := l.ClaimRoot(cAlice, []units.NetUID{netC}); err != nil {
		t.Fatal(err)
	}
	if s := l.Stake(hClaim, cAlice, netC); s != owed || owed == 0 {
		t.Fatalf("kept %d, owed %d", s, owed)
	}
	if s := l.Stake(hClaim, cAlice, RootNetUID); s != 2_000_000 {
		t.Fatalf("root stake %d changed", s)
	}
	if err := l.SetRootClaimType(cAlice, emission.RootClaimType{Kind: emission.RootClaimKeepSubnets, Subnets: []units.NetUID{7}}); err != nil {
		t.Fatal(err)
	}
	accrueRoot(t, l, hClaim, netC, 1_000_000)
	if err := l.ClaimRoot(cAlice, []units.NetUID{netC}); err != nil {
		t.Fatal(err)
	}
	if s := l.Stake(hClaim, cAlice, RootNetUID); s <= 2_000_000 {
		t.Fatalf("root stake %d: the unlisted subnet was not swapped", s)
	}
	mustInvariants(t, l, "claims")
}

// Port of claim_root.rs test_claim_root_with_moved_stake: root stake
// transferred to another coldkey (transfer_stake on root) carries no past
// dividend to it, and the sender keeps what it was owed.
func TestClaimRootWithMovedStake(t *testing.T) {
	const rootStake = 8_000_000
	cEve := cOther
	l := claimPortLedger(t, amm.NewPool(1_000_000_000_000, 1_000_000_000_000),
		rootStakeOf{cAlice, rootStake}, rootStakeOf{cBob, rootStake})
	all := []units.AccountID{cAlice, cBob, cEve}
	for _, c := range all {
		if err := l.SetRootClaimType(c, emission.RootClaimType{Kind: emission.RootClaimKeep}); err != nil {
			t.Fatal(err)
		}
	}
	rest := rootDividend(10_000_000)
	claimAll := func(what string) (a, b, e units.Alpha) {
		t.Helper()
		for _, c := range all {
			if err := l.ClaimRoot(c, []units.NetUID{netC}); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			mustInvariants(t, l, what)
		}
		return l.Stake(hClaim, cAlice, netC), l.Stake(hClaim, cBob, netC), l.Stake(hClaim, cEve, netC)
	}
	accrueRoot(t, l, hClaim, netC, rest)
	alice, bob, eve := claimAll("round 1")
	if alice != bob || !near(uint64(alice), 8_200_000/2, 100) {
		t.Fatalf("round 1: alice %d, bob %d", alice, bob)
	}
	accrueRoot(t, l, hClaim, netC, rest)
	if _, err := l.TransferStake(cBob, cEve, hClaim, RootNetUID, RootNetUID, rootStake/2); err != nil {
		t.Fatal(err)
	}
	mustInvariants(t, l, "transfer_stake")
	alice2, bob2, eve2 := claimAll("round 2")
	if !near(uint64(eve2-eve), 0, 100) {
		t.Fatalf("eve received %d of past dividends", eve2-eve)
	}
	da, db := uint64(alice2-alice), uint64(bob2-bob)
	if !near(da, db, 100) || !near(db, 8_200_000/2, 100) {
		t.Fatalf("round 2: alice +%d, bob +%d", da, db)
	}
	if _, err := l.TransferStake(cEve, cBob, hClaim, RootNetUID, RootNetUID, rootStake/2); err != nil {
		t.Fatal(err)
	}
	mustInvariants(t, l, "transfer_stake back")
	accrueRoot(t, l, hClaim, netC, rest)
	alice3, bob3, _ := claimAll("round 3")
	da, db = uint64(alice3-alice2), uint64(bob3-bob2)
	if !near(da, db, 100) || !near(db, 8_200_000/2, 100) {
		t.Fatalf("round 3: alice +%d, bob +%d", da, db)
	}
}

// TestClaimRootHooksRollBack checks that a failing move that first
// unstaked root stake restores RootClaimed with the rest of the state.
func TestClaimRootHooksRollBack(t *testing.T) {
	l := claimPortLedger(t, amm.NewPool(1_000_000_000_000, 1_000_000_000_000), rootStakeOf{cAlice, 8_000_000})
	accrueRoot(t, l, hClaim, netC, 1_000_000)
	before := l.RootClaimed(hClaim, cAlice, netC)
	hash := l.StateHash()
	// A destination pool that refuses to swap fails the move after the
	// root unstake has adjusted RootClaimed.
	l.mu.Lock()
	l.subnets[netC].Pool.FeeRate = 0xffff // an invalid fee rate: the pool refuses to swap
	l.mu.Unlock()
	_, err := l.MoveStake(cAlice, hClaim, hClaim, RootNetUID, netC, 4_000_000)
	if !errors.Is(err, amm.ErrFeeRateTooHigh) {
		t.Fatalf("move into a refused pool: %v", err)
	}
	l.mu.Lock()
	l.subnets[netC].Pool.FeeRate = amm.DefaultFeeRate
	l.mu.Unlock()
	if l.RootClaimed(hClaim, cAlice, netC) != before || l.StateHash() != hash {
		t.Fatal("the failed move left RootClaimed or the state changed")
	}
}

// rootDividendNetwork is a root subnet and subnet 1 of 12 neurons (uid 0
// the owner hotkey, uids 1–3 validators with alpha and root stake, the
// rest miners), priced at 2 TAO per alpha so that the moving prices sum
// above 1 and the coinbase keeps root's share (root sell) for the root
// stakers instead of recycling it.
func rootDividendNetwork(t *testing.T) *Ledger {
	t.Helper()
	b := NewBuilder().Root(2_000_000_000_000)
	owner, ownerHk := acctN(10), acctN(11)
	var hks, cks []units.AccountID
	for i := range byte(11) {
		hks = append(hks, units.AccountID{0xb0, 1, i})
		cks = append(cks, units.AccountID{0xc0, 1, i})
	}
	pool := amm.NewPool(200_000_000_000_000, 100_000_000_000_000)
	st := withNeurons(t, 1, owner, ownerHk, pool, hks, cks, 3, 0)
	b.SubnetWith(GenesisSubnet{NetUID: 1, Owner: owner, OwnerHotkey: ownerHk, Pool: pool, Storage: st,
		MovingPrice: pool.Price().U64F64().SaturatingToI96F32()})
	b.Account(owner, 1_000_000_000_000)
	for v := range 3 {
		b.Stake(hks[v], cks[v], 1, units.Alpha(10_000_000_000_000*(v+1)))
		b.Stake(hks[v], cks[v], RootNetUID, units.Alpha(1_000_000_000_000*(v+1)))
	}
	for _, c := range cks {
		b.Account(c, 10_000_000_000)
	}
	b.Account(acctN(210), 100_000_000_000)
	g := b.Genesis()
	g.Block = 1000
	l, err := NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestClaimRootAfterEpochs stakes on root, steps the ledger through an
// epoch so that root dividends accrue, and claims them both ways,
// checking the invariants after every call and block.
func TestClaimRootAfterEpochs(t *testing.T) {
	l := rootDividendNetwork(t)
	newStaker := acctN(210)
	hk0, ck0 := units.AccountID{0xb0, 1, 0}, units.AccountID{0xc0, 1, 0}
	hk1, ck1 := units.AccountID{0xb0, 1, 1}, units.AccountID{0xc0, 1, 1}
	if _, err := l.AddStake(newStaker, hk0, RootNetUID, 50_000_000_000); err != nil {
		t.Fatal(err)
	}
	mustInvariants(t, l, "add_stake")
	var ran bool
	l.OnEvent(func(e Event) {
		if e.Kind == EventEpoch && e.NetUID == 1 {
			ran = true
		}
	})
	for i := 0; !ran; i++ {
		if i > 400 {
			t.Fatal("no epoch of netuid 1 in 400 blocks")
		}
		if _, err := l.Step(); err != nil {
			t.Fatal(err)
		}
		mustInvariants(t, l, "step")
	}
	st, _ := l.Subnet(1)
	if st.RootClaimableAlpha == 0 {
		t.Fatal("no root dividends reserved")
	}
	owedKeep := l.RootOwed(hk0, ck0, 1)
	owedNew := l.RootOwed(hk0, newStaker, 1)
	owedSwap := l.RootOwed(hk1, ck1, 1)
	if owedKeep == 0 || owedSwap == 0 || owedNew == 0 {
		t.Fatalf("owed %d, %d, %d", owedKeep, owedSwap, owedNew)
	}
	var claims []Event
	l.OnEvent(func(e Event) {
		if e.Kind == EventRootClaimed {
			claims = append(claims, e)
		}
	})
	// Keep.
	if err := l.SetRootClaimType(ck0, emission.RootClaimType{Kind: emission.RootClaimKeep}); err != nil {
		t.Fatal(err)
	}
	stake0 := l.Stake(hk0, ck0, 1)
	if err := l.ClaimRoot(ck0, []units.NetUID{1, 2}); err != nil {
		t.Fatal(err)
	}
	mustInvariants(t, l, "keep claim")
	if got := l.Stake(hk0, ck0, 1); got != stake0+owedKeep {
		t.Fatalf("kept stake %d, want %d + %d", got, stake0, owedKeep)
	}
	if c := l.RootClaimed(hk0, ck0, 1); c != fixed.U128FromUint64(uint64(owedKeep)) {
		t.Fatalf("root claimed %v, want %d", c, owedKeep)
	}
	if len(claims) == 0 || claims[0].Hotkey != hk0 || claims[0].Coldkey != ck0 || claims[0].NetUID != 1 || claims[0].Alpha != owedKeep {
		t.Fatalf("events %+v", claims)
	}
	// Swap (the default type).
	before, _ := l.Subnet(1)
	want, err := before.Pool.Swap(amm.SellOrder(owedSwap).WithoutFees())
	if err != nil {
		t.Fatal(err)
	}
	root1 := l.Stake(hk1, ck1, RootNetUID)
	if err := l.ClaimRoot(ck1, []units.NetUID{1}); err != nil {
		t.Fatal(err)
	}
	mustInvariants(t, l, "swap claim")
	if got := l.Stake(hk1, ck1, RootNetUID); got != root1+units.Alpha(want.TAO) || want.TAO == 0 {
		t.Fatalf("root stake %d, want %d + %d", got, root1, want.TAO)
	}
	// Claiming again pays nothing more.
	stake0 = l.Stake(hk0, ck0, 1)
	if err := l.ClaimRoot(ck0, []units.NetUID{1}); err != nil {
		t.Fatal(err)
	}
	if l.Stake(hk0, ck0, 1) != stake0 {
		t.Fatal("a second claim paid again")
	}
	// The later root staker earned from the epoch after its stake only.
	if err := l.ClaimRoot(newStaker, []units.NetUID{1}); err != nil {
		t.Fatal(err)
	}
	mustInvariants(t, l, "new staker claim")
	for range 3 {
		if _, err := l.Step(); err != nil {
			t.Fatal(err)
		}
		mustInvariants(t, l, "step after claims")
	}
}

// The staking calls emit StakeAdded and StakeRemoved (stake_into_subnet,
// unstake_from_subnet) once they succeed, and nothing when they fail.
func TestStakeEvents(t *testing.T) {
	l := claimPortLedger(t, amm.NewPool(1_000_000_000_000, 1_000_000_000_000))
	var evs []Event
	l.OnEvent(func(e Event) { evs = append(evs, e) })
	bal := l.Balance(cAlice)
	alpha, err := l.AddStake(cAlice, hClaim, netC, 100_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0] != (Event{Kind: EventStakeAdded, Block: l.Block(), NetUID: netC, Hotkey: hClaim,
		Coldkey: cAlice, TAO: bal - l.Balance(cAlice), Alpha: alpha}) {
		t.Fatalf("events %+v", evs)
	}
	evs = nil
	tao, err := l.RemoveStake(cAlice, hClaim, netC, alpha)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Kind != EventStakeRemoved || evs[0].TAO != tao || evs[0].Coldkey != cAlice ||
		evs[0].Alpha == 0 || evs[0].Alpha > alpha {
		t.Fatalf("events %+v", evs)
	}
	// A move emits both; a failed call none.
	if _, err := l.AddStake(cAlice, hClaim, RootNetUID, 100_000_000); err != nil {
		t.Fatal(err)
	}
	evs = nil
	if _, err := l.MoveStake(cAlice, hClaim, hClaim, RootNetUID, netC, 50_000_000); err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Kind != EventStakeRemoved || evs[0].NetUID != RootNetUID ||
		evs[1].Kind != EventStakeAdded || evs[1].NetUID != netC {
		t.Fatalf("move events %+v", evs)
	}
	evs = nil
	if _, err := l.AddStake(cAlice, hClaim, netC, 10_000_000_000_000); err == nil || len(evs) != 0 {
		t.Fatalf("failed add_stake: %v, events %+v", err, evs)
	}
	mustInvariants(t, l, "staking")
}

// A call that writes one RootClaimed entry twice and fails restores the
// entry as it was before the call (and removes one it created), the log
// now holding every write and undoing them in reverse order.
func TestCallLogUndoRepeatedWrites(t *testing.T) {
	l := testNetwork(t)
	kept := claimKey{1, acctN(100), acctN(0)}
	fresh := claimKey{2, acctN(100), acctN(0)}
	l.putClaimed(kept, fixed.U128FromUint64(7))
	var log callLog
	for i, v := range []uint64{11, 12, 13} {
		log.setClaimed(l, kept, fixed.U128FromUint64(v))
		log.setClaimed(l, fresh, fixed.U128FromUint64(v+uint64(i)))
	}
	if got, _ := l.claimedOf(kept); got != fixed.U128FromUint64(13) {
		t.Fatalf("before undo RootClaimed %v, want 13", got)
	}
	log.undo(l)
	if got, ok := l.claimedOf(kept); !ok || got != fixed.U128FromUint64(7) {
		t.Fatalf("after undo RootClaimed %v (present %v), want 7", got, ok)
	}
	if got, ok := l.claimedOf(fresh); ok {
		t.Fatalf("after undo the created entry holds %v", got)
	}
}
