package emission

// chainError is a sentinel that mirrors one of subtensor's errors: Error
// gives the package-prefixed text, ChainName the chain's own name.
type chainError struct{ name, msg string }

func (e *chainError) Error() string     { return "emission: " + e.msg }
func (e *chainError) ChainName() string { return e.name }

// Errors of the owner's scheduling calls (tempo_control.rs), testable with
// errors.Is.
var (
	// ErrTempoOutOfBounds: set_tempo outside [MinTempo, MaxTempo].
	ErrTempoOutOfBounds error = &chainError{"TempoOutOfBounds", "tempo out of bounds"}
	// ErrDynamicTempoBlockedByCommitReveal: trigger_epoch while commit-reveal is on.
	ErrDynamicTempoBlockedByCommitReveal error = &chainError{"DynamicTempoBlockedByCommitReveal", "epoch triggers are blocked while commit-reveal is on"}
	// ErrEpochTriggerAlreadyPending: trigger_epoch while an epoch is pending.
	ErrEpochTriggerAlreadyPending error = &chainError{"EpochTriggerAlreadyPending", "an epoch trigger is already pending"}
	// ErrAutoEpochAlreadyImminent: trigger_epoch within the freeze window of the automatic epoch.
	ErrAutoEpochAlreadyImminent error = &chainError{"AutoEpochAlreadyImminent", "the automatic epoch is already imminent"}
)
