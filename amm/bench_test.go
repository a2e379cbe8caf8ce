package amm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// benchCase is one realistic quote (spec/amm.md §15): reserves y in
// [1e12, 1e16] and x in [1e12, 1e17] rao, log-uniform; an amount of 1e-6 to
// 1e-2 of the input reserve; the default limit, which does not bind.
type benchCase struct {
	p Pool
	o Order
}

const benchSamples = 256

func benchCases(general bool) []benchCase {
	rng := rand.New(rand.NewPCG(1, 2)) // fixed seed
	logU := func(lo, hi float64) uint64 {
		return uint64(math.Exp(math.Log(lo) + rng.Float64()*(math.Log(hi)-math.Log(lo))))
	}
	out := make([]benchCase, benchSamples)
	for i := range out {
		p := NewPool(units.TAO(logU(1e12, 1e16)), units.Alpha(logU(1e12, 1e17)))
		if general {
			p.QuoteWeight = fixed.Perquintill(2e17 + rng.Uint64N(6e17+1))
		}
		var o Order
		if i%2 == 0 {
			o = BuyOrder(units.TAO(uint64(float64(p.TAO) * math.Exp(math.Log(1e-6)+rng.Float64()*math.Log(1e4)))))
		} else {
			o = SellOrder(units.Alpha(uint64(float64(p.AlphaIn) * math.Exp(math.Log(1e-6)+rng.Float64()*math.Log(1e4)))))
		}
		out[i] = benchCase{p, o}
	}
	return out
}

var sinkResult Result

// chainBuyCases are the coinbase's chain buys on general-weight pools:
// 1 to 10 TAO, fee-free, into pools of 1e3 to 1e6 TAO (alpha reserves of
// 0.1 to 10 times that), quote weights within 1e-3 of 1/2 (as after many
// injections). With limited set, each order's limit is above the pool's
// price by about half the buy's price move, so that the limit binds and
// the swap takes the limit path (pow at precision 1024) as well.
func chainBuyCases(limited bool) []benchCase {
	rng := rand.New(rand.NewPCG(3, 4)) // fixed seed
	logU := func(lo, hi float64) uint64 {
		return uint64(math.Exp(math.Log(lo) + rng.Float64()*(math.Log(hi)-math.Log(lo))))
	}
	out := make([]benchCase, benchSamples)
	for i := range out {
		tao := logU(1e12, 1e15)
		p := NewPool(units.TAO(tao), units.Alpha(uint64(float64(tao)*math.Exp(math.Log(0.1)+rng.Float64()*math.Log(100)))))
		p.QuoteWeight = fixed.Perquintill(499e15 + rng.Uint64N(2e15+1))
		dy := logU(1e9, 1e10)
		o := BuyOrder(units.TAO(dy)).WithoutFees()
		if limited {
			// about half the price move of the full buy
			pr := p.PriceRao()
			o = o.WithLimit(PriceFromRao(pr + uint64(float64(pr)*float64(dy)/float64(tao)/2) + 1))
		}
		out[i] = benchCase{p, o}
	}
	return out
}

// BenchmarkSwapGeneralWeight times Pool.Swap of the coinbase's chain buys
// on general-weight pools (the pool is reset before each swap), without
// and with a binding limit.
func BenchmarkSwapGeneralWeight(b *testing.B) {
	for _, bc := range []struct {
		name    string
		limited bool
	}{{"chain_buy", false}, {"chain_buy_limit", true}} {
		cases := chainBuyCases(bc.limited)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				c := &cases[i%benchSamples]
				p := c.p
				r, err := p.Swap(c.o)
				if err != nil {
					b.Fatal(err)
				}
				sinkResult = r
				i++
			}
		})
	}
}

// TestChainBuyCasesMatchReference checks the chain-buy samples against
// the math/big transcription, and that the limited ones bind.
func TestChainBuyCasesMatchReference(t *testing.T) {
	n := 64 // the reference's pow at precision 1024 takes milliseconds
	if testing.Short() {
		n = 16
	}
	for _, limited := range []bool{false, true} {
		for _, c := range chainBuyCases(limited)[:n] {
			r, err := c.p.Quote(c.o)
			if err != nil {
				t.Fatalf("%+v: %v", c, err)
			}
			if limited && r.TAO >= units.TAO(c.o.amount) {
				t.Fatalf("%+v: the limit does not bind: %+v", c, r)
			}
			in, out, fee, err := refOf(c.p).swap(c.o.direction, c.o.amount, c.o.limitRao, c.o.dropFees, true)
			if err != nil || in != r.paidIn() || out != r.paidOut() || fee != r.feePaid() {
				t.Fatalf("%+v: fast %+v, reference (%d, %d, %d, %v)", c, r, in, out, fee, err)
			}
		}
	}
}

// BenchmarkSwapQuote times Pool.Quote over the realistic samples; the
// BenchmarkSwapQuoteBig twin times the plain math/big transcription of the
// spec on the same samples, so the two give the speed-up.
func BenchmarkSwapQuote(b *testing.B) {
	for _, bc := range []struct {
		name    string
		general bool
	}{{"equal_weights", false}, {"general_weights", true}} {
		cases := benchCases(bc.general)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				c := &cases[i%benchSamples]
				r, err := c.p.Quote(c.o)
				if err != nil {
					b.Fatal(err)
				}
				sinkResult = r
				i++
			}
		})
	}
}

func BenchmarkSwapQuoteBig(b *testing.B) {
	for _, bc := range []struct {
		name    string
		general bool
	}{{"equal_weights", false}, {"general_weights", true}} {
		cases := benchCases(bc.general)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				c := &cases[i%benchSamples]
				in, out, fee, err := refOf(c.p).swap(c.o.direction, c.o.amount, c.o.limitRao, c.o.dropFees, true)
				if err != nil {
					b.Fatal(err)
				}
				sinkResult = resultOf(c.o.direction, in, out, fee, false)
				i++
			}
		})
	}
}

func TestBenchCasesMatchReference(t *testing.T) {
	// The benchmark samples are valid swaps and the fast path agrees with
	// the math/big transcription on every one of them.
	for _, general := range []bool{false, true} {
		cases := benchCases(general)
		if testing.Short() {
			cases = cases[:32]
		}
		for _, c := range cases {
			r, err := c.p.Quote(c.o)
			if err != nil {
				t.Fatalf("%+v: %v", c, err)
			}
			in, out, fee, err := refOf(c.p).swap(c.o.direction, c.o.amount, c.o.limitRao, c.o.dropFees, true)
			if err != nil || in != r.paidIn() || out != r.paidOut() || fee != r.feePaid() {
				t.Fatalf("%+v: fast %+v, reference (%d, %d, %d, %v)", c, r, in, out, fee, err)
			}
		}
	}
}

func TestQuoteDoesNotAllocate(t *testing.T) {
	for name, cases := range map[string][]benchCase{
		"equal weights":         benchCases(false),
		"general weights":       benchCases(true),
		"chain buys":            chainBuyCases(false),
		"chain buys at a limit": chainBuyCases(true),
	} {
		i := 0
		allocs := testing.AllocsPerRun(200, func() {
			c := &cases[i%benchSamples]
			sinkResult, _ = c.p.Quote(c.o)
			i++
		})
		if allocs != 0 {
			t.Errorf("%s: %.2f allocs per quote, want 0", name, allocs)
		}
	}
}

// BenchmarkAdjustWeights times Pool.AdjustWeights of the coinbase's
// injections: chainBuyCases' pools, with their quote weights within 1e-3
// of 1/2 ("chain_buy") or within 3e-13 ("near_half", as BenchmarkStep's
// pools after many injections), 1e-7 to 1e-4 of the TAO reserve injected
// with alpha at about the pool's price.
func BenchmarkAdjustWeights(b *testing.B) {
	type inj struct {
		p     Pool
		tao   units.TAO
		alpha units.Alpha
	}
	for _, bc := range []struct {
		name string
		near bool
	}{{"chain_buy", false}, {"near_half", true}} {
		rng := rand.New(rand.NewPCG(5, 6)) // fixed seed
		var injs []inj
		for _, c := range chainBuyCases(false) {
			if bc.near {
				c.p.QuoteWeight = fixed.Perquintill(uint64(HalfWeight) - 3e5 + rng.Uint64N(6e5+1))
			}
			f := math.Exp(math.Log(1e-7) + rng.Float64()*math.Log(1e3))
			tao := uint64(float64(c.p.TAO) * f)
			alpha := uint64(float64(c.p.AlphaIn) * f * (0.9 + 0.2*rng.Float64()))
			injs = append(injs, inj{c.p, units.TAO(tao), units.Alpha(alpha)})
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				c := &injs[i%len(injs)]
				p := c.p
				if err := p.AdjustWeights(c.tao, c.alpha); err != nil {
					b.Fatal(err)
				}
				sinkWeight = p.QuoteWeight
			}
		})
	}
}

var sinkWeight fixed.Perquintill
