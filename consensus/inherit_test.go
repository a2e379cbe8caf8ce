package consensus_test

import (
	"math"
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/stretchr/testify/assert"
)

// Ports of subtensor pallets/subtensor/src/tests/children.rs
// @14bc6f9f964b9cc362e9635dd110a487fa5d15a0 (the get_inherited_for_hotkey_on_subnet
// assertions, with their tolerances).
func TestInheritedSingleParentChild(t *testing.T) {
	// test_get_stake_for_hotkey_on_subnet_single_parent_child: exact.
	full := []consensus.Share{{Proportion: math.MaxUint64}}
	assert.Equal(t, uint64(0), consensus.Inherited(1_000_000_000, full, nil))
	assert.Equal(t, uint64(1_000_000_000),
		consensus.Inherited(0, nil, []consensus.Share{{Stake: 1_000_000_000, Proportion: math.MaxUint64}}))
}

func TestInheritedMultipleParentsSingleChild(t *testing.T) {
	// test_get_stake_for_hotkey_on_subnet_multiple_parents_single_child: close(…, 10).
	half := uint64(math.MaxUint64 / 2)
	p1 := consensus.Inherited(1000, []consensus.Share{{Proportion: half}}, nil)
	p2 := consensus.Inherited(2000, []consensus.Share{{Proportion: half}}, nil)
	c := consensus.Inherited(0, nil, []consensus.Share{{1000, half}, {2000, half}})
	assert.InDelta(t, 500, p1, 10)
	assert.InDelta(t, 1000, p2, 10)
	assert.InDelta(t, 1499, c, 10)
}

func TestInheritedSingleParentMultipleChildren(t *testing.T) {
	// test_get_stake_for_hotkey_on_subnet_single_parent_multiple_children: close(…, 10).
	third := uint64(math.MaxUint64 / 3)
	p := consensus.Inherited(3000, []consensus.Share{{Proportion: third}, {Proportion: third}}, nil)
	c1 := consensus.Inherited(0, nil, []consensus.Share{{3000, third}})
	c2 := consensus.Inherited(0, nil, []consensus.Share{{3000, third}})
	assert.InDelta(t, 3000, p+c1+c2, 10)
	assert.InDelta(t, 1000, p, 10)
	assert.InDelta(t, 1000, c1, 10)
	assert.InDelta(t, 1000, c2, 10)
}

// The chain floors each side in U96F32: half of 1001 goes to the child as
// 500.49…, leaving the parent 500 after the floor of 500.50….
func TestInheritedFloors(t *testing.T) {
	half := uint64(math.MaxUint64 / 2)
	parent := consensus.Inherited(1001, []consensus.Share{{Proportion: half}}, nil)
	child := consensus.Inherited(0, nil, []consensus.Share{{1001, half}})
	assert.LessOrEqual(t, parent+child, uint64(1001))
	assert.Equal(t, uint64(500), child)
}
