package subnet

import (
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Now is the moment a weight call or an epoch runs at.
type Now struct {
	// Block is the current block number.
	Block uint64
	// Epoch is the epoch the commit-reveal rules judge commits by
	// (subnets/weights.rs current_epoch_with_lookahead): the subnet's
	// SubnetEpochIndex (emission.Schedule.EpochIndex), plus one when its
	// epoch is due at Block and has not run yet (emission.Schedule.Due).
	// For RunEpoch, which runs after the schedule has counted the epoch,
	// it is the counted SubnetEpochIndex. Only commit-reveal reads it:
	// with commit-reveal off it may be left 0.
	Epoch uint64
}

// Signer is the hotkey that signs a weight extrinsic, with its stake
// weight on the subnet (TotalStake of its inherited alpha and root TAO:
// the ledger owns stake). The subnet finds its uid. The weight rules read
// Stake only to compare it with Globals.StakeThreshold
// (check_weights_min_stake): with a threshold of 0 every stake passes,
// and a caller may leave Stake 0.
type Signer struct {
	Hotkey units.AccountID
	Stake  uint64
}

// TotalStake is a hotkey's stake weight on a subnet, the number
// StakeThreshold is compared with and the epoch weighs validators by
// (staking/stake_utils.rs get_stake_weights_for_hotkey_on_subnet):
// alpha + tao × TaoWeight/(2^64−1) in I64F64, saturating, floored to an
// integer. alpha and tao are the hotkey's inherited stakes
// (consensus.Inherited).
func TotalStake(alpha units.Alpha, tao units.TAO, taoWeight uint64) uint64 {
	tw := fixed.U96F32FromU64Proportion(taoWeight).SaturatingToI64F64()
	return fixed.I64F64FromUint64(uint64(alpha)).
		SaturatingAdd(fixed.I64F64FromUint64(uint64(tao)).SaturatingMul(tw)).SaturatingToUint64()
}

// caller is the WeightCaller of a signer: its uid from Uids.
func (s *Subnet) caller(who Signer) WeightCaller {
	uid, ok := s.UID(who.Hotkey)
	return WeightCaller{Hotkey: who.Hotkey, Registered: ok, UID: uid, Stake: who.Stake}
}

// SetWeights is set_weights (mech 0) and set_mechanism_weights: the
// checks and storage of WeightState.SetWeights, with the environment —
// neuron count, permits, owner, stake threshold, hyperparameters — taken
// from the subnet. It reads at.Block only: no rule of set_weights reads
// the epoch, so at.Epoch may be left 0. An error changes nothing.
func (s *Subnet) SetWeights(at Now, who Signer, mech uint8, uids, values []uint16, versionKey uint64) error {
	var env WeightEnv
	s.fillWeightEnv(&env, at.Block, at.Epoch)
	return s.Weights.SetWeights(&env, s.caller(who), mech, uids, values, versionKey)
}

// CommitWeights is commit_weights and commit_mechanism_weights: see
// WeightState.CommitWeights. An error changes nothing.
func (s *Subnet) CommitWeights(at Now, who Signer, mech uint8, hash [32]byte) error {
	env := s.weightEnv(at.Block, at.Epoch)
	return s.Weights.CommitWeights(&env, s.caller(who), mech, hash)
}

// RevealWeights is reveal_weights and reveal_mechanism_weights: see
// WeightState.RevealWeights. An error changes nothing.
func (s *Subnet) RevealWeights(at Now, who Signer, mech uint8, uids, values, salt []uint16, versionKey uint64) error {
	env := s.weightEnv(at.Block, at.Epoch)
	return s.Weights.RevealWeights(&env, s.caller(who), mech, uids, values, salt, versionKey)
}

// BatchRevealWeights is batch_reveal_weights: see
// WeightState.BatchRevealWeights. An error changes nothing.
func (s *Subnet) BatchRevealWeights(at Now, who Signer, uidsList, valuesList, saltsList [][]uint16, versionKeys []uint64) error {
	env := s.weightEnv(at.Block, at.Epoch)
	return s.Weights.BatchRevealWeights(&env, s.caller(who), uidsList, valuesList, saltsList, versionKeys)
}

// CommitTimelockedWeights is commit_timelocked_weights and
// commit_timelocked_mechanism_weights, with the ciphertext represented by
// its plaintext w: see WeightState.CommitTimelockedWeights; version must
// be Globals.CommitRevealVersion. An error changes nothing.
func (s *Subnet) CommitTimelockedWeights(at Now, who Signer, mech uint8, w TimelockedWeights, revealRound uint64, version uint16) error {
	env := s.weightEnv(at.Block, at.Epoch)
	return s.Weights.CommitTimelockedWeights(&env, s.caller(who), mech, w, revealRound, version)
}

// RevealTimelockedCommits is reveal_crv3_commits_for_subnet
// (coinbase/reveal_commits.rs), run at the start of a block: see
// WeightState.RevealTimelockedCommits. stake gives a committer's stake
// weight (nil: 0 for all), pulse whether drand has published a round
// (nil: none). It returns the number of commits revealed.
func (s *Subnet) RevealTimelockedCommits(at Now, stake func(units.AccountID) uint64, pulse func(round uint64) bool) int {
	env := s.weightEnv(at.Block, at.Epoch)
	lookup := func(h units.AccountID) WeightCaller {
		var st uint64
		if stake != nil {
			st = stake(h)
		}
		return s.caller(Signer{Hotkey: h, Stake: st})
	}
	return s.Weights.RevealTimelockedCommits(&env, lookup, pulse)
}
