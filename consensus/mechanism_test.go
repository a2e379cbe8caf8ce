package consensus_test

import (
	"math"
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Ports of subtensor pallets/subtensor/src/tests/mechanism.rs
// @14bc6f9f964b9cc362e9635dd110a487fa5d15a0.

func splitEmission(t *testing.T, emission units.Alpha, count int, split []uint16) []units.Alpha {
	t.Helper()
	got, err := consensus.SplitEmission(nil, emission, count, split)
	require.NoError(t, err)
	return got
}

func TestSplitEmission(t *testing.T) {
	// split_emissions_even_division
	assert.Equal(t, []units.Alpha{5, 5, 5, 5, 5}, splitEmission(t, 25, 5, nil))
	// split_emissions_rounding_to_first
	assert.Equal(t, []units.Alpha{4, 2, 2, 2}, splitEmission(t, 10, 4, nil))
	// split_emissions_fibbonacci inserts the split {3450, 6899, 10348,
	// 17247, 27594} into storage directly; it sums to 65538, which
	// do_set_emission_split refuses. With the last share lowered to 27591
	// (sum 65535) the shares are floor(19·s/65535) = 1, 2, 3, 5, 7 and the
	// remainder 1 goes to mechanism 0.
	_, err := consensus.SplitEmission(nil, 19, 5, []uint16{3450, 6899, 10348, 17247, 27594})
	require.ErrorIs(t, err, consensus.ErrInvalidEmissionSplit)
	assert.Equal(t, []units.Alpha{2, 2, 3, 5, 7},
		splitEmission(t, 19, 5, []uint16{3450, 6899, 10348, 17247, 27591}))
	// Missing shares are 0 and the remainder goes to mechanism 0.
	assert.Equal(t, []units.Alpha{100, 0}, splitEmission(t, 100, 2, []uint16{65535}))
}

// TestSplitEmissionRefusesWhatTheSetterRefuses: do_set_mechanism_count and
// do_set_emission_split refuse these with InvalidValue, so the chain never
// splits with them; {65535, 65535} used to pay out twice the emission.
func TestSplitEmissionRefusesWhatTheSetterRefuses(t *testing.T) {
	cases := []struct {
		name  string
		count int
		split []uint16
		want  error
	}{
		{"count -1", -1, []uint16{65535, 65535}, consensus.ErrInvalidMechanismCount},
		{"count 0", 0, nil, consensus.ErrInvalidMechanismCount},
		{"count 17", 17, nil, consensus.ErrInvalidMechanismCount},
		{"shares sum to twice 65535", 2, []uint16{65535, 65535}, consensus.ErrInvalidEmissionSplit},
		{"shares sum below 65535", 2, []uint16{1, 2}, consensus.ErrInvalidEmissionSplit},
		{"empty split", 2, []uint16{}, consensus.ErrInvalidEmissionSplit},
		{"more shares than mechanisms", 1, []uint16{65535, 0}, consensus.ErrInvalidEmissionSplit},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dst := []units.Alpha{7, 7, 7}
			got, err := consensus.SplitEmission(dst, 1000, c.count, c.split)
			require.ErrorIs(t, err, c.want)
			assert.Nil(t, got)
			assert.Equal(t, []units.Alpha{7, 7, 7}, dst, "dst is not written on error")
			var named interface{ ChainName() string }
			require.ErrorAs(t, err, &named)
			assert.Equal(t, "InvalidValue", named.ChainName())
		})
	}
	// The bounds themselves are what the chain holds.
	assert.Len(t, splitEmission(t, 1000, 16, nil), 16)
	assert.Equal(t, []units.Alpha{1000}, splitEmission(t, 1000, 1, []uint16{65535}))
}

func TestEpochWithMechanismsRefusesInvalidSplit(t *testing.T) {
	in, mechs := mockEpochState(2)
	_, _, err := consensus.EpochWithMechanisms(in, mechs, []uint16{65535, 65535})
	require.ErrorIs(t, err, consensus.ErrInvalidEmissionSplit)
	_, _, err = consensus.EpochWithMechanisms(in, nil, nil)
	require.ErrorIs(t, err, consensus.ErrInvalidMechanismCount)
	_, _, err = consensus.EpochWithMechanisms(in, make([]consensus.Mechanism, 17), nil)
	require.ErrorIs(t, err, consensus.ErrInvalidMechanismCount)
}

func TestEpochWithMechanismsValidatesEveryMechanism(t *testing.T) {
	in, mechs := mockEpochState(2)
	mechs[1].Weights[0] = append(mechs[1].Weights[0], consensus.Entry{UID: 2, Value: 1})
	_, _, err := consensus.EpochWithMechanisms(in, mechs, nil)
	require.ErrorIs(t, err, consensus.ErrInvalidInput)
	assert.Contains(t, err.Error(), "mechanism 1")
}

// mockEpochState is mock_epoch_state: two neurons with equal stake, both
// permitted, two mechanisms whose weight rows both point at uids 0 and 1.
func mockEpochState(n int) (consensus.Input, []consensus.Mechanism) {
	in := consensus.Input{
		N: uint16(n), CurrentBlock: 1, Tempo: 1,
		ActivityCutoffFactorMilli: consensus.DefaultActivityCutoffFactorMilli,
		BlockAtRegistration:       make([]uint64, n),
		AlphaStake:                make([]units.Alpha, n),
		ValidatorPermit:           []bool{true, true},
		MaxAllowedValidators:      100,
		Kappa:                     consensus.DefaultKappa,
		BondsPenalty:              consensus.DefaultBondsPenalty,
		BondsMovingAverage:        consensus.DefaultBondsMovingAverage,
		AlphaLow:                  consensus.DefaultAlphaLow,
		AlphaHigh:                 consensus.DefaultAlphaHigh,
		AlphaSigmoidSteepness:     consensus.DefaultAlphaSigmoidSteepness,
		Emission:                  1_000_000_000,
	}
	for i := range n {
		in.BlockAtRegistration[i] = 1
	}
	in.AlphaStake[0], in.AlphaStake[1] = 1e9, 1e9
	mechs := make([]consensus.Mechanism, 2)
	for m := range mechs {
		mechs[m].LastUpdate = make([]uint64, n)
		for i := range n {
			mechs[m].LastUpdate[i] = 2
		}
		mechs[m].Weights = [][]consensus.Entry{{{0, 0xFFFF}, {1, 0xFFFF}}, {{0, 0xFFFF}, {1, 0xFFFF}}}
		mechs[m].Bonds = make([][]consensus.Entry, n)
	}
	return in, mechs
}

func TestEpochWithMechanismsPerMechanismIncentive(t *testing.T) {
	in, mechs := mockEpochState(2)
	_, outs, err := consensus.EpochWithMechanisms(in, mechs, nil)
	require.NoError(t, err)
	for m := range 2 {
		assert.Equal(t, []uint16{0xFFFF / 2, 0xFFFF / 2}, outs[m].Incentive)
	}
}

func TestEpochWithMechanismsUpdatesBonds(t *testing.T) {
	in, mechs := mockEpochState(2)
	mechs[1].Weights = [][]consensus.Entry{{{0, 0xFFFF}, {1, 0}}, {{0, 0xFFFF}, {1, 0xFFFF}}}
	_, outs, err := consensus.EpochWithMechanisms(in, mechs, nil)
	require.NoError(t, err)
	assert.Equal(t, []consensus.Entry{{1, 65535}}, outs[0].Bonds[0])
	assert.Equal(t, []consensus.Entry{{0, 65535}}, outs[0].Bonds[1])
	assert.Empty(t, outs[1].Bonds[0])
	assert.Equal(t, []consensus.Entry{{0, 65535}}, outs[1].Bonds[1])
}

// mock3 is mock_3_neurons on top of mock_epoch_state.
func mock3() (consensus.Input, []consensus.Mechanism) {
	in, mechs := mockEpochState(3)
	in.ValidatorPermit = []bool{true, false, false}
	for m := range mechs {
		mechs[m].Weights = append(mechs[m].Weights, nil)
	}
	return in, mechs
}

func TestEpochWithMechanismsIncentivesProportionalToWeights(t *testing.T) {
	in, mechs := mock3()
	mechs[0].Weights[0] = []consensus.Entry{{1, 0xFFFF / 5 * 4}, {2, 0xFFFF / 5}}
	mechs[1].Weights[0] = []consensus.Entry{{1, 0xFFFF / 5}, {2, 0xFFFF / 5 * 4}}
	_, outs, err := consensus.EpochWithMechanisms(in, mechs, nil)
	require.NoError(t, err)
	assert.InDelta(t, 0xFFFF/5*4, outs[0].Incentive[1], 1)
	assert.InDelta(t, 0xFFFF/5, outs[0].Incentive[2], 1)
	assert.InDelta(t, 0xFFFF/5, outs[1].Incentive[1], 1)
	assert.InDelta(t, 0xFFFF/5*4, outs[1].Incentive[2], 1)
}

func TestEpochWithMechanismsAggregatesAllTerms(t *testing.T) {
	in, mechs := mock3()
	split := []uint16{65535 / 4, 65535 - 65535/4}
	mechs[0].Weights[0] = []consensus.Entry{{1, 0xFFFF / 5 * 3}, {2, 0xFFFF / 5 * 2}}
	mechs[1].Weights[0] = []consensus.Entry{{1, 0xFFFF / 5}, {2, 0xFFFF / 5 * 4}}
	shares := splitEmission(t, in.Emission, 2, split)
	agg, outs, err := consensus.EpochWithMechanisms(in, mechs, split)
	require.NoError(t, err)
	for m := range 2 {
		mi := in
		mi.LastUpdate, mi.Weights, mi.Bonds, mi.Emission = mechs[m].LastUpdate, mechs[m].Weights, mechs[m].Bonds, shares[m]
		alone, err := consensus.Epoch(mi)
		require.NoError(t, err)
		assert.Equal(t, alone.Incentive, outs[m].Incentive)
		assert.Equal(t, alone.Bonds, outs[m].Bonds)
	}
	for uid := 1; uid <= 2; uid++ {
		assert.InDelta(t, uint64(outs[0].ServerEmission[uid]+outs[1].ServerEmission[uid]), uint64(agg.ServerEmission[uid]), 1)
		assert.InDelta(t, uint64(outs[0].ValidatorEmission[uid]+outs[1].ValidatorEmission[uid]), uint64(agg.ValidatorEmission[uid]), 1)
	}
	w0 := float64(shares[0]) / float64(in.Emission)
	w1 := float64(shares[1]) / float64(in.Emission)
	assert.InDelta(t, 0.25, w0, 0.0001)
	assert.InDelta(t, 0.75, w1, 0.0001)
	wsum := func(a, b uint64) float64 { return math.Floor(float64(a)*w0 + float64(b)*w1) }
	for uid := range 3 {
		assert.InDelta(t, wsum(uint64(outs[0].Emission[uid]), uint64(outs[1].Emission[uid])), float64(agg.Emission[uid]), 1)
		assert.InDelta(t, wsum(uint64(outs[0].Consensus[uid]), uint64(outs[1].Consensus[uid])), float64(agg.Consensus[uid]), 1)
		assert.InDelta(t, wsum(uint64(outs[0].Dividends[uid]), uint64(outs[1].Dividends[uid])), float64(agg.Dividends[uid]), 1)
		assert.InDelta(t, wsum(uint64(outs[0].ValidatorTrust[uid]), uint64(outs[1].ValidatorTrust[uid])), float64(agg.ValidatorTrust[uid]), 1)
		assert.Equal(t, outs[0].Active[uid] || outs[1].Active[uid], agg.Active[uid])
		assert.Equal(t, outs[0].ValidatorPermit[uid] || outs[1].ValidatorPermit[uid], agg.ValidatorPermit[uid])
	}
}
