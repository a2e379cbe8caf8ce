package consensus

import (
	"math/bits"

	"github.com/dtao-go/dtao/fixed"
)

// medianScratch holds the buffers of the column-wise weighted median.
type medianScratch struct {
	stake []fixed.I32F32 // normalised positive active stake, in uid order
	cols  []scored       // medianDense: cols[j*len(stake)+k] is row k's cell; medianSparse: column j's non-zero cells from j*(len(stake)+1)
	work  []scored
	count []int32       // medianSparsePairs: per column, the number of non-zero cells
	next  []int         // medianPacked: per column j, where its next key goes (from j*(len(stake)+1))
	keys  []uint64      // medianPacked: column j's packed pairs from j*(len(stake)+1)
	kwork []uint64      // medianPacked: scratch of one column
	hist  bucketHist    // medianBucketColumn's buckets
	al    medianAligned // the aligned medians (median_aligned.go), on after alignMedians
	// minority is the κ-minority of stake (stakes); total, the stake's
	// total, and or, the OR of the bucketed scores, belong to the packed
	// bucketing (packBegin), which readWeights runs for the epoch when
	// packing is set.
	minority, total int64
	or              uint64
	packing         bool
}

// scored is one validator's score in a column with its stake.
type scored struct {
	score, stake int64
}

// weightedMedian returns what math.rs weighted_median returns for the
// scores sc with stakes st, partition [0, total] and the given minority:
// the smallest score v whose cumulative stake Σ{stake : score ≤ v} exceeds
// minority, or the largest score when none does, or 0 for no scores.
//
// The chain finds it by a quickselect whose pivot is the middle of the
// current index list, moving to the lower part while the stake below the
// pivot exceeds the minority and to the upper part while the stake up to the
// pivot does not. Every partial sum is an exact integer addition of
// non-negative values (no saturation below 2^31), so the value it stops at
// does not depend on the pivot sequence; this three-way quickselect reaches
// the same value with fewer passes.
func (s *medianScratch) weightedMedian(sc, st []fixed.I32F32, minority fixed.I32F32) fixed.I32F32 {
	if cap(s.work) < 2*len(sc) {
		s.work = make([]scored, 2*len(sc))
	}
	w := s.work[:2*len(sc)]
	for k := range sc {
		w[k] = scored{sc[k].Bits(), st[k].Bits()}
	}
	return median(w, minority.Bits())
}

// median is weightedMedian over the pairs in the first half of w (the
// second half is scratch); it reorders w.
func median(w []scored, m int64) fixed.I32F32 {
	if !small(w[:len(w)/2]) {
		return medianBranchy(w[:len(w)/2], m)
	}
	return medianSmall(w[:len(w)/2], w[len(w)/2:], m)
}

// small reports whether every score lies in [0, 2^62), where the
// branch-free partition's subtraction cannot overflow. Epoch weights always
// do (they are at most 65535·2^32 raw and never negative).
func small(w []scored) bool {
	for _, x := range w {
		if x.score < 0 || x.score >= 1<<62 {
			return false
		}
	}
	return true
}

// medianSmall is median for the pairs w with scores in [0, 2^62), using
// scratch (as long as w) and reordering w. Each pass splits the current
// range out of place into the other buffer (see split) and continues below
// the pivot, stops at it, or continues above it.
func medianSmall(w, scratch []scored, m int64) fixed.I32F32 {
	v := len(w)
	switch v {
	case 0:
		return zero
	case 1:
		return fixed.I32F32FromBits(w[0].score)
	}
	cur, oth := w, scratch[:v]
	var base int64
	a, b := 0, v
	for {
		if b-a <= 8 {
			return finishSmall(cur[a:b], base, m)
		}
		// Median of three as pivot, or of three medians of three on a
		// long range (Tukey's ninther, which cut the split steps of the
		// ledger benchmark's 65-pair columns from about 2.5 to 2.1 per
		// pair): any pivot reaches the same value.
		var p int64
		if s := (b - a) / 8; s >= 4 {
			p = median3(median3(cur[a].score, cur[a+s].score, cur[a+2*s].score),
				median3(cur[a+3*s].score, cur[a+4*s].score, cur[a+5*s].score),
				median3(cur[a+6*s].score, cur[a+7*s].score, cur[b-1].score))
		} else {
			p = median3(cur[a].score, cur[a+(b-a)/2].score, cur[b-1].score)
		}
		lt, gt, sLt, sLe := split(oth[a:b], cur[a:b], p)
		cur, oth = oth, cur
		switch {
		case base+sLt > m && lt > 0:
			b = a + lt
		case base+sLe > m || gt == 0:
			return fixed.I32F32FromBits(p)
		default:
			base += sLe
			a = b - gt
		}
		if b-a == 1 {
			return fixed.I32F32FromBits(cur[a].score)
		}
	}
}

// median3 is the middle one of x, y and z.
func median3(x, y, z int64) int64 { return max(min(x, y), min(max(x, y), z)) }

// split writes the pairs of src with scores below p to the front of dst and
// those above p to its back, in one branch-free sweep in which no load
// depends on the previous element's store; pairs scoring exactly p are
// dropped, as the weighted median either is p or lies strictly below it
// (where they do not count) or strictly above it (where their stake, part
// of sLe, joins the base). It returns how many pairs lie below and above p,
// the stake below p and the stake up to p. Scores must lie in [0, 2^62) so that the
// differences cannot overflow.
//
// It is kept out of line: inlined into medianSmall, the loop's counters no
// longer fit in registers and the sweep runs about a third slower.
//
// score > p is tested by a comparison, not by the sign of p − score as
// splitPrev (kernels_prev_internal_test.go) did: the same test for scores
// and p in [0, 2^62), where the difference cannot overflow. Written so,
// the loop keeps every value in a register; the register allocation of
// the subtraction overwrote p and spilled the output index at every pair.
//
//go:noinline
func split(dst, src []scored, p int64) (lt, gt int, sLt, sLe int64) {
	dst = dst[:len(src)]
	hi := len(src) - 1
	for _, x := range src {
		below := int(uint64(x.score-p) >> 63) // 1 when score < p
		above := int(b2i(x.score > p))        // 1 when score > p
		dst[lt] = x                           // kept when below
		dst[hi] = x                           // kept when above
		sLt += x.stake & -int64(below)
		sLe += x.stake & (int64(above) - 1)
		lt += below
		hi -= above
	}
	return lt, len(src) - 1 - hi, sLt, sLe
}

// finishSmall ends medianSmall on a short range: sort it by score and
// return the first score whose cumulative stake (from base) exceeds m, or
// the largest score when none does.
func finishSmall(r []scored, base, m int64) fixed.I32F32 {
	for i := 1; i < len(r); i++ {
		for k := i; k > 0 && r[k].score < r[k-1].score; k-- {
			r[k], r[k-1] = r[k-1], r[k]
		}
	}
	acc := base
	for i := 0; i < len(r); i++ {
		acc += r[i].stake
		if i+1 < len(r) && r[i+1].score == r[i].score {
			continue
		}
		if acc > m {
			return fixed.I32F32FromBits(r[i].score)
		}
	}
	return fixed.I32F32FromBits(r[len(r)-1].score)
}

// medianBranchy is median for scores of any size, with a three-way
// partition that compares instead of subtracting.
func medianBranchy(w []scored, m int64) fixed.I32F32 {
	var base int64
	a, b := 0, len(w)
	for {
		p := w[a+(b-a)/2].score
		lt, i, gt := a, a, b
		var sLt, sEq int64
		for i < gt {
			x := w[i]
			switch {
			case x.score < p:
				sLt += x.stake
				w[lt], w[i] = w[i], w[lt]
				lt++
				i++
			case x.score > p:
				gt--
				w[gt], w[i] = w[i], w[gt]
			default:
				sEq += x.stake
				i++
			}
		}
		switch {
		case base+sLt > m && lt > a:
			b = lt
		case base+sLt+sEq > m || gt == b:
			return fixed.I32F32FromBits(p)
		default:
			base += sLt + sEq
			a = gt
		}
		if b-a == 1 {
			return fixed.I32F32FromBits(w[a].score)
		}
	}
}

// medianColumns is weighted_median_col_sparse: the κ-majority stake-weighted
// median of each of the len(out) columns over the rows with positive active
// stake; a row's later duplicate cell wins. tidy marks the rows of w known
// to be tidy (nil: none). When every row with positive stake is tidy it
// takes medianSparse, else medianDense.
func (s *medianScratch) medianColumns(out, active []fixed.I32F32, w *matrix, tidy []bool, kappa fixed.I32F32) {
	s.stakes(active, kappa)
	if sparseRows(active, w, tidy) {
		s.medianSparse(out, active, w, s.minority)
		return
	}
	s.medianDense(out, active, w, tidy, s.minority)
}

// stakes sets s.stake to the positive active stakes in uid order,
// normalised, and s.minority to their sum less kappa (saturating): the
// stake and the minority of every column's weighted median.
func (s *medianScratch) stakes(active []fixed.I32F32, kappa fixed.I32F32) {
	st := s.stake[:0]
	for _, a := range active {
		if a.Sign() > 0 {
			st = append(st, a)
		}
	}
	s.stakesEnd(st, kappa)
}

// stakesAt is stakes for an active stake that is 0 but at the uids of at
// (ascending; activeStake's over ws.staked): the positive stakes are
// among those, and the list visits them in uid order, as stakes does.
func (s *medianScratch) stakesAt(active []fixed.I32F32, at []int, kappa fixed.I32F32) {
	st := s.stake[:0]
	for _, i := range at {
		if a := active[i]; a.Sign() > 0 {
			st = append(st, a)
		}
	}
	s.stakesEnd(st, kappa)
}

// stakesEnd normalises the positive stakes st into s.stake and sets
// s.minority (see stakes).
func (s *medianScratch) stakesEnd(st []fixed.I32F32, kappa fixed.I32F32) {
	normalize(st)
	s.stake = st
	s.minority = sum(st).SaturatingSub(kappa).Bits()
}

// sparseRows reports whether every row of w with positive active stake is
// marked tidy (tidy nil: none is), medianColumns' test for medianSparse.
func sparseRows(active []fixed.I32F32, w *matrix, tidy []bool) bool {
	if tidy == nil {
		return false
	}
	for i, a := range active {
		if a.Sign() > 0 && i < len(w.rows) && !tidy[i] {
			return false
		}
	}
	return true
}

// medianSparse is medianColumns when every row with positive stake is tidy
// (so no duplicate cells, every column below len(out), every score in
// [0, 1]).
//
// Why it gives the chain's bits: weighted_median's result depends only on
// the multiset of (score, stake) pairs of the column, through the value
// weightedMedian documents: the smallest score v whose cumulative stake
// Σ{stake : score ≤ v} exceeds the minority, or the largest score when none
// does (the partial sums are exact integer additions, see weightedMedian).
// Neither the order of the pairs nor the split of one score's stake over
// several pairs changes any Σ{stake : score ≤ v} or the set of scores, so
// the column's pairs of score 0 (the rows whose cell is 0 or absent) may be
// merged into one pair (0, Z), Z the total stake less the stake of the rows
// with a non-zero cell, present when at least one row has a zero. A column
// no row weights is then the single pair (0, total), whose median is 0, as
// is the median of no rows.
//
// The non-zero cells are bucketed by column in one pass over the rows,
// column j's at pairs[j·(v+1):], leaving room for its zero pair. When
// every pair packs into one word (see medianPacked) the columns take
// medianPacked, else medianSparsePairs.
func (s *medianScratch) medianSparse(out, active []fixed.I32F32, w *matrix, m int64) {
	if s.medianPacked(out, active, w, m) {
		return
	}
	s.medianSparsePairs(out, active, w, m)
}

// medianSparsePairs is medianSparse on (score, stake) pairs of two words.
func (s *medianScratch) medianSparsePairs(out, active []fixed.I32F32, w *matrix, m int64) {
	n, v := len(out), len(s.stake)
	stride := v + 1
	if cap(s.cols) < n*stride {
		s.cols = make([]scored, n*stride)
	}
	if cap(s.count) < n {
		s.count = make([]int32, n)
	}
	pairs, count := s.cols[:n*stride], s.count[:n]
	clear(count)
	var total int64
	k := 0
	for i, a := range active {
		if a.Sign() <= 0 {
			continue
		}
		st := s.stake[k].Bits()
		total += st
		k++
		if i >= len(w.rows) {
			continue // a missing row: zeros
		}
		for _, e := range w.rows[i] {
			if sc := e.v.Bits(); sc != 0 {
				j := int(e.j)
				pairs[j*stride+int(count[j])] = scored{sc, st}
				count[j]++
			}
		}
	}
	if cap(s.work) < stride {
		s.work = make([]scored, stride)
	}
	for j := range n {
		c := int(count[j])
		if c == 0 {
			out[j] = zero
			continue
		}
		col := pairs[j*stride : j*stride+c]
		if c < v {
			z := total
			for _, x := range col {
				z -= x.stake
			}
			col = col[:c+1]
			col[c] = scored{0, z}
		}
		out[j] = medianSmall(col, s.work, m)
	}
}

// medianDense is medianColumns for any rows: every column's pairs, zeros
// included, are written column-major and each column's median taken in
// place.
func (s *medianScratch) medianDense(out, active []fixed.I32F32, w *matrix, tidy []bool, m int64) {
	n := len(out)
	st := s.stake
	v := len(st)
	if cap(s.cols) < n*v {
		s.cols = make([]scored, n*v)
	}
	// Column-major (column j, validator k), so that each column's pairs
	// are contiguous and medianSmall works on them in place. The writes of
	// one row are strided, but four consecutive rows share their cache
	// lines.
	cols := s.cols[:n*v]
	k := 0
	for i, a := range active {
		if i >= len(w.rows) {
			break
		}
		if a.Sign() > 0 {
			if tidy != nil && tidy[i] {
				fillTidy(cols[k:], v, n, w.rows[i], st[k].Bits())
			} else {
				fill(cols[k:], v, n, w.rows[i], st[k].Bits())
			}
			k++
		}
	}
	if cap(s.work) < v {
		s.work = make([]scored, v)
	}
	for j := range n {
		out[j] = medianSmall(cols[j*v:(j+1)*v], s.work, m)
	}
}

// fill writes one row's pairs for n columns into the column-major dst
// (row k's pair of column j at dst[j*v]): score 0 and then each cell of r
// below n in order, so that a later duplicate wins.
func fill(dst []scored, v, n int, r []entry, stake int64) {
	for j := range n {
		dst[j*v] = scored{0, stake}
	}
	for _, e := range r {
		if int(e.j) < n {
			dst[int(e.j)*v].score = e.v.Bits()
		}
	}
}

// fillTidy is fill for a tidy row (strictly ascending columns below n), in
// one pass that writes each column once.
func fillTidy(dst []scored, v, n int, r []entry, stake int64) {
	p := 0
	for j := range n {
		var sc int64
		if p < len(r) && int(r[p].j) == j {
			sc = r[p].v.Bits()
			p++
		}
		dst[j*v] = scored{sc, stake}
	}
}

// medianPacked is medianSparse with each (score, stake) pair packed into
// the word score<<32 | stake, which halves the memory the columns and the
// partition passes move. It applies when the total stake (so every stake
// and every column's zero pair) and every score lie below 2^32, which is
// the epoch's case but for a column or a stake holding all of 1; it
// reports false, having written nothing to out, when they do not.
//
// Why it gives medianSparsePairs' bits: the pairs of a column, the zero
// pair and the minority are the same; only their encoding differs, and
// medianPackedColumn follows medianSmall step by step on it (see there).
func (s *medianScratch) medianPacked(out, active []fixed.I32F32, w *matrix, m int64) bool {
	if !s.packBegin(len(out)) {
		return false
	}
	k := 0
	for i, a := range active {
		if a.Sign() <= 0 {
			continue
		}
		st := uint64(s.stake[k].Bits())
		k++
		if i >= len(w.rows) {
			continue // a missing row: zeros
		}
		s.or |= bucketRow(s.keys, s.next, w.rows[i], st)
	}
	return s.packedColumns(out, m)
}

// packBegin starts medianPacked's bucketing for n columns over s.stake:
// it reports whether every stake and their total lie below 2^32 (else
// the pairs do not pack), and then sizes s.keys and s.next, sets each
// column's next key to its first and clears s.or. The keys of the rows
// are then bucketed (bucketRow or keyCells) in uid order, and
// packedColumns takes the medians. It sets s.packing to its result.
func (s *medianScratch) packBegin(n int) bool {
	s.packing, s.al.on = false, false
	v := len(s.stake)
	var total int64
	for _, st := range s.stake {
		if st.Sign() < 0 {
			return false
		}
		total += st.Bits() // at most 65535 terms below 2^32 once checked
		if total >= 1<<32 {
			return false
		}
	}
	stride := v + 1
	if cap(s.keys) < n*stride {
		s.keys = make([]uint64, n*stride)
	}
	if cap(s.next) < n {
		s.next = make([]int, n)
	}
	s.keys, s.next = s.keys[:n*stride], s.next[:n]
	// From a local: through s, the loop reloaded s.next at every column,
	// as its stores might have changed it.
	next := s.next
	for j := range next {
		next[j] = j * stride
	}
	s.total, s.or, s.packing = total, 0, true
	return true
}

// packedColumns ends medianPacked once every row's keys are bucketed: it
// reports false, having written nothing to out, when a score is 1 or more
// (s.or ≥ 2^32), and otherwise writes each column's median (minority m)
// to out.
func (s *medianScratch) packedColumns(out []fixed.I32F32, m int64) bool {
	if s.or >= 1<<32 {
		return false // a score of 1 (or, off the tidy rows, more)
	}
	if s.al.on {
		s.alignedColumns(out, m)
		return true
	}
	n, v := len(out), len(s.stake)
	stride := v + 1
	keys, next := s.keys[:n*stride], s.next[:n]
	if cap(s.kwork) < stride {
		s.kwork = make([]uint64, stride)
	}
	for j := range n {
		c := next[j] - j*stride
		if c == 0 {
			out[j] = zero
			continue
		}
		col := keys[j*stride : j*stride+c]
		if c < v {
			z := uint64(s.total)
			for _, x := range col {
				z -= uint64(uint32(x))
			}
			col = col[:c+1]
			col[c] = z // score 0
		}
		out[j] = fixed.I32F32FromBits(medianBucketColumn(col, s.kwork, &s.hist, m))
	}
	return true
}

// medianBuckets is the number of score buckets of medianBucketColumn.
const medianBuckets = 64

// bucketHist is medianBucketColumn's scratch for one column: each
// bucket's stake, the head of its chain of keys (one more than the index
// of the bucket's last key in the column, 0 for none), and the column's
// bucket scale (bucketScale), passed through memory (see
// medianBucketColumn).
type bucketHist struct {
	stake [medianBuckets]int64
	head  [medianBuckets]uint32
	scale uint64
}

// medianBucketMin is the shortest column medianBucketColumn buckets;
// shorter ones go straight to medianPackedColumn.
const medianBucketMin = 24

// medianBucketColumn is medianPackedColumn (same arguments but h, same
// result) by bucketing, in one short sweep of the column where
// medianPackedColumn splits it about two times a pair: a key x, score s,
// falls in bucket min(x>>sh, medianBuckets−1), that is min(s>>(sh−32),
// medianBuckets−1), the stake of each bucket summed in h.stake and its
// keys chained (h.head, the links in scratch), and the bucket t where the
// cumulative stake first exceeds m found by a scan. The pairs of bucket t
// are gathered by its chain and their median taken by medianPackedColumn
// with the minority m − base, base the stake of the buckets below t. A
// column no bucket takes past m has its largest score as its median.
//
// The bucket width 2^(sh−32) (bucketScale) is set from the largest score
// of eight keys spread over the column, so that the scores below twice it
// spread over the buckets; a score at or above that shares the last
// bucket. (The bucketing it replaced, medianBucketColumnPrev in
// kernels_prev_internal_test.go, swept the column once more for its
// extremes and spread the buckets between them.)
//
// Why it gives medianPackedColumn's bits: that median is the smallest
// score v with Σ{stake : score ≤ v} > m, or the largest score when none
// has (see weightedMedian). The bucket of a score does not decrease as the
// score grows, so with P_u the stake of the buckets up to u, every score
// of a bucket below t has a cumulative stake at most P_{t−1} = base ≤ m,
// and the largest score of bucket t has P_t > m: the median lies in
// bucket t (which holds stake, so a key, as m ≥ 0), and a score v there has the cumulative stake base +
// Σ{stake of bucket t : score ≤ v}. So it is the smallest v of bucket t
// with Σ{stake of bucket t : score ≤ v} > m − base, which exists (bucket
// t's stake P_t − base exceeds m − base), and medianPackedColumn returns
// it. When P over all buckets (the total) is at most m, no score has a
// cumulative stake above m and the median is the largest score. The sums
// are exact: stakes are below 2^32 and a column holds fewer than 2^31
// pairs.
func medianBucketColumn(w, scratch []uint64, h *bucketHist, m int64) int64 {
	if len(w) < medianBucketMin || m < 0 {
		// A negative minority (κ above the stake) makes the smallest
		// score the median; the scan below would stop at bucket 0, which
		// may hold no key.
		return medianPackedColumn(w, scratch, m)
	}
	// The scale goes through h.scale so that the maxima of bucketScale
	// compile to conditional moves: read back from memory (past the
	// clears, so the store is not forwarded), it is a load the compiler
	// sees no data flow through, where, used directly, it feeds the bucket
	// index of a load, and Go's branchelim keeps a branch for every value
	// that does (a conditional move would make the load's address wait
	// for the comparison). Those branches, on the largest of eight
	// unordered keys, were mispredicted about three times a column
	// (medianBucketColumnBranchy, median_branchfree_internal_test.go).
	h.scale = bucketScale(w)
	hist, head := &h.stake, &h.head
	clear(hist[:])
	clear(head[:])
	f := h.scale
	link := scratch[:len(w)]
	for i, x := range w {
		b := min(((x>>32)*f)>>32, medianBuckets-1)
		hist[b] += int64(uint32(x))
		link[i] = uint64(head[b])
		head[b] = uint32(i + 1)
	}
	// The first bucket t whose cumulative stake exceeds m, four buckets
	// at a time while a block of four keeps it at most m, then within the
	// block that takes it past m (below): the stakes are non-negative, so the
	// cumulative stake does not decrease within a block, and a block whose
	// total keeps it at most m holds no such bucket (the one-at-a-time
	// scan of medianBucketColumnPrev in kernels_prev_internal_test.go would
	// step over all four).
	var base int64
	t := 0
	for t < medianBuckets { // medianBuckets is a multiple of four
		s := hist[t] + hist[t+1] + hist[t+2] + hist[t+3]
		if base+s > m {
			break
		}
		base += s
		t += 4
	}
	if t == medianBuckets {
		hi := w[0]
		for _, x := range w {
			hi = max(hi, x)
		}
		return int64(hi >> 32)
	}
	// Within the block, t moves past each of its first three buckets
	// whose cumulative stake stays at most m (the fourth's exceeds m),
	// by comparisons and conditional moves, where the loop of
	// medianBucketColumnBranchy (median_branchfree_internal_test.go)
	// ended at a bucket set by the data and mispredicted its exit about
	// once a column. (The masks only drop bounds checks: t < 61 here.)
	t &= medianBuckets - 1
	p0 := base + hist[t]
	p1 := p0 + hist[(t+1)&(medianBuckets-1)]
	p2 := p1 + hist[(t+2)&(medianBuckets-1)]
	if p0 <= m {
		base = p0
	}
	if p1 <= m {
		base = p1
	}
	if p2 <= m {
		base = p2
	}
	t += int(b2i(p0 <= m) + b2i(p1 <= m) + b2i(p2 <= m))
	// The keys of bucket t, by its chain: the indices of its keys in
	// descending order, each key's link the one below it. They are
	// gathered into the top of w, the k-th key read going to w[len(w)−1−k]:
	// the k keys read before it lie at larger indices, so its index is at
	// most len(w)−1−k, and the keys still to read lie below it, so the
	// write overwrites none of them. (medianBucketColumnScan in
	// kernels_prev_internal_test.go gathered them by a sweep of the
	// column, testing each key's bucket.) The median of a set of pairs
	// does not depend on their order (see weightedMedian).
	top2 := len(w)
	for i := head[t]; i != 0; i = uint32(link[i-1]) {
		top2--
		w[top2] = w[i-1]
	}
	k := len(w) - top2
	return medianPackedColumn(w[top2:], scratch[:k], m-base)
}

// bucketScale is medianBucketColumn's bucket scale f = 2^(64−sh) for its
// column w (at least eight keys): sh = max(bits(top's score) − 6, 0) + 32
// (at most 58), top the largest of eight keys spread over w (its high
// word their largest score), so that a score below 2^bits falls in a
// bucket below medianBuckets = 64. A key x, score s, goes to the bucket
// min(x>>sh, medianBuckets−1): x>>sh is floor(s/2^(sh−32)) (sh ≥ 32: the
// stake, below 2^32, is dropped whole), which is (s·f)>>32, f at most
// 2^32 and s below 2^32 so that s·f < 2^64: a multiplication and shifts
// by constants, where the shift by sh held CX for its count at every key.
func bucketScale(w []uint64) uint64 {
	d := len(w) / 8
	top := max(w[0], w[d], w[2*d], w[3*d], w[4*d], w[5*d], w[6*d], w[7*d])
	sh := uint(max(bits.Len64(top>>32)-6, 0)+32) & 63
	return uint64(1) << (64 - sh)
}

// bucketRow is medianPacked's bucketing of one row of stake st: each
// non-zero cell's packed pair goes to keys[next[j]], its column j's next
// free key, and next[j] moves on. It returns the OR of the row's scores.
//
// Why it gives the keys of the bucketing it replaced (medianPackedPrev in
// kernels_prev_internal_test.go, which counted the cells of column j in
// count[j] and wrote at j·stride + count[j]): next[j] starts at j·stride
// and moves on by one where count[j] did, so it is j·stride + count[j]
// throughout. Kept out of line and without the multiplication, the loop
// holds its few values in registers; inlined into medianPacked it
// reloaded them from the stack at every cell.
//
//go:noinline
func bucketRow(keys []uint64, next []int, r []entry, st uint64) (or uint64) {
	for _, e := range r {
		if sc := uint64(e.v.Bits()); sc != 0 {
			or |= sc
			p := next[e.j]
			keys[p] = sc<<32 | st
			next[e.j] = p + 1
		}
	}
	return or
}

// medianPackedColumn is medianSmall on packed pairs score<<32 | stake
// (scores and stakes below 2^32), using scratch (as long as w) and
// reordering w; it returns the median's raw bits.
//
// Why it gives medianSmall's bits: a key's high word is its score and
// its low word its stake, both exact. So splitPacked returns what split returns on the unpacked pairs
// and leaves the pairs at the same places, the pivots (taken from the same
// places) are the same scores, and the passes are the same. The final
// sort orders by key, so pairs of equal score may end up in another order
// than finishSmall's, but the result reads the cumulative stake only at
// the last pair of each score, which that order does not change.
func medianPackedColumn(w, scratch []uint64, m int64) int64 {
	v := len(w)
	switch v {
	case 0:
		return 0
	case 1:
		return int64(w[0] >> 32)
	}
	cur, oth := w, scratch[:v]
	var base int64
	a, b := 0, v
	for {
		if b-a <= 8 {
			return finishPacked(cur[a:b], base, m)
		}
		var p int64
		if s := (b - a) / 8; s >= 4 {
			p = median3(median3(score(cur[a]), score(cur[a+s]), score(cur[a+2*s])),
				median3(score(cur[a+3*s]), score(cur[a+4*s]), score(cur[a+5*s])),
				median3(score(cur[a+6*s]), score(cur[a+7*s]), score(cur[b-1])))
		} else {
			p = median3(score(cur[a]), score(cur[a+(b-a)/2]), score(cur[b-1]))
		}
		lt, gt, sLt, sLe := splitPacked(oth[a:b], cur[a:b], p)
		cur, oth = oth, cur
		switch {
		case base+sLt > m && lt > 0:
			b = a + lt
		case base+sLe > m || gt == 0:
			return p
		default:
			base += sLe
			a = b - gt
		}
		if b-a == 1 {
			return score(cur[a])
		}
	}
}

// score is a packed pair's score.
func score(x uint64) int64 { return int64(x >> 32) }

// splitPacked is split on packed pairs (scores and p below 2^32, so the
// difference of two scores cannot overflow).
//
// Why it gives the bits of the split it replaced (splitPackedPrev in
// kernels_prev_internal_test.go): the only change is that score > p is
// tested by a comparison instead of the sign of p − score, which is the
// same test for scores and p below 2^32. Written so, the loop holds every
// value in a register; the previous form, whose register allocation
// overwrote p with p − score, copied p back and reloaded dst from the
// stack at every pair.
//
//go:noinline
func splitPacked(dst, src []uint64, p int64) (lt, gt int, sLt, sLe int64) {
	dst = dst[:len(src)]
	top := len(src) - 1
	for _, x := range src {
		s := score(x)
		below := int(uint64(s-p) >> 63) // 1 when score < p
		above := int(b2i(s > p))        // 1 when score > p
		dst[lt] = x                     // kept when below
		dst[top] = x                    // kept when above
		st := int64(uint32(x))          // the stake
		sLt += st & -int64(below)
		sLe += st & (int64(above) - 1)
		lt += below
		top -= above
	}
	return lt, len(src) - 1 - top, sLt, sLe
}

// finishPacked is finishSmall on packed pairs, for two to eight pairs
// (medianPackedColumn's ranges of at most eight; it ends a range of one
// itself).
//
// It has no branch that depends on the keys, where the insertion sort and
// the scan of finishPackedPrev (median_branchfree_internal_test.go)
// mispredicted about once a pair: the pairs are padded to eight, sorted by
// a fixed network of nineteen compare-exchanges (conditional moves), and
// the median picked by conditional moves along the cumulative stake.
//
// Why it gives finishPackedPrev's result: the padding pairs (at i ≥
// len(r)) are copies of r[0] with the stake 0. They change no cumulative
// stake Σ{stake : score ≤ v} and add no score, so the median, the
// smallest score v whose cumulative stake (from base) exceeds m or the
// largest score when none does (see weightedMedian), is that of r. In
// the sorted keys x0 ≤ … ≤ x7 (scores non-decreasing, stakes non-negative)
// the cumulative stake at position k, acc_k, does not decrease; the first
// position c with acc_c > m has the median's score, as every score below
// it has a cumulative stake at most acc_(c−1) ≤ m and its own score a
// cumulative stake at least acc_c; with none, x7 holds the largest score.
// The scan sets res to x_(k+1) while acc_k ≤ m, so it ends on x_c (x7
// when none).
func finishPacked(r []uint64, base, m int64) int64 {
	x0, x1, x2, x3 := r[0], r[1], padPair(r, 2), padPair(r, 3)
	x4, x5, x6, x7 := padPair(r, 4), padPair(r, 5), padPair(r, 6), padPair(r, 7)
	// Batcher's odd-even merge network for eight keys.
	x0, x2 = min(x0, x2), max(x0, x2)
	x1, x3 = min(x1, x3), max(x1, x3)
	x4, x6 = min(x4, x6), max(x4, x6)
	x5, x7 = min(x5, x7), max(x5, x7)
	x0, x4 = min(x0, x4), max(x0, x4)
	x1, x5 = min(x1, x5), max(x1, x5)
	x2, x6 = min(x2, x6), max(x2, x6)
	x3, x7 = min(x3, x7), max(x3, x7)
	x0, x1 = min(x0, x1), max(x0, x1)
	x2, x3 = min(x2, x3), max(x2, x3)
	x4, x5 = min(x4, x5), max(x4, x5)
	x6, x7 = min(x6, x7), max(x6, x7)
	x2, x4 = min(x2, x4), max(x2, x4)
	x3, x5 = min(x3, x5), max(x3, x5)
	x1, x4 = min(x1, x4), max(x1, x4)
	x3, x6 = min(x3, x6), max(x3, x6)
	x1, x2 = min(x1, x2), max(x1, x2)
	x3, x4 = min(x3, x4), max(x3, x4)
	x5, x6 = min(x5, x6), max(x5, x6)
	res := x0
	acc := base + int64(uint32(x0))
	if acc <= m {
		res = x1
	}
	acc += int64(uint32(x1))
	if acc <= m {
		res = x2
	}
	acc += int64(uint32(x2))
	if acc <= m {
		res = x3
	}
	acc += int64(uint32(x3))
	if acc <= m {
		res = x4
	}
	acc += int64(uint32(x4))
	if acc <= m {
		res = x5
	}
	acc += int64(uint32(x5))
	if acc <= m {
		res = x6
	}
	acc += int64(uint32(x6))
	if acc <= m {
		res = x7
	}
	return score(res)
}

// padPair is finishPacked's key i: r[i] for i < len(r), else r[0] with
// the stake 0, chosen by masks (i is a constant once inlined).
func padPair(r []uint64, i int) uint64 {
	pad := (len(r) - 1 - i) >> 63 // −1 when i ≥ len(r)
	return r[i&^pad] &^ (uint64(pad) >> 32)
}
