package amm

import (
	"errors"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// FuzzSwap drives the pool with raw u64 chain input: it must never panic,
// a quote must equal the swap, a failed swap must leave the pool unchanged,
// and the output never exceeds the output reserve. A weight or fee rate the
// chain cannot hold is refused by Quote and Swap alike; the input is then
// folded into the valid range and checked again, so that every input also
// exercises the swap.
func FuzzSwap(f *testing.F) {
	f.Add(uint64(12_345_678_901_234), uint64(987_654_321_098_765), uint64(483_726_152_637_485_912), uint16(33), false, uint64(1e9), MaxPriceRao, false, true)
	f.Add(uint64(1e9), uint64(4e9), uint64(5e17), uint16(33), true, uint64(123456), uint64(100000), false, true)
	f.Add(uint64(1000), uint64(1000), uint64(5e17), uint16(0), true, uint64(1_000_000), MinPriceRao, true, false)
	f.Add(uint64(57222901743), uint64(55095852), uint64(981865300209179971), uint16(33), false, uint64(4749820474216), MaxPriceRao, false, true)
	f.Add(^uint64(0), ^uint64(0), uint64(0), uint16(65535), false, ^uint64(0), ^uint64(0), false, false)
	f.Add(uint64(0), uint64(0), ^uint64(0), uint16(1), true, uint64(0), uint64(0), true, true)
	f.Fuzz(func(t *testing.T, y, x, w2 uint64, rate uint16, sell bool, amount, limit uint64, drop, init bool) {
		p := Pool{TAO: units.TAO(y), AlphaIn: units.Alpha(x), QuoteWeight: fixed.Perquintill(w2),
			FeeRate: rate, Mechanism: Dynamic, Initialized: init, MinReserve: 1}
		o := Order{direction: Buy, amount: amount, limitRao: limit, dropFees: drop}
		out := x
		if sell {
			o.direction, out = Sell, y
		}
		if verr := p.Validate(); verr != nil {
			before := p
			_, qerr := p.Quote(o)
			_, err := p.Swap(o)
			if !errors.Is(qerr, verr) || !errors.Is(err, verr) || p != before {
				t.Fatalf("invalid pool %+v: validate %v, quote %v, swap %v", p, verr, qerr, err)
			}
			p.QuoteWeight = MinWeight + fixed.Perquintill(w2%uint64(MaxWeight-MinWeight+1))
			p.FeeRate = rate % (MaxFeeRate + 1)
		}
		before := p
		q, qerr := p.Quote(o)
		r, err := p.Swap(o)
		if !errors.Is(err, qerr) || err == nil && q != r {
			t.Fatalf("quote %+v %v, swap %+v %v", q, qerr, r, err)
		}
		if err != nil {
			if p != before {
				t.Fatalf("failed swap changed the pool")
			}
			return
		}
		if r.paidOut() > out {
			t.Fatalf("paid out %d from %d", r.paidOut(), out)
		}
		_, _ = p.SimulateBuy(units.TAO(amount))
		_, _ = p.SimulateSell(units.Alpha(amount))
		_, _ = p.MaxAmountAdd(PriceFromRao(limit))
		_, _ = p.MaxAmountRemove(PriceFromRao(limit))
		_ = p.Inject(units.TAO(amount), units.Alpha(limit))
	})
}
