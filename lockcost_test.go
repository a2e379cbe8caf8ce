package dtao

import (
	"math"
	"testing"

	"github.com/dtao-go/dtao/units"
)

const tao = units.TAO(units.RaoPerTAO)

// get_lock_reduction_interval: the interval scales with the halving of the
// block emission, with I64F64 truncation.
func TestLockReductionInterval(t *testing.T) {
	for _, c := range []struct {
		interval uint64
		e        units.TAO
		want     uint64
	}{
		{57_600, tao, 57_600},
		{57_600, tao / 2, 28_800},
		{57_600, tao / 4, 14_400},
		{57_600, 0, 0},
		// floor(2^64·976_562/10^9) is short of 976_562·2^64/10^9, so the
		// product lands just below the integer 488_281.
		{500_000_000, 976_562, 488_280},
		{math.MaxUint64, tao, 1<<63 - 1},
	} {
		if got := LockReductionInterval(c.interval, c.e); got != c.want {
			t.Errorf("LockReductionInterval(%d, %d) = %d, want %d", c.interval, c.e, got, c.want)
		}
	}
}

// tests/migration.rs test_migrate_network_lock_cost_2500_sets_price_and_decay
// under tests/mock.rs (min lock 100 TAO, interval 2): 2 500 TAO at the
// registration block, less floor(1 250 TAO / 2) one block later.
func TestNetworkLockCostMigration2500(t *testing.T) {
	p := LockCostParams{LastLockCost: 1250 * tao, LastRegistrationBlock: 1, CurrentBlock: 1,
		LockReductionInterval: 2, MinLockCost: 100 * tao, BlockEmission: tao}
	if got, iv := NetworkLockCost(p); got != 2500*tao || iv != 2 {
		t.Errorf("cost %d (interval %d), want 2500 TAO (2)", got, iv)
	}
	p.CurrentBlock = 2
	if got, _ := NetworkLockCost(p); got != 1875*tao {
		t.Errorf("after one block %d, want 1875 TAO", got)
	}
}

func TestNetworkLockCostEdges(t *testing.T) {
	base := LockCostParams{LastLockCost: 2000 * tao, LastRegistrationBlock: 1000,
		LockReductionInterval: 57_600, MinLockCost: 1000 * tao, BlockEmission: tao}
	for name, c := range map[string]struct {
		edit func(*LockCostParams)
		want units.TAO
	}{
		"never registered: once the last lock, decayed": {func(p *LockCostParams) { p.LastRegistrationBlock = 0; p.CurrentBlock = 0 }, 2000 * tao},
		"doubles at registration":                       {func(p *LockCostParams) { p.CurrentBlock = 1000 }, 4000 * tao},
		"half the interval":                             {func(p *LockCostParams) { p.CurrentBlock = 1000 + 28_800 }, 4000*tao - (2000*tao/57_600)*28_800},
		"floor":                                         {func(p *LockCostParams) { p.CurrentBlock = 1_000_000 }, 1000 * tao},
		"clock before t0 counts 0 blocks":               {func(p *LockCostParams) { p.CurrentBlock = 10 }, 4000 * tao},
		"no emission, no decay":                         {func(p *LockCostParams) { p.BlockEmission = 0; p.CurrentBlock = 1 << 40 }, 4000 * tao},
		"saturating double":                             {func(p *LockCostParams) { p.LastLockCost = math.MaxUint64; p.CurrentBlock = 1000 }, math.MaxUint64},
		"saturating decay": {func(p *LockCostParams) {
			p.LastLockCost = math.MaxUint64
			p.LockReductionInterval = 2
			p.CurrentBlock = 1 << 62
			p.MinLockCost = 0
		}, 0},
	} {
		p := base
		c.edit(&p)
		if got, _ := NetworkLockCost(p); got != c.want {
			t.Errorf("%s: %d, want %d", name, got, c.want)
		}
	}
}
