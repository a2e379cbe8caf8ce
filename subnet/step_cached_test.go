package subnet

import (
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// stepFields is what Step reads and writes of a subnet: its burn, its
// registrations this block and its decay factor's cache, with the
// hyperparameters it reads.
type stepFields struct {
	burn           units.TAO
	regs           uint16
	decayHalfLife  uint16
	decayFactor    uint32
	halfLife       uint16
	minBurn, maxBn units.TAO
}

func stepFieldsOf(s *Subnet) stepFields {
	h := &s.Hyperparameters
	return stepFields{s.Burn, s.RegistrationsThisBlock, s.decayHalfLife, s.decayFactor, h.BurnHalfLife, h.MinBurn, h.MaxBurn}
}

// checkStepCached runs StepCached on s and Step, the reference, on a copy
// of s's step fields: StepCached must either step as Step does (true) or
// change nothing (false); and it must step whenever the factor is cached
// for the half-life at a block above 1.
func checkStepCached(t *testing.T, s *Subnet, block uint64) {
	t.Helper()
	before := stepFieldsOf(s)
	ref := &Subnet{}
	ref.Hyperparameters.BurnHalfLife, ref.Hyperparameters.MinBurn, ref.Hyperparameters.MaxBurn = before.halfLife, before.minBurn, before.maxBn
	ref.Burn, ref.RegistrationsThisBlock, ref.decayHalfLife, ref.decayFactor = before.burn, before.regs, before.decayHalfLife, before.decayFactor
	ref.Step(block)
	cached := block > 1 && before.halfLife > 0 && before.decayFactor != 0 && before.decayHalfLife == before.halfLife
	ok := s.StepCached(block)
	if ok != cached {
		t.Fatalf("StepCached(%d) on %+v = %v, want %v", block, before, ok, cached)
	}
	got := stepFieldsOf(s)
	if !ok {
		if got != before {
			t.Fatalf("StepCached(%d) reported false and changed %+v to %+v", block, before, got)
		}
		s.Step(block)
		got = stepFieldsOf(s)
	}
	if want := stepFieldsOf(ref); got != want {
		t.Fatalf("StepCached(%d) (then Step when false) on %+v: %+v, Step gives %+v", block, before, got, want)
	}
}

// TestStepCachedMatchesStep checks StepCached against Step on the edges of
// every operand (burns at 0, 1, around 2^32 and the maximum; clamps at 0,
// the maximum, crossed, and at the decayed burn and either side of it;
// half-lives 0, 1, 360 and the maximum; blocks 0, 1, 2 and far; the factor
// not cached, cached for another half-life, cached for this one), then on
// random subnets stepped block after block.
func TestStepCachedMatchesStep(t *testing.T) {
	s, err := New(1, units.AccountID{1}, units.AccountID{2}, amm.NewPool(1_000_000_000_000, 1_000_000_000_000), 10)
	if err != nil {
		t.Fatal(err)
	}
	h := &s.Hyperparameters
	burns := []uint64{0, 1, 2, 1<<32 - 1, 1 << 32, 1<<32 + 1, 3 << 32, 1<<63 - 1, 1 << 63, 1<<64 - 1, 100_000_000_000, 500_000}
	for _, hl := range []uint16{0, 1, 2, 360, 65535} {
		f := uint64(0)
		if hl > 0 {
			f = DecayFactorQ32(hl)
		}
		for _, burn := range burns {
			d := burn
			if hl > 0 {
				d = MulByQ32(burn, f)
			}
			clamps := []uint64{0, 1, d - 1, d, d + 1, burn, 1<<64 - 1}
			for _, lo := range clamps {
				for _, hi := range clamps {
					for _, cache := range []struct {
						hl uint16
						f  uint32
					}{{0, 0}, {hl, 0}, {hl + 1, uint32(DecayFactorQ32(hl + 1))}, {hl, uint32(f)}} {
						for _, b := range []uint64{0, 1, 2, 3, 1 << 40, 1<<64 - 1} {
							h.BurnHalfLife, h.MinBurn, h.MaxBurn = hl, units.TAO(lo), units.TAO(hi)
							s.Burn, s.RegistrationsThisBlock = units.TAO(burn), 3
							s.decayHalfLife, s.decayFactor = cache.hl, cache.f
							checkStepCached(t, s, b)
						}
					}
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(19, 8))
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	for range n {
		if r.IntN(64) == 0 {
			h.BurnHalfLife = uint16(r.IntN(4) * r.IntN(1000))
		}
		if r.IntN(32) == 0 {
			h.MinBurn, h.MaxBurn = units.TAO(r.Uint64()>>r.IntN(64)), units.TAO(r.Uint64()>>r.IntN(64))
		}
		if r.IntN(8) == 0 {
			s.Burn = units.TAO(r.Uint64() >> r.IntN(64))
		}
		s.RegistrationsThisBlock = uint16(r.IntN(3))
		checkStepCached(t, s, r.Uint64N(4)*r.Uint64N(1000))
	}
}

// FuzzStepCachedMatchesStep: StepCached against Step for any burn, clamps,
// half-life, cached factor and block.
func FuzzStepCachedMatchesStep(f *testing.F) {
	f.Add(uint64(100_000_000_000), uint64(500_000_000), uint64(100_000_000_000_000), uint16(360), uint16(360), uint32(4_286_705_684), uint64(2))
	f.Add(uint64(1<<64-1), uint64(5), uint64(1), uint16(1), uint16(1), uint32(1<<31), uint64(7))
	f.Add(uint64(0), uint64(0), uint64(0), uint16(0), uint16(0), uint32(0), uint64(0))
	f.Fuzz(func(t *testing.T, burn, lo, hi uint64, hl, cachedHL uint16, factor uint32, block uint64) {
		s := &Subnet{}
		h := &s.Hyperparameters
		h.BurnHalfLife, h.MinBurn, h.MaxBurn = hl, units.TAO(lo), units.TAO(hi)
		s.Burn, s.RegistrationsThisBlock = units.TAO(burn), 1
		// The cache holds what cacheDecayFactor stores, or none.
		if factor != 0 && cachedHL != 0 {
			s.decayHalfLife, s.decayFactor = cachedHL, uint32(DecayFactorQ32(cachedHL))
		}
		checkStepCached(t, s, block)
		checkStepCached(t, s, block+1)
	})
}
