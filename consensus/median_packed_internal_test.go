package consensus

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// The reference of medianPacked is medianSparsePairs (the (score, stake)
// pairs of two words, medianSmall per column), kept as medianSparse's
// fallback; medianColumns' own tests (median_sparse_internal_test.go)
// compare the whole against the chain's weighted_median_col_sparse.

// packedColumn draws one column for medianPackedColumn: v pairs with
// scores and stakes below 2^32, few or many score levels, zero stakes,
// and a minority around the total.
func packedColumn(r bitSource) (pairs []scored, minority int64) {
	v := 1 + r.IntN(12)
	if r.IntN(3) == 0 {
		v = 1 + r.IntN(200)
	}
	levels := 1 + r.IntN(4)
	if r.IntN(2) == 0 {
		levels = 1 << 30
	}
	var total int64
	pairs = make([]scored, v)
	for k := range pairs {
		var sc int64
		if levels == 1<<30 {
			sc = int64(r.IntN(1<<30))*4 + int64(r.IntN(4)) // up to 2^32 − 1
		} else {
			sc = int64(r.IntN(levels)) << 30
		}
		var st int64
		if r.IntN(6) > 0 {
			st = int64(r.IntN(1 << 26))
		}
		pairs[k] = scored{sc, st}
		total += st
	}
	switch r.IntN(4) {
	case 0:
		minority = -int64(r.IntN(1 << 20))
	case 1:
		minority = total + int64(r.IntN(4)) - 2
	default:
		minority = int64(r.IntN(int(total) + 1))
	}
	return pairs, minority
}

// checkPackedColumn compares medianPackedColumn with medianSmall on one
// column.
func checkPackedColumn(t *testing.T, pairs []scored, minority int64) {
	t.Helper()
	keys := make([]uint64, len(pairs))
	for k, x := range pairs {
		keys[k] = uint64(x.score)<<32 | uint64(x.stake)
	}
	orig := slices.Clone(pairs)
	want := medianSmall(slices.Clone(pairs), make([]scored, len(pairs)), minority)
	got := medianPackedColumn(keys, make([]uint64, len(keys)), minority)
	if got != want.Bits() {
		t.Fatalf("pairs %v minority %d: packed %d, medianSmall %d", orig, minority, got, want.Bits())
	}
}

// TestMedianPackedColumnMatchesSmall: medianPackedColumn gives
// medianSmall's median on random columns.
func TestMedianPackedColumnMatchesSmall(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 4))
	count := 20000
	if testing.Short() {
		count = 2000
	}
	for range count {
		pairs, m := packedColumn(r)
		checkPackedColumn(t, pairs, m)
	}
}

// TestMedianPackedColumnEdgeCases: constructed columns at the ends of the
// packed range and around the minority.
func TestMedianPackedColumnEdgeCases(t *testing.T) {
	const top = 1<<32 - 1
	cases := map[string]struct {
		pairs []scored
		m     int64
	}{
		"one pair":            {[]scored{{5, 7}}, 3},
		"top score and stake": {[]scored{{top, top}, {0, 1}, {top - 1, 2}}, top},
		"all equal scores":    {slices.Repeat([]scored{{1 << 31, 3}}, 40), 60},
		"all zero stakes":     {slices.Repeat([]scored{{9, 0}, {3, 0}}, 20), 0},
		"minority negative":   {slices.Repeat([]scored{{9, 1}, {3, 2}, {7, 4}}, 10), -1},
		"minority at total":   {slices.Repeat([]scored{{9, 1}, {3, 2}, {7, 4}}, 10), 70},
		"minority on a step":  {slices.Repeat([]scored{{9, 1}, {3, 2}, {7, 4}}, 10), 20},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) { checkPackedColumn(t, c.pairs, c.m) })
	}
}

// TestMedianPackedMatchesPairs: medianSparse's packed path gives
// medianSparsePairs' medians on tidy matrices, and declines (writing
// nothing) where a score or the total stake reaches 2^32.
func TestMedianPackedMatchesPairs(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 13))
	var s, ref medianScratch
	count := 3000
	if testing.Short() {
		count = 300
	}
	for it := range count {
		c := drawMedianCase(r)
		if !actuallyTidy(&c) {
			continue
		}
		if it%7 == 0 && len(c.w.buf) > 0 { // a score of 1: not packable
			c.w.buf[r.IntN(len(c.w.buf))].v = one
		}
		kappa := c.kappa
		// Both take medianColumns' stake and minority.
		want := make([]fixed.I32F32, c.n)
		ref.stake = ref.stake[:0]
		for _, a := range c.active {
			if a.Sign() > 0 {
				ref.stake = append(ref.stake, a)
			}
		}
		normalize(ref.stake)
		s.stake = append(s.stake[:0], ref.stake...)
		m := sum(ref.stake).SaturatingSub(kappa).Bits()
		ref.medianSparsePairs(want, c.active, &c.w, m)
		got := make([]fixed.I32F32, c.n)
		for j := range got {
			got[j] = fixed.I32F32FromBits(-1)
		}
		packable := sum(ref.stake).Bits() < 1<<32
		for i, a := range c.active {
			if a.Sign() > 0 && i < len(c.w.rows) {
				for _, e := range c.w.rows[i] {
					packable = packable && e.v.Bits() < 1<<32
				}
			}
		}
		ok := s.medianPacked(got, c.active, &c.w, m)
		if ok != packable {
			t.Fatalf("case %d: medianPacked took %v, want %v", it, ok, packable)
		}
		for j := range got {
			if ok && got[j] != want[j] || !ok && got[j] != fixed.I32F32FromBits(-1) {
				t.Fatalf("case %d: column %d = %v, pairs %v (packed %v)", it, j, got[j], want[j], ok)
			}
		}
	}
}

// actuallyTidy reports whether every row of c is tidy (the precondition
// of medianSparse).
func actuallyTidy(c *medianCase) bool {
	for _, r := range c.w.rows {
		for k, e := range r {
			if int(e.j) >= c.n || k > 0 && e.j <= r[k-1].j || uint64(e.v.Bits()) > 1<<32 {
				return false
			}
		}
	}
	return true
}

// FuzzMedianPackedColumn compares medianPackedColumn with medianSmall on
// columns drawn from the fuzz bytes.
func FuzzMedianPackedColumn(f *testing.F) {
	f.Add([]byte{})
	r := rand.New(rand.NewPCG(5, 5))
	for range 8 {
		b := make([]byte, 1024)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		f.Add(b)
	}
	f.Add(binary.LittleEndian.AppendUint64(nil, 0xfedcba9876543210))
	f.Fuzz(func(t *testing.T, b []byte) {
		pairs, m := packedColumn(&byteSource{b})
		checkPackedColumn(t, pairs, m)
	})
}

// BenchmarkMedianSparseLedger runs the sparse median of
// BenchmarkMedianColumnsLedger's shape packed and on pairs, for an
// interleaved comparison.
func BenchmarkMedianSparseLedger(b *testing.B) {
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
	out := make([]fixed.I32F32, n)
	var s medianScratch
	s.stake = append(s.stake[:0], active[:v]...)
	normalize(s.stake)
	mi := sum(s.stake).SaturatingSub(fixed.I32F32FromU16Proportion(DefaultKappa)).Bits()
	b.Run("packed", func(b *testing.B) {
		for b.Loop() {
			if !s.medianPacked(out, active, &w, mi) {
				b.Fatal("not packable")
			}
		}
	})
	b.Run("pairs", func(b *testing.B) {
		for b.Loop() {
			s.medianSparsePairs(out, active, &w, mi)
		}
	})
}

// checkBucketColumn compares medianBucketColumn with medianPackedColumn,
// its reference, on one column.
func checkBucketColumn(t *testing.T, pairs []scored, minority int64) {
	t.Helper()
	keys := make([]uint64, len(pairs))
	for k, x := range pairs {
		keys[k] = uint64(x.score)<<32 | uint64(x.stake)
	}
	want := medianPackedColumn(slices.Clone(keys), make([]uint64, len(keys)), minority)
	var hist bucketHist
	for k := range hist.stake {
		hist.stake[k] = int64(k) - 7 // stale counts from an earlier column
		hist.head[k] = uint32(k*5 + 1)
	}
	got := medianBucketColumn(slices.Clone(keys), make([]uint64, len(keys)+1), &hist, minority)
	if got != want {
		t.Fatalf("pairs %v minority %d: bucketed %d, medianPackedColumn %d", pairs, minority, got, want)
	}
}

// bucketColumn draws one column long enough for medianBucketColumn's
// buckets (packedColumn's pairs, lengthened), with scores spread over the
// whole range, crowded into a narrow one, or on a few levels.
func bucketColumn(r bitSource) (pairs []scored, minority int64) {
	pairs, minority = packedColumn(r)
	for len(pairs) < medianBucketMin {
		pairs = append(pairs, pairs...)
	}
	switch r.IntN(3) {
	case 0: // a narrow range: a few low bits of a common high part
		base := int64(r.IntN(1 << 30))
		for k := range pairs {
			pairs[k].score = base + pairs[k].score>>(26+r.IntN(6))
		}
	case 1: // the ledger's columns: scores within ±20% of one value
		mid := int64(1 + r.IntN(1<<27))
		for k := range pairs {
			pairs[k].score = mid*8/10 + int64(r.IntN(int(mid*4/10)+1))
		}
	}
	if r.IntN(4) == 0 { // recompute the minority against the new total
		var total int64
		for _, x := range pairs {
			total += x.stake
		}
		minority = int64(r.IntN(int(total)+1)) - 1
	}
	return pairs, minority
}

// TestMedianBucketColumnMatchesPacked: medianBucketColumn gives
// medianPackedColumn's median on random columns and constructed ones.
func TestMedianBucketColumnMatchesPacked(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 9))
	count := 20000
	if testing.Short() {
		count = 2000
	}
	for range count {
		pairs, m := bucketColumn(r)
		checkBucketColumn(t, pairs, m)
	}
	const top = 1<<32 - 1
	for _, c := range []struct {
		pairs []scored
		m     int64
	}{
		{slices.Repeat([]scored{{top, top}, {0, 1}, {top - 1, 2}}, 10), top},
		{slices.Repeat([]scored{{top, 1}, {0, 1}}, 20), 19},
		{slices.Repeat([]scored{{top, 1}, {0, 1}}, 20), 20},
		{slices.Repeat([]scored{{1 << 31, 3}}, 40), 60},
		{slices.Repeat([]scored{{9, 0}, {3, 0}}, 20), 0},
		{slices.Repeat([]scored{{9, 0}, {3, 0}}, 20), -1},
		{slices.Repeat([]scored{{9, 1}, {3, 2}, {7, 4}}, 10), -1},
		{slices.Repeat([]scored{{9, 1}, {3, 2}, {7, 4}}, 10), 70},
		{slices.Repeat([]scored{{9, 1}, {3, 2}, {7, 4}}, 10), 20},
		{slices.Repeat([]scored{{0, 5}, {63, 1}, {64, 1}, {127, 1}}, 8), 45},
		// Scores far from 0, so the first buckets are empty, under a
		// negative minority (the smallest score) and a small one.
		{slices.Repeat([]scored{{1 << 30, 3}, {1<<30 + 5, 2}, {1<<30 + 9, 1}}, 10), -5},
		{slices.Repeat([]scored{{1 << 30, 3}, {1<<30 + 5, 2}, {1<<30 + 9, 1}}, 10), 0},
		// The sampled keys (every fourth of 32) low, the others far above
		// twice their largest score: the last bucket holds the median.
		{slices.Repeat([]scored{{3, 1}, {top, 2}, {top - 7, 2}, {1 << 20, 2}}, 8), 40},
		{slices.Repeat([]scored{{3, 1}, {top, 2}, {top - 7, 2}, {1 << 20, 2}}, 8), 55},
		// The sampled keys all 0.
		{slices.Repeat([]scored{{0, 1}, {70, 2}, {64, 2}, {1000, 2}}, 8), 30},
	} {
		checkBucketColumn(t, c.pairs, c.m)
	}
}

// FuzzMedianBucketColumn compares medianBucketColumn with
// medianPackedColumn on columns drawn from the fuzz bytes.
func FuzzMedianBucketColumn(f *testing.F) {
	f.Add([]byte{})
	r := rand.New(rand.NewPCG(6, 6))
	for range 8 {
		b := make([]byte, 1024)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pairs, m := bucketColumn(&byteSource{b})
		checkBucketColumn(t, pairs, m)
	})
}
