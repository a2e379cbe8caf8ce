package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

func TestDivisor(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	check := func(x, d uint64) {
		if got := newDivisor(d).divide(x); got != x/d {
			t.Fatalf("divide(%d, %d) = %d, want %d", x, d, got, x/d)
		}
	}
	for _, d := range []uint64{1, 2, 3, 65535, 65536, 1<<31 - 1, 1 << 30, 123456789} {
		for _, x := range []uint64{0, 1, d - 1, d, d + 1, 1<<48 - 1, 65535 << 32, (1<<48 - 1) / d * d} {
			check(x, d)
		}
	}
	n := 200000
	if testing.Short() {
		n = 20000
	}
	for range n {
		d := 1 + r.Uint64N(1<<31-1)
		if r.IntN(2) == 0 {
			d = 1 + r.Uint64N(1000)
		}
		x := r.Uint64N(1 << 48)
		if r.IntN(2) == 0 {
			x = r.Uint64N(65536) << 32 // a u16 weight
		}
		check(x, d)
	}
}

// normalizeWeights equals inplace_row_normalize_sparse (wrapping sum,
// SafeDiv) on rows of u16 weights, including rows whose sum wraps.
func TestNormalizeWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 1))
	for iter := range 300 {
		k := r.IntN(20)
		if iter%10 == 0 {
			k = 32768 + r.IntN(40000) // a sum of 2^31 or more, wrapping on chain
		}
		row := make([]entry, k)
		var total uint64
		for i := range row {
			u := uint64(r.IntN(65536))
			if iter%10 == 0 {
				u = 65535 - uint64(r.IntN(3))
			}
			row[i] = entry{uint16(i), fixed.I32F32FromUint64(u)}
			total += u
		}
		want := slices.Clone(row)
		s := zero
		for _, e := range want {
			s = s.Add(e.v)
		}
		if s.Sign() > 0 {
			for i := range want {
				want[i].v = want[i].v.SafeDiv(s)
			}
		}
		unit := normalizeWeights(row, total)
		if !slices.Equal(row, want) {
			t.Fatalf("iteration %d (total %d): rows differ", iter, total)
		}
		wantUnit := true
		for _, e := range want {
			wantUnit = wantUnit && uint64(e.v.Bits()) <= 1<<32
		}
		if unit != wantUnit {
			t.Fatalf("iteration %d (total %d): unit %v, want %v", iter, total, unit, wantUnit)
		}
	}
}
