package dtao_test

import (
	"testing"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/sim"
	"github.com/dtao-go/dtao/units"
)

// BenchmarkPayout runs one subnet's epoch and payouts (the ledger's
// distribute: the stake view, subnet.RunEpoch, the distribution and the
// credits to the share pools and RootClaimable) per op, on the network
// of BenchmarkStep/subnets=64 (sim.BenchConfig) after one tempo of
// blocks, cycling through its 64 subnets.
//
//	go test -run '^$' -bench Payout -benchtime 2000x
func BenchmarkPayout(b *testing.B) {
	cfg := sim.BenchConfig()
	s, err := sim.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	for range cfg.Tempo + 1 {
		if _, err := s.Step(); err != nil {
			b.Fatal(err)
		}
	}
	l := s.Ledger()
	var ids []units.NetUID
	for _, id := range l.NetUIDs() {
		if id != dtao.RootNetUID {
			ids = append(ids, id)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := dtao.DistributeOnce(l, ids[i%len(ids)], 400_000_000_000, 400_000_000_000, 200_000_000_000, 180_000_000_000); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
