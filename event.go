package dtao

import "github.com/dtao-go/dtao/units"

// EventKind names what an Event reports.
type EventKind uint8

// The events, named after the chain's (pallets/subtensor/src/macros/events.rs)
// where it has one.
const (
	// EventEmission: the block's coinbase gave NetUID TAO injected into
	// its pool (TAO) and alpha out (Alpha).
	EventEmission EventKind = iota + 1
	// EventEpoch: NetUID ran its epoch and paid out Alpha.
	EventEpoch
	// EventEpochDeferred: NetUID's epoch was due but MaxEpochsPerBlock
	// epochs already ran (EpochDeferred).
	EventEpochDeferred
	// EventEpochFailed: NetUID's epoch could not run (a hyperparameter the
	// chain's consensus would panic on); its Alpha is held by nobody.
	EventEpochFailed
	// EventStakeAdded: Coldkey staked TAO to Hotkey on NetUID for Alpha
	// (StakeAdded).
	EventStakeAdded
	// EventStakeRemoved: Coldkey unstaked Alpha from Hotkey on NetUID for
	// TAO (StakeRemoved).
	EventStakeRemoved
	// EventNeuronRegistered: Hotkey registered on NetUID, paying TAO
	// (NeuronRegistered).
	EventNeuronRegistered
	// EventNetworkAdded: Coldkey registered NetUID, locking TAO
	// (NetworkAdded).
	EventNetworkAdded
	// EventNetworkRemoved: NetUID was pruned or dissolved (NetworkRemoved).
	EventNetworkRemoved
	// EventChildrenSet: Hotkey's children on NetUID took effect
	// (SetChildren).
	EventChildrenSet
	// EventRootClaimed: Coldkey claimed Alpha of root dividends from
	// Hotkey on NetUID (RootClaimed).
	EventRootClaimed
	// EventTakeIncreased and EventTakeDecreased: Coldkey set Hotkey's
	// delegate take to Value, parts of 65535 (TakeIncreased,
	// TakeDecreased).
	EventTakeIncreased
	EventTakeDecreased
	// EventChildkeyTakeSet: Hotkey's childkey take on NetUID is Value
	// (ChildKeyTakeSet).
	EventChildkeyTakeSet
	// EventChildrenScheduled: Hotkey's children on NetUID, Value of them,
	// wait for their cooldown (SetChildrenScheduled).
	EventChildrenScheduled
	// EventFirstEmissionBlockNumberSet: Coldkey, NetUID's owner, called
	// start_call; the subnet emits from block Value
	// (FirstEmissionBlockNumberSet).
	EventFirstEmissionBlockNumberSet
	// EventWeightsSet, EventWeightsCommitted and EventWeightsRevealed:
	// Hotkey set, committed or revealed weights on NetUID, mechanism Value
	// (WeightsSet, CRV3WeightsCommitted/WeightsCommitted, WeightsRevealed).
	EventWeightsSet
	EventWeightsCommitted
	EventWeightsRevealed
	// EventHyperparameterSet: an owner or root admin call changed
	// NetUID's parameters; Value is the AdminCall.
	EventHyperparameterSet
)

// Event is one change a user would watch. Fields a kind does not use are
// zero.
type Event struct {
	Kind            EventKind
	Block           uint64
	NetUID          units.NetUID
	Hotkey, Coldkey units.AccountID
	TAO             units.TAO
	Alpha           units.Alpha
	// Value is a kind's number: a take, a count, a block, a mechanism.
	Value uint64
}

// OnEvent sets the function the ledger calls with each event, under its
// lock and in order (nil, the default, builds none). The function must not
// call the ledger.
func (l *Ledger) OnEvent(f func(Event)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.onEvent = f
}

func (l *Ledger) emit(e Event) {
	if l.onEvent == nil {
		return
	}
	e.Block = l.block
	l.onEvent(e)
}
