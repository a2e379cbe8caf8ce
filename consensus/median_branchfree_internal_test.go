package consensus

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// finishPackedPrev is finishPacked before it was made branch-free: an
// insertion sort of the keys, then a scan of the cumulative stake at the
// last key of each score. Kept as the reference of finishPacked.
func finishPackedPrev(r []uint64, base, m int64) int64 {
	for i := 1; i < len(r); i++ {
		for k := i; k > 0 && r[k] < r[k-1]; k-- {
			r[k], r[k-1] = r[k-1], r[k]
		}
	}
	acc := base
	for i := 0; i < len(r); i++ {
		acc += int64(uint32(r[i]))
		if i+1 < len(r) && score(r[i+1]) == score(r[i]) {
			continue
		}
		if acc > m {
			return score(r[i])
		}
	}
	return score(r[len(r)-1])
}

// medianBucketColumnBranchy is medianBucketColumn before its bucket scale
// went through memory (bucketHist.scale) and its scan within the block of
// four buckets that holds the median became branch-free: it takes the
// largest of the eight sampled keys by branches and scans that block one
// bucket at a time. Kept as the reference of medianBucketColumn.
func medianBucketColumnBranchy(w, scratch []uint64, h *bucketHist, m int64) int64 {
	if len(w) < medianBucketMin || m < 0 {
		return medianPackedColumn(w, scratch, m)
	}
	d := len(w) / 8
	top := max(w[0], w[d], w[2*d], w[3*d], w[4*d], w[5*d], w[6*d], w[7*d])
	sh := uint(max(bits.Len64(top>>32)-6, 0)+32) & 63
	hist, head := &h.stake, &h.head
	clear(hist[:])
	clear(head[:])
	link := scratch[:len(w)]
	f := uint64(1) << (64 - sh)
	for i, x := range w {
		b := min(((x>>32)*f)>>32, medianBuckets-1)
		hist[b] += int64(uint32(x))
		link[i] = uint64(head[b])
		head[b] = uint32(i + 1)
	}
	var base int64
	t := 0
	for t <= medianBuckets-4 {
		s := hist[t] + hist[t+1] + hist[t+2] + hist[t+3]
		if base+s > m {
			break
		}
		base += s
		t += 4
	}
	for ; t < medianBuckets && base+hist[t] <= m; t++ {
		base += hist[t]
	}
	if t == medianBuckets {
		hi := w[0]
		for _, x := range w {
			hi = max(hi, x)
		}
		return int64(hi >> 32)
	}
	top2 := len(w)
	for i := head[t]; i != 0; i = uint32(link[i-1]) {
		top2--
		w[top2] = w[i-1]
	}
	k := len(w) - top2
	return medianPackedColumn(w[top2:], scratch[:k], m-base)
}

// checkFinishPacked compares finishPacked with finishPackedPrev on the
// keys r (two to eight) from base under the minority m.
func checkFinishPacked(t *testing.T, r []uint64, base, m int64) {
	t.Helper()
	want := finishPackedPrev(slices.Clone(r), base, m)
	if got := finishPacked(slices.Clone(r), base, m); got != want {
		t.Fatalf("keys %#x base %d minority %d: %d, finishPackedPrev %d", r, base, m, got, want)
	}
}

// finishThresholds are the minorities at which finishPacked's result
// changes for the keys r from base, and one either side: every cumulative
// stake, below the first and past the total, and a negative one.
func finishThresholds(r []uint64, base int64) []int64 {
	ms := []int64{-1, base - 1, base}
	acc := base
	for _, x := range r {
		acc += int64(uint32(x))
		ms = append(ms, acc-1, acc, acc+1)
	}
	return ms
}

// drawFinishKeys draws two to eight packed keys: scores over the whole
// range or on a few levels (ties, all equal), at the extremes 0 and
// 2^32 − 1, stakes zero, small, or up to 2^32 − 1.
func drawFinishKeys(r bitSource) []uint64 {
	n := 2 + r.IntN(7)
	levels := 1 + r.IntN(3)
	wide := r.IntN(2) == 0
	out := make([]uint64, n)
	for i := range out {
		var sc uint64
		switch {
		case r.IntN(10) == 0:
			sc = 1<<32 - 1
		case r.IntN(10) == 0:
			sc = 0
		case wide:
			sc = uint64(r.IntN(1<<30))<<2 | uint64(r.IntN(4))
		default:
			sc = uint64(r.IntN(levels)) * 0x5555_5555
		}
		var st uint64
		switch r.IntN(4) {
		case 0:
		case 1:
			st = 1<<32 - 1 - uint64(r.IntN(2))
		default:
			st = uint64(r.IntN(1 << 20))
		}
		out[i] = sc<<32 | st
	}
	return out
}

// permute calls f with every ordering of keys (in place).
func permute(keys []uint64, f func([]uint64)) {
	var rec func(k int)
	rec = func(k int) {
		if k == len(keys) {
			f(keys)
			return
		}
		for i := k; i < len(keys); i++ {
			keys[k], keys[i] = keys[i], keys[k]
			rec(k + 1)
			keys[k], keys[i] = keys[i], keys[k]
		}
	}
	rec(0)
}

// TestFinishPackedMatchesPrev: finishPacked gives finishPackedPrev's
// result on every ordering of eight distinct keys (so the network sorts
// every input) and of two to seven keys with ties, at every threshold of
// the minority, on constructed keys at the extremes, and on random keys
// of two to eight pairs at their thresholds.
func TestFinishPackedMatchesPrev(t *testing.T) {
	distinct := []uint64{1<<32 | 5, 2<<32 | 1, 3<<32 | 7, 4<<32 | 2, 5<<32 | 3, 6<<32 | 4, 7<<32 | 6, 8<<32 | 8}
	ms := finishThresholds(distinct, 0)
	permute(distinct, func(k []uint64) {
		for _, m := range ms {
			checkFinishPacked(t, k, 0, m)
		}
	})
	const top = 1<<32 - 1
	for n := 2; n <= 7; n++ {
		ties := []uint64{1<<32 | 3, 1<<32 | 3, 1<<32 | 4, 9 << 32, 9<<32 | 2, 0<<32 | 1, top<<32 | 5}[:n]
		for _, base := range []int64{0, 3} {
			for _, m := range finishThresholds(ties, base) {
				permute(ties, func(k []uint64) { checkFinishPacked(t, k, base, m) })
			}
		}
	}
	for _, c := range []struct {
		keys    []uint64
		base, m int64
	}{
		{[]uint64{top<<32 | top, top << 32}, 0, top - 1},
		{[]uint64{top << 32, top<<32 | top}, 0, top},
		{[]uint64{top << 32, top<<32 | top, 0}, top, top},
		{slices.Repeat([]uint64{top<<32 | top}, 8), 0, 7 * top},
		{slices.Repeat([]uint64{top<<32 | top}, 8), 0, 8 * top},
		{slices.Repeat([]uint64{5 << 32}, 8), 0, 0},
		{slices.Repeat([]uint64{5 << 32}, 8), 0, -1},
		{[]uint64{0, 0}, 0, 0},
		{[]uint64{0 | 1, top << 32}, 0, 0},
		{[]uint64{7<<32 | 1, 7<<32 | 1, 3 << 32}, 0, 0},
	} {
		checkFinishPacked(t, c.keys, c.base, c.m)
	}
	r := rand.New(rand.NewPCG(19, 3))
	count := 20000
	if testing.Short() {
		count = 2000
	}
	for range count {
		keys := drawFinishKeys(r)
		base := int64(r.IntN(1 << 20))
		ms := finishThresholds(keys, base)
		checkFinishPacked(t, keys, base, ms[r.IntN(len(ms))])
		checkFinishPacked(t, keys, base, int64(r.IntN(1<<33))-1<<20)
	}
}

// FuzzFinishPacked compares finishPacked with finishPackedPrev on keys
// and a minority drawn from the fuzz bytes.
func FuzzFinishPacked(f *testing.F) {
	f.Add([]byte{})
	r := rand.New(rand.NewPCG(8, 1))
	for range 8 {
		b := make([]byte, 128)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := &byteSource{b}
		keys := drawFinishKeys(s)
		base := int64(s.IntN(1 << 20))
		ms := finishThresholds(keys, base)
		checkFinishPacked(t, keys, base, ms[s.IntN(len(ms))])
	})
}

// checkBucketBranchy compares medianBucketColumn with
// medianBucketColumnBranchy on one column.
func checkBucketBranchy(t *testing.T, pairs []scored, minority int64) {
	t.Helper()
	keys := make([]uint64, len(pairs))
	for k, x := range pairs {
		keys[k] = uint64(x.score)<<32 | uint64(x.stake)
	}
	var h1, h2 bucketHist
	want := medianBucketColumnBranchy(slices.Clone(keys), make([]uint64, len(keys)), &h1, minority)
	for k := range h2.stake {
		h2.stake[k] = int64(k) + 3 // stale counts from an earlier column
		h2.head[k] = uint32(k*3 + 1)
	}
	got := medianBucketColumn(slices.Clone(keys), make([]uint64, len(keys)), &h2, minority)
	if got != want {
		t.Fatalf("pairs %v minority %d: %d, medianBucketColumnBranchy %d", pairs, minority, got, want)
	}
}

// bucketThresholds are the minorities at which the bucket of
// medianBucketColumn's median changes, and one either side: the
// cumulative stake at the end of each bucket (scale as bucketScale sets
// it for the column).
func bucketThresholds(pairs []scored) []int64 {
	keys := make([]uint64, len(pairs))
	for k, x := range pairs {
		keys[k] = uint64(x.score)<<32 | uint64(x.stake)
	}
	f := bucketScale(keys)
	var hist [medianBuckets]int64
	for _, x := range keys {
		hist[min(((x>>32)*f)>>32, medianBuckets-1)] += int64(uint32(x))
	}
	ms := []int64{-1, 0}
	var acc int64
	for _, s := range hist {
		acc += s
		ms = append(ms, acc-1, acc, acc+1)
	}
	return ms
}

// TestMedianBucketColumnMatchesBranchy: medianBucketColumn gives
// medianBucketColumnBranchy's median on random columns at random
// minorities and at every bucket boundary of the cumulative stake, and
// on constructed ones: ties, all-equal columns, a single stake, zero
// stakes, scores at the extremes.
func TestMedianBucketColumnMatchesBranchy(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 2))
	count := 5000
	if testing.Short() {
		count = 500
	}
	for range count {
		pairs, m := bucketColumn(r)
		checkBucketBranchy(t, pairs, m)
		ms := bucketThresholds(pairs)
		for range 4 {
			checkBucketBranchy(t, pairs, ms[r.IntN(len(ms))])
		}
	}
	const top = 1<<32 - 1
	single := slices.Repeat([]scored{{1 << 20, 0}}, 40)
	single[17] = scored{3 << 20, 1000}
	spread := make([]scored, 64)
	for k := range spread {
		spread[k] = scored{int64(k) << 26, int64(k%5 + 1)}
	}
	for _, pairs := range [][]scored{
		slices.Repeat([]scored{{1 << 31, 3}}, 40),
		slices.Repeat([]scored{{top, top}}, 24),
		slices.Repeat([]scored{{9, 0}, {3, 0}}, 20),
		slices.Repeat([]scored{{0, 5}, {63, 1}, {64, 1}, {127, 1}}, 8),
		slices.Repeat([]scored{{3, 1}, {top, 2}, {top - 7, 2}, {1 << 20, 2}}, 8),
		single,
		spread,
	} {
		for _, m := range bucketThresholds(pairs) {
			checkBucketBranchy(t, pairs, m)
		}
	}
}

// FuzzMedianBucketColumnBranchy compares medianBucketColumn with
// medianBucketColumnBranchy on columns drawn from the fuzz bytes.
func FuzzMedianBucketColumnBranchy(f *testing.F) {
	f.Add([]byte{})
	r := rand.New(rand.NewPCG(12, 5))
	for range 8 {
		b := make([]byte, 1024)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := &byteSource{b}
		pairs, m := bucketColumn(s)
		if s.IntN(2) == 0 {
			ms := bucketThresholds(pairs)
			m = ms[s.IntN(len(ms))]
		}
		checkBucketBranchy(t, pairs, m)
	})
}
