package vector

import (
	"bytes"
	"encoding/json"

	"github.com/dtao-go/dtao/consensus"
)

// epochInput is the input of kind "epoch" (shared/vectors/README.md).
type epochInput struct {
	N                         uint16       `json:"n"`
	CurrentBlock              uint64       `json:"current_block"`
	Tempo                     uint16       `json:"tempo"`
	ActivityCutoffFactorMilli uint32       `json:"activity_cutoff_factor_milli"`
	LastUpdate                []uint64     `json:"last_update"`
	BlockAtRegistration       []uint64     `json:"block_at_registration"`
	AlphaStake                []uint64     `json:"alpha_stake"`
	TaoStake                  []uint64     `json:"tao_stake"`
	TaoWeight                 uint64       `json:"tao_weight"`
	ValidatorPermit           []bool       `json:"validator_permit"`
	MaxAllowedValidators      uint16       `json:"max_allowed_validators"`
	Kappa                     uint16       `json:"kappa"`
	BondsPenalty              uint16       `json:"bonds_penalty"`
	BondsMovingAverage        uint64       `json:"bonds_moving_average"`
	Yuma3                     bool         `json:"yuma3"`
	LiquidAlpha               bool         `json:"liquid_alpha"`
	AlphaLow                  uint16       `json:"alpha_low"`
	AlphaHigh                 uint16       `json:"alpha_high"`
	AlphaSigmoidSteepness     int16        `json:"alpha_sigmoid_steepness"`
	StakeThreshold            uint64       `json:"stake_threshold"`
	OwnerUID                  *uint16      `json:"owner_uid"`
	Weights                   [][][]uint16 `json:"weights"`
	Bonds                     [][][]uint16 `json:"bonds"`
	LastMechanismStepBlock    uint64       `json:"last_mechanism_step_block"`
	CommitBlocks              []uint64     `json:"commit_blocks"`
	Emission                  uint64       `json:"emission"`
}

// epochOutput lists the output fields in the README's order.
type epochOutput struct {
	Consensus         []uint16      `json:"consensus"`
	Incentive         []uint16      `json:"incentive"`
	Dividends         []uint16      `json:"dividends"`
	ValidatorTrust    []uint16      `json:"validator_trust"`
	StakeWeight       []uint16      `json:"stake_weight"`
	ServerEmission    []uint64      `json:"server_emission"`
	ValidatorEmission []uint64      `json:"validator_emission"`
	Emission          []uint64      `json:"emission"`
	Bonds             [][][2]uint16 `json:"bonds"`
	ValidatorPermit   []bool        `json:"validator_permit"`
}

// epochKind answers kind "epoch": one Yuma epoch of one mechanism
// (spec/yuma.md §1) through consensus.Epoch.
func epochKind(raw json.RawMessage) (any, error) {
	in := epochInput{
		ActivityCutoffFactorMilli: consensus.DefaultActivityCutoffFactorMilli,
		AlphaLow:                  consensus.DefaultAlphaLow,
		AlphaHigh:                 consensus.DefaultAlphaHigh,
		AlphaSigmoidSteepness:     consensus.DefaultAlphaSigmoidSteepness,
	}
	if err := epochNulls(raw); err != nil {
		return nil, err
	}
	err := decodeInput(raw, &in, "n", "current_block", "tempo", "last_update",
		"block_at_registration", "alpha_stake", "validator_permit", "max_allowed_validators",
		"kappa", "bonds_penalty", "bonds_moving_average", "yuma3", "liquid_alpha",
		"owner_uid", "weights", "bonds", "emission")
	if err != nil {
		return nil, err
	}
	weights, err := epochRows("weights", in.Weights)
	if err != nil {
		return nil, err
	}
	bonds, err := epochRows("bonds", in.Bonds)
	if err != nil {
		return nil, err
	}
	ci := consensus.Input{
		N:                         in.N,
		CurrentBlock:              in.CurrentBlock,
		Tempo:                     in.Tempo,
		ActivityCutoffFactorMilli: in.ActivityCutoffFactorMilli,
		LastUpdate:                in.LastUpdate,
		BlockAtRegistration:       in.BlockAtRegistration,
		AlphaStake:                in.AlphaStake,
		TaoStake:                  in.TaoStake,
		TaoWeight:                 in.TaoWeight,
		StakeThreshold:            in.StakeThreshold,
		ValidatorPermit:           in.ValidatorPermit,
		MaxAllowedValidators:      in.MaxAllowedValidators,
		Kappa:                     in.Kappa,
		BondsPenalty:              in.BondsPenalty,
		BondsMovingAverage:        in.BondsMovingAverage,
		Yuma3:                     in.Yuma3,
		LiquidAlpha:               in.LiquidAlpha,
		AlphaLow:                  in.AlphaLow,
		AlphaHigh:                 in.AlphaHigh,
		AlphaSigmoidSteepness:     in.AlphaSigmoidSteepness,
		Weights:                   weights,
		Bonds:                     bonds,
		LastMechanismStepBlock:    in.LastMechanismStepBlock,
		CommitBlocks:              in.CommitBlocks,
		Emission:                  in.Emission,
	}
	if in.OwnerUID != nil {
		ci.HasOwner, ci.OwnerUID = true, *in.OwnerUID
	}
	out, err := consensus.Epoch(ci)
	if err != nil {
		return nil, err
	}
	res := epochOutput{
		Consensus:         out.Consensus,
		Incentive:         out.Incentive,
		Dividends:         out.Dividends,
		ValidatorTrust:    out.ValidatorTrust,
		StakeWeight:       out.StakeWeight,
		ServerEmission:    out.ServerEmission,
		ValidatorEmission: out.ValidatorEmission,
		Emission:          out.Emission,
		Bonds:             make([][][2]uint16, len(out.Bonds)),
		ValidatorPermit:   out.ValidatorPermit,
	}
	for i, row := range out.Bonds {
		res.Bonds[i] = make([][2]uint16, len(row))
		for k, e := range row {
			res.Bonds[i][k] = [2]uint16{e.UID, e.Value}
		}
	}
	return res, nil
}

// epochNulls refuses null for every field but the two the README lets be
// null (owner_uid, commit_blocks): a null vector is a value of the wrong
// type, not an empty one.
func epochNulls(raw json.RawMessage) error {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return nil // decodeInput reports it
	}
	for name, v := range fields {
		if name != "owner_uid" && name != "commit_blocks" && bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			return badVector("field %q must not be null", name)
		}
	}
	return nil
}

// epochRows converts [[[uid, value], ...], ...] into consensus rows; every
// row must be an array and every cell a pair.
func epochRows(field string, rows [][][]uint16) ([][]consensus.Entry, error) {
	out := make([][]consensus.Entry, len(rows))
	for i, row := range rows {
		if row == nil {
			return nil, badVector("field %q: row %d is null", field, i)
		}
		out[i] = make([]consensus.Entry, len(row))
		for k, cell := range row {
			if len(cell) != 2 {
				return nil, badVector("field %q: row %d cell %d is not a [uid, value] pair", field, i, k)
			}
			out[i][k] = consensus.Entry{UID: cell[0], Value: cell[1]}
		}
	}
	return out, nil
}
