package dtao

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// u256 is the account subtensor's test mock writes U256::from(n): the
// 32-byte little-endian integer.
func u256(n uint64) units.AccountID {
	var a units.AccountID
	binary.LittleEndian.PutUint64(a[:], n)
	return a
}

// The mock runtime of pallets/subtensor/src/tests/mock.rs: existential
// deposit 1, minimum stake 2_000_000, SwapMinimumReserve 100,
// InitialNetworkMinLockCost 100 TAO (the TotalStake a network registration
// leaves).
const (
	mockED      units.TAO = 1
	mockMinLock units.TAO = 100_000_000_000
)

func mockPool(tao units.TAO, alpha units.Alpha) amm.Pool {
	p := amm.NewPool(tao, alpha)
	p.MinReserve = 100
	return p
}

func absDiff(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}

func mustLedger(t *testing.T, g GenesisConfig) *Ledger {
	t.Helper()
	l, err := NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func wantChainErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}

// Port of test_add_stake_ok_no_emission (pallets/subtensor/src/tests/staking.rs).
// The owner coldkey holds amount plus the 1 rao the mock's network
// registration leaves it.
func TestPortAddStakeOkNoEmission(t *testing.T) {
	hotkey, coldkey := u256(533453), u256(55453)
	amount := DefaultMinStake * 10
	g := GenesisConfig{
		ExistentialDeposit: mockED,
		Accounts:           []GenesisAccount{{coldkey, amount + 1}},
		Subnets: []GenesisSubnet{{NetUID: 1, Owner: coldkey, OwnerHotkey: hotkey, Locked: mockED,
			Pool: mockPool(units.TAO(amount.Rao()*1_000_000), units.Alpha(amount.Rao()*10_000_000))}},
		TotalStake: mockMinLock,
	}
	l := mustLedger(t, g)
	if got := l.TotalStakeForHotkey(hotkey); got != 0 {
		t.Fatalf("stake before = %d", got)
	}
	pool, _ := l.Pool(1)
	q, err := pool.Quote(amm.BuyOrder(amount))
	if err != nil {
		t.Fatal(err)
	}
	alphaStaked, fee := q.Alpha, q.TAOFee
	if _, err := l.AddStake(coldkey, hotkey, 1, amount); err != nil {
		t.Fatal(err)
	}
	pool, _ = l.Pool(1)
	sell, err := pool.Quote(amm.SellOrder(alphaStaked))
	if err != nil {
		t.Fatal(err)
	}
	approxFee := amm.ApproxFee(&pool, amount)
	got := l.TotalStakeForHotkey(hotkey).Rao()
	if d := absDiff(got, sell.TAO.Rao()+approxFee.Rao()); d > 10_000 {
		t.Errorf("total stake %d vs tao_expected+approx_fee %d: diff %d > 10000", got, sell.TAO.Rao()+approxFee.Rao(), d)
	}
	if d := absDiff(got, (amount - fee).Rao()); d > 10_000 {
		t.Errorf("total stake %d vs amount-fee %d: diff %d > 10000", got, (amount - fee).Rao(), d)
	}
	if b := l.Balance(coldkey); b != 1 {
		t.Errorf("coldkey balance = %d, want 1", b)
	}
	if ts := l.TotalStake(); ts != mockMinLock+amount {
		t.Errorf("TotalStake = %d, want %d", ts, mockMinLock+amount)
	}
	if err := l.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// Port of test_add_stake_err_not_enough_belance (tests/staking.rs): the
// subnet is the mock's fresh network, its pool the minimum lock at price 1.
func TestPortAddStakeErrNotEnoughBalance(t *testing.T) {
	coldkey, hotkey := u256(544), u256(54544)
	stake := DefaultMinStake * 10
	l := mustLedger(t, GenesisConfig{
		ExistentialDeposit: mockED,
		Subnets: []GenesisSubnet{{NetUID: 1, Owner: coldkey, OwnerHotkey: hotkey, Locked: mockED,
			Pool: mockPool(mockMinLock, units.Alpha(mockMinLock))}},
	})
	if l.Balance(coldkey) >= stake {
		t.Fatal("coldkey already holds the stake")
	}
	_, err := l.AddStake(coldkey, hotkey, 1, stake)
	wantChainErr(t, err, ErrNotEnoughBalanceToStake)
}

// Port of test_add_stake_not_registered_key_pair (tests/staking.rs).
func TestPortAddStakeNotRegisteredKeyPair(t *testing.T) {
	ownerCold, ownerHot := u256(1), u256(2)
	coldkey, hotkey := u256(435445), u256(54544)
	amount := DefaultMinStake * 10
	l := mustLedger(t, GenesisConfig{
		ExistentialDeposit: mockED,
		Accounts:           []GenesisAccount{{coldkey, amount}},
		Subnets: []GenesisSubnet{{NetUID: 1, Owner: ownerCold, OwnerHotkey: ownerHot, Locked: mockED,
			Pool: mockPool(mockMinLock, units.Alpha(mockMinLock))}},
	})
	_, err := l.AddStake(coldkey, hotkey, 1, amount)
	wantChainErr(t, err, ErrHotKeyAccountNotExists)
}

// Port of test_add_stake_ok_neuron_does_not_belong_to_coldkey (tests/staking.rs).
func TestPortAddStakeNeuronOfAnotherColdkey(t *testing.T) {
	coldkey, hotkey, other := u256(544), u256(54544), u256(99498)
	stake := DefaultMinStake * 10
	l := mustLedger(t, GenesisConfig{
		ExistentialDeposit: mockED,
		Accounts:           []GenesisAccount{{other, stake}},
		Subnets: []GenesisSubnet{{NetUID: 1, Owner: coldkey, OwnerHotkey: hotkey, Locked: mockED,
			Pool: mockPool(mockMinLock, units.Alpha(mockMinLock))}},
	})
	if _, err := l.AddStake(other, hotkey, 1, stake); err != nil {
		t.Fatal(err)
	}
}

// Port of test_staking_too_little_fails (tests/staking.rs).
func TestPortStakingTooLittleFails(t *testing.T) {
	hotkey, coldkey := u256(533453), u256(55453)
	l := mustLedger(t, GenesisConfig{
		ExistentialDeposit: mockED,
		Accounts:           []GenesisAccount{{coldkey, 10_000}},
		Subnets: []GenesisSubnet{{NetUID: 1, Owner: coldkey, OwnerHotkey: hotkey, Locked: mockED,
			Pool: mockPool(mockMinLock, units.Alpha(mockMinLock))}},
	})
	_, err := l.AddStake(coldkey, hotkey, 1, 1)
	wantChainErr(t, err, ErrAmountTooLow)
}

// Port of test_remove_stake_ok_no_emission (tests/staking.rs): the hotkey
// is registered to the coldkey, holds amount alpha, and the pool's TAO
// reserve and TotalStake are topped up by what selling it pays (with the
// fee), as the Rust test does.
func TestPortRemoveStakeOkNoEmission(t *testing.T) {
	ownerCold, ownerHot := u256(1), u256(2)
	coldkey, hotkey := u256(4343), u256(4968585)
	amount := DefaultMinStake * 10
	base := mockPool(mockMinLock, units.Alpha(mockMinLock))
	sim, err := base.Quote(amm.SellOrder(units.Alpha(amount.Rao())))
	if err != nil {
		t.Fatal(err)
	}
	fee := units.TAO(sim.AlphaFee.Rao())
	topUp := sim.TAO + fee
	pool := mockPool(mockMinLock+topUp, units.Alpha(mockMinLock))
	pool.AlphaOut = units.Alpha(amount.Rao())
	l := mustLedger(t, GenesisConfig{
		ExistentialDeposit: mockED,
		Hotkeys:            []GenesisHotkey{{hotkey, coldkey}},
		Subnets:            []GenesisSubnet{{NetUID: 1, Owner: ownerCold, OwnerHotkey: ownerHot, Locked: mockED, Pool: pool}},
		Stakes:             []GenesisStake{{hotkey, coldkey, 1, units.Alpha(amount.Rao())}},
		TotalStake:         mockMinLock + topUp,
	})
	if got := l.Stake(hotkey, coldkey, 1); absDiff(got.Rao(), amount.Rao()) > amount.Rao()/1000 {
		t.Fatalf("stake = %d, want %d ± %d", got, amount, amount.Rao()/1000)
	}
	baseTotalStake := mockMinLock
	before := l.Balance(coldkey)
	if _, err := l.RemoveStake(coldkey, hotkey, 1, units.Alpha(amount.Rao())); err != nil {
		t.Fatal(err)
	}
	after := l.Balance(coldkey)
	if after <= before {
		t.Fatalf("balance %d → %d", before, after)
	}
	if after-before <= amount/10*9-fee {
		t.Errorf("payout %d not above %d", after-before, amount/10*9-fee)
	}
	if s := l.Stake(hotkey, coldkey, 1); s != 0 {
		t.Errorf("stake left %d", s)
	}
	ts := l.TotalStake()
	if d := absDiff(ts.Rao(), (baseTotalStake + fee).Rao()); d > ts.Rao()/100_000 {
		t.Errorf("TotalStake %d vs base+fee %d: diff %d", ts, baseTotalStake+fee, d)
	}
	if err := l.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// Port of test_remove_stake_amount_too_low (tests/staking.rs).
func TestPortRemoveStakeAmountTooLow(t *testing.T) {
	ownerCold, ownerHot := u256(1), u256(2)
	coldkey, hotkey := u256(4343), u256(4968585)
	b := NewBuilder().ExistentialDeposit(mockED).Hotkey(hotkey, coldkey).
		SubnetWith(GenesisSubnet{NetUID: 1, Owner: ownerCold, OwnerHotkey: ownerHot, Pool: mockPool(mockMinLock, units.Alpha(mockMinLock))}).
		Stake(hotkey, coldkey, 1, 10_000)
	l, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	h := l.StateHash()
	_, err = l.RemoveStake(coldkey, hotkey, 1, 0)
	wantChainErr(t, err, ErrAmountTooLow)
	if l.StateHash() != h {
		t.Fatal("a failed call changed the state")
	}
}

// Port of test_remove_stake_no_enough_stake (tests/staking.rs): with no
// stake the amount is capped to 0, which is AmountTooLow.
func TestPortRemoveStakeNoEnoughStake(t *testing.T) {
	coldkey, hotkey := u256(544), u256(54544)
	amount := units.Alpha(DefaultMinStake.Rao() * 10)
	l := mustLedger(t, GenesisConfig{
		ExistentialDeposit: mockED,
		Subnets: []GenesisSubnet{{NetUID: 1, Owner: coldkey, OwnerHotkey: hotkey, Locked: mockED,
			Pool: mockPool(mockMinLock, units.Alpha(mockMinLock))}},
	})
	if got := l.TotalStakeForHotkey(hotkey); got != 0 {
		t.Fatalf("stake = %d", got)
	}
	_, err := l.RemoveStake(coldkey, hotkey, 1, amount)
	wantChainErr(t, err, ErrAmountTooLow)
}

// mockSubnet is the mock's dynamic network with the given reserves, owned
// by coldkey with hotkey.
func mockSubnet(coldkey, hotkey units.AccountID, tao units.TAO, alpha units.Alpha) GenesisSubnet {
	return GenesisSubnet{NetUID: 1, Owner: coldkey, OwnerHotkey: hotkey, Locked: mockED, Pool: mockPool(tao, alpha)}
}

// Port of test_add_stake_limit_ok (tests/staking.rs): at price 1.5 and a
// limit of 24, 450 of the 900 TAO execute for 75 alpha.
func TestPortAddStakeLimitOk(t *testing.T) {
	hotkey, coldkey := u256(533453), u256(55453)
	amount := units.TAO(900_000_000_000)
	l := mustLedger(t, GenesisConfig{
		ExistentialDeposit: mockED,
		Accounts:           []GenesisAccount{{coldkey, amount}},
		Subnets:            []GenesisSubnet{mockSubnet(coldkey, hotkey, 150_000_000_000, 100_000_000_000)},
	})
	pool, _ := l.Pool(1)
	if pool.Price() != amm.PriceFromRao(1_500_000_000) {
		t.Fatalf("price %s, want 1.5", pool.Price())
	}
	if _, err := l.AddStakeLimit(coldkey, hotkey, 1, amount, amm.PriceFromRao(24_000_000_000), true); err != nil {
		t.Fatal(err)
	}
	want := uint64(75_000_000_000)
	if got := l.Stake(hotkey, coldkey, 1).Rao(); absDiff(got, want) > want/1000 {
		t.Errorf("stake %d, want %d ± %d", got, want, want/1000)
	}
	fee := amm.ApproxFee(&pool, amount/2)
	if got, want := l.Balance(coldkey).Rao(), (amount/2 - fee).Rao(); absDiff(got, want) > amount.Rao()/2/1000 {
		t.Errorf("balance %d, want %d ± %d", got, want, amount.Rao()/2/1000)
	}
	pool, _ = l.Pool(1)
	if got := pool.Price().Rao(); absDiff(got, 24_000_000_000) > 1_000_000 {
		t.Errorf("price %s, want 24 ± 0.001", pool.Price())
	}
	if err := l.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// Port of test_add_stake_limit_fill_or_kill (tests/staking.rs).
func TestPortAddStakeLimitFillOrKill(t *testing.T) {
	hotkey, coldkey := u256(533453), u256(55453)
	amount := units.TAO(900_000_000_000)
	l := mustLedger(t, GenesisConfig{
		ExistentialDeposit: mockED,
		Accounts:           []GenesisAccount{{coldkey, amount}},
		Subnets:            []GenesisSubnet{mockSubnet(coldkey, hotkey, 150_000_000_000, 100_000_000_000)},
	})
	limit := amm.PriceFromRao(24_000_000_000)
	h := l.StateHash()
	_, err := l.AddStakeLimit(coldkey, hotkey, 1, amount, limit, false)
	wantChainErr(t, err, ErrSlippageTooHigh)
	if l.StateHash() != h {
		t.Fatal("assert_noop: the state changed")
	}
	if _, err := l.AddStakeLimit(coldkey, hotkey, 1, 150_000_000_000, limit, false); err != nil {
		t.Fatal(err)
	}
}

// Port of test_add_stake_limit_rejects_input_over_swap_reserve_cap (tests/staking.rs).
func TestPortAddStakeLimitOverReserveCap(t *testing.T) {
	hotkey, coldkey := u256(533454), u256(55454)
	reserve := units.TAO(1_000)
	amount := reserve*1_000 + 1
	l := mustLedger(t, GenesisConfig{
		ExistentialDeposit: mockED,
		Accounts:           []GenesisAccount{{coldkey, amount}},
		Subnets:            []GenesisSubnet{mockSubnet(coldkey, hotkey, reserve, 1_000_000_000)},
	})
	h := l.StateHash()
	_, err := l.AddStakeLimit(coldkey, hotkey, 1, amount, amm.PriceFromRao(amm.MaxPriceRao), true)
	wantChainErr(t, err, ErrInsufficientLiquidity)
	if l.StateHash() != h {
		t.Fatal("assert_noop: the state changed")
	}
}

// Port of test_add_stake_limit_partial_zero_max_stake_amount_error
// (tests/staking.rs): the values of finney extrinsic 5338471-0009.
func TestPortAddStakeLimitPartialPriceLimitExceeded(t *testing.T) {
	hotkey, coldkey := u256(533453), u256(55453)
	amount := units.TAO(19_980_000_000)
	l := mustLedger(t, GenesisConfig{
		ExistentialDeposit: mockED,
		Accounts:           []GenesisAccount{{coldkey, amount}},
		Subnets:            []GenesisSubnet{mockSubnet(coldkey, hotkey, 5_032_494_439_940, 186_268_425_402_874)},
	})
	h := l.StateHash()
	_, err := l.AddStakeLimit(coldkey, hotkey, 1, amount, amm.PriceFromRao(26_953_618), true)
	wantChainErr(t, err, amm.ErrPriceLimitExceeded)
	if l.StateHash() != h {
		t.Fatal("assert_noop: the state changed")
	}
}

// Port of test_remove_stake_limit_fill_or_kill (tests/staking.rs).
func TestPortRemoveStakeLimitFillOrKill(t *testing.T) {
	hotkey, coldkey := u256(533453), u256(55453)
	stake := units.Alpha(300_000_000_000)
	s := mockSubnet(coldkey, hotkey, 150_000_000_000, 100_000_000_000)
	s.Pool.AlphaOut = stake
	l := mustLedger(t, GenesisConfig{
		ExistentialDeposit: mockED,
		Subnets:            []GenesisSubnet{s},
		Stakes:             []GenesisStake{{hotkey, coldkey, 1, stake}},
	})
	pool, _ := l.Pool(1)
	if pool.Price() != amm.PriceFromRao(1_500_000_000) {
		t.Fatalf("price %s, want 1.5", pool.Price())
	}
	limit := amm.PriceFromRao(1_350_000_000)
	h := l.StateHash()
	_, err := l.RemoveStakeLimit(coldkey, hotkey, 1, 150_000_000_000, limit, false)
	wantChainErr(t, err, ErrSlippageTooHigh)
	if l.StateHash() != h {
		t.Fatal("assert_noop: the state changed")
	}
	if _, err := l.RemoveStakeLimit(coldkey, hotkey, 1, 150_000_000_000/100, limit, false); err != nil {
		t.Fatal(err)
	}
	if err := l.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}
