package amm

import (
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// quotedBuyFeeRef is QuotedBuyFee as the ledger computed it before: the
// fee of a full Quote of the buy, or ApproxFee when the quote fails.
func quotedBuyFeeRef(p *Pool, tao units.TAO) units.TAO {
	fee := ApproxFee(p, tao)
	if q, err := p.Quote(BuyOrder(tao)); err == nil {
		fee = q.TAOFee
	}
	return fee
}

// checkQuotedBuyFee compares QuotedBuyFee with the reference on p and tao,
// and checks that p is unchanged.
func checkQuotedBuyFee(t *testing.T, p Pool, tao units.TAO) (limited bool) {
	t.Helper()
	before := p
	got, want := p.QuotedBuyFee(tao), quotedBuyFeeRef(&p, tao)
	if got != want || p != before {
		t.Fatalf("QuotedBuyFee(%d) on %+v = %d, want %d (pool after: %+v)", tao, before, got, want, p)
	}
	return want != ApproxFee(&p, tao)
}

// logUint64 draws log-uniformly from [1, 2^64).
func logUint64(rng *rand.Rand) uint64 {
	b := 1 + rng.IntN(64)
	return 1<<(b-1) | rng.Uint64()&(1<<(b-1)-1)
}

// TestQuotedBuyFeeMatchesQuote draws pools over the whole u64 range
// (constant-product weight 1/2 and general weights, initialised or not,
// stable, invalid weights and fee rates) and amounts from 1 rao to u64::MAX,
// plus pools priced near the max limit, so that the limit binds on many
// of them and the fee is recomputed.
func TestQuotedBuyFeeMatchesQuote(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 2)) // fixed seed
	limited := 0
	for i := range 40_000 {
		p := NewPool(units.TAO(logUint64(rng)), units.Alpha(logUint64(rng)))
		switch i % 8 {
		case 0, 1, 2:
			// weight 1/2
		case 3:
			p.QuoteWeight = MinWeight + fixed.Perquintill(rng.Uint64N(uint64(MaxWeight-MinWeight)+1))
		case 4:
			p.QuoteWeight = []fixed.Perquintill{MinWeight, MaxWeight, MinWeight + 1, MaxWeight - 1}[rng.IntN(4)]
		case 5:
			p.QuoteWeight = MinWeight + fixed.Perquintill(rng.Uint64N(uint64(MaxWeight-MinWeight)+1))
			p.Initialized = false
		case 6:
			p.Mechanism = Stable
		case 7:
			switch rng.IntN(3) {
			case 0:
				p.QuoteWeight = fixed.Perquintill(rng.Uint64())
			case 1:
				p.FeeRate = uint16(rng.Uint32())
			default:
				p.Mechanism = Mechanism(2 + rng.IntN(3))
			}
		}
		p.FeeRate = []uint16{DefaultFeeRate, 0, MaxFeeRate, uint16(rng.IntN(int(MaxFeeRate) + 1)), p.FeeRate}[rng.IntN(5)]
		if rng.IntN(3) == 0 {
			// Priced about 1e6 TAO per alpha: x ≈ y/1e6 (within 2^±3).
			y := logUint64(rng) | 1<<40
			p.TAO, p.AlphaIn = units.TAO(y), units.Alpha(max(1, y/1_000_000<<rng.IntN(4)>>rng.IntN(4)))
		}
		if rng.IntN(4) == 0 {
			p.MinReserve = 1 + rng.Uint64N(1_000_000)
		}
		tao := units.TAO(logUint64(rng))
		if rng.IntN(2) == 0 {
			tao = units.TAO(500_000 + rng.Uint64N(2_000_000)) // about DefaultMinStake
		}
		if checkQuotedBuyFee(t, p, tao) {
			limited++
		}
	}
	if limited < 100 {
		t.Fatalf("only %d cases had the limit bind: the draw does not test the recomputed fee", limited)
	}
}

// TestQuotedBuyFeeEdges checks the bound's edge (400·net against y),
// empty reserves, a pool whose price is already at the limit and the
// extreme weights.
func TestQuotedBuyFeeEdges(t *testing.T) {
	for _, w := range []fixed.Perquintill{MinWeight, HalfWeight, MaxWeight} {
		for _, y := range []uint64{0, 1, 399, 400, 401, 4e11, 1e15, 1 << 63, ^uint64(0)} {
			for _, x := range []uint64{0, 1, 2, 3, 1e3, 1e9, 4e11, 1e15, ^uint64(0)} {
				for _, tao := range []uint64{0, 1, 2, 400, 401, 2_000_000, y / 400, y/400 + 1, y / 399, y, ^uint64(0)} {
					p := NewPool(units.TAO(y), units.Alpha(x))
					p.QuoteWeight = w
					p.MinReserve = 1
					checkQuotedBuyFee(t, p, units.TAO(tao))
					p.FeeRate = 0
					checkQuotedBuyFee(t, p, units.TAO(tao))
				}
			}
		}
	}
}

// QuotedBuyFee allocates nothing on a valid pool.
func TestQuotedBuyFeeAllocs(t *testing.T) {
	p := NewPool(1e15, 3e15)
	p.QuoteWeight = 43e16
	if a := testing.AllocsPerRun(100, func() { _ = p.QuotedBuyFee(2_000_000) }); a != 0 {
		t.Fatalf("QuotedBuyFee: %v allocations", a)
	}
}

// FuzzQuotedBuyFee compares QuotedBuyFee with the quote's fee on any pool
// and amount.
func FuzzQuotedBuyFee(f *testing.F) {
	f.Add(uint64(1e15), uint64(3e15), uint64(5e17), uint16(DefaultFeeRate), uint64(2_000_000), true, uint8(Dynamic))
	f.Add(uint64(1e18), uint64(1e12), uint64(5e17), uint16(DefaultFeeRate), uint64(1e17), true, uint8(Dynamic))
	f.Add(uint64(1e18), uint64(1e12), uint64(99e16), uint16(MaxFeeRate), ^uint64(0), false, uint8(Dynamic))
	f.Add(uint64(400), uint64(1), uint64(1e16), uint16(0), uint64(1), true, uint8(Stable))
	f.Fuzz(func(t *testing.T, y, x, w2 uint64, rate uint16, tao uint64, init bool, mech uint8) {
		p := Pool{TAO: units.TAO(y), AlphaIn: units.Alpha(x), QuoteWeight: fixed.Perquintill(w2),
			FeeRate: rate, Mechanism: Mechanism(mech % 4), Initialized: init, MinReserve: 1}
		checkQuotedBuyFee(t, p, units.TAO(tao))
		p.QuoteWeight = MinWeight + fixed.Perquintill(w2%uint64(MaxWeight-MinWeight+1))
		p.FeeRate = rate % (MaxFeeRate + 1)
		p.Mechanism = Mechanism(mech % 2)
		checkQuotedBuyFee(t, p, units.TAO(tao))
	})
}

var sinkFee units.TAO

// BenchmarkQuotedBuyFee times add_stake's minimum-fee check on the
// realistic pools of benchCases (general weights): QuotedBuyFee against
// the full quote it replaces.
func BenchmarkQuotedBuyFee(b *testing.B) {
	cases := benchCases(true)
	const minStake = units.TAO(2_000_000)
	b.Run("QuotedBuyFee", func(b *testing.B) {
		for b.Loop() {
			for i := range cases {
				sinkFee = cases[i].p.QuotedBuyFee(minStake)
			}
		}
	})
	b.Run("Quote", func(b *testing.B) {
		for b.Loop() {
			for i := range cases {
				sinkFee = quotedBuyFeeRef(&cases[i].p, minStake)
			}
		}
	})
}
