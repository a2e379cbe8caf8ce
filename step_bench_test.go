package dtao_test

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/dtao-go/dtao/sim"
)

// benchSims are the networks of BenchmarkStep, built once per process and
// stepped on across the benchmark's rounds.
var benchSims sync.Map // name → *benchSim

type benchSim struct {
	once sync.Once
	s    *sim.Simulation
	err  error
}

// BenchmarkStep runs the ledger's blocks on package sim's networks with
// the agents moving stake before every block and the validators
// re-setting their weights every tempo: subnets=64 is sim.BenchConfig
// (64 subnets of 256 uids, 64 validators each, tempo 360, prices from
// 0.003 to 0.1 TAO per alpha so that the injection cap binds and the chain
// buys alpha), subnets=8 sim.DefaultConfig. One op is one block, but the
// blocks run in whole tempos (b.N rounded up to a multiple of 360), so
// that every subnet's epoch counts once per tempo: ns/op and ns/block are
// the time per block of all the blocks run, allocs/block and B/block
// their allocations. The network is built once, outside the timer, and
// stepped one tempo untimed before the first measure.
//
//	go test -run '^$' -bench 'Step/subnets=64' -benchtime 720x
func BenchmarkStep(b *testing.B) {
	for _, c := range []struct {
		name string
		cfg  sim.Config
	}{
		{"subnets=64", sim.BenchConfig()},
		{"subnets=8", sim.DefaultConfig()},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.StopTimer()
			v, _ := benchSims.LoadOrStore(c.name, &benchSim{})
			bs := v.(*benchSim)
			bs.once.Do(func() {
				start := time.Now()
				bs.s, bs.err = sim.New(c.cfg)
				if bs.err == nil {
					b.Logf("%s: genesis built in %v", c.name, time.Since(start))
				}
				for range c.cfg.Tempo {
					if bs.err != nil {
						break
					}
					_, bs.err = bs.s.Step()
				}
			})
			if bs.err != nil {
				b.Fatal(bs.err)
			}
			s := bs.s
			tempo := uint64(c.cfg.Tempo)
			blocks := (uint64(b.N) + tempo - 1) / tempo * tempo
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			b.ResetTimer()
			b.StartTimer()
			for range blocks {
				if _, err := s.Step(); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			runtime.ReadMemStats(&after)
			perBlock := float64(b.Elapsed().Nanoseconds()) / float64(blocks)
			b.ReportMetric(perBlock, "ns/op")
			b.ReportMetric(perBlock, "ns/block")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(blocks), "allocs/block")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(blocks), "B/block")
		})
	}
}
