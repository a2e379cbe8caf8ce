package emission

import (
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// MaxTempo is the chain's MAX_TEMPO (50_400 blocks, one week): the upper
// bound of an owner's set_tempo, and the safety net past which an epoch
// runs whatever the schedule says.
const MaxTempo = 50_400

// MinTempo is the chain's MIN_TEMPO, the lower bound of an owner's
// set_tempo.
const MinTempo = 360

// Schedule is one subnet's epoch-scheduling state under dynamic tempo
// (since 2026-06-25). The fields mirror the storage items of the same
// names; the zero value is a subnet with tempo 0, which never runs.
type Schedule struct {
	Tempo               uint16 // Tempo: blocks between automatic epochs; 0 means never
	LastEpochBlock      uint64 // LastEpochBlock: block of the last consumed epoch slot
	PendingEpochAt      uint64 // PendingEpochAt: block of a triggered or deferred epoch; 0 for none
	BlocksSinceLastStep uint64 // BlocksSinceLastStep: blocks since the last successful epoch
	EpochIndex          uint64 // SubnetEpochIndex: epoch slots consumed so far
}

// Due reports whether the subnet's epoch is due at block, as the chain's
// should_run_epoch decides: never with tempo 0; otherwise when a pending
// epoch has come, when BlocksSinceLastStep exceeds MaxTempo, or when tempo
// blocks have passed since LastEpochBlock.
func (s Schedule) Due(block uint64) bool {
	return s.due(block)
}

// due is Due on the schedule in place: AdvanceSchedules reads it field by
// field through the pointer, right after storing BlocksSinceLastStep,
// where Due's value receiver would copy the whole schedule with loads
// that overlap that store (a store-forwarding stall per subnet).
func (s *Schedule) due(block uint64) bool {
	if s.Tempo == 0 {
		return false
	}
	if s.PendingEpochAt > 0 && block >= s.PendingEpochAt {
		return true
	}
	if s.BlocksSinceLastStep > MaxTempo {
		return true
	}
	return fixed.SaturatingSubUint64(block, s.LastEpochBlock) >= uint64(s.Tempo)
}

// BlocksUntilNextAutoEpoch is the chain's blocks_until_next_auto_epoch:
// LastEpochBlock + Tempo − block, saturating at 0, and u64::MAX for tempo
// 0. Like the chain's, it ignores PendingEpochAt, the MaxTempo safety net
// and deferral.
func (s Schedule) BlocksUntilNextAutoEpoch(block uint64) uint64 {
	if s.Tempo == 0 {
		return ^uint64(0)
	}
	return fixed.SaturatingSubUint64(fixed.SaturatingAddUint64(s.LastEpochBlock, uint64(s.Tempo)), block)
}

// NextEpochBlock is the chain's get_next_epoch_start_block: the earlier of
// LastEpochBlock + Tempo and a pending epoch; ok is false with tempo 0.
func (s Schedule) NextEpochBlock() (block uint64, ok bool) {
	if s.Tempo == 0 {
		return 0, false
	}
	next := fixed.SaturatingAddUint64(s.LastEpochBlock, uint64(s.Tempo))
	if s.PendingEpochAt > 0 && s.PendingEpochAt < next {
		next = s.PendingEpochAt
	}
	return next, true
}

// EpochOutcome is what the per-block scheduling pass decided for one subnet.
type EpochOutcome uint8

const (
	// NotDue: the subnet's epoch is not due this block.
	NotDue EpochOutcome = iota
	// Ran: the epoch runs this block; its pending emission is drained and
	// distributed.
	Ran
	// Skipped: the slot is consumed but the epoch input was inconsistent
	// (duplicate hotkeys), so nothing is drained (event EpochSkipped).
	Skipped
	// Deferred: the epoch was due but MaxEpochsPerBlock epochs already ran;
	// it is pushed to the next block (event EpochDeferred).
	Deferred
)

// String names the outcome as the chain's events do.
func (o EpochOutcome) String() string {
	switch o {
	case NotDue:
		return "NotDue"
	case Ran:
		return "Ran"
	case Skipped:
		return "Skipped"
	case Deferred:
		return "Deferred"
	}
	return "EpochOutcome(?)"
}

// AdvanceSchedules is the scheduling half of the chain's drain_pending for
// one block: subnets are visited in storage order (the order of the slice;
// the chain iterates NetworksAdded, ascending netuid below 256), and for
// each:
//
//  1. BlocksSinceLastStep += 1; nothing more unless the epoch is Due.
//  2. If maxEpochsPerBlock epochs already ran this block, PendingEpochAt =
//     block + 1 and the outcome is Deferred (the schedule does not advance).
//  3. If consistent[i] (no duplicate hotkeys), BlocksSinceLastStep = 0 and
//     the outcome is Ran (the caller drains the pending buckets); else
//     Skipped.
//  4. For Ran and Skipped: LastEpochBlock = block, PendingEpochAt = 0,
//     EpochIndex += 1.
//
// Skipped epochs do not count toward maxEpochsPerBlock. out must have the
// length of subnets (it is filled, not appended to, so that a block step
// allocates nothing); consistent may be nil, meaning every subnet is
// consistent. AdvanceSchedules panics if out or a non-nil consistent is
// shorter than subnets: that is a programming error.
func AdvanceSchedules(subnets []Schedule, consistent []bool, block uint64, maxEpochsPerBlock uint32, out []EpochOutcome) {
	_ = out[:len(subnets)]
	if consistent != nil {
		_ = consistent[:len(subnets)]
	}
	var ran uint32
	for i := range subnets {
		s := &subnets[i]
		s.BlocksSinceLastStep = fixed.SaturatingAddUint64(s.BlocksSinceLastStep, 1)
		if !s.due(block) {
			out[i] = NotDue
			continue
		}
		if ran >= maxEpochsPerBlock {
			s.PendingEpochAt = fixed.SaturatingAddUint64(block, 1)
			out[i] = Deferred
			continue
		}
		if consistent == nil || consistent[i] {
			s.BlocksSinceLastStep = 0
			ran++
			out[i] = Ran
		} else {
			out[i] = Skipped
		}
		s.LastEpochBlock = block
		s.PendingEpochAt = 0
		s.EpochIndex = fixed.SaturatingAddUint64(s.EpochIndex, 1)
	}
}

// LegacyBlocksUntilNextEpoch is the scheduler before dynamic tempo (until
// v3.4.7-422, 2026-06-23), kept for replay: a subnet ran its epoch when
// (block + netuid + 1) mod (tempo + 1) == 0, so this returns
// tempo − ((block + netuid + 1) mod (tempo + 1)), and u64::MAX for tempo 0.
// As on chain, block + netuid + 1 wraps around u64.
func LegacyBlocksUntilNextEpoch(netuid units.NetUID, tempo uint16, block uint64) uint64 {
	if tempo == 0 {
		return ^uint64(0)
	}
	adjusted := block + uint64(netuid) + 1 // wrapping_add, as the chain
	return uint64(tempo) - adjusted%(uint64(tempo)+1)
}

// LegacyEpochDue reports whether the legacy scheduler ran the subnet's
// epoch at block.
func LegacyEpochDue(netuid units.NetUID, tempo uint16, block uint64) bool {
	return LegacyBlocksUntilNextEpoch(netuid, tempo, block) == 0
}

// DefaultAdminFreezeWindow is AdminFreezeWindow's default: the blocks
// before an epoch during which owner operations are frozen, and the delay
// of a triggered epoch.
const DefaultAdminFreezeWindow uint16 = 10

// SetTempo is the scheduling part of an owner's set_tempo (do_set_tempo,
// apply_tempo_with_cycle_reset): the tempo must lie in [MinTempo,
// MaxTempo], and the cycle restarts at block (LastEpochBlock = block), so
// the next automatic epoch is block + tempo. On error the schedule is
// unchanged. The owner check, the admin freeze window and the rate limit
// are the caller's.
func (s *Schedule) SetTempo(tempo uint16, block uint64) error {
	if tempo < MinTempo || tempo > MaxTempo {
		return ErrTempoOutOfBounds
	}
	s.Tempo = tempo
	s.LastEpochBlock = block
	return nil
}

// Trigger is the scheduling part of an owner's trigger_epoch
// (do_trigger_epoch): refused while commit-reveal is on, while an epoch is
// pending, or when the automatic epoch is fewer than freezeWindow blocks
// away; otherwise the epoch fires at block + freezeWindow (PendingEpochAt).
// On error the schedule is unchanged. The owner check and the rate limit
// are the caller's.
func (s *Schedule) Trigger(block uint64, freezeWindow uint16, commitReveal bool) error {
	if commitReveal {
		return ErrDynamicTempoBlockedByCommitReveal
	}
	if s.PendingEpochAt != 0 {
		return ErrEpochTriggerAlreadyPending
	}
	if s.BlocksUntilNextAutoEpoch(block) < uint64(freezeWindow) {
		return ErrAutoEpochAlreadyImminent
	}
	s.PendingEpochAt = fixed.SaturatingAddUint64(block, uint64(freezeWindow))
	return nil
}
