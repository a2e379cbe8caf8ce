package bigpow

import (
	"errors"
	"fmt"
	"testing"

	"github.com/dtao-go/dtao/units"
)

// ErrPowUndefined is the module's one chain-error type, reachable through a
// wrapper, with its chain name and message unchanged.
func TestErrPowUndefined(t *testing.T) {
	wrapped := fmt.Errorf("quote: %w", ErrPowUndefined)
	var ce *units.ChainError
	if !errors.As(wrapped, &ce) || ce != ErrPowUndefined || ce.ChainName() != "PowUndefined" {
		t.Fatalf("ErrPowUndefined is not a *units.ChainError named PowUndefined")
	}
	if got := units.ChainName(wrapped); got != "PowUndefined" {
		t.Fatalf("units.ChainName = %q", got)
	}
	if got := ErrPowUndefined.Error(); got != "bigpow: pow_ratio_scaled is undefined for these arguments" {
		t.Fatalf("Error() = %q", got)
	}
	if got := units.ChainName(ErrExactTooLarge); got != "" {
		t.Fatalf("ErrExactTooLarge has chain name %q; the crate has no such error", got)
	}
}
