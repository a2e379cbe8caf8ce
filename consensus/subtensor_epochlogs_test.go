package consensus_test

import (
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/assert"
)

// Ports of subtensor pallets/subtensor/src/tests/epoch_logs.rs
// @14bc6f9f964b9cc362e9635dd110a487fa5d15a0. Those tests assert on the
// epoch's trace log; here the same quantities are asserted on the stored
// outputs they become (u16 = floor(x·65535), rao = floor(x·E)).

type logNeuron struct {
	validator   bool
	stake       uint64
	reg, update uint64
}

// logSubnet is setup_epoch: SubnetworkN, tempo 10, permits and LastUpdate
// written directly (commit-reveal off, original Yuma unless changed).
func logSubnet(block uint64, ns []logNeuron) *subnet {
	n := len(ns)
	stakes := make([]uint64, n)
	for i, x := range ns {
		stakes[i] = x.stake
	}
	s := newSubnet(n, 10, stakes, block)
	for i, x := range ns {
		s.in.ValidatorPermit[i] = x.validator
		s.in.BlockAtRegistration[i] = x.reg
		s.in.LastUpdate[i] = x.update
	}
	return s
}

func twoValidators(update uint64) []logNeuron {
	return []logNeuron{{true, 1e9, 0, update}, {true, 1e9, 0, update}}
}

func TestLogsSimple(t *testing.T) {
	s := logSubnet(1, twoValidators(1)) // epoch_logs.rs::test_simple
	out := s.epoch(t)
	assert.Equal(t, []bool{true, true}, out.Active)
	assert.Equal(t, []uint16{32767, 32767}, out.StakeWeight) // Normalised Stake: [0.5, 0.5]
	assert.Equal(t, []bool{true, true}, out.ValidatorPermit)
	assert.Equal(t, []uint16{0, 0}, out.Consensus)
	assert.Equal(t, []units.Alpha{500000000, 500000000}, out.ValidatorEmission)
	assert.Equal(t, []units.Alpha{500000000, 500000000}, out.Emission)
}

func TestLogsBadPermitVector(t *testing.T) {
	s := logSubnet(1, twoValidators(1)) // epoch_logs.rs::test_bad_permit_vector
	s.in.ValidatorPermit = []bool{true}
	out := s.epoch(t)
	assert.Equal(t, []units.Alpha{1000000000, 0}, out.ValidatorEmission)
}

func TestLogsInactiveMaskZeroesActiveStake(t *testing.T) {
	// Also yuma_emergency_mode: with no active stake the emission falls
	// back to the normalised stake.
	s := logSubnet(1_000_000, twoValidators(0)) // epoch_logs.rs::test_inactive_mask_zeroes_active_stake
	out := s.epoch(t)
	assert.Equal(t, []bool{false, false}, out.Active)
	assert.Equal(t, []units.Alpha{500000000, 500000000}, out.Emission)
}

func TestLogsValidatorPermitMasksActiveStake(t *testing.T) {
	s := logSubnet(1, twoValidators(1)) // epoch_logs.rs::test_validator_permit_masks_active_stake
	s.in.ValidatorPermit = []bool{true, false}
	out := s.epoch(t)
	// Active Stake: [1, 0] is what the fallback emission follows.
	assert.Equal(t, []units.Alpha{1000000000, 0}, out.Emission)
}

func TestLogsUsesActiveStakeWhenNonzero(t *testing.T) {
	s := logSubnet(1000, // epoch_logs.rs::epoch_uses_active_stake_when_nonzero_active
		[]logNeuron{{true, 1e9, 0, 999}, {true, 1e9, 0, 1}})
	out := s.epoch(t)
	assert.Equal(t, []bool{true, false}, out.Active)
	assert.Equal(t, []units.Alpha{1000000000, 0}, out.Emission)
}

func TestLogsTopkValidatorPermits(t *testing.T) {
	s := logSubnet(1, // epoch_logs.rs::epoch_topk_validator_permits
		[]logNeuron{{true, 2e9, 0, 1}, {true, 1e9, 0, 1}})
	s.in.MaxAllowedValidators = 1
	out := s.epoch(t)
	assert.Equal(t, []bool{true, false}, out.ValidatorPermit)
	assert.Equal(t, uint16(43689), out.StakeWeight[0]) // Normalised Stake: [0.666…
}

func TestLogsYuma3BondsPipeline(t *testing.T) {
	s := logSubnet(1, twoValidators(1)) // epoch_logs.rs::epoch_yuma3_bonds_pipeline
	s.in.Yuma3 = true
	out := s.epoch(t)
	assert.Equal(t, []units.Alpha{500000000, 500000000}, out.Emission)
	assert.Len(t, out.Bonds, 2)
	for _, r := range out.Bonds {
		assert.Empty(t, r)
	}
}

func fiveNeurons() []logNeuron {
	return []logNeuron{
		{true, 1e9, 0, 1}, {true, 1e9, 0, 1}, {true, 1e9, 0, 1},
		{false, 0, 0, 1}, {false, 0, 0, 1},
	}
}

func TestLogsTwoDistinctServers(t *testing.T) {
	s := logSubnet(1, fiveNeurons()) // epoch_logs.rs::test_validators_weight_two_distinct_servers
	s.setYuma3Weights([][]uint16{{mx, 0}, {0, mx}, {mx, 0}}, []uint16{3, 4})
	out := s.epoch(t)
	assert.Equal(t, []uint16{0, 0, 0, 65535, 0}, out.Consensus)
	assert.Equal(t, []uint16{65535, 0, 65535, 0, 0}, out.ValidatorTrust)
	assert.Equal(t, []uint16{32767, 0, 32767, 0, 0}, out.Dividends)
	assert.Equal(t, []units.Alpha{250000000, 0, 250000000, 500000000, 0}, out.Emission)
}

func TestLogsSplitAcrossTwoServers(t *testing.T) {
	s := logSubnet(1, fiveNeurons()) // epoch_logs.rs::test_validator_splits_weight_across_two_servers
	s.setYuma3Weights([][]uint16{{mx, 0}, {0, mx}, {mx, mx}}, []uint16{3, 4})
	out := s.epoch(t)
	assert.Equal(t, []uint16{0, 0, 0, 32767, 32767}, out.Consensus)
	assert.Equal(t, []uint16{32767, 32767, 65535, 0, 0}, out.ValidatorTrust)
	assert.Equal(t, []uint16{16383, 16383, 32767, 0, 0}, out.Dividends)
	assert.Equal(t, []units.Alpha{125000000, 125000000, 250000000, 250000000, 250000000}, out.Emission)
}

// epoch_mechanism_reads_weights_per_mechanism and
// epoch_mechanism_three_mechanisms_separate_state: each mechanism's epoch
// reads its own weight rows (E = 1000 per mechanism).
func TestLogsMechanismsSeparateState(t *testing.T) {
	cases := []struct {
		name    string
		ns      []logNeuron
		weights [][]consensus.Entry
		want    []units.Alpha
	}{
		{"epoch_mechanism_reads_weights_per_mechanism", fiveNeurons(),
			[][]consensus.Entry{{{3, mx}}, {{4, mx}}, {{3, mx}}}, []units.Alpha{250, 0, 250, 500, 0}},
		{"epoch_mechanism_reads_weights_per_mechanism", fiveNeurons(),
			[][]consensus.Entry{{{4, mx}}, {{3, mx}}, {{4, mx}}}, []units.Alpha{250, 0, 250, 0, 500}},
		{"epoch_mechanism_three_mechanisms_separate_state", fiveNeurons()[1:],
			[][]consensus.Entry{{{2, mx}}, {{2, mx}}}, []units.Alpha{250, 250, 500, 0}},
		{"epoch_mechanism_three_mechanisms_separate_state", fiveNeurons()[1:],
			[][]consensus.Entry{{{2, mx}, {3, mx}}, {{2, mx}, {3, mx}}}, []units.Alpha{250, 250, 250, 250}},
		{"epoch_mechanism_three_mechanisms_separate_state", fiveNeurons()[1:],
			[][]consensus.Entry{{{3, mx}}, {{3, mx}}}, []units.Alpha{250, 250, 0, 500}},
	}
	for _, c := range cases {
		s := logSubnet(1, c.ns)
		s.in.Emission = 1000
		copy(s.in.Weights, c.weights)
		out := s.epoch(t)
		assert.Equal(t, c.want, out.Emission, c.name)
	}
}
