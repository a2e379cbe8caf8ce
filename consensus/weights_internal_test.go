package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

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
