package dtao_test

import (
	"fmt"
	"testing"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/sim"
	"github.com/dtao-go/dtao/units"
)

// BenchmarkRootStakeClaimed is one add_stake of 1 TAO on root and the
// remove_stake of the alpha it bought, on sim.BenchConfig's network (64
// subnets), to a hotkey with RootClaimable entries on the first k
// subnets: each call adjusts RootClaimed on the hotkey's k netuids.
//
//	go test -run '^$' -bench RootStakeClaimed
func BenchmarkRootStakeClaimed(b *testing.B) {
	for _, k := range []int{0, 8, 64} {
		b.Run(fmt.Sprintf("entries=%d", k), func(b *testing.B) {
			g, err := sim.Genesis(sim.BenchConfig())
			if err != nil {
				b.Fatal(err)
			}
			a := sim.AgentsOf(&g)
			hk, ck := a.Targets[0].Hotkey, a.Stakers[0]
			var netuids []units.NetUID
			for _, s := range g.Subnets {
				netuids = append(netuids, s.NetUID)
			}
			for i := range min(k, len(netuids)) {
				g.RootClaimable = append(g.RootClaimable, dtao.GenesisRootClaimable{
					Hotkey: hk, NetUID: netuids[i], Rate: fixed.I96F32FromUint64(uint64(i + 1))})
			}
			l, err := dtao.NewLedger(g)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				alpha, err := l.AddStake(ck, hk, dtao.RootNetUID, 1_000_000_000)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := l.RemoveStake(ck, hk, dtao.RootNetUID, alpha); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRootStakeClaimedCold is BenchmarkRootStakeClaimed/entries=64,
// staking 0.1 TAO, with RootClaimed holding an entry on each of the 64 netuids for each of
// 4096 coldkeys, and each op's pair of calls made by the next of them:
// the calls' RootClaimed entries are out of the processor's caches, as in
// a long run of BenchmarkStep, where a root stake call meets a large
// RootClaimed.
//
//	go test -run '^$' -bench RootStakeClaimedCold
func BenchmarkRootStakeClaimedCold(b *testing.B) {
	const coldkeys = 4096
	g, err := sim.Genesis(sim.BenchConfig())
	if err != nil {
		b.Fatal(err)
	}
	a := sim.AgentsOf(&g)
	hk := a.Targets[0].Hotkey
	cks := a.Stakers[:coldkeys]
	for i, s := range g.Subnets {
		g.RootClaimable = append(g.RootClaimable, dtao.GenesisRootClaimable{
			Hotkey: hk, NetUID: s.NetUID, Rate: fixed.I96F32FromUint64(uint64(i + 1))})
		for _, ck := range cks {
			g.RootClaimed = append(g.RootClaimed, dtao.GenesisRootClaimed{
				NetUID: s.NetUID, Hotkey: hk, Coldkey: ck, Claimed: fixed.U128FromUint64(1_000_000)})
		}
	}
	l, err := dtao.NewLedger(g)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ck := cks[i%coldkeys]
		i++
		alpha, err := l.AddStake(ck, hk, dtao.RootNetUID, 100_000_000)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := l.RemoveStake(ck, hk, dtao.RootNetUID, alpha); err != nil {
			b.Fatal(err)
		}
	}
}
