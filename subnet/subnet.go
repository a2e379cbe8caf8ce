package subnet

import (
	"fmt"
	"slices"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Subnet is one subnet's state: who owns it, its hyperparameters, its pool,
// its registration price and its neurons, as subtensor stores them under
// one netuid.
//
// The exported fields are plain storage values a caller may read and set
// (the chain's setters for them live elsewhere: Hyperparameters' own
// setters, the ledger's staking and coinbase for the pool). The neurons —
// hotkeys and their coldkeys at dense uids 0..N-1 and the per-uid vectors
// the epoch writes — are unexported and change only through the methods,
// which keep them consistent; read them with N, Hotkey, UID, Coldkey and
// the vector accessors.
//
// Representation. Every per-uid item is a slice indexed by uid; the Uids
// map of the chain (hotkey → uid) is answered by an open-addressing table
// of the uids by their hotkeys' hash, and the order of the chain's maps
// keyed by hotkey by the uids sorted by hotkey (two derived slices the
// neuron methods keep in step with Keys), so a Subnet holds no map and no
// pointer besides its slices: Clone is one copy of each slice, Equal compares two subnets'
// storage, and a hash or snapshot is a walk over the slices in uid order.
// A plain assignment (t := *s) shares the slices: copy with Clone.
type Subnet struct {
	// NetUID is the subnet's netuid. Netuid 0 is root, where Register
	// refuses to register.
	NetUID units.NetUID
	// Owner is SubnetOwner, the owner's coldkey.
	Owner units.AccountID
	// OwnerHotkey is SubnetOwnerHotkey when HasOwnerHotkey; the chain reads
	// it with try_get, so a subnet may have none.
	OwnerHotkey    units.AccountID
	HasOwnerHotkey bool
	// Burn is the current registration price (Burn).
	Burn units.TAO
	// RegistrationsThisBlock counts this block's registrations
	// (RegistrationsThisBlock); Step resets it.
	RegistrationsThisBlock uint16
	// decayHalfLife and decayFactor cache the burn's per-block decay
	// factor (DecayFactorQ32) for the half-life decayHalfLife; a
	// decayFactor of 0 is none (DecayFactorQ32 of a half-life above 0 is
	// at least 2^31 and below 2^32, so it fits). Derived, not storage:
	// Equal and Storage ignore them. They fill the padding after
	// RegistrationsThisBlock, so that Step reads and writes one line of
	// the struct for them and Burn.
	decayHalfLife uint16
	decayFactor   uint32
	// RAORecycled is RAORecycledForRegistration: the sum of the prices
	// registrations paid.
	RAORecycled units.TAO
	// TaoFlow is SubnetTaoFlow, the TAO that flowed into the subnet
	// (record_tao_inflow adds each registration's payment).
	TaoFlow int64
	// MovingPrice is SubnetMovingPrice, the pool's moving price the
	// coinbase updates each block (amm.Pool.MovingPrice); DynamicInfo
	// reports it.
	MovingPrice fixed.I96F32
	// Hyperparameters are the subnet's parameters. Change MechanismCount
	// through Subnet.SetMechanismCount, which also clears the removed
	// mechanisms' per-uid vectors.
	//
	// Layout. A Subnet (1968 bytes, with pointers) takes a 2048-byte
	// block of the heap after the runtime's 8-byte header, so that its
	// byte at offset o lies in the block's cache line (o+8)/64. The
	// fields above place the hyperparameters the ledger's block reads,
	// NetworkRegistrationAllowed to OwnerCutEnabled (the coinbase's input
	// and Step's BurnHalfLife, MinBurn and MaxBurn), in one line, and
	// Step's Burn, RegistrationsThisBlock and decay factor in one other;
	// the fields from Globals to lastMechanismStepBlock place a
	// set_weights call's Weights, hotkeys, uidSlots and validatorPermit
	// in two lines (TestSubnetBlockFieldsLines checks all three).
	Hyperparameters Hyperparameters
	// Pool is the subnet's pool (SubnetTAO, SubnetAlphaIn, SubnetAlphaOut
	// and the swap pallet's state); registration swaps the burn in it.
	Pool amm.Pool
	// Globals are the chain-wide values the weight rules and the epoch
	// read; New sets their defaults.
	Globals Globals
	// lastMechanismStepBlock is LastMechansimStepBlock, the block of the
	// last epoch that ran (0 for none).
	lastMechanismStepBlock uint64
	// touched keeps the xor of the words SetWeightsBatch reads ahead
	// (touchWeightCalls), only so that the compiler keeps those loads:
	// derived from nothing, read by nothing; Equal and Storage ignore it.
	touched uint32
	// keysVersion names the content of hotkeys (HotkeysVersion): drawn
	// afresh (nextKeysVersion) by every change of a uid's hotkey
	// (appendNeuron, replaceNeuron, FromStorage), copied by Clone with
	// the hotkeys it copies. Derived, not storage: Equal and Storage
	// ignore it.
	keysVersion uint64

	// Weights is the weights storage of every mechanism (Weights,
	// LastUpdate, WeightCommits, TimelockedWeightCommits). Registration
	// keeps it in step with the neurons; change it through the Subnet's
	// weight methods (SetWeights, CommitWeights, ...), which build the
	// WeightEnv from the subnet's own state.
	Weights WeightState

	// The neurons, one entry per uid. A set_weights call reads hotkeys,
	// uidSlots and validatorPermit, held next to Weights so that the
	// call's reads of the struct share two cache lines.
	hotkeys []units.AccountID // Keys
	// uidSlots is the uid index UID searches (lookupUID), derived from
	// hotkeys, not storage: Equal and Storage ignore it.
	uidSlots        []uint32
	validatorPermit []bool // ValidatorPermit
	// byHotkey holds the uids 0..N-1 ordered by their hotkeys' bytes, the
	// order of the chain's BTreeMaps keyed by hotkey, each with its
	// hotkey's first 8 bytes: derived, not storage, so Equal and Storage
	// ignore it. appendNeuron, replaceNeuron and FromStorage keep it in
	// step with hotkeys; registration finds a hotkey's place in it
	// (hotkeyRank) and RunEpoch's output follows it. Hotkeys are unique on
	// a subnet (Register refuses a registered hotkey, FromStorage a
	// repeated one), so the order is a strict one and the permutation is
	// unique.
	byHotkey []keyRef

	coldkeys            []units.AccountID // Owner[hotkey], as registered
	blockAtRegistration []uint64          // BlockAtRegistration
	active              []bool            // Active
	emission            []units.Alpha     // Emission
	consensus           []uint16          // Consensus
	dividends           []uint16          // Dividends
	validatorTrust      []uint16          // ValidatorTrust
	// stakeWeight is StakeWeight, which the epoch writes whole and
	// append_neuron does not extend: it may be shorter than N.
	stakeWeight []uint16
	// incentive is Incentive per mechanism (indexed by mechanism id,
	// NetUidStorageIndex on chain), as stored: a mechanism added after
	// some registrations holds a shorter vector.
	incentive [MaxMechanismsPerSubnet][]uint16
	// bonds is Bonds per mechanism: the rows the last epoch wrote, by uid
	// (a missing or nil row is none).
	bonds [MaxMechanismsPerSubnet][][]consensus.Entry
	// bondCells is, per mechanism, the one buffer storeMechanism copies
	// the epoch's bond rows into (see bondStore).
	bondCells [MaxMechanismsPerSubnet]bondStore
}

// Globals are chain-wide storage values that a subnet's weight rules and
// epoch read. The chain holds one of each for all subnets; a Subnet holds
// a copy so that its methods need nothing else, and whoever holds many
// subnets (the ledger) keeps the copies equal.
type Globals struct {
	// StakeThreshold is StakeThreshold: the least stake weight (alpha +
	// root TAO × TaoWeight, see TotalStake) that may set weights and that
	// counts in the epoch.
	StakeThreshold uint64
	// TaoWeight is TaoWeight, in parts of 2^64−1: the weight of root TAO
	// in a hotkey's stake weight.
	TaoWeight uint64
	// CommitRevealVersion is CommitRevealWeightsVersion, the version a
	// timelocked commit must carry.
	CommitRevealVersion uint16
}

// DefaultGlobals returns the chain's defaults: StakeThreshold 0
// (DefaultStakeThreshold), TaoWeight InitialTaoWeight (runtime/src/lib.rs)
// and CommitRevealWeightsVersion 4 (lib.rs DefaultCommitRevealWeightsVersion).
func DefaultGlobals() Globals {
	return Globals{
		StakeThreshold:      consensus.DefaultStakeThreshold,
		TaoWeight:           consensus.DefaultTaoWeight,
		CommitRevealVersion: DefaultCommitRevealVersion,
	}
}

// SubnetAccountID returns the subnet's own account (get_subnet_account_id
// in subnets/subnet.rs): the runtime's SubtensorPalletId "subtensr" as a
// sub-account of netuid, the bytes "modl", "subtensr", netuid in little
// endian and 18 zero bytes (into_sub_account_truncating).
func SubnetAccountID(netuid units.NetUID) units.AccountID {
	var a units.AccountID
	copy(a[:], "modlsubtensr")
	a[12], a[13] = byte(netuid), byte(netuid>>8)
	return a
}

// IsSubnetAccount reports whether account is some netuid's subnet account,
// and which (is_subnet_account_id in subnets/subnet.rs): the prefix
// "modl" "subtensr", a netuid, then zeros (try_from_sub_account). The
// chain refuses such an account as a hotkey (CannotUseSystemAccount).
func IsSubnetAccount(account units.AccountID) (units.NetUID, bool) {
	if string(account[:12]) != "modlsubtensr" {
		return 0, false
	}
	for _, b := range account[14:] {
		if b != 0 {
			return 0, false
		}
	}
	return units.NetUID(account[12]) | units.NetUID(account[13])<<8, true
}

// New returns the subnet do_register_network (subnets/subnet.rs) creates
// at block: DefaultHyperparameters (init_new_network), Burn NewSubnetBurn,
// the owner's hotkey registered at uid 0 with block as its registration
// block (append_neuron) and set as SubnetOwnerHotkey, and pool as its pool.
// The pool's reserves (the lock and the alpha bought at the median price)
// are the caller's to compute. An owner hotkey that is a subnet account is
// ErrCannotUseSystemAccount; a pool amm.Pool.Validate refuses is that
// error.
func New(netuid units.NetUID, owner, ownerHotkey units.AccountID, pool amm.Pool, block uint64) (*Subnet, error) {
	if _, ok := IsSubnetAccount(ownerHotkey); ok {
		return nil, ErrCannotUseSystemAccount
	}
	if err := pool.Validate(); err != nil {
		return nil, fmt.Errorf("subnet: new subnet %d: %w", netuid, err)
	}
	s := &Subnet{
		NetUID:          netuid,
		Owner:           owner,
		Hyperparameters: DefaultHyperparameters(),
		Pool:            pool,
		Burn:            NewSubnetBurn,
		Globals:         DefaultGlobals(),
	}
	s.appendNeuron(ownerHotkey, owner, block)
	s.OwnerHotkey, s.HasOwnerHotkey = ownerHotkey, true
	return s, nil
}

// Clone returns a deep copy of s: changing either leaves the other as it was.
func (s *Subnet) Clone() *Subnet {
	c := *s
	c.hotkeys = slices.Clone(s.hotkeys)
	c.byHotkey = slices.Clone(s.byHotkey)
	c.uidSlots = slices.Clone(s.uidSlots)
	c.coldkeys = slices.Clone(s.coldkeys)
	c.blockAtRegistration = slices.Clone(s.blockAtRegistration)
	c.active = slices.Clone(s.active)
	c.emission = slices.Clone(s.emission)
	c.consensus = slices.Clone(s.consensus)
	c.dividends = slices.Clone(s.dividends)
	c.validatorTrust = slices.Clone(s.validatorTrust)
	c.validatorPermit = slices.Clone(s.validatorPermit)
	c.stakeWeight = slices.Clone(s.stakeWeight)
	for m := range s.incentive {
		c.incentive[m] = slices.Clone(s.incentive[m])
		c.bonds[m] = cloneRows(s.bonds[m])
	}
	c.Weights = s.Weights.Clone()
	return &c
}

// cloneRows returns a deep copy of sparse rows (nil for nil).
func cloneRows(rows [][]consensus.Entry) [][]consensus.Entry {
	if rows == nil {
		return nil
	}
	out := make([][]consensus.Entry, len(rows))
	for i, r := range rows {
		out[i] = slices.Clone(r)
	}
	return out
}

// Equal reports whether s and t hold the same storage: every exported
// field equal (the weights by WeightState.Equal, which reads a missing row,
// queue or LastUpdate entry as the empty one), and the same neurons and
// per-uid vectors, element by element (a nil vector equals an empty one).
func (s *Subnet) Equal(t *Subnet) bool {
	if s.NetUID != t.NetUID || s.Owner != t.Owner || s.OwnerHotkey != t.OwnerHotkey ||
		s.HasOwnerHotkey != t.HasOwnerHotkey || s.Hyperparameters != t.Hyperparameters ||
		s.Pool != t.Pool || s.Burn != t.Burn || s.RegistrationsThisBlock != t.RegistrationsThisBlock ||
		s.RAORecycled != t.RAORecycled || s.TaoFlow != t.TaoFlow || s.MovingPrice != t.MovingPrice ||
		s.Globals != t.Globals || s.lastMechanismStepBlock != t.lastMechanismStepBlock ||
		!s.Weights.Equal(&t.Weights) {
		return false
	}
	if !slices.Equal(s.hotkeys, t.hotkeys) || !slices.Equal(s.coldkeys, t.coldkeys) ||
		!slices.Equal(s.blockAtRegistration, t.blockAtRegistration) || !slices.Equal(s.active, t.active) ||
		!slices.Equal(s.emission, t.emission) || !slices.Equal(s.consensus, t.consensus) ||
		!slices.Equal(s.dividends, t.dividends) || !slices.Equal(s.validatorTrust, t.validatorTrust) ||
		!slices.Equal(s.validatorPermit, t.validatorPermit) || !slices.Equal(s.stakeWeight, t.stakeWeight) {
		return false
	}
	for m := range s.incentive {
		if !slices.Equal(s.incentive[m], t.incentive[m]) || !rowsEqual(s.bonds[m], t.bonds[m]) {
			return false
		}
	}
	return true
}

// rowsEqual compares sparse rows, a missing row equal to an empty one.
func rowsEqual(a, b [][]consensus.Entry) bool {
	for i := range max(len(a), len(b)) {
		var r, q []consensus.Entry
		if i < len(a) {
			r = a[i]
		}
		if i < len(b) {
			q = b[i]
		}
		if !slices.Equal(r, q) {
			return false
		}
	}
	return true
}

// SetMechanismCount sets the mechanism count as
// Hyperparameters.SetMechanismCount does (same origin and range checks,
// same errors, nothing changed on error) and, when the count falls,
// removes the storage of the removed mechanisms: Incentive, Bonds and the
// weights state (Weights, LastUpdate, commits)
// (update_mechanism_counts_if_needed in subnets/mechanism.rs).
func (s *Subnet) SetMechanismCount(o Origin, count, maxCount uint8) error {
	old := s.Hyperparameters.MechanismCount
	if err := s.Hyperparameters.SetMechanismCount(o, count, maxCount); err != nil {
		return err
	}
	if count < old {
		for m := int(count); m < MaxMechanismsPerSubnet; m++ {
			s.incentive[m] = nil
			s.bonds[m] = nil
		}
		s.weightsTruncateMechanisms(count)
	}
	return nil
}
