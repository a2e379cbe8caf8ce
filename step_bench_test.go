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
			s := benchSimOf(b, c.name, func() (*sim.Simulation, error) {
				s, err := sim.New(c.cfg)
				if err != nil {
					return nil, err
				}
				return s, stepTempo(s, c.cfg.Tempo)
			})
			runBlocks(b, s, c.cfg.Tempo)
		})
	}
}

// BenchmarkStepGrown is BenchmarkStep/subnets=64 on a network grown to
// the stake positions of about half a simulated year, the state the late
// blocks of a year read: sim.BenchConfig's agents make 1,024 stake calls
// a block for 5,000 blocks (5.1 million calls, 2.5 million positions, 155
// a staker, about 600 in each of the 4,112 validators' share pools, a
// dozen chunks), then the 4 a block of BenchmarkStep, which it measures
// the same way. BenchmarkStep starts from genesis, and a network's blocks
// slow as its positions grow (22 µs a block in a year's first 219,000,
// 30 µs in its last, on the development machines): this one measures
// where they have grown. Growing the network takes about 10 s and 320 MB,
// once per process and only when the benchmark runs.
//
//	go test -run '^$' -bench 'StepGrown' -benchtime 3600x
func BenchmarkStepGrown(b *testing.B) {
	b.Run("half-year", func(b *testing.B) {
		cfg := sim.BenchConfig()
		s := benchSimOf(b, "grown", func() (*sim.Simulation, error) {
			s, err := sim.New(cfg)
			if err != nil {
				return nil, err
			}
			s.SetActionsPerBlock(1024)
			for range 5000 {
				if _, err := s.Step(); err != nil {
					return nil, err
				}
			}
			s.SetActionsPerBlock(cfg.ActionsPerBlock)
			return s, stepTempo(s, cfg.Tempo)
		})
		runBlocks(b, s, cfg.Tempo)
	})
}

// benchSimOf returns the network of name, built by build once per process
// outside the timer (benchSims).
func benchSimOf(b *testing.B, name string, build func() (*sim.Simulation, error)) *sim.Simulation {
	b.StopTimer()
	v, _ := benchSims.LoadOrStore(name, &benchSim{})
	bs := v.(*benchSim)
	bs.once.Do(func() {
		start := time.Now()
		bs.s, bs.err = build()
		if bs.err == nil {
			b.Logf("%s: built in %v", name, time.Since(start))
		}
	})
	if bs.err != nil {
		b.Fatal(bs.err)
	}
	return bs.s
}

// stepTempo steps s one tempo, so that a measure starts after every
// subnet's first epoch.
func stepTempo(s *sim.Simulation, tempo uint16) error {
	for range tempo {
		if _, err := s.Step(); err != nil {
			return err
		}
	}
	return nil
}

// runBlocks steps s b.N blocks rounded up to whole tempos, timed, and
// reports the time per block and the allocations per block (BenchmarkStep).
func runBlocks(b *testing.B, s *sim.Simulation, tempo16 uint16) {
	tempo := uint64(tempo16)
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
}
