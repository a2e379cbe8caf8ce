package sim

import (
	"runtime"
	"testing"
	"time"

	"github.com/dtao-go/dtao"
)

// heapMiB is the live heap after a collection, in MiB.
func heapMiB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// BenchmarkLargeGenesis loads the largest network the issue asks for, 128
// subnets of 256 uids and 200,000 staking accounts, and steps it one
// tempo: it reports the genesis build and load times, the live heap after
// the load and after the tempo, and the time per block.
//
//	go test -run '^$' -bench LargeGenesis -benchtime 1x ./sim
func BenchmarkLargeGenesis(b *testing.B) {
	cfg := BenchConfig()
	cfg.Subnets, cfg.Stakers = 128, 200_000
	for range b.N {
		base := heapMiB()
		start := time.Now()
		g, err := Genesis(cfg)
		if err != nil {
			b.Fatal(err)
		}
		built := time.Since(start)
		start = time.Now()
		l, err := dtao.NewLedger(g)
		if err != nil {
			b.Fatal(err)
		}
		loaded := time.Since(start)
		g = dtao.GenesisConfig{}
		afterLoad := heapMiB() - base
		s := FromLedger(l, Agents{}, cfg.Seed)
		start = time.Now()
		for range cfg.Tempo {
			if _, err := s.Step(); err != nil {
				b.Fatal(err)
			}
		}
		perBlock := time.Since(start) / time.Duration(cfg.Tempo)
		b.ReportMetric(built.Seconds(), "s-genesis")
		b.ReportMetric(loaded.Seconds(), "s-load")
		b.ReportMetric(afterLoad, "MiB-loaded")
		b.ReportMetric(heapMiB()-base, "MiB-after-tempo")
		b.ReportMetric(float64(perBlock.Nanoseconds()), "ns/block")
		if err := l.CheckInvariants(); err != nil {
			b.Fatal(err)
		}
		runtime.KeepAlive(l)
	}
}

// BenchmarkLongRun steps package sim's BenchConfig network with its agents
// for 100,000 blocks and reports the live heap at the start, after 10,000
// and after 100,000 blocks: the state grows only by the positions the
// agents open, not by the blocks.
//
//	go test -run '^$' -bench LongRun -benchtime 1x -timeout 2h ./sim
func BenchmarkLongRun(b *testing.B) {
	for range b.N {
		s, err := New(BenchConfig())
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(heapMiB(), "MiB-at-0")
		for i := 1; i <= 100_000; i++ {
			if _, err := s.Step(); err != nil {
				b.Fatal(err)
			}
			if i == 10_000 {
				b.ReportMetric(heapMiB(), "MiB-at-10k")
			}
		}
		b.ReportMetric(heapMiB(), "MiB-at-100k")
		if err := s.Ledger().CheckInvariants(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkActs measures the agents' stake calls on two BenchConfig
// networks stepped in turn, one op being a block of each: in each block
// one network acts in chunks, drawn ahead and their state read ahead
// (actInChunks), the other one act at a time (refAct, the reference of
// TestStepMatchesReference), the roles swapping every block, so that
// both ways run on both networks, first and second, and share the
// machine's noise. Both ways draw the same numbers and make the same
// calls, so the networks stay equal (checked at the end). It reports the
// acts' time per block of each way (chunks-ns/block,
// reference-ns/block).
//
//	go test -run '^$' -bench Acts -benchtime 7200x ./sim
func BenchmarkActs(b *testing.B) {
	var sims [2]*Simulation
	for k := range sims {
		s, err := New(BenchConfig())
		if err != nil {
			b.Fatal(err)
		}
		for range BenchConfig().Tempo {
			if _, err := s.Step(); err != nil {
				b.Fatal(err)
			}
		}
		sims[k] = s
	}
	var acts [2]time.Duration // by way: chunks, reference
	b.ResetTimer()
	for i := range b.N {
		for k, s := range sims {
			way := (k + i) % 2
			next := s.l.Block() + 1
			start := time.Now()
			if way == 0 {
				s.actInChunks(s.actions)
			} else {
				for range s.actions {
					refAct(s)
				}
			}
			acts[way] += time.Since(start)
			s.setWeights(next)
			if _, err := s.l.Step(); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	if sims[0].l.StateHash() != sims[1].l.StateHash() {
		b.Fatal("the two networks differ")
	}
	b.ReportMetric(float64(acts[0].Nanoseconds())/float64(b.N), "chunks-ns/block")
	b.ReportMetric(float64(acts[1].Nanoseconds())/float64(b.N), "reference-ns/block")
}
