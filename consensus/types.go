package consensus

import "github.com/dtao-go/dtao/fixed"

// Entry is one stored cell of a sparse weight or bond row: the column uid
// and the chain's u16 value (a weight as set_weights stored it, or a bond).
type Entry struct {
	UID   uint16
	Value uint16
}

// Input is the state one epoch of one mechanism reads (yuma.md §1.1). Every
// per-uid slice is indexed by uid; the chain's length is N, and shorter or
// longer slices are read as the chain reads its storage vectors: missing
// entries of LastUpdate, BlockAtRegistration, AlphaStake and TaoStake count
// as 0, missing ValidatorPermit entries count as "no permit" (but an empty
// ValidatorPermit leaves active stake unmasked, as on chain), and entries at
// or beyond N are ignored.
type Input struct {
	// N is SubnetworkN, the number of uids. Every uid below N is taken to
	// hold a registered hotkey.
	N uint16
	// CurrentBlock is the block number the epoch runs at.
	CurrentBlock uint64
	// Tempo is the subnet's tempo in blocks.
	Tempo uint16
	// ActivityCutoffFactorMilli scales the tempo into the activity cutoff:
	// cutoff = max(1, factor·tempo/1000) blocks. The chain's default is
	// 13889 (use DefaultActivityCutoffFactorMilli).
	ActivityCutoffFactorMilli uint32
	// LastUpdate is the block at which each uid last set (or committed)
	// weights on this mechanism.
	LastUpdate []uint64
	// BlockAtRegistration is the block at which each uid was registered.
	BlockAtRegistration []uint64
	// AlphaStake is each uid's inherited alpha stake on the subnet, in rao
	// of alpha (see Inherited for the parent/child rule).
	AlphaStake []uint64
	// TaoStake is each uid's inherited root stake, in rao of TAO.
	TaoStake []uint64
	// TaoWeight is the global TaoWeight, in parts of 2^64−1: total stake is
	// alpha + tao·TaoWeight/(2^64−1).
	TaoWeight uint64
	// StakeThreshold is the minimum total stake in rao for a uid's stake to
	// count (the owner's uid is exempt).
	StakeThreshold uint64
	// ValidatorPermit holds the permits written by the previous epoch.
	ValidatorPermit []bool
	// MaxAllowedValidators is K, the number of top-stake uids that receive a
	// permit for the next epoch.
	MaxAllowedValidators uint16
	// Kappa is the consensus majority as a u16 proportion (x/65535); the
	// chain default is 32767.
	Kappa uint16
	// BondsPenalty is β as a u16 proportion: 0 bonds on raw weights,
	// 65535 bonds on consensus-clipped weights.
	BondsPenalty uint16
	// BondsMovingAverage is in parts of 1e6; the EMA rate is
	// α = 1 − BondsMovingAverage/1e6.
	BondsMovingAverage uint64
	// Yuma3 selects the Yuma 3 bond path (absolute bonds, dividends scaled
	// by active stake) instead of the original EMA bonds.
	Yuma3 bool
	// LiquidAlpha turns on the per-pair sigmoid EMA rate (Yuma 3 only).
	LiquidAlpha bool
	// AlphaLow and AlphaHigh are AlphaValues as u16 proportions; the
	// chain defaults are 45875 and 58982.
	AlphaLow, AlphaHigh uint16
	// AlphaSigmoidSteepness is the liquid-alpha steepness; default 1000.
	AlphaSigmoidSteepness int16
	// HasOwner reports whether the subnet owner's hotkey is registered;
	// OwnerUID is then its uid. The owner keeps its self-weight, always
	// holds a permit and is exempt from StakeThreshold.
	HasOwner bool
	OwnerUID uint16
	// Weights are the stored weight rows, in stored order: Weights[i] are
	// the (uid, u16) pairs validator i set. Rows at or beyond N and entries
	// whose uid is at or beyond N are ignored.
	Weights [][]Entry
	// Bonds are the stored bond rows: column max-upscaled u16 for the
	// original path, u16 proportions (x/65535) for Yuma 3.
	Bonds [][]Entry
	// LastMechanismStepBlock is the block of the previous successful epoch
	// (LastMechansimStepBlock on chain), 0 when there was none; it sets the
	// block after which a registration wipes bonds to that uid.
	LastMechanismStepBlock uint64
	// CommitBlocks holds per uid the block of its earliest live weight
	// commit (commit-reveal on), or math.MaxUint64 for none; weights of uid
	// i to uid j are dropped when CommitBlocks[i] < BlockAtRegistration[j].
	// A uid it does not reach (nil: commit-reveal off) has no live commit,
	// as the chain starts the vector at u64::MAX for every uid.
	CommitBlocks []uint64
	// Emission is the alpha, in rao, this mechanism distributes.
	Emission uint64
}

// Chain defaults of the hyperparameters an Input carries.
const (
	DefaultActivityCutoffFactorMilli = 13889
	DefaultKappa                     = 32767
	DefaultBondsPenalty              = 65535
	DefaultBondsMovingAverage        = 900_000
	DefaultAlphaLow                  = 45875
	DefaultAlphaHigh                 = 58982
	DefaultAlphaSigmoidSteepness     = 1000
)

// Output is what one epoch of one mechanism writes (yuma.md §1.11). Every
// slice has length N, is indexed by uid and is non-nil after an epoch (empty
// for N = 0). u16 outputs are proportions
// quantised as floor(x·65535); amounts are rao of alpha.
type Output struct {
	// Consensus is the κ stake-weighted median weight of each uid.
	Consensus []uint16
	// Incentive is each uid's normalised rank (its miner share).
	Incentive []uint16
	// Dividends is each uid's normalised dividend (its validator share).
	Dividends []uint16
	// ValidatorTrust is the sum of a validator's consensus-clipped weights.
	ValidatorTrust []uint16
	// StakeWeight is the normalised, threshold-filtered stake.
	StakeWeight []uint16
	// ServerEmission is the rao paid to each uid as a miner:
	// floor(I_i/(ΣI+ΣD)·Emission).
	ServerEmission []uint64
	// ValidatorEmission is the rao weight of each uid as a validator:
	// floor(D_i/(ΣI+ΣD)·Emission).
	ValidatorEmission []uint64
	// Emission is the stored combined emission floor(normalize(I+D)_i ·
	// Emission); it can differ from server + validator by rounding.
	Emission []uint64
	// Bonds are the new stored bond rows; a uid without a new permit gets
	// an empty row. Entries keep the chain's order (ascending uid, except
	// Yuma 3 with liquid alpha, which keeps the order of the weight row).
	Bonds [][]Entry
	// ValidatorPermit are the permits for the next epoch.
	ValidatorPermit []bool
	// Active reports whether each uid updated within the activity cutoff.
	Active []bool
	// Stake is each uid's total stake alpha + tao·TaoWeight, floored to rao
	// (before the threshold filter).
	Stake []uint64

	bondBuf []Entry
}

// entry is a working sparse cell: column and fixed-point value.
type entry struct {
	j uint16
	v fixed.I32F32
}
