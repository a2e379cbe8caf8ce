package vector

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/require"
)

// epochCase is a minimal valid "epoch" input for n uids with the given
// vectors spliced in as JSON.
func epochCase(id, n, vectors string) string {
	return `{"id":"` + id + `","kind":"epoch","input":{"n":` + n + `,"current_block":10,"tempo":1,` +
		`"max_allowed_validators":0,"kappa":32767,"bonds_penalty":0,"bonds_moving_average":0,` +
		`"yuma3":false,"liquid_alpha":false,"owner_uid":null,"emission":5,` + vectors + `}}`
}

// An empty subnet stores empty vectors (run_epoch.rs with n = 0): every
// output field is [], not null.
func TestEpochKindEmptySubnet(t *testing.T) {
	line := epochCase("n0", "0", `"last_update":[],"block_at_registration":[],"alpha_stake":[],`+
		`"validator_permit":[],"weights":[],"bonds":[]`)
	_, out := runString(t, line, Options{})
	require.Len(t, out, 1)
	var ans struct {
		Output map[string]json.RawMessage `json:"output"`
	}
	require.NoError(t, json.Unmarshal([]byte(out[0]), &ans), out[0])
	for _, f := range []string{"consensus", "incentive", "dividends", "validator_trust", "stake_weight",
		"server_emission", "validator_emission", "emission", "bonds", "validator_permit"} {
		require.Equal(t, "[]", string(ans.Output[f]), "%s in %s", f, out[0])
	}
}

// Only owner_uid and commit_blocks may be null; a null vector or row is a
// value of the wrong type.
func TestEpochKindNulls(t *testing.T) {
	ok := `"last_update":[1],"block_at_registration":[0],"alpha_stake":[1],"validator_permit":[true],` +
		`"weights":[[]],"bonds":[[]],"commit_blocks":null`
	_, out := runString(t, epochCase("ok", "1", ok), Options{})
	require.Len(t, out, 1)
	require.Contains(t, out[0], `"output"`)
	for _, bad := range []string{
		strings.Replace(ok, `"last_update":[1]`, `"last_update":null`, 1),
		strings.Replace(ok, `"validator_permit":[true]`, `"validator_permit":null`, 1),
		strings.Replace(ok, `"weights":[[]]`, `"weights":null`, 1),
		strings.Replace(ok, `"weights":[[]]`, `"weights":[null]`, 1),
		strings.Replace(ok, `"bonds":[[]]`, `"bonds":[null]`, 1),
		ok + `,"tao_stake":null`,
	} {
		_, out := runString(t, epochCase("bad", "1", bad), Options{})
		require.Len(t, out, 1)
		require.Contains(t, out[0], `"error":"BadVector: `, bad)
	}
}

// The kind reads alpha stake, root stake, the owner's uid and the emission
// into consensus's typed Input and writes the typed emissions back as rao:
// its answer is consensus.Epoch's on the same state.
func TestEpochKindTypedAmounts(t *testing.T) {
	line := epochCase("typed", "3", `"last_update":[10,10,10],"block_at_registration":[0,0,0],`+
		`"alpha_stake":[3000000000,1000000000,0],"tao_stake":[0,8000000000,0],`+
		`"tao_weight":9223372036854775807,"validator_permit":[true,true,false],`+
		`"weights":[[[2,65535]],[[2,65535]],[]],"bonds":[[],[],[]]`)
	line = strings.Replace(line, `"owner_uid":null`, `"owner_uid":2`, 1)
	line = strings.Replace(line, `"emission":5`, `"emission":1000000007`, 1)
	_, out := runString(t, line, Options{})
	require.Len(t, out, 1)
	var ans struct {
		Output struct {
			ServerEmission    []uint64 `json:"server_emission"`
			ValidatorEmission []uint64 `json:"validator_emission"`
			Emission          []uint64 `json:"emission"`
		} `json:"output"`
	}
	require.NoError(t, json.Unmarshal([]byte(out[0]), &ans), out[0])

	in := consensus.Input{
		N: 3, CurrentBlock: 10, Tempo: 1,
		ActivityCutoffFactorMilli: consensus.DefaultActivityCutoffFactorMilli,
		LastUpdate:                []uint64{10, 10, 10},
		BlockAtRegistration:       []uint64{0, 0, 0},
		AlphaStake:                []units.Alpha{3e9, 1e9, 0},
		TaoStake:                  []units.TAO{0, 8e9, 0},
		TaoWeight:                 1<<63 - 1,
		ValidatorPermit:           []bool{true, true, false},
		Kappa:                     32767,
		AlphaLow:                  consensus.DefaultAlphaLow,
		AlphaHigh:                 consensus.DefaultAlphaHigh,
		AlphaSigmoidSteepness:     consensus.DefaultAlphaSigmoidSteepness,
		HasOwner:                  true,
		OwnerUID:                  2,
		Weights:                   [][]consensus.Entry{{{UID: 2, Value: 65535}}, {{UID: 2, Value: 65535}}, nil},
		Bonds:                     make([][]consensus.Entry, 3),
		Emission:                  1_000_000_007,
	}
	want, err := consensus.Epoch(in)
	require.NoError(t, err)
	rao := func(x []units.Alpha) []uint64 {
		r := make([]uint64, len(x))
		for i, v := range x {
			r[i] = uint64(v)
		}
		return r
	}
	require.Equal(t, rao(want.ServerEmission), ans.Output.ServerEmission)
	require.Equal(t, rao(want.ValidatorEmission), ans.Output.ValidatorEmission)
	require.Equal(t, rao(want.Emission), ans.Output.Emission)
	// The root stake counts: uid 1's weight 1e9 + 8e9·(about 1/2) beats
	// uid 0's 3e9 in the validators' split.
	require.Greater(t, ans.Output.ValidatorEmission[1], ans.Output.ValidatorEmission[0])
}
