package subnet

import "github.com/dtao-go/dtao/units"

// WeightsCall is one set_weights call of a batch (SetWeightsBatch): the
// subnet it goes to and the arguments of Subnet.SetWeights.
type WeightsCall struct {
	// Subnet is the subnet the call goes to; it must not be nil.
	Subnet *Subnet
	// At, Who, Mech, UIDs, Values and VersionKey are Subnet.SetWeights'
	// arguments.
	At         Now
	Who        Signer
	Mech       uint8
	UIDs       []uint16
	Values     []uint16
	VersionKey uint64
}

// weightsAhead is the number of calls SetWeightsBatch reads ahead: the
// calls whose lines it brings into the cache together before it makes
// them (touchWeightCalls).
const weightsAhead = 16

// SetWeightsBatch makes calls in order, each exactly as
// calls[i].Subnet.SetWeights(At, Who, Mech, UIDs, Values, VersionKey)
// would in turn: each call succeeds or fails on its own, sees the state
// the calls before it left (a second call of a hotkey meets the first
// one's LastUpdate), and a failed call changes nothing. It appends each
// call's error, nil for a call that succeeded, to errs and returns the
// extended slice: len(calls) more entries, in the calls' order. It does
// not allocate when errs has room for them.
//
// The only difference from the calls one at a time is speed: before it
// makes up to 16 calls, it reads, for all of them at once, the lines of
// each subnet's state the calls will read — the subnet's fields, the
// caller's uid slot, hotkey, permit, LastUpdate and stored row — in
// stages (touchWeightCalls), so that their cache misses overlap where
// each call would wait for its own, one after another. Those reads only
// read; the calls then run the ordinary path, with the caller's uid
// found by the read-ahead's lookup rather than looked up again.
//
// A nil Subnet is a programmer error: it panics, as the method call on a
// nil *Subnet does.
func SetWeightsBatch(errs []error, calls []WeightsCall) []error {
	for len(calls) > 0 {
		chunk := calls[:min(len(calls), weightsAhead)]
		var found foundCallers
		touchWeightCalls(chunk, &found)
		for i := range chunk {
			c := &chunk[i]
			errs = append(errs, c.Subnet.setWeightsFound(c, found.uid[i], found.ok[i]))
		}
		calls = calls[len(chunk):]
	}
	return errs
}

// foundCallers are the callers' uids of a chunk of calls, as
// touchWeightCalls found them (lookupUID): uid[i] and ok[i] are call i's.
type foundCallers struct {
	uid [weightsAhead]units.UID
	ok  [weightsAhead]bool
}

// setWeightsFound is c.Subnet.SetWeights(c.At, c.Who, c.Mech, c.UIDs,
// c.Values, c.VersionKey) with the caller's uid already looked up: uid
// and ok are lookupUID(&c.Who.Hotkey), the answer SetWeights' caller
// would find, as no set_weights call changes the uid index.
func (s *Subnet) setWeightsFound(c *WeightsCall, uid units.UID, ok bool) error {
	var env WeightEnv
	s.fillWeightEnv(&env, c.At.Block, c.At.Epoch)
	who := WeightCaller{Hotkey: c.Who.Hotkey, Registered: ok, UID: uid, Stake: c.Who.Stake}
	return s.Weights.SetWeights(&env, who, c.Mech, c.UIDs, c.Values, c.VersionKey)
}

// touchWeightCalls reads a word of each line the set_weights calls of
// chunk (at most weightsAhead calls) will read, in three passes over the
// calls, each pass's loads independent of each other, so that the
// processor has all of a pass's cache misses in flight at once:
//
//  1. the subnet's fields the call reads (NetUID, the owner hotkey, the
//     hyperparameters weightEnv copies, a field in each of their lines:
//     HasOwnerHotkey's, RevealPeriodEpochs', MechanismCount's and
//     EmissionSplitLen's, Globals, the weight storage's and the neurons'
//     slice headers), the mechanism's storage, the call's uids and
//     values, and the caller's home slot of the uid index (keyHash's);
//  2. the caller's uid, looked up (lookupUID, whose slot and hotkey
//     lines load here) and kept in found for the call, and for that uid
//     the validator permit, LastUpdate and the stored row's slice header;
//  3. the stored row's entries, which storeRow overwrites.
//
// The xor of what it reads is kept in the first call's subnet (touched),
// only so that the compiler keeps the loads. It changes nothing the
// calls read: the calls' outcomes and state are those of the calls alone.
// The uids in found are those the calls' own lookups would find when
// they run: no set_weights call changes a subnet's neurons.
func touchWeightCalls(chunk []WeightsCall, found *foundCallers) {
	var x uint32
	chunk = chunk[:min(len(chunk), weightsAhead)]
	for i := range chunk {
		c := &chunk[i]
		s := c.Subnet
		x ^= uint32(s.NetUID) ^ b2u(s.HasOwnerHotkey) ^ uint32(s.Hyperparameters.RevealPeriodEpochs) ^
			uint32(s.Hyperparameters.MechanismCount) ^ uint32(s.Hyperparameters.EmissionSplitLen) ^ uint32(s.Globals.StakeThreshold)
		if u := c.UIDs; len(u) > 0 {
			x ^= uint32(u[0]) ^ uint32(u[len(u)-1])
		}
		if v := c.Values; len(v) > 0 {
			x ^= uint32(v[0]) ^ uint32(v[len(v)-1])
		}
		if m := s.Weights.peek(c.Mech); m != nil {
			x ^= uint32(len(m.rows)) ^ uint32(len(m.lastUpdate))
		}
		if t := s.uidSlots; len(t) > 0 {
			x ^= t[keyHash(&c.Who.Hotkey)&uint64(len(t)-1)]
		}
	}
	for i := range chunk {
		c := &chunk[i]
		s := c.Subnet
		u, ok := s.lookupUID(&c.Who.Hotkey)
		found.uid[i], found.ok[i] = u, ok
		if !ok {
			continue
		}
		uid := int(u)
		if uid < len(s.validatorPermit) {
			x ^= b2u(s.validatorPermit[uid])
		}
		if m := s.Weights.peek(c.Mech); m != nil {
			if uid < len(m.lastUpdate) {
				x ^= uint32(m.lastUpdate[uid])
			}
			if uid < len(m.rows) {
				x ^= uint32(len(m.rows[uid]))
			}
		}
	}
	for i := range chunk {
		c := &chunk[i]
		m := c.Subnet.Weights.peek(c.Mech)
		if !found.ok[i] || m == nil {
			continue
		}
		if uid := int(found.uid[i]); uid < len(m.rows) {
			const perLine = 64 / 4 // Entries per line
			row := m.rows[uid]
			for j := 0; j < len(row); j += perLine {
				x ^= uint32(row[j].Value)
			}
			if len(row) > 0 {
				x ^= uint32(row[len(row)-1].Value)
			}
		}
	}
	if len(chunk) > 0 {
		chunk[0].Subnet.touched ^= x
	}
}

// b2u is 1 for true, 0 for false.
func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}
