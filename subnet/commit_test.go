package subnet

import (
	"encoding/hex"
	"math"
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The commit hash is BlakeTwo256 of the SCALE-encoded tuple
// (subnets/weights.rs get_commit_hash). The preimage bytes are written out
// by hand from the SCALE rules (AccountId32 raw, u16 and u64 little
// endian, Vec<u16> as a compact length then the values); the digests were
// computed from the same bytes with Python's hashlib.blake2b(digest_size=32),
// an independent BLAKE2b.
func TestCommitHashVectors(t *testing.T) {
	uids, values, salt := []uint16{0, 1}, []uint16{10, 10}, []uint16{1, 2, 3, 4, 5, 6, 7, 8}
	pre := appendCommitPreimage(nil, hk(1), 1, uids, values, salt, 0)
	assert.Equal(t, "0100000000000000000000000000000000000000000000000000000000000000"+
		"0100"+"08"+"00000100"+"08"+"0a000a00"+"20"+"01000200030004000500060007000800"+"0000000000000000",
		hex.EncodeToString(pre))
	h := CommitHash(hk(1), 1, 0, uids, values, salt, 0)
	assert.Equal(t, "6d0636acf6116a29e342d949b376af9893686f35589a4ddc00aa412895531f3f", hex.EncodeToString(h[:]))

	// Mechanism 1 of netuid 1 is storage index 4097; 70 uids take a
	// two-byte compact length; empty lists one byte.
	var who units.AccountID
	for i := range who {
		who[i] = byte(i)
	}
	many := make([]uint16, 70)
	for i := range many {
		many[i] = uint16(i)
	}
	h = CommitHash(who, 1, 1, many, nil, nil, math.MaxUint64)
	assert.Equal(t, "32232b72d4f3c6dea18892066138816727149e9d14d4388c7b594939c135b14a", hex.EncodeToString(h[:]))
}

// SCALE compact integers in all four modes (parity-scale-codec's
// compact.rs test vectors).
func TestAppendCompact(t *testing.T) {
	cases := []struct {
		n    uint64
		want string
	}{
		{0, "00"}, {1, "04"}, {63, "fc"}, {64, "0101"}, {16383, "fdff"}, {16384, "02000100"},
		{1<<30 - 1, "feffffff"}, {1 << 30, "0300000040"}, {1<<32 - 1, "03ffffffff"},
		{1 << 32, "070000000001"}, {math.MaxUint64, "13ffffffffffffffff"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, hex.EncodeToString(appendCompact(nil, c.n)), "%d", c.n)
	}
}

func TestStorageIndex(t *testing.T) {
	assert.Equal(t, uint16(7), storageIndex(7, 0))
	assert.Equal(t, uint16(4096+7), storageIndex(7, 1))
	assert.Equal(t, uint16(15*4096+4095), storageIndex(4095, 15))
	assert.Equal(t, uint16(65535), storageIndex(65535, 1), "saturates")
}

// crChain is the setup most commit-reveal tests of tests/weights.rs share:
// add_network(1, tempo) at block 0 with commit-reveal on, hk(3) at uid 0
// and hk(1) at uid 1, both with permits, stake threshold 0.
func crChain(tempo uint16, rateLimit uint64) *chain {
	c := newChain(tempo, 0)
	c.hyper.CommitRevealWeightsEnabled = true
	c.hyper.WeightsSetRateLimit = rateLimit
	c.register(hk(3))
	c.register(hk(1))
	c.permits[0], c.permits[1] = true, true
	return c
}

var crUIDs, crValues, crSalt = []uint16{0, 1}, []uint16{10, 10}, []uint16{1, 2, 3, 4, 5, 6, 7, 8}

// test_reveal_weights_when_commit_reveal_disabled
func TestRevealWeightsWhenCommitRevealDisabled(t *testing.T) {
	c := crChain(5, 5)
	require.NoError(t, c.commit(hk(1), c.hash(hk(1), crUIDs, crValues, crSalt, 0)))
	c.stepEpochs(1)
	c.hyper.CommitRevealWeightsEnabled = false
	c.mustFail(t, ErrCommitRevealDisabled, func() error { return c.reveal(hk(1), crUIDs, crValues, crSalt, 0) })
}

// test_commit_reveal_weights_ok
func TestCommitRevealWeightsOK(t *testing.T) {
	c := crChain(5, 5)
	require.NoError(t, c.commit(hk(1), c.hash(hk(1), crUIDs, crValues, crSalt, 0)))
	assert.Equal(t, uint64(0), c.ws.LastUpdateFor(0, 1), "LastUpdate at the commit block")
	c.stepEpochs(1)
	require.NoError(t, c.reveal(hk(1), crUIDs, crValues, crSalt, 0))
	assert.Equal(t, []consensus.Entry{{UID: 0, Value: 65535}, {UID: 1, Value: 65535}}, c.ws.Row(0, 1))
	assert.Equal(t, uint64(0), c.ws.LastUpdateFor(0, 1), "a reveal leaves LastUpdate")
}

// test_commit_reveal_tempo_interval
func TestCommitRevealTempoInterval(t *testing.T) {
	c := crChain(100, 5)
	hash := c.hash(hk(1), crUIDs, crValues, crSalt, 0)
	reveal := func() error { return c.reveal(hk(1), crUIDs, crValues, crSalt, 0) }
	require.NoError(t, c.commit(hk(1), hash))
	c.mustFail(t, ErrRevealTooEarly, reveal)
	c.stepEpochs(1)
	require.NoError(t, reveal())
	c.stepBlocks(6)
	c.mustFail(t, ErrNoWeightsCommitFound, reveal)
	require.NoError(t, c.commit(hk(1), hash))
	c.stepEpochs(2)
	c.mustFail(t, ErrExpiredWeightCommit, reveal)
	require.NoError(t, c.commit(hk(1), hash))
	c.stepBlocks(50)
	c.mustFail(t, ErrRevealTooEarly, reveal)
	c.stepEpochs(1)
	require.NoError(t, reveal())
}

// test_commit_reveal_hash
func TestCommitRevealHash(t *testing.T) {
	c := crChain(5, 5)
	require.NoError(t, c.commit(hk(1), c.hash(hk(1), crUIDs, crValues, crSalt, 0)))
	c.stepEpochs(1)
	c.mustFail(t, ErrInvalidRevealCommitHashNotMatch, func() error { return c.reveal(hk(1), []uint16{0, 2}, crValues, crSalt, 0) })
	bad := []uint16{0, 2, 3, 4, 5, 6, 7, 8}
	c.mustFail(t, ErrInvalidRevealCommitHashNotMatch, func() error { return c.reveal(hk(1), crUIDs, crValues, bad, 0) })
	require.NoError(t, c.reveal(hk(1), crUIDs, crValues, crSalt, 0))
}

// test_expired_commits_handling_in_commit_and_reveal
func TestExpiredCommitsHandlingInCommitAndReveal(t *testing.T) {
	c := crChain(100, 0)
	var salts [][]uint16
	for i := range uint16(5) {
		salts = append(salts, salt8(i))
		require.NoError(t, c.commit(hk(1), c.hash(hk(1), crUIDs, crValues, salt8(i), 0)))
	}
	c.stepEpochs(1)
	for i := uint16(5); i < 10; i++ {
		salts = append(salts, salt8(i))
		require.NoError(t, c.commit(hk(1), c.hash(hk(1), crUIDs, crValues, salt8(i), 0)))
	}
	hash11 := c.hash(hk(1), crUIDs, crValues, salt8(11), 0)
	c.mustFail(t, ErrTooManyUnrevealedCommits, func() error { return c.commit(hk(1), hash11) })
	c.stepEpochs(1)
	require.NoError(t, c.commit(hk(1), hash11))
	assert.Len(t, c.ws.Commits(0, hk(1)), 6, "5 live commits of epoch 1 and the new one")
	c.mustFail(t, ErrInvalidRevealCommitHashNotMatch, func() error { return c.reveal(hk(1), crUIDs, crValues, salts[0], 0) })
	for _, s := range salts[5:10] {
		require.NoError(t, c.reveal(hk(1), crUIDs, crValues, s, 0))
	}
	c.stepEpochs(1)
	require.NoError(t, c.reveal(hk(1), crUIDs, crValues, salt8(11), 0))
	assert.Nil(t, c.ws.Commits(0, hk(1)))
	c.mustFail(t, ErrNoWeightsCommitFound, func() error { return c.reveal(hk(1), crUIDs, crValues, salt8(11), 0) })
	require.NoError(t, c.commit(hk(1), c.hash(hk(1), crUIDs, crValues, salt8(12), 0)))
	c.stepEpochs(1)
	require.NoError(t, c.reveal(hk(1), crUIDs, crValues, salt8(12), 0))
}

// test_commit_reveal_order_enforcement
func TestCommitRevealOrderEnforcement(t *testing.T) {
	c := crChain(100, 0)
	for i := range uint16(3) {
		require.NoError(t, c.commit(hk(1), c.hash(hk(1), crUIDs, crValues, salt8(i), 0)))
	}
	c.stepEpochs(1)
	require.NoError(t, c.reveal(hk(1), crUIDs, crValues, salt8(1), 0))
	assert.Len(t, c.ws.Commits(0, hk(1)), 1, "only commit C remains")
	require.NoError(t, c.reveal(hk(1), crUIDs, crValues, salt8(2), 0))
	c.mustFail(t, ErrNoWeightsCommitFound, func() error { return c.reveal(hk(1), crUIDs, crValues, salt8(0), 0) })
}

var batchUIDs = [][]uint16{{0, 1}, {1, 0}, {0, 1}}
var batchValues = [][]uint16{{10, 20}, {30, 40}, {50, 60}}

// test_successful_batch_reveal
func TestSuccessfulBatchReveal(t *testing.T) {
	c := crChain(100, 0)
	var salts [][]uint16
	for i := range 3 {
		salts = append(salts, salt8(uint16(i)))
		require.NoError(t, c.commit(hk(1), c.hash(hk(1), batchUIDs[i], batchValues[i], salts[i], 0)))
	}
	c.stepEpochs(1)
	require.NoError(t, c.batchReveal(hk(1), batchUIDs, batchValues, salts, []uint64{0, 0, 0}))
	assert.Nil(t, c.ws.Commits(0, hk(1)))
	// The last reveal's weights are the row: [50, 60] max-upscaled.
	assert.Equal(t, []consensus.Entry{{UID: 0, Value: 54613}, {UID: 1, Value: 65535}}, c.ws.Row(0, 1))
}

// test_batch_reveal_with_expired_commits
func TestBatchRevealWithExpiredCommits(t *testing.T) {
	c := crChain(100, 0)
	salts := [][]uint16{salt8(0), salt8(1), salt8(2)}
	require.NoError(t, c.commit(hk(1), c.hash(hk(1), batchUIDs[0], batchValues[0], salts[0], 0)))
	c.stepEpochs(1)
	for i := 1; i < 3; i++ {
		require.NoError(t, c.commit(hk(1), c.hash(hk(1), batchUIDs[i], batchValues[i], salts[i], 0)))
	}
	c.stepEpochs(1)
	c.mustFail(t, ErrExpiredWeightCommit, func() error {
		return c.batchReveal(hk(1), batchUIDs, batchValues, salts, []uint64{0, 0, 0})
	})
	assert.Len(t, c.ws.Commits(0, hk(1)), 3)
	require.NoError(t, c.batchReveal(hk(1), batchUIDs[1:], batchValues[1:], salts[1:], []uint64{0, 0}))
	assert.Nil(t, c.ws.Commits(0, hk(1)))
}

// test_batch_reveal_with_invalid_input_lengths, test_batch_reveal_with_no_commits,
// test_batch_reveal_before_reveal_period, test_batch_reveal_after_commits_expired,
// test_batch_reveal_when_commit_reveal_disabled.
func TestBatchRevealErrors(t *testing.T) {
	salts := [][]uint16{salt8(0), salt8(1), salt8(2)}
	vks := []uint64{0, 0, 0}
	c := crChain(100, 0)
	c.mustFail(t, ErrInputLengthsUnequal, func() error { return c.batchReveal(hk(1), batchUIDs, batchValues[:2], salts, vks) })
	c.mustFail(t, ErrInputLengthsUnequal, func() error { return c.batchReveal(hk(1), batchUIDs, batchValues, salts[:1], vks) })
	c.mustFail(t, ErrInputLengthsUnequal, func() error { return c.batchReveal(hk(1), batchUIDs, batchValues, salts, vks[:2]) })
	c.mustFail(t, ErrNoWeightsCommitFound, func() error { return c.batchReveal(hk(1), batchUIDs, batchValues, salts, vks) })
	for i := range 2 {
		require.NoError(t, c.commit(hk(1), c.hash(hk(1), batchUIDs[i], batchValues[i], salts[i], 0)))
	}
	c.mustFail(t, ErrRevealTooEarly, func() error {
		return c.batchReveal(hk(1), batchUIDs[:2], batchValues[:2], salts[:2], vks[:2])
	})
	c.stepEpochs(2)
	c.mustFail(t, ErrExpiredWeightCommit, func() error {
		return c.batchReveal(hk(1), batchUIDs[:2], batchValues[:2], salts[:2], vks[:2])
	})
	c.hyper.CommitRevealWeightsEnabled = false
	c.mustFail(t, ErrCommitRevealDisabled, func() error {
		return c.batchReveal(hk(1), batchUIDs[:2], batchValues[:2], salts[:2], vks[:2])
	})
}

// test_batch_reveal_with_out_of_order_commits: reveals in any order, each
// removing only its own commit.
func TestBatchRevealWithOutOfOrderCommits(t *testing.T) {
	c := crChain(100, 0)
	salts := [][]uint16{salt8(0), salt8(1), salt8(2)}
	for i := range 3 {
		require.NoError(t, c.commit(hk(1), c.hash(hk(1), batchUIDs[i], batchValues[i], salts[i], 0)))
	}
	c.stepEpochs(1)
	order := []int{2, 0}
	var u, v, s [][]uint16
	for _, i := range order {
		u, v, s = append(u, batchUIDs[i]), append(v, batchValues[i]), append(s, salts[i])
	}
	require.NoError(t, c.batchReveal(hk(1), u, v, s, []uint64{0, 0}))
	left := c.ws.Commits(0, hk(1))
	require.Len(t, left, 1)
	assert.Equal(t, c.hash(hk(1), batchUIDs[1], batchValues[1], salts[1], 0), left[0].Hash)
	require.NoError(t, c.batchReveal(hk(1), batchUIDs[1:2], batchValues[1:2], salts[1:2], []uint64{0}))
	assert.Nil(t, c.ws.Commits(0, hk(1)))
}

// A hash revealed twice in one batch fails the second time and the batch
// changes nothing (do_batch_reveal_weights step 8).
func TestBatchRevealDuplicate(t *testing.T) {
	c := crChain(100, 0)
	require.NoError(t, c.commit(hk(1), c.hash(hk(1), batchUIDs[0], batchValues[0], salt8(0), 0)))
	c.stepEpochs(1)
	dup := [][]uint16{batchUIDs[0], batchUIDs[0]}
	c.mustFail(t, ErrInvalidRevealCommitHashNotMatch, func() error {
		return c.batchReveal(hk(1), dup, [][]uint16{batchValues[0], batchValues[0]}, [][]uint16{salt8(0), salt8(0)}, []uint64{0, 0})
	})
}

// test_commit_weights_rate_limit
func TestCommitWeightsRateLimit(t *testing.T) {
	c := newChain(5, 11)
	c.register(hk(3))
	me := c.register(hk(1))
	c.permits[0], c.permits[1] = true, true
	c.hyper.WeightsSetRateLimit = 10
	c.hyper.CommitRevealWeightsEnabled = true
	c.ws.mech(0).lastUpdate[me] = 0 // set_last_update_for_uid(.., 0)
	require.NoError(t, c.commit(hk(1), c.hash(hk(1), crUIDs, crValues, crSalt, 0)))
	next := c.hash(hk(1), crUIDs, crValues, salt8(9), 0)
	c.mustFail(t, ErrCommittingWeightsTooFast, func() error { return c.commit(hk(1), next) })
	c.stepBlocks(5)
	c.mustFail(t, ErrCommittingWeightsTooFast, func() error { return c.commit(hk(1), next) })
	c.stepBlocks(5) // block 21
	require.NoError(t, c.commit(hk(1), next))
	c.hyper.CommitRevealWeightsEnabled = false
	set := func() error { return c.setWeights(hk(1), []uint16{0}, []uint16{1}, 0) }
	c.mustFail(t, ErrSettingWeightsTooFast, set)
	c.stepBlocks(10)
	require.NoError(t, set())
	c.mustFail(t, ErrSettingWeightsTooFast, set)
	c.stepBlocks(5)
	c.mustFail(t, ErrSettingWeightsTooFast, set)
	c.stepBlocks(5)
	require.NoError(t, set())
}

// Every error path of CommitWeights and RevealWeights in the chain's order.
func TestCommitRevealErrorTable(t *testing.T) {
	c := crChain(100, 0)
	hash := c.hash(hk(1), crUIDs, crValues, crSalt, 0)
	env := c.env()
	env.Hyper.MechanismCount = 1
	mustFail := func(want error, f func() error) { t.Helper(); c.mustFail(t, want, f) }
	mustFail(ErrMechanismDoesNotExist, func() error {
		e := *env
		e.Hyper.CommitRevealWeightsEnabled = false
		return c.ws.CommitWeights(&e, c.caller(hk(9)), 1, hash)
	})
	mustFail(ErrCommitRevealDisabled, func() error {
		e := *env
		e.Hyper.CommitRevealWeightsEnabled = false
		return c.ws.CommitWeights(&e, c.caller(hk(9)), 0, hash)
	})
	mustFail(ErrHotKeyNotRegisteredInSubNet, func() error { return c.ws.CommitWeights(env, c.caller(hk(9)), 0, hash) })
	// Reveal: disabled, then no queue.
	mustFail(ErrCommitRevealDisabled, func() error {
		e := *env
		e.Hyper.CommitRevealWeightsEnabled = false
		return c.ws.RevealWeights(&e, c.caller(hk(1)), 0, crUIDs, crValues, crSalt, 0)
	})
	mustFail(ErrNoWeightsCommitFound, func() error { return c.reveal(hk(1), crUIDs, crValues, crSalt, 0) })
	// A reveal whose weights fail set_weights leaves the commit.
	bad := c.hash(hk(1), []uint16{0, 7}, crValues, crSalt, 0)
	require.NoError(t, c.commit(hk(1), bad))
	c.stepEpochs(1)
	mustFail(ErrUidVecContainInvalidOne, func() error { return c.reveal(hk(1), []uint16{0, 7}, crValues, crSalt, 0) })
	assert.Len(t, c.ws.Commits(0, hk(1)), 1)
	// Expired with the queue left empty: ExpiredWeightCommit for its hash,
	// NoWeightsCommitFound for another.
	c.stepEpochs(1)
	mustFail(ErrNoWeightsCommitFound, func() error { return c.reveal(hk(1), crUIDs, crValues, crSalt, 0) })
	mustFail(ErrExpiredWeightCommit, func() error { return c.reveal(hk(1), []uint16{0, 7}, crValues, crSalt, 0) })
}

// At most MaxUnrevealedCommits live commits; an expired front makes room.
func TestTooManyUnrevealedCommits(t *testing.T) {
	c := crChain(10, 0)
	for i := range uint16(MaxUnrevealedCommits) {
		require.NoError(t, c.commit(hk(1), c.hash(hk(1), crUIDs, crValues, salt8(i), 0)))
	}
	extra := c.hash(hk(1), crUIDs, crValues, salt8(99), 0)
	c.mustFail(t, ErrTooManyUnrevealedCommits, func() error { return c.commit(hk(1), extra) })
	c.stepEpochs(1) // still live: reveal epoch
	c.mustFail(t, ErrTooManyUnrevealedCommits, func() error { return c.commit(hk(1), extra) })
	c.stepEpochs(1) // expired
	require.NoError(t, c.commit(hk(1), extra))
	assert.Len(t, c.ws.Commits(0, hk(1)), 1)
}

// A commit made in the block an epoch fires belongs to the epoch about to
// fire (current_epoch_with_lookahead).
func TestCommitEpochLookahead(t *testing.T) {
	c := crChain(10, 0)
	c.block = 10 // due, not yet fired
	require.NoError(t, c.commit(hk(1), c.hash(hk(1), crUIDs, crValues, crSalt, 0)))
	assert.Equal(t, uint64(1), c.ws.Commits(0, hk(1))[0].Epoch)
	assert.Equal(t, uint64(10), c.ws.Commits(0, hk(1))[0].Block)
}

func tlw(who units.AccountID, uids, values []uint16) TimelockedWeights {
	return TimelockedWeights{Hotkey: who, UIDs: uids, Values: values}
}

// test_do_commit_crv3_weights_success, _disabled, _hotkey_not_registered,
// _committing_too_fast, and the version check of
// internal_commit_timelocked_weights.
func TestCommitTimelockedWeights(t *testing.T) {
	c := newChain(5, 0)
	c.register(hk(1))
	c.hyper.CommitRevealWeightsEnabled = false
	w := tlw(hk(1), []uint16{0}, []uint16{1})
	c.mustFail(t, ErrCommitRevealDisabled, func() error { return c.commitTimelocked(hk(1), w, 1000) })
	c.hyper.CommitRevealWeightsEnabled = true
	c.mustFail(t, ErrIncorrectCommitRevealVersion, func() error {
		return c.ws.CommitTimelockedWeights(c.env(), c.caller(hk(1)), 0, w, 1000, 3)
	})
	c.mustFail(t, ErrHotKeyNotRegisteredInSubNet, func() error { return c.commitTimelocked(hk(2), w, 1000) })
	c.mustFail(t, ErrMechanismDoesNotExist, func() error {
		return c.ws.CommitTimelockedWeights(c.env(), c.caller(hk(1)), 1, w, 1000, DefaultCommitRevealVersion)
	})
	// _committing_too_fast: rate limit 5.
	c.hyper.WeightsSetRateLimit = 5
	require.NoError(t, c.commitTimelocked(hk(1), w, 1000))
	got := c.ws.TimelockedCommits(0, 0)
	require.Len(t, got, 1)
	assert.Equal(t, TimelockedCommit{Hotkey: hk(1), Block: 0, Weights: w, RevealRound: 1000}, got[0])
	c.stepBlock()
	require.NoError(t, c.commitTimelocked(hk(1), w, 1000)) // LastUpdate 0 counts as never
	c.mustFail(t, ErrCommittingWeightsTooFast, func() error { return c.commitTimelocked(hk(1), w, 1000) })
	c.stepBlocks(2)
	c.mustFail(t, ErrCommittingWeightsTooFast, func() error { return c.commitTimelocked(hk(1), w, 1000) })
	c.stepBlocks(3)
	require.NoError(t, c.commitTimelocked(hk(1), w, 1000))
	assert.Equal(t, uint64(6), c.ws.LastUpdateFor(0, 0))
}

// test_do_commit_crv3_weights_too_many_unrevealed_commits
func TestCommitTimelockedTooManyUnrevealed(t *testing.T) {
	c := newChain(5, 0)
	c.register(hk(1))
	c.register(hk(2))
	c.hyper.WeightsSetRateLimit = 0
	w := tlw(hk(1), []uint16{0}, []uint16{1})
	for range 10 {
		require.NoError(t, c.commitTimelocked(hk(1), w, 1000))
	}
	c.mustFail(t, ErrTooManyUnrevealedCommits, func() error { return c.commitTimelocked(hk(1), w, 1000) })
	for range 10 {
		require.NoError(t, c.commitTimelocked(hk(2), w, 1000))
	}
	c.mustFail(t, ErrTooManyUnrevealedCommits, func() error { return c.commitTimelocked(hk(2), w, 1000) })
	c.stepEpochs(10)
	require.NoError(t, c.commitTimelocked(hk(1), w, 1000))
}

// test_reveal_crv3_commits_removes_past_epoch_commits
func TestRevealTimelockedRemovesPastEpochCommits(t *testing.T) {
	c := newChain(5, 100)
	c.register(hk(1))
	c.hyper.RevealPeriodEpochs = 1
	c.epochIndex = 10
	c.lastEpochBlock = c.block
	m := c.ws.mech(0)
	for _, e := range []uint64{8, 9} {
		m.timelocked = append(m.timelocked, epochCommits{epoch: e, queue: []TimelockedCommit{
			{Hotkey: hk(1), Block: c.block, Weights: tlw(hk(1), []uint16{0}, []uint16{1}), RevealRound: 1000}}})
	}
	assert.Equal(t, 0, c.ws.RevealTimelockedCommits(c.env(), c.caller, nil))
	assert.Nil(t, c.ws.TimelockedCommits(0, 8), "expired epoch 8 is cleared")
	assert.Len(t, c.ws.TimelockedCommits(0, 9), 1, "reveal epoch 9 is kept until its pulse arrives")
}

// test_reveal_crv3_commits_success, test_reveal_crv3_commits_retry_on_missing_pulse,
// test_reveal_crv3_commits_hotkey_check, test_reveal_crv3_commits_cannot_reveal_after_reveal_epoch
// and test_reveal_crv3_commits_do_set_weights_failure, with the decrypted
// payload in place of the ciphertext.
func TestRevealTimelockedCommits(t *testing.T) {
	c := newChain(5, 0)
	c.register(hk(1))
	c.register(hk(2))
	c.permits[0], c.permits[1] = true, true
	c.hyper.WeightsSetRateLimit = 0
	c.hyper.MinAllowedWeights = 0
	require.NoError(t, c.commitTimelocked(hk(1), tlw(hk(1), []uint16{0, 1}, []uint16{1, 2}), 7))
	require.NoError(t, c.commitTimelocked(hk(2), tlw(hk(1), []uint16{0, 1}, []uint16{1, 2}), 7)) // hotkey mismatch
	c.stepEpochs(1)
	// The reveal epoch has come; drand's round 7 has not.
	require.Len(t, c.ws.TimelockedCommits(0, 0), 2)
	assert.Nil(t, c.ws.Row(0, 0))
	c.pulses[7] = true
	c.stepBlock()
	assert.Equal(t, []consensus.Entry{{UID: 0, Value: 32768}, {UID: 1, Value: 65535}}, c.ws.Row(0, 0))
	assert.Nil(t, c.ws.Row(0, 1), "a payload for another hotkey is dropped")
	assert.Nil(t, c.ws.TimelockedCommits(0, 0))

	// A commit whose round never comes is dropped once its epoch passes.
	require.NoError(t, c.commitTimelocked(hk(2), tlw(hk(2), []uint16{0}, []uint16{1}), 8))
	e := c.epochIndex
	c.stepEpochs(2)
	c.pulses[8] = true
	c.stepBlock()
	assert.Nil(t, c.ws.TimelockedCommits(0, e))
	assert.Nil(t, c.ws.Row(0, 1))

	// Weights set_weights refuses are dropped; legacy payloads carry no hotkey.
	require.NoError(t, c.commitTimelocked(hk(2), tlw(hk(2), []uint16{9}, []uint16{1}), 8))
	require.NoError(t, c.commitTimelocked(hk(1), TimelockedWeights{Legacy: true, UIDs: []uint16{1}, Values: []uint16{5}}, 8))
	e = c.epochIndex
	c.stepEpochs(1)
	assert.Nil(t, c.ws.TimelockedCommits(0, e))
	assert.Nil(t, c.ws.Row(0, 1))
	assert.Equal(t, []consensus.Entry{{UID: 1, Value: 65535}}, c.ws.Row(0, 0))
}

// Before RevealPeriodEpochs epochs nothing is revealed, and the chain's
// early return leaves mechanisms past 0 uncleaned.
func TestRevealTimelockedTooEarly(t *testing.T) {
	c := newChain(5, 0)
	c.register(hk(1))
	c.hyper.RevealPeriodEpochs = 3
	c.hyper.MechanismCount = 2
	c.hyper.WeightsSetRateLimit = 0
	require.NoError(t, c.commitTimelocked(hk(1), tlw(hk(1), []uint16{0}, []uint16{1}), 1))
	env := c.env()
	env.Epoch = 2
	before := c.ws.Clone()
	assert.Equal(t, 0, c.ws.RevealTimelockedCommits(env, c.caller, func(uint64) bool { return true }))
	assert.True(t, before.Equal(&c.ws))
}

// CommitBlocks is the epoch's commit mask input: the first live v2 commit
// and the least live timelocked commit per uid.
func TestCommitBlocks(t *testing.T) {
	c := crChain(10, 0)
	c.register(hk(5))
	uidOf := func(h units.AccountID) (units.UID, bool) { return c.uid(h) }
	c.block = 3
	require.NoError(t, c.commit(hk(1), c.hash(hk(1), crUIDs, crValues, salt8(1), 0)))
	c.block = 4
	require.NoError(t, c.commit(hk(1), c.hash(hk(1), crUIDs, crValues, salt8(2), 0)))
	require.NoError(t, c.commitTimelocked(hk(5), tlw(hk(5), []uint16{0}, []uint16{1}), 1))
	c.block = 2
	require.NoError(t, c.commitTimelocked(hk(5), tlw(hk(5), []uint16{0}, []uint16{1}), 1))
	c.block = 5
	got := c.ws.CommitBlocks(nil, c.env(), 0, uidOf)
	assert.Equal(t, []uint64{math.MaxUint64, 3, 2}, got)
	// Two epochs later every commit has expired.
	c.epochIndex = 2
	got = c.ws.CommitBlocks(got, c.env(), 0, uidOf)
	assert.Equal(t, []uint64{math.MaxUint64, math.MaxUint64, math.MaxUint64}, got)
	c.hyper.CommitRevealWeightsEnabled = false
	assert.Empty(t, c.ws.CommitBlocks(got, c.env(), 0, uidOf))
}

// Clone is deep and Equal sees every part of the state.
func TestWeightStateCloneEqual(t *testing.T) {
	c := crChain(10, 0)
	require.NoError(t, c.commit(hk(1), c.hash(hk(1), crUIDs, crValues, crSalt, 0)))
	require.NoError(t, c.commitTimelocked(hk(3), tlw(hk(3), []uint16{0}, []uint16{1}), 1))
	c.stepEpochs(1)
	require.NoError(t, c.reveal(hk(1), crUIDs, crValues, crSalt, 0))
	cl := c.ws.Clone()
	require.True(t, cl.Equal(&c.ws))
	cl.mechs[0].rows[1][0].Value++
	assert.False(t, cl.Equal(&c.ws))
	cl = c.ws.Clone()
	cl.mechs[0].timelocked[0].queue[0].Weights.UIDs[0]++
	assert.False(t, cl.Equal(&c.ws))
	cl = c.ws.Clone()
	cl.mechs[0].lastUpdate[0]++
	assert.False(t, cl.Equal(&c.ws))
	// Trailing zero LastUpdate entries and empty mechanisms are no storage.
	var a, b WeightState
	a.mech(3).lastUpdate = []uint64{0, 0}
	assert.True(t, a.Equal(&b))
}
