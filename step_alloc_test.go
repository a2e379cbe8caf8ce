package dtao_test

import (
	"testing"

	"github.com/dtao-go/dtao/sim"
)

// TestStepAllocatesNothing checks that the ledger's block, epochs and
// payouts included, allocates nothing once its buffers have grown: a
// small network run for a tempo (every subnet's epoch once, its buffers
// and kept lookups sized), then blocks of a whole further tempo measured,
// each epoch and payout again.
func TestStepAllocatesNothing(t *testing.T) {
	c := sim.DefaultConfig()
	c.Subnets, c.UIDs, c.Validators, c.RootValidators, c.Stakers = 6, 32, 8, 3, 200
	c.Tempo = 20
	s, err := sim.New(c)
	if err != nil {
		t.Fatal(err)
	}
	// Two tempos with the agents, so that every pool and buffer the
	// blocks touch exists; then the ledger's blocks alone.
	for range 2 * int(c.Tempo) {
		if _, err := s.Step(); err != nil {
			t.Fatal(err)
		}
	}
	l := s.Ledger()
	for range int(c.Tempo) + 1 {
		if _, err := l.Step(); err != nil {
			t.Fatal(err)
		}
	}
	epochs := 0
	allocs := testing.AllocsPerRun(int(c.Tempo)+1, func() {
		r, err := l.Step()
		if err != nil {
			t.Fatal(err)
		}
		epochs += r.EpochsRun
	})
	if epochs == 0 {
		t.Fatal("no epoch ran in the measured blocks")
	}
	if allocs != 0 {
		t.Fatalf("a block allocates %v times", allocs)
	}
}
