package consensus_test

import (
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Bit-level values of tests/epoch.rs::test_yuma_3_kappa_moves_first, derived
// by hand from run_epoch.rs epoch_mechanism (not asserted by the Rust test,
// which compares dividends within 1e-3 only).
func TestSpecYuma3KappaMovesFirstBits(t *testing.T) {
	s := newYuma3(t, []uint64{8, 1, 1, 0, 0})
	s.setYuma3Weights(rep(toFirst, 3), servers)
	s.nextBlock()
	out := s.epoch(t)
	assert.Equal(t, []uint16{52428, 6553, 6553, 0, 0}, out.Dividends)
	assert.Equal(t, []units.Alpha{400000000, 49999999, 49999999, 500000000, 0}, out.Emission)
	for v := range 3 {
		assert.Equal(t, []consensus.Entry{{3, 6640}}, out.Bonds[v])
	}

	s.setYuma3Weights([][]uint16{toSecond, toFirst, toFirst}, servers)
	s.nextBlock()
	out = s.epoch(t)
	assert.Equal(t, []uint16{65535, 0, 0, 0, 0}, out.Dividends)
	assert.Equal(t, []consensus.Entry{{3, 5951}, {4, 6640}}, out.Bonds[0])
	assert.Equal(t, []consensus.Entry{{3, 24229}}, out.Bonds[1])
	assert.Equal(t, []consensus.Entry{{3, 24229}}, out.Bonds[2])

	s.setYuma3Weights([][]uint16{toSecond, toSecond, toFirst}, servers)
	s.nextBlock()
	out = s.epoch(t)
	assert.Equal(t, []uint16{61486, 4048, 0, 0, 0}, out.Dividends)
	assert.Equal(t, []units.Alpha{469114009, 30885990, 0, 0, 500000000}, out.Emission)

	s.setYuma3Weights(rep(toSecond, 3), servers)
	for range 3 {
		s.nextBlock()
		out = s.epoch(t)
	}
	assert.Equal(t, []uint16{55170, 5795, 4569, 0, 0}, out.Dividends)
	assert.Equal(t, []consensus.Entry{{3, 3853}, {4, 27120}}, out.Bonds[0])
	assert.Equal(t, []consensus.Entry{{3, 14133}, {4, 22789}}, out.Bonds[1])
	assert.Equal(t, []consensus.Entry{{3, 20244}, {4, 17970}}, out.Bonds[2])
}

// run_epoch.rs compute_liquid_alpha_values_sparse and math.rs
// mat_ema_alpha_sparse: with BondsPenalty 65535, a Yuma 3 liquid-alpha bond to a
// miner whose consensus is 0 is dropped in one epoch, not decayed, and no
// bond to a zero-consensus miner is created.
func TestSpecSparseDropsZeroConsensusBonds(t *testing.T) {
	s := newYuma3(t, []uint64{8, 1, 1, 0, 0})
	s.in.BondsPenalty = 65535
	s.setYuma3Weights(rep(toFirst, 3), servers)
	s.nextBlock()
	out := s.epoch(t)
	for v := range 3 {
		require.Equal(t, []consensus.Entry{{3, 6640}}, out.Bonds[v])
	}
	s.setWeights(1, []uint16{4}, []uint16{65535})
	s.nextBlock()
	out = s.epoch(t)
	assert.Empty(t, out.Bonds[1])
}

// Port of subtensor pallets/subtensor/src/tests/epoch.rs::test_can_set_self_weight_as_subnet_owner
// @14bc6f9f964b9cc362e9635dd110a487fa5d15a0: the owner's self-weight survives
// the diagonal mask and both uids earn the same non-zero incentive. (The
// rest of the subnet's setup does not enter the assertion; chain defaults.)
func TestOwnerSelfWeight(t *testing.T) {
	for _, yuma3 := range []bool{false, true} {
		s := newSubnet(2, 360, []uint64{5_000_000_000_000, 0}, 1)
		s.in.Yuma3 = yuma3
		s.in.HasOwner, s.in.OwnerUID = true, 0
		s.in.ValidatorPermit = []bool{true, false}
		s.in.Weights[0] = []consensus.Entry{{0, 65535 / 2}, {1, 65535 / 2}}
		s.in.CurrentBlock = 2
		s.in.LastUpdate = []uint64{2, 0}
		out := s.epoch(t)
		assert.Positive(t, out.ServerEmission[0])
		assert.Positive(t, out.ServerEmission[1])
		assert.Equal(t, out.ServerEmission[0], out.ServerEmission[1])
		// Without an owner the self-weight is masked and uid 1 takes it all.
		s.in.HasOwner = false
		out = s.epoch(t)
		assert.Zero(t, out.ServerEmission[0])
	}
}

// Commit-reveal column mask (run_epoch.rs epoch_mechanism,
// vec_mask_sparse_matrix on commit_blocks): weights of a validator
// whose live commit predates a uid's registration do not reach that uid;
// u64::MAX means no live commit.
func TestCommitRevealMask(t *testing.T) {
	s := newSubnet(3, 360, []uint64{1e9, 0, 0}, 10)
	s.in.ValidatorPermit = []bool{true, false, false}
	s.in.BlockAtRegistration = []uint64{10, 10, 50}
	s.in.CurrentBlock = 60
	s.in.LastUpdate = []uint64{55, 10, 50}
	s.in.Weights[0] = []consensus.Entry{{1, 65535}, {2, 65535}}
	out := s.epoch(t)
	assert.Equal(t, []uint16{0, 32767, 32767}, out.Incentive)

	s.in.CommitBlocks = []uint64{40, ^uint64(0), ^uint64(0)} // committed before uid 2 registered
	out = s.epoch(t)
	assert.Equal(t, []uint16{0, 65535, 0}, out.Incentive)

	s.in.CommitBlocks = []uint64{50, ^uint64(0), ^uint64(0)} // not before: kept
	out = s.epoch(t)
	assert.Equal(t, []uint16{0, 32767, 32767}, out.Incentive)
}

// The owner is exempt from the stake threshold and always holds a permit.
func TestStakeThresholdAndOwner(t *testing.T) {
	s := newSubnet(3, 360, []uint64{100, 5, 1000}, 1)
	s.in.StakeThreshold = 50
	out := s.epoch(t)
	assert.Equal(t, []bool{true, false, true}, out.ValidatorPermit)
	assert.Zero(t, out.StakeWeight[1])
	s.in.HasOwner, s.in.OwnerUID = true, 1
	out = s.epoch(t)
	assert.Equal(t, []bool{true, true, true}, out.ValidatorPermit)
	assert.Positive(t, out.StakeWeight[1])
}

// TaoWeight adds root stake: tao·TaoWeight/(2^64−1).
func TestTaoWeight(t *testing.T) {
	s := newSubnet(2, 360, []uint64{1000, 0}, 1)
	s.in.TaoStake = []units.TAO{0, 2000}
	s.in.TaoWeight = ^uint64(0) / 2 // ≈ 0.5
	out := s.epoch(t)
	// U96F32 keeps 32 fractional bits of the weight, so uid 1's stake is
	// just under 1000 and floors to 999.
	assert.Equal(t, []uint64{1000, 999}, out.Stake)
}

// bondsScenario replays tests/epoch.rs::test_bonds up to the epoch after
// uid 2 moves all its weight to uid 7, with the given bonds penalty and
// Yuma path, and returns that epoch's output.
func bondsScenario(t *testing.T, penalty uint16, yuma3, liquid bool) *consensus.Output {
	const n = 8
	s := newSubnet(n, 1, []uint64{1, 2, 3, 4, 0, 0, 0, 0}, 1)
	s.in.MaxAllowedValidators = n
	s.in.BondsPenalty = penalty
	s.in.Yuma3, s.in.LiquidAlpha = yuma3, liquid
	s.epoch(t)
	s.nextBlock()
	for uid := range n / 2 {
		s.setWeights(uid, seq(n/2, n), []uint16{65535 / 4, 65535 / 2, (65535 / 4) * 3, 65535})
	}
	s.epoch(t)
	s.setWeights(2, []uint16{7}, []uint16{65535})
	s.nextBlock()
	s.epoch(t)
	s.nextBlock()
	out := s.epoch(t)
	cp := *out
	cp.Bonds = make([][]consensus.Entry, len(out.Bonds))
	for i, r := range out.Bonds {
		cp.Bonds[i] = append([]consensus.Entry(nil), r...)
	}
	return &cp
}

// A bonds penalty strictly between 0 and 1 interpolates raw and clipped
// weights (math.rs interpolate_sparse), so bonds differ from both ends, on
// both paths.
func TestBondsPenaltyInterpolation(t *testing.T) {
	for _, c := range []struct{ yuma3, liquid bool }{{false, false}, {true, false}, {true, true}} {
		mid := bondsScenario(t, 32767, c.yuma3, c.liquid)
		lo := bondsScenario(t, 0, c.yuma3, c.liquid)
		hi := bondsScenario(t, 65535, c.yuma3, c.liquid)
		assert.NotEqual(t, lo.Bonds[2], mid.Bonds[2], "yuma3 %v liquid %v", c.yuma3, c.liquid)
		assert.NotEqual(t, hi.Bonds[2], mid.Bonds[2], "yuma3 %v liquid %v", c.yuma3, c.liquid)
	}
}

// LastMechanismStepBlock sets the block after which a registration wipes
// bonds (run_epoch.rs epoch_mechanism, scalar_vec_mask_sparse_matrix at
// LastMechansimStepBlock + 1): replaying test_outdated_weights with the previous
// epoch at block 1 drops the bonds to the uid re-registered at block 2.
func TestLastMechanismStepBlockMasksBonds(t *testing.T) {
	const n = 4
	s := newSubnet(n, 0, []uint64{1, 1, 1, 1}, 1)
	s.in.MaxAllowedValidators = n
	s.epoch(t)
	s.nextBlock()
	for uid := range n / 2 {
		s.setWeights(uid, seq(n/2, n), []uint16{2 * (65535 / 3), 65535 / 3})
	}
	s.epoch(t)
	s.in.BlockAtRegistration[3] = s.in.CurrentBlock
	s.in.LastUpdate[3] = s.in.CurrentBlock
	s.in.AlphaStake[3] = 0
	s.in.Weights[3], s.in.Bonds[3] = nil, nil
	s.in.ValidatorPermit[3] = false
	s.nextBlock()
	s.setWeights(0, seq(n/2, n), []uint16{2 * (65535 / 3), 65535 / 3})
	s.in.LastMechanismStepBlock = 1 // last_tempo = 2 ≤ registration of uid 3
	before := append([]consensus.Entry(nil), s.in.Bonds[1]...)
	require.Contains(t, before, consensus.Entry{UID: 3, Value: s.bond(1, 3)})
	s.epoch(t)
	assert.Zero(t, s.bond(1, 3), "uid 1's bond to the re-registered uid 3")
	assert.Positive(t, s.bond(1, 2))
}
