package vector

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/dtao-go/dtao/units"
)

type pruneOut = struct {
	UID          uint16   `json:"uid"`
	ImmortalUIDs []uint16 `json:"immortal_uids"`
}

// TestPruneDefaults: immune_owner_uids_limit defaults to 1 and
// min_non_immune_uids to 10, the chain's storage defaults.
func TestPruneDefaults(t *testing.T) {
	neurons := `[{"uid":0,"block_at_registration":0,"emission":0,"hotkey_owner_is_subnet_owner":true},` +
		`{"uid":1,"block_at_registration":1,"emission":0,"hotkey_owner_is_subnet_owner":true},` +
		`{"uid":2,"block_at_registration":900,"emission":5}]`
	out, err := prune(json.RawMessage(`{"neurons":` + neurons + `,"current_block":1000,"immunity_period":500}`))
	if err != nil {
		t.Fatal(err)
	}
	// Limit 1 keeps uid 0 (the oldest owned); uid 1 is the only non-immune
	// neuron and 1 ≤ 10, so the immune uid 2 goes.
	if got := out.(pruneOut); got.UID != 2 || len(got.ImmortalUIDs) != 1 || got.ImmortalUIDs[0] != 0 {
		t.Fatalf("defaults: %+v", got)
	}
	out, err = prune(json.RawMessage(`{"neurons":` + neurons + `,"current_block":1000,"immunity_period":500,"immune_owner_uids_limit":0,"min_non_immune_uids":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := out.(pruneOut); got.UID != 0 || len(got.ImmortalUIDs) != 0 {
		t.Fatalf("explicit: %+v", got)
	}
}

func TestPruneKindErrors(t *testing.T) {
	_, err := prune(json.RawMessage(`{"neurons":[],"current_block":0,"immunity_period":0}`))
	if units.ChainName(err) != "NoNeuronIdAvailable" {
		t.Errorf("empty: %v", err)
	}
	for name, in := range map[string]string{
		"no neurons":       `{"current_block":0,"immunity_period":0}`,
		"uid too large":    `{"neurons":[{"uid":65536,"block_at_registration":0,"emission":0}],"current_block":0,"immunity_period":0}`,
		"uid not dense":    `{"neurons":[{"uid":1,"block_at_registration":0,"emission":0}],"current_block":0,"immunity_period":0}`,
		"neuron extra key": `{"neurons":[{"uid":0,"block_at_registration":0,"emission":0,"hotkey":"x"}],"current_block":0,"immunity_period":0}`,
		"immunity u16":     `{"neurons":[],"current_block":0,"immunity_period":70000}`,
	} {
		if _, err := prune(json.RawMessage(in)); !errors.Is(err, errBadVector) {
			t.Errorf("%s: err = %v, want BadVector", name, err)
		}
	}
}
