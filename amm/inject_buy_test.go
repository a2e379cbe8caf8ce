package amm

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// injectAndBuyRef is InjectAndBuy as the coinbase first spelt it, its
// reference: AdjustWeights (its failure injects nothing), BuyWithoutFees
// when buy > 0 (its failure swallowed), then the deposits.
func injectAndBuyRef(p *Pool, tao units.TAO, alpha units.Alpha, buy, taoRoom units.TAO) (units.TAO, units.Alpha, units.TAO, units.Alpha, error) {
	if err := p.Validate(); err != nil {
		return 0, 0, 0, 0, err
	}
	if err := p.AdjustWeights(tao, alpha); err != nil {
		tao, alpha = 0, 0
	}
	var paid units.TAO
	var got units.Alpha
	if buy > 0 {
		if in, out, err := p.BuyWithoutFees(buy); err == nil {
			paid, got = in, out
		}
	}
	p.AlphaIn = p.AlphaIn.SaturatingAdd(alpha)
	var injected units.TAO
	if tao > 0 && tao <= taoRoom {
		injected = tao
		p.TAO = p.TAO.SaturatingAdd(tao)
	}
	return injected, alpha, paid, got, nil
}

// checkInjectAndBuy compares InjectAndBuy with injectAndBuyRef on copies
// of p: the results, the error and the pool after.
func checkInjectAndBuy(t testing.TB, p Pool, tao units.TAO, alpha units.Alpha, buy, taoRoom units.TAO) {
	t.Helper()
	want, got := p, p
	wt, wa, wp, wg, werr := injectAndBuyRef(&want, tao, alpha, buy, taoRoom)
	gt, ga, gp, gg, err := got.InjectAndBuy(tao, alpha, buy, taoRoom)
	if !errors.Is(err, werr) || (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
		t.Fatalf("pool %+v, InjectAndBuy(%d, %d, %d, %d): error %v, the calls' %v", p, tao, alpha, buy, taoRoom, err, werr)
	}
	if gt != wt || ga != wa || gp != wp || gg != wg || got != want {
		t.Fatalf("pool %+v, InjectAndBuy(%d, %d, %d, %d): (%d, %d, %d, %d) and pool %+v, the calls' (%d, %d, %d, %d) and %+v",
			p, tao, alpha, buy, taoRoom, gt, ga, gp, gg, got, wt, wa, wp, wg, want)
	}
	if werr != nil {
		return
	}
	// InjectAndBuyValid, on the pool that Validate accepted.
	got = p
	gt, ga, gp, gg = got.InjectAndBuyValid(tao, alpha, buy, taoRoom)
	if gt != wt || ga != wa || gp != wp || gg != wg || got != want {
		t.Fatalf("pool %+v, InjectAndBuyValid(%d, %d, %d, %d): (%d, %d, %d, %d) and pool %+v, the calls' (%d, %d, %d, %d) and %+v",
			p, tao, alpha, buy, taoRoom, gt, ga, gp, gg, got, wt, wa, wp, wg, want)
	}
}

// InjectAndBuy is the calls it stands for on random pools of every kind
// (stable and dynamic, initialised or not, weights in and out of range,
// reserves from empty to saturating), with the coinbase's injections
// (about at the spot price) and chain buys, weight updates that fail,
// buys that fail, no buy, and TAO room below, at and above the injection.
func TestInjectAndBuyMatchesCalls(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 91))
	edges := []uint64{0, 1, 2, 1e9, 1 << 62, 1<<63 - 1, 1 << 63, math.MaxUint64}
	pick := func() uint64 {
		if r.IntN(4) == 0 {
			return edges[r.IntN(len(edges))]
		}
		return r.Uint64() >> r.UintN(64)
	}
	n := 30000
	if testing.Short() {
		n = 5000
	}
	for range n {
		p := Pool{
			TAO: units.TAO(1e9 + r.Uint64N(1e17)), AlphaIn: units.Alpha(1e9 + r.Uint64N(1e17)),
			AlphaOut: units.Alpha(r.Uint64N(1e17)), QuoteWeight: fixed.Perquintill(randomWeight(r)),
			FeeRate: uint16(r.UintN(uint(MaxFeeRate) + 1)), Mechanism: Dynamic, Initialized: r.IntN(8) != 0,
		}
		alpha := units.Alpha(r.Uint64N(2e9))
		// About the spot price's TAO for it.
		tao := units.TAO(p.Price().U64F64().SaturatingMulToUint64(uint64(alpha)))
		buy := units.TAO(uint64(p.TAO) >> (11 + r.UintN(20)))
		switch r.IntN(6) {
		case 0:
			p.TAO, p.AlphaIn, p.AlphaOut = units.TAO(pick()), units.Alpha(pick()), units.Alpha(pick())
			tao, alpha, buy = units.TAO(pick()), units.Alpha(pick()), units.TAO(pick())
		case 1:
			p.Mechanism = Mechanism(r.UintN(3)) // Stable, Dynamic, or none
			p.QuoteWeight = fixed.Perquintill(r.Uint64N(fixed.PerquintillAccuracy + 2))
			p.FeeRate = uint16(r.Uint32())
			p.MinReserve = r.Uint64N(2e9)
		case 2:
			buy = 0
		case 3:
			// A lopsided injection, whose weight update may fail.
			tao = units.TAO(pick())
		case 4:
			// A buy too large for the pool, or a pool below its minimum.
			buy = units.TAO(pick())
			p.MinReserve = r.Uint64N(1 << 60)
		}
		room := tao
		switch r.IntN(3) {
		case 0:
			room = units.TAO(r.Uint64N(max(uint64(tao), 1)))
		case 1:
			room = units.TAO(pick())
		}
		checkInjectAndBuy(t, p, tao, alpha, buy, room)
	}
}

// FuzzInjectAndBuy compares InjectAndBuy with the calls it stands for.
func FuzzInjectAndBuy(f *testing.F) {
	f.Add(uint64(4e14), uint64(149717098533755), uint64(1e17), uint64(HalfWeight)+282205, uint64(400_000_000), uint64(1e9), uint64(1998993), uint64(1e9), uint64(0), uint8(1), true)
	f.Add(uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint8(0), false)
	f.Add(uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(MaxWeight), uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(1), uint8(1), false)
	f.Fuzz(func(t *testing.T, y, x, out, w2, tao, alpha, buy, room, minReserve uint64, mech uint8, init bool) {
		p := Pool{TAO: units.TAO(y), AlphaIn: units.Alpha(x), AlphaOut: units.Alpha(out), QuoteWeight: fixed.Perquintill(w2),
			Mechanism: Mechanism(mech), Initialized: init, MinReserve: minReserve}
		checkInjectAndBuy(t, p, units.TAO(tao), units.Alpha(alpha), units.TAO(buy), units.TAO(room))
	})
}

// InjectAndBuy does not allocate.
func TestInjectAndBuyDoesNotAllocate(t *testing.T) {
	p := Pool{TAO: 4e14, AlphaIn: 149717098533755, QuoteWeight: HalfWeight + 282205, Mechanism: Dynamic, Initialized: true}
	if a := testing.AllocsPerRun(100, func() {
		q := p
		_, _, _, _, _ = q.InjectAndBuy(400_000_000, 1e9, 1998993, 1e9)
	}); a != 0 {
		t.Fatalf("%v allocations per run", a)
	}
	if a := testing.AllocsPerRun(100, func() {
		q := p
		_, _, _, _ = q.InjectAndBuyValid(400_000_000, 1e9, 1998993, 1e9)
	}); a != 0 {
		t.Fatalf("InjectAndBuyValid: %v allocations per run", a)
	}
}
