package dtao

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/emission"
)

// advanceEach is the block's scheduling as Ledger.step does it: each
// schedule alone (advanceSchedule), in order, with the epochs left of
// maxEpochs.
func advanceEach(schedules []emission.Schedule, block uint64, maxEpochs uint32, out []emission.EpochOutcome) {
	var scratch scheduleScratch
	var ran uint32
	for i := range schedules {
		out[i] = advanceSchedule(&schedules[i], block, maxEpochs-min(ran, maxEpochs), &scratch)
		if out[i] == emission.Ran {
			ran++
		}
	}
}

// checkAdvanceEach compares advanceEach with emission.AdvanceSchedules on
// the whole slice, the reference.
func checkAdvanceEach(t *testing.T, schedules []emission.Schedule, block uint64, maxEpochs uint32) {
	t.Helper()
	want, got := slices.Clone(schedules), slices.Clone(schedules)
	wantOut := make([]emission.EpochOutcome, len(schedules))
	gotOut := make([]emission.EpochOutcome, len(schedules))
	emission.AdvanceSchedules(want, nil, block, maxEpochs, wantOut)
	advanceEach(got, block, maxEpochs, gotOut)
	if !slices.Equal(got, want) || !slices.Equal(gotOut, wantOut) {
		t.Fatalf("block %d, max %d, schedules %+v:\ngot  %+v %v\nwant %+v %v", block, maxEpochs, schedules, got, gotOut, want, wantOut)
	}
}

// scheduleNear draws a schedule around block: due, not due, deferred,
// pending, past MaxTempo, tempo 0, at the saturation bounds.
func scheduleNear(r *rand.Rand, block uint64) emission.Schedule {
	pick := func(vs ...uint64) uint64 { return vs[r.IntN(len(vs))] }
	tempo := uint16(pick(0, 1, 2, 10, 360, math.MaxUint16))
	return emission.Schedule{
		Tempo:               tempo,
		LastEpochBlock:      pick(0, block, block-1, block-uint64(tempo), block-uint64(tempo)+1, block+1, math.MaxUint64, r.Uint64()),
		PendingEpochAt:      pick(0, 0, block, block+1, block-1, math.MaxUint64),
		BlocksSinceLastStep: pick(0, 1, emission.MaxTempo-1, emission.MaxTempo, emission.MaxTempo+1, math.MaxUint64-1, math.MaxUint64, r.Uint64()),
		EpochIndex:          pick(0, 7, math.MaxUint64),
	}
}

// TestAdvanceScheduleMatchesAdvanceSchedules checks the block's
// scheduling, one subnet at a time with the epochs left (Ledger.step),
// against emission.AdvanceSchedules on all of them: the same schedules
// and outcomes, on constructed edge cases and random blocks of schedules.
func TestAdvanceScheduleMatchesAdvanceSchedules(t *testing.T) {
	const block = 1_000_000
	due := emission.Schedule{Tempo: 10, LastEpochBlock: block - 10}
	notDue := emission.Schedule{Tempo: 10, LastEpochBlock: block - 3}
	pending := emission.Schedule{Tempo: 10, LastEpochBlock: block - 3, PendingEpochAt: block}
	overdue := emission.Schedule{Tempo: 360, LastEpochBlock: block, BlocksSinceLastStep: emission.MaxTempo}
	saturated := emission.Schedule{Tempo: 1, LastEpochBlock: block - 1, BlocksSinceLastStep: math.MaxUint64, EpochIndex: math.MaxUint64}
	never := emission.Schedule{BlocksSinceLastStep: math.MaxUint64}
	for _, max := range []uint32{0, 1, 2, 3, math.MaxUint32} {
		checkAdvanceEach(t, []emission.Schedule{due, notDue, due, pending, overdue, saturated, never, due}, block, max)
		checkAdvanceEach(t, []emission.Schedule{never, notDue}, block, max)
		checkAdvanceEach(t, nil, block, max)
		checkAdvanceEach(t, []emission.Schedule{due, due, due}, 0, max)
		checkAdvanceEach(t, []emission.Schedule{saturated, pending}, math.MaxUint64, max)
	}
	r := rand.New(rand.NewPCG(14, 2))
	rounds := 20_000
	if testing.Short() {
		rounds = 2_000
	}
	for range rounds {
		block := []uint64{0, 1, 360, block, math.MaxUint64, r.Uint64()}[r.IntN(6)]
		s := make([]emission.Schedule, r.IntN(12))
		for i := range s {
			s[i] = scheduleNear(r, block)
		}
		checkAdvanceEach(t, s, block, uint32(r.IntN(5)))
	}
}

// FuzzAdvanceSchedule compares advanceEach with emission.AdvanceSchedules
// on three schedules drawn from the fuzzer's words.
func FuzzAdvanceSchedule(f *testing.F) {
	f.Add(uint64(1000), uint32(1), uint64(7), uint64(990), uint64(0), uint64(3))
	f.Add(uint64(math.MaxUint64), uint32(0), uint64(1), uint64(0), uint64(math.MaxUint64), uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, block uint64, maxEpochs uint32, seed, last, pendingAt, since uint64) {
		r := rand.New(rand.NewPCG(seed, last))
		s := []emission.Schedule{
			{Tempo: uint16(seed), LastEpochBlock: last, PendingEpochAt: pendingAt, BlocksSinceLastStep: since, EpochIndex: seed >> 16},
			scheduleNear(r, block),
			scheduleNear(r, block),
		}
		checkAdvanceEach(t, s, block, maxEpochs%4)
	})
}
