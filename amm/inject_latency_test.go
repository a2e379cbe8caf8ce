package amm

import (
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// BenchmarkInjectAndBuyLatency times a dependent chain of the coinbase's
// InjectAndBuyValid calls: each call's alpha bought feeds the next call's
// injection, so the weight share that starts each call waits for the
// previous call (as a subnet's waits for its terms), while the reserves
// and the buy are known early (as the coinbase's are). The pools are like
// BenchmarkStep's: TAO 1e13–1e16 rao, alpha 1e14–1e17, weights within
// 1e-12 of 1/2, 2e9–1e10 alpha a block with its TAO at the spot price, and
// a chain buy of 2^-24 of the TAO reserve. Each call starts from one of 64
// stored pools, so the reserves do not drift.
func BenchmarkInjectAndBuyLatency(b *testing.B) {
	r := rand.New(rand.NewPCG(20, 12))
	type start struct {
		p          Pool
		tao, alpha uint64
	}
	var starts [64]start
	for i := range starts {
		y := uint64(1e13) + r.Uint64N(1e16-1e13)
		x := uint64(1e14) + r.Uint64N(1e17-1e14)
		w := uint64(HalfWeight) + r.Uint64N(2e6) - 1e6
		p := Pool{TAO: units.TAO(y), AlphaIn: units.Alpha(x), QuoteWeight: fixed.Perquintill(w), Mechanism: Dynamic, Initialized: true}
		alpha := 2e9 + r.Uint64N(8e9)
		// The coinbase injects TAO and alpha at about the spot price, so
		// the weight stays near 1/2.
		starts[i] = start{p: p, tao: p.Price().U64F64().SaturatingMulToUint64(alpha), alpha: alpha}
	}
	var dep uint64
	var p Pool
	for i := 0; b.Loop(); i++ {
		s := &starts[i%64]
		p = s.p
		t, a, _, got := p.InjectAndBuyValid(units.TAO(s.tao+dep&1), units.Alpha(s.alpha), units.TAO(uint64(p.TAO)>>24), units.TAO(s.tao+1))
		dep = uint64(got) ^ uint64(p.AlphaIn) ^ uint64(p.QuoteWeight) ^ uint64(t) ^ uint64(a)
	}
	sinkOut = dep
}
