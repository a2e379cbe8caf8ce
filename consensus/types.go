package consensus

import (
	"fmt"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Entry is one stored cell of a sparse weight or bond row: the column uid
// and the chain's u16 value (a weight as set_weights stored it, or a bond),
// the (u16, u16) pair of the chain's Weights and Bonds storage.
type Entry struct {
	UID   units.UID
	Value uint16
}

// Input is the state one epoch of one mechanism reads. Every per-uid slice
// is indexed by uid. Build one with [NewInput], which sets every
// hyperparameter to the chain's default for a new subnet and sizes the
// per-uid slices, then fill in the state; every function that takes an
// Input refuses one that [Input.Validate] refuses.
//
// Some slices may be shorter than N where the chain's storage can be:
// missing entries of LastUpdate count as 0 (get_last_update pads the
// stored vector), missing ValidatorPermit entries count as "no permit" (an
// empty ValidatorPermit leaves active stake unmasked, as the chain's
// inplace_mask_vector does), and missing CommitBlocks entries as "no live
// commit". TaoStake may be nil for no root stake. No slice may be longer
// than N.
type Input struct {
	// N is SubnetworkN, the number of uids. Every uid below N is taken to
	// hold a registered hotkey.
	N uint16
	// CurrentBlock is the block number the epoch runs at.
	CurrentBlock uint64
	// Tempo is the subnet's tempo in blocks.
	Tempo uint16
	// ActivityCutoffFactorMilli scales the tempo into the activity cutoff:
	// cutoff = max(1, factor·tempo/1000) blocks. The chain holds 1000 to
	// 50000; its default is 13889 (DefaultActivityCutoffFactorMilli).
	ActivityCutoffFactorMilli uint32
	// LastUpdate is the block at which each uid last set (or committed)
	// weights on this mechanism.
	LastUpdate []uint64
	// BlockAtRegistration is the block at which each uid was registered.
	BlockAtRegistration []uint64
	// AlphaStake is each uid's inherited alpha stake on the subnet
	// (get_inherited_for_hotkey_on_subnet; see Inherited for the
	// parent/child rule).
	AlphaStake []units.Alpha
	// TaoStake is each uid's inherited root stake
	// (get_tao_inherited_for_hotkey_on_subnet).
	TaoStake []units.TAO
	// TaoWeight is the global TaoWeight, in parts of 2^64−1: total stake is
	// alpha + tao·TaoWeight/(2^64−1).
	TaoWeight uint64
	// StakeThreshold is the minimum total stake, in rao of that weighted
	// sum alpha + tao·TaoWeight, for a uid's stake to count (the owner's
	// uid is exempt). It is the chain's plain u64 StakeThreshold, of no
	// one currency (see the package doc).
	StakeThreshold uint64
	// ValidatorPermit holds the permits written by the previous epoch.
	ValidatorPermit []bool
	// MaxAllowedValidators is K, the number of top-stake uids that receive a
	// permit for the next epoch. 0 is a value root can set (no uid but the
	// owner gets a permit); a new subnet has 64.
	MaxAllowedValidators uint16
	// Kappa is the consensus majority as a u16 proportion (x/65535); the
	// chain default is 32767 (root can set any value, 0 included).
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
	// chain defaults are 45875 and 58982, and it holds only
	// 1638 ≤ AlphaLow ≤ AlphaHigh.
	AlphaLow, AlphaHigh uint16
	// AlphaSigmoidSteepness is the liquid-alpha steepness; default 1000.
	AlphaSigmoidSteepness int16
	// HasOwner reports whether the subnet owner's hotkey is registered;
	// OwnerUID is then its uid. The owner keeps its self-weight, always
	// holds a permit and is exempt from StakeThreshold.
	HasOwner bool
	OwnerUID units.UID
	// Weights are the stored weight rows, in stored order: Weights[i] are
	// the (uid, u16) pairs validator i set; a missing row is empty. Every
	// uid is below N.
	Weights [][]Entry
	// Bonds are the stored bond rows: column max-upscaled u16 for the
	// original path, u16 proportions (x/65535) for Yuma 3. A missing row is
	// empty; every uid is below N.
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
	// Emission is the alpha this mechanism distributes (epoch_mechanism's
	// rao_emission).
	Emission units.Alpha
}

// Chain defaults of the hyperparameters an Input carries: the storage
// defaults of pallets/subtensor/src/lib.rs with the runtime's Initial*
// values (runtime/src/lib.rs), and what subnets/subnet.rs init_new_network
// sets explicitly for a new subnet (MaxAllowedValidators 64, Yuma 3 on).
const (
	DefaultTempo                     = 360 // InitialTempo (prod)
	DefaultActivityCutoffFactorMilli = 13889
	DefaultMaxAllowedValidators      = 64
	DefaultKappa                     = 32767
	DefaultBondsPenalty              = 65535
	DefaultBondsMovingAverage        = 900_000
	DefaultYuma3                     = true
	DefaultLiquidAlpha               = false
	DefaultAlphaLow                  = 45875
	DefaultAlphaHigh                 = 58982
	DefaultAlphaSigmoidSteepness     = 1000
	DefaultTaoWeight                 = 971_718_665_099_567_868 // InitialTaoWeight
	DefaultStakeThreshold            = 0
)

// The ranges the chain holds (see Input.Validate).
const (
	// MinActivityCutoffFactorMilli and MaxActivityCutoffFactorMilli are
	// lib.rs MIN_/MAX_ACTIVITY_CUTOFF_FACTOR_MILLI.
	MinActivityCutoffFactorMilli = 1_000
	MaxActivityCutoffFactorMilli = 50_000
	// MinAlphaValue is the least AlphaLow and AlphaHigh do_set_alpha_values
	// accepts: 65535/40.
	MinAlphaValue = 1638
)

// NewInput returns the Input of a subnet of n uids with every
// hyperparameter at the chain's default for a new subnet (the Default*
// constants), and LastUpdate, BlockAtRegistration, AlphaStake, TaoStake,
// ValidatorPermit, Weights and Bonds sized to n with zero entries (no
// weights, no bonds, no permits, no stake). CurrentBlock, Emission,
// LastMechanismStepBlock and the owner are unset, and commit-reveal is off
// (CommitBlocks nil). The caller fills in the state.
func NewInput(n uint16) Input {
	return Input{
		N:                         n,
		Tempo:                     DefaultTempo,
		ActivityCutoffFactorMilli: DefaultActivityCutoffFactorMilli,
		LastUpdate:                make([]uint64, n),
		BlockAtRegistration:       make([]uint64, n),
		AlphaStake:                make([]units.Alpha, n),
		TaoStake:                  make([]units.TAO, n),
		TaoWeight:                 DefaultTaoWeight,
		StakeThreshold:            DefaultStakeThreshold,
		ValidatorPermit:           make([]bool, n),
		MaxAllowedValidators:      DefaultMaxAllowedValidators,
		Kappa:                     DefaultKappa,
		BondsPenalty:              DefaultBondsPenalty,
		BondsMovingAverage:        DefaultBondsMovingAverage,
		Yuma3:                     DefaultYuma3,
		LiquidAlpha:               DefaultLiquidAlpha,
		AlphaLow:                  DefaultAlphaLow,
		AlphaHigh:                 DefaultAlphaHigh,
		AlphaSigmoidSteepness:     DefaultAlphaSigmoidSteepness,
		Weights:                   make([][]Entry, n),
		Bonds:                     make([][]Entry, n),
	}
}

// Validate reports whether in describes a state the chain can hold, and
// returns an error wrapping ErrInvalidInput (naming the field) if not, or
// ErrNilArgument for a nil in. It runs in O(N + stored cells) and
// allocates nothing on a valid Input. Every function that takes an Input
// refuses, with the same error and before it writes anything, exactly what
// Validate refuses (Workspace.Epoch checks the cells' uids in its own first
// pass over the cells, so that the check costs the epoch nothing).
//
// Per-uid vectors (the chain builds or stores one entry per uid, and
// appends, trims and remaps them together with SubnetworkN: subnets/uids.rs
// append_neuron and trim_to_max_allowed_uids):
//   - AlphaStake and BlockAtRegistration have exactly N entries
//     (get_stake_weights_for_network and get_block_at_registration build
//     one per uid); TaoStake has N entries or none (no root stake).
//   - LastUpdate, ValidatorPermit and CommitBlocks have at most N entries;
//     shorter ones are read as documented on Input.
//   - Weights and Bonds have at most N rows, and every cell's uid is below
//     N (set_weights stores only registered uids; trimming remaps them).
//   - With HasOwner, OwnerUID is below N (get_owner_uid is the uid of a
//     registered hotkey).
//
// Hyperparameters, checked when N > 0 (an empty subnet reads none of
// them, so the zero Input is a valid empty subnet):
//   - ActivityCutoffFactorMilli is within 1000..=50000: the only range
//     coinbase/tempo_control.rs do_set_activity_cutoff_factor accepts
//     (for root too) and migrate_dynamic_tempo clamps to; 0 would make
//     every uid inactive after one block.
//   - With LiquidAlpha, 1638 ≤ AlphaLow ≤ AlphaHigh
//     (epoch/run_epoch.rs do_set_alpha_values).
//
// Values the chain can hold are accepted even where they are degenerate:
// MaxAllowedValidators 0 (admin-utils sudo_set_max_allowed_validators
// takes any value up to MaxAllowedUids), Kappa, BondsPenalty and Tempo 0
// (sudo_set_kappa, sudo_set_bonds_penalty and sudo_set_tempo take any
// u16), any BondsMovingAverage (root is not capped) and any
// AlphaSigmoidSteepness (root may set a negative one).
func (in *Input) Validate() error {
	if err := in.validateHead(); err != nil {
		return err
	}
	n := int(in.N)
	if err := checkCells("Weights", in.Weights, n); err != nil {
		return err
	}
	return checkCells("Bonds", in.Bonds, n)
}

// validateHead is Validate but for the uids of the cells, which
// Workspace.Epoch checks in its own first pass over them.
func (in *Input) validateHead() error {
	if in == nil {
		return ErrNilArgument
	}
	n := int(in.N)
	switch {
	case len(in.AlphaStake) != n:
		return lengthError("AlphaStake", len(in.AlphaStake), "", n)
	case len(in.BlockAtRegistration) != n:
		return lengthError("BlockAtRegistration", len(in.BlockAtRegistration), "", n)
	case len(in.TaoStake) != 0 && len(in.TaoStake) != n:
		return lengthError("TaoStake", len(in.TaoStake), "0 or ", n)
	case len(in.LastUpdate) > n:
		return lengthError("LastUpdate", len(in.LastUpdate), "at most ", n)
	case len(in.ValidatorPermit) > n:
		return lengthError("ValidatorPermit", len(in.ValidatorPermit), "at most ", n)
	case len(in.CommitBlocks) > n:
		return lengthError("CommitBlocks", len(in.CommitBlocks), "at most ", n)
	case len(in.Weights) > n:
		return lengthError("Weights", len(in.Weights), "at most ", n)
	case len(in.Bonds) > n:
		return lengthError("Bonds", len(in.Bonds), "at most ", n)
	case in.HasOwner && int(in.OwnerUID) >= n:
		return fmt.Errorf("%w: OwnerUID %d is not below N = %d", ErrInvalidInput, in.OwnerUID, n)
	}
	if n == 0 {
		return nil
	}
	if f := in.ActivityCutoffFactorMilli; f < MinActivityCutoffFactorMilli || f > MaxActivityCutoffFactorMilli {
		return fmt.Errorf("%w: ActivityCutoffFactorMilli %d is outside %d..=%d",
			ErrInvalidInput, f, MinActivityCutoffFactorMilli, MaxActivityCutoffFactorMilli)
	}
	if in.LiquidAlpha && (in.AlphaLow < MinAlphaValue || in.AlphaLow > in.AlphaHigh) {
		return fmt.Errorf("%w: AlphaLow %d and AlphaHigh %d are not %d ≤ AlphaLow ≤ AlphaHigh",
			ErrInvalidInput, in.AlphaLow, in.AlphaHigh, MinAlphaValue)
	}
	return nil
}

func lengthError(field string, got int, want string, n int) error {
	return fmt.Errorf("%w: %s has %d entries, want %sN = %d", ErrInvalidInput, field, got, want, n)
}

// checkCells refuses a cell whose uid is not below n.
func checkCells(field string, rows [][]Entry, n int) error {
	for i, row := range rows {
		if cellsBelow(row, n) {
			continue
		}
		for k, e := range row {
			if int(e.UID) >= n {
				return fmt.Errorf("%w: %s[%d][%d] has uid %d, not below N = %d", ErrInvalidInput, field, i, k, e.UID, n)
			}
		}
	}
	return nil
}

// cellsBelow reports whether every cell of row has a uid below n (a
// branch-free pass over the row's largest uid).
func cellsBelow(row []Entry, n int) bool {
	if len(row) == 0 {
		return true
	}
	var top units.UID
	for _, e := range row {
		top = max(top, e.UID)
	}
	return int(top) < n
}

// Output is what one epoch of one mechanism writes. Every
// slice has length N, is indexed by uid and is non-nil after an epoch (empty
// for N = 0). u16 outputs are proportions
// quantised as floor(x·65535); emissions are alpha.
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
	// ServerEmission is the alpha paid to each uid as a miner:
	// floor(I_i/(ΣI+ΣD)·Emission).
	ServerEmission []units.Alpha
	// ValidatorEmission is the alpha weight of each uid as a validator:
	// floor(D_i/(ΣI+ΣD)·Emission).
	ValidatorEmission []units.Alpha
	// Emission is the stored combined emission floor(normalize(I+D)_i ·
	// Emission); it can differ from server + validator by rounding.
	Emission []units.Alpha
	// Bonds are the new stored bond rows; a uid without a new permit gets
	// an empty row. Entries keep the chain's order (ascending uid, except
	// Yuma 3 with liquid alpha, which keeps the order of the weight row).
	Bonds [][]Entry
	// ValidatorPermit are the permits for the next epoch.
	ValidatorPermit []bool
	// Active reports whether each uid updated within the activity cutoff.
	Active []bool
	// Stake is each uid's total stake alpha + tao·TaoWeight, floored to rao
	// (before the threshold filter): the weighted sum StakeThreshold is
	// compared with, of no one currency.
	Stake []uint64

	bondBuf []Entry
}

// entry is a working sparse cell: column and fixed-point value.
type entry struct {
	j uint16
	v fixed.I32F32
}
