package amm

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// limitPrice is the chain's conversion for every limit, the precomputed
// defaults included.
func TestLimitPriceMatchesConversion(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 11))
	raos := []uint64{0, 1, MinPriceRao - 1, MinPriceRao, MinPriceRao + 1, units.RaoPerTAO, MaxPriceRao - 1, MaxPriceRao, MaxPriceRao + 1, math.MaxUint64}
	for range 10_000 {
		raos = append(raos, rng.Uint64()>>rng.IntN(64))
	}
	for _, r := range raos {
		if got, want := limitPrice(r), fixed.U64F64FromRatio(r, units.RaoPerTAO); got != want {
			t.Fatalf("limitPrice(%d) = %v, want %v", r, got, want)
		}
		if got, want := limitPrice(r), PriceFromRao(r).U64F64(); got != want {
			t.Fatalf("limitPrice(%d) = %v, PriceFromRao %v", r, got, want)
		}
	}
}

// The fee of a zero rate is 0, as the chain's formula gives it.
func TestFeeZeroRate(t *testing.T) {
	for _, a := range []uint64{0, 1, 1e9, math.MaxUint64} {
		if got, want := fee(a, 0), fixed.U64F64FromRatio(0, 65535).SaturatingMulToUint64(a); got != want || got != 0 {
			t.Fatalf("fee(%d, 0) = %d, formula %d", a, got, want)
		}
	}
}

// priceAt with the swap's one weight ratio is calculate_price as the
// chain spells it: safe_div(w1, w2) ×sat safe_div(y, x).
func TestPriceAtMatchesCalculatePrice(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 12))
	for range 100_000 {
		c := curveOf(fixed.Perquintill(rng.Uint64N(fixed.PerquintillAccuracy + 1)))
		x, y := rng.Uint64()>>rng.IntN(64), rng.Uint64()>>rng.IntN(64)
		want := fixed.U64F64FromRatio(c.w1, c.w2).SaturatingMul(fixed.U64F64FromRatio(y, x))
		if got := c.price(x, y); got != want {
			t.Fatalf("price(%d, %d) at %+v = %v, want %v", x, y, c, got, want)
		}
		if got := priceAt(c.weightRatio(), x, y); got != want {
			t.Fatalf("priceAt(%d, %d) at %+v = %v, want %v", x, y, c, got, want)
		}
	}
}

// checkBuyWithoutFees compares BuyWithoutFees with
// Swap(BuyOrder(tao).WithoutFees()) on copies of p: the legs, the error
// and the pool after.
func checkBuyWithoutFees(t testing.TB, p Pool, tao units.TAO) {
	t.Helper()
	want, wantPool := p, p
	r, werr := wantPool.Swap(BuyOrder(tao).WithoutFees())
	got := p
	paid, bought, err := got.BuyWithoutFees(tao)
	if !errors.Is(err, werr) || (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
		t.Fatalf("pool %+v, buy %d: error %v, Swap's %v", want, tao, err, werr)
	}
	if paid != r.TAO || bought != r.Alpha || got != wantPool {
		t.Fatalf("pool %+v, buy %d: (%d, %d) and pool %+v, Swap's (%d, %d) and %+v", want, tao, paid, bought, got, r.TAO, r.Alpha, wantPool)
	}
	if err == nil && r.feePaid() != 0 {
		t.Fatalf("pool %+v, buy %d: fee-free buy charged %d", want, tao, r.feePaid())
	}
}

// BuyWithoutFees is Swap's fee-free buy: the same legs, errors and pool on
// random pools of every kind (stable and dynamic, initialised or not,
// weights and fee rates in and out of range, reserves from empty to
// saturating) and buys of every size, including the coinbase's chain buys
// of 2^-30 to 2^-11 of the TAO reserve.
func TestBuyWithoutFeesMatchesSwap(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 68))
	edges := []uint64{0, 1, 2, 1e9, 1 << 62, 1<<63 - 1, 1 << 63, math.MaxUint64}
	pick := func() uint64 {
		if r.IntN(4) == 0 {
			return edges[r.IntN(len(edges))]
		}
		return r.Uint64() >> r.UintN(64)
	}
	for range 20000 {
		p := Pool{
			TAO: units.TAO(1e9 + r.Uint64N(1e17)), AlphaIn: units.Alpha(1e9 + r.Uint64N(1e17)),
			AlphaOut: units.Alpha(r.Uint64N(1e17)), QuoteWeight: fixed.Perquintill(randomWeight(r)),
			FeeRate: uint16(r.UintN(uint(MaxFeeRate) + 1)), Mechanism: Dynamic, Initialized: r.IntN(8) != 0,
		}
		tao := units.TAO(uint64(p.TAO) >> (11 + r.UintN(20)))
		switch r.IntN(4) {
		case 0:
			p.TAO, p.AlphaIn, p.AlphaOut = units.TAO(pick()), units.Alpha(pick()), units.Alpha(pick())
			tao = units.TAO(pick())
		case 1:
			p.Mechanism = Mechanism(r.UintN(3)) // Stable, Dynamic, or none
			p.QuoteWeight = fixed.Perquintill(r.Uint64N(fixed.PerquintillAccuracy + 2))
			p.FeeRate = uint16(r.Uint32())
			p.MinReserve = r.Uint64N(2e9)
		}
		checkBuyWithoutFees(t, p, tao)
	}
}

// FuzzBuyWithoutFees compares BuyWithoutFees with Swap's fee-free buy.
func FuzzBuyWithoutFees(f *testing.F) {
	f.Add(uint64(4e14), uint64(149717098533755), uint64(1e17), uint64(HalfWeight)+282205, uint64(1998993), uint8(1), true)
	f.Add(uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint8(0), false)
	f.Add(uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(MaxWeight), uint64(math.MaxUint64), uint8(1), false)
	f.Fuzz(func(t *testing.T, y, x, out, w2, tao uint64, mech uint8, init bool) {
		p := Pool{TAO: units.TAO(y), AlphaIn: units.Alpha(x), AlphaOut: units.Alpha(out), QuoteWeight: fixed.Perquintill(w2),
			Mechanism: Mechanism(mech), Initialized: init}
		checkBuyWithoutFees(t, p, units.TAO(tao))
	})
}

// BuyWithoutFees does not allocate.
func TestBuyWithoutFeesDoesNotAllocate(t *testing.T) {
	p := Pool{TAO: 4e14, AlphaIn: 149717098533755, QuoteWeight: HalfWeight + 282205, Mechanism: Dynamic, Initialized: true}
	if a := testing.AllocsPerRun(100, func() {
		q := p
		_, _, _ = q.BuyWithoutFees(1998993)
	}); a != 0 {
		t.Fatalf("%v allocations per run", a)
	}
}
