package subnet

import (
	"errors"

	"github.com/dtao-go/dtao/units"
)

// Chain errors, named as subtensor and its admin-utils pallet name them.
var (
	// ErrBadOrigin: the origin may not call the setter (DispatchError::BadOrigin).
	ErrBadOrigin = units.NewChainError("subnet", "BadOrigin", "bad origin")
	// ErrInvalidValue: a value out of the setter's range (InvalidValue).
	ErrInvalidValue = units.NewChainError("subnet", "InvalidValue", "invalid value")
	// ErrValueNotInBounds: MinBurn or MaxBurn out of bounds (admin-utils ValueNotInBounds).
	ErrValueNotInBounds = units.NewChainError("subnet", "ValueNotInBounds", "value not in bounds")
	// ErrTempoOutOfBounds: an owner's tempo outside [MinTempo, MaxTempo] (TempoOutOfBounds).
	ErrTempoOutOfBounds = units.NewChainError("subnet", "TempoOutOfBounds", "tempo out of bounds")
	// ErrBondsMovingAverageMaxReached: an owner's bonds moving average above 975_000.
	ErrBondsMovingAverageMaxReached = units.NewChainError("subnet", "BondsMovingAverageMaxReached",
		"bonds moving average above the owner's maximum")
	// ErrLiquidAlphaDisabled: alpha values set while liquid alpha is off.
	ErrLiquidAlphaDisabled = units.NewChainError("subnet", "LiquidAlphaDisabled", "liquid alpha is disabled")
	// ErrAlphaHighTooLow: alpha high below 1638 (65535/40).
	ErrAlphaHighTooLow = units.NewChainError("subnet", "AlphaHighTooLow", "alpha high too low")
	// ErrAlphaLowOutOfRange: alpha low below 1638 or above alpha high.
	ErrAlphaLowOutOfRange = units.NewChainError("subnet", "AlphaLowOutOfRange", "alpha low out of range")
	// ErrNegativeSigmoidSteepness: an owner's negative sigmoid steepness.
	ErrNegativeSigmoidSteepness = units.NewChainError("subnet", "NegativeSigmoidSteepness",
		"negative sigmoid steepness")
	// ErrMaxValidatorsLargerThanMaxUIds: max allowed validators above max allowed uids.
	ErrMaxValidatorsLargerThanMaxUIds = units.NewChainError("subnet", "MaxValidatorsLargerThanMaxUIds",
		"max allowed validators above max allowed uids")
	// ErrMaxAllowedUidsLessThanMinAllowedUids: max allowed uids below min allowed uids.
	ErrMaxAllowedUidsLessThanMinAllowedUids = units.NewChainError("subnet",
		"MaxAllowedUidsLessThanMinAllowedUids", "max allowed uids below min allowed uids")
	// ErrMaxAllowedUIdsLessThanCurrentUIds: max allowed uids below the registered count.
	ErrMaxAllowedUIdsLessThanCurrentUIds = units.NewChainError("subnet",
		"MaxAllowedUIdsLessThanCurrentUIds", "max allowed uids below the registered neurons")
	// ErrMaxAllowedUidsGreaterThanDefaultMaxAllowedUids: max allowed uids above 256.
	ErrMaxAllowedUidsGreaterThanDefaultMaxAllowedUids = units.NewChainError("subnet",
		"MaxAllowedUidsGreaterThanDefaultMaxAllowedUids", "max allowed uids above the default maximum")
	// ErrTooManyUIDsPerMechanism: max allowed uids times the mechanism count above 256.
	ErrTooManyUIDsPerMechanism = units.NewChainError("subnet", "TooManyUIDsPerMechanism",
		"too many uids over all mechanisms")
	// ErrMinAllowedUidsGreaterThanMaxAllowedUids: min allowed uids not below max allowed uids.
	ErrMinAllowedUidsGreaterThanMaxAllowedUids = units.NewChainError("subnet",
		"MinAllowedUidsGreaterThanMaxAllowedUids", "min allowed uids not below max allowed uids")
	// ErrMinAllowedUidsGreaterThanCurrentUids: min allowed uids not below the registered count.
	ErrMinAllowedUidsGreaterThanCurrentUids = units.NewChainError("subnet",
		"MinAllowedUidsGreaterThanCurrentUids", "min allowed uids not below the registered neurons")
	// ErrActivityCutoffFactorMilliOutOfBounds: activity cutoff factor outside [1000, 50000].
	ErrActivityCutoffFactorMilliOutOfBounds = units.NewChainError("subnet",
		"ActivityCutoffFactorMilliOutOfBounds", "activity cutoff factor out of bounds")
	// ErrRevealPeriodTooLarge: reveal period above 100 epochs.
	ErrRevealPeriodTooLarge = units.NewChainError("subnet", "RevealPeriodTooLarge", "reveal period too large")
	// ErrRevealPeriodTooSmall: reveal period below 1 epoch.
	ErrRevealPeriodTooSmall = units.NewChainError("subnet", "RevealPeriodTooSmall", "reveal period too small")
	// ErrNoNeuronIdAvailable: a full subnet has no neuron a registration may replace.
	ErrNoNeuronIdAvailable = units.NewChainError("subnet", "NoNeuronIdAvailable", "no neuron id available")
)

// ErrInvalidNeurons reports a neuron list the chain's storage cannot hold:
// uids that are not exactly 0..n-1, or more than one owner hotkey.
var ErrInvalidNeurons = errors.New("subnet: invalid neuron list")
