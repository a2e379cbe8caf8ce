package bigpow

import (
	"fmt"
	"math/big"
	"sync"
	"testing"
)

// TestPowDoesNotAllocate proves the hot paths allocation-free: the equal
// weight exact paths, the exact path at other pool weights (xfloat bounds)
// and the fixed-width fallback at both AMM precisions.
func TestPowDoesNotAllocate(t *testing.T) {
	for name, cases := range map[string][]benchCase{"exact": benchExact, "exact_pool": benchExactPool, "fallback256": bench256, "fallback1024": bench1024} {
		for _, c := range cases {
			Pow(&c.bn, &c.bd, c.en, c.ed, c.precision, c.scale) // fill the ln 2 cache
			allocs := testing.AllocsPerRun(20, func() {
				r, of, ok := Pow(&c.bn, &c.bd, c.en, c.ed, c.precision, c.scale)
				sinkU64, sinkBool = r, of || !ok
			})
			if allocs != 0 {
				t.Errorf("%s: Pow allocates %v times per call", name, allocs)
			}
		}
	}
}

// TestPowConcurrent runs Pow from several goroutines at precisions whose
// ln 2 is not cached yet (for the race detector), each result checked
// against PowBig.
func TestPowConcurrent(t *testing.T) {
	c := bench256[1]
	precisions := []uint32{601, 602, 613, 614, 627}
	want := make(map[uint32]uint64)
	for _, p := range precisions {
		w, ok := PowBig(c.bn.ToBig(), c.bd.ToBig(), new(big.Int).SetUint64(c.en), new(big.Int).SetUint64(c.ed), p, new(big.Int).SetUint64(c.scale))
		if !ok || !w.IsUint64() {
			t.Fatalf("precision %d: reference %v, %v", p, w, ok)
		}
		want[p] = w.Uint64()
	}
	const workers = 8
	errs := make(chan string, workers*len(precisions))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for k := range precisions {
				p := precisions[(k+w)%len(precisions)]
				if r, of, ok := Pow(&c.bn, &c.bd, c.en, c.ed, p, c.scale); r != want[p] || of || !ok {
					errs <- fmt.Sprintf("precision %d: Pow = %d, %v, %v; want %d", p, r, of, ok, want[p])
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
