package subnet

import (
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// stepBurnRef is the burn Step leaves, as update_registration_prices_for_networks
// (subnets/registration.rs) computes it through BurnRule: the decay of one
// block (Decay) at blocks above 1, the clamp alone at blocks 0 and 1.
// Step computes on the hyperparameters' fields in place, with the factor
// cached per half-life; it is the same integer arithmetic in the same
// order (MulByQ32 only for a half-life above 0, then the lower and the
// upper clamp), so the bits are the same.
func stepBurnRef(h *Hyperparameters, burn units.TAO, block uint64) units.TAO {
	rule := h.BurnRule()
	if block > 1 {
		return rule.Decay(burn)
	}
	return rule.clamp(uint64(burn))
}

// checkStepBurn runs Step on s at block and compares its burn with the
// reference.
func checkStepBurn(t testing.TB, s *Subnet, block uint64) {
	t.Helper()
	want := stepBurnRef(&s.Hyperparameters, s.Burn, block)
	before := s.Burn
	s.RegistrationsThisBlock = 3
	s.Step(block)
	if s.Burn != want || s.RegistrationsThisBlock != 0 {
		t.Fatalf("Step(%d) of burn %d (half-life %d, min %d, max %d): burn %d, registrations %d; want %d, 0",
			block, before, s.Hyperparameters.BurnHalfLife, s.Hyperparameters.MinBurn, s.Hyperparameters.MaxBurn,
			s.Burn, s.RegistrationsThisBlock, want)
	}
}

// Step's in-place decay and clamp against BurnRule's, on random burns,
// half-lives (0 and changes between blocks included, so that the cached
// factor is tested stale), bounds (MinBurn above MaxBurn included) and
// blocks (0 and 1 included), and on constructed edges.
func TestStepMatchesBurnRule(t *testing.T) {
	s, err := New(1, units.AccountID{1}, units.AccountID{2}, amm.NewPool(1_000_000_000_000, 1_000_000_000_000), 10)
	if err != nil {
		t.Fatal(err)
	}
	h := &s.Hyperparameters
	edges := []uint64{0, 1, 2, 1 << 32, 1<<32 - 1, 1 << 63, 1<<64 - 1, 100_000_000_000}
	for _, burn := range edges {
		for _, lo := range edges {
			for _, hi := range edges {
				for _, hl := range []uint16{0, 1, 360, 65535} {
					for _, b := range []uint64{0, 1, 2, 1 << 40} {
						h.BurnHalfLife, h.MinBurn, h.MaxBurn = hl, units.TAO(lo), units.TAO(hi)
						s.Burn = units.TAO(burn)
						checkStepBurn(t, s, b)
					}
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(14, 2))
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	for range n {
		if r.IntN(8) == 0 {
			h.BurnHalfLife = uint16(r.IntN(4) * r.IntN(1000))
		}
		if r.IntN(16) == 0 {
			h.MinBurn, h.MaxBurn = units.TAO(r.Uint64()>>r.IntN(64)), units.TAO(r.Uint64()>>r.IntN(64))
			h.BurnIncreaseMult = fixed.U64F64FromUint64(r.Uint64N(3))
		}
		if r.IntN(4) == 0 {
			s.Burn = units.TAO(r.Uint64() >> r.IntN(64))
		}
		checkStepBurn(t, s, r.Uint64N(4)*r.Uint64N(1000))
	}
}

// FuzzStepMatchesBurnRule: Step's burn against BurnRule's for any burn,
// bounds, half-life and block, two blocks in a row (the second with the
// factor cached, or stale after a half-life change).
func FuzzStepMatchesBurnRule(f *testing.F) {
	f.Add(uint64(100_000_000_000), uint64(500_000_000), uint64(100_000_000_000_000), uint16(360), uint16(360), uint64(2))
	f.Add(uint64(1<<64-1), uint64(5), uint64(1), uint16(0), uint16(1), uint64(1))
	f.Fuzz(func(t *testing.T, burn, lo, hi uint64, hl1, hl2 uint16, block uint64) {
		s, err := New(1, units.AccountID{1}, units.AccountID{2}, amm.NewPool(1_000_000_000_000, 1_000_000_000_000), 10)
		if err != nil {
			t.Fatal(err)
		}
		h := &s.Hyperparameters
		h.MinBurn, h.MaxBurn, h.BurnHalfLife = units.TAO(lo), units.TAO(hi), hl1
		s.Burn = units.TAO(burn)
		checkStepBurn(t, s, block)
		h.BurnHalfLife = hl2
		checkStepBurn(t, s, block+1)
	})
}

// Step caches DecayFactorQ32 in 32 bits with 0 as "none": every half-life
// above 0 has a factor in [2^31, 2^32).
func TestDecayFactorFitsCache(t *testing.T) {
	step := 1
	if testing.Short() {
		step = 97
	}
	for h := 1; h <= 65535; h += step {
		if f := DecayFactorQ32(uint16(h)); f < 1<<31 || f >= 1<<32 {
			t.Fatalf("DecayFactorQ32(%d) = %d, outside [2^31, 2^32)", h, f)
		}
	}
	if f := DecayFactorQ32(65535); f < 1<<31 || f >= 1<<32 {
		t.Fatalf("DecayFactorQ32(65535) = %d", f)
	}
}
