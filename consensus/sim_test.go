package consensus_test

import (
	"testing"

	"github.com/dtao-go/dtao/consensus"
	weightrules "github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/require"
)

// subnet is a minimal model of the storage an epoch reads and writes, used to
// replay subtensor's multi-epoch tests: set_weights stores max-upscaled rows
// and sets LastUpdate; an epoch writes Bonds and ValidatorPermit back.
type subnet struct {
	in  consensus.Input
	ws  consensus.Workspace
	out consensus.Output
}

// newSubnet registers n uids at block (the mock runtime's defaults, TaoWeight
// 0, no owner, commit-reveal off).
func newSubnet(n int, tempo uint16, stakes []uint64, block uint64) *subnet {
	s := &subnet{in: consensus.Input{
		N:                         uint16(n),
		CurrentBlock:              block,
		Tempo:                     tempo,
		ActivityCutoffFactorMilli: consensus.DefaultActivityCutoffFactorMilli,
		LastUpdate:                make([]uint64, n),
		BlockAtRegistration:       make([]uint64, n),
		AlphaStake:                alphas(stakes...),
		ValidatorPermit:           make([]bool, n),
		MaxAllowedValidators:      100,
		Kappa:                     consensus.DefaultKappa,
		BondsPenalty:              consensus.DefaultBondsPenalty,
		BondsMovingAverage:        consensus.DefaultBondsMovingAverage,
		AlphaLow:                  consensus.DefaultAlphaLow,
		AlphaHigh:                 consensus.DefaultAlphaHigh,
		AlphaSigmoidSteepness:     consensus.DefaultAlphaSigmoidSteepness,
		Weights:                   make([][]consensus.Entry, n),
		Bonds:                     make([][]consensus.Entry, n),
		Emission:                  1_000_000_000,
	}}
	for i := range n {
		s.in.LastUpdate[i] = block
		s.in.BlockAtRegistration[i] = block
	}
	return s
}

func (s *subnet) nextBlock() { s.in.CurrentBlock++ }

// setWeights stores uid's weights as set_weights does.
func (s *subnet) setWeights(uid int, uids []uint16, values []uint16) {
	up := weightrules.MaxUpscaleWeights(nil, values)
	row := make([]consensus.Entry, len(uids))
	for k := range uids {
		row[k] = consensus.Entry{UID: units.UID(uids[k]), Value: up[k]}
	}
	s.in.Weights[uid] = row
	s.in.LastUpdate[uid] = s.in.CurrentBlock
}

// epoch runs an epoch at the current block and persists bonds and permits.
func (s *subnet) epoch(t *testing.T) *consensus.Output {
	t.Helper()
	require.NoError(t, s.ws.Epoch(&s.in, &s.out))
	for i := range s.out.Bonds {
		s.in.Bonds[i] = append([]consensus.Entry(nil), s.out.Bonds[i]...)
	}
	s.in.ValidatorPermit = append(s.in.ValidatorPermit[:0], s.out.ValidatorPermit...)
	return &s.out
}

// bond returns the stored bond of row i to column j (0 when absent).
func (s *subnet) bond(i int, j uint16) uint16 {
	for _, e := range s.in.Bonds[i] {
		if e.UID == units.UID(j) {
			return e.Value
		}
	}
	return 0
}

func seq(from, to int) []uint16 {
	var out []uint16
	for i := from; i < to; i++ {
		out = append(out, uint16(i))
	}
	return out
}

// taos returns the rao counts as TAO amounts.
func taos(rao ...uint64) []units.TAO {
	out := make([]units.TAO, len(rao))
	for i, r := range rao {
		out[i] = units.TAO(r)
	}
	return out
}

// alphas returns the rao counts as alpha amounts.
func alphas(rao ...uint64) []units.Alpha {
	out := make([]units.Alpha, len(rao))
	for i, r := range rao {
		out[i] = units.Alpha(r)
	}
	return out
}
