package subnet

import (
	"encoding/binary"
	"slices"
	"sync/atomic"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
)

// N returns the number of registered neurons (SubnetworkN); their uids are
// 0..N-1.
func (s *Subnet) N() uint16 { return uint16(len(s.hotkeys)) }

// Hotkey returns the hotkey at uid (Keys), false when uid is not below N.
func (s *Subnet) Hotkey(uid units.UID) (units.AccountID, bool) {
	if int(uid) >= len(s.hotkeys) {
		return units.AccountID{}, false
	}
	return s.hotkeys[uid], true
}

// Coldkey returns the coldkey owning the hotkey at uid (Owner[Keys[uid]],
// as it was at registration), false when uid is not below N.
func (s *Subnet) Coldkey(uid units.UID) (units.AccountID, bool) {
	if int(uid) >= len(s.coldkeys) {
		return units.AccountID{}, false
	}
	return s.coldkeys[uid], true
}

// UID returns the uid of a registered hotkey (Uids), false when the hotkey
// is not registered here. It looks the hotkey up in the uid index
// (uidSlots).
func (s *Subnet) UID(hotkey units.AccountID) (units.UID, bool) {
	return s.lookupUID(&hotkey)
}

// The uid index, uidSlots, is an open-addressing hash table of the uids
// by hotkey, derived from hotkeys (not storage: Equal and Storage ignore
// it): a power-of-two number of slots, at least twice N, so that at most
// half are used and a probe always ends at an empty slot. A used slot
// holds a 16-bit tag of its hotkey's hash (the hash's top bits) above
// uid+1 (at most 65535, as N fits in a uint16); an empty one holds 0. A
// hotkey's probe starts at the slot its hash's low bits name and moves to
// the next slot (wrapping) until its uid or an empty slot. The table only
// finds candidates: a uid is the answer when its hotkey in hotkeys is the
// hotkey sought, so any hash finds the same uids. A lookup reads a line
// of the table (rarely two) and the hotkey's own line, which the weight
// rules' owner check reads next, where a binary search of byHotkey reads
// a line at each of its last levels. appendNeuron inserts the new uid
// (rebuilding a table twice as large past half full), replaceNeuron
// removes the old hotkey's entry (unindexUID) and inserts the new one,
// FromStorage builds the table (indexUIDs), Clone copies it.
const (
	uidSlotEmpty   = 0
	uidSlotUIDMask = 1<<16 - 1
	uidMinSlots    = 8
)

// keyHash mixes a hotkey's 32 bytes into 64 bits for the uid index.
func keyHash(k *units.AccountID) uint64 {
	h := binary.LittleEndian.Uint64(k[0:])*0x9e3779b97f4a7c15 ^
		binary.LittleEndian.Uint64(k[8:])*0xc2b2ae3d27d4eb4f ^
		binary.LittleEndian.Uint64(k[16:])*0x165667b19e3779f9 ^
		binary.LittleEndian.Uint64(k[24:])*0xd6e8feb86659fd93
	h ^= h >> 32
	h *= 0x9e3779b97f4a7c15
	return h ^ h>>29
}

// sameKey reports whether a and b are the same key: a == b, compared
// as four words, the first (which differs for nearly any two distinct
// keys) alone deciding most comparisons, where == calls runtime.memequal.
func sameKey(a, b *units.AccountID) bool {
	le := binary.LittleEndian
	return le.Uint64(a[0:]) == le.Uint64(b[0:]) &&
		(le.Uint64(a[8:])^le.Uint64(b[8:]))|(le.Uint64(a[16:])^le.Uint64(b[16:]))|(le.Uint64(a[24:])^le.Uint64(b[24:])) == 0
}

// lookupUID is UID's search of the uid index.
func (s *Subnet) lookupUID(hotkey *units.AccountID) (units.UID, bool) {
	slots := s.uidSlots
	if len(slots) == 0 {
		return 0, false
	}
	h := keyHash(hotkey)
	mask := uint64(len(slots) - 1)
	tag := uint32(h>>48) << 16
	for i := h & mask; ; i = (i + 1) & mask {
		e := slots[i]
		if e == uidSlotEmpty {
			return 0, false
		}
		if e&^uidSlotUIDMask == tag {
			if uid := units.UID(e&uidSlotUIDMask - 1); int(uid) < len(s.hotkeys) && sameKey(&s.hotkeys[uid], hotkey) {
				return uid, true
			}
		}
	}
}

// insertUID adds uid, whose hotkey is hotkeys[uid], to the uid index,
// which has room (a slot count above twice the uids it holds).
func (s *Subnet) insertUID(uid units.UID) {
	h := keyHash(&s.hotkeys[uid])
	mask := uint64(len(s.uidSlots) - 1)
	i := h & mask
	for s.uidSlots[i] != uidSlotEmpty {
		i = (i + 1) & mask
	}
	s.uidSlots[i] = uint32(h>>48)<<16 | (uint32(uid) + 1)
}

// unindexUID removes uid, whose hotkey is still hotkeys[uid], from the
// uid index, by backward-shift deletion: each later entry of the probe
// run moves back into the freed slot unless its home slot lies cyclically
// after the freed slot and at or before its own (it would then be behind
// its home), so every entry stays reachable from its home without
// crossing an empty slot, as if the uid had never been inserted.
func (s *Subnet) unindexUID(uid units.UID) {
	mask := uint64(len(s.uidSlots) - 1)
	i := keyHash(&s.hotkeys[uid]) & mask
	for s.uidSlots[i]&uidSlotUIDMask != uint32(uid)+1 {
		i = (i + 1) & mask
	}
	for j := (i + 1) & mask; s.uidSlots[j] != uidSlotEmpty; j = (j + 1) & mask {
		e := s.uidSlots[j]
		home := keyHash(&s.hotkeys[e&uidSlotUIDMask-1]) & mask
		// home in (i, j], cyclically: the entry stays.
		if (j-home)&mask < (j-i)&mask {
			continue
		}
		s.uidSlots[i] = e
		i = j
	}
	s.uidSlots[i] = uidSlotEmpty
}

// indexUIDs rebuilds the uid index from hotkeys.
func (s *Subnet) indexUIDs() {
	size := uidMinSlots
	for size < 2*len(s.hotkeys) {
		size *= 2
	}
	if cap(s.uidSlots) >= size {
		s.uidSlots = s.uidSlots[:size]
		clear(s.uidSlots)
	} else {
		s.uidSlots = make([]uint32, size)
	}
	for uid := range s.hotkeys {
		s.insertUID(units.UID(uid))
	}
}

// indexAppendedUID adds the last uid of hotkeys to the uid index,
// rebuilding it twice as large when it would be more than half full.
func (s *Subnet) indexAppendedUID() {
	if 2*len(s.hotkeys) > len(s.uidSlots) {
		s.indexUIDs()
		return
	}
	s.insertUID(units.UID(len(s.hotkeys) - 1))
}

// UIDsByHotkey appends to dst[:0] the uids 0..N-1 ordered by their
// hotkeys' bytes, and returns the extended slice: the order of the chain's
// maps keyed by hotkey, and of the lines RunEpoch returns, so that line i
// of an epoch's output is the neuron at uid UIDsByHotkey(nil)[i] (until
// the next registration).
func (s *Subnet) UIDsByHotkey(dst []units.UID) []units.UID {
	dst = dst[:0]
	for _, k := range s.byHotkey {
		dst = append(dst, k.uid)
	}
	return dst
}

// keyRef is a uid in byHotkey, with the first 8 bytes of its hotkey read
// big endian: comparing two prefixes orders two hotkeys as their bytes
// do, unless the prefixes are equal.
type keyRef struct {
	prefix uint64
	uid    units.UID
}

// keyPrefix is a hotkey's keyRef prefix.
func keyPrefix(hotkey *units.AccountID) uint64 { return binary.BigEndian.Uint64(hotkey[:8]) }

// hotkeyRank returns the position of hotkey in byHotkey, or where it would
// be inserted, and whether it is there. It binary-searches the prefixes
// (the search reads only byHotkey), then compares the whole hotkeys of the
// few entries whose prefix is hotkey's, which byHotkey holds in order.
func (s *Subnet) hotkeyRank(hotkey *units.AccountID) (int, bool) {
	p := keyPrefix(hotkey)
	lo, hi := 0, len(s.byHotkey)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if s.byHotkey[mid].prefix < p {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	for ; lo < len(s.byHotkey) && s.byHotkey[lo].prefix == p; lo++ {
		if c := units.CompareAccounts(&s.hotkeys[s.byHotkey[lo].uid], hotkey); c >= 0 {
			return lo, c == 0
		}
	}
	return lo, false
}

// sortByHotkey builds byHotkey and the uid index from hotkeys.
func (s *Subnet) sortByHotkey() {
	s.indexUIDs()
	s.byHotkey = s.byHotkey[:0]
	for uid := range s.hotkeys {
		s.byHotkey = append(s.byHotkey, keyRef{keyPrefix(&s.hotkeys[uid]), units.UID(uid)})
	}
	slices.SortFunc(s.byHotkey, func(a, b keyRef) int {
		return units.CompareAccounts(&s.hotkeys[a.uid], &s.hotkeys[b.uid])
	})
}

// keysVersions is the last version drawn by nextKeysVersion, for every
// Subnet of the process.
var keysVersions atomic.Uint64

// nextKeysVersion returns a version no Subnet has held before: nonzero,
// and distinct from every earlier one of the process.
func nextKeysVersion() uint64 { return keysVersions.Add(1) }

// HotkeysVersion returns a number naming the subnet's hotkeys by uid
// (Keys): every change of a uid's hotkey (a registration appending or
// replacing a neuron, FromStorage) gives the subnet a version no Subnet of
// the process has held before, and Clone copies it with the hotkeys. So
// two Subnets, or one Subnet at two moments, with the same nonzero version
// hold the same hotkeys, in the same order; a version of 0 (a Subnet not
// made by New or FromStorage) names nothing. A caller that keeps what it
// derived from the hotkeys, with the version it read, knows it is still
// current while HotkeysVersion returns the same nonzero value, without
// comparing the hotkeys.
func (s *Subnet) HotkeysVersion() uint64 { return s.keysVersion }

// Hotkeys returns a copy of the hotkeys by uid (Keys).
func (s *Subnet) Hotkeys() []units.AccountID { return slices.Clone(s.hotkeys) }

// Coldkeys returns a copy of the hotkeys' owning coldkeys by uid.
func (s *Subnet) Coldkeys() []units.AccountID { return slices.Clone(s.coldkeys) }

// BlockAtRegistration returns a copy of each uid's registration block (BlockAtRegistration).
func (s *Subnet) BlockAtRegistration() []uint64 { return slices.Clone(s.blockAtRegistration) }

// Active returns a copy of Active.
func (s *Subnet) Active() []bool { return slices.Clone(s.active) }

// Emission returns a copy of Emission, the alpha each uid received in the last epoch.
func (s *Subnet) Emission() []units.Alpha { return slices.Clone(s.emission) }

// Consensus returns a copy of Consensus.
func (s *Subnet) Consensus() []uint16 { return slices.Clone(s.consensus) }

// Dividends returns a copy of Dividends.
func (s *Subnet) Dividends() []uint16 { return slices.Clone(s.dividends) }

// ValidatorTrust returns a copy of ValidatorTrust.
func (s *Subnet) ValidatorTrust() []uint16 { return slices.Clone(s.validatorTrust) }

// ValidatorPermit returns a copy of ValidatorPermit.
func (s *Subnet) ValidatorPermit() []bool { return slices.Clone(s.validatorPermit) }

// StakeWeight returns a copy of StakeWeight as stored: the epoch writes it
// whole, registration does not extend it, so it may be shorter than N.
func (s *Subnet) StakeWeight() []uint16 { return slices.Clone(s.stakeWeight) }

// Incentive returns a copy of mechanism mech's Incentive as stored (it may
// be shorter than N for a mechanism added after registrations); nil for a
// mechanism at or above MaxMechanismsPerSubnet.
func (s *Subnet) Incentive(mech uint8) []uint16 {
	if int(mech) >= MaxMechanismsPerSubnet {
		return nil
	}
	return slices.Clone(s.incentive[mech])
}

// LastUpdate returns mechanism mech's LastUpdate as the chain reads it,
// padded with 0 to N (utils/misc.rs get_last_update); nil for a mechanism
// at or above MaxMechanismsPerSubnet. The weights state holds it
// (WeightState.LastUpdate).
func (s *Subnet) LastUpdate(mech uint8) []uint64 {
	if int(mech) >= MaxMechanismsPerSubnet {
		return nil
	}
	return padded(s.Weights.LastUpdate(mech), len(s.hotkeys))
}

// Bonds returns a deep copy of mechanism mech's stored bond rows, by uid
// (Bonds; a missing or empty row is none): what the last epoch wrote, with
// the rows of replaced uids removed. nil for a mechanism at or above
// MaxMechanismsPerSubnet.
func (s *Subnet) Bonds(mech uint8) [][]consensus.Entry {
	if int(mech) >= MaxMechanismsPerSubnet {
		return nil
	}
	return cloneRows(s.bonds[mech])
}

// LastMechanismStepBlock returns LastMechansimStepBlock: the block of the
// last epoch RunEpoch ran (0 for none).
func (s *Subnet) LastMechanismStepBlock() uint64 { return s.lastMechanismStepBlock }

// padded returns a copy of v extended with zeros to length n.
func padded(v []uint64, n int) []uint64 {
	out := make([]uint64, max(len(v), n))
	copy(out, v)
	return out
}

// weightEnv returns the WeightEnv of the subnet's own state at block, with
// epoch as the commit epoch (current_epoch_with_lookahead). It leaves
// HasOwner and OwnerUID unset and has the rules ask the subnet whether a
// uid holds the owner hotkey (WeightEnv.owners), which is get_owner_uid's
// answer (ownerUID) without a lookup of the owner's hotkey.
func (s *Subnet) weightEnv(block, epoch uint64) (env WeightEnv) {
	s.fillWeightEnv(&env, block, epoch)
	return env
}

// fillWeightEnv sets the zero WeightEnv env to weightEnv(block, epoch)
// field by field, in place: a call that builds its env so (a set_weights
// of a batch, setWeightsFound) copies the hyperparameters once, where
// weightEnv's result is built, then copied into the caller's variable.
func (s *Subnet) fillWeightEnv(env *WeightEnv, block, epoch uint64) {
	env.NetUID, env.N, env.Block, env.Epoch = s.NetUID, s.N(), block, epoch
	env.ValidatorPermit = s.validatorPermit
	env.StakeThreshold, env.CommitRevealVersion = s.Globals.StakeThreshold, s.Globals.CommitRevealVersion
	env.Hyper = s.Hyperparameters
	env.owners = s
}

// ownerUID is get_owner_uid (utils/misc.rs): the uid of SubnetOwnerHotkey
// when it is registered here.
func (s *Subnet) ownerUID() (units.UID, bool) {
	if !s.HasOwnerHotkey {
		return 0, false
	}
	// New registers the owner hotkey at uid 0, where it stays (pruning
	// spares it); hotkeys are unique, so a match there is the answer.
	if len(s.hotkeys) > 0 && s.hotkeys[0] == s.OwnerHotkey {
		return 0, true
	}
	return s.UID(s.OwnerHotkey)
}

// The three points where registration reaches the weight storage of each
// mechanism (Weights, Bonds, LastUpdate, commits): a uid appended, a uid
// replaced, mechanisms removed.

// weightsAppendNeuron is append_neuron's part (subnets/uids.rs): on each
// mechanism, LastUpdate[uid] = block for the new uid (N already counts it).
func (s *Subnet) weightsAppendNeuron(block uint64) {
	env := &WeightEnv{NetUID: s.NetUID, N: s.N(), Block: block, Hyper: s.Hyperparameters}
	s.Weights.AppendNeuron(env)
}

// weightsReplaceNeuron is replace_neuron's part (clear_neuron and step 6 in
// subnets/uids.rs): on each mechanism the chain removes uid's bonds row
// (the bonds other validators hold on uid stay) and its weights row,
// zeroes the weights others set on uid, then sets LastUpdate[uid] = block.
func (s *Subnet) weightsReplaceNeuron(uid units.UID, block uint64) {
	for m := range s.mechanisms() {
		if rows := s.bonds[m]; int(uid) < len(rows) {
			rows[uid] = nil
		}
	}
	env := &WeightEnv{NetUID: s.NetUID, N: s.N(), Block: block, Hyper: s.Hyperparameters}
	s.Weights.ReplaceNeuron(env, uid)
}

// weightsTruncateMechanisms is update_mechanism_counts_if_needed's part
// (subnets/mechanism.rs): the Weights, LastUpdate and commits of every
// mechanism at or above count are removed.
func (s *Subnet) weightsTruncateMechanisms(count uint8) {
	s.Weights.TruncateMechanisms(count)
}

// mechanisms returns the number of mechanisms whose storage registration
// touches (MechanismCountCurrent), capped at MaxMechanismsPerSubnet.
func (s *Subnet) mechanisms() int {
	return min(int(s.Hyperparameters.MechanismCount), MaxMechanismsPerSubnet)
}

// appendNeuron is append_neuron (subnets/uids.rs): the next uid N gets the
// hotkey and its coldkey, registered at block; Active true, Emission,
// Consensus, Dividends and ValidatorTrust 0 and no ValidatorPermit are
// appended, and for each mechanism an Incentive of 0 is appended and
// LastUpdate[N] set to block. StakeWeight is not extended.
func (s *Subnet) appendNeuron(hotkey, coldkey units.AccountID, block uint64) units.UID {
	uid := units.UID(len(s.hotkeys))
	pos, _ := s.hotkeyRank(&hotkey)
	s.byHotkey = slices.Insert(s.byHotkey, pos, keyRef{keyPrefix(&hotkey), uid})
	s.hotkeys = append(s.hotkeys, hotkey)
	s.keysVersion = nextKeysVersion()
	s.indexAppendedUID()
	s.coldkeys = append(s.coldkeys, coldkey)
	s.blockAtRegistration = append(s.blockAtRegistration, block)
	s.active = append(s.active, true)
	s.emission = append(s.emission, 0)
	s.consensus = append(s.consensus, 0)
	for m := range s.mechanisms() {
		s.incentive[m] = append(s.incentive[m], 0)
	}
	s.weightsAppendNeuron(block)
	s.dividends = append(s.dividends, 0)
	s.validatorTrust = append(s.validatorTrust, 0)
	s.validatorPermit = append(s.validatorPermit, false)
	return uid
}

// isOwnerHotkey reports whether uid holds SubnetOwnerHotkey.
func (s *Subnet) isOwnerHotkey(uid units.UID) bool {
	return s.HasOwnerHotkey && sameKey(&s.hotkeys[uid], &s.OwnerHotkey)
}

// replaceNeuron is replace_neuron (subnets/uids.rs): unless uid holds the
// subnet owner hotkey (then nothing changes and it returns false), the
// hotkey and its coldkey take uid, registered at block and active, and
// the old neuron's per-uid values are cleared (clearNeuron), with LastUpdate
// set to block on every mechanism. The old hotkey's axon, certificate,
// prometheus and EVM address entries, which the chain also removes, are
// not held here.
func (s *Subnet) replaceNeuron(uid units.UID, hotkey, coldkey units.AccountID, block uint64) bool {
	if s.isOwnerHotkey(uid) {
		return false
	}
	if pos, ok := s.hotkeyRank(&s.hotkeys[uid]); ok {
		s.byHotkey = slices.Delete(s.byHotkey, pos, pos+1)
	}
	pos, _ := s.hotkeyRank(&hotkey)
	s.byHotkey = slices.Insert(s.byHotkey, pos, keyRef{keyPrefix(&hotkey), uid})
	s.unindexUID(uid)
	s.hotkeys[uid] = hotkey
	s.keysVersion = nextKeysVersion()
	s.insertUID(uid)
	s.coldkeys[uid] = coldkey
	s.active[uid] = true
	s.blockAtRegistration[uid] = block
	s.clearNeuron(uid)
	s.weightsReplaceNeuron(uid, block)
	return true
}

// setAt is set_element_at (subnets/uids.rs): v[i] = x when i is in range.
func setAt[T any](v []T, i units.UID, x T) {
	if int(i) < len(v) {
		v[i] = x
	}
}

// clearNeuron is clear_neuron (subnets/uids.rs) on the vectors held here:
// Emission, Consensus, Incentive (every mechanism), Dividends, StakeWeight
// and ValidatorTrust set to 0, ValidatorPermit to false, each where the
// stored vector reaches uid. Its weights and bonds part is
// weightsReplaceNeuron's.
func (s *Subnet) clearNeuron(uid units.UID) {
	setAt(s.emission, uid, 0)
	setAt(s.consensus, uid, 0)
	for m := range s.mechanisms() {
		setAt(s.incentive[m], uid, 0)
	}
	setAt(s.dividends, uid, 0)
	setAt(s.stakeWeight, uid, 0)
	setAt(s.validatorTrust, uid, 0)
	setAt(s.validatorPermit, uid, false)
}

// Neurons appends to dst[:0] what pruning reads of each neuron, in uid
// order, and returns the extended slice: its uid, registration block,
// emission, whether its coldkey is the subnet owner (OwnedHotkeys[SubnetOwner]
// holds it) and whether it is SubnetOwnerHotkey.
func (s *Subnet) Neurons(dst []Neuron) []Neuron {
	dst = dst[:0]
	for i := range s.hotkeys {
		uid := units.UID(i)
		var e units.Alpha
		if i < len(s.emission) {
			e = s.emission[i]
		}
		dst = append(dst, Neuron{
			UID:                 uid,
			BlockAtRegistration: s.blockAtRegistration[i],
			Emission:            e,
			OwnedBySubnetOwner:  s.coldkeys[i] == s.Owner,
			IsOwnerHotkey:       s.isOwnerHotkey(uid),
		})
	}
	return dst
}

// NeuronToPrune returns the uid a registration at block would replace on
// a full subnet: NeuronToPrune over Neurons with the hyperparameters'
// PruneParams (get_neuron_to_prune in subnets/registration.rs), or
// ErrNoNeuronIdAvailable.
func (s *Subnet) NeuronToPrune(block uint64) (units.UID, error) {
	return NeuronToPrune(s.Neurons(nil), block, s.Hyperparameters.PruneParams())
}
