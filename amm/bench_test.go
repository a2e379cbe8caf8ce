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
	for _, general := range []bool{false, true} {
		cases := benchCases(general)
		i := 0
		allocs := testing.AllocsPerRun(200, func() {
			c := &cases[i%benchSamples]
			sinkResult, _ = c.p.Quote(c.o)
			i++
		})
		if general {
			t.Logf("general weights: %.2f allocs per quote", allocs)
			continue
		}
		if allocs != 0 {
			t.Fatalf("equal weights: %.2f allocs per quote, want 0", allocs)
		}
	}
}
