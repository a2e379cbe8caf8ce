package consensus

import (
	"fmt"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Mechanism is the per-mechanism state of a subnet (storage index
// m·4096 + netuid on chain): what set_weights and the epoch write per
// mechanism. Stake, registration blocks, permits and hyperparameters are
// shared and come from the Input given to EpochWithMechanisms.
type Mechanism struct {
	LastUpdate   []uint64
	Weights      [][]Entry
	Bonds        [][]Entry
	CommitBlocks []uint64
}

// MaxMechanismCount is the largest number of mechanisms a subnet can have:
// subnets/mechanism.rs MAX_MECHANISM_COUNT_PER_SUBNET, the ceiling of the
// root-settable MaxMechanismCount (whose default is 2).
const MaxMechanismCount = 16

// SplitEmission is subnets/mechanism.rs split_emissions: emission divided
// among count mechanisms, by split (u16 shares of 65535, floor(E·s/65535) in
// 128-bit math; missing shares 0) or evenly (floor(E/count)) when split is
// nil. Whatever the division leaves over is added to mechanism 0. The
// result is appended to dst[:0].
//
// count and split must be what the chain can hold: count in
// 1..=MaxMechanismCount, else ErrInvalidMechanismCount; a non-nil split with
// 1 to count shares adding up to exactly 65535, else
// ErrInvalidEmissionSplit (do_set_mechanism_count and do_set_emission_split
// refuse anything else with InvalidValue). On error dst is not written and
// the result is nil.
func SplitEmission(dst []units.Alpha, emission units.Alpha, count int, split []uint16) ([]units.Alpha, error) {
	if err := checkSplit(count, split); err != nil {
		return nil, err
	}
	dst = dst[:0]
	if split != nil {
		for _, s := range split {
			// E·s < 65535·2^64, so the quotient fits: ok is always true.
			q, _ := fixed.MulDivUint64(uint64(emission), uint64(s), 65535)
			dst = append(dst, units.Alpha(q))
		}
	} else {
		per := emission / units.Alpha(count)
		for range count {
			dst = append(dst, per)
		}
	}
	for len(dst) < count {
		dst = append(dst, 0)
	}
	// The shares are floors of parts of E whose proportions add up to 1,
	// so the total is at most E and the remainder cannot underflow.
	var total units.Alpha
	for _, e := range dst {
		total += e
	}
	dst[0] += emission - total
	return dst, nil
}

// checkSplit refuses a mechanism count or emission split the chain's
// setters refuse (subnets/mechanism.rs do_set_mechanism_count,
// do_set_max_mechanism_count, do_set_emission_split).
func checkSplit(count int, split []uint16) error {
	if count < 1 || count > MaxMechanismCount {
		return ErrInvalidMechanismCount
	}
	if split == nil {
		return nil
	}
	if len(split) == 0 || len(split) > count {
		return ErrInvalidEmissionSplit
	}
	var sum uint64
	for _, s := range split {
		sum += uint64(s)
	}
	if sum != 65535 {
		return ErrInvalidEmissionSplit
	}
	return nil
}

// Aggregate is the per-uid result of EpochWithMechanisms as
// persist_netuid_epoch_terms stores it, plus the summed emissions the
// coinbase distributes.
type Aggregate struct {
	// ServerEmission and ValidatorEmission are summed over mechanisms
	// (saturating).
	ServerEmission, ValidatorEmission []units.Alpha
	// Emission is Σ_m floor(Emission_m·ω_m), accumulated with a floor at
	// every step, ω_m = E_m/E (U64F64).
	Emission []units.Alpha
	// Dividends, StakeWeight, Consensus and ValidatorTrust are the u16
	// outputs weighted by ω_m the same way.
	Dividends, StakeWeight, Consensus, ValidatorTrust []uint16
	// Active and ValidatorPermit are OR-ed over mechanisms.
	Active, ValidatorPermit []bool
}

// EpochWithMechanisms is subnets/mechanism.rs epoch_with_mechanisms: it
// splits in.Emission with SplitEmission(len(mechs), split), runs Epoch for
// every mechanism with that mechanism's LastUpdate, Weights, Bonds and
// CommitBlocks in place of in's, and aggregates. It returns the aggregate
// and each mechanism's own output (Bonds and Incentive are per mechanism on
// chain).
//
// Before anything runs it refuses what SplitEmission refuses
// (ErrInvalidMechanismCount for an empty mechs or more than
// MaxMechanismCount, ErrInvalidEmissionSplit) and every mechanism's Input
// that [Input.Validate] refuses (ErrInvalidInput, naming the mechanism).
func EpochWithMechanisms(in Input, mechs []Mechanism, split []uint16) (Aggregate, []Output, error) {
	shares, err := SplitEmission(nil, in.Emission, len(mechs), split)
	if err != nil {
		return Aggregate{}, nil, err
	}
	mechInput := func(m int) Input {
		mi := in
		mech := &mechs[m]
		mi.LastUpdate, mi.Weights, mi.Bonds, mi.CommitBlocks = mech.LastUpdate, mech.Weights, mech.Bonds, mech.CommitBlocks
		mi.Emission = shares[m]
		return mi
	}
	for m := range mechs {
		mi := mechInput(m)
		if err := mi.Validate(); err != nil {
			return Aggregate{}, nil, fmt.Errorf("mechanism %d: %w", m, err)
		}
	}
	n := int(in.N)
	agg := Aggregate{
		ServerEmission: make([]units.Alpha, n), ValidatorEmission: make([]units.Alpha, n), Emission: make([]units.Alpha, n),
		Dividends: make([]uint16, n), StakeWeight: make([]uint16, n), Consensus: make([]uint16, n),
		ValidatorTrust: make([]uint16, n), Active: make([]bool, n), ValidatorPermit: make([]bool, n),
	}
	outs := make([]Output, len(mechs))
	var ws Workspace
	total := fixed.U64F64FromUint64(uint64(in.Emission))
	for m := range mechs {
		mi := mechInput(m)
		if err := ws.Epoch(&mi, &outs[m]); err != nil {
			return Aggregate{}, nil, err
		}
		def := fixed.U64F64{}
		if m == 0 {
			def = fixed.U64F64FromUint64(1)
		}
		w := fixed.U64F64FromUint64(uint64(shares[m])).SafeDivOr(total, def)
		o := &outs[m]
		for i := 0; i < n; i++ {
			agg.ServerEmission[i] = agg.ServerEmission[i].SaturatingAdd(o.ServerEmission[i])
			agg.ValidatorEmission[i] = agg.ValidatorEmission[i].SaturatingAdd(o.ValidatorEmission[i])
			agg.Emission[i] = units.Alpha(weightedAcc(uint64(agg.Emission[i]), uint64(o.Emission[i]), w).SaturatingToUint64())
			agg.Dividends[i] = weightedAcc(uint64(agg.Dividends[i]), uint64(o.Dividends[i]), w).SaturatingToUint16()
			agg.StakeWeight[i] = weightedAcc(uint64(agg.StakeWeight[i]), uint64(o.StakeWeight[i]), w).SaturatingToUint16()
			agg.Consensus[i] = weightedAcc(uint64(agg.Consensus[i]), uint64(o.Consensus[i]), w).SaturatingToUint16()
			agg.ValidatorTrust[i] = weightedAcc(uint64(agg.ValidatorTrust[i]), uint64(o.ValidatorTrust[i]), w).SaturatingToUint16()
			agg.Active[i] = agg.Active[i] || o.Active[i]
			agg.ValidatorPermit[i] = agg.ValidatorPermit[i] || o.ValidatorPermit[i]
		}
	}
	return agg, outs, nil
}

// weightedAcc is weighted_acc_u16 / weighted_acc_alpha before the final
// conversion: existing + added·w in U64F64, saturating.
func weightedAcc(existing, added uint64, w fixed.U64F64) fixed.U64F64 {
	return fixed.U64F64FromUint64(existing).SaturatingAdd(fixed.U64F64FromUint64(added).SaturatingMul(w))
}
