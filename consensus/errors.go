package consensus

import (
	"errors"

	"github.com/dtao-go/dtao/units"
)

// The errors the chain itself would produce: *units.ChainError sentinels,
// the module's one chain-error type, testable with errors.Is (and all of
// them at once with errors.As or units.ChainName). Error starts with
// "consensus: "; ChainName is the chain's exact error name, or for a panic
// of its runtime a descriptive name, which the conformance runner prints.
// The message carries no data, so returning one never allocates.
var (
	// ErrBondsMovingAverageOverflow is returned for a Yuma 3 epoch that
	// takes the fixed bond rate (liquid alpha off, or no consensus) with a
	// BondsMovingAverage of 2^31·1e6 or more. The chain has no error for
	// this input: epoch/run_epoch.rs compute_disabled_liquid_alpha converts
	// BondsMovingAverage/1e6 with panicking from_num calls (I64F64 from the
	// u64, then I32F32 from the quotient), so the runtime panics and the
	// block cannot be built. Root can store such a value
	// (admin-utils sudo_set_bonds_moving_average caps only the subnet
	// owner at 975000). The original path saturates instead and never
	// fails. ChainName is the descriptive "BondsMovingAverageOverflow".
	ErrBondsMovingAverageOverflow = units.NewChainError("consensus", "BondsMovingAverageOverflow",
		"bonds moving average too large for the Yuma 3 rate (the chain panics)")

	// ErrInvalidMechanismCount: a mechanism count outside 1..=16
	// (MaxMechanismCount). subnets/mechanism.rs do_set_mechanism_count
	// refuses 0 and any count above MaxMechanismCount, which
	// do_set_max_mechanism_count keeps within MAX_MECHANISM_COUNT_PER_SUBNET
	// = 16, with Error::InvalidValue; MechanismCountCurrent defaults to 1.
	// ChainName is "InvalidValue".
	ErrInvalidMechanismCount = units.NewChainError("consensus", "InvalidValue",
		"mechanism count must be 1 to 16")

	// ErrInvalidEmissionSplit: an emission split that is empty (but not
	// nil), has more shares than there are mechanisms, or whose shares do
	// not add up to exactly 65535. subnets/mechanism.rs
	// do_set_emission_split refuses each with Error::InvalidValue (and a
	// change of the mechanism count resets the stored split to even), so
	// MechanismEmissionSplit never holds such a split. ChainName is
	// "InvalidValue".
	ErrInvalidEmissionSplit = units.NewChainError("consensus", "InvalidValue",
		"emission split must hold 1 to count shares adding up to 65535")
)

// Errors of this SDK's own contract, which mirror no chain error.
var (
	// ErrInvalidInput is returned (wrapped, with the offending field) by
	// [Input.Validate] and by every function that takes an Input, for an
	// Input that describes a state the chain never holds: see
	// [Input.Validate] for the rules.
	ErrInvalidInput = errors.New("consensus: invalid input")

	// ErrNilArgument is returned by [Workspace.Epoch] and [Input.Validate]
	// when called with a nil pointer.
	ErrNilArgument = errors.New("consensus: nil argument")
)
