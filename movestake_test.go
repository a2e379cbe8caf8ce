package dtao

import (
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// moveNetwork is the mock's setup for tests/move_stake.rs: fresh dynamic
// networks (add_dynamic_network: the minimum lock at price 1) owned by
// U256(1001)/U256(1002), hotkeys 2 and 3 owned by coldkey 1, and coldkey 1
// holding stake TAO, staked on origin with stake_into_subnet.
func moveNetwork(t *testing.T, stake units.TAO, netuids ...units.NetUID) (*Ledger, units.Alpha) {
	t.Helper()
	owner, ownerHot := u256(1001), u256(1002)
	g := GenesisConfig{
		ExistentialDeposit: mockED,
		Accounts:           []GenesisAccount{{u256(1), stake}},
		Hotkeys:            []GenesisHotkey{{u256(2), u256(1)}, {u256(3), u256(1)}},
	}
	for _, n := range netuids {
		g.Subnets = append(g.Subnets, GenesisSubnet{NetUID: n, Owner: owner, OwnerHotkey: ownerHot, Locked: mockED,
			Pool: mockPool(mockMinLock, units.Alpha(mockMinLock))})
	}
	l := mustLedger(t, g)
	j := l.begin()
	alpha, err := l.stakeIntoSubnet(j, nil, u256(2), u256(1), netuids[0], stake, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	j.commit()
	return l, alpha
}

func checkInv(t *testing.T, l *Ledger) {
	t.Helper()
	if err := l.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// Port of test_do_move_success (tests/move_stake.rs): within one subnet
// the whole stake moves to the other hotkey, without a swap.
func TestPortDoMoveSuccess(t *testing.T) {
	l, alpha := moveNetwork(t, DefaultMinStake*10, 1)
	coldkey, from, to := u256(1), u256(2), u256(3)
	poolBefore, _ := l.Pool(1)
	if _, err := l.MoveStake(coldkey, from, to, 1, 1, alpha); err != nil {
		t.Fatal(err)
	}
	if got := l.Stake(from, coldkey, 1); got != 0 {
		t.Errorf("origin stake %d, want 0", got)
	}
	if got := l.Stake(to, coldkey, 1).Rao(); absDiff(got, alpha.Rao()) > alpha.Rao()/1000 {
		t.Errorf("destination stake %d, want %d ± %d", got, alpha, alpha.Rao()/1000)
	}
	if pool, _ := l.Pool(1); pool != poolBefore {
		t.Errorf("pool changed by a same-subnet move: %+v -> %+v", poolBefore, pool)
	}
	checkInv(t, l)
}

// Port of test_do_move_different_subnets (tests/move_stake.rs): reserves
// of 100 times the stake on both subnets; the destination stake is alpha
// less the fee, within alpha/1000.
func TestPortDoMoveDifferentSubnets(t *testing.T) {
	stake := DefaultMinStake * 10
	owner, ownerHot := u256(1001), u256(1002)
	reserve := mockPool(stake*100, units.Alpha(stake.Rao()*100))
	l := mustLedger(t, GenesisConfig{
		ExistentialDeposit: mockED,
		Accounts:           []GenesisAccount{{u256(1), stake}},
		Hotkeys:            []GenesisHotkey{{u256(2), u256(1)}, {u256(3), u256(1)}},
		Subnets: []GenesisSubnet{
			{NetUID: 1, Owner: owner, OwnerHotkey: ownerHot, Locked: mockED, Pool: reserve},
			{NetUID: 2, Owner: owner, OwnerHotkey: ownerHot, Locked: mockED, Pool: reserve},
		},
	})
	j := l.begin()
	alpha, err := l.stakeIntoSubnet(j, nil, u256(2), u256(1), 1, stake, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	j.commit()
	if _, err := l.MoveStake(u256(1), u256(2), u256(3), 1, 2, alpha); err != nil {
		t.Fatal(err)
	}
	if got := l.Stake(u256(2), u256(1), 1); got != 0 {
		t.Errorf("origin stake %d, want 0", got)
	}
	dest, _ := l.Pool(2)
	fee := amm.ApproxFee(&dest, units.TAO(alpha.Rao()))
	want := alpha.Rao() - fee.Rao()
	if got := l.Stake(u256(3), u256(1), 2).Rao(); absDiff(got, want) > alpha.Rao()/1000 {
		t.Errorf("destination stake %d, want %d ± %d", got, want, alpha.Rao()/1000)
	}
	checkInv(t, l)
}

// Port of test_do_move_nonexistent_subnet (tests/move_stake.rs).
func TestPortDoMoveNonexistentSubnet(t *testing.T) {
	l, alpha := moveNetwork(t, 1_000_000, 1)
	h := l.StateHash()
	_, err := l.MoveStake(u256(1), u256(2), u256(3), 1, 99, alpha)
	wantChainErr(t, err, ErrSubnetNotExists)
	if l.Stake(u256(2), u256(1), 1) != alpha || l.StateHash() != h {
		t.Fatal("failed move changed the state")
	}
}

// Port of test_do_move_nonexistent_origin_hotkey (tests/move_stake.rs).
func TestPortDoMoveNonexistentOriginHotkey(t *testing.T) {
	l, _ := moveNetwork(t, DefaultMinStake*10, 1)
	h := l.StateHash()
	_, err := l.MoveStake(u256(1), u256(99), u256(3), 1, 1, 123)
	wantChainErr(t, err, ErrHotKeyAccountNotExists)
	if l.StateHash() != h {
		t.Fatal("failed move changed the state")
	}
}

// Port of test_do_move_same_hotkey_fails (tests/move_stake.rs): moving to
// the same hotkey on the same subnet is SameNetuid and changes nothing.
func TestPortDoMoveSameHotkeyFails(t *testing.T) {
	l, alpha := moveNetwork(t, DefaultMinStake*10, 1)
	h := l.StateHash()
	_, err := l.MoveStake(u256(1), u256(2), u256(2), 1, 1, alpha)
	wantChainErr(t, err, ErrSameNetuid)
	if l.Stake(u256(2), u256(1), 1) != alpha || l.StateHash() != h {
		t.Fatal("failed move changed the state")
	}
}

// Port of test_do_transfer_success (tests/move_stake.rs).
func TestPortDoTransferSuccess(t *testing.T) {
	l, alpha := moveNetwork(t, DefaultMinStake*10, 1)
	origin, dest, hotkey := u256(1), u256(5), u256(2)
	if _, err := l.TransferStake(origin, dest, hotkey, 1, 1, alpha); err != nil {
		t.Fatal(err)
	}
	if got := l.Stake(hotkey, origin, 1); got != 0 {
		t.Errorf("origin stake %d, want 0", got)
	}
	if got := l.Stake(hotkey, dest, 1).Rao(); absDiff(got, alpha.Rao()) > alpha.Rao()/1000 {
		t.Errorf("destination stake %d, want %d ± %d", got, alpha, alpha.Rao()/1000)
	}
	checkInv(t, l)
}

// Port of test_do_swap_success (tests/move_stake.rs): the destination
// stake is what the origin sale's TAO buys without a fee, within 1000.
func TestPortDoSwapSuccess(t *testing.T) {
	l, alpha := moveNetwork(t, DefaultMinStake*10, 1, 2)
	origin, _ := l.Pool(1)
	dest, _ := l.Pool(2)
	sell, err := origin.Quote(amm.SellOrder(alpha))
	if err != nil {
		t.Fatal(err)
	}
	buy, err := dest.Quote(amm.BuyOrder(sell.TAO).WithoutFees())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.SwapStake(u256(1), u256(2), 1, 2, alpha); err != nil {
		t.Fatal(err)
	}
	if got := l.Stake(u256(2), u256(1), 1); got != 0 {
		t.Errorf("origin stake %d, want 0", got)
	}
	if got := l.Stake(u256(2), u256(1), 2).Rao(); absDiff(got, buy.Alpha.Rao()) > 1000 {
		t.Errorf("destination stake %d, want %d ± 1000", got, buy.Alpha)
	}
	checkInv(t, l)
}

// Port of test_do_swap_same_subnet (tests/move_stake.rs).
func TestPortDoSwapSameSubnet(t *testing.T) {
	l, alpha := moveNetwork(t, DefaultMinStake*10, 1)
	h := l.StateHash()
	_, err := l.SwapStake(u256(1), u256(2), 1, 1, alpha)
	wantChainErr(t, err, ErrSameNetuid)
	if l.Stake(u256(2), u256(1), 1) != alpha || l.StateHash() != h {
		t.Fatal("failed swap changed the state")
	}
}

// A cross-subnet move pays one fee: the origin sale's when the origin is a
// dynamic subnet (the destination buy is fee-free, drop_fees in
// transition_stake_internal), the destination buy's when it is root.
func TestMoveChargesOneFee(t *testing.T) {
	l := testNetwork(t)
	author := acctN(200)
	l.SetBlockAuthor(author)
	c, hk := acctN(3), acctN(102)
	stake := l.Stake(hk, c, 0)
	p1, _ := l.Pool(1)
	buy, err := p1.Quote(amm.BuyOrder(units.TAO(stake.Rao())))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.SwapStake(c, hk, 0, 1, stake); err != nil {
		t.Fatal(err)
	}
	if got := l.Stake(hk, c, 1); got != buy.Alpha {
		t.Errorf("root -> 1: stake %d, want %d (the fee-paying buy)", got, buy.Alpha)
	}
	if l.Balance(author) != buy.TAOFee {
		t.Errorf("author got %d, want the buy fee %d", l.Balance(author), buy.TAOFee)
	}
	got1 := l.Stake(hk, c, 1)
	p1, _ = l.Pool(1)
	sell, err := p1.Quote(amm.SellOrder(got1))
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := l.Pool(2)
	buy2, err := p2.Quote(amm.BuyOrder(sell.TAO).WithoutFees())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.SwapStake(c, hk, 1, 2, got1); err != nil {
		t.Fatal(err)
	}
	if got := l.Stake(hk, c, 2); got != buy2.Alpha {
		t.Errorf("1 -> 2: stake %d, want %d (a fee-free buy)", got, buy2.Alpha)
	}
	checkInv(t, l)
}

// unstake_all_alpha sells every subnet but root and restakes the TAO on
// root; with nothing to sell it fails; unstake_all then sells root too.
func TestUnstakeAllAndAlpha(t *testing.T) {
	l := testNetwork(t)
	c, hk := acctN(0), acctN(100)
	if _, err := l.AddStake(c, hk, 2, 10_000_000_000); err != nil {
		t.Fatal(err)
	}
	if _, err := l.AddStake(c, hk, 0, 10_000_000_000); err != nil {
		t.Fatal(err)
	}
	rootBefore := l.Stake(hk, c, 0)
	bal := l.Balance(c)
	tao, err := l.UnstakeAllAlpha(c, hk)
	if err != nil {
		t.Fatal(err)
	}
	if l.Stake(hk, c, 1) != 0 || l.Stake(hk, c, 2) != 0 {
		t.Fatal("alpha left after unstake_all_alpha")
	}
	if got := l.Stake(hk, c, 0); got != rootBefore+tao || tao == 0 {
		t.Errorf("root stake %d, want %d + %d", got, rootBefore, tao)
	}
	if l.Balance(c) != bal {
		t.Errorf("balance %d, want %d: the TAO is restaked", l.Balance(c), bal)
	}
	checkInv(t, l)
	// Nothing left to sell: the root stake of 0 buys nothing.
	h := l.StateHash()
	_, err = l.UnstakeAllAlpha(c, hk)
	wantChainErr(t, err, ErrAmountTooLow)
	if l.StateHash() != h {
		t.Fatal("failed unstake_all_alpha changed the state")
	}
	got, err := l.UnstakeAll(c, hk)
	if err != nil {
		t.Fatal(err)
	}
	if l.Stake(hk, c, 0) != 0 || l.Balance(c) != bal+got {
		t.Errorf("after unstake_all: root stake %d, balance %d, want 0 and %d", l.Stake(hk, c, 0), l.Balance(c), bal+got)
	}
	checkInv(t, l)
	_, err = l.UnstakeAll(c, acctN(150))
	wantChainErr(t, err, ErrHotKeyAccountNotExists)
}

// get_all_subnet_netuids iterates NetworksAdded by the little-endian key.
func TestChainNetUIDOrder(t *testing.T) {
	b := NewBuilder().Root(1_000_000_000_000)
	for _, n := range []units.NetUID{256, 2, 1, 257} {
		b.Subnet(n, acctN(0), acctN(100), 1_000_000_000_000, 1_000_000_000_000)
	}
	l, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	want := []units.NetUID{0, 256, 1, 257, 2}
	got := l.chainNetUIDOrder()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}
