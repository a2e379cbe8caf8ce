package dtao

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

func acctN(n byte) units.AccountID { return units.AccountID{0xa0, n} }

// testNetwork is a root subnet and two dynamic subnets, three hotkeys and
// five funded coldkeys, with the runtime's existential deposit.
func testNetwork(t interface{ Fatal(...any) }) *Ledger {
	b := NewBuilder().Root(1_000_000_000_000).
		Subnet(1, acctN(0), acctN(100), 5_000_000_000_000, 50_000_000_000_000).
		SubnetWith(GenesisSubnet{NetUID: 2, Owner: acctN(1), OwnerHotkey: acctN(101),
			Pool: amm.Pool{TAO: 300_000_000_000, AlphaIn: 9_000_000_000_000, QuoteWeight: 400_000_000_000_000_000,
				FeeRate: 500, Mechanism: amm.Dynamic, Initialized: true}}).
		Hotkey(acctN(102), acctN(2)).
		Stake(acctN(100), acctN(0), 1, 1_000_000_000_000).
		Stake(acctN(101), acctN(1), 2, 2_000_000_000_000).
		Stake(acctN(102), acctN(3), 0, 1_000_000_000_000)
	for i := range byte(5) {
		b.Account(acctN(i), units.TAO(1_000_000_000_000*uint64(i+1)))
	}
	l, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestTransferSemantics(t *testing.T) {
	l := testNetwork(t)
	a, b, fresh := acctN(0), acctN(1), acctN(50)
	cases := []struct {
		name       string
		from, to   units.AccountID
		amount     units.TAO
		keepAlive  bool
		want       error
		fromBefore units.TAO
	}{
		{"above balance", a, b, l.Balance(a) + 1, false, ErrFundsUnavailable, 0},
		{"new account below ED", a, fresh, ExistentialDeposit - 1, false, ErrBelowMinimum, 0},
		{"keep alive would reap", a, b, l.Balance(a), true, ErrNotExpendable, 0},
		{"from a subnet account", SubnetAccountID(1), b, 1, false, ErrBadOrigin, 0},
	}
	for _, c := range cases {
		h := l.StateHash()
		var err error
		if c.keepAlive {
			err = l.TransferKeepAlive(c.from, c.to, c.amount)
		} else {
			err = l.Transfer(c.from, c.to, c.amount)
		}
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
		if l.StateHash() != h {
			t.Errorf("%s: the failed transfer changed the state", c.name)
		}
	}
	// Reaping: leaving 499 rao burns it.
	ti, bal := l.TotalIssuance(), l.Balance(a)
	if err := l.Transfer(a, fresh, bal-(ExistentialDeposit-1)); err != nil {
		t.Fatal(err)
	}
	if l.Balance(a) != 0 || l.Balance(fresh) != bal-(ExistentialDeposit-1) {
		t.Fatalf("balances %d %d", l.Balance(a), l.Balance(fresh))
	}
	if got := l.TotalIssuance(); got != ti-(ExistentialDeposit-1) {
		t.Fatalf("TotalIssuance %d, want %d (dust burned)", got, ti-(ExistentialDeposit-1))
	}
	if err := l.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// Staking the whole free balance stakes ED less (transfer_tao_to_subnet
// keeps the coldkey alive), though the balance check admits the full amount.
func TestAddStakeWholeBalanceKeepsED(t *testing.T) {
	l := testNetwork(t)
	c := acctN(2)
	bal := l.Balance(c)
	ts := l.TotalStake()
	if _, err := l.AddStake(c, acctN(100), 1, bal); err != nil {
		t.Fatal(err)
	}
	if got := l.Balance(c); got != ExistentialDeposit {
		t.Fatalf("balance %d, want the existential deposit", got)
	}
	if got := l.TotalStake(); got != ts+bal-ExistentialDeposit {
		t.Fatalf("TotalStake %d, want %d", got, ts+bal-ExistentialDeposit)
	}
	if err := l.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// The fee of a stake goes to the block author, the reserve grows by the
// net TAO, and the staker's share is worth the alpha the swap paid.
func TestAddStakeFeeToAuthor(t *testing.T) {
	l := testNetwork(t)
	author := acctN(4)
	l.SetBlockAuthor(author)
	amount := units.TAO(10_000_000_000)
	pool, _ := l.Pool(2)
	q, err := pool.Quote(amm.BuyOrder(amount))
	if err != nil {
		t.Fatal(err)
	}
	if q.TAOFee == 0 {
		t.Fatal("no fee to test")
	}
	authorBefore, subBefore := l.Balance(author), l.Balance(SubnetAccountID(2))
	alpha, err := l.AddStake(acctN(3), acctN(101), 2, amount)
	if err != nil {
		t.Fatal(err)
	}
	if alpha != q.Alpha || l.Stake(acctN(101), acctN(3), 2) != alpha {
		t.Fatalf("alpha %d, stake %d, quote %d", alpha, l.Stake(acctN(101), acctN(3), 2), q.Alpha)
	}
	if got := l.Balance(author) - authorBefore; got != q.TAOFee {
		t.Fatalf("author got %d, fee %d", got, q.TAOFee)
	}
	if s, _ := l.Subnet(2); s.TaoFlow != int64(q.TAO) {
		t.Fatalf("SubnetTaoFlow %d, want the net TAO %d", s.TaoFlow, q.TAO)
	}
	after, _ := l.Pool(2)
	if after.TAO != pool.TAO+q.TAO || l.Balance(SubnetAccountID(2)) != subBefore+q.TAO {
		t.Fatalf("reserve %d → %d, account %d → %d, net %d", pool.TAO, after.TAO, subBefore, l.Balance(SubnetAccountID(2)), q.TAO)
	}
	if err := l.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// Without an author, the TAO fee goes to the burn account and the alpha
// fee of an unstake stays outstanding as AlphaBurned.
func TestFeesBurnedWithoutAuthor(t *testing.T) {
	l := testNetwork(t)
	pool, _ := l.Pool(2)
	q, _ := pool.Quote(amm.BuyOrder(10_000_000_000))
	if _, err := l.AddStake(acctN(3), acctN(101), 2, 10_000_000_000); err != nil {
		t.Fatal(err)
	}
	if got := l.Balance(BurnAccountID()); got != q.TAOFee {
		t.Fatalf("burn account %d, fee %d", got, q.TAOFee)
	}
	ti := l.TotalIssuance()
	pool, _ = l.Pool(2)
	stake := l.Stake(acctN(101), acctN(3), 2)
	sell, _ := pool.Quote(amm.SellOrder(stake))
	if _, err := l.RemoveStake(acctN(3), acctN(101), 2, stake); err != nil {
		t.Fatal(err)
	}
	s, _ := l.Subnet(2)
	if sell.AlphaFee == 0 || s.AlphaBurned != sell.AlphaFee {
		t.Fatalf("AlphaBurned %d, alpha fee %d", s.AlphaBurned, sell.AlphaFee)
	}
	if l.TotalIssuance() != ti {
		t.Fatal("an unstake changed the issuance")
	}
	if err := l.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// A fee below the existential deposit paid to an author account that does
// not exist fails the whole stake with BelowMinimum.
func TestAddStakeFeeBelowMinimumReverts(t *testing.T) {
	l, err := NewBuilder().ExistentialDeposit(10_000).BlockAuthor(acctN(77)).
		Subnet(1, acctN(0), acctN(100), 5_000_000_000_000, 5_000_000_000_000).
		Account(acctN(0), 1_000_000_000_000).Build()
	if err != nil {
		t.Fatal(err)
	}
	h := l.StateHash()
	_, err = l.AddStake(acctN(0), acctN(100), 1, 10_000_000)
	wantChainErr(t, err, ErrBelowMinimum)
	if l.StateHash() != h {
		t.Fatal("the failed stake changed the state")
	}
}

func TestRemoveStakeChecks(t *testing.T) {
	l := testNetwork(t)
	h := l.StateHash()
	_, err := l.RemoveStake(acctN(0), acctN(100), 9, 1)
	wantChainErr(t, err, ErrSubtokenDisabled)
	// Leaving stake behind while selling for less than the minimum stake.
	_, err = l.RemoveStake(acctN(0), acctN(100), 1, 1_000)
	wantChainErr(t, err, ErrAmountTooLow)
	_, err = l.AddStake(acctN(0), acctN(100), 9, DefaultMinStake*10)
	wantChainErr(t, err, ErrSubnetNotExists)
	_, err = l.AddStake(acctN(0), acctN(100), 1, 6_000_000_000_000_000)
	wantChainErr(t, err, ErrInsufficientLiquidity)
	if l.StateHash() != h {
		t.Fatal("failed calls changed the state")
	}
	// Selling everything is allowed however small.
	tao, err := l.RemoveStake(acctN(0), acctN(100), 1, 1<<62)
	if err != nil || tao == 0 {
		t.Fatalf("unstake all: %d, %v", tao, err)
	}
	if l.Stake(acctN(100), acctN(0), 1) != 0 {
		t.Fatal("stake left")
	}
	if err := l.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

func TestCheckInvariantsDetectsCorruption(t *testing.T) {
	corrupt := map[string]func(l *Ledger){
		"issuance":     func(l *Ledger) { l.totalIssuance++ },
		"balance":      func(l *Ledger) { *l.balances.cell(acctN(0))++ },
		"below ED":     func(l *Ledger) { *l.balances.cell(acctN(0)) = 1; l.totalIssuance = 0 },
		"pending":      func(l *Ledger) { l.subnets[1].PendingServer++ },
		"claimable":    func(l *Ledger) { l.subnets[1].RootClaimableAlpha++ },
		"alpha out":    func(l *Ledger) { l.subnets[2].Pool.AlphaOut-- },
		"burned":       func(l *Ledger) { l.subnets[2].AlphaBurned++ },
		"hotkey alpha": func(l *Ledger) { l.stake.pool(stakeKey{acctN(100), 1}).value++ },
		"share above pool": func(l *Ledger) {
			p := l.stake.pool(stakeKey{acctN(100), 1})
			p.firstEntry().share, _ = p.denom.Add(p.denom)
		},
		"pool":     func(l *Ledger) { l.subnets[1].Pool.FeeRate = amm.MaxFeeRate + 1 },
		"no owner": func(l *Ledger) { delete(l.owner, acctN(102)) },
	}
	for name, f := range corrupt {
		l := testNetwork(t)
		if err := l.CheckInvariants(); err != nil {
			t.Fatal(err)
		}
		f(l)
		if err := l.CheckInvariants(); !errors.Is(err, ErrInvariant) {
			t.Errorf("%s: CheckInvariants = %v", name, err)
		}
	}
}

func TestStateHash(t *testing.T) {
	a, b := testNetwork(t), testNetwork(t)
	if a.StateHash() != b.StateHash() {
		t.Fatal("same genesis, different hashes")
	}
	// The order of the accounts in the genesis does not matter.
	g := GenesisConfig{Accounts: []GenesisAccount{{acctN(1), 1000}, {acctN(2), 2000}}}
	g2 := GenesisConfig{Accounts: []GenesisAccount{{acctN(2), 2000}, {acctN(1), 1000}}}
	if mustLedger(t, g).StateHash() != mustLedger(t, g2).StateHash() {
		t.Fatal("account order changed the hash")
	}
	seen := map[[32]byte]string{a.StateHash(): "genesis"}
	step := func(name string, f func() error) {
		t.Helper()
		if err := f(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h := a.StateHash()
		if prev, dup := seen[h]; dup {
			t.Fatalf("%s: the hash did not change (same as after %s)", name, prev)
		}
		seen[h] = name
	}
	step("transfer", func() error { return a.Transfer(acctN(0), acctN(1), 1) })
	step("author", func() error { a.SetBlockAuthor(acctN(9)); return nil })
	step("stake", func() error { _, err := a.AddStake(acctN(1), acctN(100), 1, 3_000_000); return err })
	step("unstake", func() error { _, err := a.RemoveStake(acctN(1), acctN(100), 1, 1<<62); return err })
	step("root stake", func() error { _, err := a.AddStake(acctN(4), acctN(102), 0, 5_000_000_000); return err })
	// The same calls on the other ledger reach the same hash.
	_ = b.Transfer(acctN(0), acctN(1), 1)
	b.SetBlockAuthor(acctN(9))
	_, _ = b.AddStake(acctN(1), acctN(100), 1, 3_000_000)
	_, _ = b.RemoveStake(acctN(1), acctN(100), 1, 1<<62)
	_, _ = b.AddStake(acctN(4), acctN(102), 0, 5_000_000_000)
	if a.StateHash() != b.StateHash() {
		t.Fatal("same calls, different hashes")
	}
}

func TestGenesisErrors(t *testing.T) {
	ok := func() GenesisConfig { return NewBuilder().Subnet(1, acctN(0), acctN(100), 1e12, 1e12).Genesis() }
	cases := map[string]struct {
		edit func(g *GenesisConfig)
		want string
	}{
		"dup account":   {func(g *GenesisConfig) { g.Accounts = []GenesisAccount{{acctN(1), 1000}, {acctN(1), 1000}} }, "Accounts[1]"},
		"below ED":      {func(g *GenesisConfig) { g.Accounts = []GenesisAccount{{acctN(1), 499}} }, "Accounts[0]: balance 499"},
		"subnet acct":   {func(g *GenesisConfig) { g.Accounts = []GenesisAccount{{SubnetAccountID(1), 1000}} }, "subnet account"},
		"dup subnet":    {func(g *GenesisConfig) { g.Subnets = append(g.Subnets, g.Subnets[0]) }, "Subnets[1]: netuid 1 listed twice"},
		"bad pool":      {func(g *GenesisConfig) { g.Subnets[0].Pool.QuoteWeight = 0 }, "Subnets[0] (netuid 1): Pool"},
		"dynamic root":  {func(g *GenesisConfig) { g.Subnets[0].NetUID = 0 }, "root subnet's pool must be stable"},
		"account < ED":  {func(g *GenesisConfig) { g.Subnets[0].AccountBalance = 1 }, "the subnet account would hold 1 rao"},
		"alpha out":     {func(g *GenesisConfig) { g.Subnets[0].Pool.AlphaOut = 5 }, "Pool.AlphaOut 5"},
		"stake no net":  {func(g *GenesisConfig) { g.Stakes = []GenesisStake{{acctN(100), acctN(0), 7, 5}} }, "Stakes[0]: netuid 7"},
		"stake no hot":  {func(g *GenesisConfig) { g.Stakes = []GenesisStake{{acctN(99), acctN(0), 1, 5}} }, "Stakes[0]: hotkey"},
		"zero stake":    {func(g *GenesisConfig) { g.Stakes = []GenesisStake{{acctN(100), acctN(0), 1, 0}} }, "Stakes[0]: zero alpha"},
		"hotkey owners": {func(g *GenesisConfig) { g.Hotkeys = []GenesisHotkey{{acctN(100), acctN(5)}} }, "Hotkeys[0]"},
	}
	if _, err := NewLedger(ok()); err != nil {
		t.Fatal(err)
	}
	for name, c := range cases {
		g := ok()
		c.edit(&g)
		_, err := NewLedger(g)
		if !errors.Is(err, ErrInvalidGenesis) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want ErrInvalidGenesis naming %q", name, err, c.want)
		}
	}
}

// model is the balances a simple model predicts for the user accounts.
type model map[units.AccountID]units.TAO

func TestLedgerStateMachine(t *testing.T) {
	// ok counts the calls that succeeded, by kind: the machine must
	// exercise success as well as failure. runs counts the machines run:
	// at rapid's default of 100 every kind succeeds in some machine, but
	// go test -short runs a handful, too few to expect each kind, so the
	// count is asserted only over at least 100 runs.
	ok := map[string]int{}
	runs := 0
	defer func() {
		if runs < 100 {
			t.Logf("%d runs, too few to require every kind: successful calls: %v", runs, ok)
			return
		}
		for _, k := range []string{"transfer", "add_stake", "remove_stake", "add_stake_limit", "remove_stake_limit",
			"move_stake", "same_subnet_move", "cross_subnet_move", "transfer_stake", "swap_stake", "unstake_all", "unstake_all_alpha", "step"} {
			if ok[k] == 0 {
				t.Errorf("no %s succeeded", k)
			}
		}
		t.Logf("successful calls: %v", ok)
	}()
	rapid.Check(t, func(rt *rapid.T) {
		runs++
		l := testNetwork(rt)
		users := []units.AccountID{acctN(0), acctN(1), acctN(2), acctN(3), acctN(4), acctN(60)}
		hotkeys := []units.AccountID{acctN(100), acctN(101), acctN(102), acctN(103)}
		author := acctN(200)
		m := model{}
		for _, u := range users {
			m[u] = l.Balance(u)
		}
		user := rapid.SampledFrom(users)
		// Limit prices around the pools' (0.1, 0.01 to 0.03, 1 TAO per alpha).
		priceRao := rapid.OneOf(rapid.Uint64Range(1_000_000, 2_000_000_000), rapid.Uint64())
		hot := rapid.SampledFrom(hotkeys)
		netuid := rapid.SampledFrom([]units.NetUID{0, 1, 2, 3})
		// amountOf draws dust, an amount up to limit (a balance or a
		// stake; often all of it) or anything.
		amountOf := func(rt *rapid.T, limit uint64) uint64 {
			return rapid.OneOf(rapid.Uint64Range(0, 3*ExistentialDeposit.Rao()),
				rapid.Uint64Range(0, limit), rapid.Uint64Range(limit/2, limit), rapid.Just(limit),
				rapid.Uint64()).Draw(rt, "amount")
		}
		type pos struct {
			c, hk units.AccountID
			n     units.NetUID
		}
		// held draws a position with stake, if there is one.
		held := func(rt *rapid.T) (pos, bool) {
			var ps []pos
			for _, c := range users {
				for _, hk := range hotkeys {
					for n := range units.NetUID(4) {
						if l.Stake(hk, c, n) > 0 {
							ps = append(ps, pos{c, hk, n})
						}
					}
				}
			}
			if len(ps) == 0 {
				return pos{}, false
			}
			return rapid.SampledFrom(ps).Draw(rt, "position"), true
		}
		unchanged := func(rt *rapid.T, h [32]byte, err error) {
			if units.ChainName(err) == "" {
				rt.Fatalf("error without a chain name: %v", err)
			}
			if l.StateHash() != h {
				rt.Fatalf("failed call (%v) changed the state", err)
			}
		}
		// moved updates the model after a move, transfer or swap of stake
		// that returned tao: across subnets the origin sale's TAO reaches
		// the destination coldkey, which restakes it (keeping itself alive)
		// when it is at least the minimum stake.
		moved := func(rt *rapid.T, oc, dc units.AccountID, on, dn units.NetUID, tao units.TAO) {
			if on == dn {
				ok["same_subnet_move"]++
				return
			}
			ok["cross_subnet_move"]++
			b := m[dc] + tao
			if tao >= DefaultMinStake {
				b -= min(tao, b-ExistentialDeposit)
			}
			m[dc] = b
		}
		rt.Repeat(map[string]func(*rapid.T){
			// Blocks pay the coinbase into the subnet accounts and the
			// epochs into stakes: no user's free balance moves.
			"step": func(rt *rapid.T) {
				n := rapid.IntRange(1, 400).Draw(rt, "blocks")
				for range n {
					if _, err := l.Step(); err != nil {
						rt.Fatal(err)
					}
				}
				ok["step"]++
			},
			"": func(rt *rapid.T) {
				if err := l.CheckInvariants(); err != nil {
					rt.Fatal(err)
				}
				for _, u := range users {
					if got := l.Balance(u); got != m[u] {
						rt.Fatalf("balance of %x: %d, model %d", u[:2], got, m[u])
					}
				}
			},
			"transfer": func(rt *rapid.T) {
				from, to := user.Draw(rt, "from"), user.Draw(rt, "to")
				amount := units.TAO(amountOf(rt, m[from].Rao()))
				h := l.StateHash()
				err := l.Transfer(from, to, amount)
				var want error
				switch {
				case amount == 0:
				case amount > m[from]:
					want = ErrFundsUnavailable
				case from != to && m[to]+amount < ExistentialDeposit:
					want = ErrBelowMinimum
				}
				if !errors.Is(err, want) && !(want == nil && err == nil) {
					rt.Fatalf("transfer err = %v, model %v", err, want)
				}
				if err != nil {
					unchanged(rt, h, err)
					return
				}
				ok["transfer"]++
				if amount != 0 && from != to {
					m[from] -= amount
					if m[from] < ExistentialDeposit {
						m[from] = 0
					}
					m[to] += amount
				}
			},
			"add_stake": func(rt *rapid.T) {
				c := user.Draw(rt, "coldkey")
				amount := units.TAO(amountOf(rt, m[c].Rao()))
				h := l.StateHash()
				if _, err := l.AddStake(c, hot.Draw(rt, "hotkey"), netuid.Draw(rt, "netuid"), amount); err != nil {
					unchanged(rt, h, err)
					return
				}
				ok["add_stake"]++
				m[c] -= min(amount, m[c]-ExistentialDeposit)
			},
			"remove_stake": func(rt *rapid.T) {
				c, hk, n := user.Draw(rt, "coldkey"), hot.Draw(rt, "hotkey"), netuid.Draw(rt, "netuid")
				alpha := units.Alpha(amountOf(rt, l.Stake(hk, c, n).Rao()))
				h := l.StateHash()
				tao, err := l.RemoveStake(c, hk, n, alpha)
				if err != nil {
					unchanged(rt, h, err)
					return
				}
				ok["remove_stake"]++
				m[c] += tao
			},
			"remove_held": func(rt *rapid.T) {
				p, found := held(rt)
				if !found {
					return
				}
				alpha := units.Alpha(amountOf(rt, l.Stake(p.hk, p.c, p.n).Rao()))
				h := l.StateHash()
				tao, err := l.RemoveStake(p.c, p.hk, p.n, alpha)
				if err != nil {
					unchanged(rt, h, err)
					return
				}
				ok["remove_stake"]++
				m[p.c] += tao
			},
			"add_stake_limit": func(rt *rapid.T) {
				c, hk, n := user.Draw(rt, "coldkey"), hot.Draw(rt, "hotkey"), netuid.Draw(rt, "netuid")
				amount := units.TAO(amountOf(rt, m[c].Rao()))
				limit := amm.PriceFromRao(priceRao.Draw(rt, "limit"))
				partial := rapid.Bool().Draw(rt, "partial")
				maxAmount, _ := l.maxAmountAdd(n, limit)
				h := l.StateHash()
				if _, err := l.AddStakeLimit(c, hk, n, amount, limit, partial); err != nil {
					unchanged(rt, h, err)
					return
				}
				ok["add_stake_limit"]++
				m[c] -= min(amount, maxAmount, m[c]-ExistentialDeposit)
			},
			"remove_stake_limit": func(rt *rapid.T) {
				c, hk, n := user.Draw(rt, "coldkey"), hot.Draw(rt, "hotkey"), netuid.Draw(rt, "netuid")
				if p, found := held(rt); found && rapid.Bool().Draw(rt, "held") {
					c, hk, n = p.c, p.hk, p.n
				}
				alpha := units.Alpha(amountOf(rt, l.Stake(hk, c, n).Rao()))
				limit := amm.PriceFromRao(priceRao.Draw(rt, "limit"))
				h := l.StateHash()
				tao, err := l.RemoveStakeLimit(c, hk, n, alpha, limit, rapid.Bool().Draw(rt, "partial"))
				if err != nil {
					unchanged(rt, h, err)
					return
				}
				ok["remove_stake_limit"]++
				m[c] += tao
			},
			"move_stake": func(rt *rapid.T) {
				c, hk, n := user.Draw(rt, "coldkey"), hot.Draw(rt, "hotkey"), netuid.Draw(rt, "netuid")
				if p, found := held(rt); found && rapid.Bool().Draw(rt, "held") {
					c, hk, n = p.c, p.hk, p.n
				}
				destHk, destN := hot.Draw(rt, "dest hotkey"), netuid.Draw(rt, "dest netuid")
				alpha := units.Alpha(amountOf(rt, l.Stake(hk, c, n).Rao()))
				switch rapid.IntRange(0, 2).Draw(rt, "kind") {
				case 0:
					h := l.StateHash()
					tao, err := l.MoveStake(c, hk, destHk, n, destN, alpha)
					if err != nil {
						unchanged(rt, h, err)
						return
					}
					ok["move_stake"]++
					moved(rt, c, c, n, destN, tao)
				case 1:
					dc := user.Draw(rt, "dest coldkey")
					h := l.StateHash()
					tao, err := l.TransferStake(c, dc, hk, n, destN, alpha)
					if err != nil {
						unchanged(rt, h, err)
						return
					}
					ok["transfer_stake"]++
					moved(rt, c, dc, n, destN, tao)
				default:
					h := l.StateHash()
					tao, err := l.SwapStake(c, hk, n, destN, alpha)
					if err != nil {
						unchanged(rt, h, err)
						return
					}
					ok["swap_stake"]++
					moved(rt, c, c, n, destN, tao)
				}
			},
			"unstake_all": func(rt *rapid.T) {
				c, hk := user.Draw(rt, "coldkey"), hot.Draw(rt, "hotkey")
				if p, found := held(rt); found && rapid.Bool().Draw(rt, "held") {
					c, hk = p.c, p.hk
				}
				h := l.StateHash()
				if rapid.Bool().Draw(rt, "alpha only") {
					alpha, err := l.UnstakeAllAlpha(c, hk)
					if err != nil {
						unchanged(rt, h, err)
						return
					}
					ok["unstake_all_alpha"]++
					// The root stake buys 1:1 all the TAO but what keeps a
					// reaped coldkey alive.
					if m[c] == 0 {
						m[c] = ExistentialDeposit
					}
					// After dividends a share pool's value is no longer its
					// denominator, and selling the floored value of a share
					// can leave a share worth under two rao (the floor, and
					// SafeFloat's truncation): the chain keeps that dust.
					if l.Stake(hk, c, 1) > 1 || l.Stake(hk, c, 2) > 1 || alpha == 0 {
						rt.Fatalf("unstake_all_alpha left alpha or staked nothing")
					}
					return
				}
				tao, err := l.UnstakeAll(c, hk)
				if err != nil {
					unchanged(rt, h, err)
					return
				}
				ok["unstake_all"]++
				m[c] += tao
			},
			"author": func(rt *rapid.T) {
				if rapid.Bool().Draw(rt, "has author") {
					l.SetBlockAuthor(author)
				} else {
					l.ClearBlockAuthor()
				}
			},
		})
	})
}

func TestLedgerConcurrentCalls(t *testing.T) {
	l := testNetwork(t)
	genesis := l.StateHash()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 7))
			for range 300 {
				c := acctN(byte(r.IntN(5)))
				hk := acctN(byte(100 + r.IntN(3)))
				n := units.NetUID(r.IntN(3))
				limit := amm.PriceFromRao(r.Uint64N(2_000_000_000))
				switch r.IntN(5) {
				case 0:
					_ = l.Transfer(c, acctN(byte(r.IntN(5))), units.TAO(r.Uint64N(10_000_000_000)))
				case 1:
					_, _ = l.AddStake(c, hk, n, units.TAO(r.Uint64N(50_000_000_000)))
				case 2:
					_, _ = l.RemoveStake(c, hk, n, units.Alpha(r.Uint64N(50_000_000_000)))
				case 3:
					_, _ = l.AddStakeLimit(c, hk, n, units.TAO(r.Uint64N(50_000_000_000)), limit, r.IntN(2) == 0)
				default:
					_, _ = l.RemoveStakeLimit(c, hk, n, units.Alpha(r.Uint64N(50_000_000_000)), limit, r.IntN(2) == 0)
				}
			}
		})
	}
	wg.Go(func() {
		for range 200 {
			if err := l.CheckInvariants(); err != nil {
				t.Error(err)
				return
			}
			_ = l.StateHash()
			_ = l.TotalStakeForHotkey(acctN(100))
		}
	})
	wg.Wait()
	if err := l.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
	if l.StateHash() == genesis {
		t.Fatal("no call succeeded")
	}
}

// No one can sign for a subnet account: its calls are BadOrigin, and the
// account's TAO (the reserve) stays put.
func TestSubnetAccountCannotSign(t *testing.T) {
	l := testNetwork(t)
	sub := SubnetAccountID(1)
	h := l.StateHash()
	if err := l.Transfer(sub, acctN(0), 1_000); !errors.Is(err, ErrBadOrigin) {
		t.Errorf("Transfer: %v", err)
	}
	if _, err := l.AddStake(sub, acctN(100), 1, 10_000_000_000); !errors.Is(err, ErrBadOrigin) {
		t.Errorf("AddStake: %v", err)
	}
	if _, err := l.RemoveStake(sub, acctN(100), 1, 1); !errors.Is(err, ErrBadOrigin) {
		t.Errorf("RemoveStake: %v", err)
	}
	if _, err := l.AddStakeLimit(sub, acctN(100), 1, 10_000_000_000, amm.PriceFromRao(amm.MaxPriceRao), true); !errors.Is(err, ErrBadOrigin) {
		t.Errorf("AddStakeLimit: %v", err)
	}
	if _, err := l.RemoveStakeLimit(sub, acctN(100), 1, 1, amm.PriceFromRao(amm.MinPriceRao), true); !errors.Is(err, ErrBadOrigin) {
		t.Errorf("RemoveStakeLimit: %v", err)
	}
	if l.StateHash() != h {
		t.Fatal("refused calls changed the state")
	}
	// Anyone may pay into one, even of a netuid without a subnet; it still
	// cannot sign.
	if err := l.Transfer(acctN(0), SubnetAccountID(9), 1_000); err != nil {
		t.Fatal(err)
	}
	if err := l.Transfer(SubnetAccountID(9), acctN(0), 1_000); !errors.Is(err, ErrBadOrigin) {
		t.Fatalf("Transfer from netuid 9's account: %v", err)
	}
}

func ExampleLedger() {
	alice, bob := units.AccountID{1}, units.AccountID{2}
	validator := units.AccountID{3}
	l, err := NewBuilder().
		Account(alice, 100_000_000_000). // 100 TAO
		Hotkey(validator, bob).
		Subnet(1, bob, units.AccountID{4}, 1_000_000_000_000, 10_000_000_000_000). // 1000 TAO, 10000 alpha
		Build()
	if err != nil {
		panic(err)
	}
	alpha, err := l.AddStake(alice, validator, 1, 10_000_000_000) // 10 TAO
	if err != nil {
		panic(err)
	}
	pool, _ := l.Pool(1)
	fmt.Println("alpha bought:", alpha)
	fmt.Println("alice's stake:", l.Stake(validator, alice, 1))
	fmt.Println("alice's balance:", l.Balance(alice))
	fmt.Println("pool:", pool.TAO, pool.AlphaIn, "price", pool.Price())
	fmt.Println("invariants:", l.CheckInvariants())
	// Output:
	// alpha bought: ‎98.960538161α‎
	// alice's stake: ‎98.960538161α‎
	// alice's balance: τ90.000000000
	// pool: τ1,009.994964523 ‎9,901.039461839α‎ price τ0.1020089828361723831
	// invariants: <nil>
}

// With an author, an unstake pays the alpha fee's fee-free sale to the
// author, and SubnetTaoFlow falls by both payouts.
func TestRemoveStakeFeeToAuthor(t *testing.T) {
	l := testNetwork(t)
	author := acctN(4)
	l.SetBlockAuthor(author)
	stake := l.Stake(acctN(101), acctN(1), 2) / 3
	pool, _ := l.Pool(2)
	sell, err := pool.Quote(amm.SellOrder(stake))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Swap(amm.SellOrder(stake)); err != nil {
		t.Fatal(err)
	}
	feeSale, err := pool.Quote(amm.SellOrder(sell.AlphaFee).WithoutFees())
	if err != nil || feeSale.TAO == 0 {
		t.Fatalf("fee sale %v, %v", feeSale, err)
	}
	before, authorBefore := l.Balance(acctN(1)), l.Balance(author)
	tao, err := l.RemoveStake(acctN(1), acctN(101), 2, stake)
	if err != nil {
		t.Fatal(err)
	}
	if tao != sell.TAO || l.Balance(acctN(1)) != before+sell.TAO {
		t.Fatalf("paid %d, balance +%d, quote %d", tao, l.Balance(acctN(1))-before, sell.TAO)
	}
	if got := l.Balance(author) - authorBefore; got != feeSale.TAO {
		t.Fatalf("author got %d, want %d", got, feeSale.TAO)
	}
	s, _ := l.Subnet(2)
	if s.TaoFlow != -int64(sell.TAO+feeSale.TAO) || s.AlphaBurned != 0 {
		t.Fatalf("SubnetTaoFlow %d, AlphaBurned %d", s.TaoFlow, s.AlphaBurned)
	}
	if err := l.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

func TestSaturatingAddFlow(t *testing.T) {
	cases := []struct {
		flow int64
		tao  units.TAO
		sign int64
		want int64
	}{
		{5, 3, 1, 8},
		{5, 3, -1, 2},
		{math.MaxInt64 - 1, 5, 1, math.MaxInt64},
		{math.MinInt64 + 1, 5, -1, math.MinInt64},
		// u64 as i64 wraps: 2^64 − 1 is −1.
		{0, math.MaxUint64, 1, -1},
		{0, math.MaxUint64, -1, 1},
		{math.MinInt64, 1 << 63, 1, math.MinInt64},
		{math.MaxInt64, 1 << 63, -1, math.MaxInt64},
	}
	for _, c := range cases {
		if got := saturatingAddFlow(c.flow, c.tao, c.sign); got != c.want {
			t.Errorf("saturatingAddFlow(%d, %d, %d) = %d, want %d", c.flow, c.tao, c.sign, got, c.want)
		}
	}
}

// BenchmarkStakeRoundTrip measures one add_stake and one remove_stake of
// the whole position on a dynamic subnet, with StateHash and
// CheckInvariants reported separately.
func BenchmarkStakeRoundTrip(b *testing.B) {
	l := testNetwork(b)
	c, hk := acctN(2), acctN(100)
	b.ReportAllocs()
	for b.Loop() {
		alpha, err := l.AddStake(c, hk, 1, 10_000_000_000)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := l.RemoveStake(c, hk, 1, alpha); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStateHash(b *testing.B) {
	l := testNetwork(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = l.StateHash()
	}
}
