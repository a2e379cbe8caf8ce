package dtao

import (
	"math"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Ports of the staking tests of pallets/subtensor/src/tests/staking.rs,
// tests/staking2.rs and tests/move_stake.rs at 14bc6f9f that
// ledger_port_test.go and movestake_test.go do not port yet.
//
// The mock (pallets/subtensor/src/tests/mock.rs) reproduced here:
//   - ExistentialDeposit 1, InitialMinStake 2_000_000 (DefaultMinStake),
//     SwapMinimumReserve 100 (mockPool), the swap pallet's default fee rate;
//   - MockAuthorshipProvider: every block's author is U256(12345)
//     (MOCK_BLOCK_BUILDER), which receives the swap fees;
//   - add_dynamic_network: the first network's pool is the minimum lock,
//     100 TAO against 100 alpha, and its owner coldkey keeps 1 rao (the lock
//     moves keeping it alive); the second network's lock is twice the first
//     actual lock (get_network_lock_cost, mult 2 in the same block), so its
//     pool is 2·(100 TAO − 1) = spNet2Reserve on both sides at price 1;
//   - register_ok_neuron with a zero burn: the hotkey's Owner entry and
//     11 rao (ED + the buffer of 10) on a coldkey that had less;
//   - setup_reserves / SubnetTAO::insert: the pool's reserves, reproduced
//     as the genesis pool (a test that changes reserves after staking
//     rebuilds the ledger from the staked state with the new reserves);
//   - init_swap and a zero swap: Initialized with the weight 0.5 NewPool
//     already has.

// mockBlockBuilder is MOCK_BLOCK_BUILDER, the mock's block author.
const mockBlockBuilder = 12345

// spNet2Reserve is the second add_dynamic_network pool's TAO and alpha.
const spNet2Reserve = 2*mockMinLock - 2

// spMock is a builder of the mock runtime: ED 1 and the block author.
func spMock() *Builder {
	return NewBuilder().ExistentialDeposit(mockED).BlockAuthor(u256(mockBlockBuilder))
}

// spDyn is a dynamic subnet with the mock's pool at the given reserves.
func spDyn(netuid units.NetUID, owner, ownerHot units.AccountID, tao units.TAO, alpha units.Alpha) GenesisSubnet {
	return GenesisSubnet{NetUID: netuid, Owner: owner, OwnerHotkey: ownerHot, Pool: mockPool(tao, alpha)}
}

// spStable is a stable pool with the mock's SwapMinimumReserve.
func spStable() amm.Pool {
	p := amm.NewStablePool(0, 0)
	p.MinReserve = 100
	return p
}

// spRoot is the root subnet with the mock's stable pool (SwapMinimumReserve
// 100 as on every subnet).
func spRoot(tao units.TAO, alpha units.Alpha) GenesisSubnet {
	p := amm.NewStablePool(tao, alpha)
	p.MinReserve = 100
	return GenesisSubnet{NetUID: RootNetUID, Pool: p}
}

func spBuild(t *testing.T, b *Builder) *Ledger {
	t.Helper()
	l, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	return l
}

// spStakeInto is the mock's direct stake_into_subnet call at limit (nil:
// max_price) without dropping fees.
func spStakeInto(t *testing.T, l *Ledger, hotkey, coldkey units.AccountID, netuid units.NetUID, tao units.TAO, limit *amm.Price) units.Alpha {
	t.Helper()
	j := l.begin()
	alpha, err := l.stakeIntoSubnet(j, nil, hotkey, coldkey, netuid, tao, limit, false)
	if err != nil {
		j.rollback()
		t.Fatal(err)
	}
	j.commit()
	checkInv(t, l)
	return alpha
}

// spNoop fails when a failed call changed the state (assert_noop).
func spNoop(t *testing.T, l *Ledger, before [32]byte) {
	t.Helper()
	if l.StateHash() != before {
		t.Fatal("a failed call changed the state")
	}
	checkInv(t, l)
}

func spPool(t *testing.T, l *Ledger, netuid units.NetUID) amm.Pool {
	t.Helper()
	p, ok := l.Pool(netuid)
	if !ok {
		t.Fatalf("no pool on netuid %d", netuid)
	}
	return p
}

// spPriceOf is the subnet's current price.
func spPriceOf(t *testing.T, l *Ledger, netuid units.NetUID) amm.Price {
	t.Helper()
	p := spPool(t, l, netuid)
	return p.Price()
}

func spQuote(t *testing.T, p amm.Pool, o amm.Order) amm.Result {
	t.Helper()
	r, err := p.Quote(o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func spWithin(t *testing.T, what string, got, want, eps uint64) {
	t.Helper()
	if d := absDiff(got, want); d > eps {
		t.Errorf("%s = %d, want %d ± %d (off by %d)", what, got, want, eps, d)
	}
}

// spPrice96 is current_alpha_price as the chain's tests read it, a U96F32.
func spPrice96(t *testing.T, l *Ledger, netuid units.NetUID) fixed.U96F32 {
	t.Helper()
	p := spPool(t, l, netuid)
	return spPoolPrice96(&p)
}

// ---------------------------------------------------------------------------
// tests/staking.rs

// spSpecificPool is the share pool test_add_stake_specific_stake_into_subnet_fail
// and test_move_stake_specific_stake_into_subnet_fail build on netuid 1:
// TotalHotkeyShares (the legacy denominator the pool reads first,
// stake_utils.rs) 161_986_254/u64::MAX and TotalHotkeyAlpha 36_711_495_953.
// The Rust tests first call update_value_for_one(owner, 1234) on the empty
// pool, leaving the owner an AlphaV2 share of 1234 against that tiny
// denominator, a stake above u64::MAX that NewLedger's invariant (the
// coldkeys' stakes sum to at most TotalHotkeyAlpha) refuses; the owner's
// share here is the whole denominator instead. A new stake's shares depend
// only on the value and the denominator, which are the chain's.
func spSpecificPool(hotkey, owner units.AccountID) GenesisSharePool {
	denom := fixed.SafeFloatFromU64F64(fixed.U64F64FromUint64(161_986_254).SaturatingDiv(fixed.U64F64FromUint64(math.MaxUint64)))
	return GenesisSharePool{
		Hotkey: hotkey, NetUID: 1, TotalHotkeyAlpha: 36_711_495_953,
		TotalHotkeySharesV2: denom,
		AlphaV2:             []GenesisShare{{Coldkey: owner, Share: denom}},
	}
}

// spWithSharePool adds a share pool to b's configuration, its alpha to its
// subnet's SubnetAlphaOut, and builds the ledger.
func spWithSharePool(t *testing.T, b *Builder, sp GenesisSharePool) *Ledger {
	t.Helper()
	g := b.Genesis()
	g.SharePools = append(g.SharePools, sp)
	for i := range g.Subnets {
		if g.Subnets[i].NetUID == sp.NetUID {
			g.Subnets[i].Pool.AlphaOut += sp.TotalHotkeyAlpha
		}
	}
	l := mustLedger(t, g)
	checkInv(t, l)
	return l
}

// Port of test_add_stake_specific_stake_into_subnet_fail (tests/staking.rs):
// a new coldkey's stake on a hotkey whose pool has a tiny legacy
// denominator is the alpha the swap pays, within a thousandth.
func TestPortAddStakeSpecificStakeIntoSubnetFail(t *testing.T) {
	snOwner := u256(55453)
	hotkey, coldkey, hotkeyOwner := u256(533453), u256(55454), u256(533454)
	staked := units.TAO(200_000_000)
	b := spMock().Account(snOwner, 1).Account(hotkeyOwner, 11).Account(coldkey, staked+1_000_000_000).
		Hotkey(hotkey, hotkeyOwner).
		SubnetWith(spDyn(1, snOwner, snOwner, 2_409_892_148_947, 15_358_708_513_716))
	b.g.Delegates = append(b.g.Delegates, GenesisTake{Hotkey: hotkey, Take: 0})
	l := spWithSharePool(t, b, spSpecificPool(hotkey, hotkeyOwner))
	expected := spQuote(t, spPool(t, l, 1), amm.BuyOrder(staked)).Alpha
	if _, err := l.AddStake(coldkey, hotkey, 1, staked); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if expected == 0 {
		t.Fatal("expected alpha 0")
	}
	spWithin(t, "stake", l.Stake(hotkey, coldkey, 1).Rao(), expected.Rao(), expected.Rao()/1000)
}

// Port of test_remove_stake_below_min_stake (tests/staking.rs).
func TestPortRemoveStakeBelowMinStake(t *testing.T) {
	ownerCold, ownerHot := u256(1), u256(2)
	coldkey, hotkey := u256(4343), u256(4968585)
	amount := units.Alpha(DefaultMinStake.Rao() / 2)
	l := spBuild(t, spMock().Account(ownerCold, 1).Account(coldkey, 11).Hotkey(hotkey, coldkey).
		SubnetWith(spDyn(1, ownerCold, ownerHot, mockMinLock, units.Alpha(mockMinLock))).
		Stake(hotkey, coldkey, 1, amount))
	h := l.StateHash()
	_, err := l.RemoveStake(coldkey, hotkey, 1, amount-1)
	wantChainErr(t, err, ErrAmountTooLow)
	spNoop(t, l, h)
	if _, err := l.RemoveStake(coldkey, hotkey, 1, amount); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if s := l.Stake(hotkey, coldkey, 1); s != 0 {
		t.Errorf("stake left %d", s)
	}
}

// Port of test_add_stake_partial_below_min_stake_fails (tests/staking.rs):
// a limit 1 rao above the price lets too little through.
func TestPortAddStakePartialBelowMinStakeFails(t *testing.T) {
	ownerCold, ownerHot := u256(1), u256(2)
	coldkey, hotkey := u256(4343), u256(4968585)
	amount := DefaultMinStake * 2
	s := spDyn(1, ownerCold, ownerHot, amount*10, units.Alpha(amount.Rao()*10))
	s.Pool.Initialized = true
	l := spBuild(t, spMock().Account(ownerCold, 1).Account(coldkey, 11+amount+mockED).Hotkey(hotkey, coldkey).SubnetWith(s))
	before := spPriceOf(t, l, 1)
	if before.IsZero() {
		t.Fatal("zero price")
	}
	maxSpend := spPriceOf(t, l, 1).Rao() + 1
	h := l.StateHash()
	_, err := l.AddStakeLimit(coldkey, hotkey, 1, amount, amm.PriceFromRao(maxSpend), true)
	wantChainErr(t, err, ErrAmountTooLow)
	if after := spPriceOf(t, l, 1); after != before {
		t.Errorf("price %s -> %s", before, after)
	}
	spNoop(t, l, h)
}

// Port of test_remove_stake_ok_hotkey_does_not_belong_to_coldkey (tests/staking.rs).
func TestPortRemoveStakeHotkeyOfAnotherColdkey(t *testing.T) {
	coldkey, hotkey, other := u256(544), u256(54544), u256(99498)
	amount := units.Alpha(DefaultMinStake.Rao() * 10)
	l := spBuild(t, spMock().Account(coldkey, 1).
		SubnetWith(spDyn(1, coldkey, hotkey, mockMinLock, units.Alpha(mockMinLock))).
		Stake(hotkey, other, 1, amount))
	if _, err := l.RemoveStake(other, hotkey, 1, amount); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
}

// Port of test_remove_stake_total_balance_no_change (tests/staking.rs):
// fee rate 0; the stake's TAO at price 1 is added to SubnetTAO and
// TotalStake, as the Rust test does.
func TestPortRemoveStakeTotalBalanceNoChange(t *testing.T) {
	ownerCold, ownerHot := u256(1), u256(2)
	hotkey, coldkey := u256(571337), u256(71337)
	amount := DefaultMinStake.Rao() * 10
	s := spDyn(1, ownerCold, ownerHot, mockMinLock, units.Alpha(mockMinLock))
	s.Pool.FeeRate = 0
	price := spPoolPrice96(&s.Pool)
	amountTAO := units.TAO(fixed.U96F32FromUint64(amount).SaturatingMul(price).SaturatingToUint64())
	s.Pool.TAO += amountTAO
	l := spBuild(t, spMock().Account(ownerCold, 1).Account(coldkey, 11).Hotkey(hotkey, coldkey).
		SubnetWith(s).Stake(hotkey, coldkey, 1, units.Alpha(amount)))
	if l.TotalStake() != mockMinLock+amountTAO {
		t.Fatalf("TotalStake %d, want base %d + %d", l.TotalStake(), mockMinLock, amountTAO)
	}
	baseTotalStake := mockMinLock
	before := l.Balance(coldkey)
	if _, err := l.RemoveStake(coldkey, hotkey, 1, units.Alpha(amount)); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	after := l.Balance(coldkey)
	if after <= before {
		t.Fatalf("balance %d -> %d", before, after)
	}
	if after-before <= amountTAO/10*9 {
		t.Errorf("payout %d not above %d", after-before, amountTAO/10*9)
	}
	ts := l.TotalStake()
	spWithin(t, "TotalStake", ts.Rao(), baseTotalStake.Rao(), ts.Rao()/10_000_000)
	spWithin(t, "balance change", (after - before).Rao(), amountTAO.Rao(), amount/1000)
}

func spPoolPrice96(p *amm.Pool) fixed.U96F32 { return p.Price().U64F64().SaturatingToU96F32() }

// spLiquidityCase is the setup of the add_stake liquidity tests
// (tests/staking.rs): hotkey 2 of coldkey 3, which holds the stake, on a
// fresh network whose reserves are then set.
func spLiquidityCase(t *testing.T, tao units.TAO, alpha units.Alpha) {
	t.Helper()
	hotkey, coldkey := u256(2), u256(3)
	amount := DefaultMinStake * 10
	l := spBuild(t, spMock().Account(u256(1001), 1).Account(coldkey, amount).Hotkey(hotkey, coldkey).
		SubnetWith(spDyn(1, u256(1001), u256(1002), tao, alpha)))
	h := l.StateHash()
	_, err := l.AddStake(coldkey, hotkey, 1, amount)
	wantChainErr(t, err, ErrInsufficientLiquidity)
	spNoop(t, l, h)
}

// Port of test_add_stake_insufficient_liquidity (tests/staking.rs).
func TestPortAddStakeInsufficientLiquidity(t *testing.T) {
	spLiquidityCase(t, 99, 99)
}

// Port of test_add_stake_input_reserve_too_low_fails (tests/staking.rs).
func TestPortAddStakeInputReserveTooLowFails(t *testing.T) {
	spLiquidityCase(t, 99, 1_000_000_000)
}

// Port of test_add_stake_insufficient_liquidity_one_side_fail (tests/staking.rs).
func TestPortAddStakeInsufficientLiquidityOneSideFail(t *testing.T) {
	spLiquidityCase(t, 100, 99)
}

// Port of test_remove_stake_insufficient_liquidity (tests/staking.rs): the
// stake is bought on reserves of u64::MAX/1000, then the reserves are set
// to 99 (the remove fails) and to amount+1 TAO against alpha/1000+1 (it
// succeeds).
func TestPortRemoveStakeInsufficientLiquidity(t *testing.T) {
	hotkey, coldkey := u256(2), u256(3)
	owner, ownerHot := u256(1001), u256(1002)
	amount := DefaultMinStake * 10
	reserve := uint64(math.MaxUint64 / 1000)
	l1 := spBuild(t, spMock().Account(owner, 1).Account(coldkey, amount).Hotkey(hotkey, coldkey).
		SubnetWith(spDyn(1, owner, ownerHot, units.TAO(reserve), units.Alpha(reserve))))
	alpha := spStakeInto(t, l1, hotkey, coldkey, 1, amount, nil)
	rebuild := func(tao units.TAO, alphaIn units.Alpha) *Ledger {
		b := spMock().Account(owner, 1).Account(coldkey, l1.Balance(coldkey)).Hotkey(hotkey, coldkey).
			SubnetWith(spDyn(1, owner, ownerHot, tao, alphaIn)).Stake(hotkey, coldkey, 1, alpha)
		if fee := l1.Balance(u256(mockBlockBuilder)); fee != 0 {
			b.Account(u256(mockBlockBuilder), fee)
		}
		return spBuild(t, b)
	}
	l2 := rebuild(99, 99)
	h := l2.StateHash()
	_, err := l2.RemoveStake(coldkey, hotkey, 1, alpha)
	wantChainErr(t, err, ErrInsufficientLiquidity)
	spNoop(t, l2, h)
	l3 := rebuild(amount+1, alpha/1000+1)
	if _, err := l3.RemoveStake(coldkey, hotkey, 1, alpha); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l3)
}

// Port of test_remove_stake_total_issuance_no_change (tests/staking.rs).
func TestPortRemoveStakeTotalIssuanceNoChange(t *testing.T) {
	ownerCold, ownerHot := u256(1), u256(2)
	hotkey, coldkey := u256(581337), u256(81337)
	amount := DefaultMinStake * 10
	s := spDyn(1, ownerCold, ownerHot, amount*100, units.Alpha(amount.Rao()*100))
	s.Pool.FeeRate = 0
	l := spBuild(t, spMock().Account(ownerCold, 1).Account(coldkey, 11+amount).Hotkey(hotkey, coldkey).SubnetWith(s))
	balanceBefore := l.Balance(coldkey)
	issuanceBefore := l.TotalIssuance()
	baseTotalStake := l.TotalStake()
	if _, err := l.AddStake(coldkey, hotkey, 1, amount); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	spWithin(t, "issuance after stake", l.TotalIssuance().Rao(), issuanceBefore.Rao(), 1)
	stake := l.Stake(hotkey, coldkey, 1)
	if _, err := l.RemoveStake(coldkey, hotkey, 1, stake); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	fee := issuanceBefore.SaturatingSub(l.TotalIssuance())
	spWithin(t, "balance", l.Balance(coldkey).Rao(), balanceBefore.SaturatingSub(fee).Rao(), 50)
	if s := l.Stake(hotkey, coldkey, 1); s != 0 {
		t.Errorf("stake left %d", s)
	}
	spWithin(t, "TotalStake", l.TotalStake().Rao(), (baseTotalStake + fee).Rao(), 500)
}

// Port of test_remove_prev_epoch_stake (tests/staking.rs): a stake and
// unstake round trip costs the buy's TAO fee plus the sell's alpha fee,
// within a hundredth, whatever AlphaDividendsPerSubnet and
// TotalHotkeyAlphaLastEpoch hold (the cases' values of those, which the
// ledger does not store, no longer enter the fee at 14bc6f9f).
func TestPortRemovePrevEpochStake(t *testing.T) {
	for _, amount := range []units.TAO{DefaultMinStake * 10, 1_000_000_000, 100_000_000_000, 100_000_000_000, 100_000_000_000, 1_000_000_000} {
		ownerCold, ownerHot := u256(1), u256(2)
		hotkey, coldkey := u256(581337), u256(81337)
		l := spBuild(t, spMock().Account(ownerCold, 1).Account(coldkey, 11+amount).Hotkey(hotkey, coldkey).
			SubnetWith(spDyn(1, ownerCold, ownerHot, amount*10, units.Alpha(amount.Rao()*10))))
		before := l.Balance(coldkey)
		fee := spQuote(t, spPool(t, l, 1), amm.BuyOrder(amount)).TAOFee.Rao()
		if _, err := l.AddStake(coldkey, hotkey, 1, amount); err != nil {
			t.Fatal(err)
		}
		checkInv(t, l)
		stake := l.Stake(hotkey, coldkey, 1)
		fee += spQuote(t, spPool(t, l, 1), amm.SellOrder(stake)).AlphaFee.Rao()
		if _, err := l.RemoveStake(coldkey, hotkey, 1, stake); err != nil {
			t.Fatal(err)
		}
		checkInv(t, l)
		spWithin(t, "fee paid", (before - l.Balance(coldkey)).Rao(), fee, fee/100)
	}
}

// Port of test_get_coldkey_balance_no_balance (tests/staking.rs).
func TestPortGetColdkeyBalanceNoBalance(t *testing.T) {
	l := spBuild(t, spMock())
	if b := l.Balance(u256(5454)); b != 0 {
		t.Errorf("balance %d, want 0", b)
	}
}

// Port of test_get_coldkey_balance_with_balance (tests/staking.rs).
func TestPortGetColdkeyBalanceWithBalance(t *testing.T) {
	l := spBuild(t, spMock().Account(u256(5454), 1337))
	if b := l.Balance(u256(5454)); b != 1337 {
		t.Errorf("balance %d, want 1337", b)
	}
}

// Port of test_stake_overflow (tests/staking.rs): the whole TAO supply
// left staked at once on reserves of that size.
func TestPortStakeOverflow(t *testing.T) {
	owner, ownerHot := u256(1001), u256(1002)
	coldkey, hotkey := u256(435445), u256(54544)
	base := func(extra units.TAO, reserves units.TAO) *Builder {
		return spMock().Account(owner, 1).Account(coldkey, 11+extra).Hotkey(hotkey, coldkey).
			SubnetWith(spDyn(1, owner, ownerHot, reserves, units.Alpha(reserves.Rao())))
	}
	l0 := spBuild(t, base(0, mockMinLock))
	amount := units.TAO(21_000_000_000_000_000 - l0.TotalIssuance().Rao())
	l := spBuild(t, base(amount, amount))
	before := l.TotalStake()
	expected := spQuote(t, spPool(t, l, 1), amm.BuyOrder(amount)).Alpha
	if _, err := l.AddStake(coldkey, hotkey, 1, amount); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	spWithin(t, "hotkey stake", l.TotalHotkeyAlpha(hotkey, 1).Rao(), expected.Rao(), 1)
	spWithin(t, "TotalStake", l.TotalStake().Rao(), (before + amount).Rao(), 1)
}

// Ports of test_max_amount_add_root, test_max_amount_add_stable,
// test_max_amount_remove_root and test_max_amount_remove_stable
// (tests/staking.rs): get_max_amount_add and get_max_amount_remove on root
// and on a stable subnet (add_network).
func TestPortMaxAmountRootStable(t *testing.T) {
	l := spBuild(t, spMock().SubnetWith(GenesisSubnet{NetUID: 1, Pool: spStable()}))
	const max = math.MaxUint64
	addCases := []struct{ limit, want uint64 }{
		{0, 0}, {999_999_999, 0}, {1_000_000_000, max}, {1_000_000_001, max}, {2_000_000_000, max},
	}
	removeCases := []struct{ limit, want uint64 }{
		{0, max}, {500_000_000, max}, {999_999_999, max}, {1_000_000_000, max}, {1_000_000_001, 0}, {2_000_000_000, 0},
	}
	for _, netuid := range []units.NetUID{RootNetUID, 1} {
		for _, c := range addCases {
			got, err := l.maxAmountAdd(netuid, amm.PriceFromRao(c.limit))
			if err != nil || got.Rao() != c.want {
				t.Errorf("get_max_amount_add(%d, %d) = %d, %v; want %d", netuid, c.limit, got, err, c.want)
			}
		}
		for _, c := range removeCases {
			if netuid == 1 && c.limit == 500_000_000 {
				continue // test_max_amount_remove_stable has no 0.5 case
			}
			got, err := l.maxAmountRemove(netuid, amm.PriceFromRao(c.limit))
			if err != nil || got.Rao() != c.want {
				t.Errorf("get_max_amount_remove(%d, %d) = %d, %v; want %d", netuid, c.limit, got, err, c.want)
			}
		}
	}
}

// Port of test_remove_stake_limit_ok (tests/staking.rs): at a limit of 99%
// of the price after staking 300 TAO on 100/100 reserves, the partial
// sale takes 0.138% of the initial alpha reserve plus a 0.3% fee, within
// a tenth.
func TestPortRemoveStakeLimitOk(t *testing.T) {
	hotkey, coldkey := u256(533453), u256(55453)
	stake := units.TAO(300_000_000_000)
	alphaIn := units.Alpha(100_000_000_000)
	l := spBuild(t, spMock().Account(coldkey, 1+stake+mockED).
		SubnetWith(spDyn(1, coldkey, hotkey, 100_000_000_000, alphaIn)))
	if _, err := l.AddStake(coldkey, hotkey, 1, stake); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	alphaBefore := l.Stake(hotkey, coldkey, 1)
	limit := spPriceOf(t, l, 1).U64F64().SaturatingMulToUint64(990_000_000)
	expected := alphaIn.Rao() * 138 / 100_000
	fee := expected * 3 / 1000
	if _, err := l.RemoveStakeLimit(coldkey, hotkey, 1, alphaBefore/2, amm.PriceFromRao(limit), true); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	spWithin(t, "alpha reduction", (alphaBefore - l.Stake(hotkey, coldkey, 1)).Rao(), expected+fee, expected/10)
}

// spFeeFreeStaker is the setup of the 99.99% tests (tests/staking.rs): fee
// rate 0, hotkey 581337 registered to coldkey 81337, which stakes amount.
func spFeeFreeStaker(t *testing.T, amount units.TAO) (*Ledger, units.AccountID, units.AccountID) {
	t.Helper()
	ownerCold, ownerHot := u256(1), u256(2)
	hotkey, coldkey := u256(581337), u256(81337)
	s := spDyn(1, ownerCold, ownerHot, mockMinLock, units.Alpha(mockMinLock))
	s.Pool.FeeRate = 0
	l := spBuild(t, spMock().Account(ownerCold, 1).Account(coldkey, 11+amount).Hotkey(hotkey, coldkey).SubnetWith(s))
	return l, hotkey, coldkey
}

// Port of test_remove_99_9991_per_cent_stake_works_precisely (tests/staking.rs).
func TestPortRemove999991PerCentStakeWorksPrecisely(t *testing.T) {
	amount := units.TAO(10_000_000_000)
	l, hotkey, coldkey := spFeeFreeStaker(t, amount)
	if _, err := l.AddStake(coldkey, hotkey, 1, amount); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	alpha := l.Stake(hotkey, coldkey, 1)
	before := l.Balance(coldkey)
	remove := units.Alpha(fixed.U64F64FromUint64(alpha.Rao()).Mul(fixed.U64F64FromFloat64(0.999991)).SaturatingToUint64())
	expected := spQuote(t, spPool(t, l, 1), amm.SellOrder(remove)).TAO
	if _, err := l.RemoveStake(coldkey, hotkey, 1, remove); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	spWithin(t, "returned", l.Balance(coldkey).SaturatingSub(before).Rao(), expected.Rao(), 10)
	if l.TotalStakeForHotkey(hotkey) == 0 {
		t.Error("no stake left on the hotkey")
	}
	if got := l.Stake(hotkey, coldkey, 1); got != alpha-remove {
		t.Errorf("stake %d, want %d", got, alpha-remove)
	}
}

// Port of test_remove_99_9989_per_cent_stake_leaves_a_little
// (tests/staking.rs), which removes 99%. The Rust test's f64 products
// (amount·0.99, amount·0.01, alpha·0.01) are the integer quotients here,
// well within its tolerances.
func TestPortRemove999989PerCentStakeLeavesALittle(t *testing.T) {
	amount := units.TAO(10_000_000_000)
	l, hotkey, coldkey := spFeeFreeStaker(t, amount)
	fee := spQuote(t, spPool(t, l, 1), amm.BuyOrder(amount)).TAOFee.Rao()
	if _, err := l.AddStake(coldkey, hotkey, 1, amount); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	alpha := l.Stake(hotkey, coldkey, 1)
	fee += spQuote(t, spPool(t, l, 1), amm.SellOrder(alpha*99/100)).AlphaFee.Rao()
	remove := units.Alpha(fixed.U64F64FromUint64(alpha.Rao()).Mul(fixed.U64F64FromFloat64(0.99)).SaturatingToUint64())
	if _, err := l.RemoveStake(coldkey, hotkey, 1, remove); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	spWithin(t, "balance", l.Balance(coldkey).Rao(), amount.Rao()*99/100-fee, amount.Rao()/1000)
	spWithin(t, "hotkey stake", l.TotalStakeForHotkey(hotkey).Rao(), amount.Rao()/100, amount.Rao()/1000)
	spWithin(t, "stake", l.Stake(hotkey, coldkey, 1).Rao(), alpha.Rao()/100, 10)
}

// Port of test_unstake_all_hits_liquidity_min (tests/staking.rs): a sale
// that would leave the TAO reserve below the minimum is skipped.
func TestPortUnstakeAllHitsLiquidityMin(t *testing.T) {
	owner, ownerHot := u256(1001), u256(1002)
	coldkey, hotkey := u256(1), u256(2)
	stake := units.Alpha(190_000_000_000)
	l := spBuild(t, spMock().Account(owner, 1).Account(coldkey, 11).Hotkey(hotkey, coldkey).
		SubnetWith(spDyn(1, owner, ownerHot, 99, stake+10_000_000)).Stake(hotkey, coldkey, 1, stake))
	if _, err := l.UnstakeAll(coldkey, hotkey); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if got := l.Stake(hotkey, coldkey, 1); got != stake {
		t.Errorf("stake %d, want %d", got, stake)
	}
}

// spStakedThenReserves stakes tao with add_stake on a fresh network as
// hotkey 2 of coldkey 1 (tests/staking.rs, the unstake_all tests), then
// rebuilds the ledger with that stake and the reserves reserves returns
// for the alpha staked, plus the root subnet the chain always has.
func spStakedThenReserves(t *testing.T, tao units.TAO, reserves func(alpha units.Alpha) (units.TAO, units.Alpha)) (*Ledger, units.Alpha) {
	t.Helper()
	owner, ownerHot := u256(1001), u256(1002)
	coldkey, hotkey := u256(1), u256(2)
	l1 := spBuild(t, spMock().Account(owner, 1).Account(coldkey, 11+tao+mockED).Hotkey(hotkey, coldkey).
		SubnetWith(spDyn(1, owner, ownerHot, mockMinLock, units.Alpha(mockMinLock))))
	if _, err := l1.AddStake(coldkey, hotkey, 1, tao); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l1)
	alpha := l1.Stake(hotkey, coldkey, 1)
	rt, ra := reserves(alpha)
	b := spMock().SubnetWith(spRoot(0, 0)).Account(owner, 1).Account(coldkey, l1.Balance(coldkey)).Hotkey(hotkey, coldkey).
		SubnetWith(spDyn(1, owner, ownerHot, rt, ra)).Stake(hotkey, coldkey, 1, alpha)
	if fee := l1.Balance(u256(mockBlockBuilder)); fee != 0 {
		b.Account(u256(mockBlockBuilder), fee)
	}
	return spBuild(t, b), alpha
}

// Port of test_unstake_all_alpha_hits_liquidity_min (tests/staking.rs):
// the reserves are remaining·(reserve + alpha)/reserve/100 TAO (98 the
// remaining TAO, the alpha reserve the stake plus 10_000_000), integer
// quotients as the Rust test's I110F18 floors them.
func TestPortUnstakeAllAlphaHitsLiquidityMin(t *testing.T) {
	l, alpha := spStakedThenReserves(t, 100_000_000_000, func(a units.Alpha) (units.TAO, units.Alpha) {
		alphaRes := a.Rao() + 10_000_000
		k := 98 * (alphaRes + a.Rao())
		return units.TAO(k / alphaRes / 100), units.Alpha(alphaRes)
	})
	coldkey, hotkey := u256(1), u256(2)
	_, err := l.UnstakeAllAlpha(coldkey, hotkey)
	wantChainErr(t, err, ErrAmountTooLow)
	checkInv(t, l)
	if got := l.Stake(hotkey, coldkey, 1); got != alpha {
		t.Errorf("stake %d, want %d", got, alpha)
	}
}

// Port of test_unstake_all_alpha_works (tests/staking.rs).
func TestPortUnstakeAllAlphaWorks(t *testing.T) {
	stake := units.TAO(190_000_000_000)
	l, _ := spStakedThenReserves(t, stake, func(units.Alpha) (units.TAO, units.Alpha) {
		return stake * 10, units.Alpha(stake.Rao() * 100)
	})
	coldkey, hotkey := u256(1), u256(2)
	if _, err := l.UnstakeAllAlpha(coldkey, hotkey); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	spWithin(t, "alpha left", l.Stake(hotkey, coldkey, 1).Rao(), 0, 1_000)
	if root := l.Stake(hotkey, coldkey, RootNetUID); root <= 100_000 {
		t.Errorf("root stake %d, want > 100000", root)
	}
}

// Port of test_unstake_all_works (tests/staking.rs).
func TestPortUnstakeAllWorks(t *testing.T) {
	stake := units.TAO(190_000_000_000)
	l, _ := spStakedThenReserves(t, stake, func(units.Alpha) (units.TAO, units.Alpha) {
		return stake * 10, units.Alpha(stake.Rao() * 100)
	})
	coldkey, hotkey := u256(1), u256(2)
	if _, err := l.UnstakeAll(coldkey, hotkey); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	spWithin(t, "alpha left", l.Stake(hotkey, coldkey, 1).Rao(), 0, 1_000)
	if b := l.Balance(coldkey); b <= 100_000 {
		t.Errorf("balance %d, want > 100000", b)
	}
}

// spPriceTenth is the setup of the stake_into_subnet tests
// (tests/staking.rs): owner hotkey 1 of coldkey 2, reserves 100 TAO
// against 1000 alpha (price 0.1), the swap initialised, and coldkey 4
// holding balance.
func spPriceTenth(t *testing.T, balance units.TAO) *Ledger {
	t.Helper()
	s := spDyn(1, u256(2), u256(1), 100_000_000_000, 1_000_000_000_000)
	s.Pool.Initialized = true
	b := spMock().Account(u256(2), 1).Hotkey(u256(3), u256(4)).SubnetWith(s)
	if balance != 0 {
		b.Account(u256(4), balance)
	}
	return spBuild(t, b)
}

// Port of test_stake_into_subnet_ok (tests/staking.rs): the stake is
// amount·(1 − fee rate)/price within a thousandth, here in integers.
func TestPortStakeIntoSubnetOk(t *testing.T) {
	amount := units.TAO(100_000_000)
	large := units.TAO(20_000_000_000_000_000)
	l := spPriceTenth(t, large)
	pool := spPool(t, l, 1)
	limit := amm.PriceFromRao(large.Rao())
	spStakeInto(t, l, u256(3), u256(4), 1, amount, &limit)
	// amount·(65535 − FeeRate)/65535 ÷ 0.1
	expected := amount.Rao() * uint64(65535-pool.FeeRate) / 65535 * 10
	spWithin(t, "stake", l.Stake(u256(3), u256(4), 1).Rao(), expected, expected/1000)
}

// Port of test_stake_into_subnet_low_amount (tests/staking.rs): 10 rao buy
// 10·0.997/0.1 alpha within a hundredth.
func TestPortStakeIntoSubnetLowAmount(t *testing.T) {
	large := units.TAO(20_000_000_000_000_000)
	l := spPriceTenth(t, large)
	limit := amm.PriceFromRao(large.Rao())
	spStakeInto(t, l, u256(3), u256(4), 1, 10, &limit)
	// 10·0.997/0.1 = 99.7, the tolerance 0.997.
	got := l.Stake(u256(3), u256(4), 1).Rao()
	if got*1000 < 99_700-997 || got*1000 > 99_700+997 {
		t.Errorf("stake %d, want 99.7 ± 0.997", got)
	}
}

// Port of test_unstake_from_subnet_low_amount (tests/staking.rs).
func TestPortUnstakeFromSubnetLowAmount(t *testing.T) {
	large := units.TAO(20_000_000_000_000_000)
	l := spPriceTenth(t, large)
	limit := amm.PriceFromRao(large.Rao())
	spStakeInto(t, l, u256(3), u256(4), 1, 10, &limit)
	alpha := l.Stake(u256(3), u256(4), 1)
	zero := amm.PriceFromRao(0)
	j := l.begin()
	if _, err := l.unstakeFromSubnet(j, nil, u256(3), u256(4), 1, alpha, &zero, false); err != nil {
		j.rollback()
		t.Fatal(err)
	}
	j.commit()
	checkInv(t, l)
	if got := l.Stake(u256(3), u256(4), 1); got != 0 {
		t.Errorf("stake %d, want 0", got)
	}
}

// Port of test_stake_into_subnet_prohibitive_limit (tests/staking.rs).
func TestPortStakeIntoSubnetProhibitiveLimit(t *testing.T) {
	amount := units.TAO(100_000_000)
	l := spPriceTenth(t, amount)
	h := l.StateHash()
	_, err := l.AddStakeLimit(u256(4), u256(1), 1, amount, amm.PriceFromRao(0), true)
	wantChainErr(t, err, amm.ErrPriceLimitExceeded)
	spNoop(t, l, h)
	if s := l.Stake(u256(1), u256(4), 1); s != 0 {
		t.Errorf("stake %d", s)
	}
	if b := l.Balance(u256(4)); b != amount {
		t.Errorf("balance %d, want %d", b, amount)
	}
}

// Port of test_unstake_from_subnet_prohibitive_limit (tests/staking.rs).
func TestPortUnstakeFromSubnetProhibitiveLimit(t *testing.T) {
	amount := units.TAO(100_000_000)
	l := spPriceTenth(t, amount)
	max := amm.PriceFromRao(math.MaxUint64)
	spStakeInto(t, l, u256(1), u256(4), 1, amount, &max)
	before := l.Balance(u256(4))
	alpha := l.Stake(u256(1), u256(4), 1)
	h := l.StateHash()
	_, err := l.RemoveStakeLimit(u256(4), u256(1), 1, alpha, amm.PriceFromRao(math.MaxUint64), true)
	wantChainErr(t, err, amm.ErrPriceLimitExceeded)
	spNoop(t, l, h)
	if got := l.Stake(u256(1), u256(4), 1); got != alpha {
		t.Errorf("stake %d, want %d", got, alpha)
	}
	if got := l.Balance(u256(4)); got != before {
		t.Errorf("balance %d, want %d", got, before)
	}
}

// Port of test_unstake_full_amount (tests/staking.rs): the round trip
// returns amount·(1 − f)/(1 + f) within a ten-thousandth, f the fee rate.
func TestPortUnstakeFullAmount(t *testing.T) {
	amount := units.TAO(100_000_000)
	l := spPriceTenth(t, amount)
	max := amm.PriceFromRao(math.MaxUint64)
	spStakeInto(t, l, u256(1), u256(4), 1, amount, &max)
	before := l.Balance(u256(4))
	alpha := l.Stake(u256(1), u256(4), 1)
	if _, err := l.RemoveStake(u256(4), u256(1), 1, alpha); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if s := l.Stake(u256(1), u256(4), 1); s != 0 {
		t.Errorf("stake %d, want 0", s)
	}
	f := uint64(spPool(t, l, 1).FeeRate)
	expected := amount.Rao() * (65535 - f) / (65535 + f)
	spWithin(t, "balance increase", (l.Balance(u256(4)) - before).Rao(), expected, expected/10_000)
}

// Port of test_swap_fees_tao_correctness (tests/staking.rs): the TAO of the
// users, the pool and the block builder is conserved within 2 rao. The
// Rust test's limit, (price + 0.0101)·u64::MAX as a rao amount, binds
// nothing; here it is that price times u64::MAX/1e9 rao.
func TestPortSwapFeesTAOCorrectness(t *testing.T) {
	ownerHot, ownerCold, coldkey, builder := u256(1), u256(2), u256(4), u256(mockBlockBuilder)
	amount := units.TAO(1_000_000_000)
	ownerBefore, userBefore := amount*10, amount*100
	l := spBuild(t, spMock().Account(ownerCold, 1+ownerBefore).Account(coldkey, userBefore).
		SubnetWith(spDyn(1, ownerCold, ownerHot, 100_000_000_000, 400_000_000_000)))
	totalBefore := userBefore + ownerBefore + spPool(t, l, 1).TAO + l.Balance(builder)
	if _, err := l.AddStake(ownerCold, ownerHot, 1, amount); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	limitRao := fixed.SaturatingMulUint64(spPriceOf(t, l, 1).Rao()+100_000+10_000_000, math.MaxUint64/1_000_000_000)
	if _, err := l.AddStakeLimit(coldkey, ownerHot, 1, amount, amm.PriceFromRao(limitRao), true); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	userAlpha := l.Stake(ownerHot, coldkey, 1)
	if _, err := l.RemoveStake(coldkey, ownerHot, 1, userAlpha); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	totalAfter := l.Balance(coldkey) + l.Balance(ownerCold) + spPool(t, l, 1).TAO + l.Balance(builder)
	spWithin(t, "total TAO", totalAfter.Rao(), totalBefore.Rao(), 2)
}

// spFullLimit is the setup of the remove_stake_full_limit tests
// (tests/staking.rs): owner hotkey 1 of coldkey 2 holding 10 alpha on
// 100/100 reserves.
func spFullLimit(t *testing.T) *Ledger {
	t.Helper()
	return spBuild(t, spMock().Account(u256(2), 1).
		SubnetWith(spDyn(1, u256(2), u256(1), 100_000_000_000, 100_000_000_000)).
		Stake(u256(1), u256(2), 1, 10_000_000_000))
}

// Port of test_remove_stake_full_limit_ok (tests/staking.rs):
// remove_stake_full_limit with a limit is remove_stake_limit of the whole
// stake, fill or kill (do_remove_stake_full_limit, staking/remove_stake.rs).
func TestPortRemoveStakeFullLimitOk(t *testing.T) {
	l := spFullLimit(t)
	if _, err := l.RemoveStakeLimit(u256(2), u256(1), 1, l.Stake(u256(1), u256(2), 1), amm.PriceFromRao(90_000_000), false); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if s := l.Stake(u256(1), u256(2), 1); s != 0 {
		t.Errorf("stake %d, want 0", s)
	}
	spWithin(t, "balance", l.Balance(u256(2)).Rao(), 9_086_000_000, 1_000_000)
}

// Port of test_remove_stake_full_limit_fails_slippage_too_high (tests/staking.rs).
func TestPortRemoveStakeFullLimitFailsSlippageTooHigh(t *testing.T) {
	l := spFullLimit(t)
	h := l.StateHash()
	_, err := l.RemoveStakeLimit(u256(2), u256(1), 1, l.Stake(u256(1), u256(2), 1), amm.PriceFromRao(910_000_000), false)
	wantChainErr(t, err, ErrSlippageTooHigh)
	spNoop(t, l, h)
}

// Port of test_remove_stake_full_limit_ok_with_no_limit_price
// (tests/staking.rs): without a limit it is remove_stake of the whole stake.
func TestPortRemoveStakeFullLimitOkWithNoLimitPrice(t *testing.T) {
	l := spFullLimit(t)
	if _, err := l.RemoveStake(u256(2), u256(1), 1, l.Stake(u256(1), u256(2), 1)); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if s := l.Stake(u256(1), u256(2), 1); s != 0 {
		t.Errorf("stake %d, want 0", s)
	}
	spWithin(t, "balance", l.Balance(u256(2)).Rao(), 9_086_000_000, 1_000_000)
}

// Port of test_default_min_stake_sufficiency (tests/staking.rs): twice the
// minimum stake moves the price (compared as the U96F32 the Rust test
// reads) on 210_000 TAO reserves at price 0.01, and its fees are not zero.
func TestPortDefaultMinStakeSufficiency(t *testing.T) {
	ownerHot, ownerCold, coldkey := u256(1), u256(2), u256(4)
	amount := DefaultMinStake * 2
	l := spBuild(t, spMock().Account(ownerCold, 1+amount*10).Account(coldkey, amount*100).
		SubnetWith(spDyn(1, ownerCold, ownerHot, 210_000_000_000_000, 21_000_000_000_000_000)))
	feeRate := uint64(spPool(t, l, 1).FeeRate)
	priceBefore := spPrice96(t, l, 1)
	if _, err := l.AddStake(coldkey, ownerHot, 1, amount); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	feeStake := feeRate * amount.Rao() / 65535
	priceAfterStake := spPrice96(t, l, 1)
	userAlpha := l.Stake(ownerHot, coldkey, 1)
	if _, err := l.RemoveStake(coldkey, ownerHot, 1, userAlpha); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	feeUnstake := feeRate * userAlpha.Rao() / 65535
	priceAfterUnstake := spPrice96(t, l, 1)
	if feeStake == 0 || feeUnstake == 0 {
		t.Errorf("fees %d, %d", feeStake, feeUnstake)
	}
	if priceAfterStake.Cmp(priceBefore) <= 0 {
		t.Errorf("price after stake %v not above %v", priceAfterStake, priceBefore)
	}
	if priceAfterStake.Cmp(priceAfterUnstake) <= 0 {
		t.Errorf("price after stake %v not above after unstake %v", priceAfterStake, priceAfterUnstake)
	}
}

// Port of test_large_swap (tests/staking.rs): 100_000 TAO, exactly 1000
// times the TAO reserve, stakes.
func TestPortLargeSwap(t *testing.T) {
	ownerHot, ownerCold, coldkey := u256(1), u256(2), u256(100)
	swap := units.TAO(100_000_000_000_000)
	s := spDyn(1, ownerCold, ownerHot, swap/1000, 1_000_000_000_000_000)
	s.Pool.Initialized = true
	l := spBuild(t, spMock().Account(ownerCold, 1).Account(coldkey, 1_000_000_000_000_000).SubnetWith(s))
	if _, err := l.AddStake(coldkey, ownerHot, 1, swap); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
}

// Port of test_add_root_updates_counters (tests/staking.rs): staking on
// root moves 1:1 between SubnetTAO, SubnetAlphaIn and SubnetAlphaOut.
func TestPortAddRootUpdatesCounters(t *testing.T) {
	hotkey, coldkey := u256(561337), u256(61337)
	stake := units.TAO(1_000_000_000)
	l := spBuild(t, spMock().Account(coldkey, stake+mockED).Hotkey(hotkey, coldkey).
		SubnetWith(spRoot(0, units.Alpha(stake.Rao()))))
	if _, err := l.AddStake(coldkey, hotkey, RootNetUID, stake); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if got := l.TotalStakeForHotkey(hotkey); got != stake {
		t.Errorf("hotkey stake %d, want %d", got, stake)
	}
	if got := l.TotalStake(); got != stake {
		t.Errorf("TotalStake %d, want %d", got, stake)
	}
	p := spPool(t, l, RootNetUID)
	if p.TAO != stake || p.AlphaIn != 0 || p.AlphaOut != units.Alpha(stake.Rao()) {
		t.Errorf("root pool TAO %d, alpha in %d, out %d; want %d, 0, %d", p.TAO, p.AlphaIn, p.AlphaOut, stake, stake)
	}
}

// Port of test_remove_root_updates_counters (tests/staking.rs).
func TestPortRemoveRootUpdatesCounters(t *testing.T) {
	hotkey, coldkey := u256(561337), u256(61337)
	stake := units.TAO(1_000_000_000)
	l := spBuild(t, spMock().Account(coldkey, stake+mockED).Hotkey(hotkey, coldkey).
		SubnetWith(spRoot(stake, 0)).
		Stake(hotkey, coldkey, RootNetUID, units.Alpha(stake.Rao())))
	if l.TotalStake() != stake {
		t.Fatalf("TotalStake %d, want %d", l.TotalStake(), stake)
	}
	if _, err := l.RemoveStake(coldkey, hotkey, RootNetUID, units.Alpha(stake.Rao())); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if got := l.TotalStakeForHotkey(hotkey); got != 0 {
		t.Errorf("hotkey stake %d, want 0", got)
	}
	if got := l.TotalStake(); got != 0 {
		t.Errorf("TotalStake %d, want 0", got)
	}
	p := spPool(t, l, RootNetUID)
	if p.TAO != 0 || p.AlphaIn != units.Alpha(stake.Rao()) || p.AlphaOut != 0 {
		t.Errorf("root pool TAO %d, alpha in %d, out %d; want 0, %d, 0", p.TAO, p.AlphaIn, p.AlphaOut, stake)
	}
}

// Port of test_staking_records_flow (tests/staking.rs): the inflow is the
// TAO less the fee, within 1; after unstaking everything (the builder's
// alpha fee sold too) the flow is back to 0 within 1.
func TestPortStakingRecordsFlow(t *testing.T) {
	amount := units.TAO(100_000_000)
	large := units.TAO(20_000_000_000_000_000)
	l := spPriceTenth(t, large)
	limit := amm.PriceFromRao(large.Rao())
	spStakeInto(t, l, u256(3), u256(4), 1, amount, &limit)
	feeRate := uint64(spPool(t, l, 1).FeeRate)
	expected := int64(amount.Rao() * (65535 - feeRate) / 65535)
	s, _ := l.Subnet(1)
	if d := s.TaoFlow - expected; d < -1 || d > 1 {
		t.Errorf("inflow %d, want %d ± 1", s.TaoFlow, expected)
	}
	alpha := l.Stake(u256(3), u256(4), 1)
	zero := amm.PriceFromRao(0)
	j := l.begin()
	if _, err := l.unstakeFromSubnet(j, nil, u256(3), u256(4), 1, alpha, &zero, false); err != nil {
		j.rollback()
		t.Fatal(err)
	}
	j.commit()
	checkInv(t, l)
	s, _ = l.Subnet(1)
	if s.TaoFlow < -1 || s.TaoFlow > 1 {
		t.Errorf("flow after unstake %d, want 0 ± 1", s.TaoFlow)
	}
}

// ---------------------------------------------------------------------------
// tests/staking2.rs

// Port of test_stake_base_case (tests/staking2.rs): swap_tao_for_alpha, by
// way of stake_into_subnet, on netuid 1 with 10 TAO against 5 alpha and
// SubnetAlphaOut 5 alpha (held by no stake: AlphaBurned here).
func TestPortStakeBaseCase(t *testing.T) {
	hotkey, coldkey := u256(7), u256(8)
	tao := units.TAO(1_000_000_000)
	initTAO, initAlpha := units.TAO(10_000_000_000), units.Alpha(5_000_000_000)
	s := GenesisSubnet{NetUID: 1, Pool: mockPool(initTAO, initAlpha), AlphaBurned: initAlpha}
	l := spBuild(t, spMock().Account(coldkey, tao+mockED).Hotkey(hotkey, coldkey).SubnetWith(s))
	totalBefore := l.TotalStake()
	q := spQuote(t, spPool(t, l, 1), amm.BuyOrder(tao))
	got := spStakeInto(t, l, hotkey, coldkey, 1, tao, nil)
	if got != q.Alpha {
		t.Errorf("alpha %d, want %d", got, q.Alpha)
	}
	p := spPool(t, l, 1)
	if p.TAO != initTAO+tao-q.TAOFee {
		t.Errorf("SubnetTAO %d, want %d", p.TAO, initTAO+tao-q.TAOFee)
	}
	if p.AlphaIn != initAlpha-got {
		t.Errorf("SubnetAlphaIn %d, want %d", p.AlphaIn, initAlpha-got)
	}
	if p.AlphaOut != initAlpha+got {
		t.Errorf("SubnetAlphaOut %d, want %d", p.AlphaOut, initAlpha+got)
	}
	if l.TotalStake() != totalBefore+tao {
		t.Errorf("TotalStake %d, want %d", l.TotalStake(), totalBefore+tao)
	}
}

// ---------------------------------------------------------------------------
// tests/move_stake.rs

// spMoveNet is the move_stake.rs setup: networks 1 (and 2) added by owner
// coldkey/hotkey, the given hotkeys owned by their coldkeys, coldkey
// holding balance, then stake_into_subnet of stake TAO from coldkey to
// hotkey on netuid 1 (none when stake is 0).
type spMoveNet struct {
	owner, ownerHot units.AccountID
	nets            int
	reserve         units.TAO // 0: add_dynamic_network's own reserves
	coldkey, hotkey units.AccountID
	balance, stake  units.TAO
	hotkeys         []GenesisHotkey
}

func (m spMoveNet) build(t *testing.T) (*Ledger, units.Alpha) {
	t.Helper()
	b := spMock().Account(m.owner, 1)
	if m.balance != 0 {
		b.Account(m.coldkey, m.balance)
	}
	for _, h := range m.hotkeys {
		b.Hotkey(h.Hotkey, h.Coldkey)
	}
	for i := range m.nets {
		r := mockMinLock
		if i == 1 {
			r = spNet2Reserve
		}
		if m.reserve != 0 {
			r = m.reserve
		}
		b.SubnetWith(spDyn(units.NetUID(i+1), m.owner, m.ownerHot, r, units.Alpha(r.Rao())))
	}
	l := spBuild(t, b)
	if m.stake == 0 {
		return l, 0
	}
	return l, spStakeInto(t, l, m.hotkey, m.coldkey, 1, m.stake, nil)
}

// Port of test_do_move_nonexistent_destination_hotkey (tests/move_stake.rs).
func TestPortDoMoveNonexistentDestinationHotkey(t *testing.T) {
	coldkey, origin, dest := u256(1), u256(2), u256(99)
	l, alpha := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 1, reserve: 1_000_000_000,
		coldkey: coldkey, hotkey: origin, balance: 1_000_000, stake: 1_000_000,
		hotkeys: []GenesisHotkey{{origin, coldkey}}}.build(t)
	h := l.StateHash()
	_, err := l.MoveStake(coldkey, origin, dest, 1, 1, alpha)
	wantChainErr(t, err, ErrHotKeyAccountNotExists)
	spNoop(t, l, h)
	if l.Stake(origin, coldkey, 1) != alpha || l.Stake(dest, coldkey, 1) != 0 {
		t.Fatal("stake moved")
	}
}

// Port of test_do_move_partial_stake (tests/move_stake.rs): tenths 1..10
// of the stake move within the subnet.
func TestPortDoMovePartialStake(t *testing.T) {
	coldkey, origin, dest := u256(1), u256(2), u256(3)
	total := DefaultMinStake * 20
	for portion := uint64(1); portion <= 10; portion++ {
		l, _ := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 1, coldkey: coldkey, hotkey: origin,
			balance: total, stake: total, hotkeys: []GenesisHotkey{{origin, coldkey}, {dest, coldkey}}}.build(t)
		alpha := l.Stake(origin, coldkey, 1)
		moved := units.Alpha(alpha.Rao() * portion / 10)
		if _, err := l.MoveStake(coldkey, origin, dest, 1, 1, moved); err != nil {
			t.Fatalf("portion %d/10: %v", portion, err)
		}
		checkInv(t, l)
		spWithin(t, "origin stake", l.Stake(origin, coldkey, 1).Rao(), (alpha - moved).Rao(), 10)
		spWithin(t, "destination stake", l.Stake(dest, coldkey, 1).Rao(), moved.Rao(), 10_000)
	}
}

// Port of test_do_move_multiple_times (tests/move_stake.rs).
func TestPortDoMoveMultipleTimes(t *testing.T) {
	coldkey, hk1, hk2 := u256(1), u256(2), u256(3)
	l, _ := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 1, coldkey: coldkey, hotkey: hk1,
		balance: DefaultMinStake * 10, stake: DefaultMinStake * 10,
		hotkeys: []GenesisHotkey{{hk1, coldkey}, {hk2, coldkey}}}.build(t)
	expected := l.Stake(hk1, coldkey, 1)
	for range 3 {
		if _, err := l.MoveStake(coldkey, hk1, hk2, 1, 1, l.Stake(hk1, coldkey, 1)); err != nil {
			t.Fatal(err)
		}
		checkInv(t, l)
		if _, err := l.MoveStake(coldkey, hk2, hk1, 1, 1, l.Stake(hk2, coldkey, 1)); err != nil {
			t.Fatal(err)
		}
		checkInv(t, l)
	}
	spWithin(t, "hotkey1 stake", l.Stake(hk1, coldkey, 1).Rao(), expected.Rao(), expected.Rao()/1000)
	if s := l.Stake(hk2, coldkey, 1); s != 0 {
		t.Errorf("hotkey2 stake %d, want 0", s)
	}
}

// Port of test_do_move_wrong_origin (tests/move_stake.rs): another coldkey
// holds no stake, so the capped amount 0 is AmountTooLow.
func TestPortDoMoveWrongOrigin(t *testing.T) {
	coldkey, wrong, origin, dest := u256(1), u256(99), u256(2), u256(3)
	stake := DefaultMinStake * 10
	l, alpha := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 1, reserve: stake * 1000,
		coldkey: coldkey, hotkey: origin, balance: stake, stake: stake,
		hotkeys: []GenesisHotkey{{origin, coldkey}, {dest, coldkey}}}.build(t)
	h := l.StateHash()
	_, err := l.MoveStake(wrong, origin, dest, 1, 1, alpha)
	wantChainErr(t, err, ErrAmountTooLow)
	spNoop(t, l, h)
	if l.Stake(origin, coldkey, 1) != alpha || l.Stake(dest, coldkey, 1) != 0 {
		t.Fatal("stake moved")
	}
}

// Port of test_do_move_event_emission (tests/move_stake.rs): the StakeMoved
// amount, which MoveStake returns, is the alpha's value at the price,
// U96F32(price)·U96F32(alpha) floored.
func TestPortDoMoveEventEmission(t *testing.T) {
	coldkey, origin, dest := u256(1), u256(2), u256(3)
	l, alpha := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 1, coldkey: coldkey, hotkey: origin,
		balance: DefaultMinStake * 10, stake: DefaultMinStake * 10,
		hotkeys: []GenesisHotkey{{origin, coldkey}, {dest, coldkey}}}.build(t)
	want := spPrice96(t, l, 1).SaturatingMul(fixed.U96F32FromUint64(alpha.Rao())).SaturatingToUint64()
	got, err := l.MoveStake(coldkey, origin, dest, 1, 1, alpha)
	if err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if got.Rao() != want {
		t.Errorf("StakeMoved TAO %d, want %d", got, want)
	}
}

// spCrossExpect is the Rust tests' expectation of a cross-subnet move:
// swap_alpha_to_tao_ext(origin, alpha, drop_fees = true), then
// swap_tao_to_alpha(destination) with its fee.
func spCrossExpect(t *testing.T, l *Ledger, origin, dest units.NetUID, alpha units.Alpha) units.Alpha {
	t.Helper()
	tao := spQuote(t, spPool(t, l, origin), amm.SellOrder(alpha).WithoutFees()).TAO
	return spQuote(t, spPool(t, l, dest), amm.BuyOrder(tao)).Alpha
}

// Port of test_do_move_storage_updates (tests/move_stake.rs).
func TestPortDoMoveStorageUpdates(t *testing.T) {
	coldkey, origin, dest := u256(1), u256(2), u256(3)
	l, alpha := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 2, coldkey: coldkey, hotkey: origin,
		balance: DefaultMinStake * 10, stake: DefaultMinStake * 10,
		hotkeys: []GenesisHotkey{{origin, coldkey}, {dest, coldkey}}}.build(t)
	want := spCrossExpect(t, l, 1, 2, alpha)
	if _, err := l.MoveStake(coldkey, origin, dest, 1, 2, alpha); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if s := l.Stake(origin, coldkey, 1); s != 0 {
		t.Errorf("origin stake %d", s)
	}
	spWithin(t, "destination stake", l.Stake(dest, coldkey, 2).Rao(), want.Rao(), 50)
}

// Port of test_move_full_amount_same_netuid (tests/move_stake.rs).
func TestPortMoveFullAmountSameNetuid(t *testing.T) {
	coldkey, origin, dest := u256(1), u256(2), u256(3)
	l, alpha := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 1, coldkey: coldkey, hotkey: origin,
		balance: DefaultMinStake * 10, stake: DefaultMinStake * 10,
		hotkeys: []GenesisHotkey{{origin, coldkey}, {dest, coldkey}}}.build(t)
	if _, err := l.MoveStake(coldkey, origin, dest, 1, 1, alpha); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if l.Stake(origin, coldkey, 1) != 0 || l.Stake(dest, coldkey, 1) != alpha {
		t.Errorf("stakes %d, %d; want 0, %d", l.Stake(origin, coldkey, 1), l.Stake(dest, coldkey, 1), alpha)
	}
}

// Port of test_do_move_max_values (tests/move_stake.rs).
func TestPortDoMoveMaxValues(t *testing.T) {
	coldkey, origin, dest := u256(1), u256(2), u256(3)
	max := units.TAO(20_000_000_000_000_000)
	l, alpha := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 1, reserve: max / 1000,
		coldkey: coldkey, hotkey: origin, balance: max, stake: max,
		hotkeys: []GenesisHotkey{{origin, coldkey}, {dest, coldkey}}}.build(t)
	if _, err := l.MoveStake(coldkey, origin, dest, 1, 1, alpha); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if l.Stake(origin, coldkey, 1) != 0 || l.Stake(dest, coldkey, 1) != alpha {
		t.Errorf("stakes %d, %d; want 0, %d", l.Stake(origin, coldkey, 1), l.Stake(dest, coldkey, 1), alpha)
	}
}

// Port of test_moving_too_little_unstakes (tests/move_stake.rs).
func TestPortMovingTooLittleUnstakes(t *testing.T) {
	hotkey, coldkey := u256(533453), u256(55453)
	amount := DefaultMinStake
	l, _ := spMoveNet{owner: coldkey, ownerHot: hotkey, nets: 2}.build(t)
	fee := spQuote(t, spPool(t, l, 1), amm.BuyOrder(amount)).TAOFee
	l = spBuild(t, spMock().Account(coldkey, 1+amount+fee*2).
		SubnetWith(spDyn(1, coldkey, hotkey, mockMinLock, units.Alpha(mockMinLock))).
		SubnetWith(spDyn(2, coldkey, hotkey, spNet2Reserve, units.Alpha(spNet2Reserve))))
	if _, err := l.AddStake(coldkey, hotkey, 1, amount+fee*2); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	_, err := l.MoveStake(coldkey, hotkey, hotkey, 1, 2, 1)
	wantChainErr(t, err, ErrAmountTooLow)
	checkInv(t, l)
}

// Port of test_do_transfer_nonexistent_subnet (tests/move_stake.rs).
func TestPortDoTransferNonexistentSubnet(t *testing.T) {
	l := spBuild(t, spMock())
	h := l.StateHash()
	_, err := l.TransferStake(u256(1), u256(2), u256(3), 9999, 9999, units.Alpha(DefaultMinStake.Rao()*5))
	wantChainErr(t, err, ErrSubnetNotExists)
	spNoop(t, l, h)
}

// Port of test_do_transfer_nonexistent_hotkey (tests/move_stake.rs).
func TestPortDoTransferNonexistentHotkey(t *testing.T) {
	l, _ := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 1}.build(t)
	h := l.StateHash()
	_, err := l.TransferStake(u256(1), u256(2), u256(999), 1, 1, 100)
	wantChainErr(t, err, ErrHotKeyAccountNotExists)
	spNoop(t, l, h)
}

// Port of test_do_transfer_insufficient_stake (tests/move_stake.rs): an
// amount above the stake is capped to it.
func TestPortDoTransferInsufficientStake(t *testing.T) {
	origin, dest, hotkey := u256(1), u256(2), u256(3)
	stake := DefaultMinStake * 10
	l, _ := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 1, coldkey: origin, hotkey: hotkey,
		balance: stake, stake: stake, hotkeys: []GenesisHotkey{{hotkey, origin}}}.build(t)
	if _, err := l.TransferStake(origin, dest, hotkey, 1, 1, units.Alpha(stake.Rao()*2)); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
}

// Port of test_do_transfer_wrong_origin (tests/move_stake.rs).
func TestPortDoTransferWrongOrigin(t *testing.T) {
	origin, wrong, dest, hotkey := u256(1), u256(9999), u256(2), u256(3)
	stake := DefaultMinStake * 10
	l, _ := spMoveNet{owner: u256(1010), ownerHot: u256(1011), nets: 1, coldkey: origin, hotkey: hotkey,
		balance: stake, stake: stake, hotkeys: []GenesisHotkey{{hotkey, origin}}}.build(t)
	h := l.StateHash()
	_, err := l.TransferStake(wrong, dest, hotkey, 1, 1, units.Alpha(stake.Rao()))
	wantChainErr(t, err, ErrAmountTooLow)
	spNoop(t, l, h)
}

// Port of test_do_transfer_minimum_stake_check (tests/move_stake.rs).
func TestPortDoTransferMinimumStakeCheck(t *testing.T) {
	origin, dest, hotkey := u256(1), u256(2), u256(3)
	l, _ := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 1, coldkey: origin, hotkey: hotkey,
		balance: DefaultMinStake, stake: DefaultMinStake, hotkeys: []GenesisHotkey{{hotkey, origin}}}.build(t)
	_, err := l.TransferStake(origin, dest, hotkey, 1, 1, 1)
	wantChainErr(t, err, ErrAmountTooLow)
	checkInv(t, l)
}

// Port of test_do_transfer_different_subnets (tests/move_stake.rs).
func TestPortDoTransferDifferentSubnets(t *testing.T) {
	origin, dest, hotkey := u256(1), u256(2), u256(3)
	l, alpha := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 2, coldkey: origin, hotkey: hotkey,
		balance: 1_000_000_000, stake: DefaultMinStake * 10,
		hotkeys: []GenesisHotkey{{hotkey, origin}}}.build(t)
	want := spCrossExpect(t, l, 1, 2, alpha)
	if _, err := l.TransferStake(origin, dest, hotkey, 1, 2, alpha); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if s := l.Stake(hotkey, origin, 1); s != 0 {
		t.Errorf("origin stake %d", s)
	}
	spWithin(t, "destination stake", l.Stake(hotkey, dest, 2).Rao(), want.Rao(), 1000)
}

// Port of test_do_swap_nonexistent_subnet (tests/move_stake.rs).
func TestPortDoSwapNonexistentSubnet(t *testing.T) {
	l := spBuild(t, spMock().Hotkey(u256(2), u256(1)))
	h := l.StateHash()
	_, err := l.SwapStake(u256(1), u256(2), 9998, 9999, 1_000_000)
	wantChainErr(t, err, ErrSubnetNotExists)
	spNoop(t, l, h)
}

// Port of test_do_swap_nonexistent_hotkey (tests/move_stake.rs).
func TestPortDoSwapNonexistentHotkey(t *testing.T) {
	l, _ := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 2}.build(t)
	h := l.StateHash()
	_, err := l.SwapStake(u256(1), u256(999), 1, 2, 10_000)
	wantChainErr(t, err, ErrHotKeyAccountNotExists)
	spNoop(t, l, h)
}

// Port of test_do_swap_insufficient_stake (tests/move_stake.rs): the
// amount is capped at the stake.
func TestPortDoSwapInsufficientStake(t *testing.T) {
	coldkey, hotkey := u256(1), u256(2)
	stake := DefaultMinStake * 5
	l, _ := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 2, coldkey: coldkey, hotkey: hotkey,
		balance: stake, stake: stake, hotkeys: []GenesisHotkey{{hotkey, coldkey}}}.build(t)
	if _, err := l.SwapStake(coldkey, hotkey, 1, 2, units.Alpha(stake.Rao()*2)); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
}

// Port of test_do_swap_wrong_origin (tests/move_stake.rs).
func TestPortDoSwapWrongOrigin(t *testing.T) {
	real, wrong, hotkey := u256(1), u256(9999), u256(3)
	l, _ := spMoveNet{owner: u256(1010), ownerHot: u256(1011), nets: 2, coldkey: real, hotkey: hotkey,
		balance: 100_000, stake: 100_000, hotkeys: []GenesisHotkey{{hotkey, real}}}.build(t)
	h := l.StateHash()
	_, err := l.SwapStake(wrong, hotkey, 1, 2, 100_000)
	wantChainErr(t, err, ErrAmountTooLow)
	spNoop(t, l, h)
}

// Port of test_do_swap_minimum_stake_check (tests/move_stake.rs).
func TestPortDoSwapMinimumStakeCheck(t *testing.T) {
	coldkey, hotkey := u256(1), u256(3)
	l, _ := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 2, coldkey: coldkey, hotkey: hotkey,
		balance: DefaultMinStake, stake: DefaultMinStake, hotkeys: []GenesisHotkey{{hotkey, coldkey}}}.build(t)
	_, err := l.SwapStake(coldkey, hotkey, 1, 2, 1)
	wantChainErr(t, err, ErrAmountTooLow)
	checkInv(t, l)
}

// Port of test_do_swap_partial_stake (tests/move_stake.rs).
func TestPortDoSwapPartialStake(t *testing.T) {
	coldkey, hotkey := u256(1), u256(2)
	stake := DefaultMinStake * 10
	l, alpha := spMoveNet{owner: u256(1100), ownerHot: u256(1101), nets: 2, coldkey: coldkey, hotkey: hotkey,
		balance: stake, stake: stake, hotkeys: []GenesisHotkey{{hotkey, coldkey}}}.build(t)
	swap := alpha / 2
	want := spCrossExpect(t, l, 1, 2, swap)
	if _, err := l.SwapStake(coldkey, hotkey, 1, 2, swap); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	spWithin(t, "destination stake", l.Stake(hotkey, coldkey, 2).Rao(), want.Rao(), 1000)
}

// Port of test_do_swap_storage_updates (tests/move_stake.rs).
func TestPortDoSwapStorageUpdates(t *testing.T) {
	coldkey, hotkey := u256(1), u256(2)
	stake := DefaultMinStake * 10
	l, alpha := spMoveNet{owner: u256(1300), ownerHot: u256(1301), nets: 2, coldkey: coldkey, hotkey: hotkey,
		balance: stake, stake: stake, hotkeys: []GenesisHotkey{{hotkey, coldkey}}}.build(t)
	want := spCrossExpect(t, l, 1, 2, alpha)
	if _, err := l.SwapStake(coldkey, hotkey, 1, 2, alpha); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if s := l.Stake(hotkey, coldkey, 1); s != 0 {
		t.Errorf("origin stake %d", s)
	}
	spWithin(t, "destination stake", l.Stake(hotkey, coldkey, 2).Rao(), want.Rao(), 1000)
}

// Port of test_do_swap_multiple_times (tests/move_stake.rs).
func TestPortDoSwapMultipleTimes(t *testing.T) {
	coldkey, hotkey := u256(1), u256(2)
	stake := DefaultMinStake * 10
	l, _ := spMoveNet{owner: u256(1500), ownerHot: u256(1501), nets: 2, coldkey: coldkey, hotkey: hotkey,
		balance: stake, stake: stake, hotkeys: []GenesisHotkey{{hotkey, coldkey}}}.build(t)
	var want units.Alpha
	for range 3 {
		if a1 := l.Stake(hotkey, coldkey, 1); a1 != 0 {
			if _, err := l.SwapStake(coldkey, hotkey, 1, 2, a1); err != nil {
				t.Fatal(err)
			}
			checkInv(t, l)
		}
		if a2 := l.Stake(hotkey, coldkey, 2); a2 != 0 {
			want = spCrossExpect(t, l, 2, 1, a2)
			if _, err := l.SwapStake(coldkey, hotkey, 2, 1, a2); err != nil {
				t.Fatal(err)
			}
			checkInv(t, l)
		}
	}
	spWithin(t, "netuid 1 stake", l.Stake(hotkey, coldkey, 1).Rao(), want.Rao(), 1000)
	if s := l.Stake(hotkey, coldkey, 2); s != 0 {
		t.Errorf("netuid 2 stake %d", s)
	}
}

// Port of test_do_swap_allows_non_owned_hotkey (tests/move_stake.rs).
func TestPortDoSwapAllowsNonOwnedHotkey(t *testing.T) {
	coldkey, hotkey, foreign := u256(1), u256(2), u256(3)
	stake := DefaultMinStake * 10
	l, alpha := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 2, coldkey: coldkey, hotkey: hotkey,
		balance: stake, stake: stake, hotkeys: []GenesisHotkey{{hotkey, foreign}}}.build(t)
	if _, err := l.SwapStake(coldkey, hotkey, 1, 2, alpha); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
}

// Port of test_move_stake_specific_stake_into_subnet_fail
// (tests/move_stake.rs): the stake bought on netuid 2 moves to netuid 1,
// where the hotkey's pool has a tiny legacy denominator, and is what the
// fee-free sale's TAO buys there, within 1000.
func TestPortMoveStakeSpecificStakeIntoSubnetFail(t *testing.T) {
	snOwner := u256(55453)
	hotkey, coldkey, hotkeyOwner := u256(533453), u256(55454), u256(533454)
	staked := units.TAO(200_000_000)
	tao, alpha := units.TAO(2_409_892_148_947), units.Alpha(15_358_708_513_716)
	b := spMock().Account(snOwner, 1).Account(hotkeyOwner, 11).Account(coldkey, staked+1_000_000_000).
		Hotkey(hotkey, hotkeyOwner).
		SubnetWith(spDyn(1, snOwner, snOwner, tao, alpha)).
		SubnetWith(spDyn(2, snOwner, snOwner, tao+10_000_000, alpha+10_000_000))
	b.g.Delegates = append(b.g.Delegates, GenesisTake{Hotkey: hotkey, Take: 0})
	l := spWithSharePool(t, b, spSpecificPool(hotkey, hotkeyOwner))
	if _, err := l.AddStake(coldkey, hotkey, 2, staked); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	move := l.Stake(hotkey, coldkey, 2)
	want := spCrossExpect(t, l, 2, 1, move)
	if _, err := l.MoveStake(coldkey, hotkey, hotkey, 2, 1, move); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if s := l.Stake(hotkey, coldkey, 2); s != 0 {
		t.Errorf("origin stake %d", s)
	}
	spWithin(t, "destination stake", l.Stake(hotkey, coldkey, 1).Rao(), want.Rao(), 1000)
}

// Port of test_transfer_stake_same_netuid_not_rate_limited (tests/move_stake.rs).
func TestPortTransferStakeSameNetuidNotRateLimited(t *testing.T) {
	origin, dest, hotkey := u256(1), u256(2), u256(3)
	stake := DefaultMinStake * 10
	l, alpha := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 1, coldkey: origin, hotkey: hotkey,
		balance: stake, stake: stake, hotkeys: []GenesisHotkey{{hotkey, origin}}}.build(t)
	if _, err := l.TransferStake(origin, dest, hotkey, 1, 1, alpha); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if l.Stake(hotkey, origin, 1) != 0 || l.Stake(hotkey, dest, 1) == 0 {
		t.Errorf("stakes %d, %d", l.Stake(hotkey, origin, 1), l.Stake(hotkey, dest, 1))
	}
}

// Port of test_transfer_stake_doesnt_limit_destination_coldkey (tests/move_stake.rs).
func TestPortTransferStakeDoesntLimitDestinationColdkey(t *testing.T) {
	origin, dest, hotkey := u256(1), u256(2), u256(3)
	stake := DefaultMinStake * 10
	l, alpha := spMoveNet{owner: u256(1001), ownerHot: u256(1002), nets: 2, coldkey: origin, hotkey: hotkey,
		balance: stake, stake: stake, hotkeys: []GenesisHotkey{{hotkey, origin}}}.build(t)
	if _, err := l.TransferStake(origin, dest, hotkey, 1, 2, alpha); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
}
