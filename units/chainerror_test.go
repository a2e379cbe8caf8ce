package units_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/dtao-go/dtao/units"
)

var errLimit = units.NewChainError("amm", "PriceLimitExceeded", "price limit exceeded")

type wrapper struct{ inner error }

func (w wrapper) Error() string     { return "custom: " + w.inner.Error() }
func (w wrapper) ChainName() string { return "Custom" }
func (w wrapper) Unwrap() error     { return w.inner }

func TestChainError(t *testing.T) {
	if got := errLimit.Error(); got != "amm: price limit exceeded" {
		t.Fatalf("Error() = %q", got)
	}
	wrapped := fmt.Errorf("quoting netuid 3: %w", errLimit)
	if !errors.Is(wrapped, errLimit) {
		t.Fatal("errors.Is does not reach the sentinel")
	}
	var ce *units.ChainError
	if !errors.As(wrapped, &ce) || ce != errLimit {
		t.Fatal("errors.As does not reach the sentinel")
	}
	if got := units.ChainName(wrapped); got != "PriceLimitExceeded" {
		t.Fatalf("ChainName = %q", got)
	}
	if got := units.ChainName(errors.New("plain")); got != "" {
		t.Fatalf("ChainName of a plain error = %q, want empty", got)
	}
	if got := units.ChainName(nil); got != "" {
		t.Fatalf("ChainName(nil) = %q, want empty", got)
	}
	// The outermost namer wins, as errors.As finds it first.
	if got := units.ChainName(wrapper{wrapped}); got != "Custom" {
		t.Fatalf("ChainName of a wrapper = %q", got)
	}
	// Two sentinels with the same name are still distinct values.
	if errors.Is(units.NewChainError("amm", "PriceLimitExceeded", "price limit exceeded"), errLimit) {
		t.Fatal("distinct sentinels compare equal")
	}
}

func TestChainErrorAllocs(t *testing.T) {
	var sink string
	if n := testing.AllocsPerRun(100, func() { sink = units.ChainName(errLimit) }); n != 0 {
		t.Fatalf("ChainName allocates %v times", n)
	}
	_ = sink
}

func ExampleChainName() {
	err := fmt.Errorf("staking 10 TAO on netuid 3: %w", units.NewChainError("amm", "ReservesTooLow", "reserves too low for the swap"))
	fmt.Println(err)
	fmt.Println(units.ChainName(err))
	// Output:
	// staking 10 TAO on netuid 3: amm: reserves too low for the swap
	// ReservesTooLow
}

func TestChainNameJoined(t *testing.T) {
	joined := errors.Join(errors.New("first"), fmt.Errorf("second: %w", errLimit))
	if got := units.ChainName(joined); got != "PriceLimitExceeded" {
		t.Fatalf("ChainName of a joined error = %q", got)
	}
	if got := units.ChainName(errors.Join(errors.New("a"), errors.New("b"))); got != "" {
		t.Fatalf("ChainName of unnamed joined errors = %q", got)
	}
	// Same answer as errors.As on a nested mix.
	deep := fmt.Errorf("outer: %w", errors.Join(errors.New("x"), wrapper{errLimit}))
	var n units.ChainNamer
	if !errors.As(deep, &n) || n.ChainName() != units.ChainName(deep) {
		t.Fatalf("ChainName disagrees with errors.As: %q", units.ChainName(deep))
	}
}
