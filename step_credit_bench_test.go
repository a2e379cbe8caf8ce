package dtao

import (
	"testing"

	"github.com/dtao-go/dtao/units"
)

// BenchmarkCreditSubnetAccounts is the block's mint into 64 subnet
// accounts among 20,000 accounts, as sim.BenchConfig's block does it:
// cell writes through the subnet list's kept cells (creditSubnetAccount),
// and, for comparison, the map assignment per subnet that it replaced
// (the former creditSubnetAccount on a map of values). One op is one
// block's 64 credits.
//
//	go test -run '^$' -bench CreditSubnetAccounts
func BenchmarkCreditSubnetAccounts(b *testing.B) {
	const subnets, accounts = 64, 20_000
	l := &Ledger{balances: newBalanceTable(accounts + subnets)}
	values := make(map[units.AccountID]units.TAO, accounts+subnets)
	for i := range accounts {
		a := units.AccountID{byte(i), byte(i >> 8), 1}
		l.putBalance(a, nil, 1_000_000_000)
		values[a] = 1_000_000_000
	}
	subs := make([]stepSubnet, subnets)
	for i := range subs {
		a := SubnetAccountID(units.NetUID(i + 1))
		l.putBalance(a, nil, 1_000_000_000)
		values[a] = 1_000_000_000
	}
	l.totalIssuance = units.TAO(accounts+subnets) * 1_000_000_000
	b.Run("cells", func(b *testing.B) {
		for b.Loop() {
			for i := range subs {
				l.creditSubnetAccount(&subs[i], units.NetUID(i+1), 1)
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		issuance := l.totalIssuance
		for b.Loop() {
			for i := range subs {
				// The former creditSubnetAccount.
				acct := SubnetAccountID(units.NetUID(i + 1))
				if issued, over := issuance.Add(1); !over {
					values[acct]++
					issuance = issued
					continue
				}
				values[acct] = values[acct].SaturatingAdd(1)
				issuance = issuance.SaturatingAdd(1)
			}
		}
	})
}
