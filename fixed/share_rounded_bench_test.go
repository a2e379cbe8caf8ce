package fixed

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkShareOfRounded times PerquintillShareOfRounded on the weight
// update's operands (reserves of 1e15 to 1e16 rao, products near 2^100,
// weights near one half): latency, each share fed back as the next call's
// weight (w2 = share/4 + 4·10^17), and throughput, 64 independent calls.
func BenchmarkShareOfRounded(b *testing.B) {
	type op struct {
		p1, p2 U128
		w2     uint64
	}
	rng := rand.New(rand.NewPCG(20, 12))
	var ops [64]op
	for i := range ops {
		y, x := 1e15+rng.Uint64N(9e15), 1e15+rng.Uint64N(9e15)
		dy, dx := rng.Uint64N(1e12), rng.Uint64N(1e12)
		ops[i] = op{U128MulSumSat(y, x, dx), U128MulSumSat(x, y, dy), 4e17 + rng.Uint64N(2e17)}
	}
	b.Run("latency", func(b *testing.B) {
		w2 := uint64(5e17)
		for b.Loop() {
			for i := range ops {
				o := &ops[i]
				r, _ := PerquintillShareOfRounded(o.p1, PerquintillAccuracy-w2, o.p2, w2)
				w2 = uint64(r)>>2 + 4e17
			}
		}
		sinkPerq = Perquintill(w2)
	})
	b.Run("throughput", func(b *testing.B) {
		for b.Loop() {
			for i := range ops {
				o := &ops[i]
				sinkPerq, sinkOK = PerquintillShareOfRounded(o.p1, PerquintillAccuracy-o.w2, o.p2, o.w2)
			}
		}
	})
}
