package vector

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

func burnCase(burn uint64, regs uint32, multBits string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"burn":%d,"half_life":0,"blocks":0,"registrations":%d,"increase_mult_bits":%q,"min_burn":0,"max_burn":18446744073709551615}`,
		burn, regs, multBits))
}

// TestBurnPriceRegistrationBound: beyond maxBurnBumps registrations, a
// price that has stopped changing is answered exactly and one still
// rising is BadVector; at or below the bound every case is answered.
func TestBurnPriceRegistrationBound(t *testing.T) {
	const one = "18446744073709551616"  // 1.0
	const tiny = "18446744073726328832" // 1 + 2^-40
	out, err := burnPrice(burnCase(1_000, 4_294_967_295, one))
	if err != nil || out.(struct {
		Burn uint64 `json:"burn"`
	}).Burn != 1_000 {
		t.Fatalf("fixed point: %v, %v", out, err)
	}
	if _, err := burnPrice(burnCase(1<<40, maxBurnBumps+1, tiny)); !errors.Is(err, errBadVector) {
		t.Fatalf("still rising past the bound: err = %v, want BadVector", err)
	}
	// 2^40 · (1 + 2^-40)^k adds exactly 1 per step while the increment stays 1.
	out, err = burnPrice(burnCase(1<<40, maxBurnBumps, tiny))
	if err != nil || out.(struct {
		Burn uint64 `json:"burn"`
	}).Burn != 1<<40+maxBurnBumps {
		t.Fatalf("at the bound: %v, %v", out, err)
	}
}

func TestBurnPriceBadInput(t *testing.T) {
	for name, in := range map[string]string{
		"missing mult":     `{"burn":1,"half_life":1,"blocks":1,"registrations":1,"min_burn":0,"max_burn":1}`,
		"mult not decimal": `{"burn":1,"half_life":1,"blocks":1,"registrations":1,"increase_mult_bits":"1.5","min_burn":0,"max_burn":1}`,
		"mult as number":   `{"burn":1,"half_life":1,"blocks":1,"registrations":1,"increase_mult_bits":1,"min_burn":0,"max_burn":1}`,
		"half_life u16":    `{"burn":1,"half_life":65536,"blocks":1,"registrations":1,"increase_mult_bits":"1","min_burn":0,"max_burn":1}`,
		"blocks u32":       `{"burn":1,"half_life":1,"blocks":4294967296,"registrations":1,"increase_mult_bits":"1","min_burn":0,"max_burn":1}`,
		"unknown field":    `{"burn":1,"half_life":1,"blocks":1,"registrations":1,"increase_mult_bits":"1","min_burn":0,"max_burn":1,"netuid":1}`,
	} {
		if _, err := burnPrice(json.RawMessage(in)); !errors.Is(err, errBadVector) {
			t.Errorf("%s: err = %v, want BadVector", name, err)
		}
	}
}
