package vector

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
)

// Bounds of kind "epoch". The epoch's stake-weighted median reads an
// n × v table (v: uids with positive active stake; consensus/median.go
// medianColumns), so its work and memory
// grow with n times the stake vector, not with the line: a few kilobytes of
// input can ask for gigabytes. Beyond these bounds a case is BadVector.
const (
	// MaxEpochN bounds n: 16 times the runtime's 256 uids per subnet
	// (runtime/src/lib.rs SubtensorInitialMaxAllowedUids); the graphs of
	// pallets/subtensor/src/tests/epoch.rs have up to 512 uids (4096 in
	// its commented-out test_4096_graph).
	MaxEpochN = 4096
	// MaxEpochMedianCells bounds n × s, s being the number of uids below
	// n with a non-zero alpha or TAO stake (at least v): 2^22 pairs, 64 MiB
	// of median table.
	MaxEpochMedianCells = 1 << 22
)

// epochInput is the input of kind "epoch" (docs/conformance.md). This file
// is the one codec of the kind: the project's testdata/epoch.jsonl is read
// through it and no other code writes or reads the shape.
type epochInput struct {
	N                         uint16     `json:"n"`
	CurrentBlock              uint64     `json:"current_block"`
	Tempo                     uint16     `json:"tempo"`
	ActivityCutoffFactorMilli uint32     `json:"activity_cutoff_factor_milli"`
	LastUpdate                []uint64   `json:"last_update"`
	BlockAtRegistration       []uint64   `json:"block_at_registration"`
	AlphaStake                []uint64   `json:"alpha_stake"`
	TaoStake                  []uint64   `json:"tao_stake"`
	TaoWeight                 uint64     `json:"tao_weight"`
	ValidatorPermit           []bool     `json:"validator_permit"`
	MaxAllowedValidators      uint16     `json:"max_allowed_validators"`
	Kappa                     uint16     `json:"kappa"`
	BondsPenalty              uint16     `json:"bonds_penalty"`
	BondsMovingAverage        uint64     `json:"bonds_moving_average"`
	Yuma3                     bool       `json:"yuma3"`
	LiquidAlpha               bool       `json:"liquid_alpha"`
	AlphaLow                  uint16     `json:"alpha_low"`
	AlphaHigh                 uint16     `json:"alpha_high"`
	AlphaSigmoidSteepness     int16      `json:"alpha_sigmoid_steepness"`
	StakeThreshold            uint64     `json:"stake_threshold"`
	OwnerUID                  *uint16    `json:"owner_uid"`
	Weights                   weightRows `json:"weights"`
	Bonds                     bondRows   `json:"bonds"`
	LastMechanismStepBlock    uint64     `json:"last_mechanism_step_block"`
	CommitBlocks              []uint64   `json:"commit_blocks"`
	Emission                  uint64     `json:"emission"`
}

// epochOutput lists the output fields in docs/conformance.md's order.
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
// (pallets/subtensor/src/epoch/run_epoch.rs epoch_mechanism) through
// consensus.Epoch.
func epochKind(raw json.RawMessage) (any, error) {
	in := epochInput{
		ActivityCutoffFactorMilli: consensus.DefaultActivityCutoffFactorMilli,
		AlphaLow:                  consensus.DefaultAlphaLow,
		AlphaHigh:                 consensus.DefaultAlphaHigh,
		AlphaSigmoidSteepness:     consensus.DefaultAlphaSigmoidSteepness,
	}
	err := decodeInput(raw, &in, "n", "current_block", "tempo", "last_update",
		"block_at_registration", "alpha_stake", "validator_permit", "max_allowed_validators",
		"kappa", "bonds_penalty", "bonds_moving_average", "yuma3", "liquid_alpha",
		"owner_uid", "weights", "bonds", "emission")
	if err != nil {
		return nil, err
	}
	if err := epochNulls(raw); err != nil {
		return nil, err
	}
	if err := epochBounds(&in); err != nil {
		return nil, err
	}
	ci := consensus.Input{
		N:                         in.N,
		CurrentBlock:              in.CurrentBlock,
		Tempo:                     in.Tempo,
		ActivityCutoffFactorMilli: in.ActivityCutoffFactorMilli,
		LastUpdate:                in.LastUpdate,
		BlockAtRegistration:       in.BlockAtRegistration,
		AlphaStake:                amounts[units.Alpha](in.AlphaStake),
		TaoStake:                  amounts[units.TAO](in.TaoStake),
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
		Weights:                   in.Weights,
		Bonds:                     in.Bonds,
		LastMechanismStepBlock:    in.LastMechanismStepBlock,
		CommitBlocks:              in.CommitBlocks,
		Emission:                  units.Alpha(in.Emission),
	}
	if in.OwnerUID != nil {
		ci.HasOwner, ci.OwnerUID = true, units.UID(*in.OwnerUID)
	}
	out, err := consensus.Epoch(ci)
	if err != nil {
		if errors.Is(err, consensus.ErrInvalidInput) {
			// A state the chain never holds: the case is malformed.
			return nil, badVector("%s", err)
		}
		return nil, err
	}
	res := epochOutput{
		Consensus:         out.Consensus,
		Incentive:         out.Incentive,
		Dividends:         out.Dividends,
		ValidatorTrust:    out.ValidatorTrust,
		StakeWeight:       out.StakeWeight,
		ServerEmission:    raos(out.ServerEmission),
		ValidatorEmission: raos(out.ValidatorEmission),
		Emission:          raos(out.Emission),
		Bonds:             make([][][2]uint16, len(out.Bonds)),
		ValidatorPermit:   out.ValidatorPermit,
	}
	for i, row := range out.Bonds {
		res.Bonds[i] = make([][2]uint16, len(row))
		for k, e := range row {
			res.Bonds[i][k] = [2]uint16{uint16(e.UID), e.Value}
		}
	}
	return res, nil
}

// amounts reads the rao counts of a decoded vector as amounts of A (nil
// stays nil: an absent tao_stake is no root stake).
func amounts[A units.Alpha | units.TAO](rao []uint64) []A {
	if rao == nil {
		return nil
	}
	out := make([]A, len(rao))
	for i, r := range rao {
		out[i] = A(r)
	}
	return out
}

// raos is the rao count of each amount, as the kind's output writes it.
func raos(x []units.Alpha) []uint64 {
	out := make([]uint64, len(x))
	for i, v := range x {
		out[i] = uint64(v)
	}
	return out
}

// epochNulls refuses null for every field but the two docs/conformance.md
// lets be null (owner_uid, commit_blocks): a null vector is a value of the
// wrong type, not an empty one. raw has passed decodeInput, so it is a valid
// JSON object.
func epochNulls(raw json.RawMessage) error {
	ms, _ := objectMembers(raw)
	for _, m := range ms {
		if m.key != "owner_uid" && m.key != "commit_blocks" && bytes.Equal(m.val, []byte("null")) {
			return badVector("field %q must not be null", m.key)
		}
	}
	return nil
}

// epochBounds refuses an epoch beyond MaxEpochN and MaxEpochMedianCells.
func epochBounds(in *epochInput) error {
	n := int(in.N)
	if n > MaxEpochN {
		return badVector("n = %d exceeds this runner's bound of %d", n, MaxEpochN)
	}
	staked := 0
	for i := range n {
		if (i < len(in.AlphaStake) && in.AlphaStake[i] != 0) || (i < len(in.TaoStake) && in.TaoStake[i] != 0) {
			staked++
		}
	}
	if n*staked > MaxEpochMedianCells {
		return badVector("n × staked uids = %d × %d exceeds this runner's bound of %d", n, staked, MaxEpochMedianCells)
	}
	return nil
}

// weightRows and bondRows read [[[uid, value], ...], ...] straight into
// consensus rows (4 bytes a cell, all cells in one backing array): every
// row must be a list and every cell a pair of u16.
type (
	weightRows [][]consensus.Entry
	bondRows   [][]consensus.Entry
)

func (r *weightRows) UnmarshalJSON(b []byte) error {
	return parseRows("weights", b, (*[][]consensus.Entry)(r))
}
func (r *bondRows) UnmarshalJSON(b []byte) error {
	return parseRows("bonds", b, (*[][]consensus.Entry)(r))
}

// parseRows parses the valid JSON value b into *dst: a first pass checks
// the shape and counts, a second fills.
func parseRows(field string, b []byte, dst *[][]consensus.Entry) error {
	i := skipSpace(b, 0)
	if b[i] != '[' {
		return badVector("field %q must be a list of rows", field)
	}
	nRows, nCells, err := walkRows(field, b, i, nil, nil)
	if err != nil {
		return err
	}
	rows := make([][]consensus.Entry, nRows)
	cells := make([]consensus.Entry, nCells)
	if _, _, err := walkRows(field, b, i, rows, cells); err != nil {
		return err
	}
	*dst = rows
	return nil
}

// walkRows walks the list of rows starting at b[i] and returns the number
// of rows and cells; when rows is not nil it also fills rows, each row a
// slice of cells.
func walkRows(field string, b []byte, i int, rows [][]consensus.Entry, cells []consensus.Entry) (nRows, nCells int, err error) {
	i = skipSpace(b, i+1)
	if b[i] == ']' {
		return 0, 0, nil
	}
	for {
		switch b[i] {
		case '[':
		case 'n':
			return 0, 0, badVector("field %q: row %d is null", field, nRows)
		default:
			return 0, 0, badVector("field %q: row %d is not a list", field, nRows)
		}
		start := nCells
		i = skipSpace(b, i+1)
		if b[i] != ']' {
			for {
				var e consensus.Entry
				var ok bool
				e, i, ok = parsePair(b, i)
				if !ok {
					return 0, 0, badVector("field %q: row %d cell %d is not a [uid, value] pair of u16", field, nRows, nCells-start)
				}
				if cells != nil {
					cells[nCells] = e
				}
				nCells++
				i = skipSpace(b, i)
				if b[i] == ']' {
					break
				}
				i = skipSpace(b, i+1)
			}
		}
		if rows != nil {
			rows[nRows] = cells[start:nCells:nCells]
		}
		nRows++
		i = skipSpace(b, i+1)
		if b[i] == ']' {
			return nRows, nCells, nil
		}
		i = skipSpace(b, i+1)
	}
}

// parsePair reads [u16, u16] at b[i] (valid JSON) and returns the index
// after it.
func parsePair(b []byte, i int) (consensus.Entry, int, bool) {
	if b[i] != '[' {
		return consensus.Entry{}, i, false
	}
	uid, i, ok := parseU16(b, skipSpace(b, i+1))
	if !ok {
		return consensus.Entry{}, i, false
	}
	i = skipSpace(b, i)
	if b[i] != ',' {
		return consensus.Entry{}, i, false
	}
	v, i, ok := parseU16(b, skipSpace(b, i+1))
	if !ok {
		return consensus.Entry{}, i, false
	}
	i = skipSpace(b, i)
	if b[i] != ']' {
		return consensus.Entry{}, i, false
	}
	return consensus.Entry{UID: units.UID(uid), Value: v}, i + 1, true
}

// parseU16 reads a JSON integer literal in [0, 65535] at b[i].
func parseU16(b []byte, i int) (uint16, int, bool) {
	var v uint32
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		v = v*10 + uint32(b[i]-'0')
		if v > 65535 {
			return 0, i, false
		}
		i++
	}
	if i == start || i < len(b) && (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
		return 0, i, false
	}
	return uint16(v), i, true
}
