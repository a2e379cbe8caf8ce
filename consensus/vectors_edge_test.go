package consensus_test

import (
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Edge cases of epoch_mechanism (run_epoch.rs @14bc6f9f) whose every output
// is derived by hand from the source; each is also a case of
// testdata/epoch.jsonl.

// edgeInput is a three-uid subnet at block 100, tempo 10 (cutoff 138
// blocks, so every uid is active), stakes 1000, 2000, 0, uids 0 and 1
// permitted, original Yuma, no weights or bonds yet.
func edgeInput() consensus.Input {
	return consensus.Input{
		N: 3, CurrentBlock: 100, Tempo: 10,
		ActivityCutoffFactorMilli: consensus.DefaultActivityCutoffFactorMilli,
		LastUpdate:                []uint64{99, 99, 99},
		BlockAtRegistration:       []uint64{0, 0, 0},
		AlphaStake:                []units.Alpha{1000, 2000, 0},
		ValidatorPermit:           []bool{true, true, false},
		MaxAllowedValidators:      2,
		Kappa:                     consensus.DefaultKappa,
		BondsPenalty:              consensus.DefaultBondsPenalty,
		BondsMovingAverage:        consensus.DefaultBondsMovingAverage,
		AlphaLow:                  consensus.DefaultAlphaLow,
		AlphaHigh:                 consensus.DefaultAlphaHigh,
		AlphaSigmoidSteepness:     consensus.DefaultAlphaSigmoidSteepness,
		Weights:                   make([][]consensus.Entry, 3),
		Bonds:                     make([][]consensus.Entry, 3),
		Emission:                  1_000_000_000,
	}
}

func runEdge(t *testing.T, in consensus.Input) consensus.Output {
	t.Helper()
	var ws consensus.Workspace
	var out consensus.Output
	require.NoError(t, ws.Epoch(&in, &out))
	return out
}

// An empty subnet (n = 0) stores empty vectors: every output is a
// non-nil empty slice (encoded [] by the runner, not null).
func TestEdgeEmptySubnet(t *testing.T) {
	in := consensus.Input{
		CurrentBlock: 10, Tempo: 1, Kappa: consensus.DefaultKappa, Emission: 5,
		ActivityCutoffFactorMilli: consensus.DefaultActivityCutoffFactorMilli,
		LastUpdate:                []uint64{}, BlockAtRegistration: []uint64{}, AlphaStake: []units.Alpha{},
		ValidatorPermit: []bool{}, Weights: [][]consensus.Entry{}, Bonds: [][]consensus.Entry{},
	}
	out := runEdge(t, in)
	for name, s := range map[string]int{
		"consensus": len(out.Consensus), "incentive": len(out.Incentive), "dividends": len(out.Dividends),
		"validator_trust": len(out.ValidatorTrust), "stake_weight": len(out.StakeWeight),
		"server_emission": len(out.ServerEmission), "validator_emission": len(out.ValidatorEmission),
		"emission": len(out.Emission), "bonds": len(out.Bonds), "validator_permit": len(out.ValidatorPermit),
	} {
		assert.Zero(t, s, name)
	}
	assert.NotNil(t, out.Consensus)
	assert.NotNil(t, out.Incentive)
	assert.NotNil(t, out.Dividends)
	assert.NotNil(t, out.ValidatorTrust)
	assert.NotNil(t, out.StakeWeight)
	assert.NotNil(t, out.ServerEmission)
	assert.NotNil(t, out.ValidatorEmission)
	assert.NotNil(t, out.Emission)
	assert.NotNil(t, out.Bonds)
	assert.NotNil(t, out.ValidatorPermit)
	assert.NotNil(t, out.Active)
	assert.NotNil(t, out.Stake)
}

// Commit-reveal on with commit_blocks not reaching a uid: the chain builds
// commit_blocks = vec![u64::MAX; n] and lowers only uids with a live
// commit, so uid 1 (no entry) has none and its weight to uid 0, registered
// at block 5, is kept. By hand: S = A = [0, 1]; W row 1 = [(0, 1)];
// C = [1, 0]; I = [1, 0]; ΔB = [(0, 1)] in row 1, B¹ = 0.1 there,
// column-normalised to 1, D = [0, 1]; Σ = 2, so server = [E/2, 0],
// validator = [0, E/2], emission = [E/2, E/2]; the stored bond is
// max-upscaled to 65535.
func TestEdgeCommitBlocksShort(t *testing.T) {
	in := consensus.Input{
		N: 2, CurrentBlock: 10, Tempo: 10,
		ActivityCutoffFactorMilli: consensus.DefaultActivityCutoffFactorMilli,
		LastUpdate:                []uint64{10, 10},
		BlockAtRegistration:       []uint64{5, 0},
		AlphaStake:                []units.Alpha{0, 1000},
		ValidatorPermit:           []bool{false, true},
		MaxAllowedValidators:      2,
		Kappa:                     consensus.DefaultKappa,
		BondsPenalty:              consensus.DefaultBondsPenalty,
		BondsMovingAverage:        consensus.DefaultBondsMovingAverage,
		AlphaLow:                  consensus.DefaultAlphaLow,
		AlphaHigh:                 consensus.DefaultAlphaHigh,
		AlphaSigmoidSteepness:     consensus.DefaultAlphaSigmoidSteepness,
		Weights:                   [][]consensus.Entry{nil, {{UID: 0, Value: 65535}}},
		Bonds:                     make([][]consensus.Entry, 2),
		CommitBlocks:              []uint64{3},
		Emission:                  1_000_000_000,
	}
	out := runEdge(t, in)
	assert.Equal(t, []uint16{65535, 0}, out.Consensus)
	assert.Equal(t, []uint16{65535, 0}, out.Incentive)
	assert.Equal(t, []uint16{0, 65535}, out.Dividends)
	assert.Equal(t, []uint16{0, 65535}, out.ValidatorTrust)
	assert.Equal(t, []uint16{0, 65535}, out.StakeWeight)
	assert.Equal(t, []units.Alpha{500_000_000, 0}, out.ServerEmission)
	assert.Equal(t, []units.Alpha{0, 500_000_000}, out.ValidatorEmission)
	assert.Equal(t, []units.Alpha{500_000_000, 500_000_000}, out.Emission)
	assertBonds(t, [][]consensus.Entry{{}, {{UID: 0, Value: 65535}}}, out.Bonds)
	assert.Equal(t, []bool{false, true}, out.ValidatorPermit)
}

// One uid without an owner: its self-weight is masked, nothing is earned
// (Σ = 0), so validator and combined emission fall back to the active stake
// (1): all of E. k = 2 > n = 1 keeps the non-zero-stake permit.
func TestEdgeSingleUID(t *testing.T) {
	in := edgeInput()
	in.N = 1
	in.LastUpdate, in.BlockAtRegistration, in.AlphaStake = in.LastUpdate[:1], in.BlockAtRegistration[:1], in.AlphaStake[:1]
	in.ValidatorPermit, in.Bonds = in.ValidatorPermit[:1], in.Bonds[:1]
	in.Weights = [][]consensus.Entry{{{UID: 0, Value: 65535}}}
	out := runEdge(t, in)
	assert.Equal(t, []uint16{0}, out.Consensus)
	assert.Equal(t, []uint16{0}, out.Incentive)
	assert.Equal(t, []uint16{0}, out.Dividends)
	assert.Equal(t, []uint16{0}, out.ValidatorTrust)
	assert.Equal(t, []uint16{65535}, out.StakeWeight)
	assert.Equal(t, []units.Alpha{0}, out.ServerEmission)
	assert.Equal(t, []units.Alpha{1_000_000_000}, out.ValidatorEmission)
	assert.Equal(t, []units.Alpha{1_000_000_000}, out.Emission)
	assertBonds(t, [][]consensus.Entry{{}}, out.Bonds)
	assert.Equal(t, []bool{true}, out.ValidatorPermit)
}

// An empty stored ValidatorPermit: inplace_mask_vector ignores an empty
// mask, so active stake stays the stake, but mask_rows_sparse treats every
// missing permit as forbidden, so no weight survives. By hand: S = A =
// [1431655765, 2863311530, 0] raw (1/3 and 2/3 floored twice); Σ = 0, so
// validator = combined = A·E = [333333333, 666666666, 0]; stake weight
// floor(S·65535) = [21844, 43689, 0]; top-2 of S drops uid 2.
func TestEdgeEmptyValidatorPermit(t *testing.T) {
	in := edgeInput()
	in.ValidatorPermit = []bool{}
	in.Weights = [][]consensus.Entry{{{UID: 2, Value: 65535}}, {{UID: 2, Value: 65535}}, nil}
	out := runEdge(t, in)
	assert.Equal(t, []uint16{0, 0, 0}, out.Consensus)
	assert.Equal(t, []uint16{0, 0, 0}, out.Incentive)
	assert.Equal(t, []uint16{0, 0, 0}, out.Dividends)
	assert.Equal(t, []uint16{0, 0, 0}, out.ValidatorTrust)
	assert.Equal(t, []uint16{21844, 43689, 0}, out.StakeWeight)
	assert.Equal(t, []units.Alpha{0, 0, 0}, out.ServerEmission)
	assert.Equal(t, []units.Alpha{333_333_333, 666_666_666, 0}, out.ValidatorEmission)
	assert.Equal(t, []units.Alpha{333_333_333, 666_666_666, 0}, out.Emission)
	assertBonds(t, [][]consensus.Entry{{}, {}, {}}, out.Bonds)
	assert.Equal(t, []bool{true, true, false}, out.ValidatorPermit)
}

// assertBonds compares bond rows, an empty row equal to a nil one.
func assertBonds(t *testing.T, want, got [][]consensus.Entry) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		assert.Equal(t, len(want[i]), len(got[i]), "row %d", i)
		for k := range want[i] {
			if k < len(got[i]) {
				assert.Equal(t, want[i][k], got[i][k], "row %d entry %d", i, k)
			}
		}
	}
}
