package subnet

import (
	"slices"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Weight rule errors, named as pallets/subtensor/src/macros/errors.rs names them.
var (
	// ErrCommitRevealEnabled: set_weights while commit-reveal is on.
	ErrCommitRevealEnabled = units.NewChainError("subnet", "CommitRevealEnabled",
		"commit-reveal is enabled: commit and reveal weights instead")
	// ErrCommitRevealDisabled: a commit or reveal while commit-reveal is off.
	ErrCommitRevealDisabled = units.NewChainError("subnet", "CommitRevealDisabled", "commit-reveal is disabled")
	// ErrCanNotSetRootNetworkWeights: set_weights on the root subnet (netuid 0).
	ErrCanNotSetRootNetworkWeights = units.NewChainError("subnet", "CanNotSetRootNetworkWeights",
		"cannot set weights on the root network")
	// ErrWeightVecNotEqualSize: uids and values of different lengths.
	ErrWeightVecNotEqualSize = units.NewChainError("subnet", "WeightVecNotEqualSize",
		"uids and values differ in length")
	// ErrMechanismDoesNotExist: a mechanism id at or above the mechanism count.
	ErrMechanismDoesNotExist = units.NewChainError("subnet", "MechanismDoesNotExist", "mechanism does not exist")
	// ErrUidsLengthExceedUidsInSubNet: more uids than the subnet has neurons.
	ErrUidsLengthExceedUidsInSubNet = units.NewChainError("subnet", "UidsLengthExceedUidsInSubNet",
		"more uids than neurons in the subnet")
	// ErrHotKeyNotRegisteredInSubNet: the calling hotkey holds no uid on the subnet.
	ErrHotKeyNotRegisteredInSubNet = units.NewChainError("subnet", "HotKeyNotRegisteredInSubNet",
		"hotkey not registered in the subnet")
	// ErrNotEnoughStakeToSetWeights: the caller's stake is below StakeThreshold.
	ErrNotEnoughStakeToSetWeights = units.NewChainError("subnet", "NotEnoughStakeToSetWeights",
		"not enough stake to set weights")
	// ErrIncorrectWeightVersionKey: a version key below WeightsVersionKey.
	ErrIncorrectWeightVersionKey = units.NewChainError("subnet", "IncorrectWeightVersionKey",
		"incorrect weight version key")
	// ErrSettingWeightsTooFast: within WeightsSetRateLimit blocks of the last update.
	ErrSettingWeightsTooFast = units.NewChainError("subnet", "SettingWeightsTooFast", "setting weights too fast")
	// ErrNeuronNoValidatorPermit: non-self weights without a validator permit.
	ErrNeuronNoValidatorPermit = units.NewChainError("subnet", "NeuronNoValidatorPermit",
		"neuron has no validator permit")
	// ErrDuplicateUids: a uid listed twice.
	ErrDuplicateUids = units.NewChainError("subnet", "DuplicateUids", "duplicate uids")
	// ErrUidVecContainInvalidOne: a uid at or beyond the neuron count.
	ErrUidVecContainInvalidOne = units.NewChainError("subnet", "UidVecContainInvalidOne", "uid does not exist")
	// ErrWeightVecLengthIsLow: fewer weights than min(n, MinAllowedWeights).
	ErrWeightVecLengthIsLow = units.NewChainError("subnet", "WeightVecLengthIsLow", "too few weights")
	// ErrMaxWeightExceeded: a max-upscaled weight above the max weight
	// limit. The chain's limit is MaxWeightLimit = 65535, which no weight
	// exceeds, so set_weights never returns it.
	ErrMaxWeightExceeded = units.NewChainError("subnet", "MaxWeightExceeded", "max weight exceeded")
)

// WeightEnv is what the weight rules read of the subnet besides its
// WeightState, at one block. The subnet fills it from its own storage.
type WeightEnv struct {
	// NetUID is the subnet; netuid 0 (root) takes no weights.
	NetUID units.NetUID
	// N is SubnetworkN: uids 0..N-1 are registered.
	N uint16
	// Block is the current block number.
	Block uint64
	// Epoch is the epoch a commit or reveal at this block belongs to
	// (subnets/weights.rs current_epoch_with_lookahead): the subnet's
	// SubnetEpochIndex, plus one when its epoch is due to fire at this block
	// (run_coinbase.rs should_run_epoch) and has not fired yet.
	Epoch uint64
	// HasOwner reports that the subnet owner's hotkey is registered, with uid
	// OwnerUID (utils/misc.rs get_owner_uid). The owner may set non-self
	// weights without a permit and without stake.
	HasOwner bool
	OwnerUID units.UID
	// ValidatorPermit is each uid's permit; a uid it does not reach has none.
	ValidatorPermit []bool
	// StakeThreshold is the global StakeThreshold: the least total stake
	// (alpha + tao·TaoWeight, see WeightCaller.Stake) that may set weights.
	StakeThreshold uint64
	// CommitRevealVersion is the global CommitRevealWeightsVersion a
	// timelocked commit must carry (4 on a new chain).
	CommitRevealVersion uint16
	// Hyper is the subnet's hyperparameters.
	Hyper Hyperparameters

	// owners, when set (a Subnet's own calls set it), answers whether a
	// uid is the owner's in place of HasOwner and OwnerUID: uid holds
	// SubnetOwnerHotkey. Hotkeys are unique on a subnet, so that is
	// get_owner_uid's uid, without finding it: the caller's hotkey, read
	// just before by its uid lookup, is compared instead.
	owners *Subnet
}

// DefaultCommitRevealVersion is CommitRevealWeightsVersion's default
// (pallets/subtensor/src/lib.rs DefaultCommitRevealWeightsVersion).
const DefaultCommitRevealVersion uint16 = 4

// WeightCaller is the hotkey that signs a weight extrinsic, as the subnet
// knows it.
type WeightCaller struct {
	// Hotkey is the signing hotkey.
	Hotkey units.AccountID
	// Registered reports that Hotkey holds uid UID on the subnet (Uids).
	Registered bool
	UID        units.UID
	// Stake is the caller's total stake weight on the subnet, floored to
	// an integer: inherited alpha + inherited root TAO × TaoWeight
	// (staking/stake_utils.rs get_stake_weights_for_hotkey_on_subnet; the
	// epoch reports the same number as consensus Output.Stake).
	Stake uint64
}

// mechWeights is one mechanism's weight storage.
type mechWeights struct {
	rows       [][]consensus.Entry // Weights, by uid; nil is no row
	lastUpdate []uint64            // LastUpdate, as stored
	commits    []hotkeyCommits     // WeightCommits, sorted by hotkey, no empty queue
	timelocked []epochCommits      // TimelockedWeightCommits, sorted by epoch, no empty queue
}

// WeightState is the part of a subnet's storage the weight rules of
// pallets/subtensor/src/subnets/weights.rs read and write, per mechanism
// (the chain's NetUidStorageIndex = mecid·4096 + netuid):
//
//   - Weights: the stored row of each uid, (uid, u16) pairs as set_weights
//     stored them (max-upscaled, in the caller's order);
//   - LastUpdate: the block each uid last set or committed weights;
//   - WeightCommits: each hotkey's queue of commit-reveal v2 commits
//     (hash, commit epoch, commit block);
//   - TimelockedWeightCommits: the commit-reveal v3 commits of each epoch.
//
// The seam with the rest of the subnet: a WeightState holds nothing the
// weight rules only read. Every rule takes a *WeightEnv (the subnet's
// netuid, its neuron count n, the current block, the epoch index the chain
// judges commits by, the owner's uid, the validator permits, the stake
// threshold and the Hyperparameters) and, where a hotkey calls, a
// WeightCaller (its hotkey, whether it is registered, its uid and its
// stake). The subnet that owns the neurons builds both from its own state
// at each call; registration tells the WeightState about a new or replaced
// uid through AppendNeuron and ReplaceNeuron, and a lowered mechanism count
// through TruncateMechanisms. The epoch reads Rows, LastUpdate and
// CommitBlocks.
//
// A WeightState is cheap to copy (Clone) and compare (Equal): it holds no
// maps, its hotkeys and epochs are kept sorted, and an empty stored row or
// queue is the same as none, so two states that hold the same storage are
// Equal whatever the order of the calls that built them.
//
// The zero value is a subnet with no weights. Methods that change the state
// validate first and change nothing when they return an error.
type WeightState struct {
	mechs []mechWeights // by mecid; a missing mechanism is empty
}

// mech returns mechanism m's storage, growing the state to hold it.
func (s *WeightState) mech(m uint8) *mechWeights {
	if int(m) >= len(s.mechs) {
		s.mechs = append(s.mechs, make([]mechWeights, int(m)+1-len(s.mechs))...)
	}
	return &s.mechs[m]
}

// peek returns mechanism m's storage or nil when it holds nothing.
func (s *WeightState) peek(m uint8) *mechWeights {
	if int(m) < len(s.mechs) {
		return &s.mechs[m]
	}
	return nil
}

// Rows returns mechanism mech's stored weight rows, indexed by uid (a
// missing or nil row is no weights), as the epoch reads them (Weights; the
// consensus Input's Weights). The slices belong to the state: read them,
// do not modify them or keep them across a call that changes the state.
func (s *WeightState) Rows(mech uint8) [][]consensus.Entry {
	if m := s.peek(mech); m != nil {
		return m.rows
	}
	return nil
}

// Row returns the weight row uid stored on mechanism mech (nil for none).
// The slice belongs to the state, as Rows.
func (s *WeightState) Row(mech uint8, uid units.UID) []consensus.Entry {
	if rows := s.Rows(mech); int(uid) < len(rows) {
		return rows[uid]
	}
	return nil
}

// LastUpdate returns mechanism mech's LastUpdate vector as stored (it may
// be shorter than n: a missing entry is 0, as get_last_update pads it).
// The slice belongs to the state, as Rows.
func (s *WeightState) LastUpdate(mech uint8) []uint64 {
	if m := s.peek(mech); m != nil {
		return m.lastUpdate
	}
	return nil
}

// LastUpdateFor returns LastUpdate[uid] of mechanism mech, 0 when unset
// (utils/misc.rs get_last_update_for_uid).
func (s *WeightState) LastUpdateFor(mech uint8, uid units.UID) uint64 {
	if lu := s.LastUpdate(mech); int(uid) < len(lu) {
		return lu[uid]
	}
	return 0
}

// setLastUpdate is utils/misc.rs set_last_update_for_uid: the vector is
// first padded with zeros to n (get_last_update), then entry uid is set if
// it exists.
func (m *mechWeights) setLastUpdate(n uint16, uid units.UID, block uint64) {
	for len(m.lastUpdate) < int(n) {
		m.lastUpdate = append(m.lastUpdate, 0)
	}
	if int(uid) < len(m.lastUpdate) {
		m.lastUpdate[uid] = block
	}
}

// AppendNeuron records the neuron registration appended at uid env.N−1
// (env.N is the new SubnetworkN) at env.Block: on each of the subnet's
// mechanisms its LastUpdate becomes env.Block (subnets/uids.rs
// append_neuron). With env.N = 0 it does nothing.
func (s *WeightState) AppendNeuron(env *WeightEnv) {
	if env.N == 0 {
		return
	}
	for mecid := range env.Hyper.MechanismCount {
		s.mech(mecid).setLastUpdate(env.N, units.UID(env.N-1), env.Block)
	}
}

// ReplaceNeuron records that a registration replaced the neuron at uid
// (subnets/uids.rs replace_neuron and clear_neuron), on each of the
// subnet's mechanisms: the row uid set is removed, every weight other
// rows give uid becomes 0 (the cell stays), and LastUpdate[uid] becomes
// env.Block. Commits are kept: they belong to the old hotkey, which can no
// longer reveal them, and the epoch no longer maps to a uid.
func (s *WeightState) ReplaceNeuron(env *WeightEnv, uid units.UID) {
	for mecid := range env.Hyper.MechanismCount {
		m := s.mech(mecid)
		if int(uid) < len(m.rows) {
			m.rows[uid] = nil
			m.trimRows()
		}
		for _, row := range m.rows {
			for k := range row {
				if row[k].UID == uid {
					row[k].Value = 0
				}
			}
		}
		m.setLastUpdate(env.N, uid, env.Block)
	}
}

// TruncateMechanisms drops the weights, LastUpdate and commits of every
// mechanism at or above count, as update_mechanism_counts_if_needed
// (subnets/mechanism.rs) does when the mechanism count is lowered.
func (s *WeightState) TruncateMechanisms(count uint8) {
	if int(count) < len(s.mechs) {
		clear(s.mechs[count:])
		s.mechs = s.mechs[:count]
	}
}

// trimRows drops trailing empty rows, so that equal storage is equal state.
func (m *mechWeights) trimRows() {
	k := len(m.rows)
	for k > 0 && len(m.rows[k-1]) == 0 {
		k--
	}
	clear(m.rows[k:])
	m.rows = m.rows[:k]
}

// Clone returns a deep copy of s: changing one never changes the other.
func (s *WeightState) Clone() WeightState {
	out := WeightState{mechs: make([]mechWeights, len(s.mechs))}
	for i := range s.mechs {
		src, dst := &s.mechs[i], &out.mechs[i]
		if src.rows != nil {
			dst.rows = make([][]consensus.Entry, len(src.rows))
			for u, r := range src.rows {
				dst.rows[u] = slices.Clone(r)
			}
		}
		dst.lastUpdate = slices.Clone(src.lastUpdate)
		dst.commits = make([]hotkeyCommits, len(src.commits))
		for k, c := range src.commits {
			dst.commits[k] = hotkeyCommits{hotkey: c.hotkey, queue: slices.Clone(c.queue)}
		}
		dst.timelocked = make([]epochCommits, len(src.timelocked))
		for k, e := range src.timelocked {
			q := make([]TimelockedCommit, len(e.queue))
			for j, c := range e.queue {
				q[j] = c.clone()
			}
			dst.timelocked[k] = epochCommits{epoch: e.epoch, queue: q}
		}
	}
	return out
}

// Equal reports whether s and t hold the same storage: the same rows (a
// missing row equals an empty one), the same LastUpdate (a missing entry
// equals 0) and the same commits.
func (s *WeightState) Equal(t *WeightState) bool {
	for i := range max(len(s.mechs), len(t.mechs)) {
		a, b := s.peek(uint8(i)), t.peek(uint8(i))
		var zero mechWeights
		if a == nil {
			a = &zero
		}
		if b == nil {
			b = &zero
		}
		if !a.equal(b) {
			return false
		}
	}
	return true
}

func (m *mechWeights) equal(o *mechWeights) bool {
	for u := range max(len(m.rows), len(o.rows)) {
		var r, q []consensus.Entry
		if u < len(m.rows) {
			r = m.rows[u]
		}
		if u < len(o.rows) {
			q = o.rows[u]
		}
		if !slices.Equal(r, q) {
			return false
		}
	}
	for u := range max(len(m.lastUpdate), len(o.lastUpdate)) {
		var a, b uint64
		if u < len(m.lastUpdate) {
			a = m.lastUpdate[u]
		}
		if u < len(o.lastUpdate) {
			b = o.lastUpdate[u]
		}
		if a != b {
			return false
		}
	}
	return slices.EqualFunc(m.commits, o.commits, func(a, b hotkeyCommits) bool {
		return a.hotkey == b.hotkey && slices.Equal(a.queue, b.queue)
	}) && slices.EqualFunc(m.timelocked, o.timelocked, func(a, b epochCommits) bool {
		return a.epoch == b.epoch && slices.EqualFunc(a.queue, b.queue, TimelockedCommit.equal)
	})
}

// SetWeights is the set_weights and set_mechanism_weights extrinsics
// (pallets/subtensor/src/macros/dispatches.rs): ErrCommitRevealEnabled
// when commit-reveal is on, and otherwise the weights of
// subnets/weights.rs internal_set_weights, which checks, in the chain's
// order:
//
//  1. not the root subnet (ErrCanNotSetRootNetworkWeights);
//  2. len(uids) == len(values) (ErrWeightVecNotEqualSize);
//  3. mech below the mechanism count (ErrMechanismDoesNotExist);
//  4. len(uids) ≤ n (ErrUidsLengthExceedUidsInSubNet);
//  5. the caller is registered (ErrHotKeyNotRegisteredInSubNet);
//  6. the caller is the owner or has Stake ≥ StakeThreshold
//     (ErrNotEnoughStakeToSetWeights, check_weights_min_stake);
//  7. WeightsVersionKey is 0 or versionKey ≥ it (ErrIncorrectWeightVersionKey);
//  8. with commit-reveal off, LastUpdate is 0 or at least
//     WeightsSetRateLimit blocks ago (ErrSettingWeightsTooFast);
//  9. a self weight (one value, on the caller's own uid), the owner, or a
//     validator permit (ErrNeuronNoValidatorPermit);
//  10. no uid twice (ErrDuplicateUids);
//  11. every uid below n (ErrUidVecContainInvalidOne);
//  12. a self weight or at least min(n, MinAllowedWeights) values
//     (ErrWeightVecLengthIsLow);
//  13. the values max-upscaled (MaxUpscaleWeights) within the max weight
//     limit, a constant 65535 (ErrMaxWeightExceeded, never returned);
//
// then stores the row (uids with the upscaled values, in the given order)
// and, with commit-reveal off, sets LastUpdate to env.Block. An error
// wraps the chain error and changes nothing.
func (s *WeightState) SetWeights(env *WeightEnv, who WeightCaller, mech uint8, uids, values []uint16, versionKey uint64) error {
	if env.Hyper.CommitRevealWeightsEnabled {
		return ErrCommitRevealEnabled
	}
	return s.setWeights(env, who, mech, uids, values, versionKey)
}

// setWeights is internal_set_weights (subnets/weights.rs), which reveals
// reuse: see SetWeights. It stores the row as it upscales it (storeRow),
// without a buffer: once checks 1–12 pass the call cannot fail, as check
// 13 (max_weight_limited) passes every row at a limit of 65535
// (maxWeightLimited), which MaxWeightLimit is (checked at compile time
// below).
//
// Checks 10–12 and the largest value, which the upscale needs, come from
// one pass over the uids and values (checkRow, scanWeights) rather than
// checkWeights's scan of the uids and upscaleOf's of the values: the same
// errors, in the same order, and the same largest value (a pure function
// of the values, read before any change).
//
// It reads the caller's stored row (its slice header, storedRowOf) before
// the checks, which only read: the row is the same after them, and the
// read, which needs only the uid, waits for its line together with the
// checks' reads of LastUpdate and the permit, where read at the store,
// after the uid and value scans, it would wait alone.
//
// A call that lists the stored row's uids, in the same order (a
// validator re-setting its weights), takes the same-uids path: one pass
// compares the uids with the stored row's and finds the or of the uids
// and the largest value (sameUIDs), and the store writes only the
// values, in place (storeValues). See sameUIDs for why that gives the
// same errors and the same row.
func (s *WeightState) setWeights(env *WeightEnv, who WeightCaller, mech uint8, uids, values []uint16, versionKey uint64) error {
	old := s.storedRowOf(mech, who.UID)
	if err := s.checkCall(env, who, mech, uids, values, versionKey); err != nil {
		return err
	}
	if len(old) == len(uids) && len(old) > 0 {
		if orUID, mx, same := sameUIDs(old, uids, values); same {
			if err := checkSameRow(env, who.UID, uids, values, orUID); err != nil {
				return err
			}
			s.storeValues(env, who.UID, mech, old, values, mx)
			return nil
		}
	}
	mx, err := checkRow(env, who.UID, uids, values)
	if err != nil {
		return err
	}
	s.storeRow(env, who.UID, mech, old, uids, values, mx)
	return nil
}

// storedRowOf returns the row uid stored on mech (nil for none), as Row
// does, without growing the state.
func (s *WeightState) storedRowOf(mech uint8, uid units.UID) []consensus.Entry {
	if m := s.peek(mech); m != nil && int(uid) < len(m.rows) {
		return m.rows[uid]
	}
	return nil
}

// This does not compile unless MaxWeightLimit is 65535 (a smaller uint16
// constant minus 65535 overflows), which setWeights relies on.
const _ = MaxWeightLimit - 65535

// storeRow is storeWeights of MaxUpscaleWeights(values), upscaling each
// value into the row's room as it stores it: the same Entries, each value
// scaled by upscaleFor(mx), MaxUpscaleWeights's scale. mx is the largest
// of values (len(values) == len(uids)), and old the row uid stores on
// mech (storedRowOf).
//
// The loops keep the factor and the row in locals, so that the compiler
// holds them in registers: a store to the row cannot change them, where
// it could change a field read through a pointer.
func (s *WeightState) storeRow(env *WeightEnv, uid units.UID, mech uint8, old []consensus.Entry, uids, values []uint16, mx uint16) {
	m := s.mech(mech)
	row := m.roomOf(uid, old, len(values))
	uids, values = uids[:len(row)], values[:len(row)]
	switch u := upscaleFor(mx); {
	case mx == 0:
		for i := range row {
			row[i] = consensus.Entry{UID: units.UID(uids[i])}
		}
	case mx > 32768:
		f := u.s
		for i, v := range values {
			row[i] = consensus.Entry{UID: units.UID(uids[i]), Value: uint16((uint64(v)*f + half) >> 32)}
		}
	default:
		for i, v := range values {
			row[i] = consensus.Entry{UID: units.UID(uids[i]), Value: u.byDivisor(v)}
		}
	}
	m.storedRow(env, uid, row)
}

// sameUIDsGo (sameUIDs) reports whether uids lists exactly the uids of old, the
// stored row, in the same order (len(uids) == len(old) ≤ len(values)),
// and returns the bitwise or of the uids and the largest value of
// values[:len(old)] (both meaningful only when it reports true). It
// stops at the first group of four uids that holds a difference. The
// loop takes four entries at a time, the largest value in two
// independent maxima, so that fewer instructions count and compare per
// weight; the or of the uids is at least the largest uid, which
// checkSameRow needs.
//
// Why the same-uids path (checkSameRow, storeValues) gives checkRow's
// errors and storeRow's row: a stored row never lists a uid twice. Every
// row is written by storeRow or storeWeights after the duplicate check
// (checkRow, checkWeights), or comes from a validated Storage
// (validateRows), or is a copy of one (Clone); ReplaceNeuron changes
// only values. So uids, equal to the stored row's, hold no duplicate,
// and checkRow's first check cannot fail; its other two read only
// whether a uid is at or above env.N, len(values) and isSelfWeight,
// which checkSameRow reads alike. The range is checked, not assumed:
// env.N is the caller's, and a WeightState does not know the N its rows
// were checked against. The row storeRow would write is uids[i] with the
// upscaled values[i], in room reused from old (len(uids) == len(old) ≤
// cap(old), so roomOf returns old's room): old already holds uids[i] at
// i, so writing the values alone leaves the same entries.
//
// sameUIDsGo is the pass in Go; sameUIDs runs it sixteen uids at a time
// where the processor has AVX-512 (sameuids_amd64.s), the same OR,
// largest value and answer (a difference anywhere in the row reports it
// different, as the pass's first difference does).
func sameUIDsGo(old []consensus.Entry, uids, values []uint16) (orUID, mxVal uint16, same bool) {
	uids, values = uids[:len(old)], values[:len(old)]
	var o, m0, m1 uint16
	i := 0
	for ; i < len(old)-3; i += 4 {
		u0, u1, u2, u3 := uids[i], uids[i+1], uids[i+2], uids[i+3]
		if uint16(old[i].UID) != u0 || uint16(old[i+1].UID) != u1 || uint16(old[i+2].UID) != u2 || uint16(old[i+3].UID) != u3 {
			return 0, 0, false
		}
		o |= u0 | u1 | u2 | u3
		m0, m1 = max(m0, values[i], values[i+2]), max(m1, values[i+1], values[i+3])
	}
	for ; i < len(old); i++ {
		u := uids[i]
		if uint16(old[i].UID) != u {
			return 0, 0, false
		}
		o |= u
		m0 = max(m0, values[i])
	}
	return o, max(m0, m1), true
}

// checkSameRow is checkRow for uids that hold no duplicate (sameUIDs):
// checks 11 and 12, given orUID, the bitwise or of the uids. Every uid
// is at most orUID, so when orUID is below env.N every uid is; otherwise
// a uid at or above env.N fails it, which is checkRow's test of the
// largest uid (maxUID), without the maximum: that loop, rather than a
// call of maxUID, keeps checkSameRow within the inliner's budget, so
// that setWeights makes no call for it.
func checkSameRow(env *WeightEnv, uid units.UID, uids, values []uint16, orUID uint16) error {
	if orUID >= env.N {
		for _, u := range uids {
			if u >= env.N {
				return ErrUidVecContainInvalidOne
			}
		}
	}
	if !isSelfWeight(uid, uids, values) && len(values) < int(min(env.N, env.Hyper.MinAllowedWeights)) {
		return ErrWeightVecLengthIsLow
	}
	return nil
}

// storeValues is storeRow for a row whose uids are those of row, the
// non-empty row uid stores on mech (sameUIDs): it writes the upscaled
// values into row in place, then sets LastUpdate as storedRow does. The
// row stays uid's stored row (storedRow's store of it would change
// nothing) and non-empty (no trim). The common scale (mx > 32768) runs
// four values at a time.
func (s *WeightState) storeValues(env *WeightEnv, uid units.UID, mech uint8, row []consensus.Entry, values []uint16, mx uint16) {
	values = values[:len(row)]
	switch {
	case mx == 0:
		for i := range row {
			row[i].Value = 0
		}
	case mx > 32768:
		upscaleValues(row, values, upscaleFactor(mx))
	default:
		u := upscaleFor(mx)
		for i, v := range values {
			row[i].Value = u.byDivisor(v)
		}
	}
	if !env.Hyper.CommitRevealWeightsEnabled {
		s.mechs[mech].setLastUpdate(env.N, uid, env.Block)
	}
}

// upscaleValuesGo is storeValues' common scale (mx > 32768, f =
// upscaleFactor(mx)): each entry of row takes the value (v·f + 2^31) >> 32
// of values' at its index (as long as row), four at a time; upscaleValues
// runs it eight at a time where the processor has AVX-512
// (sameuids_amd64.s).
func upscaleValuesGo(row []consensus.Entry, values []uint16, f uint64) {
	values = values[:len(row)]
	i := 0
	for ; i < len(row)-3; i += 4 {
		row[i].Value = uint16((uint64(values[i])*f + half) >> 32)
		row[i+1].Value = uint16((uint64(values[i+1])*f + half) >> 32)
		row[i+2].Value = uint16((uint64(values[i+2])*f + half) >> 32)
		row[i+3].Value = uint16((uint64(values[i+3])*f + half) >> 32)
	}
	for ; i < len(row); i++ {
		row[i].Value = uint16((uint64(values[i])*f + half) >> 32)
	}
}

// prepareWeights runs internal_set_weights's checks and returns the
// max-upscaled values it would store, appended to dst[:0].
func (s *WeightState) prepareWeights(dst []uint16, env *WeightEnv, who WeightCaller, mech uint8, uids, values []uint16, versionKey uint64) ([]uint16, error) {
	if err := s.checkWeights(env, who, mech, uids, values, versionKey); err != nil {
		return nil, err
	}
	upscaled := MaxUpscaleWeights(dst, values)
	if !maxWeightLimited(who.UID, uids, upscaled, MaxWeightLimit) {
		return nil, ErrMaxWeightExceeded
	}
	return upscaled, nil
}

// storeWeights is the end of internal_set_weights: the row of uid on
// mech becomes uids with the upscaled values, and with commit-reveal off
// LastUpdate[uid] becomes env.Block.
func (s *WeightState) storeWeights(env *WeightEnv, uid units.UID, mech uint8, uids, upscaled []uint16) {
	m := s.mech(mech)
	row := m.rowRoom(uid, len(upscaled))
	uids = uids[:len(row)]
	for i, v := range upscaled {
		row[i] = consensus.Entry{UID: units.UID(uids[i]), Value: v}
	}
	m.storedRow(env, uid, row)
}

// rowRoom returns room for an n-entry row of uid: the stored row's room
// when the new row fits in it, reused, or a new one.
func (m *mechWeights) rowRoom(uid units.UID, n int) []consensus.Entry {
	var old []consensus.Entry
	if int(uid) < len(m.rows) {
		old = m.rows[uid]
	}
	return m.roomOf(uid, old, n)
}

// roomOf is rowRoom given old, the row uid stores (nil for none), read
// before.
func (m *mechWeights) roomOf(uid units.UID, old []consensus.Entry, n int) []consensus.Entry {
	for len(m.rows) <= int(uid) {
		m.rows = append(m.rows, nil)
	}
	return slices.Grow(old[:0], n)[:n]
}

// storedRow makes row, filled in rowRoom's room, uid's stored row, and
// with commit-reveal off sets LastUpdate[uid] to env.Block.
//
// Every change of the rows ends trimmed (trimRows: no trailing empty
// row), so a non-empty row leaves them trimmed without the search: when
// uid is the last row, the last row is row; otherwise rowRoom appended
// none and the last row is the one that ended the previous change, not
// empty. Only an empty row may leave empty rows behind it.
func (m *mechWeights) storedRow(env *WeightEnv, uid units.UID, row []consensus.Entry) {
	m.rows[uid] = row
	if len(row) == 0 {
		m.trimRows()
	}
	if !env.Hyper.CommitRevealWeightsEnabled {
		m.setLastUpdate(env.N, uid, env.Block)
	}
}

// checkWeights runs internal_set_weights's checks 1–12 in the chain's
// order (13, the max weight limit, needs the upscaled values).
func (s *WeightState) checkWeights(env *WeightEnv, who WeightCaller, mech uint8, uids, values []uint16, versionKey uint64) error {
	if err := s.checkCall(env, who, mech, uids, values, versionKey); err != nil {
		return err
	}
	// One pass finds the duplicates and the largest uid, for the range
	// check (a uid at or above n exists iff the largest is).
	dup, mx := scanUIDs(uids)
	switch {
	case dup:
		return ErrDuplicateUids
	case len(uids) > 0 && mx >= env.N:
		return ErrUidVecContainInvalidOne
	case !isSelfWeight(who.UID, uids, values) && len(values) < int(min(env.N, env.Hyper.MinAllowedWeights)):
		return ErrWeightVecLengthIsLow
	}
	return nil
}

// checkCall runs internal_set_weights's checks 1–9, those of the call
// and its caller, in the chain's order. Within a check, the owner test
// (isOwner, a comparison of hotkeys) comes last: the conditions are pure
// reads, so their order changes no answer, only how often the hotkeys are
// compared (never with a StakeThreshold of 0 or a permit).
func (s *WeightState) checkCall(env *WeightEnv, who WeightCaller, mech uint8, uids, values []uint16, versionKey uint64) error {
	h := &env.Hyper
	switch {
	case env.NetUID == 0:
		return ErrCanNotSetRootNetworkWeights
	case len(uids) != len(values):
		return ErrWeightVecNotEqualSize
	case mech >= h.MechanismCount:
		return ErrMechanismDoesNotExist
	case len(uids) > int(env.N):
		return ErrUidsLengthExceedUidsInSubNet
	case !who.Registered:
		return ErrHotKeyNotRegisteredInSubNet
	case who.Stake < env.StakeThreshold && !env.isOwner(who.UID):
		return ErrNotEnoughStakeToSetWeights
	case h.WeightsVersionKey != 0 && versionKey < h.WeightsVersionKey:
		return ErrIncorrectWeightVersionKey
	case !h.CommitRevealWeightsEnabled && !s.rateLimitOK(env, mech, who.UID):
		return ErrSettingWeightsTooFast
	case !isSelfWeight(who.UID, uids, values) && !env.permit(who.UID) && !env.isOwner(who.UID):
		return ErrNeuronNoValidatorPermit
	}
	return nil
}

// checkRow runs internal_set_weights's checks 10–12 (those of the row)
// for the caller uid, after checkCall (so len(uids) == len(values)), in
// one pass (scanWeights), and returns the largest value.
func checkRow(env *WeightEnv, uid units.UID, uids, values []uint16) (uint16, error) {
	dup, mxUID, mxVal := scanWeights(uids, values)
	switch {
	case dup:
		return 0, ErrDuplicateUids
	case len(uids) > 0 && mxUID >= env.N:
		return 0, ErrUidVecContainInvalidOne
	case !isSelfWeight(uid, uids, values) && len(values) < int(min(env.N, env.Hyper.MinAllowedWeights)):
		return 0, ErrWeightVecLengthIsLow
	}
	return mxVal, nil
}

// scanWeights returns whether uids lists a uid twice (has_duplicate_uids),
// the largest uid and the largest value, values as long as uids, in one
// pass without a branch per uid: each uid's low byte marks a byte table,
// and a mark already set is remembered (again). While every uid is below
// 256 (the largest is), a uid's low byte is the uid, so distinct uids mark
// distinct bytes and again is set iff a uid repeats; otherwise the table
// may alias distinct uids, and hasDuplicates, given the largest, decides.
// The largest uid and value are plain maxima, whatever the table.
func scanWeights(uids, values []uint16) (dup bool, mxUID, mxVal uint16) {
	var seen [256]uint8
	var again uint8
	values = values[:len(uids)]
	for i, u := range uids {
		k := uint8(u)
		again |= seen[k]
		seen[k] = 1
		mxUID = max(mxUID, u)
		mxVal = max(mxVal, values[i])
	}
	if mxUID >= 256 {
		return hasDuplicates(uids, mxUID), mxUID, mxVal
	}
	return again != 0, mxUID, mxVal
}

// isOwner reports whether uid is the subnet owner's (get_owner_uid).
func (env *WeightEnv) isOwner(uid units.UID) bool {
	if s := env.owners; s != nil {
		return int(uid) < len(s.hotkeys) && s.isOwnerHotkey(uid)
	}
	return env.HasOwner && env.OwnerUID == uid
}

// permit is get_validator_permit_for_uid: false where the vector ends.
func (env *WeightEnv) permit(uid units.UID) bool {
	return int(uid) < len(env.ValidatorPermit) && env.ValidatorPermit[uid]
}

// rateLimitOK is check_rate_limit (subnets/weights.rs) for an existing
// mechanism: uid must exist, and LastUpdate is 0 (never set) or at least
// WeightsSetRateLimit blocks before env.Block (saturating).
func (s *WeightState) rateLimitOK(env *WeightEnv, mech uint8, uid units.UID) bool {
	if mech >= env.Hyper.MechanismCount || uid >= units.UID(env.N) {
		return false
	}
	last := s.LastUpdateFor(mech, uid)
	if last == 0 {
		return true
	}
	var since uint64
	if env.Block > last {
		since = env.Block - last
	}
	return since >= env.Hyper.WeightsSetRateLimit
}

// isSelfWeight is is_self_weight (subnets/weights.rs): exactly one value,
// and the first uid is the caller's.
func isSelfWeight(uid units.UID, uids, values []uint16) bool {
	return len(values) == 1 && len(uids) > 0 && units.UID(uids[0]) == uid
}

// maxUID returns the largest uid listed, and false for none.
func maxUID(uids []uint16) (uint16, bool) {
	var mx uint16
	for _, u := range uids {
		mx = max(mx, u)
	}
	return mx, len(uids) > 0
}

// scanUIDs returns hasDuplicates(uids, mx) and mx, the largest uid listed
// (maxUID), in one pass while every uid is below 256 (a subnet of at most
// 256 uids, the common case), marking each in hasDuplicates's byte table
// as it tracks the largest. At the first uid of 256 or more it falls
// back to maxUID and hasDuplicates, and at a duplicate it completes mx
// with maxUID: the same answers either way, as a duplicate marked in the
// byte table is one in any table.
func scanUIDs(uids []uint16) (bool, uint16) {
	var seen [256]bool
	var mx uint16
	for _, u := range uids {
		if u >= 256 {
			mx, _ = maxUID(uids)
			return hasDuplicates(uids, mx), mx
		}
		if seen[u] {
			mx, _ = maxUID(uids)
			return true, mx
		}
		seen[u] = true
		mx = max(mx, u)
	}
	return false, mx
}

// hasDuplicates is has_duplicate_uids, given mx, the largest uid listed
// (0 for none). It marks each uid in a table sized to mx: one byte per
// uid when every uid is below 256 (a subnet of at most 256 uids, the
// common case: distinct uids then touch distinct bytes, so no mark waits
// for the previous one's store to the same word), a bitmap of 64 words
// below 4096, of the whole uid range otherwise. The table's layout
// changes only how much zeroed memory the call clears and how fast it
// marks, not which uids collide.
func hasDuplicates(uids []uint16, mx uint16) bool {
	switch {
	case mx < 256:
		var seen [256]bool // every u ≤ mx < 256: uint8(u) is u
		for _, u := range uids {
			if seen[uint8(u)] {
				return true
			}
			seen[uint8(u)] = true
		}
		return false
	case mx < 4096:
		var seen [4096 / 64]uint64
		return markDuplicates(seen[:], uids)
	default:
		var seen [1 << 16 / 64]uint64
		return markDuplicates(seen[:], uids)
	}
}

// markDuplicates sets the bit of each uid in the zeroed bitmap seen,
// which holds every uid listed, and reports whether a bit was set twice.
func markDuplicates(seen []uint64, uids []uint16) bool {
	for _, u := range uids {
		w, b := u/64, uint64(1)<<(u%64)
		if seen[w]&b != 0 {
			return true
		}
		seen[w] |= b
	}
	return false
}

// maxWeightLimited is max_weight_limited (subnets/weights.rs): a self
// weight passes; a limit of 65535 passes; otherwise every weight must be
// at most limit (check_vec_max_limited).
func maxWeightLimited(uid units.UID, uids, weights []uint16, limit uint16) bool {
	if isSelfWeight(uid, uids, weights) || limit == 65535 {
		return true
	}
	for _, w := range weights {
		if w > limit {
			return false
		}
	}
	return true
}

// half is an I32F32's half bit, 2^31: adding it before dropping the 32
// fraction bits rounds a non-negative value to nearest, ties up.
const half = 1 << 31

// MaxUpscaleWeights is the normalisation set_weights applies before it
// stores a validator's weights (epoch/math.rs vec_u16_max_upscale_to_u16):
// every value is scaled so that the largest becomes 65535, rounding to
// nearest with ties away from zero. When the largest value exceeds 32768
// the scale 65535/max is computed first (I32F32, truncated) and then
// multiplied; otherwise v·65535 is divided by max. All-zero input stays
// all zero.
//
// The result is appended to dst[:0] and returned (pass nil to allocate).
//
// The chain's I32F32 steps are taken with fewer operations, with the same
// bits. Every v is at most mx ≤ 65535, so x = v as an I32F32 has the bits
// v·2^32, and:
//   - mx == 0: every v is 0, and 0·65535 is 0;
//   - mx > 32768: scale = 65535/mx (SafeDiv, truncated) has some bits s
//     below 2^33, and x·scale floors (v·2^32·s)/2^32 = v·s, an exact
//     integer product at most 65535·2^32 < 2^63: no saturation, so the
//     product's bits are v·s;
//   - 0 < mx ≤ 32768: x·65535 has the bits v·65535·2^32 < 2^63 (v·65535
//     < 2^31): no saturation; dividing it by mx's bits mx·2^32 (SafeDiv:
//     truncated, never overflowing, as the quotient is at most 65535·2^32)
//     gives the bits floor(v·65535·2^32 / mx), which Uint64Divisor
//     computes exactly.
//
// Each product or quotient b is then rounded (round: to nearest, ties
// away from zero) and converted (saturating_to_num::<u16>). For b ≥ 0,
// round is floor(b/2^32) when bit 31 (the fraction's half bit) is clear
// and one more when it is set, which is floor((b + 2^31)/2^32) either
// way; b ≤ 65535·2^32 puts that at most 65535, so the conversion keeps
// it whole.
func MaxUpscaleWeights(dst, values []uint16) []uint16 {
	dst = dst[:0]
	u := upscaleOf(values)
	switch {
	case u.mx == 0:
		for range values {
			dst = append(dst, 0)
		}
	case u.mx > 32768:
		for _, v := range values {
			dst = append(dst, u.byFactor(v))
		}
	default:
		for _, v := range values {
			dst = append(dst, u.byDivisor(v))
		}
	}
	return dst
}

// upscale is MaxUpscaleWeights's scaling of one set of values: their
// largest value mx and, when mx > 32768, the I32F32 bits s of 65535/mx,
// otherwise a divisor by mx.
type upscale struct {
	mx uint16
	s  uint64
	d  fixed.Uint64Divisor
}

// upscaleOf returns the upscale of values.
func upscaleOf(values []uint16) upscale {
	var mx uint16
	for _, v := range values {
		mx = max(mx, v)
	}
	return upscaleFor(mx)
}

// upscaleFor returns the upscale of values whose largest is mx.
func upscaleFor(mx uint16) upscale {
	u := upscale{mx: mx}
	if mx > 32768 {
		u.s = upscaleFactor(mx)
	} else {
		u.d = fixed.NewUint64Divisor(uint64(mx))
	}
	return u
}

// upscaleFactor is the I32F32 bits s of 65535/mx for mx > 0, the scale
// vec_u16_max_upscale_to_u16 (epoch/math.rs) divides in I32F32
// (SafeDiv, truncated), taken as one integer division rather than
// through fixed's general I32F32 division: the operands' bits are
// 65535·2^32 and mx·2^32, so the quotient's bits are
// floor(65535·2^32·2^32 / (mx·2^32)) = floor(65535·2^32 / mx), below
// 2^48, which neither overflows nor saturates (TestUpscaleFactor checks
// every mx against the I32F32 division, refUpscaleFactor).
func upscaleFactor(mx uint16) uint64 { return 65535 << 32 / uint64(mx) }

// byFactor is the upscaled v when mx > 32768: round(v·s / 2^32).
func (u *upscale) byFactor(v uint16) uint16 { return uint16((uint64(v)*u.s + half) >> 32) }

// byDivisor is the upscaled v when 0 < mx ≤ 32768:
// round(floor(v·65535·2^32 / mx) / 2^32).
func (u *upscale) byDivisor(v uint16) uint16 {
	return uint16((u.d.Div(uint64(v)*65535<<32) + half) >> 32)
}
