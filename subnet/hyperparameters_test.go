package subnet

import (
	"errors"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// TestDefaultHyperparameters pins every default to the value read in the
// source (init_new_network, lib.rs storage defaults, runtime constants),
// and the burn defaults of registration.rs
// test_init_new_network_registration_defaults.
func TestDefaultHyperparameters(t *testing.T) {
	h := DefaultHyperparameters()
	want := Hyperparameters{
		Tempo: 360, ActivityCutoffFactorMilli: 13_889, Kappa: 32_767,
		MaxAllowedValidators: 64, MaxAllowedUids: 256, MinAllowedUids: 64, MinAllowedWeights: 1,
		WeightsSetRateLimit: 100, WeightsVersionKey: 0, BondsMovingAverage: 900_000, BondsPenalty: 65_535,
		Yuma3On: true, AlphaLow: 45_875, AlphaHigh: 58_982, AlphaSigmoidSteepness: 1_000,
		CommitRevealWeightsEnabled: true, RevealPeriodEpochs: 1, ImmunityPeriod: 5_000,
		ImmuneOwnerUidsLimit: 1, MinNonImmuneUids: 10, NetworkRegistrationAllowed: true,
		BurnHalfLife: 360, BurnIncreaseMult: fixed.U64F64FromBits(1, 4_796_153_459_164_483_584),
		MinBurn: 500_000, MaxBurn: 100_000_000_000, OwnerCutEnabled: true, MechanismCount: 1,
	}
	if h != want {
		t.Fatalf("DefaultHyperparameters() = %+v\nwant %+v", h, want)
	}
	// U64F64::from_num(1.26): 1.26 as f64 is 0x3FF428F5C28F5C29.
	if got := h.BurnIncreaseMult.BitsString(); got != "23242897532874035200" {
		t.Errorf("BurnIncreaseMult bits = %s", got)
	}
	if err := h.Validate(); err != nil {
		t.Errorf("Validate() = %v", err)
	}
	// lib.rs INITIAL_ACTIVITY_CUTOFF_FACTOR_MILLI: 13_889·360/1000 = 5_000 blocks.
	if got := h.ActivityCutoffBlocks(); got != 5_000 {
		t.Errorf("ActivityCutoffBlocks() = %d, want 5000", got)
	}
	if NewSubnetBurn != 1_000_000_000 || MaxWeightLimit != 65_535 {
		t.Errorf("NewSubnetBurn %d, MaxWeightLimit %d", NewSubnetBurn, MaxWeightLimit)
	}
}

func TestActivityCutoffBlocksFloor(t *testing.T) {
	h := DefaultHyperparameters()
	h.Tempo = 0
	if got := h.ActivityCutoffBlocks(); got != 1 {
		t.Errorf("tempo 0: %d, want 1 (get_activity_cutoff_blocks clamps to at least 1)", got)
	}
	h.Tempo, h.ActivityCutoffFactorMilli = 65_535, 50_000
	if got := h.ActivityCutoffBlocks(); got != 3_276_750 {
		t.Errorf("max: %d", got)
	}
}

func TestValidateRejects(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Hyperparameters)
		want error
	}{
		{"zero value", func(h *Hyperparameters) { *h = Hyperparameters{} }, ErrActivityCutoffFactorMilliOutOfBounds},
		{"cutoff factor", func(h *Hyperparameters) { h.ActivityCutoffFactorMilli = 50_001 }, ErrActivityCutoffFactorMilliOutOfBounds},
		{"max uids above 256", func(h *Hyperparameters) { h.MaxAllowedUids = 257 }, ErrMaxAllowedUidsGreaterThanDefaultMaxAllowedUids},
		{"max uids below min", func(h *Hyperparameters) { h.MaxAllowedUids = 63 }, ErrMaxAllowedUidsLessThanMinAllowedUids},
		{"validators above uids", func(h *Hyperparameters) { h.MaxAllowedValidators = 257 }, ErrMaxValidatorsLargerThanMaxUIds},
		{"no mechanism", func(h *Hyperparameters) { h.MechanismCount = 0 }, ErrInvalidValue},
		{"17 mechanisms", func(h *Hyperparameters) { h.MechanismCount = 17 }, ErrInvalidValue},
		{"uids over mechanisms", func(h *Hyperparameters) { h.MechanismCount = 2 }, ErrTooManyUIDsPerMechanism},
		{"split too long", func(h *Hyperparameters) { h.EmissionSplitLen = 2; h.EmissionSplit[0] = 65_535 }, ErrInvalidValue},
		{"split sum", func(h *Hyperparameters) { h.EmissionSplitLen = 1; h.EmissionSplit[0] = 65_534 }, ErrInvalidValue},
		{"alpha high", func(h *Hyperparameters) { h.AlphaHigh = 1_637 }, ErrAlphaHighTooLow},
		{"alpha low above high", func(h *Hyperparameters) { h.AlphaLow = 58_983 }, ErrAlphaLowOutOfRange},
		{"reveal 101", func(h *Hyperparameters) { h.RevealPeriodEpochs = 101 }, ErrRevealPeriodTooLarge},
		{"reveal 0", func(h *Hyperparameters) { h.RevealPeriodEpochs = 0 }, ErrRevealPeriodTooSmall},
		{"owner limit 0", func(h *Hyperparameters) { h.ImmuneOwnerUidsLimit = 0 }, ErrInvalidValue},
		{"owner limit 11", func(h *Hyperparameters) { h.ImmuneOwnerUidsLimit = 11 }, ErrInvalidValue},
		{"half-life 0", func(h *Hyperparameters) { h.BurnHalfLife = 0 }, ErrInvalidValue},
		{"half-life 36101", func(h *Hyperparameters) { h.BurnHalfLife = 36_101 }, ErrInvalidValue},
		{"mult below 1", func(h *Hyperparameters) { h.BurnIncreaseMult = fixed.U64F64FromBits(0, 1<<63) }, ErrInvalidValue},
		{"mult above 3", func(h *Hyperparameters) { h.BurnIncreaseMult = fixed.U64F64FromBits(3, 1) }, ErrInvalidValue},
		{"min burn 1 TAO", func(h *Hyperparameters) { h.MinBurn = MinBurnUpperBound }, ErrValueNotInBounds},
		{"min burn = max", func(h *Hyperparameters) { h.MinBurn, h.MaxBurn = 100, 100 }, ErrValueNotInBounds},
		{"max burn 0.1 TAO", func(h *Hyperparameters) { h.MinBurn, h.MaxBurn = 0, MaxBurnLowerBound }, ErrValueNotInBounds},
	} {
		h := DefaultHyperparameters()
		c.edit(&h)
		if err := h.Validate(); !errors.Is(err, c.want) {
			t.Errorf("%s: Validate() = %v, want %v", c.name, err, c.want)
		}
	}
	// Values only root can reach are valid.
	h := DefaultHyperparameters()
	h.Tempo, h.BondsMovingAverage, h.AlphaSigmoidSteepness = 0, 1_000_000, -5
	if err := h.Validate(); err != nil {
		t.Errorf("root-only values: %v", err)
	}
}

// setCase is one call of a setter: with origin o on a default value
// (edited by prep first), want is the error (nil for success) and, on
// success, check tells whether the value was stored.
type setCase struct {
	name  string
	o     Origin
	prep  func(*Hyperparameters)
	set   func(*Hyperparameters, Origin) error
	want  error
	check func(*Hyperparameters) bool
}

func mult(hi, lo uint64) fixed.U64F64 { return fixed.U64F64FromBits(hi, lo) }

// TestSetters checks, for every setter, every origin and the boundaries
// of its range: a failure is the chain's error and changes nothing; a
// success stores exactly the value.
func TestSetters(t *testing.T) {
	var cases []setCase
	// access: which origins may call; root-only setters refuse the owner.
	type access int
	const (
		ownerOrRootAccess access = iota
		rootAccess
	)
	add := func(name string, acc access, ok func(*Hyperparameters, Origin) error, check func(*Hyperparameters) bool) {
		for _, o := range []Origin{OriginNone, OriginSigned, OriginOwner, OriginRoot, Origin(9)} {
			var want error
			switch {
			case o == OriginRoot:
			case o == OriginOwner && acc == ownerOrRootAccess:
			default:
				want = ErrBadOrigin
			}
			cases = append(cases, setCase{name: name + "/" + o.String(), o: o, set: ok, want: want, check: check})
		}
	}
	rng := func(name string, o Origin, prep func(*Hyperparameters), set func(*Hyperparameters, Origin) error, want error, check func(*Hyperparameters) bool) {
		cases = append(cases, setCase{name: name, o: o, prep: prep, set: set, want: want, check: check})
	}

	// Tempo: owner within [360, 50400] (TempoOutOfBounds), root any.
	add("tempo", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetTempo(o, 361) },
		func(h *Hyperparameters) bool { return h.Tempo == 361 })
	for _, c := range []struct {
		v    uint16
		o    Origin
		want error
	}{{359, OriginOwner, ErrTempoOutOfBounds}, {360, OriginOwner, nil}, {50_400, OriginOwner, nil},
		{50_401, OriginOwner, ErrTempoOutOfBounds}, {0, OriginRoot, nil}, {65_535, OriginRoot, nil}} {
		rng("tempo range", c.o, nil, func(h *Hyperparameters, o Origin) error { return h.SetTempo(o, c.v) }, c.want,
			func(h *Hyperparameters) bool { return h.Tempo == c.v })
	}
	add("activity cutoff factor", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetActivityCutoffFactorMilli(o, 1_000) },
		func(h *Hyperparameters) bool { return h.ActivityCutoffFactorMilli == 1_000 })
	for _, o := range []Origin{OriginOwner, OriginRoot} {
		for _, c := range []struct {
			v    uint32
			want error
		}{{999, ErrActivityCutoffFactorMilliOutOfBounds}, {1_000, nil}, {50_000, nil}, {50_001, ErrActivityCutoffFactorMilliOutOfBounds}} {
			rng("activity cutoff factor range", o, nil, func(h *Hyperparameters, o Origin) error { return h.SetActivityCutoffFactorMilli(o, c.v) }, c.want,
				func(h *Hyperparameters) bool { return h.ActivityCutoffFactorMilli == c.v })
		}
	}
	add("kappa", rootAccess, func(h *Hyperparameters, o Origin) error { return h.SetKappa(o, 0) },
		func(h *Hyperparameters) bool { return h.Kappa == 0 })
	add("max validators", rootAccess, func(h *Hyperparameters, o Origin) error { return h.SetMaxAllowedValidators(o, 256) },
		func(h *Hyperparameters) bool { return h.MaxAllowedValidators == 256 })
	rng("max validators above uids", OriginRoot, nil, func(h *Hyperparameters, o Origin) error { return h.SetMaxAllowedValidators(o, 257) },
		ErrMaxValidatorsLargerThanMaxUIds, nil)
	add("max uids", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetMaxAllowedUids(o, 64, 64) },
		func(h *Hyperparameters) bool { return h.MaxAllowedUids == 64 })
	for _, o := range []Origin{OriginOwner, OriginRoot} {
		rng("max uids below min", o, nil, func(h *Hyperparameters, o Origin) error { return h.SetMaxAllowedUids(o, 63, 0) },
			ErrMaxAllowedUidsLessThanMinAllowedUids, nil)
		rng("max uids below registered", o, nil, func(h *Hyperparameters, o Origin) error { return h.SetMaxAllowedUids(o, 100, 101) },
			ErrMaxAllowedUIdsLessThanCurrentUIds, nil)
		rng("max uids above 256", o, nil, func(h *Hyperparameters, o Origin) error { return h.SetMaxAllowedUids(o, 257, 0) },
			ErrMaxAllowedUidsGreaterThanDefaultMaxAllowedUids, nil)
		rng("max uids over mechanisms", o, func(h *Hyperparameters) { h.MechanismCount = 2 },
			func(h *Hyperparameters, o Origin) error { return h.SetMaxAllowedUids(o, 129, 0) }, ErrTooManyUIDsPerMechanism, nil)
		rng("max uids fit mechanisms", o, func(h *Hyperparameters) { h.MechanismCount = 2 },
			func(h *Hyperparameters, o Origin) error { return h.SetMaxAllowedUids(o, 128, 128) }, nil,
			func(h *Hyperparameters) bool { return h.MaxAllowedUids == 128 })
	}
	add("min uids", rootAccess, func(h *Hyperparameters, o Origin) error { return h.SetMinAllowedUids(o, 10, 11) },
		func(h *Hyperparameters) bool { return h.MinAllowedUids == 10 })
	rng("min uids not below max", OriginRoot, nil, func(h *Hyperparameters, o Origin) error { return h.SetMinAllowedUids(o, 256, 256) },
		ErrMinAllowedUidsGreaterThanMaxAllowedUids, nil)
	rng("min uids not below registered", OriginRoot, nil, func(h *Hyperparameters, o Origin) error { return h.SetMinAllowedUids(o, 10, 10) },
		ErrMinAllowedUidsGreaterThanCurrentUids, nil)
	add("min weights", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetMinAllowedWeights(o, 65_535) },
		func(h *Hyperparameters) bool { return h.MinAllowedWeights == 65_535 })
	add("weights rate limit", rootAccess, func(h *Hyperparameters, o Origin) error { return h.SetWeightsSetRateLimit(o, 0) },
		func(h *Hyperparameters) bool { return h.WeightsSetRateLimit == 0 })
	add("version key", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetWeightsVersionKey(o, 1<<63) },
		func(h *Hyperparameters) bool { return h.WeightsVersionKey == 1<<63 })
	add("bonds moving average", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetBondsMovingAverage(o, 975_000) },
		func(h *Hyperparameters) bool { return h.BondsMovingAverage == 975_000 })
	rng("bonds moving average owner max", OriginOwner, nil, func(h *Hyperparameters, o Origin) error { return h.SetBondsMovingAverage(o, 975_001) },
		ErrBondsMovingAverageMaxReached, nil)
	rng("bonds moving average root any", OriginRoot, nil, func(h *Hyperparameters, o Origin) error { return h.SetBondsMovingAverage(o, 1<<64-1) }, nil,
		func(h *Hyperparameters) bool { return h.BondsMovingAverage == 1<<64-1 })
	add("bonds penalty", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetBondsPenalty(o, 0) },
		func(h *Hyperparameters) bool { return h.BondsPenalty == 0 })
	add("bonds reset", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetBondsResetOn(o, true) },
		func(h *Hyperparameters) bool { return h.BondsResetOn })
	add("yuma3", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetYuma3On(o, false) },
		func(h *Hyperparameters) bool { return !h.Yuma3On })
	add("liquid alpha", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetLiquidAlphaOn(o, true) },
		func(h *Hyperparameters) bool { return h.LiquidAlphaOn })
	liquid := func(h *Hyperparameters) { h.LiquidAlphaOn = true }
	add("alpha values", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error {
		h.LiquidAlphaOn = true
		return h.SetAlphaValues(o, 1_638, 1_638)
	}, func(h *Hyperparameters) bool { return h.AlphaLow == 1_638 && h.AlphaHigh == 1_638 })
	for _, o := range []Origin{OriginOwner, OriginRoot} {
		for _, c := range []struct {
			lo, hi uint16
			prep   func(*Hyperparameters)
			want   error
		}{
			{6_553, 19_660, nil, ErrLiquidAlphaDisabled},
			{6_553, 19_660, liquid, nil},
			{1_638, 1_637, liquid, ErrAlphaHighTooLow},
			{1_637, 1_638, liquid, ErrAlphaLowOutOfRange},
			{2_000, 1_999, liquid, ErrAlphaLowOutOfRange},
			{65_535, 65_535, liquid, nil},
		} {
			rng("alpha values range", o, c.prep, func(h *Hyperparameters, o Origin) error { return h.SetAlphaValues(o, c.lo, c.hi) }, c.want,
				func(h *Hyperparameters) bool { return h.AlphaLow == c.lo && h.AlphaHigh == c.hi })
		}
	}
	add("sigmoid steepness", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetAlphaSigmoidSteepness(o, 0) },
		func(h *Hyperparameters) bool { return h.AlphaSigmoidSteepness == 0 })
	rng("sigmoid steepness owner negative", OriginOwner, nil, func(h *Hyperparameters, o Origin) error { return h.SetAlphaSigmoidSteepness(o, -1) },
		ErrNegativeSigmoidSteepness, nil)
	rng("sigmoid steepness root negative", OriginRoot, nil, func(h *Hyperparameters, o Origin) error { return h.SetAlphaSigmoidSteepness(o, -32_768) }, nil,
		func(h *Hyperparameters) bool { return h.AlphaSigmoidSteepness == -32_768 })
	add("commit reveal", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetCommitRevealWeightsEnabled(o, false) },
		func(h *Hyperparameters) bool { return !h.CommitRevealWeightsEnabled })
	add("reveal period", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetRevealPeriodEpochs(o, 100) },
		func(h *Hyperparameters) bool { return h.RevealPeriodEpochs == 100 })
	for _, o := range []Origin{OriginOwner, OriginRoot} {
		rng("reveal period 0", o, nil, func(h *Hyperparameters, o Origin) error { return h.SetRevealPeriodEpochs(o, 0) }, ErrRevealPeriodTooSmall, nil)
		rng("reveal period 101", o, nil, func(h *Hyperparameters, o Origin) error { return h.SetRevealPeriodEpochs(o, 101) }, ErrRevealPeriodTooLarge, nil)
	}
	add("immunity period", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetImmunityPeriod(o, 0) },
		func(h *Hyperparameters) bool { return h.ImmunityPeriod == 0 })
	add("immune owner limit", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetImmuneOwnerUidsLimit(o, 10) },
		func(h *Hyperparameters) bool { return h.ImmuneOwnerUidsLimit == 10 })
	for _, o := range []Origin{OriginOwner, OriginRoot} {
		rng("immune owner limit 0", o, nil, func(h *Hyperparameters, o Origin) error { return h.SetImmuneOwnerUidsLimit(o, 0) }, ErrInvalidValue, nil)
		rng("immune owner limit 11", o, nil, func(h *Hyperparameters, o Origin) error { return h.SetImmuneOwnerUidsLimit(o, 11) }, ErrInvalidValue, nil)
	}
	add("min non-immune", rootAccess, func(h *Hyperparameters, o Origin) error { return h.SetMinNonImmuneUids(o, 0) },
		func(h *Hyperparameters) bool { return h.MinNonImmuneUids == 0 })
	add("registration allowed", rootAccess, func(h *Hyperparameters, o Origin) error { return h.SetNetworkRegistrationAllowed(o, false) },
		func(h *Hyperparameters) bool { return !h.NetworkRegistrationAllowed })
	add("burn half-life", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetBurnHalfLife(o, 1) },
		func(h *Hyperparameters) bool { return h.BurnHalfLife == 1 })
	for _, o := range []Origin{OriginOwner, OriginRoot} {
		rng("burn half-life 0", o, nil, func(h *Hyperparameters, o Origin) error { return h.SetBurnHalfLife(o, 0) }, ErrInvalidValue, nil)
		rng("burn half-life max", o, nil, func(h *Hyperparameters, o Origin) error { return h.SetBurnHalfLife(o, 36_100) }, nil,
			func(h *Hyperparameters) bool { return h.BurnHalfLife == 36_100 })
		rng("burn half-life above", o, nil, func(h *Hyperparameters, o Origin) error { return h.SetBurnHalfLife(o, 36_101) }, ErrInvalidValue, nil)
	}
	add("burn mult", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetBurnIncreaseMult(o, mult(1, 0)) },
		func(h *Hyperparameters) bool { return h.BurnIncreaseMult == mult(1, 0) })
	for _, o := range []Origin{OriginOwner, OriginRoot} {
		for _, c := range []struct {
			m    fixed.U64F64
			want error
		}{{mult(0, 1<<64-1), ErrInvalidValue}, {mult(1, 0), nil}, {mult(3, 0), nil}, {mult(3, 1), ErrInvalidValue}, {mult(2, 1<<63), nil}} {
			rng("burn mult range", o, nil, func(h *Hyperparameters, o Origin) error { return h.SetBurnIncreaseMult(o, c.m) }, c.want,
				func(h *Hyperparameters) bool { return h.BurnIncreaseMult == c.m })
		}
	}
	add("min burn", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetMinBurn(o, 0) },
		func(h *Hyperparameters) bool { return h.MinBurn == 0 })
	add("max burn", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetMaxBurn(o, 100_000_001) },
		func(h *Hyperparameters) bool { return h.MaxBurn == 100_000_001 })
	for _, o := range []Origin{OriginOwner, OriginRoot} {
		for _, c := range []struct {
			v    units.TAO
			prep func(*Hyperparameters)
			want error
		}{{999_999_999, nil, nil}, {1_000_000_000, nil, ErrValueNotInBounds},
			{200_000_000, func(h *Hyperparameters) { h.MaxBurn = 200_000_000 }, ErrValueNotInBounds},
			{199_999_999, func(h *Hyperparameters) { h.MaxBurn = 200_000_000 }, nil}} {
			rng("min burn range", o, c.prep, func(h *Hyperparameters, o Origin) error { return h.SetMinBurn(o, c.v) }, c.want,
				func(h *Hyperparameters) bool { return h.MinBurn == c.v })
		}
		for _, c := range []struct {
			v    units.TAO
			prep func(*Hyperparameters)
			want error
		}{{100_000_000, nil, ErrValueNotInBounds}, {100_000_001, nil, nil}, {1<<64 - 1, nil, nil},
			{300_000_000, func(h *Hyperparameters) { h.MinBurn = 300_000_000 }, ErrValueNotInBounds},
			{300_000_001, func(h *Hyperparameters) { h.MinBurn = 300_000_000 }, nil}} {
			rng("max burn range", o, c.prep, func(h *Hyperparameters, o Origin) error { return h.SetMaxBurn(o, c.v) }, c.want,
				func(h *Hyperparameters) bool { return h.MaxBurn == c.v })
		}
	}
	add("owner cut", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error { return h.SetOwnerCutEnabled(o, false) },
		func(h *Hyperparameters) bool { return !h.OwnerCutEnabled })
	halfUids := func(h *Hyperparameters) { h.MaxAllowedUids = 128 }
	add("mechanism count", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error {
		h.MaxAllowedUids = 128
		return h.SetMechanismCount(o, 2, 2)
	}, func(h *Hyperparameters) bool { return h.MechanismCount == 2 })
	for _, o := range []Origin{OriginOwner, OriginRoot} {
		rng("mechanism count 0", o, halfUids, func(h *Hyperparameters, o Origin) error { return h.SetMechanismCount(o, 0, 2) }, ErrInvalidValue, nil)
		rng("mechanism count above max", o, halfUids, func(h *Hyperparameters, o Origin) error { return h.SetMechanismCount(o, 3, 2) }, ErrInvalidValue, nil)
		rng("mechanism count uids", o, nil, func(h *Hyperparameters, o Origin) error { return h.SetMechanismCount(o, 2, 2) }, ErrTooManyUIDsPerMechanism, nil)
		rng("mechanism count 17", o, func(h *Hyperparameters) { h.MaxAllowedUids = 15 },
			func(h *Hyperparameters, o Origin) error { return h.SetMechanismCount(o, 17, 255) }, ErrInvalidValue, nil)
		rng("mechanism count 16", o, func(h *Hyperparameters) { h.MaxAllowedUids = 16 },
			func(h *Hyperparameters, o Origin) error { return h.SetMechanismCount(o, 16, 16) }, nil,
			func(h *Hyperparameters) bool { return h.MechanismCount == 16 })
	}
	twoMechs := func(h *Hyperparameters) { h.MaxAllowedUids, h.MechanismCount = 128, 2 }
	add("emission split", ownerOrRootAccess, func(h *Hyperparameters, o Origin) error {
		twoMechs(h)
		return h.SetEmissionSplit(o, []uint16{65_535})
	}, func(h *Hyperparameters) bool { return h.EmissionSplitLen == 1 && h.EmissionSplit[0] == 65_535 })
	for _, o := range []Origin{OriginOwner, OriginRoot} {
		rng("emission split empty", o, twoMechs, func(h *Hyperparameters, o Origin) error { return h.SetEmissionSplit(o, []uint16{}) }, ErrInvalidValue, nil)
		rng("emission split too long", o, twoMechs, func(h *Hyperparameters, o Origin) error { return h.SetEmissionSplit(o, []uint16{65_535, 0, 0}) }, ErrInvalidValue, nil)
		rng("emission split sum", o, twoMechs, func(h *Hyperparameters, o Origin) error { return h.SetEmissionSplit(o, []uint16{30_000, 35_534}) }, ErrInvalidValue, nil)
		rng("emission split ok", o, twoMechs, func(h *Hyperparameters, o Origin) error { return h.SetEmissionSplit(o, []uint16{30_000, 35_535}) }, nil,
			func(h *Hyperparameters) bool {
				return h.EmissionSplitLen == 2 && h.EmissionSplit[0] == 30_000 && h.EmissionSplit[1] == 35_535
			})
		rng("emission split nil clears", o, func(h *Hyperparameters) {
			twoMechs(h)
			h.EmissionSplitLen, h.EmissionSplit[0] = 1, 65_535
		}, func(h *Hyperparameters, o Origin) error { return h.SetEmissionSplit(o, nil) }, nil,
			func(h *Hyperparameters) bool { return h.EmissionSplitLen == 0 && h.EmissionSplit[0] == 0 })
	}

	for _, c := range cases {
		h := DefaultHyperparameters()
		if c.prep != nil {
			c.prep(&h)
		}
		before := h
		err := c.set(&h, c.o)
		if c.want != nil {
			if !errors.Is(err, c.want) {
				t.Errorf("%s (%s): err = %v, want %v", c.name, c.o, err, c.want)
			}
			if units.ChainName(err) == "" {
				t.Errorf("%s (%s): %v has no chain name", c.name, c.o, err)
			}
			// The add rows' setters may edit prerequisites before the
			// call; every other failure must leave the value unchanged.
			if c.check == nil && h != before {
				t.Errorf("%s (%s): failed setter changed the value", c.name, c.o)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s (%s): err = %v", c.name, c.o, err)
			continue
		}
		if c.check != nil && !c.check(&h) {
			t.Errorf("%s (%s): value not stored: %+v", c.name, c.o, h)
		}
	}
}

// TestFailedSetterChangesNothing: with the prerequisite in place before the
// call, a refused origin leaves the whole value as it was.
func TestFailedSetterChangesNothing(t *testing.T) {
	h := DefaultHyperparameters()
	h.LiquidAlphaOn = true
	before := h
	for _, err := range []error{
		h.SetAlphaValues(OriginSigned, 2_000, 3_000),
		h.SetTempo(OriginNone, 400),
		h.SetKappa(OriginOwner, 1),
		h.SetMechanismCount(OriginOwner, 2, 2),
		h.SetEmissionSplit(OriginSigned, nil),
	} {
		if err == nil {
			t.Fatal("a refused call succeeded")
		}
	}
	if h != before {
		t.Fatalf("refused calls changed the value: %+v", h)
	}
}

// TestSetMechanismCountResetsSplit: a changed count drops the stored split
// (subnets/mechanism.rs update_mechanism_counts_if_needed); the same count
// keeps it.
func TestSetMechanismCountResetsSplit(t *testing.T) {
	h := DefaultHyperparameters()
	h.MaxAllowedUids = 128
	if err := h.SetEmissionSplit(OriginOwner, []uint16{65_535}); err != nil {
		t.Fatal(err)
	}
	if err := h.SetMechanismCount(OriginOwner, 1, 2); err != nil || h.EmissionSplitLen != 1 {
		t.Fatalf("same count: err %v, split len %d", err, h.EmissionSplitLen)
	}
	if err := h.SetMechanismCount(OriginRoot, 2, 2); err != nil || h.EmissionSplitLen != 0 || h.EmissionSplit[0] != 0 {
		t.Fatalf("new count: err %v, split %v/%d", err, h.EmissionSplit, h.EmissionSplitLen)
	}
}

func TestOriginString(t *testing.T) {
	for o, want := range map[Origin]string{OriginNone: "none", OriginSigned: "signed", OriginOwner: "owner", OriginRoot: "root", 7: "Origin(7)"} {
		if o.String() != want {
			t.Errorf("%d: %q", o, o.String())
		}
	}
}
