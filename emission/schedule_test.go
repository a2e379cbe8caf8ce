package emission

import (
	"testing"

	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// Ported from subtensor pallets/subtensor/src/tests/emission.rs @14bc6f9f
// (test_zero_tempo, test_regular_case, test_boundary_conditions,
// test_overflow_handling, test_epoch_alignment, test_different_network_ids,
// test_large_tempo_values, test_consecutive_blocks,
// test_wrap_around_behavior). LastEpochBlock is 0 in all of them; the
// assertions are exact.
func TestBlocksUntilNextAutoEpoch(t *testing.T) {
	at := func(tempo uint16, block uint64) uint64 {
		return Schedule{Tempo: tempo}.BlocksUntilNextAutoEpoch(block)
	}
	require.Equal(t, ^uint64(0), at(0, 100), "test_zero_tempo")
	require.Equal(t, uint64(5), at(10, 5), "test_regular_case")
	require.Equal(t, uint64(5), at(20, 15), "test_regular_case")
	require.Equal(t, uint64(5), at(30, 25), "test_regular_case")
	require.Equal(t, uint64(0), at(65535, ^uint64(0)), "test_boundary_conditions")
	require.Equal(t, uint64(65535), at(65535, 0), "test_boundary_conditions")
	require.Equal(t, uint64(0), at(65535, ^uint64(0)-1), "test_overflow_handling")
	require.Equal(t, uint64(1), at(10, 9), "test_epoch_alignment")
	require.Equal(t, uint64(0), at(20, 21), "test_epoch_alignment")
	require.Equal(t, uint64(65534-100), at(65534, 100), "test_large_tempo_values")
	last := at(10, 0)
	for i := uint64(1); i < 9; i++ {
		cur := at(10, i)
		require.Equal(t, last-1, cur, "test_consecutive_blocks at %d", i)
		last = cur
	}
	require.Equal(t, uint64(0), at(10, ^uint64(0)), "test_wrap_around_behavior")
	require.Equal(t, uint64(0), at(10, ^uint64(0)-1), "test_wrap_around_behavior")
	// A LastEpochBlock near u64::MAX saturates instead of wrapping.
	require.Equal(t, uint64(0), Schedule{Tempo: 10, LastEpochBlock: ^uint64(0)}.BlocksUntilNextAutoEpoch(^uint64(0)))
}

// Ported from subtensor pallets/subtensor/src/tests/tempo_control.rs
// @14bc6f9f (get_next_epoch_start_block_*).
func TestNextEpochBlock(t *testing.T) {
	_, ok := Schedule{Tempo: 0, LastEpochBlock: 100}.NextEpochBlock()
	require.False(t, ok, "returns_none_when_tempo_zero")
	cases := []struct {
		pending, want uint64
	}{
		{0, 150},   // uses_last_epoch_block_plus_tempo
		{120, 120}, // returns_pending_when_pending_is_earlier
		{200, 150}, // ignores_pending_when_auto_is_earlier
	}
	for _, c := range cases {
		got, ok := Schedule{Tempo: 50, LastEpochBlock: 100, PendingEpochAt: c.pending}.NextEpochBlock()
		require.True(t, ok)
		require.Equal(t, c.want, got, "pending %d", c.pending)
	}
}

func TestDue(t *testing.T) {
	cases := []struct {
		name  string
		s     Schedule
		block uint64
		due   bool
	}{
		{"tempo 0 never runs", Schedule{Tempo: 0, PendingEpochAt: 5, BlocksSinceLastStep: 1 << 40}, 10, false},
		{"one block early", Schedule{Tempo: 360, LastEpochBlock: 1000}, 1359, false},
		{"exactly tempo blocks later", Schedule{Tempo: 360, LastEpochBlock: 1000}, 1360, true},
		{"pending has come", Schedule{Tempo: 360, LastEpochBlock: 1000, PendingEpochAt: 1010}, 1010, true},
		{"pending not yet", Schedule{Tempo: 360, LastEpochBlock: 1000, PendingEpochAt: 1010}, 1009, false},
		{"safety net is strict", Schedule{Tempo: 65535, BlocksSinceLastStep: MaxTempo}, 10, false},
		{"safety net past MaxTempo", Schedule{Tempo: 65535, BlocksSinceLastStep: MaxTempo + 1}, 10, true},
		{"block before LastEpochBlock saturates", Schedule{Tempo: 1, LastEpochBlock: 50}, 10, false},
	}
	for _, c := range cases {
		require.Equal(t, c.due, c.s.Due(c.block), c.name)
	}
}

// Ported from subtensor pallets/subtensor/src/tests/coinbase.rs @14bc6f9f
// (test_epochs_deferred_this_block_respects_cap): with cap+2 subnets all
// due, exactly 2 are deferred, and the deferred ones stay due.
func TestAdvanceSchedulesRespectsCap(t *testing.T) {
	const cap = 2 // the runtime's MaxEpochsPerBlock
	subnets := make([]Schedule, cap+2)
	for i := range subnets {
		subnets[i] = Schedule{Tempo: 100, PendingEpochAt: 1}
	}
	out := make([]EpochOutcome, len(subnets))
	AdvanceSchedules(subnets, nil, 1, cap, out)
	require.Equal(t, []EpochOutcome{Ran, Ran, Deferred, Deferred}, out)
	for i, s := range subnets {
		switch out[i] {
		case Ran:
			require.Equal(t, Schedule{Tempo: 100, LastEpochBlock: 1, EpochIndex: 1}, s)
		case Deferred:
			require.Equal(t, Schedule{Tempo: 100, PendingEpochAt: 2, BlocksSinceLastStep: 1}, s)
			require.True(t, s.Due(2), "a deferred epoch runs next block")
		}
	}
}

func TestAdvanceSchedulesSkippedDoesNotCount(t *testing.T) {
	subnets := []Schedule{
		{Tempo: 10, BlocksSinceLastStep: 7},
		{Tempo: 10},
		{Tempo: 10},
		{Tempo: 20}, // not due at block 10
	}
	out := make([]EpochOutcome, len(subnets))
	AdvanceSchedules(subnets, []bool{false, true, true, true}, 10, 2, out)
	require.Equal(t, []EpochOutcome{Skipped, Ran, Ran, NotDue}, out)
	// A skipped epoch consumes the slot but keeps counting blocks.
	require.Equal(t, Schedule{Tempo: 10, LastEpochBlock: 10, BlocksSinceLastStep: 8, EpochIndex: 1}, subnets[0])
	require.Equal(t, Schedule{Tempo: 20, BlocksSinceLastStep: 1}, subnets[3])
	require.Equal(t, "Skipped", out[0].String())
}

// Over many blocks, a lone subnet runs exactly every tempo blocks.
func TestAdvanceSchedulesPeriod(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tempo := rapid.Uint16Range(1, 1000).Draw(t, "tempo")
		start := rapid.Uint64Range(0, 1<<40).Draw(t, "start")
		s := []Schedule{{Tempo: tempo, LastEpochBlock: start}}
		out := make([]EpochOutcome, 1)
		var runs []uint64
		for b := start + 1; b <= start+3*uint64(tempo); b++ {
			AdvanceSchedules(s, nil, b, 2, out)
			if out[0] == Ran {
				runs = append(runs, b)
			}
		}
		want := []uint64{start + uint64(tempo), start + 2*uint64(tempo), start + 3*uint64(tempo)}
		if len(runs) != 3 || runs[0] != want[0] || runs[1] != want[1] || runs[2] != want[2] {
			t.Fatalf("runs %v, want %v", runs, want)
		}
	})
}

func TestAdvanceSchedulesAllocs(t *testing.T) {
	subnets := make([]Schedule, 64)
	for i := range subnets {
		subnets[i] = Schedule{Tempo: 360, LastEpochBlock: uint64(i)}
	}
	out := make([]EpochOutcome, len(subnets))
	block := uint64(360)
	allocs := testing.AllocsPerRun(100, func() {
		AdvanceSchedules(subnets, nil, block, 2, out)
		block++
	})
	require.Zero(t, allocs)
}

// The legacy rule's table from the doc comment of blocks_until_next_epoch
// (run_coinbase.rs at v3.4.7-422): the first epoch block for each
// (tempo, netuid).
func TestLegacySchedule(t *testing.T) {
	cases := []struct {
		tempo  uint16
		netuid units.NetUID
		first  uint64
	}{
		{1, 0, 0}, {1, 1, 1}, {2, 0, 1}, {2, 1, 0}, {100, 0, 99}, {100, 1, 98},
	}
	for _, c := range cases {
		require.Equal(t, c.first, LegacyBlocksUntilNextEpoch(c.netuid, c.tempo, 0), "tempo %d netuid %d", c.tempo, c.netuid)
		require.True(t, LegacyEpochDue(c.netuid, c.tempo, c.first))
		// The period is tempo + 1.
		require.True(t, LegacyEpochDue(c.netuid, c.tempo, c.first+uint64(c.tempo)+1))
		require.False(t, LegacyEpochDue(c.netuid, c.tempo, c.first+uint64(c.tempo)))
	}
	require.Equal(t, ^uint64(0), LegacyBlocksUntilNextEpoch(1, 0, 5))
	// block + netuid + 1 wraps around u64 as on chain: u64::MAX + 2 = 1.
	require.Equal(t, uint64(10-1%11), LegacyBlocksUntilNextEpoch(1, 10, ^uint64(0)))
}

// tempo_control.rs @14bc6f9f: set_tempo resets the cycle (next epoch at
// now + tempo, get_next_epoch_start_block_reflects_set_tempo_cycle_reset)
// and refuses tempos outside [360, 50_400]; trigger_epoch is refused with
// commit-reveal on, while pending, or when the automatic epoch is within
// the freeze window (do_trigger_epoch_rejects_when_auto_epoch_already_imminent).
func TestOwnerScheduling(t *testing.T) {
	s := Schedule{Tempo: 360, LastEpochBlock: 0}
	require.ErrorIs(t, s.SetTempo(359, 10), ErrTempoOutOfBounds)
	require.ErrorIs(t, s.SetTempo(50_401, 10), ErrTempoOutOfBounds)
	require.Equal(t, Schedule{Tempo: 360}, s, "a refused set_tempo changes nothing")
	require.NoError(t, s.SetTempo(720, 10))
	next, ok := s.NextEpochBlock()
	require.True(t, ok)
	require.Equal(t, uint64(730), next)

	require.ErrorIs(t, s.Trigger(100, DefaultAdminFreezeWindow, true), ErrDynamicTempoBlockedByCommitReveal)
	require.ErrorIs(t, s.Trigger(725, DefaultAdminFreezeWindow, false), ErrAutoEpochAlreadyImminent)
	require.NoError(t, s.Trigger(100, DefaultAdminFreezeWindow, false))
	require.Equal(t, uint64(110), s.PendingEpochAt)
	require.ErrorIs(t, s.Trigger(101, DefaultAdminFreezeWindow, false), ErrEpochTriggerAlreadyPending)
	require.False(t, s.Due(109))
	require.True(t, s.Due(110), "the triggered epoch fires after the freeze window")
	require.Equal(t, "TempoOutOfBounds", ErrTempoOutOfBounds.ChainName())
}

// BenchmarkAdvanceSchedules is one block's scheduling pass over the
// ledger benchmark's 64 subnets of tempo 360, their epochs spread over
// the tempo (one runs every few blocks).
func BenchmarkAdvanceSchedules(b *testing.B) {
	const n = 64
	subnets := make([]Schedule, n)
	for i := range subnets {
		subnets[i] = Schedule{Tempo: 360, LastEpochBlock: uint64(i * 360 / n)}
	}
	out := make([]EpochOutcome, n)
	block := uint64(360)
	b.ReportAllocs()
	for b.Loop() {
		block++
		AdvanceSchedules(subnets, nil, block, 64, out)
	}
}
