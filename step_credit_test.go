package dtao

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/units"
)

// creditSubnetAccountRef is the block's mint into a subnet account as it
// was written before creditSubnetAccount: read, saturating add, write.
func creditSubnetAccountRef(l *Ledger, acct units.AccountID, credit units.TAO) {
	l.balances[acct] = l.balances[acct].SaturatingAdd(credit)
	l.totalIssuance = l.totalIssuance.SaturatingAdd(credit)
}

// creditSubnetAccount's one map write gives the saturating read and
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
		l := &Ledger{balances: map[units.AccountID]units.TAO{}}
		if balance != 0 {
			l.balances[acct] = units.TAO(balance)
		}
		if rest != 0 {
			l.balances[other] = units.TAO(rest)
		}
		l.totalIssuance = units.TAO(balance + rest) // the balances' sum
		return l
	}
	got, want := mk(), mk()
	a := acct
	got.creditSubnetAccount(&a, units.TAO(credit))
	creditSubnetAccountRef(want, acct, units.TAO(credit))
	if got.totalIssuance != want.totalIssuance || len(got.balances) != len(want.balances) ||
		got.balances[acct] != want.balances[acct] || got.balances[other] != want.balances[other] {
		t.Fatalf("balance %d rest %d credit %d: got issuance %d balance %d, want %d %d", balance, rest, credit,
			got.totalIssuance, got.balances[acct], want.totalIssuance, want.balances[acct])
	}
}
