package subnet

import (
	"fmt"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Bounds the chain's setters enforce.
const (
	// MinTempo and MaxTempo bound an owner's tempo (MIN_TEMPO, MAX_TEMPO in
	// pallets/subtensor/src/lib.rs); root may set any tempo.
	MinTempo uint16 = 360
	MaxTempo uint16 = 50_400
	// MinActivityCutoffFactorMilli and MaxActivityCutoffFactorMilli bound
	// ActivityCutoffFactorMilli for every origin (lib.rs,
	// MIN/MAX_ACTIVITY_CUTOFF_FACTOR_MILLI).
	MinActivityCutoffFactorMilli uint32 = 1_000
	MaxActivityCutoffFactorMilli uint32 = 50_000
	// MaxOwnerBondsMovingAverage is the largest bonds moving average the
	// owner may set (admin-utils sudo_set_bonds_moving_average); root may set any.
	MaxOwnerBondsMovingAverage uint64 = 975_000
	// MinAlphaValue is the smallest alpha low and alpha high
	// (epoch/run_epoch.rs do_set_alpha_values: 65535/40).
	MinAlphaValue uint16 = 1_638
	// DefaultMaxAllowedUids caps MaxAllowedUids, and MaxAllowedUids times
	// the mechanism count (lib.rs DefaultMaxAllowedUids, the runtime's
	// SubtensorInitialMaxAllowedUids).
	DefaultMaxAllowedUids uint16 = 256
	// MinRevealPeriodEpochs and MaxRevealPeriodEpochs bound the commit-reveal
	// period (lib.rs MIN/MAX_COMMIT_REVEAL_PEROIDS).
	MinRevealPeriodEpochs uint64 = 1
	MaxRevealPeriodEpochs uint64 = 100
	// MinImmuneOwnerUidsLimit and MaxImmuneOwnerUidsLimit bound
	// ImmuneOwnerUidsLimit (lib.rs Min/MaxImmuneOwnerUidsLimit).
	MinImmuneOwnerUidsLimit uint16 = 1
	MaxImmuneOwnerUidsLimit uint16 = 10
	// MaxBurnHalfLife bounds BurnHalfLife, which must also be positive
	// (lib.rs MaxBurnHalfLife, admin-utils sudo_set_burn_half_life).
	MaxBurnHalfLife uint16 = 36_100
	// MaxMechanismsPerSubnet is the hard cap on a subnet's mechanism count
	// (subnets/mechanism.rs MAX_MECHANISM_COUNT_PER_SUBNET).
	MaxMechanismsPerSubnet = 16
	// DefaultMaxMechanismCount is the global MaxMechanismCount's default
	// (lib.rs DefaultMaxMechanismCount).
	DefaultMaxMechanismCount uint8 = 2
	// MinBurnUpperBound: MinBurn must stay below it (runtime MinBurnUpperBound, 1 TAO).
	MinBurnUpperBound units.TAO = 1_000_000_000
	// MaxBurnLowerBound: MaxBurn must stay above it (runtime MaxBurnLowerBound, 0.1 TAO).
	MaxBurnLowerBound units.TAO = 100_000_000
	// NewSubnetBurn is a new subnet's registration price
	// (init_new_network sets Burn to lib.rs DefaultNeuronBurnCost, 1 TAO).
	NewSubnetBurn units.TAO = 1_000_000_000
	// MaxWeightLimit is the chain's max weight limit: a constant since
	// utils/misc.rs get_max_weight_limit returns u16::MAX.
	MaxWeightLimit uint16 = 65_535
)

// Origin is who calls a setter. The zero value, OriginNone, may call none.
type Origin uint8

const (
	// OriginNone is an unsigned call.
	OriginNone Origin = iota
	// OriginSigned is a signed account that does not own the subnet.
	OriginSigned
	// OriginOwner is the subnet owner's coldkey (SubnetOwner).
	OriginOwner
	// OriginRoot is the root (sudo) origin.
	OriginRoot
)

// String returns "none", "signed", "owner" or "root".
func (o Origin) String() string {
	switch o {
	case OriginNone:
		return "none"
	case OriginSigned:
		return "signed"
	case OriginOwner:
		return "owner"
	case OriginRoot:
		return "root"
	}
	return fmt.Sprintf("Origin(%d)", uint8(o))
}

// Hyperparameters holds every per-subnet parameter the epoch, registration
// and weight rules read. Field names are the chain's storage names.
type Hyperparameters struct {
	// Tempo is the epoch period in blocks (Tempo).
	Tempo uint16 `json:"tempo"`
	// ActivityCutoffFactorMilli is the activity cutoff in thousandths of a
	// tempo (ActivityCutoffFactorMilli); see ActivityCutoffBlocks.
	ActivityCutoffFactorMilli uint32 `json:"activity_cutoff_factor_milli"`
	// Kappa is the consensus majority, parts of 65535 (Kappa).
	Kappa uint16 `json:"kappa"`
	// MaxAllowedValidators is the number of validator permits (MaxAllowedValidators).
	MaxAllowedValidators uint16 `json:"max_validators"`
	// MaxAllowedUids is the subnet's capacity (MaxAllowedUids).
	MaxAllowedUids uint16 `json:"max_n"`
	// MinAllowedUids is the floor MaxAllowedUids may not go below (MinAllowedUids).
	MinAllowedUids uint16 `json:"min_allowed_uids"`
	// MinAllowedWeights is the fewest weights a set_weights may carry (MinAllowedWeights).
	MinAllowedWeights uint16 `json:"min_allowed_weights"`
	// WeightsSetRateLimit is the blocks between two weight settings (WeightsSetRateLimit).
	WeightsSetRateLimit uint64 `json:"weights_rate_limit"`
	// WeightsVersionKey is the least version key set_weights accepts (WeightsVersionKey).
	WeightsVersionKey uint64 `json:"weights_version"`
	// BondsMovingAverage is the bonds EMA's weight of the past, parts of
	// 1_000_000 (BondsMovingAverage).
	BondsMovingAverage uint64 `json:"bonds_moving_avg"`
	// BondsPenalty is the bonds penalty, parts of 65535 (BondsPenalty).
	BondsPenalty uint16 `json:"bonds_penalty"`
	// BondsResetOn enables resetting a hotkey's bonds (BondsResetOn).
	BondsResetOn bool `json:"bonds_reset_enabled"`
	// Yuma3On selects the Yuma 3 bonds (Yuma3On).
	Yuma3On bool `json:"yuma3_enabled"`
	// LiquidAlphaOn enables liquid alpha (LiquidAlphaOn).
	LiquidAlphaOn bool `json:"liquid_alpha_enabled"`
	// AlphaLow and AlphaHigh are liquid alpha's bounds, parts of 65535 (AlphaValues).
	AlphaLow  uint16 `json:"alpha_low"`
	AlphaHigh uint16 `json:"alpha_high"`
	// AlphaSigmoidSteepness is liquid alpha's steepness (AlphaSigmoidSteepness).
	AlphaSigmoidSteepness int16 `json:"alpha_sigmoid_steepness"`
	// CommitRevealWeightsEnabled turns commit-reveal on (CommitRevealWeightsEnabled).
	CommitRevealWeightsEnabled bool `json:"commit_reveal_weights_enabled"`
	// RevealPeriodEpochs is the commit-reveal period in epochs (RevealPeriodEpochs).
	RevealPeriodEpochs uint64 `json:"commit_reveal_period"`
	// ImmunityPeriod is the blocks a new neuron cannot be pruned ahead of
	// non-immune ones (ImmunityPeriod).
	ImmunityPeriod uint16 `json:"immunity_period"`
	// ImmuneOwnerUidsLimit is how many of the owner's hotkeys are never
	// pruned (ImmuneOwnerUidsLimit).
	ImmuneOwnerUidsLimit uint16 `json:"immune_owner_uids_limit"`
	// MinNonImmuneUids is the count of non-immune neurons pruning keeps (MinNonImmuneUids).
	MinNonImmuneUids uint16 `json:"min_non_immune_uids"`
	// NetworkRegistrationAllowed allows neuron registration (NetworkRegistrationAllowed).
	NetworkRegistrationAllowed bool `json:"registration_allowed"`
	// BurnHalfLife is the blocks over which the burn price halves (BurnHalfLife).
	BurnHalfLife uint16 `json:"burn_half_life"`
	// BurnIncreaseMult multiplies the burn price at each registration (BurnIncreaseMult).
	BurnIncreaseMult fixed.U64F64 `json:"burn_increase_mult"`
	// MinBurn and MaxBurn clamp the burn price (MinBurn, MaxBurn).
	MinBurn units.TAO `json:"min_burn"`
	MaxBurn units.TAO `json:"max_burn"`
	// OwnerCutEnabled pays the subnet owner its cut (OwnerCutEnabled).
	OwnerCutEnabled bool `json:"owner_cut_enabled"`
	// MechanismCount is the number of mechanisms (MechanismCountCurrent).
	MechanismCount uint8 `json:"mechanism_count"`
	// EmissionSplit[:EmissionSplitLen] is MechanismEmissionSplit, parts of
	// 65535 per mechanism; EmissionSplitLen 0 is no split stored (an even split).
	EmissionSplit    [MaxMechanismsPerSubnet]uint16
	EmissionSplitLen uint8
}

// DefaultHyperparameters returns a new subnet's hyperparameters: what
// register_network (subnets/subnet.rs) leaves in storage, with the
// mainnet runtime's constants (runtime/src/lib.rs).
func DefaultHyperparameters() Hyperparameters {
	return Hyperparameters{
		Tempo:                      360,             // register_network passes DefaultTempo = SubtensorInitialTempo (INITIAL_SUBNET_TEMPO)
		ActivityCutoffFactorMilli:  13_889,          // lib.rs INITIAL_ACTIVITY_CUTOFF_FACTOR_MILLI
		Kappa:                      32_767,          // runtime SubtensorInitialKappa
		MaxAllowedValidators:       64,              // init_new_network
		MaxAllowedUids:             256,             // init_new_network
		MinAllowedUids:             64,              // runtime SubtensorInitialMinAllowedUids
		MinAllowedWeights:          1,               // init_new_network
		WeightsSetRateLimit:        100,             // lib.rs DefaultWeightsSetRateLimit
		WeightsVersionKey:          0,               // runtime SubtensorInitialWeightsVersionKey
		BondsMovingAverage:         900_000,         // runtime SubtensorInitialBondsMovingAverage
		BondsPenalty:               65_535,          // runtime SubtensorInitialBondsPenalty
		BondsResetOn:               false,           // runtime SubtensorInitialBondsResetOn
		Yuma3On:                    true,            // init_new_network (the storage default is false)
		LiquidAlphaOn:              false,           // lib.rs DefaultLiquidAlpha
		AlphaLow:                   45_875,          // lib.rs DefaultAlphaValues (0.7)
		AlphaHigh:                  58_982,          // lib.rs DefaultAlphaValues (0.9)
		AlphaSigmoidSteepness:      1_000,           // runtime SubtensorInitialAlphaSigmoidSteepness
		CommitRevealWeightsEnabled: true,            // lib.rs DefaultCommitRevealWeightsEnabled
		RevealPeriodEpochs:         1,               // lib.rs DefaultRevealPeriodEpochs
		ImmunityPeriod:             5_000,           // init_new_network (the runtime default is 4096)
		ImmuneOwnerUidsLimit:       1,               // lib.rs DefaultImmuneOwnerUidsLimit
		MinNonImmuneUids:           10,              // lib.rs DefaultMinNonImmuneUids
		NetworkRegistrationAllowed: true,            // init_new_network
		BurnHalfLife:               360,             // lib.rs DefaultBurnHalfLife
		BurnIncreaseMult:           burnMult126,     // lib.rs DefaultBurnIncreaseMult, U64F64::from_num(1.26)
		MinBurn:                    500_000,         // runtime SubtensorInitialMinBurn
		MaxBurn:                    100_000_000_000, // runtime SubtensorInitialMaxBurn
		OwnerCutEnabled:            true,            // lib.rs DefaultOwnerCutEnabled
		MechanismCount:             1,               // lib.rs DefaultMechanismCount
	}
}

// burnMult126 is U64F64::from_num(1.26): the f64 nearest 1.26,
// 0x3FF428F5C28F5C29, has 52 fractional bits and converts exactly.
var burnMult126 = fixed.U64F64FromBits(1, 0x428F5C28F5C29000)

// ActivityCutoffBlocks returns the activity cutoff in blocks:
// max(1, factor·tempo/1000) (utils/misc.rs get_activity_cutoff_blocks).
func (h *Hyperparameters) ActivityCutoffBlocks() uint64 {
	return max(uint64(h.ActivityCutoffFactorMilli)*uint64(h.Tempo)/1000, 1)
}

// BurnRule returns the burn price rule the hyperparameters define.
func (h *Hyperparameters) BurnRule() BurnRule {
	return BurnRule{HalfLife: h.BurnHalfLife, IncreaseMult: h.BurnIncreaseMult, MinBurn: h.MinBurn, MaxBurn: h.MaxBurn}
}

// Validate reports the first hyperparameter outside the range every
// origin's setter enforces, wrapping the chain error that setter returns.
// Values only root can reach (a tempo of 0, a bonds moving average above
// 975_000, ...) are valid.
func (h *Hyperparameters) Validate() error {
	bad := func(field string, v any, err error) error {
		return fmt.Errorf("subnet: %s %v: %w", field, v, err)
	}
	switch {
	case h.ActivityCutoffFactorMilli < MinActivityCutoffFactorMilli || h.ActivityCutoffFactorMilli > MaxActivityCutoffFactorMilli:
		return bad("ActivityCutoffFactorMilli", h.ActivityCutoffFactorMilli, ErrActivityCutoffFactorMilliOutOfBounds)
	case h.MaxAllowedUids > DefaultMaxAllowedUids:
		return bad("MaxAllowedUids", h.MaxAllowedUids, ErrMaxAllowedUidsGreaterThanDefaultMaxAllowedUids)
	case h.MaxAllowedUids < h.MinAllowedUids:
		return bad("MaxAllowedUids", h.MaxAllowedUids, ErrMaxAllowedUidsLessThanMinAllowedUids)
	case h.MaxAllowedValidators > DefaultMaxAllowedUids:
		// sudo_set_max_allowed_validators (admin-utils) bounds it by the
		// MaxAllowedUids of the moment, but sudo_set_max_allowed_uids
		// may then lower MaxAllowedUids below it: only the ceiling of
		// MaxAllowedUids bounds every reachable value.
		return bad("MaxAllowedValidators", h.MaxAllowedValidators, ErrMaxValidatorsLargerThanMaxUIds)
	case h.MechanismCount == 0 || h.MechanismCount > MaxMechanismsPerSubnet:
		return bad("MechanismCount", h.MechanismCount, ErrInvalidValue)
	case uint32(h.MaxAllowedUids)*uint32(h.MechanismCount) > uint32(DefaultMaxAllowedUids):
		return bad("MaxAllowedUids", h.MaxAllowedUids, ErrTooManyUIDsPerMechanism)
	case h.EmissionSplitLen > h.MechanismCount || !validSplit(h.EmissionSplit[:h.EmissionSplitLen]):
		return bad("EmissionSplit", h.EmissionSplit[:h.EmissionSplitLen], ErrInvalidValue)
	case h.AlphaHigh < MinAlphaValue:
		return bad("AlphaHigh", h.AlphaHigh, ErrAlphaHighTooLow)
	case h.AlphaLow < MinAlphaValue || h.AlphaLow > h.AlphaHigh:
		return bad("AlphaLow", h.AlphaLow, ErrAlphaLowOutOfRange)
	case h.RevealPeriodEpochs > MaxRevealPeriodEpochs:
		return bad("RevealPeriodEpochs", h.RevealPeriodEpochs, ErrRevealPeriodTooLarge)
	case h.RevealPeriodEpochs < MinRevealPeriodEpochs:
		return bad("RevealPeriodEpochs", h.RevealPeriodEpochs, ErrRevealPeriodTooSmall)
	case h.ImmuneOwnerUidsLimit < MinImmuneOwnerUidsLimit || h.ImmuneOwnerUidsLimit > MaxImmuneOwnerUidsLimit:
		return bad("ImmuneOwnerUidsLimit", h.ImmuneOwnerUidsLimit, ErrInvalidValue)
	case h.BurnHalfLife == 0 || h.BurnHalfLife > MaxBurnHalfLife:
		return bad("BurnHalfLife", h.BurnHalfLife, ErrInvalidValue)
	case !validBurnMult(h.BurnIncreaseMult):
		return bad("BurnIncreaseMult", h.BurnIncreaseMult, ErrInvalidValue)
	case h.MinBurn >= MinBurnUpperBound || h.MinBurn >= h.MaxBurn:
		return bad("MinBurn", h.MinBurn.Decimal(), ErrValueNotInBounds)
	case h.MaxBurn <= MaxBurnLowerBound:
		return bad("MaxBurn", h.MaxBurn.Decimal(), ErrValueNotInBounds)
	}
	return nil
}

// validSplit reports whether split is a valid stored emission split:
// empty (none stored) or summing to exactly 65535 (subnets/mechanism.rs
// do_set_emission_split).
func validSplit(split []uint16) bool {
	if len(split) == 0 {
		return true
	}
	var total uint64
	for _, s := range split {
		total += uint64(s)
	}
	return total == 65_535
}

// validBurnMult reports 1 ≤ m ≤ 3 (admin-utils sudo_set_burn_increase_mult).
func validBurnMult(m fixed.U64F64) bool {
	return !m.Less(fixed.U64F64FromUint64(1)) && !fixed.U64F64FromUint64(3).Less(m)
}

// ownerOrRoot is ensure_subnet_owner_or_root (utils/misc.rs).
func ownerOrRoot(o Origin) error {
	if o == OriginOwner || o == OriginRoot {
		return nil
	}
	return ErrBadOrigin
}

// rootOnly is ensure_root.
func rootOnly(o Origin) error {
	if o == OriginRoot {
		return nil
	}
	return ErrBadOrigin
}

// SetTempo sets Tempo. The owner calls set_tempo
// (coinbase/tempo_control.rs do_set_tempo): the tempo must lie in
// [MinTempo, MaxTempo] (ErrTempoOutOfBounds); root calls sudo_set_tempo
// (admin-utils) and may set any tempo. Not checked here: the owner's
// TempoUpdate rate limit, the admin freeze window (for both origins) and
// the reset of LastEpochBlock on success.
func (h *Hyperparameters) SetTempo(o Origin, tempo uint16) error {
	switch o {
	case OriginOwner:
		if tempo < MinTempo || tempo > MaxTempo {
			return ErrTempoOutOfBounds
		}
	case OriginRoot:
	default:
		return ErrBadOrigin
	}
	h.Tempo = tempo
	return nil
}

// SetActivityCutoffFactorMilli sets ActivityCutoffFactorMilli, owner or
// root, within [MinActivityCutoffFactorMilli, MaxActivityCutoffFactorMilli]
// (tempo_control.rs do_set_activity_cutoff_factor). Not checked here: the
// owner's rate limit and freeze window (root bypasses both).
func (h *Hyperparameters) SetActivityCutoffFactorMilli(o Origin, factor uint32) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	if factor < MinActivityCutoffFactorMilli || factor > MaxActivityCutoffFactorMilli {
		return ErrActivityCutoffFactorMilliOutOfBounds
	}
	h.ActivityCutoffFactorMilli = factor
	return nil
}

// SetKappa sets Kappa; root only, any value (admin-utils sudo_set_kappa).
func (h *Hyperparameters) SetKappa(o Origin, kappa uint16) error {
	if err := rootOnly(o); err != nil {
		return err
	}
	h.Kappa = kappa
	return nil
}

// SetMaxAllowedValidators sets MaxAllowedValidators; root only, at most
// MaxAllowedUids (admin-utils sudo_set_max_allowed_validators).
func (h *Hyperparameters) SetMaxAllowedValidators(o Origin, n uint16) error {
	if err := rootOnly(o); err != nil {
		return err
	}
	if n > h.MaxAllowedUids {
		return ErrMaxValidatorsLargerThanMaxUIds
	}
	h.MaxAllowedValidators = n
	return nil
}

// SetMaxAllowedUids sets MaxAllowedUids, owner or root
// (admin-utils sudo_set_max_allowed_uids); registered is the subnet's
// current neuron count. In the chain's order: at least MinAllowedUids, at
// least registered, at most DefaultMaxAllowedUids, and times MechanismCount
// at most DefaultMaxAllowedUids. Not checked here: the owner's rate limit,
// the freeze window.
func (h *Hyperparameters) SetMaxAllowedUids(o Origin, n, registered uint16) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	switch {
	case n < h.MinAllowedUids:
		return ErrMaxAllowedUidsLessThanMinAllowedUids
	case registered > n:
		return ErrMaxAllowedUIdsLessThanCurrentUIds
	case n > DefaultMaxAllowedUids:
		return ErrMaxAllowedUidsGreaterThanDefaultMaxAllowedUids
	case !uidsFitMechanisms(n, h.MechanismCount):
		return ErrTooManyUIDsPerMechanism
	}
	h.MaxAllowedUids = n
	return nil
}

// uidsFitMechanisms is ensure_max_uids_over_all_mechanisms
// (subnets/mechanism.rs): n·count, saturating in u16, at most
// DefaultMaxAllowedUids.
func uidsFitMechanisms(n uint16, count uint8) bool {
	return min(uint32(n)*uint32(count), 65_535) <= uint32(DefaultMaxAllowedUids)
}

// SetMinAllowedUids sets MinAllowedUids; root only, below MaxAllowedUids
// and below registered, the current neuron count (admin-utils
// sudo_set_min_allowed_uids).
func (h *Hyperparameters) SetMinAllowedUids(o Origin, n, registered uint16) error {
	if err := rootOnly(o); err != nil {
		return err
	}
	switch {
	case n >= h.MaxAllowedUids:
		return ErrMinAllowedUidsGreaterThanMaxAllowedUids
	case n >= registered:
		return ErrMinAllowedUidsGreaterThanCurrentUids
	}
	h.MinAllowedUids = n
	return nil
}

// SetMinAllowedWeights sets MinAllowedWeights; owner or root, any value
// (admin-utils sudo_set_min_allowed_weights).
func (h *Hyperparameters) SetMinAllowedWeights(o Origin, n uint16) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	h.MinAllowedWeights = n
	return nil
}

// SetWeightsSetRateLimit sets WeightsSetRateLimit; root only, any value
// (admin-utils sudo_set_weights_set_rate_limit).
func (h *Hyperparameters) SetWeightsSetRateLimit(o Origin, blocks uint64) error {
	if err := rootOnly(o); err != nil {
		return err
	}
	h.WeightsSetRateLimit = blocks
	return nil
}

// SetWeightsVersionKey sets WeightsVersionKey; owner or root, any value
// (admin-utils sudo_set_weights_version_key).
func (h *Hyperparameters) SetWeightsVersionKey(o Origin, key uint64) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	h.WeightsVersionKey = key
	return nil
}

// SetBondsMovingAverage sets BondsMovingAverage; the owner up to
// MaxOwnerBondsMovingAverage (ErrBondsMovingAverageMaxReached), root any
// value (admin-utils sudo_set_bonds_moving_average).
func (h *Hyperparameters) SetBondsMovingAverage(o Origin, bma uint64) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	if o == OriginOwner && bma > MaxOwnerBondsMovingAverage {
		return ErrBondsMovingAverageMaxReached
	}
	h.BondsMovingAverage = bma
	return nil
}

// SetBondsPenalty sets BondsPenalty; owner or root, any value
// (admin-utils sudo_set_bonds_penalty).
func (h *Hyperparameters) SetBondsPenalty(o Origin, penalty uint16) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	h.BondsPenalty = penalty
	return nil
}

// SetBondsResetOn sets BondsResetOn; owner or root
// (admin-utils sudo_set_bonds_reset_enabled).
func (h *Hyperparameters) SetBondsResetOn(o Origin, on bool) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	h.BondsResetOn = on
	return nil
}

// SetYuma3On sets Yuma3On; owner or root (admin-utils sudo_set_yuma3_enabled).
func (h *Hyperparameters) SetYuma3On(o Origin, on bool) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	h.Yuma3On = on
	return nil
}

// SetLiquidAlphaOn sets LiquidAlphaOn; owner or root
// (admin-utils sudo_set_liquid_alpha_enabled).
func (h *Hyperparameters) SetLiquidAlphaOn(o Origin, on bool) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	h.LiquidAlphaOn = on
	return nil
}

// SetAlphaValues sets AlphaLow and AlphaHigh; owner or root, only while
// liquid alpha is on (ErrLiquidAlphaDisabled), high at least MinAlphaValue
// (ErrAlphaHighTooLow), low in [MinAlphaValue, high] (ErrAlphaLowOutOfRange)
// (admin-utils sudo_set_alpha_values, run_epoch.rs do_set_alpha_values).
func (h *Hyperparameters) SetAlphaValues(o Origin, low, high uint16) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	switch {
	case !h.LiquidAlphaOn:
		return ErrLiquidAlphaDisabled
	case high < MinAlphaValue:
		return ErrAlphaHighTooLow
	case low < MinAlphaValue || low > high:
		return ErrAlphaLowOutOfRange
	}
	h.AlphaLow, h.AlphaHigh = low, high
	return nil
}

// SetAlphaSigmoidSteepness sets AlphaSigmoidSteepness; the owner a value
// at least 0 (ErrNegativeSigmoidSteepness), root any value (admin-utils
// sudo_set_alpha_sigmoid_steepness).
func (h *Hyperparameters) SetAlphaSigmoidSteepness(o Origin, k int16) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	if o != OriginRoot && k < 0 {
		return ErrNegativeSigmoidSteepness
	}
	h.AlphaSigmoidSteepness = k
	return nil
}

// SetCommitRevealWeightsEnabled sets CommitRevealWeightsEnabled; owner or
// root (admin-utils sudo_set_commit_reveal_weights_enabled).
func (h *Hyperparameters) SetCommitRevealWeightsEnabled(o Origin, on bool) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	h.CommitRevealWeightsEnabled = on
	return nil
}

// SetRevealPeriodEpochs sets RevealPeriodEpochs; owner or root, at most
// MaxRevealPeriodEpochs (ErrRevealPeriodTooLarge), at least
// MinRevealPeriodEpochs (ErrRevealPeriodTooSmall) (admin-utils
// sudo_set_commit_reveal_weights_interval, subnets/weights.rs set_reveal_period).
func (h *Hyperparameters) SetRevealPeriodEpochs(o Origin, epochs uint64) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	switch {
	case epochs > MaxRevealPeriodEpochs:
		return ErrRevealPeriodTooLarge
	case epochs < MinRevealPeriodEpochs:
		return ErrRevealPeriodTooSmall
	}
	h.RevealPeriodEpochs = epochs
	return nil
}

// SetImmunityPeriod sets ImmunityPeriod; owner or root, any value
// (admin-utils sudo_set_immunity_period).
func (h *Hyperparameters) SetImmunityPeriod(o Origin, blocks uint16) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	h.ImmunityPeriod = blocks
	return nil
}

// SetImmuneOwnerUidsLimit sets ImmuneOwnerUidsLimit; owner or root, in
// [MinImmuneOwnerUidsLimit, MaxImmuneOwnerUidsLimit] (admin-utils
// sudo_set_owner_immune_neuron_limit, utils/misc.rs set_owner_immune_neuron_limit).
func (h *Hyperparameters) SetImmuneOwnerUidsLimit(o Origin, limit uint16) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	if limit < MinImmuneOwnerUidsLimit || limit > MaxImmuneOwnerUidsLimit {
		return ErrInvalidValue
	}
	h.ImmuneOwnerUidsLimit = limit
	return nil
}

// SetMinNonImmuneUids sets MinNonImmuneUids; root only, any value
// (admin-utils sudo_set_min_non_immune_uids).
func (h *Hyperparameters) SetMinNonImmuneUids(o Origin, n uint16) error {
	if err := rootOnly(o); err != nil {
		return err
	}
	h.MinNonImmuneUids = n
	return nil
}

// SetNetworkRegistrationAllowed sets NetworkRegistrationAllowed; root only
// (admin-utils sudo_set_network_registration_allowed).
func (h *Hyperparameters) SetNetworkRegistrationAllowed(o Origin, allowed bool) error {
	if err := rootOnly(o); err != nil {
		return err
	}
	h.NetworkRegistrationAllowed = allowed
	return nil
}

// SetBurnHalfLife sets BurnHalfLife; owner or root, in [1, MaxBurnHalfLife]
// (admin-utils sudo_set_burn_half_life, which also refuses the root subnet).
func (h *Hyperparameters) SetBurnHalfLife(o Origin, blocks uint16) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	if blocks == 0 || blocks > MaxBurnHalfLife {
		return ErrInvalidValue
	}
	h.BurnHalfLife = blocks
	return nil
}

// SetBurnIncreaseMult sets BurnIncreaseMult; owner or root, in [1, 3]
// (admin-utils sudo_set_burn_increase_mult, which also refuses the root subnet).
func (h *Hyperparameters) SetBurnIncreaseMult(o Origin, mult fixed.U64F64) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	if !validBurnMult(mult) {
		return ErrInvalidValue
	}
	h.BurnIncreaseMult = mult
	return nil
}

// SetMinBurn sets MinBurn; owner or root, below MinBurnUpperBound and
// below MaxBurn (ErrValueNotInBounds) (admin-utils sudo_set_min_burn).
func (h *Hyperparameters) SetMinBurn(o Origin, burn units.TAO) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	if burn >= MinBurnUpperBound || burn >= h.MaxBurn {
		return ErrValueNotInBounds
	}
	h.MinBurn = burn
	return nil
}

// SetMaxBurn sets MaxBurn; owner or root, above MaxBurnLowerBound and
// above MinBurn (ErrValueNotInBounds) (admin-utils sudo_set_max_burn).
func (h *Hyperparameters) SetMaxBurn(o Origin, burn units.TAO) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	if burn <= MaxBurnLowerBound || burn <= h.MinBurn {
		return ErrValueNotInBounds
	}
	h.MaxBurn = burn
	return nil
}

// SetOwnerCutEnabled sets OwnerCutEnabled; owner or root, with no rate
// limit (admin-utils sudo_set_owner_cut_enabled, which also refuses the
// root subnet).
func (h *Hyperparameters) SetOwnerCutEnabled(o Origin, on bool) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	h.OwnerCutEnabled = on
	return nil
}

// SetMechanismCount sets MechanismCount; owner or root (admin-utils
// sudo_set_mechanism_count, subnets/mechanism.rs do_set_mechanism_count).
// maxCount is the global MaxMechanismCount (DefaultMaxMechanismCount unless
// root changed it). In the chain's order: positive and at most maxCount
// (ErrInvalidValue), MaxAllowedUids times count at most
// DefaultMaxAllowedUids (ErrTooManyUIDsPerMechanism), at most
// MaxMechanismsPerSubnet (ErrInvalidValue). A changed count drops the
// stored emission split (update_mechanism_counts_if_needed); the weights,
// bonds and commits of removed mechanisms are the subnet state's to clear.
func (h *Hyperparameters) SetMechanismCount(o Origin, count, maxCount uint8) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	switch {
	case count == 0 || count > maxCount:
		return ErrInvalidValue
	case !uidsFitMechanisms(h.MaxAllowedUids, count):
		return ErrTooManyUIDsPerMechanism
	case count > MaxMechanismsPerSubnet:
		return ErrInvalidValue
	}
	if count != h.MechanismCount {
		h.MechanismCount = count
		h.EmissionSplit = [MaxMechanismsPerSubnet]uint16{}
		h.EmissionSplitLen = 0
	}
	return nil
}

// SetEmissionSplit sets the mechanism emission split; owner or root
// (admin-utils sudo_set_mechanism_emission_split, mechanism.rs
// do_set_emission_split). A nil split removes the stored split (an even
// split); otherwise it must be non-empty, at most MechanismCount long and
// sum to exactly 65535 (ErrInvalidValue).
func (h *Hyperparameters) SetEmissionSplit(o Origin, split []uint16) error {
	if err := ownerOrRoot(o); err != nil {
		return err
	}
	if split == nil {
		h.EmissionSplit = [MaxMechanismsPerSubnet]uint16{}
		h.EmissionSplitLen = 0
		return nil
	}
	if len(split) == 0 || len(split) > int(h.MechanismCount) || len(split) > MaxMechanismsPerSubnet || !validSplit(split) {
		return ErrInvalidValue
	}
	h.EmissionSplit = [MaxMechanismsPerSubnet]uint16{}
	copy(h.EmissionSplit[:], split)
	h.EmissionSplitLen = uint8(len(split))
	return nil
}
