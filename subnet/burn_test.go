package subnet

import (
	"math"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// TestDecayFactorQ32 pins decay_factor_q32 at its edges and at the
// default half-life (f(360) = 4_286_705_684, 0.99807644).
func TestDecayFactorQ32(t *testing.T) {
	for _, c := range []struct {
		h    uint16
		want uint64
	}{{0, 1 << 32}, {1, 1 << 31}, {2, 3_037_000_500}, {360, 4_286_705_684}} {
		if got := DecayFactorQ32(c.h); got != c.want {
			t.Errorf("DecayFactorQ32(%d) = %d, want %d", c.h, got, c.want)
		}
	}
	// The defining property: f^H ≤ 1/2 < (f+1)^H.
	for _, h := range []uint16{3, 17, 360, 1_000, 36_100, 65_535} {
		f := DecayFactorQ32(h)
		if PowQ32(f, h) > 1<<31 || PowQ32(f+1, h) <= 1<<31 {
			t.Errorf("h=%d: f=%d is not the largest with f^h <= 1/2", h, f)
		}
	}
}

func TestMulByQ32Saturates(t *testing.T) {
	if got := MulByQ32(math.MaxUint64, math.MaxUint64); got != math.MaxUint64 {
		t.Errorf("MulByQ32(max, max) = %d", got)
	}
	if got := MulByQ32(1<<40, 3<<31); got != 3<<39 {
		t.Errorf("MulByQ32(2^40, 1.5) = %d", got)
	}
	if got := PowQ32(12345, 0); got != 1<<32 {
		t.Errorf("PowQ32(x, 0) = %d", got)
	}
}

// TestBurnRegistrationTests ports the burn assertions of
// pallets/subtensor/src/tests/registration.rs.
func TestBurnRegistrationTests(t *testing.T) {
	two, three, one := fixed.U64F64FromUint64(2), fixed.U64F64FromUint64(3), fixed.U64F64FromUint64(1)
	wide := func(h uint16, m fixed.U64F64) BurnRule {
		return BurnRule{HalfLife: h, IncreaseMult: m, MinBurn: 0, MaxBurn: math.MaxUint64}
	}
	// test_burn_decay: register (1000 → 2000), next block (→ 1998).
	r := wide(1_000, two)
	if b := r.Bump(1_000); b != 2_000 {
		t.Errorf("test_burn_decay bump: %d", b)
	}
	if b := r.Decay(2_000); b != 1_998 {
		t.Errorf("test_burn_decay decay: %d", b)
	}
	// test_burn_halves_every_half_life: 1024 → 511 after 2 blocks, → 255 after 4.
	r = wide(2, one)
	if b := r.DecayBlocks(1_024, 2); b != 511 {
		t.Errorf("halves 2: %d", b)
	}
	if b := r.DecayBlocks(511, 2); b != 255 {
		t.Errorf("halves 4: %d", b)
	}
	// test_burn_min_and_max_clamps_prevent_zero_stuck_and_cap_bump.
	r = BurnRule{HalfLife: 1, IncreaseMult: two, MinBurn: 100_000, MaxBurn: 150_000}
	b := r.Decay(1)
	if b != 100_000 {
		t.Errorf("clamps min: %d", b)
	}
	if b = r.Bump(b); b != 150_000 {
		t.Errorf("clamps max: %d", b)
	}
	for range 2 {
		if b = r.Decay(b); b != 100_000 {
			t.Errorf("clamps decay: %d", b)
		}
	}
	// test_bump_registration_price_after_registration_applies_multiplier_immediately.
	if b := wide(360, three).Bump(1_000); b != 3_000 {
		t.Errorf("bump x3: %d", b)
	}
	// test_update_registration_prices_for_networks_runs_on_next_block_step.
	if b := wide(1_000, two).Decay(1_000); b != 999 {
		t.Errorf("next block: %d", b)
	}
}

// TestBurnDefaults: a new subnet's price rule from its 1 TAO start.
func TestBurnDefaults(t *testing.T) {
	h := DefaultHyperparameters()
	r := h.BurnRule()
	// floor(1e9 · 4_286_705_684 / 2^32)
	if b := r.Decay(NewSubnetBurn); b != 998_076_443 {
		t.Errorf("one block: %d", b)
	}
	// floor(1e9 · 1.26000000000000000888): the f64 1.26 is a hair above 1.26.
	if b := r.Bump(NewSubnetBurn); b != 1_260_000_000 {
		t.Errorf("one registration: %d", b)
	}
	if b := r.BumpRegistrations(NewSubnetBurn, 30); b != r.MaxBurn {
		t.Errorf("30 registrations: %d", b)
	}
	if b := r.After(r.MaxBurn, 100_000, 0); b != r.MinBurn {
		t.Errorf("long decay: %d", b)
	}
}

// TestBurnEdges: the zero rule, a multiplier below 1, MinBurn above
// MaxBurn, saturation, and no step at all.
func TestBurnEdges(t *testing.T) {
	var zero BurnRule
	if b := zero.After(12345, 3, 3); b != 0 {
		t.Errorf("zero rule: %d", b)
	}
	half := BurnRule{IncreaseMult: fixed.U64F64FromBits(0, 1<<63), MaxBurn: math.MaxUint64}
	if b := half.Bump(1_000); b != 1_000 {
		t.Errorf("mult 0.5 counts as 1: %d", b)
	}
	inverted := BurnRule{HalfLife: 5, IncreaseMult: fixed.U64F64FromUint64(1), MinBurn: 100, MaxBurn: 10}
	if b := inverted.Decay(50); b != 10 {
		t.Errorf("min above max: %d", b)
	}
	sat := BurnRule{IncreaseMult: fixed.U64F64FromUint64(3), MaxBurn: math.MaxUint64}
	if b := sat.Bump(math.MaxUint64 / 2); b != math.MaxUint64 {
		t.Errorf("saturation: %d", b)
	}
	if b := inverted.After(5, 0, 0); b != 5 {
		t.Errorf("no step: %d", b)
	}
	// Half-life 0 does not decay but still clamps.
	flat := BurnRule{IncreaseMult: fixed.U64F64FromUint64(1), MinBurn: 10, MaxBurn: 100}
	if b := flat.DecayBlocks(200, 1); b != 100 {
		t.Errorf("half-life 0 clamp: %d", b)
	}
}

// naiveAfter steps every block and registration without stopping early.
func naiveAfter(r BurnRule, burn units.TAO, blocks, regs uint32) units.TAO {
	for range blocks {
		burn = r.Decay(burn)
	}
	for range regs {
		burn = r.Bump(burn)
	}
	return burn
}

func genRule(t *rapid.T) BurnRule {
	return BurnRule{
		HalfLife:     rapid.Uint16Range(0, 40).Draw(t, "half_life"),
		IncreaseMult: fixed.U64F64FromBits(rapid.Uint64Range(0, 4).Draw(t, "mult_hi"), rapid.Uint64().Draw(t, "mult_lo")),
		MinBurn:      units.TAO(rapid.Uint64().Draw(t, "min")),
		MaxBurn:      units.TAO(rapid.Uint64().Draw(t, "max")),
	}
}

// TestBurnEarlyStopIsExact: stopping at a fixed point gives what stepping
// every block and registration gives.
func TestBurnEarlyStopIsExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRule(t)
		burn := units.TAO(rapid.Uint64().Draw(t, "burn"))
		blocks := rapid.Uint32Range(0, 300).Draw(t, "blocks")
		regs := rapid.Uint32Range(0, 300).Draw(t, "regs")
		if got, want := r.After(burn, blocks, regs), naiveAfter(r, burn, blocks, regs); got != want {
			t.Fatalf("After = %d, naive = %d", got, want)
		}
	})
}

// TestBurnStaysInBounds: after any step the price lies in [MinBurn,
// MaxBurn] (MinBurn ≤ MaxBurn, as the setters keep them).
func TestBurnStaysInBounds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRule(t)
		if r.MinBurn > r.MaxBurn {
			r.MinBurn, r.MaxBurn = r.MaxBurn, r.MinBurn
		}
		burn := units.TAO(rapid.Uint64().Draw(t, "burn"))
		steps := rapid.SliceOfN(rapid.Bool(), 1, 50).Draw(t, "steps")
		for _, register := range steps {
			if register {
				burn = r.Bump(burn)
			} else {
				burn = r.Decay(burn)
			}
			if burn < r.MinBurn || burn > r.MaxBurn {
				t.Fatalf("burn %d outside [%d, %d]", burn, r.MinBurn, r.MaxBurn)
			}
		}
	})
}

func TestBurnAllocs(t *testing.T) {
	h := DefaultHyperparameters()
	r := h.BurnRule()
	if n := testing.AllocsPerRun(20, func() { _ = r.After(NewSubnetBurn, 1_000, 10) }); n != 0 {
		t.Errorf("After allocates %v times", n)
	}
}

func BenchmarkBurnDecayBlocks(b *testing.B) {
	h := DefaultHyperparameters()
	r := h.BurnRule()
	for b.Loop() {
		_ = r.DecayBlocks(r.MaxBurn, 360)
	}
}

// TestStepDecayFollowsHalfLife: Step caches the decay factor per
// half-life; a changed half-life decays by its own factor from the next
// block on, exactly as BurnRule.Decay.
func TestStepDecayFollowsHalfLife(t *testing.T) {
	s, err := New(1, units.AccountID{1}, units.AccountID{2}, amm.NewPool(1_000_000_000_000, 1_000_000_000_000), 10)
	if err != nil {
		t.Fatal(err)
	}
	s.Burn = 50_000_000_000
	for b, hl := range []uint16{360, 360, 100, 100, 0, 7200} {
		s.Hyperparameters.BurnHalfLife = hl
		want := s.Hyperparameters.BurnRule().Decay(s.Burn)
		s.Step(uint64(b) + 2)
		if s.Burn != want {
			t.Fatalf("block %d, half-life %d: burn %d, want %d", b+2, hl, s.Burn, want)
		}
	}
}
