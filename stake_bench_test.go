package dtao_test

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/sim"
	"github.com/dtao-go/dtao/units"
)

// stakeBench is the network of BenchmarkStakeCalls, built once per
// process.
var stakeBench struct {
	once   sync.Once
	l      *dtao.Ledger
	agents sim.Agents
	err    error
}

// BenchmarkStakeCalls makes the stake calls of BenchmarkStep/subnets=64's
// agents on sim.BenchConfig's network, without the blocks: one op is one
// call, an add_stake of 0.5 to 10% of a staker's balance to a random
// target or, half of the time when the staker holds a position, a
// remove_stake of 5 to 50% of one of its positions (the agents' choice in
// package sim). Refused calls count as ops.
//
//	go test -run '^$' -bench StakeCalls -benchtime 20000x
func BenchmarkStakeCalls(b *testing.B) {
	stakeBench.once.Do(func() {
		g, err := sim.Genesis(sim.BenchConfig())
		if err != nil {
			stakeBench.err = err
			return
		}
		stakeBench.agents = sim.AgentsOf(&g)
		stakeBench.l, stakeBench.err = dtao.NewLedger(g)
	})
	if stakeBench.err != nil {
		b.Fatal(stakeBench.err)
	}
	l, a := stakeBench.l, stakeBench.agents
	r := rand.New(rand.NewPCG(7, 11))
	pct := func(lo, hi uint64, v uint64) uint64 {
		q, ok := fixed.MulDivUint64(v, lo+r.Uint64N(hi-lo+1), 1000)
		if !ok {
			b.Fatal("mulDiv")
		}
		return q
	}
	b.ReportAllocs()
	for b.Loop() {
		i := r.IntN(len(a.Stakers))
		c := a.Stakers[i]
		pos := a.Positions[i]
		if len(pos) > 0 && r.IntN(2) == 0 {
			t := a.Targets[pos[r.IntN(len(pos))]]
			have := l.Stake(t.Hotkey, c, t.NetUID)
			_, _ = l.RemoveStake(c, t.Hotkey, t.NetUID, units.Alpha(pct(50, 500, have.Rao())))
			continue
		}
		ti := r.IntN(len(a.Targets))
		t := a.Targets[ti]
		if _, err := l.AddStake(c, t.Hotkey, t.NetUID, units.TAO(pct(5, 100, l.Balance(c).Rao()))); err == nil {
			a.Positions[i] = append(pos, ti)
		}
	}
}
