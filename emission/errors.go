package emission

import (
	"errors"

	"github.com/dtao-go/dtao/units"
)

// Errors of the owner's scheduling calls (tempo_control.rs), testable with
// errors.Is. Each is a [*units.ChainError] whose ChainName is the chain's
// own name of the error.
var (
	// ErrTempoOutOfBounds: set_tempo outside [MinTempo, MaxTempo].
	ErrTempoOutOfBounds = units.NewChainError("emission", "TempoOutOfBounds", "tempo out of bounds")
	// ErrDynamicTempoBlockedByCommitReveal: trigger_epoch while commit-reveal is on.
	ErrDynamicTempoBlockedByCommitReveal = units.NewChainError("emission", "DynamicTempoBlockedByCommitReveal", "epoch triggers are blocked while commit-reveal is on")
	// ErrEpochTriggerAlreadyPending: trigger_epoch while an epoch is pending.
	ErrEpochTriggerAlreadyPending = units.NewChainError("emission", "EpochTriggerAlreadyPending", "an epoch trigger is already pending")
	// ErrAutoEpochAlreadyImminent: trigger_epoch within the freeze window of the automatic epoch.
	ErrAutoEpochAlreadyImminent = units.NewChainError("emission", "AutoEpochAlreadyImminent", "the automatic epoch is already imminent")
)

// Errors of the emission and distribution functions for inputs the chain
// cannot hold, testable with errors.Is.
var (
	// ErrNilInput: a nil input pointer was passed to [Coinbase],
	// [Distribute] or [SplitToParents].
	ErrNilInput = errors.New("emission: nil input")
	// ErrDuplicateSubnet: a netuid appears twice in a [CoinbaseInput]
	// (NetworksAdded holds each subnet once).
	ErrDuplicateSubnet = errors.New("emission: subnet listed twice")
	// ErrRootSubnet: the root subnet (netuid 0) is listed in a
	// [CoinbaseInput], which holds the non-root subnets only.
	ErrRootSubnet = errors.New("emission: the root subnet is not a coinbase subnet")
	// ErrProportionOverflow: a hotkey's child proportions add up to more
	// than u64::MAX, which set_children refuses
	// (ensure_total_proportions, staking/set_children.rs).
	ErrProportionOverflow = units.NewChainError("emission", "ProportionOverflow", "child proportions add up to more than 1")
	// ErrStatesMismatch: a [DistributionInput]'s States is neither nil nor
	// one state per line of Emissions.
	ErrStatesMismatch = errors.New("emission: States does not match Emissions")
)
