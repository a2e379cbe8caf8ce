package amm

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// TestQuoteMatchesReferenceOnEdgeGrid compares Quote with the math/big
// reference on the boundaries the random properties rarely draw: reserves
// around 0, the 1_000_000 minimum and u64::MAX; weights at and next to the
// ends of the valid range; amounts 0, 1, 1000×reserve and one above; fee
// rates 0, 1 and at the maximum; limits 0, 1, at the current price in rao
// and next to it, u64::MAX. The weights and fee rates outside the valid
// range are TestQuoteRefusesInvalidPoolsOnEdgeGrid's.
func TestQuoteMatchesReferenceOnEdgeGrid(t *testing.T) {
	reserves := []uint64{0, 1, 2, 999_999, 1_000_000, 1_000_001, 1e9, 123_456_789_012, 1e15, 4.9e17, 1 << 63, math.MaxUint64 - 1, math.MaxUint64}
	weights := []uint64{1e16, 1e16 + 1, 3e17, 5e17 - 1, 5e17, 5e17 + 1, 6e17, 1e18 - 1e16 - 1, 1e18 - 1e16}
	fees := []uint16{0, 1, DefaultFeeRate, MaxFeeRate - 1, MaxFeeRate}
	r := rand.New(rand.NewPCG(7, 9))
	pick := func(s []uint64) uint64 { return s[r.IntN(len(s))] }
	n := 1500
	if testing.Short() {
		n = 400
	}
	executed := 0
	for range n {
		p := NewPool(units.TAO(pick(reserves)), units.Alpha(pick(reserves)))
		p.QuoteWeight = fixed.Perquintill(pick(weights))
		p.FeeRate = fees[r.IntN(len(fees))]
		o := Order{direction: Buy, dropFees: r.IntN(4) == 0}
		in := uint64(p.TAO)
		if r.IntN(2) == 0 {
			o.direction, in = Sell, uint64(p.AlphaIn)
		}
		o.amount = []uint64{0, 1, fixed.SaturatingMulUint64(in, 1000), fixed.SaturatingAddUint64(fixed.SaturatingMulUint64(in, 1000), 1), math.MaxUint64, in >> r.IntN(40), r.Uint64() >> r.IntN(64)}[r.IntN(7)]
		cur := p.PriceRao()
		o.limitRao = []uint64{0, 1, MinPriceRao, cur, cur - 1, cur + 1, MaxPriceRao, math.MaxUint64, r.Uint64() >> r.IntN(64)}[r.IntN(9)]
		got, err := p.Quote(o)
		in2, out, fee, rerr := refOf(p).swap(o.direction, o.amount, o.limitRao, o.dropFees, true)
		switch {
		case err != nil || rerr != nil:
			if !errors.Is(err, rerr) {
				t.Errorf("%+v %+v: err %v, reference %v", p, o, err, rerr)
			}
		case got.paidIn() != in2 || got.paidOut() != out || got.feePaid() != fee:
			t.Errorf("%+v %+v: got %+v, reference in %d out %d fee %d", p, o, got, in2, out, fee)
		default:
			executed++
		}
	}
	if executed < n/10 {
		t.Errorf("only %d of %d edge cases executed a swap", executed, n)
	}
}

// TestQuoteRefusesInvalidPoolsOnEdgeGrid: a weight or fee rate just outside
// what the chain can store is refused by every entry point with the
// matching sentinel, before any other check (the order would otherwise be
// refused for its own reasons too).
func TestQuoteRefusesInvalidPoolsOnEdgeGrid(t *testing.T) {
	weights := []uint64{0, 1, 2, 1e16 - 1, 1e18 - 1e16 + 1, 1e18 - 1, 1e18, 2e18, math.MaxUint64}
	fees := []uint16{MaxFeeRate + 1, 65534, 65535}
	check := func(p Pool, want error) {
		t.Helper()
		before := p
		for _, o := range []Order{BuyOrder(1e9), SellOrder(1e9), {direction: 9}, BuyOrder(0).WithLimit(Price{})} {
			if _, err := p.Quote(o); !errors.Is(err, want) {
				t.Errorf("%+v Quote(%+v): %v, want %v", p, o, err, want)
			}
			if _, err := p.Swap(o); !errors.Is(err, want) {
				t.Errorf("%+v Swap(%+v): %v, want %v", p, o, err, want)
			}
		}
		if _, err := p.SimulateBuy(1e9); !errors.Is(err, want) {
			t.Errorf("%+v SimulateBuy: %v", p, err)
		}
		if _, err := p.SimulateSell(1e9); !errors.Is(err, want) {
			t.Errorf("%+v SimulateSell: %v", p, err)
		}
		if _, err := p.MaxAmountAdd(PriceFromRao(MaxPriceRao)); !errors.Is(err, want) {
			t.Errorf("%+v MaxAmountAdd: %v", p, err)
		}
		if _, err := p.MaxAmountRemove(PriceFromRao(MinPriceRao)); !errors.Is(err, want) {
			t.Errorf("%+v MaxAmountRemove: %v", p, err)
		}
		if err := p.AdjustWeights(1e9, 1e9); !errors.Is(err, want) {
			t.Errorf("%+v AdjustWeights: %v", p, err)
		}
		if err := p.Inject(1e9, 1e9); !errors.Is(err, want) {
			t.Errorf("%+v Inject: %v", p, err)
		}
		if err := p.InitializeAtPrice(PriceFromRao(units.RaoPerTAO)); !errors.Is(err, want) {
			t.Errorf("%+v InitializeAtPrice: %v", p, err)
		}
		if p != before {
			t.Errorf("a refused call changed the pool: %+v, was %+v", p, before)
		}
	}
	for _, mech := range []Mechanism{Stable, Dynamic} {
		for _, init := range []bool{false, true} {
			for _, w := range weights {
				p := NewPool(1e12, 1e12)
				p.Mechanism, p.Initialized, p.QuoteWeight = mech, init, fixed.Perquintill(w)
				check(p, ErrInvalidWeight)
			}
			for _, f := range fees {
				p := NewPool(1e12, 1e12)
				p.Mechanism, p.Initialized, p.FeeRate = mech, init, f
				check(p, ErrFeeRateTooHigh)
			}
		}
	}
	for _, m := range []Mechanism{2, 3, math.MaxUint16} {
		p := NewPool(1e12, 1e12)
		p.Mechanism = m
		check(p, ErrMechanismDoesNotExist)
	}
}
