package bigpow

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrPowUndefined(t *testing.T) {
	var named interface{ ChainName() string }
	if !errors.As(fmt.Errorf("quote: %w", ErrPowUndefined), &named) || named.ChainName() != "PowUndefined" {
		t.Fatalf("ErrPowUndefined does not carry the chain name PowUndefined")
	}
	if got := ErrPowUndefined.Error(); got != "bigpow: pow_ratio_scaled is undefined for these arguments" {
		t.Fatalf("Error() = %q", got)
	}
}
