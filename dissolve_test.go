package dtao

import (
	"math/big"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// dissolveWithRules runs the dissolution under the given
// NetworkRegistrationStartBlock and TaoInRefundDeploymentBlock, as the
// ported tests set those storage values.
func dissolveWithRules(l *Ledger, netuid units.NetUID, rules refundRules) {
	j := l.begin()
	l.dissolveWith(j, netuid, rules)
	j.commit()
}

// mockStake is AlphaV2 and TotalHotkeyAlpha inserted directly, as the
// ported tests do: a share pool holding alpha with coldkey's shares
// equal to it, SubnetAlphaOut unchanged.
func mockStake(l *Ledger, hot, cold units.AccountID, netuid units.NetUID, alpha units.Alpha) {
	p := &SharePool{}
	if err := p.Stake(cold, alpha); err != nil {
		panic(err)
	}
	l.stake.set(stakeKey{hot, netuid}, p)
}

// Port of dissolve_no_stakers_no_alpha_no_emission
// (pallets/subtensor/src/tests/networks.rs).
func TestDissolveNoStakers(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	cold := u256(1)
	net := mockAddDynamicNetwork(t, l, u256(2), cold)
	l.subnets[net].Locked = 0
	l.subnets[net].Pool.TAO = 0
	before := l.Balance(cold)
	if err := l.DissolveNetwork(subnet.OriginRoot, net); err != nil {
		t.Fatal(err)
	}
	if l.Balance(cold) != before {
		t.Fatalf("balance %d, want %d", l.Balance(cold), before)
	}
	if _, ok := l.Subnet(net); ok {
		t.Fatal("subnet exists")
	}
}

// Port of dissolve_refunds_full_lock_cost_when_no_emission (networks.rs):
// a legacy subnet (registered before NetworkRegistrationStartBlock) with
// no TAO reserve refunds its owner the whole lock (its alpha prices at 0).
func TestDissolveRefundsFullLock(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	cold := u256(3)
	net := mockAddDynamicNetwork(t, l, u256(4), cold)
	reg := l.subnets[net].RegisteredAt
	const lock = 1_000_000
	l.subnets[net].Locked = lock
	l.subnets[net].Pool.TAO = 0
	before := l.Balance(cold)
	dissolveWithRules(l, net, refundRules{registrationStart: reg + 1})
	if l.Balance(cold) != before+lock {
		t.Fatalf("balance %d, want %d", l.Balance(cold), before+lock)
	}
}

// Without the legacy rule (the default NetworkRegistrationStartBlock 0),
// the owner gets no refund and all but the existential deposit of the
// subnet account is recycled.
func TestDissolveNoRefundForNewSubnets(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	cold := u256(3)
	net := mockAddDynamicNetwork(t, l, u256(4), cold)
	l.subnets[net].Pool.TAO = 0
	before, issuance := l.Balance(cold), l.TotalIssuance()
	acct := l.Balance(SubnetAccountID(net))
	if err := l.DissolveNetwork(subnet.OriginRoot, net); err != nil {
		t.Fatal(err)
	}
	if l.Balance(cold) != before || l.Balance(SubnetAccountID(net)) != mockED ||
		l.TotalIssuance() != issuance-(acct-mockED) {
		t.Fatalf("owner %d account %d issuance %d", l.Balance(cold), l.Balance(SubnetAccountID(net)), l.TotalIssuance())
	}
}

// Port of dissolve_single_alpha_out_staker_gets_all_tao (networks.rs).
func TestDissolveSingleStakerGetsAllTAO(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	net := mockAddDynamicNetwork(t, l, u256(20), u256(10))
	st := l.subnets[net]
	st.Pool.AlphaIn, st.ProtocolAlpha = 0, 0
	sHot, sCold := u256(100), u256(200)
	mockStake(l, sHot, sCold, net, 5_000)
	const pot = 99_999
	st.Pool.TAO, st.Locked = pot, 0
	stake := l.TotalStake()
	if err := l.DissolveNetwork(subnet.OriginRoot, net); err != nil {
		t.Fatal(err)
	}
	if l.Balance(sCold) != pot {
		t.Fatalf("staker %d", l.Balance(sCold))
	}
	if _, ok := l.stake.lookup(stakeKey{sHot, net}); ok {
		t.Fatal("share pool left")
	}
	if l.TotalStake() != stake-pot {
		t.Fatalf("TotalStake %d", l.TotalStake())
	}
}

// Port of dissolve_two_stakers_pro_rata_distribution (networks.rs): 300
// and 700 alpha share a 10_000 TAO pot exactly; the legacy owner gets its
// 5_000 lock back (no alpha issued).
func TestDissolveTwoStakersProRata(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	oc := u256(50)
	net := mockAddDynamicNetwork(t, l, u256(51), oc)
	st := l.subnets[net]
	st.Pool.AlphaIn, st.ProtocolAlpha = 0, 0
	mockStake(l, u256(201), u256(301), net, 300)
	mockStake(l, u256(202), u256(302), net, 700)
	st.Pool.TAO, st.Locked = 10_000, 5_000
	ownerBefore := l.Balance(oc)
	dissolveWithRules(l, net, refundRules{registrationStart: st.RegisteredAt + 1})
	if l.Balance(u256(301)) != 3_000 || l.Balance(u256(302)) != 7_000 {
		t.Fatalf("stakers %d %d", l.Balance(u256(301)), l.Balance(u256(302)))
	}
	if l.Balance(oc) != ownerBefore+5_000 {
		t.Fatalf("owner %d", l.Balance(oc)-ownerBefore)
	}
}

// Port of dissolve_owner_cut_refund_logic (networks.rs): the legacy
// owner's refund is the lock less floor(floor(issuance·cut)·price), the
// cut 11_796/65535 as a U96F32, the price the pool's U64F64 truncated to
// U96F32. The expectation is computed here with math/big on the bits.
func TestDissolveOwnerCutRefund(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	oc := u256(70)
	net := mockAddDynamicNetwork(t, l, u256(71), oc)
	st := l.subnets[net]
	mockStake(l, u256(77), u256(88), net, 800)
	mint(l, SubnetAccountID(net), 800*100)
	st.Pool.TAO = 1_000
	const lock = 2_000
	st.Locked = lock
	l.params.SubnetOwnerCut = 11_796

	issuance := new(big.Int).SetUint64(st.Pool.AlphaIn.Rao() + st.Pool.AlphaOut.Rao())
	two32 := new(big.Int).Lsh(big.NewInt(1), 32)
	frac := new(big.Int).Div(new(big.Int).Mul(big.NewInt(11_796), two32), big.NewInt(65_535))
	ownerAlpha := new(big.Int).Div(new(big.Int).Mul(issuance, frac), two32)
	hi, lo := st.Pool.Price().U64F64().Bits()
	price64 := new(big.Int).Or(new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64), new(big.Int).SetUint64(lo))
	price32 := new(big.Int).Rsh(price64, 32)
	ownerTAO := new(big.Int).Div(new(big.Int).Mul(ownerAlpha, price32), two32)
	if ownerTAO.Sign() == 0 || ownerTAO.Uint64() >= lock {
		t.Fatalf("owner emission %v does not exercise the rule", ownerTAO)
	}
	want := lock - ownerTAO.Uint64()

	before := l.Balance(oc)
	dissolveWithRules(l, net, refundRules{registrationStart: st.RegisteredAt + 1})
	if got := l.Balance(oc) - before; got.Rao() != want {
		t.Fatalf("refund %d, want %d", got, want)
	}
	if l.Balance(u256(88)) != 1_000 {
		t.Fatalf("staker %d", l.Balance(u256(88)))
	}
}

// Port of dissolve_nonexistent_subnet_fails (networks.rs), with the root
// netuid and a non-root origin.
func TestDissolveErrors(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder().Root(1_000))
	wantChainErr(t, l.DissolveNetwork(subnet.OriginRoot, 9_999), ErrSubnetNotExists)
	wantChainErr(t, l.DissolveNetwork(subnet.OriginRoot, RootNetUID), ErrSubnetNotExists)
	net := mockAddDynamicNetwork(t, l, u256(2), u256(1))
	wantChainErr(t, l.DissolveNetwork(subnet.OriginOwner, net), ErrBadOrigin)
	wantChainErr(t, l.DissolveNetwork(subnet.OriginSigned, net), ErrBadOrigin)
}

// Port of dissolve_rounding_remainder_distribution (networks.rs): a pot of
// 1 over 3 and 2 alpha goes to the larger remainder.
func TestDissolveRoundingRemainder(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	net := mockAddDynamicNetwork(t, l, u256(62), u256(61))
	st := l.subnets[net]
	st.Pool.AlphaIn, st.ProtocolAlpha = 0, 0
	mockStake(l, u256(63), u256(64), net, 3)
	mockStake(l, u256(65), u256(66), net, 2)
	st.Pool.TAO, st.Locked = 1, 0
	if err := l.DissolveNetwork(subnet.OriginRoot, net); err != nil {
		t.Fatal(err)
	}
	if l.Balance(u256(64)) != 1 || l.Balance(u256(66)) != 0 {
		t.Fatalf("stakers %d %d", l.Balance(u256(64)), l.Balance(u256(66)))
	}
}

// Equal remainders keep TotalHotkeyAlpha's storage order, Blake2_128Concat
// of the hotkey: blake2b-128 of U256::from(2) is 9d72…, of U256::from(1)
// bc14… (hashlib.blake2b(digest_size=16)), so hotkey 2's staker gets the
// one rao left.
func TestDissolveRemainderTieStorageOrder(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	net := mockAddDynamicNetwork(t, l, u256(90), u256(91))
	st := l.subnets[net]
	st.Pool.AlphaIn, st.ProtocolAlpha = 0, 0
	mockStake(l, u256(1), u256(11), net, 1)
	mockStake(l, u256(2), u256(12), net, 1)
	st.Pool.TAO, st.Locked = 1, 0
	if err := l.DissolveNetwork(subnet.OriginRoot, net); err != nil {
		t.Fatal(err)
	}
	if l.Balance(u256(12)) != 1 || l.Balance(u256(11)) != 0 {
		t.Fatalf("stakers %d %d", l.Balance(u256(11)), l.Balance(u256(12)))
	}
}

// Port of dissolve_protocol_alpha_share_is_not_paid_to_users
// (networks.rs): before TaoInRefundDeploymentBlock the alpha reserve is
// left out; 50 protocol and 50 staked alpha split a 200 pot.
func TestDissolveProtocolAlphaPreDeploy(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	oc := u256(610)
	net := mockAddDynamicNetwork(t, l, u256(620), oc)
	st := l.subnets[net]
	st.Locked = 0
	st.Pool.AlphaIn, st.ProtocolAlpha = 100, 50
	mockStake(l, u256(630), u256(640), net, 50)
	st.Pool.TAO = 200
	ownerBefore := l.Balance(oc)
	dissolveWithRules(l, net, refundRules{taoInRefund: st.RegisteredAt + 1})
	if l.Balance(u256(640)) != 100 || l.Balance(oc) != ownerBefore {
		t.Fatalf("staker %d owner %d", l.Balance(u256(640)), l.Balance(oc))
	}
}

// Port of dissolve_protocol_alpha_post_deploy_includes_alpha_in
// (networks.rs): registered at 101 after the deployment at 100, the
// alpha reserve counts: 50 of 200 alpha.
func TestDissolveProtocolAlphaPostDeploy(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	oc := u256(611)
	net := mockAddDynamicNetwork(t, l, u256(621), oc)
	st := l.subnets[net]
	st.RegisteredAt, st.Locked = 101, 0
	st.Pool.AlphaIn, st.ProtocolAlpha = 100, 50
	mockStake(l, u256(631), u256(641), net, 50)
	st.Pool.TAO = 200
	ownerBefore := l.Balance(oc)
	dissolveWithRules(l, net, refundRules{taoInRefund: 100})
	if l.Balance(u256(641)) != 50 || l.Balance(oc) != ownerBefore {
		t.Fatalf("staker %d owner %d", l.Balance(u256(641)), l.Balance(oc))
	}
}

// Port of dissolve_chain_bought_alpha_is_converted_to_tao_and_recycled
// (networks.rs): the protocol's alpha is the only claimant; its TAO is
// recycled, not paid, so TotalIssuance falls.
func TestDissolveChainBoughtAlphaRecycled(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	oc := u256(710)
	net := mockAddDynamicNetwork(t, l, u256(720), oc)
	st := l.subnets[net]
	st.Locked = 0
	st.Pool.AlphaIn, st.ProtocolAlpha = 123, 100
	st.Pool.TAO = 100
	issuance, ownerBefore := l.TotalIssuance(), l.Balance(oc)
	acct := l.Balance(SubnetAccountID(net))
	dissolveWithRules(l, net, refundRules{taoInRefund: st.RegisteredAt + 1})
	if l.Balance(oc) != ownerBefore || l.TotalIssuance() != issuance-(acct-mockED) {
		t.Fatalf("owner %d issuance %d", l.Balance(oc), l.TotalIssuance())
	}
}

// Part of dissolve_clears_all_per_subnet_storages (networks.rs) that the
// ledger holds: share pools, ChildKeys, ParentKeys, ChildkeyTake,
// PendingChildKeys, RootClaimable, RootClaimed and the SetChildren rate
// limits of the netuid go; those of other netuids, RootClaimableThreshold
// (which remove_network keeps) and the hotkeys' owners stay. The
// invariants hold after, and a rollback of the dissolution restores all.
func TestDissolveClearsPerSubnetState(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder().Root(1_000_000_000).Account(u256(9), 1_000))
	net := mockAddDynamicNetwork(t, l, u256(2), u256(1))
	other := mockAddDynamicNetwork(t, l, u256(4), u256(3))
	// add_dynamic_network's coldkey keeps 1 rao of the lock: top the
	// subnet accounts up to SubnetTAO plus the existential deposit.
	mint(l, SubnetAccountID(net), 2)
	mint(l, SubnetAccountID(other), 2)
	hot, cold := u256(5), u256(6)
	l.owner[hot] = cold
	for _, n := range []units.NetUID{net, other} {
		k := stakeKey{hot, n}
		p := &SharePool{}
		if err := p.Stake(cold, 1_000); err != nil {
			t.Fatal(err)
		}
		l.stake.set(k, p)
		l.subnets[n].Pool.AlphaOut += 1_000
		l.children[stakeKey{hot, n}] = []Link{{Proportion: 1, Hotkey: u256(2)}}
		l.parents[stakeKey{u256(2), n}] = []Link{{Proportion: 1, Hotkey: hot}}
		l.childkeyTake[k] = 10
		l.pendingChildren[k] = PendingChildren{CooldownBlock: 5}
		l.addClaimable(k, new(fixed.I96F32FromUint64(1)))
		l.putClaimed(claimKey{n, hot, cold}, fixed.U128FromUint64(1))
		l.rateLimits[RateLimitKey{Kind: RateLimitSetChildren, Account: hot, NetUID: n}] = 1
		l.rootClaimThreshold[n] = fixed.I96F32FromUint64(7)
	}
	l.rateLimits[RateLimitKey{Kind: RateLimitOwnerHyperparam, NetUID: net}] = 1
	regCheckInv(t, l)
	h := l.StateHash()
	snapshot := func() [9]int {
		return [9]int{l.stake.len(), len(l.children), len(l.parents), len(l.childkeyTake), len(l.pendingChildren),
			len(l.rootClaimable), l.claimedLen(), len(l.rateLimits), len(l.nets)}
	}
	full := snapshot()

	j := l.begin()
	l.dissolve(j, net)
	j.rollback()
	if l.StateHash() != h || snapshot() != full || len(l.NetUIDs()) != 3 {
		t.Fatal("rollback did not restore the dissolved subnet")
	}
	regCheckInv(t, l)

	if err := l.DissolveNetwork(subnet.OriginRoot, net); err != nil {
		t.Fatal(err)
	}
	regCheckInv(t, l)
	k := stakeKey{hot, net}
	if _, ok := l.stake.lookup(k); ok {
		t.Fatal("share pool")
	}
	if _, ok := l.children[k]; ok {
		t.Fatal("children")
	}
	if _, ok := l.parents[stakeKey{u256(2), net}]; ok {
		t.Fatal("parents")
	}
	if _, ok := l.childkeyTake[k]; ok {
		t.Fatal("childkey take")
	}
	if _, ok := l.pendingChildren[k]; ok {
		t.Fatal("pending children")
	}
	if _, ok := l.rootClaimable[k]; ok {
		t.Fatal("root claimable")
	}
	if _, ok := l.claimedOf(claimKey{net, hot, cold}); ok {
		t.Fatal("root claimed")
	}
	if _, ok := l.rateLimits[RateLimitKey{Kind: RateLimitSetChildren, Account: hot, NetUID: net}]; ok {
		t.Fatal("set_children rate limit")
	}
	if _, ok := l.rateLimits[RateLimitKey{Kind: RateLimitOwnerHyperparam, NetUID: net}]; !ok {
		t.Fatal("owner hyperparameter rate limit removed")
	}
	if _, ok := l.rootClaimThreshold[net]; !ok {
		t.Fatal("RootClaimableThreshold removed")
	}
	if _, ok := l.nets[net]; ok {
		t.Fatal("subnet.Subnet")
	}
	if got := snapshot(); got[0] != 1 || got[1] != 1 || got[2] != 1 || got[6] != 1 || got[8] != 1 {
		t.Fatalf("other netuid's entries %v", got)
	}
	if _, ok := l.Owner(hot); !ok {
		t.Fatal("hotkey owner removed")
	}
	// The staker's 1_000 alpha of a 1_000 alpha-out was worth the whole
	// TAO reserve (no protocol alpha: registered at block 0, not after
	// TaoInRefundDeploymentBlock).
	if l.Balance(cold) != mockMinLock {
		t.Fatalf("staker paid %d", l.Balance(cold))
	}
}
