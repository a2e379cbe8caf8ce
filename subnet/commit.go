package subnet

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
	"golang.org/x/crypto/blake2b"
)

// Commit-reveal errors, named as pallets/subtensor/src/macros/errors.rs names them.
var (
	// ErrCommittingWeightsTooFast: a commit within WeightsSetRateLimit blocks of the last update.
	ErrCommittingWeightsTooFast = units.NewChainError("subnet", "CommittingWeightsTooFast",
		"committing weights too fast")
	// ErrTooManyUnrevealedCommits: a hotkey already holds MaxUnrevealedCommits live commits.
	ErrTooManyUnrevealedCommits = units.NewChainError("subnet", "TooManyUnrevealedCommits",
		"too many unrevealed commits")
	// ErrNoWeightsCommitFound: a reveal by a hotkey with no live commit.
	ErrNoWeightsCommitFound = units.NewChainError("subnet", "NoWeightsCommitFound", "no weights commit found")
	// ErrExpiredWeightCommit: a reveal of a commit whose reveal epoch has passed.
	ErrExpiredWeightCommit = units.NewChainError("subnet", "ExpiredWeightCommit", "weight commit expired")
	// ErrRevealTooEarly: a reveal before the commit's reveal epoch.
	ErrRevealTooEarly = units.NewChainError("subnet", "RevealTooEarly", "reveal too early")
	// ErrInvalidRevealCommitHashNotMatch: revealed data whose hash matches no commit.
	ErrInvalidRevealCommitHashNotMatch = units.NewChainError("subnet", "InvalidRevealCommitHashNotMatch",
		"revealed weights match no commit")
	// ErrInputLengthsUnequal: batch lists of different lengths.
	ErrInputLengthsUnequal = units.NewChainError("subnet", "InputLengthsUnequal", "input lengths unequal")
	// ErrIncorrectCommitRevealVersion: a timelocked commit of another commit-reveal version.
	ErrIncorrectCommitRevealVersion = units.NewChainError("subnet", "IncorrectCommitRevealVersion",
		"incorrect commit-reveal version")
)

// MaxUnrevealedCommits is the most live commits a hotkey may hold on one
// mechanism, and the most timelocked commits it may make in one epoch
// (subnets/weights.rs internal_commit_weights and
// internal_commit_timelocked_weights).
const MaxUnrevealedCommits = 10

// globalMaxSubnetCount is GLOBAL_MAX_SUBNET_COUNT (subnets/mechanism.rs).
const globalMaxSubnetCount = 4096

// storageIndex is get_mechanism_storage_index (subnets/mechanism.rs):
// mecid·4096 + netuid, saturating at 65535.
func storageIndex(netuid units.NetUID, mech uint8) uint16 {
	return uint16(min(uint32(mech)*globalMaxSubnetCount+uint32(netuid), math.MaxUint16))
}

// CommitHash returns the hash a commit-reveal v2 commit carries
// (subnets/weights.rs get_commit_hash): BlakeTwo256 — the unkeyed
// 32-byte BLAKE2b — of the SCALE encoding of the tuple (hotkey,
// netuid_index, uids, values, salt, version_key), where netuid_index is
// mech·4096 + netuid (a u16), each list is a compact length followed by
// its u16s, and all integers are little-endian. For mechanism 0 the index
// is the netuid, the hash batch_reveal_weights computes.
func CommitHash(hotkey units.AccountID, netuid units.NetUID, mech uint8, uids, values, salt []uint16, versionKey uint64) [32]byte {
	return blake2b.Sum256(appendCommitPreimage(nil, hotkey, storageIndex(netuid, mech), uids, values, salt, versionKey))
}

// appendCommitPreimage appends the SCALE encoding CommitHash hashes.
func appendCommitPreimage(b []byte, hotkey units.AccountID, index uint16, uids, values, salt []uint16, versionKey uint64) []byte {
	b = append(b, hotkey[:]...)
	b = binary.LittleEndian.AppendUint16(b, index)
	for _, list := range [][]uint16{uids, values, salt} {
		b = appendCompact(b, uint64(len(list)))
		for _, v := range list {
			b = binary.LittleEndian.AppendUint16(b, v)
		}
	}
	return binary.LittleEndian.AppendUint64(b, versionKey)
}

// appendCompact appends SCALE's compact encoding of n: one, two or four
// bytes holding n<<2 with the mode in the low two bits (0, 1, 2) below
// 2^30, and above it the byte (len−4)<<2 | 3 followed by n's
// little-endian bytes without trailing zeros.
func appendCompact(b []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n<<2))
	case n < 1<<14:
		return binary.LittleEndian.AppendUint16(b, uint16(n<<2|1))
	case n < 1<<30:
		return binary.LittleEndian.AppendUint32(b, uint32(n<<2|2))
	}
	k := 8
	for n>>(8*(k-1)) == 0 {
		k--
	}
	b = append(b, byte((k-4)<<2|3))
	for i := range k {
		b = append(b, byte(n>>(8*i)))
	}
	return b
}

// WeightCommit is one commit-reveal v2 commit (a WeightCommits tuple): the
// hash, the epoch it was made in, which sets its reveal window, and the
// block, which the epoch's commit mask reads.
type WeightCommit struct {
	Hash  [32]byte
	Epoch uint64
	Block uint64
}

// hotkeyCommits is one hotkey's WeightCommits queue.
type hotkeyCommits struct {
	hotkey units.AccountID
	queue  []WeightCommit
}

// TimelockedWeights is the plaintext of a timelocked (commit-reveal v3)
// commit: what coinbase/reveal_commits.rs obtains once drand's pulse for
// the reveal round decrypts the ciphertext and the payload decodes. The
// drand decryption and the payload's SCALE decoding are out of this
// package's scope: a commit that would not decrypt or decode is one the
// chain drops at reveal, and a caller models it by not committing it.
type TimelockedWeights struct {
	// Hotkey is the payload's hotkey (WeightsTlockPayload.hotkey); the
	// chain drops the commit at reveal when it is not the committer.
	Hotkey units.AccountID
	// Legacy marks a LegacyWeightsTlockPayload, which carries no hotkey
	// (Hotkey is then ignored).
	Legacy bool
	// UIDs, Values and VersionKey are the weights to set.
	UIDs, Values []uint16
	VersionKey   uint64
}

// TimelockedCommit is one TimelockedWeightCommits entry: the committing
// hotkey, the commit block, the weights and the drand round that reveals
// them.
type TimelockedCommit struct {
	Hotkey      units.AccountID
	Block       uint64
	Weights     TimelockedWeights
	RevealRound uint64
}

func (c TimelockedCommit) clone() TimelockedCommit {
	c.Weights.UIDs = slices.Clone(c.Weights.UIDs)
	c.Weights.Values = slices.Clone(c.Weights.Values)
	return c
}

func (c TimelockedCommit) equal(d TimelockedCommit) bool {
	a, b := c.Weights, d.Weights
	return c.Hotkey == d.Hotkey && c.Block == d.Block && c.RevealRound == d.RevealRound &&
		a.Hotkey == b.Hotkey && a.Legacy == b.Legacy && a.VersionKey == b.VersionKey &&
		slices.Equal(a.UIDs, b.UIDs) && slices.Equal(a.Values, b.Values)
}

// epochCommits is the TimelockedWeightCommits queue of one epoch.
type epochCommits struct {
	epoch uint64
	queue []TimelockedCommit
}

// findCommits returns the index of hotkey's queue in m.commits, or where
// it would be inserted and false.
func (m *mechWeights) findCommits(hotkey units.AccountID) (int, bool) {
	return slices.BinarySearchFunc(m.commits, hotkey, func(c hotkeyCommits, k units.AccountID) int {
		return bytes.Compare(c.hotkey[:], k[:])
	})
}

// findEpoch returns the index of epoch's timelocked queue, or where it
// would be inserted and false.
func (m *mechWeights) findEpoch(epoch uint64) (int, bool) {
	return slices.BinarySearchFunc(m.timelocked, epoch, func(e epochCommits, k uint64) int {
		switch {
		case e.epoch < k:
			return -1
		case e.epoch > k:
			return 1
		}
		return 0
	})
}

// putCommits stores hotkey's queue, removing it when empty.
func (m *mechWeights) putCommits(hotkey units.AccountID, queue []WeightCommit) {
	i, ok := m.findCommits(hotkey)
	switch {
	case ok && len(queue) == 0:
		m.commits = slices.Delete(m.commits, i, i+1)
	case ok:
		m.commits[i].queue = queue
	case len(queue) > 0:
		m.commits = slices.Insert(m.commits, i, hotkeyCommits{hotkey: hotkey, queue: queue})
	}
}

// Commits returns hotkey's live and not yet pruned commit-reveal v2
// commits on mechanism mech, oldest first (WeightCommits). The slice
// belongs to the state, as Rows.
func (s *WeightState) Commits(mech uint8, hotkey units.AccountID) []WeightCommit {
	if m := s.peek(mech); m != nil {
		if i, ok := m.findCommits(hotkey); ok {
			return m.commits[i].queue
		}
	}
	return nil
}

// TimelockedCommits returns the timelocked commits of mechanism mech made
// in epoch, in commit order (TimelockedWeightCommits). The slice belongs
// to the state, as Rows.
func (s *WeightState) TimelockedCommits(mech uint8, epoch uint64) []TimelockedCommit {
	if m := s.peek(mech); m != nil {
		if i, ok := m.findEpoch(epoch); ok {
			return m.timelocked[i].queue
		}
	}
	return nil
}

// commitExpired is is_commit_expired (subnets/weights.rs): the current
// epoch is past commitEpoch + RevealPeriodEpochs.
func (env *WeightEnv) commitExpired(commitEpoch uint64) bool {
	return env.Epoch > fixed.SaturatingAddUint64(commitEpoch, env.Hyper.RevealPeriodEpochs)
}

// revealWindow is is_reveal_block_range (subnets/weights.rs): the current
// epoch is exactly commitEpoch + RevealPeriodEpochs.
func (env *WeightEnv) revealWindow(commitEpoch uint64) bool {
	return env.Epoch == fixed.SaturatingAddUint64(commitEpoch, env.Hyper.RevealPeriodEpochs)
}

// CommitWeights is the commit_weights and commit_mechanism_weights
// extrinsics (subnets/weights.rs internal_commit_weights). In the chain's
// order it checks that mech exists (ErrMechanismDoesNotExist),
// commit-reveal is on (ErrCommitRevealDisabled), the caller is registered
// (ErrHotKeyNotRegisteredInSubNet) and not rate limited as set_weights
// would be (ErrCommittingWeightsTooFast); then it drops the expired
// commits at the front of the caller's queue, refuses a queue already
// holding MaxUnrevealedCommits (ErrTooManyUnrevealedCommits), appends
// (hash, env.Epoch, env.Block) and sets the caller's LastUpdate to
// env.Block. An error changes nothing.
func (s *WeightState) CommitWeights(env *WeightEnv, who WeightCaller, mech uint8, hash [32]byte) error {
	switch {
	case mech >= env.Hyper.MechanismCount:
		return ErrMechanismDoesNotExist
	case !env.Hyper.CommitRevealWeightsEnabled:
		return ErrCommitRevealDisabled
	case !who.Registered:
		return ErrHotKeyNotRegisteredInSubNet
	case !s.rateLimitOK(env, mech, who.UID):
		return ErrCommittingWeightsTooFast
	}
	old := s.Commits(mech, who.Hotkey)
	k := 0
	for k < len(old) && env.commitExpired(old[k].Epoch) {
		k++
	}
	if len(old)-k >= MaxUnrevealedCommits {
		return ErrTooManyUnrevealedCommits
	}
	queue := append(slices.Clip(old[k:]), WeightCommit{Hash: hash, Epoch: env.Epoch, Block: env.Block})
	m := s.mech(mech)
	m.putCommits(who.Hotkey, queue)
	m.setLastUpdate(env.N, who.UID, env.Block)
	return nil
}

// liveCommits returns the hotkey's commit queue on mechanism mech without its
// expired front, and the hashes of the expired ones; ErrNoWeightsCommitFound
// when the hotkey holds no queue. It changes nothing.
func (s *WeightState) liveCommits(env *WeightEnv, mech uint8, hotkey units.AccountID) (live []WeightCommit, expired [][32]byte, err error) {
	m := s.peek(mech)
	if m == nil {
		return nil, nil, ErrNoWeightsCommitFound
	}
	i, ok := m.findCommits(hotkey)
	if !ok {
		return nil, nil, ErrNoWeightsCommitFound
	}
	live, expired = env.pruneExpired(m.commits[i].queue)
	return live, expired, nil
}

// pruneExpired returns the queue without its expired front and the hashes
// of the commits it dropped.
func (env *WeightEnv) pruneExpired(queue []WeightCommit) (live []WeightCommit, expired [][32]byte) {
	k := 0
	for k < len(queue) && env.commitExpired(queue[k].Epoch) {
		expired = append(expired, queue[k].Hash)
		k++
	}
	return queue[k:], expired
}

func indexOfHash(queue []WeightCommit, h [32]byte) int {
	return slices.IndexFunc(queue, func(c WeightCommit) bool { return c.Hash == h })
}

// notFound is the error of a hash no live commit holds.
func notFound(expired [][32]byte, h [32]byte) error {
	if slices.Contains(expired, h) {
		return ErrExpiredWeightCommit
	}
	return ErrInvalidRevealCommitHashNotMatch
}

// RevealWeights is the reveal_weights and reveal_mechanism_weights
// extrinsics (subnets/weights.rs internal_reveal_weights). In the chain's
// order: commit-reveal on (ErrCommitRevealDisabled); a commit queue for
// the caller on mech (ErrNoWeightsCommitFound); the expired commits at its
// front dropped; a queue left empty is ErrExpiredWeightCommit when the
// data's CommitHash was among the dropped and ErrNoWeightsCommitFound
// otherwise; the first live commit with that hash (else
// ErrExpiredWeightCommit or ErrInvalidRevealCommitHashNotMatch) must be in
// its reveal epoch, env.Epoch = commit epoch + RevealPeriodEpochs
// (ErrRevealTooEarly); every commit up to and including it leaves the
// queue, and the weights are set as set_weights sets them (its checks and
// errors, without the commit-reveal and rate-limit checks; LastUpdate is
// not changed, as commit-reveal is on). An error changes nothing.
func (s *WeightState) RevealWeights(env *WeightEnv, who WeightCaller, mech uint8, uids, values, salt []uint16, versionKey uint64) error {
	if !env.Hyper.CommitRevealWeightsEnabled {
		return ErrCommitRevealDisabled
	}
	live, expired, err := s.liveCommits(env, mech, who.Hotkey)
	if err != nil {
		return err
	}
	h := CommitHash(who.Hotkey, env.NetUID, mech, uids, values, salt, versionKey)
	if len(live) == 0 {
		if slices.Contains(expired, h) {
			return ErrExpiredWeightCommit
		}
		return ErrNoWeightsCommitFound
	}
	pos := indexOfHash(live, h)
	if pos < 0 {
		return notFound(expired, h)
	}
	if !env.revealWindow(live[pos].Epoch) {
		return ErrRevealTooEarly
	}
	rest := slices.Clone(live[pos+1:])
	if err := s.setWeights(env, who, mech, uids, values, versionKey); err != nil {
		return err
	}
	s.mech(mech).putCommits(who.Hotkey, rest)
	return nil
}

// BatchRevealWeights is the batch_reveal_weights extrinsic
// (subnets/weights.rs do_batch_reveal_weights) on mechanism 0: the four
// lists must have one length (ErrInputLengthsUnequal), commit-reveal must
// be on (ErrCommitRevealDisabled) and the caller must hold a commit queue
// (ErrNoWeightsCommitFound); the expired front is dropped; every reveal's
// hash must match a live commit (ErrExpiredWeightCommit or
// ErrInvalidRevealCommitHashNotMatch) in its reveal epoch
// (ErrRevealTooEarly); then each, in order, removes its commit (a hash
// revealed twice fails the second time) and sets its weights as
// RevealWeights does. The whole call fails or succeeds: an error changes
// nothing. An empty batch only drops the expired commits.
func (s *WeightState) BatchRevealWeights(env *WeightEnv, who WeightCaller, uidsList, valuesList, saltsList [][]uint16, versionKeys []uint64) error {
	n := len(uidsList)
	if n != len(valuesList) || n != len(saltsList) || n != len(versionKeys) {
		return ErrInputLengthsUnequal
	}
	if !env.Hyper.CommitRevealWeightsEnabled {
		return ErrCommitRevealDisabled
	}
	live, expired, err := s.liveCommits(env, 0, who.Hotkey)
	if err != nil {
		return err
	}
	hashes := make([][32]byte, n)
	for k := range n {
		hashes[k] = CommitHash(who.Hotkey, env.NetUID, 0, uidsList[k], valuesList[k], saltsList[k], versionKeys[k])
	}
	for _, h := range hashes {
		pos := indexOfHash(live, h)
		if pos < 0 {
			return notFound(expired, h)
		}
		if !env.revealWindow(live[pos].Epoch) {
			return ErrRevealTooEarly
		}
	}
	rest := slices.Clone(live)
	rows := make([][]uint16, n)
	for k, h := range hashes {
		pos := indexOfHash(rest, h)
		if pos < 0 {
			return notFound(expired, h)
		}
		rest = slices.Delete(rest, pos, pos+1)
		// With commit-reveal on, set_weights reads nothing the earlier
		// reveals of the batch write, so checking each in turn and storing
		// all at the end is the chain's sequence.
		up, err := s.prepareWeights(nil, env, who, 0, uidsList[k], valuesList[k], versionKeys[k])
		if err != nil {
			return err
		}
		rows[k] = up
	}
	for k := range n {
		s.storeWeights(env, who.UID, 0, uidsList[k], rows[k])
	}
	s.mech(0).putCommits(who.Hotkey, rest)
	return nil
}

// CommitTimelockedWeights is the commit_timelocked_weights,
// commit_timelocked_mechanism_weights and commit_crv3_mechanism_weights
// extrinsics (subnets/weights.rs internal_commit_timelocked_weights), with
// the ciphertext represented by its plaintext w. In the chain's order: mech
// exists (ErrMechanismDoesNotExist); commit-reveal on
// (ErrCommitRevealDisabled); version is env.CommitRevealVersion
// (ErrIncorrectCommitRevealVersion); the caller registered
// (ErrHotKeyNotRegisteredInSubNet) and not rate limited
// (ErrCommittingWeightsTooFast); fewer than MaxUnrevealedCommits commits
// of the caller in this epoch's queue (ErrTooManyUnrevealedCommits). The
// commit joins the queue of epoch env.Epoch and the caller's LastUpdate
// becomes env.Block. An error changes nothing.
func (s *WeightState) CommitTimelockedWeights(env *WeightEnv, who WeightCaller, mech uint8, w TimelockedWeights, revealRound uint64, version uint16) error {
	switch {
	case mech >= env.Hyper.MechanismCount:
		return ErrMechanismDoesNotExist
	case !env.Hyper.CommitRevealWeightsEnabled:
		return ErrCommitRevealDisabled
	case version != env.CommitRevealVersion:
		return ErrIncorrectCommitRevealVersion
	case !who.Registered:
		return ErrHotKeyNotRegisteredInSubNet
	case !s.rateLimitOK(env, mech, who.UID):
		return ErrCommittingWeightsTooFast
	}
	queue := s.TimelockedCommits(mech, env.Epoch)
	mine := 0
	for _, c := range queue {
		if c.Hotkey == who.Hotkey {
			mine++
		}
	}
	if mine >= MaxUnrevealedCommits {
		return ErrTooManyUnrevealedCommits
	}
	c := TimelockedCommit{Hotkey: who.Hotkey, Block: env.Block, Weights: w, RevealRound: revealRound}.clone()
	m := s.mech(mech)
	if i, ok := m.findEpoch(env.Epoch); ok {
		m.timelocked[i].queue = append(m.timelocked[i].queue, c)
	} else {
		m.timelocked = slices.Insert(m.timelocked, i, epochCommits{epoch: env.Epoch, queue: []TimelockedCommit{c}})
	}
	m.setLastUpdate(env.N, who.UID, env.Block)
	return nil
}

// RevealTimelockedCommits is reveal_crv3_commits_for_subnet
// (coinbase/reveal_commits.rs), which block_step runs at the start of
// every block, before the coinbase, on every subnet whose epoch is not
// deferred at that block; env.Epoch is then the epoch with look-ahead, as
// for any call. With reveal epoch r = env.Epoch − RevealPeriodEpochs
// (saturating), for each mechanism in order: the queues of epochs before r
// are dropped; then, if env.Epoch < RevealPeriodEpochs, the call ends
// (after mechanism 0, as the chain's early return does); otherwise each
// commit of epoch r is, in commit order, kept for a later block when
// pulse(RevealRound) is false (drand has not published the round; a nil
// pulse knows none), dropped when its payload's hotkey is not the
// committer's (a non-legacy payload), and otherwise set as the committer's
// weights with the checks of RevealWeights, the caller as lookup(hotkey)
// describes it (a nil lookup knows no hotkey); a commit whose weights
// fail is dropped. It returns the number of commits revealed.
func (s *WeightState) RevealTimelockedCommits(env *WeightEnv, lookup func(units.AccountID) WeightCaller, pulse func(round uint64) bool) int {
	period := env.Hyper.RevealPeriodEpochs
	var r uint64
	if env.Epoch > period {
		r = env.Epoch - period
	}
	if lookup == nil {
		lookup = func(units.AccountID) WeightCaller { return WeightCaller{} }
	}
	revealed := 0
	for mecid := range env.Hyper.MechanismCount {
		m := s.peek(mecid)
		if m == nil {
			if env.Epoch < period {
				return revealed
			}
			continue
		}
		k := 0
		for k < len(m.timelocked) && m.timelocked[k].epoch < r {
			k++
		}
		m.timelocked = slices.Delete(m.timelocked, 0, k)
		if env.Epoch < period {
			return revealed
		}
		i, ok := m.findEpoch(r)
		if !ok {
			continue
		}
		entries := m.timelocked[i].queue
		m.timelocked = slices.Delete(m.timelocked, i, i+1)
		var unrevealed []TimelockedCommit
		for _, c := range entries {
			switch {
			case pulse == nil || !pulse(c.RevealRound):
				unrevealed = append(unrevealed, c)
			case !c.Weights.Legacy && c.Weights.Hotkey != c.Hotkey:
			default:
				w := c.Weights
				if s.setWeights(env, lookup(c.Hotkey), mecid, w.UIDs, w.Values, w.VersionKey) == nil {
					revealed++
				}
			}
		}
		if len(unrevealed) > 0 {
			m = s.mech(mecid)
			i, _ := m.findEpoch(r)
			m.timelocked = slices.Insert(m.timelocked, i, epochCommits{epoch: r, queue: unrevealed})
		}
	}
	return revealed
}

// CommitBlocks returns, appended to dst[:0], the commit block the epoch's
// commit-reveal mask reads for each uid below env.N (the CommitBlocks of
// the consensus Input; epoch/run_epoch.rs epoch_mechanism): math.MaxUint64
// for none; for each hotkey uidOf maps to a uid, the block of its first
// live commit-reveal v2 commit on mech, and the least block of its
// timelocked commits of live epochs. With commit-reveal off the epoch
// applies no mask and CommitBlocks returns dst[:0]. env.Epoch is the epoch
// with look-ahead at the epoch's block: the SubnetEpochIndex before the
// epoch increments it, plus one.
func (s *WeightState) CommitBlocks(dst []uint64, env *WeightEnv, mech uint8, uidOf func(units.AccountID) (units.UID, bool)) []uint64 {
	dst = dst[:0]
	if !env.Hyper.CommitRevealWeightsEnabled {
		return dst
	}
	for range env.N {
		dst = append(dst, math.MaxUint64)
	}
	m := s.peek(mech)
	if m == nil {
		return dst
	}
	lower := func(hotkey units.AccountID, block uint64) {
		if uid, ok := uidOf(hotkey); ok && int(uid) < len(dst) {
			dst[uid] = min(dst[uid], block)
		}
	}
	for _, hc := range m.commits {
		for _, c := range hc.queue {
			if !env.commitExpired(c.Epoch) {
				lower(hc.hotkey, c.Block)
				break
			}
		}
	}
	for _, ec := range m.timelocked {
		if env.commitExpired(ec.epoch) {
			continue
		}
		for _, c := range ec.queue {
			lower(c.Hotkey, c.Block)
		}
	}
	return dst
}
