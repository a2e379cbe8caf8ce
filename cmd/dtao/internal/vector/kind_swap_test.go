package vector

import (
	"encoding/json"
	"errors"
	"testing"
)

// TestSwapKindLimitNullIsBadVector: the README makes a value of the wrong
// type BadVector; null is not a u64, so it must not stand for the default
// limit (it did while the field was a *uint64).
func TestSwapKindLimitNullIsBadVector(t *testing.T) {
	_, err := swapKind(json.RawMessage(`{"tao_reserve":1000000000,"alpha_reserve":1000000000,"direction":"buy","amount":1000000,"limit_price_rao":null}`))
	if !errors.Is(err, errBadVector) {
		t.Fatalf("limit_price_rao null: err = %v, want BadVector", err)
	}
}

// TestSwapKindLimitDefaults: an absent limit is the chain's default for the
// direction (impls.rs max_price_inner 1e15 for buys, min_price_inner 1000
// for sells), and an explicit limit, 0 included, is used as given.
func TestSwapKindLimitDefaults(t *testing.T) {
	pool := `"tao_reserve":1000000000,"alpha_reserve":1000000000,"amount":1000000`
	run := func(extra string) (any, error) {
		return swapKind(json.RawMessage(`{` + pool + `,` + extra + `}`))
	}
	for _, c := range []struct{ absent, explicit string }{
		{`"direction":"buy"`, `"direction":"buy","limit_price_rao":1000000000000000`},
		{`"direction":"sell"`, `"direction":"sell","limit_price_rao":1000`},
	} {
		a, errA := run(c.absent)
		b, errB := run(c.explicit)
		if errA != nil || errB != nil || a != b {
			t.Errorf("%s: absent limit gives %v, %v; explicit default gives %v, %v", c.absent, a, errA, b, errB)
		}
	}
	// A buy limited at 0 rao can never execute: the price is not below it.
	_, err := run(`"direction":"buy","limit_price_rao":0`)
	var named interface{ ChainName() string }
	if !errors.As(err, &named) || named.ChainName() != "PriceLimitExceeded" {
		t.Errorf("buy with limit 0: err = %v, want PriceLimitExceeded", err)
	}
}
