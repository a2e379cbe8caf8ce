package subnet

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// ErrInvalidStorage reports a Storage that FromStorage refuses because no
// subnet the chain holds (and no Subnet this package builds) has it: the
// error names the field and the entry at fault. It is not a chain error.
var ErrInvalidStorage = errors.New("subnet: invalid storage")

// Storage is every storage item of one subnet that a Subnet holds, as
// plain values: the form in which a genesis or a snapshot carries a
// subnet. Subnet.Storage writes it and FromStorage reads it back. Fields
// and JSON keys are the chain's storage item names
// (pallets/subtensor/src/lib.rs at 14bc6f9f), the items of the netuid
// being read with the netuid as key.
//
// JSON. Integers (u16, u64, i64 and the units amounts, in rao) are JSON
// integers; the fixed-point SubnetMovingPrice and BurnIncreaseMult are
// strings of their raw bits, as the chain stores them; accounts and
// commit hashes are arrays of their 32 bytes. Every value round-trips
// exactly through encoding/json.
//
// Per uid. Keys and the other per-uid vectors are indexed by uid, 0..N−1,
// with N = len(Keys). Owners, BlockAtRegistration, Active, Emission,
// Consensus, Dividends, ValidatorTrust and ValidatorPermit hold N
// entries; StakeWeight, which the epoch writes whole and registration does
// not extend, at most N.
//
// Per mechanism. Incentive, Bonds, Weights, LastUpdate, WeightCommits and
// TimelockedWeightCommits are indexed by mechanism id (the chain keys them
// by NetUidStorageIndex, mecid·4096 + netuid) and hold at most
// Hyperparameters.MechanismCount entries; a missing mechanism holds
// nothing. Incentive and LastUpdate hold at most N entries each (a
// mechanism added after registrations holds shorter ones, LastUpdate reads
// as 0 past its end); Bonds and Weights hold at most N rows, by uid (a
// missing, null or empty row is none), each a list of (uid, value) cells
// with uids below N and none twice.
type Storage struct {
	// NetUID is the netuid, the key every item below is stored under.
	NetUID units.NetUID `json:"NetUid"`
	// SubnetOwner is the owner's coldkey.
	SubnetOwner units.AccountID `json:"SubnetOwner"`
	// SubnetOwnerHotkey is the owner's hotkey when HasSubnetOwnerHotkey:
	// the chain reads it with try_get, so a subnet may have none.
	SubnetOwnerHotkey    units.AccountID `json:"SubnetOwnerHotkey"`
	HasSubnetOwnerHotkey bool            `json:"HasSubnetOwnerHotkey"`
	// Hyperparameters are the subnet's parameters (Tempo, Kappa, ...,
	// MechanismCountCurrent), with their own JSON keys.
	Hyperparameters Hyperparameters `json:"Hyperparameters"`
	// Globals are the chain-wide values the subnet's rules read
	// (StakeThreshold, TaoWeight, CommitRevealWeightsVersion).
	Globals Globals `json:"Globals"`
	// Pool is the subnet's pool: SubnetTAO, SubnetAlphaIn, SubnetAlphaOut,
	// SubnetMechanism and the swap pallet's state (see amm.Pool).
	Pool amm.Pool `json:"Pool"`
	// SubnetMovingPrice is the pool's moving price.
	SubnetMovingPrice fixed.I96F32 `json:"SubnetMovingPrice"`
	// Burn is the registration price.
	Burn units.TAO `json:"Burn"`
	// RegistrationsThisBlock counts this block's registrations.
	RegistrationsThisBlock uint16 `json:"RegistrationsThisBlock"`
	// RAORecycledForRegistration is the sum of the prices registrations paid.
	RAORecycledForRegistration units.TAO `json:"RAORecycledForRegistration"`
	// SubnetTaoFlow is the TAO that flowed into the subnet.
	SubnetTaoFlow int64 `json:"SubnetTaoFlow"`
	// LastMechansimStepBlock (sic, the chain's spelling) is the block of
	// the last epoch, 0 for none.
	LastMechansimStepBlock uint64 `json:"LastMechansimStepBlock"`

	// Keys is the hotkey of each uid; N is its length.
	Keys []units.AccountID `json:"Keys"`
	// Owners is the coldkey of each uid's hotkey as registered: the
	// chain's Owner map (hotkey → coldkey) read at Keys[uid], stored here
	// per uid under the chain's name.
	Owners []units.AccountID `json:"Owner"`
	// BlockAtRegistration is each uid's registration block.
	BlockAtRegistration []uint64 `json:"BlockAtRegistration"`
	// Active, Emission, Consensus, Dividends, ValidatorTrust,
	// ValidatorPermit and StakeWeight are what the last epoch stored per
	// uid (u16 values are proportions x/65535, Emission is alpha).
	Active          []bool        `json:"Active"`
	Emission        []units.Alpha `json:"Emission"`
	Consensus       []uint16      `json:"Consensus"`
	Dividends       []uint16      `json:"Dividends"`
	ValidatorTrust  []uint16      `json:"ValidatorTrust"`
	ValidatorPermit []bool        `json:"ValidatorPermit"`
	StakeWeight     []uint16      `json:"StakeWeight"`

	// Incentive is each mechanism's Incentive vector.
	Incentive [][]uint16 `json:"Incentive"`
	// Bonds is each mechanism's bond rows, by uid.
	Bonds [][][]consensus.Entry `json:"Bonds"`
	// Weights is each mechanism's weight rows, by uid, as set_weights
	// stored them.
	Weights [][][]consensus.Entry `json:"Weights"`
	// LastUpdate is each mechanism's LastUpdate vector, as stored.
	LastUpdate [][]uint64 `json:"LastUpdate"`
	// WeightCommits is each mechanism's commit-reveal v2 queues, one per
	// hotkey (in any order; Subnet.Storage lists them by hotkey bytes).
	WeightCommits [][]HotkeyWeightCommits `json:"WeightCommits"`
	// TimelockedWeightCommits is each mechanism's commit-reveal v3
	// queues, one per epoch (in any order; Subnet.Storage lists them by
	// epoch).
	TimelockedWeightCommits [][]EpochTimelockedCommits `json:"TimelockedWeightCommits"`
}

// HotkeyWeightCommits is one WeightCommits entry: a hotkey's queue of
// live commit-reveal v2 commits on one mechanism, oldest first. A stored
// queue holds 1 to MaxUnrevealedCommits commits.
type HotkeyWeightCommits struct {
	Hotkey  units.AccountID `json:"Hotkey"`
	Commits []WeightCommit  `json:"Commits"`
}

// EpochTimelockedCommits is one TimelockedWeightCommits entry: the
// timelocked commits made in one epoch on one mechanism, in commit order.
// A stored queue is not empty and holds at most MaxUnrevealedCommits
// commits of any one hotkey.
type EpochTimelockedCommits struct {
	Epoch   uint64             `json:"Epoch"`
	Commits []TimelockedCommit `json:"Commits"`
}

// Storage returns the subnet's storage, sharing nothing with s: changing
// either leaves the other as it was. The per-mechanism items hold one
// entry per mechanism (MechanismCount), each as stored; the commit queues
// are listed by hotkey bytes and by epoch. A subnet whose
// Hyperparameters.MechanismCount was lowered by hand rather than through
// SetMechanismCount still holds the removed mechanisms' data: Storage
// lists it, and FromStorage refuses it.
func (s *Subnet) Storage() Storage {
	nm := s.storedMechanisms()
	st := Storage{
		NetUID:                     s.NetUID,
		SubnetOwner:                s.Owner,
		SubnetOwnerHotkey:          s.OwnerHotkey,
		HasSubnetOwnerHotkey:       s.HasOwnerHotkey,
		Hyperparameters:            s.Hyperparameters,
		Globals:                    s.Globals,
		Pool:                       s.Pool,
		SubnetMovingPrice:          s.MovingPrice,
		Burn:                       s.Burn,
		RegistrationsThisBlock:     s.RegistrationsThisBlock,
		RAORecycledForRegistration: s.RAORecycled,
		SubnetTaoFlow:              s.TaoFlow,
		LastMechansimStepBlock:     s.lastMechanismStepBlock,
		Keys:                       slices.Clone(s.hotkeys),
		Owners:                     slices.Clone(s.coldkeys),
		BlockAtRegistration:        slices.Clone(s.blockAtRegistration),
		Active:                     slices.Clone(s.active),
		Emission:                   slices.Clone(s.emission),
		Consensus:                  slices.Clone(s.consensus),
		Dividends:                  slices.Clone(s.dividends),
		ValidatorTrust:             slices.Clone(s.validatorTrust),
		ValidatorPermit:            slices.Clone(s.validatorPermit),
		StakeWeight:                slices.Clone(s.stakeWeight),
		Incentive:                  make([][]uint16, nm),
		Bonds:                      make([][][]consensus.Entry, nm),
	}
	for m := range min(nm, MaxMechanismsPerSubnet) {
		st.Incentive[m] = slices.Clone(s.incentive[m])
		st.Bonds[m] = cloneRows(s.bonds[m])
	}
	st.Weights, st.LastUpdate, st.WeightCommits, st.TimelockedWeightCommits = s.Weights.storage(nm)
	return st
}

// storedMechanisms returns how many mechanisms Storage lists: the
// mechanism count, or more if the subnet holds data beyond it (which only
// setting Hyperparameters.MechanismCount by hand, not through
// SetMechanismCount, leaves; FromStorage refuses it).
func (s *Subnet) storedMechanisms() int {
	n := int(s.Hyperparameters.MechanismCount)
	for m := n; m < MaxMechanismsPerSubnet; m++ {
		if len(s.incentive[m]) > 0 || len(s.bonds[m]) > 0 {
			n = m + 1
		}
	}
	for m := n; m < len(s.Weights.mechs); m++ {
		if !s.Weights.mechs[m].empty() {
			n = m + 1
		}
	}
	return n
}

// empty reports whether mechanism m holds no storage.
func (m *mechWeights) empty() bool {
	return len(m.rows) == 0 && len(m.lastUpdate) == 0 && len(m.commits) == 0 && len(m.timelocked) == 0
}

// storage returns deep copies of the first n mechanisms' Weights,
// LastUpdate, WeightCommits (by hotkey bytes) and TimelockedWeightCommits
// (by epoch), one entry per mechanism.
func (s *WeightState) storage(n int) (weights [][][]consensus.Entry, lastUpdate [][]uint64,
	commits [][]HotkeyWeightCommits, timelocked [][]EpochTimelockedCommits) {
	weights = make([][][]consensus.Entry, n)
	lastUpdate = make([][]uint64, n)
	commits = make([][]HotkeyWeightCommits, n)
	timelocked = make([][]EpochTimelockedCommits, n)
	for i := range min(n, len(s.mechs)) {
		m := &s.mechs[i]
		weights[i] = cloneRows(m.rows)
		lastUpdate[i] = slices.Clone(m.lastUpdate)
		if len(m.commits) > 0 {
			commits[i] = make([]HotkeyWeightCommits, len(m.commits))
			for k, c := range m.commits {
				commits[i][k] = HotkeyWeightCommits{Hotkey: c.hotkey, Commits: slices.Clone(c.queue)}
			}
		}
		if len(m.timelocked) > 0 {
			timelocked[i] = make([]EpochTimelockedCommits, len(m.timelocked))
			for k, e := range m.timelocked {
				timelocked[i][k] = EpochTimelockedCommits{Epoch: e.epoch, Commits: cloneTimelocked(e.queue)}
			}
		}
	}
	return weights, lastUpdate, commits, timelocked
}

// cloneTimelocked returns a deep copy of a timelocked queue.
func cloneTimelocked(q []TimelockedCommit) []TimelockedCommit {
	out := make([]TimelockedCommit, len(q))
	for j, c := range q {
		out[j] = c.clone()
	}
	return out
}

// invalid returns an error wrapping ErrInvalidStorage with the formatted
// message, which may itself wrap a cause with %w.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidStorage}, args...)...)
}

// FromStorage returns the subnet st holds, sharing nothing with st, so
// that FromStorage(s.Storage()) is Equal to s. It validates st whole
// first and refuses, with an error wrapping ErrInvalidStorage that names
// the field and the entry at fault (and wraps the underlying error where
// there is one):
//
//   - Hyperparameters that Hyperparameters.Validate refuses, a Pool that
//     amm.Pool.Validate refuses;
//   - a SubnetOwnerHotkey or a Keys entry that is a subnet account
//     (ErrCannotUseSystemAccount), a hotkey in Keys twice, more Keys than
//     MaxAllowedUids;
//   - a per-uid vector of the wrong length (see Storage);
//   - a per-mechanism item listing more mechanisms than MechanismCount,
//     an Incentive or LastUpdate vector longer than N, Bonds or Weights
//     with more than N rows or a cell whose uid is not below N or repeats
//     one of its row;
//   - commits WeightState does not hold: a hotkey's queue listed twice
//     for one mechanism, an empty queue, more than MaxUnrevealedCommits
//     commits in a hotkey's queue; an epoch listed twice for one
//     mechanism, an empty timelocked queue, more than MaxUnrevealedCommits
//     timelocked commits of one hotkey in one epoch.
//
// It never panics. The commit queues may be listed in any order: the
// subnet holds them sorted (by hotkey bytes and by epoch).
func FromStorage(st Storage) (*Subnet, error) {
	if err := validateStorage(&st); err != nil {
		return nil, err
	}
	s := &Subnet{
		NetUID:                 st.NetUID,
		Owner:                  st.SubnetOwner,
		OwnerHotkey:            st.SubnetOwnerHotkey,
		HasOwnerHotkey:         st.HasSubnetOwnerHotkey,
		Hyperparameters:        st.Hyperparameters,
		Pool:                   st.Pool,
		Burn:                   st.Burn,
		RegistrationsThisBlock: st.RegistrationsThisBlock,
		RAORecycled:            st.RAORecycledForRegistration,
		TaoFlow:                st.SubnetTaoFlow,
		MovingPrice:            st.SubnetMovingPrice,
		Globals:                st.Globals,
		hotkeys:                slices.Clone(st.Keys),
		coldkeys:               slices.Clone(st.Owners),
		blockAtRegistration:    slices.Clone(st.BlockAtRegistration),
		active:                 slices.Clone(st.Active),
		emission:               slices.Clone(st.Emission),
		consensus:              slices.Clone(st.Consensus),
		dividends:              slices.Clone(st.Dividends),
		validatorTrust:         slices.Clone(st.ValidatorTrust),
		validatorPermit:        slices.Clone(st.ValidatorPermit),
		stakeWeight:            slices.Clone(st.StakeWeight),
		lastMechanismStepBlock: st.LastMechansimStepBlock,
	}
	for m, v := range st.Incentive {
		s.incentive[m] = slices.Clone(v)
	}
	for m, rows := range st.Bonds {
		s.bonds[m] = cloneRows(rows)
	}
	s.Weights = weightStateFromStorage(&st)
	s.sortByHotkey()
	s.keysVersion = nextKeysVersion()
	return s, nil
}

// weightStateFromStorage builds the WeightState of a validated Storage.
func weightStateFromStorage(st *Storage) WeightState {
	n := max(len(st.Weights), len(st.LastUpdate), len(st.WeightCommits), len(st.TimelockedWeightCommits))
	ws := WeightState{mechs: make([]mechWeights, n)}
	for i := range n {
		m := &ws.mechs[i]
		if i < len(st.Weights) && len(st.Weights[i]) > 0 {
			m.rows = cloneRows(st.Weights[i])
			m.trimRows()
		}
		if i < len(st.LastUpdate) {
			m.lastUpdate = slices.Clone(st.LastUpdate[i])
		}
		if i < len(st.WeightCommits) {
			for _, c := range st.WeightCommits[i] {
				m.commits = append(m.commits, hotkeyCommits{hotkey: c.Hotkey, queue: slices.Clone(c.Commits)})
			}
			slices.SortFunc(m.commits, func(a, b hotkeyCommits) int { return bytes.Compare(a.hotkey[:], b.hotkey[:]) })
		}
		if i < len(st.TimelockedWeightCommits) {
			for _, e := range st.TimelockedWeightCommits[i] {
				m.timelocked = append(m.timelocked, epochCommits{epoch: e.Epoch, queue: cloneTimelocked(e.Commits)})
			}
			slices.SortFunc(m.timelocked, func(a, b epochCommits) int { return cmp.Compare(a.epoch, b.epoch) })
		}
	}
	return ws
}

// validateStorage runs FromStorage's checks.
func validateStorage(st *Storage) error {
	h := &st.Hyperparameters
	if err := h.Validate(); err != nil {
		return invalid("Hyperparameters: %w", err)
	}
	if err := st.Pool.Validate(); err != nil {
		return invalid("Pool: %w", err)
	}
	if netuid, ok := IsSubnetAccount(st.SubnetOwnerHotkey); ok && st.HasSubnetOwnerHotkey {
		return invalid("SubnetOwnerHotkey %x is the account of subnet %d: %w",
			st.SubnetOwnerHotkey[:], netuid, ErrCannotUseSystemAccount)
	}
	n := len(st.Keys)
	if n > int(h.MaxAllowedUids) {
		return invalid("Keys: %d hotkeys, more than MaxAllowedUids %d", n, h.MaxAllowedUids)
	}
	if err := validateKeys(st.Keys); err != nil {
		return err
	}
	for _, v := range []struct {
		field string
		len   int
	}{
		{"Owners", len(st.Owners)},
		{"BlockAtRegistration", len(st.BlockAtRegistration)},
		{"Active", len(st.Active)},
		{"Emission", len(st.Emission)},
		{"Consensus", len(st.Consensus)},
		{"Dividends", len(st.Dividends)},
		{"ValidatorTrust", len(st.ValidatorTrust)},
		{"ValidatorPermit", len(st.ValidatorPermit)},
	} {
		if v.len != n {
			return invalid("%s: %d entries, want N = %d (the length of Keys)", v.field, v.len, n)
		}
	}
	if len(st.StakeWeight) > n {
		return invalid("StakeWeight: %d entries, want at most N = %d", len(st.StakeWeight), n)
	}
	mechs := int(h.MechanismCount)
	for _, v := range []struct {
		field string
		len   int
	}{
		{"Incentive", len(st.Incentive)},
		{"Bonds", len(st.Bonds)},
		{"Weights", len(st.Weights)},
		{"LastUpdate", len(st.LastUpdate)},
		{"WeightCommits", len(st.WeightCommits)},
		{"TimelockedWeightCommits", len(st.TimelockedWeightCommits)},
	} {
		if v.len > mechs {
			return invalid("%s: %d mechanisms, more than MechanismCount %d", v.field, v.len, mechs)
		}
	}
	for m, v := range st.Incentive {
		if len(v) > n {
			return invalid("Incentive[%d]: %d entries, want at most N = %d", m, len(v), n)
		}
	}
	for m, v := range st.LastUpdate {
		if len(v) > n {
			return invalid("LastUpdate[%d]: %d entries, want at most N = %d", m, len(v), n)
		}
	}
	for m, rows := range st.Bonds {
		if err := validateRows("Bonds", m, rows, n); err != nil {
			return err
		}
	}
	for m, rows := range st.Weights {
		if err := validateRows("Weights", m, rows, n); err != nil {
			return err
		}
	}
	for m, queues := range st.WeightCommits {
		if err := validateCommits(m, queues); err != nil {
			return err
		}
	}
	for m, queues := range st.TimelockedWeightCommits {
		if err := validateTimelocked(m, queues); err != nil {
			return err
		}
	}
	return nil
}

// validateKeys refuses a subnet account or a hotkey listed twice.
func validateKeys(keys []units.AccountID) error {
	seen := make(map[units.AccountID]int, len(keys))
	for uid, k := range keys {
		if netuid, ok := IsSubnetAccount(k); ok {
			return invalid("Keys[%d]: %x is the account of subnet %d: %w", uid, k[:], netuid, ErrCannotUseSystemAccount)
		}
		if first, dup := seen[k]; dup {
			return invalid("Keys[%d]: hotkey %x already holds uid %d", uid, k[:], first)
		}
		seen[k] = uid
	}
	return nil
}

// validateRows checks mechanism m's sparse rows of field: at most n rows,
// every cell's uid below n and none twice in a row.
func validateRows(field string, m int, rows [][]consensus.Entry, n int) error {
	if len(rows) > n {
		return invalid("%s[%d]: %d rows, want at most N = %d", field, m, len(rows), n)
	}
	for i, row := range rows {
		// n ≤ MaxAllowedUids ≤ DefaultMaxAllowedUids = 256 uids.
		var seen [DefaultMaxAllowedUids / 64]uint64
		for k, e := range row {
			u := int(e.UID)
			if u >= n {
				return invalid("%s[%d][%d][%d]: uid %d, not below N = %d", field, m, i, k, u, n)
			}
			if seen[u/64]&(1<<(u%64)) != 0 {
				return invalid("%s[%d][%d][%d]: uid %d listed twice in the row", field, m, i, k, u)
			}
			seen[u/64] |= 1 << (u % 64)
		}
	}
	return nil
}

// validateCommits checks mechanism m's WeightCommits: each hotkey once,
// each queue of 1 to MaxUnrevealedCommits commits.
func validateCommits(m int, queues []HotkeyWeightCommits) error {
	seen := make(map[units.AccountID]int, len(queues))
	for i, q := range queues {
		if first, dup := seen[q.Hotkey]; dup {
			return invalid("WeightCommits[%d][%d]: hotkey %x already listed at [%d]", m, i, q.Hotkey[:], first)
		}
		seen[q.Hotkey] = i
		if len(q.Commits) == 0 || len(q.Commits) > MaxUnrevealedCommits {
			return invalid("WeightCommits[%d][%d]: hotkey %x holds %d commits, want 1 to %d",
				m, i, q.Hotkey[:], len(q.Commits), MaxUnrevealedCommits)
		}
	}
	return nil
}

// validateTimelocked checks mechanism m's TimelockedWeightCommits: each
// epoch once, each queue non-empty with at most MaxUnrevealedCommits
// commits of one hotkey.
func validateTimelocked(m int, queues []EpochTimelockedCommits) error {
	seen := make(map[uint64]int, len(queues))
	for i, q := range queues {
		if first, dup := seen[q.Epoch]; dup {
			return invalid("TimelockedWeightCommits[%d][%d]: epoch %d already listed at [%d]", m, i, q.Epoch, first)
		}
		seen[q.Epoch] = i
		if len(q.Commits) == 0 {
			return invalid("TimelockedWeightCommits[%d][%d]: epoch %d holds no commit", m, i, q.Epoch)
		}
		per := make(map[units.AccountID]int)
		for _, c := range q.Commits {
			per[c.Hotkey]++
			if per[c.Hotkey] > MaxUnrevealedCommits {
				return invalid("TimelockedWeightCommits[%d][%d]: hotkey %x holds more than %d commits in epoch %d",
					m, i, c.Hotkey[:], MaxUnrevealedCommits, q.Epoch)
			}
		}
	}
	return nil
}

// AppendNeuron appends a neuron to the storage as append_neuron
// (subnets/uids.rs) stores one: hotkey and coldkey at uid N, registered at
// block, active, with zero emission, consensus, dividends, trust and
// incentive, no validator permit, and LastUpdate block on every mechanism
// present. It builds a genesis by hand; FromStorage judges the result.
func (st *Storage) AppendNeuron(hotkey, coldkey units.AccountID, block uint64) {
	st.Keys = append(st.Keys, hotkey)
	st.Owners = append(st.Owners, coldkey)
	st.BlockAtRegistration = append(st.BlockAtRegistration, block)
	st.Active = append(st.Active, true)
	st.Emission = append(st.Emission, 0)
	st.Consensus = append(st.Consensus, 0)
	st.Dividends = append(st.Dividends, 0)
	st.ValidatorTrust = append(st.ValidatorTrust, 0)
	st.ValidatorPermit = append(st.ValidatorPermit, false)
	for m := range st.Incentive {
		st.Incentive[m] = append(st.Incentive[m], 0)
	}
	for m := range st.LastUpdate {
		st.LastUpdate[m] = append(st.LastUpdate[m], block)
	}
}

// ClearNeurons removes every neuron and its per-uid entries, weights,
// bonds and commits included, and the owner hotkey: a subnet with no
// neurons, as none is registered.
func (st *Storage) ClearNeurons() {
	st.HasSubnetOwnerHotkey, st.SubnetOwnerHotkey = false, units.AccountID{}
	st.Keys, st.Owners, st.BlockAtRegistration = nil, nil, nil
	st.Active, st.Emission, st.Consensus, st.Dividends = nil, nil, nil, nil
	st.ValidatorTrust, st.ValidatorPermit, st.StakeWeight = nil, nil, nil
	for m := range st.Incentive {
		st.Incentive[m] = nil
	}
	for m := range st.LastUpdate {
		st.LastUpdate[m] = nil
	}
	for m := range st.Weights {
		st.Weights[m] = nil
	}
	for m := range st.Bonds {
		st.Bonds[m] = nil
	}
	st.WeightCommits, st.TimelockedWeightCommits = nil, nil
}
