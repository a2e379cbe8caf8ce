package dtao

import (
	"errors"
	"fmt"

	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// Chain errors of the admin calls (pallets/subtensor/src/macros/errors.rs,
// pallets/admin-utils/src/lib.rs). An origin that is neither root nor the
// subnet's owner is subnet.ErrBadOrigin; a value out of its bounds is the
// subnet package's error (subnet.ErrValueNotInBounds, ...); an owner
// calling again within the rate limit is ErrTxRateLimitExceeded.
var (
	// ErrAdminActionProhibitedDuringWeightsWindow: the subnet is in its
	// admin freeze window, the last AdminFreezeWindow blocks before its
	// epoch or the countdown of a triggered one
	// (AdminActionProhibitedDuringWeightsWindow).
	ErrAdminActionProhibitedDuringWeightsWindow = units.NewChainError("dtao",
		"AdminActionProhibitedDuringWeightsWindow", "admin action prohibited during the weights window")
	// ErrNotPermittedOnRootSubnet: the call does not apply to the root
	// subnet (NotPermittedOnRootSubnet).
	ErrNotPermittedOnRootSubnet = units.NewChainError("dtao", "NotPermittedOnRootSubnet", "not permitted on the root subnet")
)

// ErrHyperparameterCall is wrapped by SetHyperparameter when the set
// function changed a hyperparameter its AdminCall does not set, or the
// AdminCall is unknown. It is an input error of this SDK, not a chain
// error.
var ErrHyperparameterCall = errors.New("dtao: set function does not match its admin call")

// Admin limits the ledger reads at their chain defaults
// (pallets/subtensor/src/lib.rs).
const (
	// AdminFreezeWindow is DefaultAdminFreezeWindow: the blocks before an
	// epoch in which admin calls are refused, and the delay of a
	// triggered epoch.
	AdminFreezeWindow = emission.DefaultAdminFreezeWindow
	// OwnerHyperparamRateLimit is DefaultOwnerHyperparamRateLimit: the
	// tempos between two owner updates of one hyperparameter.
	OwnerHyperparamRateLimit uint64 = 2
	// WeightsVersionKeyRateLimit is DefaultWeightsVersionKeyRateLimit: the
	// tempos between two owner updates of the weights version key.
	WeightsVersionKeyRateLimit uint64 = 5
	// MechanismCountSetRateLimit and MechanismEmissionRateLimit are the
	// blocks between two owner updates of the mechanism count and of the
	// mechanism emission split (7200 each in production).
	MechanismCountSetRateLimit uint64 = 7_200
	MechanismEmissionRateLimit uint64 = 7_200
)

// Rate-limit kinds of the owner's admin calls kept in
// TransactionKeyLastBlock (pallets/subtensor/src/utils/rate_limiting.rs),
// keyed by the owner's coldkey and the netuid. They are numbered apart
// from the kinds declared with RateLimitKind.
const (
	RateLimitWeightsVersionKey RateLimitKind = 0x40 + iota
	RateLimitMechanismCount
	RateLimitMechanismEmission
	RateLimitTempo
)

// Hyperparameter is the chain's Hyperparameter
// (pallets/subtensor/src/utils/rate_limiting.rs), with its SCALE index:
// the owner's rate limit OwnerHyperparamUpdate(netuid, hyperparameter) is
// kept per subnet and hyperparameter.
type Hyperparameter uint8

// The hyperparameters the ledger's owner calls are rate limited by.
const (
	HyperparamImmunityPeriod            Hyperparameter = 5
	HyperparamMinAllowedWeights         Hyperparameter = 6
	HyperparamMinBurn                   Hyperparameter = 11
	HyperparamMaxBurn                   Hyperparameter = 12
	HyperparamBondsMovingAverage        Hyperparameter = 13
	HyperparamBondsPenalty              Hyperparameter = 14
	HyperparamCommitRevealEnabled       Hyperparameter = 15
	HyperparamLiquidAlphaEnabled        Hyperparameter = 16
	HyperparamAlphaValues               Hyperparameter = 17
	HyperparamWeightCommitInterval      Hyperparameter = 18
	HyperparamAlphaSigmoidSteepness     Hyperparameter = 20
	HyperparamYuma3Enabled              Hyperparameter = 21
	HyperparamBondsResetEnabled         Hyperparameter = 22
	HyperparamImmuneNeuronLimit         Hyperparameter = 23
	HyperparamMaxAllowedUids            Hyperparameter = 25
	HyperparamBurnHalfLife              Hyperparameter = 26
	HyperparamBurnIncreaseMult          Hyperparameter = 27
	HyperparamActivityCutoffFactorMilli Hyperparameter = 30
	HyperparamTriggerEpoch              Hyperparameter = 31
)

// OwnerHyperparamKey is the RateLimitKey of OwnerHyperparamUpdate(netuid,
// h): kind RateLimitOwnerHyperparam, the netuid, and the hyperparameter's
// index in the first byte of Account (the chain's key holds no account).
func OwnerHyperparamKey(netuid units.NetUID, h Hyperparameter) RateLimitKey {
	k := RateLimitKey{Kind: RateLimitOwnerHyperparam, NetUID: netuid}
	k.Account[0] = byte(h)
	return k
}

// AdminCall names the chain call a hyperparameter change is made by. It
// decides who may call it, whether the admin freeze window applies and
// which owner rate limit counts it, as pallets/admin-utils/src/lib.rs and
// pallets/subtensor/src/coinbase/tempo_control.rs gate each call.
type AdminCall uint8

// The admin calls over subnet.Hyperparameters, named after the chain's
// extrinsics.
const (
	CallSetTempo                       AdminCall = iota + 1 // sudo_set_tempo: root, freeze window, cycle reset
	CallSetActivityCutoffFactorMilli                        // set_activity_cutoff_factor: window and limit for the owner only
	CallSetKappa                                            // sudo_set_kappa: root
	CallSetMaxAllowedValidators                             // sudo_set_max_allowed_validators: root, window
	CallSetMaxAllowedUids                                   // sudo_set_max_allowed_uids
	CallSetMinAllowedUids                                   // sudo_set_min_allowed_uids: root, window
	CallSetMinAllowedWeights                                // sudo_set_min_allowed_weights
	CallSetWeightsSetRateLimit                              // sudo_set_weights_set_rate_limit: root
	CallSetWeightsVersionKey                                // sudo_set_weights_version_key
	CallSetBondsMovingAverage                               // sudo_set_bonds_moving_average
	CallSetBondsPenalty                                     // sudo_set_bonds_penalty
	CallSetBondsResetEnabled                                // sudo_set_bonds_reset_enabled
	CallSetYuma3Enabled                                     // sudo_set_yuma3_enabled
	CallSetLiquidAlphaEnabled                               // sudo_set_liquid_alpha_enabled
	CallSetAlphaValues                                      // sudo_set_alpha_values
	CallSetAlphaSigmoidSteepness                            // sudo_set_alpha_sigmoid_steepness
	CallSetCommitRevealWeightsEnabled                       // sudo_set_commit_reveal_weights_enabled
	CallSetCommitRevealWeightsInterval                      // sudo_set_commit_reveal_weights_interval
	CallSetImmunityPeriod                                   // sudo_set_immunity_period
	CallSetOwnerImmuneNeuronLimit                           // sudo_set_owner_immune_neuron_limit
	CallSetMinNonImmuneUids                                 // sudo_set_min_non_immune_uids: root
	CallSetNetworkRegistrationAllowed                       // sudo_set_network_registration_allowed: root
	CallSetBurnHalfLife                                     // sudo_set_burn_half_life
	CallSetBurnIncreaseMult                                 // sudo_set_burn_increase_mult
	CallSetMinBurn                                          // sudo_set_min_burn
	CallSetMaxBurn                                          // sudo_set_max_burn
	CallSetOwnerCutEnabled                                  // sudo_set_owner_cut_enabled: no rate limit
	CallSetMechanismCount                                   // sudo_set_mechanism_count
	CallSetMechanismEmissionSplit                           // sudo_set_mechanism_emission_split
	adminCallEnd
)

// windowRule is who the admin freeze window applies to.
type windowRule uint8

const (
	windowNone windowRule = iota
	windowAll
	windowOwner
)

// limitRule is the owner rate limit a call counts against.
type limitRule uint8

const (
	limitNone limitRule = iota
	limitHyperparam
	limitWeightsVersionKey
	limitMechanismCount
	limitMechanismEmission
)

type adminRule struct {
	rootOnly bool
	window   windowRule
	limit    limitRule
	param    Hyperparameter
	// keep copies the fields the call sets from src to dst.
	keep func(dst, src *subnet.Hyperparameters)
}

var adminRules = [adminCallEnd]adminRule{
	CallSetTempo: {rootOnly: true, window: windowAll,
		keep: func(d, s *subnet.Hyperparameters) { d.Tempo = s.Tempo }},
	CallSetActivityCutoffFactorMilli: {window: windowOwner, limit: limitHyperparam, param: HyperparamActivityCutoffFactorMilli,
		keep: func(d, s *subnet.Hyperparameters) { d.ActivityCutoffFactorMilli = s.ActivityCutoffFactorMilli }},
	CallSetKappa: {rootOnly: true,
		keep: func(d, s *subnet.Hyperparameters) { d.Kappa = s.Kappa }},
	CallSetMaxAllowedValidators: {rootOnly: true, window: windowAll,
		keep: func(d, s *subnet.Hyperparameters) { d.MaxAllowedValidators = s.MaxAllowedValidators }},
	CallSetMaxAllowedUids: {window: windowAll, limit: limitHyperparam, param: HyperparamMaxAllowedUids,
		keep: func(d, s *subnet.Hyperparameters) { d.MaxAllowedUids = s.MaxAllowedUids }},
	CallSetMinAllowedUids: {rootOnly: true, window: windowAll,
		keep: func(d, s *subnet.Hyperparameters) { d.MinAllowedUids = s.MinAllowedUids }},
	CallSetMinAllowedWeights: {window: windowAll, limit: limitHyperparam, param: HyperparamMinAllowedWeights,
		keep: func(d, s *subnet.Hyperparameters) { d.MinAllowedWeights = s.MinAllowedWeights }},
	CallSetWeightsSetRateLimit: {rootOnly: true,
		keep: func(d, s *subnet.Hyperparameters) { d.WeightsSetRateLimit = s.WeightsSetRateLimit }},
	CallSetWeightsVersionKey: {window: windowAll, limit: limitWeightsVersionKey,
		keep: func(d, s *subnet.Hyperparameters) { d.WeightsVersionKey = s.WeightsVersionKey }},
	CallSetBondsMovingAverage: {window: windowAll, limit: limitHyperparam, param: HyperparamBondsMovingAverage,
		keep: func(d, s *subnet.Hyperparameters) { d.BondsMovingAverage = s.BondsMovingAverage }},
	CallSetBondsPenalty: {window: windowAll, limit: limitHyperparam, param: HyperparamBondsPenalty,
		keep: func(d, s *subnet.Hyperparameters) { d.BondsPenalty = s.BondsPenalty }},
	CallSetBondsResetEnabled: {window: windowAll, limit: limitHyperparam, param: HyperparamBondsResetEnabled,
		keep: func(d, s *subnet.Hyperparameters) { d.BondsResetOn = s.BondsResetOn }},
	CallSetYuma3Enabled: {window: windowAll, limit: limitHyperparam, param: HyperparamYuma3Enabled,
		keep: func(d, s *subnet.Hyperparameters) { d.Yuma3On = s.Yuma3On }},
	CallSetLiquidAlphaEnabled: {window: windowAll, limit: limitHyperparam, param: HyperparamLiquidAlphaEnabled,
		keep: func(d, s *subnet.Hyperparameters) { d.LiquidAlphaOn = s.LiquidAlphaOn }},
	CallSetAlphaValues: {window: windowAll, limit: limitHyperparam, param: HyperparamAlphaValues,
		keep: func(d, s *subnet.Hyperparameters) { d.AlphaLow, d.AlphaHigh = s.AlphaLow, s.AlphaHigh }},
	CallSetAlphaSigmoidSteepness: {window: windowAll, limit: limitHyperparam, param: HyperparamAlphaSigmoidSteepness,
		keep: func(d, s *subnet.Hyperparameters) { d.AlphaSigmoidSteepness = s.AlphaSigmoidSteepness }},
	CallSetCommitRevealWeightsEnabled: {window: windowAll, limit: limitHyperparam, param: HyperparamCommitRevealEnabled,
		keep: func(d, s *subnet.Hyperparameters) { d.CommitRevealWeightsEnabled = s.CommitRevealWeightsEnabled }},
	CallSetCommitRevealWeightsInterval: {window: windowAll, limit: limitHyperparam, param: HyperparamWeightCommitInterval,
		keep: func(d, s *subnet.Hyperparameters) { d.RevealPeriodEpochs = s.RevealPeriodEpochs }},
	CallSetImmunityPeriod: {window: windowAll, limit: limitHyperparam, param: HyperparamImmunityPeriod,
		keep: func(d, s *subnet.Hyperparameters) { d.ImmunityPeriod = s.ImmunityPeriod }},
	CallSetOwnerImmuneNeuronLimit: {window: windowAll, limit: limitHyperparam, param: HyperparamImmuneNeuronLimit,
		keep: func(d, s *subnet.Hyperparameters) { d.ImmuneOwnerUidsLimit = s.ImmuneOwnerUidsLimit }},
	CallSetMinNonImmuneUids: {rootOnly: true,
		keep: func(d, s *subnet.Hyperparameters) { d.MinNonImmuneUids = s.MinNonImmuneUids }},
	CallSetNetworkRegistrationAllowed: {rootOnly: true,
		keep: func(d, s *subnet.Hyperparameters) { d.NetworkRegistrationAllowed = s.NetworkRegistrationAllowed }},
	CallSetBurnHalfLife: {window: windowAll, limit: limitHyperparam, param: HyperparamBurnHalfLife,
		keep: func(d, s *subnet.Hyperparameters) { d.BurnHalfLife = s.BurnHalfLife }},
	CallSetBurnIncreaseMult: {window: windowAll, limit: limitHyperparam, param: HyperparamBurnIncreaseMult,
		keep: func(d, s *subnet.Hyperparameters) { d.BurnIncreaseMult = s.BurnIncreaseMult }},
	CallSetMinBurn: {window: windowAll, limit: limitHyperparam, param: HyperparamMinBurn,
		keep: func(d, s *subnet.Hyperparameters) { d.MinBurn = s.MinBurn }},
	CallSetMaxBurn: {window: windowAll, limit: limitHyperparam, param: HyperparamMaxBurn,
		keep: func(d, s *subnet.Hyperparameters) { d.MaxBurn = s.MaxBurn }},
	CallSetOwnerCutEnabled: {window: windowAll,
		keep: func(d, s *subnet.Hyperparameters) { d.OwnerCutEnabled = s.OwnerCutEnabled }},
	CallSetMechanismCount: {window: windowAll, limit: limitMechanismCount,
		keep: func(d, s *subnet.Hyperparameters) {
			d.MechanismCount, d.EmissionSplit, d.EmissionSplitLen = s.MechanismCount, s.EmissionSplit, s.EmissionSplitLen
		}},
	CallSetMechanismEmissionSplit: {window: windowAll, limit: limitMechanismEmission,
		keep: func(d, s *subnet.Hyperparameters) {
			d.EmissionSplit, d.EmissionSplitLen = s.EmissionSplit, s.EmissionSplitLen
		}},
}

// inAdminFreezeWindow is is_in_admin_freeze_window
// (pallets/subtensor/src/utils/misc.rs): never with tempo 0; during a
// triggered epoch's countdown; otherwise when the next automatic epoch is
// fewer than AdminFreezeWindow blocks away.
func (l *Ledger) inAdminFreezeWindow(st *SubnetState) bool {
	s := st.Schedule
	if s.Tempo == 0 {
		return false
	}
	if s.PendingEpochAt > 0 && s.PendingEpochAt > l.block {
		return true
	}
	return s.BlocksUntilNextAutoEpoch(l.block) < uint64(AdminFreezeWindow)
}

// ensureAdminWindowOpen is ensure_admin_window_open (utils/misc.rs); a
// netuid without a subnet has tempo 0 and no window.
func (l *Ledger) ensureAdminWindowOpen(netuid units.NetUID) error {
	if st, ok := l.subnets[netuid]; ok && l.inAdminFreezeWindow(st) {
		return ErrAdminActionProhibitedDuringWeightsWindow
	}
	return nil
}

// ownerLimit returns the rate-limit key and the limit in blocks of the
// owner's call of kind r on netuid (rate_limit_on_subnet and
// last_block_on_subnet, utils/rate_limiting.rs).
func (l *Ledger) ownerLimit(r limitRule, p Hyperparameter, who units.AccountID, netuid units.NetUID) (RateLimitKey, uint64) {
	var tempo uint64
	if st, ok := l.subnets[netuid]; ok {
		tempo = uint64(st.Schedule.Tempo)
	}
	switch r {
	case limitHyperparam:
		return OwnerHyperparamKey(netuid, p), fixed.SaturatingMulUint64(tempo, OwnerHyperparamRateLimit)
	case limitWeightsVersionKey:
		return RateLimitKey{Kind: RateLimitWeightsVersionKey, Account: who, NetUID: netuid},
			fixed.SaturatingMulUint64(tempo, WeightsVersionKeyRateLimit)
	case limitMechanismCount:
		return RateLimitKey{Kind: RateLimitMechanismCount, Account: who, NetUID: netuid}, MechanismCountSetRateLimit
	case limitMechanismEmission:
		return RateLimitKey{Kind: RateLimitMechanismEmission, Account: who, NetUID: netuid}, MechanismEmissionRateLimit
	}
	return RateLimitKey{}, 0
}

// passesRateLimit is check_passes_rate_limit (utils/rate_limiting.rs): never
// called, or at least limit blocks ago.
func (l *Ledger) passesRateLimit(k RateLimitKey, limit uint64) bool {
	last := l.rateLimits[k]
	return last == 0 || fixed.SaturatingSubUint64(l.block, last) >= limit
}

// SetHyperparameter makes one admin call over the subnet's
// hyperparameters: set, one of subnet.Hyperparameters' setters (or any
// function changing only what call sets), is applied to a copy with the
// caller's subnet.Origin, and the copy is stored only when every check
// passes. The checks run in the order of pallets/admin-utils/src/lib.rs
// (and set_activity_cutoff_factor, coinbase/tempo_control.rs):
//
//   - the origin: root, or the subnet owner's coldkey where the call
//     allows the owner (ensure_root, ensure_subnet_owner_or_root), else
//     subnet.ErrBadOrigin;
//   - the owner's rate limit, if the call has one (ErrTxRateLimitExceeded):
//     OwnerHyperparamUpdate per hyperparameter, Tempo ×
//     OwnerHyperparamRateLimit blocks; the weights version key Tempo ×
//     WeightsVersionKeyRateLimit; the mechanism count and split
//     MechanismCountSetRateLimit and MechanismEmissionRateLimit. Root is
//     never rate limited;
//   - the admin freeze window (ErrAdminActionProhibitedDuringWeightsWindow)
//     where the call applies it: for root and owner alike, or for the
//     owner only (CallSetActivityCutoffFactorMilli);
//   - the subnet exists (ErrSubnetNotExists; the root subnet holds no
//     hyperparameters);
//   - set itself, whose error (subnet.ErrBadOrigin for an owner calling a
//     root-only setter, bounds errors) passes through, wrapped.
//
// set must change only what call sets (ErrHyperparameterCall otherwise),
// so that the gating matches the change. On success the owner's call
// records its rate limit; CallSetTempo restarts the epoch cycle
// (LastEpochBlock = now) and keeps SubnetState.Schedule.Tempo equal;
// CallSetMechanismCount clears the removed mechanisms' storage
// (subnet.Subnet.SetMechanismCount).
func (l *Ledger) SetHyperparameter(o Origin, netuid units.NetUID, call AdminCall,
	set func(h *subnet.Hyperparameters, o subnet.Origin) error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.setHyperparameter(o, netuid, call, set); err != nil {
		return fmt.Errorf("admin call %d on netuid %d: %w", call, netuid, err)
	}
	l.emit(Event{Kind: EventHyperparameterSet, NetUID: netuid, Coldkey: o.Coldkey, Value: uint64(call)})
	return nil
}

func (l *Ledger) setHyperparameter(o Origin, netuid units.NetUID, call AdminCall,
	set func(h *subnet.Hyperparameters, o subnet.Origin) error) error {
	if call == 0 || call >= adminCallEnd || set == nil {
		return ErrHyperparameterCall
	}
	r := adminRules[call]
	var so subnet.Origin
	if r.rootOnly {
		if !o.Root {
			return subnet.ErrBadOrigin
		}
		so = subnet.OriginRoot
	} else {
		var err error
		if so, err = l.ownerOrRoot(o, netuid); err != nil {
			return err
		}
	}
	owner := so == subnet.OriginOwner
	var key RateLimitKey
	if owner && r.limit != limitNone {
		var limit uint64
		key, limit = l.ownerLimit(r.limit, r.param, o.Coldkey, netuid)
		if !l.passesRateLimit(key, limit) {
			return ErrTxRateLimitExceeded
		}
	}
	if r.window == windowAll || r.window == windowOwner && owner {
		if err := l.ensureAdminWindowOpen(netuid); err != nil {
			return err
		}
	}
	st, sn := l.subnets[netuid], l.nets[netuid]
	if st == nil || sn == nil {
		return ErrSubnetNotExists
	}
	h := sn.Hyperparameters
	if err := set(&h, so); err != nil {
		return err
	}
	want := sn.Hyperparameters
	r.keep(&want, &h)
	if want != h {
		return ErrHyperparameterCall
	}
	if call == CallSetMechanismCount && h.MechanismCount != sn.Hyperparameters.MechanismCount {
		if err := sn.SetMechanismCount(so, h.MechanismCount, subnet.MaxMechanismsPerSubnet); err != nil {
			return err
		}
	}
	sn.Hyperparameters = h
	if call == CallSetTempo {
		st.Schedule.Tempo, st.Schedule.LastEpochBlock = h.Tempo, l.block
	}
	if owner && r.limit != limitNone {
		l.rateLimits[key] = l.block
	}
	return nil
}

// SetTempo is the owner's set_tempo (do_set_tempo,
// pallets/subtensor/src/coinbase/tempo_control.rs): the subnet owner's
// coldkey (else subnet.ErrBadOrigin) sets a tempo within
// [emission.MinTempo, emission.MaxTempo] (emission.ErrTempoOutOfBounds),
// outside the admin freeze window, at most once per MinTempo blocks
// (TempoUpdate, ErrTxRateLimitExceeded). The epoch cycle restarts at the
// current block (emission.Schedule.SetTempo), and Hyperparameters.Tempo
// follows. Root sets the tempo with SetHyperparameter(CallSetTempo).
func (l *Ledger) SetTempo(coldkey units.AccountID, netuid units.NetUID, tempo uint16) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.setTempo(coldkey, netuid, tempo); err != nil {
		return fmt.Errorf("set_tempo on netuid %d: %w", netuid, err)
	}
	return nil
}

func (l *Ledger) setTempo(coldkey units.AccountID, netuid units.NetUID, tempo uint16) error {
	if _, err := l.ownerOrRoot(Signed(coldkey), netuid); err != nil {
		return err
	}
	st, sn := l.subnets[netuid], l.nets[netuid]
	if st == nil || sn == nil {
		return ErrSubnetNotExists
	}
	sched := st.Schedule
	if err := sched.SetTempo(tempo, l.block); err != nil {
		return err
	}
	if err := l.ensureAdminWindowOpen(netuid); err != nil {
		return err
	}
	key := RateLimitKey{Kind: RateLimitTempo, Account: coldkey, NetUID: netuid}
	if !l.passesRateLimit(key, uint64(emission.MinTempo)) {
		return ErrTxRateLimitExceeded
	}
	st.Schedule = sched
	sn.Hyperparameters.Tempo = tempo
	l.rateLimits[key] = l.block
	return nil
}

// TriggerEpoch is the owner's trigger_epoch (do_trigger_epoch,
// coinbase/tempo_control.rs): the subnet owner's coldkey (else
// subnet.ErrBadOrigin) schedules the subnet's epoch AdminFreezeWindow
// blocks from now (PendingEpochAt, emission.Schedule.Trigger, whose errors
// pass through: commit-reveal on, an epoch already pending, the automatic
// epoch already closer), at most once per Tempo × OwnerHyperparamRateLimit
// blocks (OwnerHyperparamUpdate(TriggerEpoch), ErrTxRateLimitExceeded).
func (l *Ledger) TriggerEpoch(coldkey units.AccountID, netuid units.NetUID) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.triggerEpoch(coldkey, netuid); err != nil {
		return fmt.Errorf("trigger_epoch on netuid %d: %w", netuid, err)
	}
	return nil
}

func (l *Ledger) triggerEpoch(coldkey units.AccountID, netuid units.NetUID) error {
	if _, err := l.ownerOrRoot(Signed(coldkey), netuid); err != nil {
		return err
	}
	st, sn := l.subnets[netuid], l.nets[netuid]
	if st == nil || sn == nil {
		return ErrSubnetNotExists
	}
	sched := st.Schedule
	if err := sched.Trigger(l.block, AdminFreezeWindow, sn.Hyperparameters.CommitRevealWeightsEnabled); err != nil {
		return err
	}
	key, limit := l.ownerLimit(limitHyperparam, HyperparamTriggerEpoch, coldkey, netuid)
	if !l.passesRateLimit(key, limit) {
		return ErrTxRateLimitExceeded
	}
	st.Schedule = sched
	l.rateLimits[key] = l.block
	return nil
}

// SetSubnetEmissionEnabled is sudo_set_subnet_emission_enabled
// (pallets/admin-utils/src/lib.rs): root only (subnet.ErrBadOrigin), on an
// existing (ErrSubnetNotExists) non-root subnet
// (ErrNotPermittedOnRootSubnet), sets SubnetEmissionEnabled
// (SubnetState.EmissionDisabled is its negation).
func (l *Ledger) SetSubnetEmissionEnabled(o Origin, netuid units.NetUID, enabled bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	wrap := func(err error) error {
		return fmt.Errorf("sudo_set_subnet_emission_enabled on netuid %d: %w", netuid, err)
	}
	if !o.Root {
		return wrap(subnet.ErrBadOrigin)
	}
	st, ok := l.subnets[netuid]
	if !ok {
		return wrap(ErrSubnetNotExists)
	}
	if netuid == RootNetUID {
		return wrap(ErrNotPermittedOnRootSubnet)
	}
	st.EmissionDisabled = !enabled
	return nil
}

// SetParams replaces the chain-wide parameters, as root's sudo setters of
// each do, and copies TaoWeight and StakeThreshold into every subnet's
// subnet.Globals. Refused with subnet.ErrValueNotInBounds, changing
// nothing: MaxEpochsPerBlock 0 (sudo_set_max_epochs_per_block), a minimum
// delegate or childkey take above its maximum, a SubnetMovingAlpha outside
// [0, 1].
func (l *Ledger) SetParams(p Params) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case p.MaxEpochsPerBlock == 0:
		return fmt.Errorf("set_params: MaxEpochsPerBlock 0: %w", subnet.ErrValueNotInBounds)
	case p.MinDelegateTake > p.MaxDelegateTake:
		return fmt.Errorf("set_params: MinDelegateTake %d above MaxDelegateTake %d: %w",
			p.MinDelegateTake, p.MaxDelegateTake, subnet.ErrValueNotInBounds)
	case p.MinChildkeyTake > p.MaxChildkeyTake:
		return fmt.Errorf("set_params: MinChildkeyTake %d above MaxChildkeyTake %d: %w",
			p.MinChildkeyTake, p.MaxChildkeyTake, subnet.ErrValueNotInBounds)
	case p.SubnetMovingAlpha.IsNegative() || fixed.I96F32FromUint64(1).Less(p.SubnetMovingAlpha):
		return fmt.Errorf("set_params: SubnetMovingAlpha outside [0, 1]: %w", subnet.ErrValueNotInBounds)
	}
	l.params = p
	for _, sn := range l.nets {
		sn.Globals.TaoWeight, sn.Globals.StakeThreshold = p.TaoWeight, p.StakeThreshold
	}
	return nil
}

// Origin is who signs an admin call: the root (sudo) origin, or a signed
// coldkey. The zero value is the coldkey of all zero bytes.
type Origin struct {
	Root    bool
	Coldkey units.AccountID
}

// RootOrigin is the root (sudo) origin.
func RootOrigin() Origin { return Origin{Root: true} }

// Signed is the origin of a call signed by coldkey.
func Signed(coldkey units.AccountID) Origin { return Origin{Coldkey: coldkey} }

// ownerOrRoot is ensure_subnet_owner_or_root (pallets/subtensor/src/utils/misc.rs):
// root, or the coldkey that owns the subnet (SubnetOwner, the zero account
// for a netuid without a subnet); any other signer is subnet.ErrBadOrigin.
// It returns the subnet.Origin the hyperparameter setters take.
func (l *Ledger) ownerOrRoot(o Origin, netuid units.NetUID) (subnet.Origin, error) {
	if o.Root {
		return subnet.OriginRoot, nil
	}
	var owner units.AccountID
	if st, ok := l.subnets[netuid]; ok {
		owner = st.Owner
	}
	if o.Coldkey != owner {
		return subnet.OriginSigned, subnet.ErrBadOrigin
	}
	return subnet.OriginOwner, nil
}
