package dtao

import (
	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// Params are the chain-wide storage values the ledger's calls and blocks
// read. The zero value of a field is not a default: start from
// DefaultParams and change what differs. Each field is the storage item of
// the same name in pallets/subtensor/src/lib.rs, its default the
// runtime's (runtime/src/lib.rs, production values).
type Params struct {
	// TaoWeight is the weight of root stake against alpha, parts of
	// u64::MAX (InitialTaoWeight).
	TaoWeight uint64
	// CKBurn is the part of a parent's childkey dividend recycled when
	// the parent and the child have different owners, parts of u64::MAX.
	CKBurn uint64
	// SubnetOwnerCut is the owner's share of each block's alpha, parts of
	// 65535 (11_796, 18%).
	SubnetOwnerCut uint16
	// MaxEpochsPerBlock is how many epochs may run in one block (2).
	MaxEpochsPerBlock uint32
	// SubnetMovingAlpha is the price EMA's smoothing (0.000003).
	SubnetMovingAlpha fixed.I96F32
	// StakeThreshold is the least stake weight that may set weights.
	StakeThreshold uint64
	// SubnetLimit is the most subnets besides root (128).
	SubnetLimit uint16
	// NetworkRateLimit is the blocks between two subnet registrations
	// (7200).
	NetworkRateLimit uint64
	// NetworkMinLockCost is the least subnet lock (1000 TAO).
	NetworkMinLockCost units.TAO
	// NetworkLockReductionInterval is the lock's decay interval
	// (14 × 7200 blocks).
	NetworkLockReductionInterval uint64
	// NetworkImmunityPeriod is the blocks a new subnet cannot be pruned
	// (1_296_000).
	NetworkImmunityPeriod uint64
	// MinDelegateTake and MaxDelegateTake bound a hotkey's take (0 and
	// 11_796).
	MinDelegateTake, MaxDelegateTake uint16
	// MinChildkeyTake and MaxChildkeyTake bound a childkey take (0 and
	// 11_796).
	MinChildkeyTake, MaxChildkeyTake uint16
	// TxRateLimit is the blocks between two rate-limited transactions of
	// one key (1000).
	TxRateLimit uint64
	// TxDelegateTakeRateLimit is the blocks between two take increases
	// (216_000).
	TxDelegateTakeRateLimit uint64
	// TxChildkeyTakeRateLimit is the blocks between two childkey take
	// changes (216_000).
	TxChildkeyTakeRateLimit uint64
	// PendingChildKeyCooldown is the blocks a set_children waits before
	// it may apply (7200).
	PendingChildKeyCooldown uint64
	// StartCallDelay is the blocks after registration before the owner
	// may call start_call (0).
	StartCallDelay uint64
	// MaxRootValidators is the root subnet's MaxAllowedUids
	// (get_max_root_validators, coinbase/root.rs), 64 as the genesis and
	// migrate_create_root_network set it.
	MaxRootValidators uint16
	// RootMaxRegistrationsPerBlock is the root subnet's
	// MaxRegistrationsPerBlock: the runtime's
	// InitialMaxRegistrationsPerBlock (1).
	RootMaxRegistrationsPerBlock uint16
	// RootTargetRegistrationsPerInterval is the root subnet's
	// TargetRegistrationsPerInterval (1, as the genesis sets it); a root
	// interval admits three times as many.
	RootTargetRegistrationsPerInterval uint16
}

// DefaultParams returns the runtime's production values.
func DefaultParams() Params {
	g := subnet.DefaultGlobals()
	return Params{
		TaoWeight:                    g.TaoWeight,
		SubnetOwnerCut:               emission.DefaultOwnerCut,
		MaxEpochsPerBlock:            2,
		SubnetMovingAlpha:            amm.DefaultMovingAlpha(),
		StakeThreshold:               g.StakeThreshold,
		SubnetLimit:                  128,
		NetworkRateLimit:             7200,
		NetworkMinLockCost:           1_000_000_000_000,
		NetworkLockReductionInterval: 14 * 7200,
		NetworkImmunityPeriod:        1_296_000,
		MaxDelegateTake:              emission.DefaultDelegateTake,
		MaxChildkeyTake:              11_796,
		TxRateLimit:                  1000,
		TxDelegateTakeRateLimit:      216_000,
		TxChildkeyTakeRateLimit:      216_000,
		PendingChildKeyCooldown:      7200,

		MaxRootValidators:                  64,
		RootMaxRegistrationsPerBlock:       1,
		RootTargetRegistrationsPerInterval: 1,
	}
}

// globals returns the copy of the chain-wide values each subnet holds.
func (p *Params) globals() subnet.Globals {
	g := subnet.DefaultGlobals()
	g.TaoWeight = p.TaoWeight
	g.StakeThreshold = p.StakeThreshold
	return g
}

// Params returns the ledger's chain-wide parameters.
func (l *Ledger) Params() Params {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.params
}
