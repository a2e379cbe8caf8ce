package consensus_test

import (
	"testing"

	"github.com/dtao-go/dtao/units"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Port of subtensor pallets/subtensor/src/tests/epoch.rs::test_bonds
// @14bc6f9f964b9cc362e9635dd110a487fa5d15a0 (sparse variant), with the
// emission vector the test's comments print after the first weighted epoch.
func TestBonds(t *testing.T) {
	const n = 8
	s := newSubnet(n, 1, []uint64{1, 2, 3, 4, 0, 0, 0, 0}, 1)
	s.in.MaxAllowedValidators = n
	s.epoch(t) // permits
	s.nextBlock()
	for uid := range n / 2 {
		s.setWeights(uid, seq(n/2, n), []uint16{65535 / 4, 65535 / 2, (65535 / 4) * 3, 65535})
	}
	out := s.epoch(t)
	assert.Equal(t, []units.Alpha{49999998, 99999999, 150000000, 200000001, 49998779, 100000610, 149996337, 200004272}, out.Emission)
	check := func(col uint16, want [4]uint16) {
		t.Helper()
		for i := range 4 {
			assert.Equal(t, want[i], s.bond(i, col), "bonds[%d][%d] at block %d", i, col, s.in.CurrentBlock)
		}
	}
	check(4, [4]uint16{16383, 32767, 49151, 65535})

	s.setWeights(0, []uint16{0}, []uint16{65535})
	s.nextBlock()
	s.epoch(t)
	check(4, [4]uint16{14582, 32767, 49151, 65535})

	s.setWeights(1, []uint16{1}, []uint16{65535})
	s.nextBlock()
	s.epoch(t)
	check(4, [4]uint16{12603, 28321, 49151, 65535})

	s.setWeights(2, []uint16{2}, []uint16{65535})
	s.nextBlock()
	s.epoch(t)
	check(7, [4]uint16{12602, 28320, 49150, 65535})

	s.setWeights(2, []uint16{7}, []uint16{65535})
	s.nextBlock()
	out = s.epoch(t)
	check(7, [4]uint16{10951, 24609, 49150, 65535})
	require.Equal(t, []units.Alpha{36443733, 81898628, 163565493, 218092144, 0, 0, 0, 500000000}, out.Emission)

	s.nextBlock()
	s.epoch(t)
	check(7, [4]uint16{9559, 21482, 49150, 65535})

	s.nextBlock()
	s.epoch(t)
	check(7, [4]uint16{8376, 18824, 49150, 65535})
}

// Port of subtensor pallets/subtensor/src/tests/epoch.rs::test_active_stake
// @14bc6f9f964b9cc362e9635dd110a487fa5d15a0 (sparse variant). The test
// advances to block activity_cutoff+2 with the legacy ActivityCutoff (5000).
func TestActiveStake(t *testing.T) {
	const n = 4
	s := newSubnet(n, 1, []uint64{1, 1, 1, 1}, 0)
	s.in.MaxAllowedValidators = n
	s.epoch(t)
	s.nextBlock()
	for uid := range n / 2 {
		s.setWeights(uid, seq(n/2, n), []uint16{65535 / 2, 65535 / 2})
	}
	out := s.epoch(t)
	for uid := range n {
		if uid < n/2 {
			assert.Equal(t, uint16(32767), out.Dividends[uid])
		}
		assert.Equal(t, units.Alpha(250000000), out.Emission[uid])
	}
	for v := range n / 2 {
		for j := range n {
			want := uint16(0)
			if j >= n/2 {
				want = 65535
			}
			assert.Equal(t, want, s.bond(v, uint16(j)))
		}
	}

	s.in.CurrentBlock = 5000 + 2
	s.setWeights(0, seq(n/2, n), []uint16{65535 / 2, 65535 / 2})
	out = s.epoch(t)
	assert.Equal(t, uint16(36044), out.Dividends[0])
	assert.Equal(t, units.Alpha(274999999), out.Emission[0])
	assert.Equal(t, uint16(29490), out.Dividends[1])
	assert.Equal(t, units.Alpha(224999999), out.Emission[1])
	for j := uint16(n / 2); j < n; j++ {
		assert.Equal(t, uint16(65535), s.bond(0, j))
		assert.Equal(t, uint16(53619), s.bond(1, j))
	}

	s.setWeights(1, seq(n/2, n), []uint16{65535 / 2, 65535 / 2})
	s.in.CurrentBlock = 5000 + 3
	out = s.epoch(t)
	assert.Equal(t, uint16(35716), out.Dividends[0])
	assert.Equal(t, units.Alpha(272501132), out.Emission[0])
	assert.Equal(t, uint16(29818), out.Dividends[1])
	assert.Equal(t, units.Alpha(227498866), out.Emission[1])
	for j := uint16(n / 2); j < n; j++ {
		assert.Equal(t, uint16(65535), s.bond(0, j))
		assert.Equal(t, uint16(54712), s.bond(1, j))
	}
}

// Port of subtensor pallets/subtensor/src/tests/epoch.rs::test_outdated_weights
// @14bc6f9f964b9cc362e9635dd110a487fa5d15a0 (sparse variant): uid 3 is
// replaced by a new hotkey (replace_neuron + clear_neuron) between epochs.
func TestOutdatedWeights(t *testing.T) {
	const n = 4
	s := newSubnet(n, 0, []uint64{1, 1, 1, 1}, 1)
	s.in.MaxAllowedValidators = n
	s.epoch(t)
	s.nextBlock()
	for uid := range n / 2 {
		s.setWeights(uid, seq(n/2, n), []uint16{2 * (65535 / 3), 65535 / 3})
	}
	for uid := n / 2; uid < n; uid++ {
		s.setWeights(uid, []uint16{uint16(uid)}, []uint16{65535})
	}
	out := s.epoch(t)
	assert.Equal(t, []units.Alpha{250000000, 250000000, 333331637, 166668361}, out.Emission)

	// replace_neuron(uid 3) at block 2: new hotkey without stake.
	s.in.BlockAtRegistration[3] = s.in.CurrentBlock
	s.in.LastUpdate[3] = s.in.CurrentBlock
	s.in.AlphaStake[3] = 0
	s.in.Weights[3] = nil
	s.in.Bonds[3] = nil
	for i := range s.in.Weights {
		for k := range s.in.Weights[i] {
			if s.in.Weights[i][k].UID == 3 {
				s.in.Weights[i][k].Value = 0
			}
		}
	}
	s.in.ValidatorPermit[3] = false
	s.nextBlock()
	s.setWeights(0, seq(n/2, n), []uint16{2 * (65535 / 3), 65535 / 3})
	out = s.epoch(t)
	assert.Equal(t, uint16(32767), out.Dividends[0])
	assert.Equal(t, units.Alpha(250000000), out.Emission[0])
	assert.Equal(t, uint16(65535), s.bond(0, 2))
	assert.Equal(t, uint16(65535), s.bond(0, 3))
	// The full result, derived by hand from run_epoch.rs epoch_mechanism.
	assert.Equal(t, []units.Alpha{250000000, 250000000, 500000000, 0}, out.Emission)
	assert.Equal(t, []uint16{0, 0, 65535, 0}, out.Incentive)
}
