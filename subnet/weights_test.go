package subnet

import (
	"errors"
	"math"
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Ports of subtensor pallets/subtensor/src/tests/weights.rs
// @14bc6f9f964b9cc362e9635dd110a487fa5d15a0, each named after its source
// test. The mock runtime's hotkey U256::from(n) is hk(n); each failed call
// is also checked to leave the WeightState unchanged.

// test_set_weights_is_root_error
func TestSetWeightsIsRootError(t *testing.T) {
	c := newChain(13, 0)
	c.netuid = 0
	c.hyper.CommitRevealWeightsEnabled = false
	c.mustFail(t, ErrCanNotSetRootNetworkWeights, func() error { return c.setWeights(hk(1), []uint16{0}, []uint16{1}, 0) })
}

// test_weights_err_no_validator_permit
func TestWeightsErrNoValidatorPermit(t *testing.T) {
	c := newChain(13, 0)
	c.hyper.CommitRevealWeightsEnabled = false
	c.hyper.MinAllowedWeights = 0
	me := c.register(hk(55))
	c.register(hk(1))
	c.register(hk(2))
	c.mustFail(t, ErrNeuronNoValidatorPermit, func() error { return c.setWeights(hk(55), []uint16{1, 2}, []uint16{1, 2}, 0) })
	c.permits[me] = true
	require.NoError(t, c.setWeights(hk(55), []uint16{1, 2}, []uint16{1, 2}, 0))
}

// test_set_stake_threshold_failed, with the hotkey's stake weight given
// directly (19e12, then 39e12, then 139e12 rao staked).
func TestSetStakeThresholdFailed(t *testing.T) {
	c := newChain(1, 0)
	c.hyper.CommitRevealWeightsEnabled = false
	c.register(hk(0))
	c.threshold = 20_000_000_000_000
	c.stake[hk(0)] = 19_000_000_000_000
	c.mustFail(t, ErrNotEnoughStakeToSetWeights, func() error { return c.setWeights(hk(0), []uint16{0}, []uint16{1}, 0) })
	c.stake[hk(0)] += 20_000_000_000_000
	require.NoError(t, c.setWeights(hk(0), []uint16{0}, []uint16{1}, 0))
	c.threshold = 100_000_000_000_000
	c.mustFail(t, ErrNotEnoughStakeToSetWeights, func() error { return c.setWeights(hk(0), []uint16{0}, []uint16{1}, 0) })
	c.stake[hk(0)] += 100_000_000_000_000
	require.NoError(t, c.setWeights(hk(0), []uint16{0}, []uint16{1}, 0))
}

// test_weights_version_key (one subnet per chain value).
func TestWeightsVersionKey(t *testing.T) {
	c0, c1 := newChain(1, 0), newChain(1, 0)
	for _, c := range []*chain{c0, c1} {
		c.hyper.CommitRevealWeightsEnabled = false
		c.register(hk(55))
		require.NoError(t, c.setWeights(hk(55), []uint16{0}, []uint16{1}, 0))
	}
	const key0, key1 = 12312, 20313
	c0.hyper.WeightsVersionKey, c1.hyper.WeightsVersionKey = key0, key1
	require.NoError(t, c0.setWeights(hk(55), []uint16{0}, []uint16{1}, key0))
	require.NoError(t, c1.setWeights(hk(55), []uint16{0}, []uint16{1}, key1))
	require.NoError(t, c0.setWeights(hk(55), []uint16{0}, []uint16{1}, key1)) // newer validator
	c1.mustFail(t, ErrIncorrectWeightVersionKey, func() error { return c1.setWeights(hk(55), []uint16{0}, []uint16{1}, key0) })
}

// test_weights_err_setting_weights_too_fast
func TestWeightsErrSettingWeightsTooFast(t *testing.T) {
	c := newChain(13, 0)
	c.hyper.CommitRevealWeightsEnabled = false
	c.hyper.MinAllowedWeights = 0
	me := c.register(hk(55))
	c.register(hk(1))
	c.register(hk(2))
	c.permits[me] = true
	c.hyper.WeightsSetRateLimit = 10
	require.NoError(t, c.setWeights(hk(55), []uint16{1, 2}, []uint16{1, 2}, 0)) // LastUpdate 0 still counts as never
	c.block = 1
	for i := uint64(1); i < 100; i++ {
		if i%10 == 1 {
			require.NoError(t, c.setWeights(hk(55), []uint16{1, 2}, []uint16{1, 2}, 0), "block %d", i)
		} else {
			c.mustFail(t, ErrSettingWeightsTooFast, func() error { return c.setWeights(hk(55), []uint16{1, 2}, []uint16{1, 2}, 0) })
		}
		c.block = i + 1
	}
}

// test_weights_err_weights_vec_not_equal_size: the reveal fails.
func TestWeightsErrWeightsVecNotEqualSize(t *testing.T) {
	c := newChain(13, 0)
	me := c.register(hk(55))
	c.permits[me] = true
	err := c.commitRevealSetWeights(hk(55), []uint16{1, 2, 3, 4, 5, 6}, []uint16{1, 2, 3, 4, 5}, salt8(1), 0)
	assert.ErrorIs(t, err, ErrWeightVecNotEqualSize)
}

// test_weights_err_has_duplicate_ids
func TestWeightsErrHasDuplicateIds(t *testing.T) {
	c := newChain(13, 0)
	me := c.register(hk(666))
	c.permits[me] = true
	c.stake[hk(666)] = 1
	c.register(hk(1))
	c.register(hk(2))
	c.register(hk(3))
	err := c.commitRevealSetWeights(hk(666), []uint16{1, 1, 1}, []uint16{1, 2, 3}, salt8(1), 0)
	assert.ErrorIs(t, err, ErrDuplicateUids)
}

// test_no_signature has no counterpart: a WeightCaller is always signed.

// test_set_weights_err_not_active: a hotkey that is not registered cannot
// commit.
func TestSetWeightsErrNotActive(t *testing.T) {
	c := newChain(13, 0)
	c.register(hk(666))
	err := c.commitRevealSetWeights(hk(1), []uint16{0}, []uint16{1}, salt8(1), 0)
	assert.ErrorIs(t, err, ErrHotKeyNotRegisteredInSubNet)
}

// test_set_weights_err_invalid_uid
func TestSetWeightsErrInvalidUID(t *testing.T) {
	c := newChain(13, 0)
	me := c.register(hk(55))
	c.permits[me] = true
	err := c.commitRevealSetWeights(hk(55), []uint16{9999}, []uint16{88}, salt8(1), 0)
	assert.ErrorIs(t, err, ErrUidVecContainInvalidOne)
}

// test_set_weight_not_enough_values
func TestSetWeightNotEnoughValues(t *testing.T) {
	c := newChain(13, 0)
	c.hyper.CommitRevealWeightsEnabled = false
	me := c.register(hk(1))
	c.permits[me] = true
	c.register(hk(3))
	c.hyper.MinAllowedWeights = 2
	c.mustFail(t, ErrWeightVecLengthIsLow, func() error { return c.setWeights(hk(1), []uint16{1}, []uint16{88}, 0) })
	require.NoError(t, c.setWeights(hk(1), []uint16{0}, []uint16{88}, 0)) // the self weight
	c.hyper.MinAllowedWeights = 1
	require.NoError(t, c.commitRevealSetWeights(hk(1), []uint16{0, 1}, []uint16{10, 10}, salt8(1), 0))
}

// test_set_weight_too_many_uids
func TestSetWeightTooManyUids(t *testing.T) {
	c := newChain(13, 0)
	c.hyper.CommitRevealWeightsEnabled = false
	me := c.register(hk(1))
	c.permits[me] = true
	c.register(hk(3))
	c.hyper.MinAllowedWeights = 2
	c.mustFail(t, ErrUidsLengthExceedUidsInSubNet, func() error {
		return c.setWeights(hk(1), []uint16{0, 1, 2, 3, 4}, []uint16{88, 102, 303, 1212, 11}, 0)
	})
	require.NoError(t, c.setWeights(hk(1), []uint16{0, 1}, []uint16{10, 10}, 0))
}

// test_set_weights_sum_larger_than_u16_max: the stored row is max-upscaled.
func TestSetWeightsSumLargerThanU16Max(t *testing.T) {
	c := newChain(13, 0)
	me := c.register(hk(1))
	c.permits[me] = true
	c.register(hk(3))
	c.hyper.MinAllowedWeights = 2
	require.NoError(t, c.commitRevealSetWeights(hk(1), []uint16{0, 1}, []uint16{math.MaxUint16, math.MaxUint16}, salt8(1), 0))
	assert.Equal(t, []consensus.Entry{{UID: 0, Value: 65535}, {UID: 1, Value: 65535}}, c.ws.Row(0, me))
}

// test_check_length_allows_singleton, test_check_length_weights_length_exceeds_min_allowed,
// test_check_length_to_few_weights: check_length through set_weights'
// WeightVecLengthIsLow, with n = 3 and min_allowed_weights as there.
func TestCheckLength(t *testing.T) {
	c := newChain(13, 0)
	c.hyper.CommitRevealWeightsEnabled = false
	for i := range uint64(3) {
		c.permits = append(c.permits, true)
		c.hotkeys = append(c.hotkeys, hk(10+i))
	}
	// singleton self weight with min allowed 1: allowed.
	c.hyper.MinAllowedWeights = 1
	require.NoError(t, c.setWeights(hk(11), []uint16{1}, []uint16{1}, 0))
	// min allowed 3 = n: three weights are enough.
	c.hyper.MinAllowedWeights = 3
	require.NoError(t, c.setWeights(hk(10), []uint16{0, 1, 2}, []uint16{1, 2, 3}, 0))
	// min allowed 3, two non-self weights: too few.
	c.mustFail(t, ErrWeightVecLengthIsLow, func() error { return c.setWeights(hk(12), []uint16{0, 1}, []uint16{1, 2}, 0) })
	// min allowed above n is capped at n (check_length's min).
	c.hyper.MinAllowedWeights = 100
	require.NoError(t, c.setWeights(hk(12), []uint16{0, 1, 2}, []uint16{1, 2, 3}, 0))
}

// test_max_weight_limited_allow_self_weights_to_exceed_max_weight_limit,
// test_max_weight_limited_when_weight_limit_is_u16_max, and
// test_get_max_weight_limit_is_constant.
func TestMaxWeightLimited(t *testing.T) {
	assert.True(t, maxWeightLimited(1, []uint16{1}, []uint16{65535}, 0), "self weight")
	assert.True(t, maxWeightLimited(1, []uint16{0, 2}, []uint16{65535, 65535}, 65535), "limit u16::MAX")
	assert.False(t, maxWeightLimited(1, []uint16{0, 2}, []uint16{1, 101}, 100))
	assert.True(t, maxWeightLimited(1, []uint16{0, 2}, []uint16{1, 100}, 100))
	assert.Equal(t, uint16(65535), MaxWeightLimit)
}

// test_is_self_weight_weights_length_not_one, test_is_self_weight_uid_not_in_uids,
// test_is_self_weight_uid_in_uids.
func TestIsSelfWeight(t *testing.T) {
	assert.False(t, isSelfWeight(1, []uint16{1, 2}, []uint16{1, 2}))
	assert.False(t, isSelfWeight(3, []uint16{1}, []uint16{1}))
	assert.True(t, isSelfWeight(1, []uint16{1}, []uint16{1}))
	assert.False(t, isSelfWeight(1, nil, []uint16{1}), "no uid")
}

// test_check_len_uids_within_allowed_within_network_pool and
// _not_within_network_pool: through UidsLengthExceedUidsInSubNet.
func TestCheckLenUidsWithinAllowed(t *testing.T) {
	c := newChain(13, 0)
	c.hyper.CommitRevealWeightsEnabled = false
	c.hyper.MinAllowedWeights = 0
	for i := range uint64(3) {
		c.permits = append(c.permits, true)
		c.hotkeys = append(c.hotkeys, hk(10+i))
	}
	require.NoError(t, c.setWeights(hk(10), []uint16{0, 1, 2}, []uint16{1, 1, 1}, 0))
	c.mustFail(t, ErrUidsLengthExceedUidsInSubNet, func() error {
		return c.setWeights(hk(11), []uint16{0, 1, 2, 3}, []uint16{1, 1, 1, 1}, 0)
	})
}

// test_set_weights_commit_reveal_enabled_error
func TestSetWeightsCommitRevealEnabledError(t *testing.T) {
	c := newChain(1, 0)
	c.register(hk(1))
	c.hyper.CommitRevealWeightsEnabled = true
	c.mustFail(t, ErrCommitRevealEnabled, func() error { return c.setWeights(hk(1), []uint16{0}, []uint16{1}, 0) })
	c.hyper.CommitRevealWeightsEnabled = false
	require.NoError(t, c.setWeights(hk(1), []uint16{0}, []uint16{1}, 0))
}

// test_subnet_owner_can_validate_without_stake_or_manual_permit
func TestSubnetOwnerCanValidateWithoutStakeOrManualPermit(t *testing.T) {
	c := newChain(13, 0)
	c.hyper.CommitRevealWeightsEnabled = false
	owner := c.register(hk(10))
	c.owner, c.hasOwner = hk(10), true
	other := c.register(hk(20))
	c.stake[hk(20)] = 1_000_000_000
	c.threshold = 1
	c.mustFail(t, ErrNeuronNoValidatorPermit, func() error {
		return c.setWeights(hk(20), []uint16{uint16(owner)}, []uint16{1}, 0)
	})
	require.NoError(t, c.setWeights(hk(10), []uint16{uint16(other)}, []uint16{1}, 0))
}

// Every error path of SetWeights, in the chain's order: each case breaks
// exactly one check of a call that otherwise succeeds, and checks before
// it pass, so the error names the first failing check.
func TestSetWeightsErrorTable(t *testing.T) {
	type setup struct {
		env  *WeightEnv
		who  WeightCaller
		mech uint8
		uids []uint16
		vals []uint16
		vk   uint64
		ws   WeightState
	}
	base := func() setup {
		h := DefaultHyperparameters()
		h.CommitRevealWeightsEnabled = false
		h.MinAllowedWeights = 2
		h.WeightsVersionKey = 5
		h.MechanismCount = 2
		env := &WeightEnv{NetUID: 3, N: 4, Block: 1000, ValidatorPermit: []bool{false, true, false, false},
			StakeThreshold: 10, Hyper: h}
		s := setup{env: env, who: WeightCaller{Hotkey: hk(7), Registered: true, UID: 1, Stake: 10},
			uids: []uint16{0, 2}, vals: []uint16{1, 2}, vk: 5}
		s.ws.AppendNeuron(&WeightEnv{N: 2, Block: 800, Hyper: h}) // uid 1's LastUpdate: block 800
		return s
	}
	cases := []struct {
		name   string
		mutate func(*setup)
		want   error
	}{
		{"ok", func(*setup) {}, nil},
		{"commit-reveal on", func(s *setup) { s.env.Hyper.CommitRevealWeightsEnabled = true; s.env.NetUID = 0 }, ErrCommitRevealEnabled},
		{"root", func(s *setup) { s.env.NetUID = 0; s.vals = nil }, ErrCanNotSetRootNetworkWeights},
		{"lengths", func(s *setup) { s.vals = []uint16{1}; s.mech = 9 }, ErrWeightVecNotEqualSize},
		{"mechanism", func(s *setup) { s.mech = 2; s.uids, s.vals = make([]uint16, 5), make([]uint16, 5) }, ErrMechanismDoesNotExist},
		{"too many uids", func(s *setup) { s.uids, s.vals = make([]uint16, 5), make([]uint16, 5); s.who.Registered = false }, ErrUidsLengthExceedUidsInSubNet},
		{"not registered", func(s *setup) { s.who.Registered = false; s.who.Stake = 0 }, ErrHotKeyNotRegisteredInSubNet},
		{"stake", func(s *setup) { s.who.Stake = 9; s.vk = 0 }, ErrNotEnoughStakeToSetWeights},
		{"owner needs no stake", func(s *setup) { s.who.Stake = 0; s.env.HasOwner, s.env.OwnerUID = true, 1 }, nil},
		{"version key", func(s *setup) { s.vk = 4; s.env.Block = 801 }, ErrIncorrectWeightVersionKey},
		{"version key 0 accepts any", func(s *setup) { s.vk = 0; s.env.Hyper.WeightsVersionKey = 0 }, nil},
		{"rate limit", func(s *setup) { s.env.Block = 899; s.env.ValidatorPermit = nil }, ErrSettingWeightsTooFast},
		{"rate limit boundary", func(s *setup) { s.env.Block = 900 }, nil},
		{"permit", func(s *setup) { s.env.ValidatorPermit = nil; s.uids = []uint16{0, 0} }, ErrNeuronNoValidatorPermit},
		{"self weight needs no permit", func(s *setup) { s.env.ValidatorPermit = nil; s.uids, s.vals = []uint16{1}, []uint16{3} }, nil},
		{"owner needs no permit", func(s *setup) { s.env.ValidatorPermit = nil; s.env.HasOwner, s.env.OwnerUID = true, 1 }, nil},
		{"duplicates", func(s *setup) { s.uids = []uint16{2, 2}; s.vals = []uint16{1, 1} }, ErrDuplicateUids},
		{"invalid uid", func(s *setup) { s.uids = []uint16{0, 4} }, ErrUidVecContainInvalidOne},
		{"too few", func(s *setup) { s.uids, s.vals = []uint16{0}, []uint16{1} }, ErrWeightVecLengthIsLow},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := base()
			tc.mutate(&s)
			before := s.ws.Clone()
			err := s.ws.SetWeights(s.env, s.who, s.mech, s.uids, s.vals, s.vk)
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, s.env.Block, s.ws.LastUpdateFor(s.mech, s.who.UID))
				return
			}
			require.ErrorIs(t, err, tc.want)
			assert.Equal(t, tc.want.(*units.ChainError).ChainName(), units.ChainName(err))
			assert.True(t, before.Equal(&s.ws), "state changed")
		})
	}
}

// A successful set stores the row max-upscaled in the given order and sets
// LastUpdate on that mechanism only.
func TestSetWeightsStoresRow(t *testing.T) {
	h := DefaultHyperparameters()
	h.CommitRevealWeightsEnabled = false
	h.MechanismCount = 2
	env := &WeightEnv{NetUID: 1, N: 3, Block: 42, ValidatorPermit: []bool{true}, Hyper: h}
	var s WeightState
	who := WeightCaller{Registered: true, UID: 0}
	require.NoError(t, s.SetWeights(env, who, 1, []uint16{2, 1}, []uint16{1, 2}, 0))
	assert.Equal(t, []consensus.Entry{{UID: 2, Value: 32768}, {UID: 1, Value: 65535}}, s.Row(1, 0))
	assert.Nil(t, s.Row(0, 0))
	assert.Equal(t, []uint64{42, 0, 0}, s.LastUpdate(1))
	assert.Equal(t, uint64(0), s.LastUpdateFor(0, 0))
}

// An empty row (MinAllowedWeights 0) is no row: set last, it leaves no
// trailing empty row behind; set before a stored row, it stays as an
// empty one; a non-empty row stored before the last keeps the rows as
// they are.
func TestSetWeightsEmptyRowTrimmed(t *testing.T) {
	h := DefaultHyperparameters()
	h.CommitRevealWeightsEnabled = false
	h.MinAllowedWeights = 0
	h.WeightsSetRateLimit = 0
	env := &WeightEnv{NetUID: 1, N: 4, Block: 42, ValidatorPermit: []bool{true, true, true, true}, Hyper: h}
	var s WeightState
	at := func(uid units.UID) WeightCaller { return WeightCaller{Registered: true, UID: uid} }
	require.NoError(t, s.SetWeights(env, at(2), 0, nil, nil, 0))
	assert.Empty(t, s.Rows(0))
	require.NoError(t, s.SetWeights(env, at(2), 0, []uint16{0}, []uint16{7}, 0))
	require.NoError(t, s.SetWeights(env, at(0), 0, []uint16{1, 3}, []uint16{1, 1}, 0))
	require.Len(t, s.Rows(0), 3)
	require.NoError(t, s.SetWeights(env, at(0), 0, nil, nil, 0))
	require.Len(t, s.Rows(0), 3)
	assert.Empty(t, s.Row(0, 0))
	require.NoError(t, s.SetWeights(env, at(2), 0, []uint16{}, []uint16{}, 0))
	assert.Empty(t, s.Rows(0))
	require.NoError(t, s.SetWeights(env, at(3), 0, []uint16{1}, []uint16{5}, 0))
	require.NoError(t, s.SetWeights(env, at(1), 0, []uint16{0}, []uint16{5}, 0))
	assert.Len(t, s.Rows(0), 4)
	assert.Equal(t, []consensus.Entry{{UID: 0, Value: 65535}}, s.Row(0, 1))
}

// ReplaceNeuron is clear_neuron's weights part and replace_neuron's
// LastUpdate (subnets/uids.rs).
func TestReplaceNeuron(t *testing.T) {
	h := DefaultHyperparameters()
	h.CommitRevealWeightsEnabled = false
	env := &WeightEnv{NetUID: 1, N: 3, Block: 10, ValidatorPermit: []bool{true, true, true}, Hyper: h}
	var s WeightState
	require.NoError(t, s.SetWeights(env, WeightCaller{Registered: true, UID: 0}, 0, []uint16{1, 2}, []uint16{5, 10}, 0))
	require.NoError(t, s.SetWeights(env, WeightCaller{Registered: true, UID: 1}, 0, []uint16{0, 2}, []uint16{5, 10}, 0))
	env.Block = 20
	s.ReplaceNeuron(env, 1)
	assert.Equal(t, []consensus.Entry{{UID: 1, Value: 0}, {UID: 2, Value: 65535}}, s.Row(0, 0))
	assert.Nil(t, s.Row(0, 1))
	assert.Equal(t, []uint64{10, 20, 0}, s.LastUpdate(0))
}

// TruncateMechanisms drops the removed mechanisms' storage
// (update_mechanism_counts_if_needed).
func TestTruncateMechanisms(t *testing.T) {
	h := DefaultHyperparameters()
	h.CommitRevealWeightsEnabled = false
	h.MechanismCount = 2
	env := &WeightEnv{NetUID: 1, N: 1, Block: 10, ValidatorPermit: []bool{true}, Hyper: h}
	var s WeightState
	require.NoError(t, s.SetWeights(env, WeightCaller{Registered: true}, 1, []uint16{0}, []uint16{1}, 0))
	s.TruncateMechanisms(1)
	assert.Nil(t, s.Row(1, 0))
	assert.Nil(t, s.LastUpdate(1))
	assert.True(t, s.Equal(&WeightState{}))
}

// Port of subtensor pallets/subtensor/src/tests/math.rs::test_vec_u16_max_upscale_to_u16
// @14bc6f9f964b9cc362e9635dd110a487fa5d15a0 (exact), plus ties from
// substrate-fixed's round(), which vec_u16_max_upscale_to_u16 calls: to
// nearest, ties away from zero. (Moved from package consensus.)
func TestMaxUpscaleWeights(t *testing.T) {
	cases := []struct{ in, want []uint16 }{
		{nil, nil},
		{[]uint16{}, nil},
		{[]uint16{0}, []uint16{0}},
		{[]uint16{0, 0}, []uint16{0, 0}},
		{[]uint16{1}, []uint16{65535}},
		{[]uint16{0, 1}, []uint16{0, 65535}},
		{[]uint16{65534}, []uint16{65535}},
		{[]uint16{65535}, []uint16{65535}},
		{[]uint16{65535, 65535}, []uint16{65535, 65535}},
		{[]uint16{0, 1, 65534}, []uint16{0, 1, 65535}},
		{[]uint16{0, 1, 2, 3, 4, 65533, 65535}, []uint16{0, 1, 2, 3, 4, 65533, 65535}},
		// max ≤ 32768: v·65535/max, then round; 1·65535/2 = 32767.5 → 32768.
		{[]uint16{1, 2}, []uint16{32768, 65535}},
		// test_bonds' weights are already max-upscaled.
		{[]uint16{16383, 32767, 49149, 65535}, []uint16{16383, 32767, 49149, 65535}},
		// test_outdated_weights: [2·(65535/3), 65535/3] → [65535, 32768].
		{[]uint16{43690, 21845}, []uint16{65535, 32768}},
	}
	for _, c := range cases {
		got := MaxUpscaleWeights(nil, c.in)
		if len(c.want) == 0 {
			assert.Empty(t, got, "%v", c.in)
			continue
		}
		assert.Equal(t, c.want, got, "%v", c.in)
	}
}

// Errors are the chain's, by name, through errors.Is.
func TestWeightErrorNames(t *testing.T) {
	for err, name := range map[error]string{
		ErrCommitRevealEnabled: "CommitRevealEnabled", ErrSettingWeightsTooFast: "SettingWeightsTooFast",
		ErrRevealTooEarly: "RevealTooEarly", ErrExpiredWeightCommit: "ExpiredWeightCommit",
		ErrInvalidRevealCommitHashNotMatch: "InvalidRevealCommitHashNotMatch",
	} {
		assert.Equal(t, name, units.ChainName(err))
		assert.True(t, errors.Is(err, err))
	}
}
