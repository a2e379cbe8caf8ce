package consensus_test

import (
	"math"
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/assert"
)

// Ports of subtensor pallets/subtensor/src/tests/children.rs
// @14bc6f9f964b9cc362e9635dd110a487fa5d15a0 (the get_inherited_for_hotkey_on_subnet
// assertions, with their tolerances).
func TestInheritedSingleParentChild(t *testing.T) {
	// test_get_stake_for_hotkey_on_subnet_single_parent_child: exact.
	full := []consensus.Share[units.Alpha]{{Proportion: math.MaxUint64}}
	assert.Equal(t, units.Alpha(0), consensus.Inherited(1_000_000_000, full, nil))
	assert.Equal(t, units.Alpha(1_000_000_000),
		consensus.Inherited(0, nil, []consensus.Share[units.Alpha]{{Stake: 1_000_000_000, Proportion: math.MaxUint64}}))
}

func TestInheritedMultipleParentsSingleChild(t *testing.T) {
	// test_get_stake_for_hotkey_on_subnet_multiple_parents_single_child: close(…, 10).
	half := uint64(math.MaxUint64 / 2)
	p1 := consensus.Inherited(1000, []consensus.Share[units.Alpha]{{Proportion: half}}, nil)
	p2 := consensus.Inherited(2000, []consensus.Share[units.Alpha]{{Proportion: half}}, nil)
	c := consensus.Inherited(0, nil, []consensus.Share[units.Alpha]{{1000, half}, {2000, half}})
	assert.InDelta(t, 500, uint64(p1), 10)
	assert.InDelta(t, 1000, uint64(p2), 10)
	assert.InDelta(t, 1499, uint64(c), 10)
}

func TestInheritedSingleParentMultipleChildren(t *testing.T) {
	// test_get_stake_for_hotkey_on_subnet_single_parent_multiple_children: close(…, 10).
	third := uint64(math.MaxUint64 / 3)
	p := consensus.Inherited(3000, []consensus.Share[units.Alpha]{{Proportion: third}, {Proportion: third}}, nil)
	c1 := consensus.Inherited(0, nil, []consensus.Share[units.Alpha]{{3000, third}})
	c2 := consensus.Inherited(0, nil, []consensus.Share[units.Alpha]{{3000, third}})
	assert.InDelta(t, 3000, uint64(p+c1+c2), 10)
	assert.InDelta(t, 1000, uint64(p), 10)
	assert.InDelta(t, 1000, uint64(c1), 10)
	assert.InDelta(t, 1000, uint64(c2), 10)
}

// The chain floors each side in U96F32: half of 1001 goes to the child as
// 500.49…, leaving the parent 500 after the floor of 500.50….
func TestInheritedFloors(t *testing.T) {
	half := uint64(math.MaxUint64 / 2)
	parent := consensus.Inherited(1001, []consensus.Share[units.Alpha]{{Proportion: half}}, nil)
	child := consensus.Inherited(0, nil, []consensus.Share[units.Alpha]{{1001, half}})
	assert.LessOrEqual(t, parent+child, units.Alpha(1001))
	assert.Equal(t, units.Alpha(500), child)
}

// Root stake inherits by the same formula
// (get_tao_inherited_for_hotkey_on_subnet), in TAO.
func TestInheritedTAO(t *testing.T) {
	half := uint64(math.MaxUint64 / 2)
	parent := consensus.Inherited(units.TAO(1001), []consensus.Share[units.TAO]{{Proportion: half}}, nil)
	child := consensus.Inherited(0, nil, []consensus.Share[units.TAO]{{1001, half}})
	assert.Equal(t, units.TAO(500), parent)
	assert.Equal(t, units.TAO(500), child)
}
