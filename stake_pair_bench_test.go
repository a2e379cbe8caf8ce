package dtao

import "testing"

// BenchmarkStakePair is one add_stake of 0.2 TAO and the remove_stake of
// the alpha it bought, by a coldkey already holding a stake in the pool,
// on testNetwork's subnet 1 (half weights) and subnet 2 (a 0.4 quote
// weight and a 500/65535 fee), in the processor's caches: the calls' own
// work (checks, quotes, swaps, share arithmetic, journal) without the
// cache misses of a large ledger.
func BenchmarkStakePair(b *testing.B) {
	for _, c := range []struct {
		name   string
		netuid uint16
	}{{"subnet=1", 1}, {"subnet=2", 2}} {
		b.Run(c.name, func(b *testing.B) {
			l := testNetwork(b)
			ck, hk := acctN(4), acctN(100)
			if c.netuid == 2 {
				hk = acctN(101)
			}
			netuid := l.order[c.netuid]
			if _, err := l.AddStake(ck, hk, netuid, 100_000_000_000); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				a, err := l.AddStake(ck, hk, netuid, 200_000_000)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := l.RemoveStake(ck, hk, netuid, a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
