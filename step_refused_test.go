package dtao

import (
	"errors"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// TestStepRefusedBlockChangesNothing checks that a block whose coinbase
// refuses a pool (one the chain could not hold: amm.Pool.Validate fails)
// returns the error and changes nothing: the registration step (each
// subnet's Burn decays and its RegistrationsThisBlock resets), which runs
// once the coinbase has accepted the block, has not run. The burns are
// set high, so that every block's decay changes them.
func TestStepRefusedBlockChangesNothing(t *testing.T) {
	l := steppingNetwork(t)
	for _, id := range []uint16{1, 2} {
		sn := l.nets[units.NetUID(id)]
		sn.Burn = sn.Hyperparameters.MaxBurn
		sn.RegistrationsThisBlock = 3
	}
	if _, err := l.Step(); err != nil {
		t.Fatal(err)
	}
	for _, id := range []uint16{1, 2} {
		sn := l.nets[units.NetUID(id)]
		if sn.Burn >= sn.Hyperparameters.MaxBurn || sn.RegistrationsThisBlock != 0 {
			t.Fatalf("netuid %d: burn %d (max %d), registrations %d after a block: no decay to undo",
				id, sn.Burn, sn.Hyperparameters.MaxBurn, sn.RegistrationsThisBlock)
		}
		sn.RegistrationsThisBlock = 2
	}
	// The second subnet's pool becomes one the coinbase refuses, after
	// the first subnet's step has run.
	l.subnets[2].Pool.QuoteWeight = 0
	before := l.StateHash()
	burn1, burn2 := l.nets[1].Burn, l.nets[2].Burn
	if _, err := l.Step(); !errors.Is(err, amm.ErrInvalidWeight) {
		t.Fatalf("Step with an invalid pool: %v, want amm.ErrInvalidWeight", err)
	}
	if got := l.StateHash(); got != before {
		t.Fatal("a refused block changed the state")
	}
	for _, id := range []uint16{1, 2} {
		if sn := l.nets[units.NetUID(id)]; sn.RegistrationsThisBlock != 2 {
			t.Errorf("netuid %d: registrations %d after a refused block, want 2", id, sn.RegistrationsThisBlock)
		}
	}
	if l.nets[1].Burn != burn1 || l.nets[2].Burn != burn2 {
		t.Errorf("burns %d, %d after a refused block, want %d, %d", l.nets[1].Burn, l.nets[2].Burn, burn1, burn2)
	}
	// The pool put back, the block runs.
	l.subnets[2].Pool.QuoteWeight = amm.HalfWeight
	if _, err := l.Step(); err != nil {
		t.Fatal(err)
	}
}
