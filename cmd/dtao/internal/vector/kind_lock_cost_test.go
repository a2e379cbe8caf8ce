package vector

import (
	"encoding/json"
	"errors"
	"testing"
)

type lockCostOut = struct {
	LockCost          uint64 `json:"lock_cost"`
	EffectiveInterval uint64 `json:"effective_interval"`
}

// block_emission defaults to 1 TAO: the interval is then the stored one.
func TestLockCostDefaultEmission(t *testing.T) {
	out, err := lockCost(json.RawMessage(`{"last_lock_cost":1000,"last_registration_block":5,"current_block":6,` +
		`"lock_reduction_interval":4,"min_lock_cost":0}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := out.(lockCostOut); got.EffectiveInterval != 4 || got.LockCost != 2000-250 {
		t.Fatalf("%+v", got)
	}
}

func TestLockCostKindBadVector(t *testing.T) {
	full := `"last_lock_cost":1,"last_registration_block":0,"current_block":0,"lock_reduction_interval":1`
	for name, in := range map[string]string{
		"missing min":   `{` + full + `}`,
		"unknown field": `{` + full + `,"min_lock_cost":0,"x":1}`,
		"negative":      `{` + full + `,"min_lock_cost":-1}`,
		"above u64":     `{` + full + `,"min_lock_cost":18446744073709551616}`,
		"string number": `{` + full + `,"min_lock_cost":"1"}`,
		"emission null": `{` + full + `,"min_lock_cost":0,"block_emission":null}`,
		"duplicate key": `{` + full + `,"min_lock_cost":0,"min_lock_cost":1}`,
		"not an object": `[]`,
	} {
		if _, err := lockCost(json.RawMessage(in)); !errors.Is(err, errBadVector) {
			t.Errorf("%s: err = %v, want BadVector", name, err)
		}
	}
}
