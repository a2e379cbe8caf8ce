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
// around 0, the 1_000_000 minimum and u64::MAX; stored weights outside the
// valid range (0, 1, 1e18 − 1, 1e18: the chain still computes with them);
// amounts 0, 1, 1000×reserve and one above; fee rates 65534 and 65535;
// limits 0, 1, at the current price in rao and next to it, u64::MAX.
func TestQuoteMatchesReferenceOnEdgeGrid(t *testing.T) {
	reserves := []uint64{0, 1, 2, 999_999, 1_000_000, 1_000_001, 1e9, 123_456_789_012, 1e15, 4.9e17, 1 << 63, math.MaxUint64 - 1, math.MaxUint64}
	weights := []uint64{0, 1, 2, 1e16 - 1, 1e16, 3e17, 5e17 - 1, 5e17, 5e17 + 1, 6e17, 1e18 - 1e16, 1e18 - 1e16 + 1, 1e18 - 1, 1e18}
	fees := []uint16{0, 1, DefaultFeeRate, MaxFeeRate, 65534, 65535}
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
		o := Order{Direction: Buy, DropFees: r.IntN(4) == 0}
		in := uint64(p.TAO)
		if r.IntN(2) == 0 {
			o.Direction, in = Sell, uint64(p.AlphaIn)
		}
		o.Amount = []uint64{0, 1, satMul(in, 1000), satAdd(satMul(in, 1000), 1), math.MaxUint64, in >> r.IntN(40), r.Uint64() >> r.IntN(64)}[r.IntN(7)]
		cur := p.PriceRao()
		o.LimitRao = []uint64{0, 1, MinPriceRao, cur, cur - 1, cur + 1, MaxPriceRao, math.MaxUint64, r.Uint64() >> r.IntN(64)}[r.IntN(9)]
		got, err := p.Quote(o)
		in2, out, fee, rerr := refOf(p).swap(o.Direction, o.Amount, o.LimitRao, o.DropFees, true)
		switch {
		case err != nil || rerr != nil:
			if !errors.Is(err, rerr) {
				t.Errorf("%+v %+v: err %v, reference %v", p, o, err, rerr)
			}
		case got.PaidIn != in2 || got.PaidOut != out || got.Fee != fee:
			t.Errorf("%+v %+v: got %+v, reference in %d out %d fee %d", p, o, got, in2, out, fee)
		default:
			executed++
		}
	}
	if executed < n/10 {
		t.Errorf("only %d of %d edge cases executed a swap", executed, n)
	}
}
