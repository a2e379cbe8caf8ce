package dtao

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/units"
)

// creditSubnetAccountRef is the block's mint into a subnet account as it
// was written before creditSubnetAccount: read, saturating add, write,
// each a lookup in the map.
func creditSubnetAccountRef(l *Ledger, acct units.AccountID, credit units.TAO) {
	l.putBalance(acct, l.balances.cell(acct), l.balance(acct).SaturatingAdd(credit))
	l.totalIssuance = l.totalIssuance.SaturatingAdd(credit)
}

// creditSubnetAccount's plain sum through the kept cell gives the saturating read and
// write's balances and TotalIssuance on every state where no balance
// exceeds TotalIssuance (the ledger's invariant), near overflow and
// for an account the map does not hold.
func TestCreditSubnetAccountMatchesSaturating(t *testing.T) {
	type tc struct{ balance, rest, credit uint64 }
	cases := []tc{
		{0, 0, 1},
		{0, 5, 7},
		{1, 0, math.MaxUint64},
		{math.MaxUint64, 0, 1},
		{math.MaxUint64 - 1, 0, 1},
		{math.MaxUint64 - 1, 1, 1},
		{math.MaxUint64 / 2, math.MaxUint64 / 2, math.MaxUint64 / 2},
		{100, math.MaxUint64 - 200, 100},
		{100, math.MaxUint64 - 200, 101},
	}
	r := rand.New(rand.NewPCG(14, 6))
	for range 20000 {
		var c tc
		switch r.IntN(3) {
		case 0: // anywhere
			c.balance = r.Uint64()
			c.rest = r.Uint64N(math.MaxUint64 - c.balance + 1)
			c.credit = r.Uint64()
		case 1: // near the top
			c.balance = math.MaxUint64 - r.Uint64N(1<<20)
			c.rest = r.Uint64N(math.MaxUint64 - c.balance + 1)
			c.credit = r.Uint64N(1 << 21)
		default: // the chain's scale
			c.balance = r.Uint64N(1 << 55)
			c.rest = r.Uint64N(1 << 55)
			c.credit = 1 + r.Uint64N(1<<40)
		}
		cases = append(cases, c)
	}
	for _, c := range cases {
		checkCreditSubnetAccount(t, c.balance, c.rest, c.credit)
	}
}

// FuzzCreditSubnetAccount compares creditSubnetAccount with the saturating
// read and write on any balances within the ledger's invariant.
func FuzzCreditSubnetAccount(f *testing.F) {
	f.Add(uint64(0), uint64(0), uint64(1))
	f.Add(uint64(math.MaxUint64), uint64(0), uint64(1))
	f.Add(uint64(1), uint64(math.MaxUint64-1), uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, balance, rest, credit uint64) {
		if rest > math.MaxUint64-balance {
			rest = math.MaxUint64 - balance // the balances' sum is TotalIssuance, a u64
		}
		checkCreditSubnetAccount(t, balance, rest, credit)
	})
}

// checkCreditSubnetAccount credits credit to a subnet account holding
// balance beside another holding rest, TotalIssuance their sum.
func checkCreditSubnetAccount(t *testing.T, balance, rest, credit uint64) {
	t.Helper()
	if credit == 0 {
		return // the block mints only a positive credit
	}
	acct, other := SubnetAccountID(3), units.AccountID{7}
	mk := func() *Ledger {
		l := &Ledger{balances: newBalanceTable(0)}
		l.putBalance(acct, nil, units.TAO(balance))
		l.putBalance(other, nil, units.TAO(rest))
		l.totalIssuance = units.TAO(balance + rest) // the balances' sum
		return l
	}
	got, want := mk(), mk()
	var s stepSubnet
	// The credit twice: first with no kept cell (looked up), then through
	// the cell kept (creditKept's case, unless TotalIssuance would
	// overflow).
	for k := range 2 {
		got.creditSubnetAccount(&s, 3, units.TAO(credit))
		creditSubnetAccountRef(want, acct, units.TAO(credit))
		if got.totalIssuance != want.totalIssuance || got.balances.len() != want.balances.len() ||
			got.balance(acct) != want.balance(acct) || got.balance(other) != want.balance(other) {
			t.Fatalf("balance %d rest %d credit %d (credit %d): got issuance %d balance %d, want %d %d", balance, rest, credit, k,
				got.totalIssuance, got.balance(acct), want.totalIssuance, want.balance(acct))
		}
		if s.bal != got.balances.cell(acct) {
			t.Fatalf("balance %d credit %d (credit %d): the kept cell %p is not the table's %p", balance, credit, k, s.bal, got.balances.cell(acct))
		}
	}
}

// The cell a subnet's entry keeps is used only while no account has been
// removed since it was looked up: the subnet account reaped and made
// again by a transfer, or another account reaped, or a call that made it
// undone, and the next credit writes the map's cell, as a lookup would.
func TestCreditSubnetAccountKeptCellAfterRemovals(t *testing.T) {
	l := testNetwork(t)
	ids, subs := l.keptSubnets()
	if len(ids) == 0 || ids[0] != 1 {
		t.Fatalf("kept netuids %v", ids)
	}
	s, acct := &subs[0], SubnetAccountID(1)
	credit := func(amount units.TAO) {
		t.Helper()
		before, issued := l.balance(acct), l.totalIssuance
		l.creditSubnetAccount(s, 1, amount)
		if l.balance(acct) != before+amount || l.totalIssuance != issued+amount || s.bal != l.balances.cell(acct) {
			t.Fatalf("credit %d: balance %d → %d, issuance %d → %d, kept cell %p, the map's %p",
				amount, before, l.balance(acct), issued, l.totalIssuance, s.bal, l.balances.cell(acct))
		}
		if err := UIDCachesCurrent(l); err != nil {
			t.Fatal(err)
		}
		if p := l.subnetBalanceRef(1); p != l.balances.cell(acct) {
			t.Fatalf("the stake calls' cell %p, the map's %p", p, l.balances.cell(acct))
		}
		if err := l.checkInvariants(); err != nil {
			t.Fatal(err)
		}
	}
	credit(5)
	first := s.bal
	// The subnet account reaped (its balance gone with the issuance),
	// then made again by a transfer: a new cell.
	j := l.begin()
	l.totalIssuance -= l.balance(acct)
	j.setBalance(acct, 0)
	j.commit()
	if l.balances.cell(acct) != nil || l.subnetBalanceRef(1) != nil {
		t.Fatal("the reaped subnet account still has a cell")
	}
	payer := acctN(0)
	j = l.begin()
	if err := l.balTransfer(j, payer, acct, l.ed+7, false); err != nil {
		t.Fatal(err)
	}
	j.commit()
	if l.balances.cell(acct) == first {
		t.Fatal("the account made again reuses the reaped cell")
	}
	credit(11)
	// Another account reaped: the kept cell is looked up again, the same.
	again := s.bal
	other := acctN(1)
	j = l.begin()
	l.totalIssuance -= l.balance(other)
	j.setBalance(other, 0)
	j.commit()
	credit(13)
	if s.bal != again {
		t.Fatal("another account's removal changed the subnet account's cell")
	}
	// A call that reaped the subnet account, undone: the account is back
	// in a new cell; and a call that made it, undone: no account, until
	// the block's credit makes it.
	j = l.begin()
	l.totalIssuance -= l.balance(acct)
	j.setBalance(acct, 0)
	j.rollback()
	credit(17)
	j = l.begin()
	l.totalIssuance -= l.balance(acct)
	j.setBalance(acct, 0)
	j.commit()
	j = l.begin()
	if err := l.balTransfer(j, payer, acct, l.ed+3, false); err != nil {
		t.Fatal(err)
	}
	j.rollback()
	if l.balances.cell(acct) != nil {
		t.Fatal("the undone transfer left the subnet account")
	}
	credit(l.ed + 19)
}
