package vector

import (
	"encoding/json"
	"strings"
	"testing"

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
