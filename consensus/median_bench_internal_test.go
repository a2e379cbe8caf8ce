package consensus

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// BenchmarkMedianColumns is the consensus step of BenchmarkEpoch alone: 64
// staked validators weighting every one of n columns.
func BenchmarkMedianColumns(b *testing.B) {
	for _, n := range []int{256, 4096} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, uint64(n)))
			active := make([]fixed.I32F32, n)
			var w matrix
			w.begin(n, 64*n)
			for i := range n {
				start := len(w.buf)
				if i < 64 {
					active[i] = fixed.I32F32FromBits(1 + r.Int64N(1<<32))
					var total uint64
					for j := range n {
						u := uint64(r.UintN(65536))
						w.push(uint16(j), fixed.I32F32FromUint64(u))
						total += u
					}
					normalizeWeights(w.buf[start:], total)
				}
				w.end(i, start)
			}
			normalize(active)
			tidy := make([]bool, n)
			for i := range tidy {
				tidy[i] = true
			}
			out := make([]fixed.I32F32, n)
			var s medianScratch
			kappa := fixed.I32F32FromUint64(DefaultKappa).SafeDiv(u16m)
			for b.Loop() {
				s.medianColumns(out, active, &w, tidy, kappa)
			}
		})
	}
}

// BenchmarkMedianColumnsLedger is the consensus step of
// BenchmarkEpochLedger alone: 64 staked validators of 256 uids weighting
// the same 32 columns (tidy rows), the shape of the ledger benchmark.
func BenchmarkMedianColumnsLedger(b *testing.B) {
	const n, v, m = 256, 64, 32
	r := rand.New(rand.NewPCG(1, 2))
	cols := r.Perm(n - v)[:m]
	slices.Sort(cols)
	active := make([]fixed.I32F32, n)
	var w matrix
	w.begin(n, v*m)
	for i := range n {
		start := len(w.buf)
		if i < v {
			active[i] = fixed.I32F32FromBits(1 + r.Int64N(1<<32))
			var total uint64
			for _, j := range cols {
				u := uint64(1 + r.UintN(65535))
				w.push(uint16(v+j), fixed.I32F32FromUint64(u))
				total += u
			}
			normalizeWeights(w.buf[start:], total)
		}
		w.end(i, start)
	}
	normalize(active)
	tidy := make([]bool, n)
	for i := range tidy {
		tidy[i] = true
	}
	out := make([]fixed.I32F32, n)
	var s medianScratch
	kappa := fixed.I32F32FromU16Proportion(DefaultKappa)
	for b.Loop() {
		s.medianColumns(out, active, &w, tidy, kappa)
	}
}
