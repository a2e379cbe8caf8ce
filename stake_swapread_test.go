package dtao

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// drawPool draws a pool as the chain may hold one and beyond: stable or
// dynamic, initialised or not, reserves from empty to near 2^64, any
// quote weight up to and above 1 (which Validate refuses), any fee rate
// and a minimum reserve.
func drawPool(t *rapid.T) amm.Pool {
	amount := func(label string) uint64 {
		return rapid.OneOf(rapid.Uint64Range(0, 10_000), rapid.Uint64Range(0, 1<<50), rapid.Uint64()).Draw(t, label)
	}
	return amm.Pool{
		TAO:         units.TAO(amount("tao")),
		AlphaIn:     units.Alpha(amount("alphaIn")),
		AlphaOut:    units.Alpha(amount("alphaOut")),
		QuoteWeight: fixed.Perquintill(rapid.OneOf(rapid.Just(uint64(amm.HalfWeight)), rapid.Uint64Range(0, fixed.PerquintillAccuracy+1)).Draw(t, "weight")),
		FeeRate:     rapid.OneOf(rapid.Just(uint16(amm.DefaultFeeRate)), rapid.Uint16()).Draw(t, "fee"),
		Mechanism:   amm.Mechanism(rapid.IntRange(0, 1).Draw(t, "mechanism")),
		Initialized: rapid.Bool().Draw(t, "initialized"),
		MinReserve:  rapid.Uint64Range(0, 2_000).Draw(t, "minReserve"),
	}
}

// drawOrder draws a buy or a sell of any amount, at the default limit or
// another, with or without fees.
func drawOrder(t *rapid.T) amm.Order {
	amount := rapid.OneOf(rapid.Uint64Range(0, 10_000), rapid.Uint64Range(0, 1<<50), rapid.Uint64()).Draw(t, "amount")
	o := amm.BuyOrder(units.TAO(amount))
	if rapid.Bool().Draw(t, "sell") {
		o = amm.SellOrder(units.Alpha(amount))
	}
	if rapid.Bool().Draw(t, "limit") {
		o = o.WithLimit(amm.PriceFromRao(rapid.Uint64().Draw(t, "limitRao")))
	}
	if rapid.Bool().Draw(t, "dropFees") {
		o = o.WithoutFees()
	}
	return o
}

// swapReadRef is the straightforward pair swapRead replaces: the quote
// on the pool, then (after change, which may move the pool) the swap.
func swapReadRef(p amm.Pool, quoted, swapped amm.Order, change func(*amm.Pool)) (q, r string, after amm.Pool) {
	qr, err := p.Quote(quoted)
	q = fmt.Sprint(qr, err)
	change(&p)
	sr, err := p.Swap(swapped)
	return q, fmt.Sprint(sr, err), p
}

// swapRead.quote returns what Quote returns, and swapRead.swap then
// returns what Swap returns and leaves the pool as Swap leaves it: for
// the order quoted (the kept swap) and for another one, on the pool
// quoted and on one changed in between (the swap itself), for pools that
// Validate refuses and swaps that fail on execution only.
func TestSwapReadMatchesQuoteAndSwap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPool(t)
		quoted := drawOrder(t)
		swapped := quoted
		if rapid.IntRange(0, 3).Draw(t, "otherOrder") == 0 {
			swapped = drawOrder(t)
		}
		var sw swapRead
		pool := p
		qr, err := sw.quote(&pool, quoted)
		q := fmt.Sprint(qr, err)
		if pool != p {
			t.Fatalf("quote changed the pool: %+v, was %+v", pool, p)
		}
		change := func(*amm.Pool) {}
		if rapid.IntRange(0, 3).Draw(t, "changed") == 0 {
			// Another call's swap moved the pool in between.
			o := drawOrder(t)
			change = func(p *amm.Pool) { _, _ = p.Swap(o) }
		}
		change(&pool)
		sr, err := sw.swap(&pool, swapped)
		r := fmt.Sprint(sr, err)
		wq, wr, want := swapReadRef(p, quoted, swapped, change)
		if q != wq {
			t.Fatalf("quote %s, Quote %s", q, wq)
		}
		if r != wr || pool != want {
			t.Fatalf("swap %s leaving %+v; Swap %s leaving %+v", r, pool, wr, want)
		}
	})
}

// Both of swapRead's paths on constructed inputs, which the random ones
// above reach only by chance: a kept swap (a quote that succeeds, then
// the same order on the pool as quoted) and a failed quote (an empty
// pool), each giving what Quote and Swap give.
func TestSwapReadPaths(t *testing.T) {
	noChange := func(*amm.Pool) {}
	for _, c := range []struct {
		name string
		pool amm.Pool
		o    amm.Order
		ok   bool
	}{
		{"kept", amm.NewPool(1_000_000_000_000, 4_000_000_000_000), amm.BuyOrder(1_000_000_000), true},
		{"kept sell", amm.NewPool(1_000_000_000_000, 4_000_000_000_000), amm.SellOrder(2_000_000_000), true},
		{"failed", amm.Pool{}, amm.BuyOrder(1_000_000_000), false},
	} {
		var sw swapRead
		pool := c.pool
		qr, qerr := sw.quote(&pool, c.o)
		if sw.ok != c.ok {
			t.Fatalf("%s: quote kept %v (%v, %v), want %v", c.name, sw.ok, qr, qerr, c.ok)
		}
		if c.ok && !(sw.o == c.o && sw.before == pool) {
			t.Fatalf("%s: the quote kept another order or pool", c.name)
		}
		sr, serr := sw.swap(&pool, c.o)
		wq, wr, want := swapReadRef(c.pool, c.o, c.o, noChange)
		if q, r := fmt.Sprint(qr, qerr), fmt.Sprint(sr, serr); q != wq || r != wr || pool != want {
			t.Fatalf("%s: quote %s, swap %s leaving %+v; Quote %s, Swap %s leaving %+v", c.name, q, r, pool, wq, wr, want)
		}
	}
}

// A nil swapRead swaps.
func TestSwapReadNilSwaps(t *testing.T) {
	var sw *swapRead
	p := amm.NewPool(1_000_000_000_000, 2_000_000_000_000)
	want := p
	got, err := sw.swap(&p, amm.BuyOrder(5_000_000_000))
	wr, werr := want.Swap(amm.BuyOrder(5_000_000_000))
	if got != wr || err != werr || p != want {
		t.Fatalf("swap %+v %v pool %+v; Swap %+v %v pool %+v", got, err, p, wr, werr, want)
	}
}

// FuzzSwapRead compares swapRead's quote and kept swap with Quote and
// Swap (swapReadRef) on pools and orders built from the fuzz inputs, the
// swap of the order quoted or of another amount, on the pool quoted.
func FuzzSwapRead(f *testing.F) {
	f.Add(uint64(1_000_000_000_000), uint64(2_000_000_000_000), uint64(0), uint64(amm.HalfWeight), uint16(33), true, true, uint64(5_000_000_000), uint64(5_000_000_000), false, false)
	f.Add(uint64(1), uint64(2), uint64(0), uint64(400_000_000_000_000_000), uint16(33), true, false, uint64(1), uint64(1), false, false)
	f.Add(uint64(300_000_000_000), uint64(9_000_000_000_000), uint64(7), uint64(400_000_000_000_000_000), uint16(500), true, true, uint64(1<<63), uint64(12), true, true)
	f.Fuzz(func(t *testing.T, tao, alphaIn, alphaOut, weight uint64, feeRate uint16, dynamic, initialized bool, amount, other uint64, sell, drop bool) {
		p := amm.Pool{TAO: units.TAO(tao), AlphaIn: units.Alpha(alphaIn), AlphaOut: units.Alpha(alphaOut),
			QuoteWeight: fixed.Perquintill(weight), FeeRate: feeRate, Initialized: initialized}
		if dynamic {
			p.Mechanism = amm.Dynamic
		}
		order := func(a uint64) amm.Order {
			o := amm.BuyOrder(units.TAO(a))
			if sell {
				o = amm.SellOrder(units.Alpha(a))
			}
			if drop {
				o = o.WithoutFees()
			}
			return o
		}
		for _, swapped := range []amm.Order{order(amount), order(other)} {
			var sw swapRead
			pool := p
			qr, err := sw.quote(&pool, order(amount))
			q := fmt.Sprint(qr, err)
			sr, err := sw.swap(&pool, swapped)
			r := fmt.Sprint(sr, err)
			wq, wr, want := swapReadRef(p, order(amount), swapped, func(*amm.Pool) {})
			if q != wq || r != wr || pool != want {
				t.Fatalf("quote %s, swap %s leaving %+v; Quote %s, Swap %s leaving %+v", q, r, pool, wq, wr, want)
			}
		}
	})
}
