package consensus

import "github.com/dtao-go/dtao/fixed"

// medianScratch holds the buffers of the column-wise weighted median.
type medianScratch struct {
	stake []fixed.I32F32 // normalised positive active stake, in uid order
	score []fixed.I32F32 // column-major: score[j*len(stake)+k]
	work  []scored
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
// does not depend on the pivot sequence; this in-place three-way quickselect
// reaches the same value with fewer passes.
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
	return medianSmall(w, m)
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

// medianSmall is median for scores in [0, 2^62). Each pass partitions out
// of place into the other half of the pair buffer (smaller scores from the
// front, the rest from the back), branch-free and without a load that
// depends on the previous element's store.
func medianSmall(w []scored, m int64) fixed.I32F32 {
	v := len(w) / 2
	switch v {
	case 0:
		return zero
	case 1:
		return fixed.I32F32FromBits(w[0].score)
	}
	cur, oth := w[:v], w[v:]
	var base int64
	a, b := 0, v
	for {
		if b-a <= 8 {
			return finishSmall(cur[a:b], base, m)
		}
		// Median of three as pivot: any pivot reaches the same value.
		p0, p1, p2 := cur[a].score, cur[a+(b-a)/2].score, cur[b-1].score
		p := max(min(p0, p1), min(max(p0, p1), p2))
		lo, hi := a, b-1
		var sLt int64
		for _, x := range cur[a:b] {
			c := int(uint64(x.score-p) >> 63) // 1 when score < p
			oth[lo] = x
			oth[hi] = x
			sLt += x.stake & -int64(c)
			lo += c
			hi -= 1 - c
		}
		cur, oth = oth, cur
		if base+sLt > m && lo > a {
			b = lo
		} else {
			// Split cur[lo:b] (scores ≥ p) into == p and > p.
			eq, hi := lo, b-1
			var sEq int64
			for _, x := range cur[lo:b] {
				c := int(uint64(x.score-p-1) >> 63) // 1 when score == p
				oth[eq] = x
				oth[hi] = x
				sEq += x.stake & -int64(c)
				eq += c
				hi -= 1 - c
			}
			cur, oth = oth, cur
			if base+sLt+sEq > m || eq == b {
				return fixed.I32F32FromBits(p)
			}
			base += sLt + sEq
			a = eq
		}
		if b-a == 1 {
			return fixed.I32F32FromBits(cur[a].score)
		}
	}
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
// stake; a row's later duplicate cell wins.
func (s *medianScratch) medianColumns(out, active []fixed.I32F32, w *matrix, kappa fixed.I32F32) {
	n := len(out)
	st := s.stake[:0]
	for _, a := range active {
		if a.Sign() > 0 {
			st = append(st, a)
		}
	}
	normalize(st)
	s.stake = st
	v := len(st)
	total := sum(st)
	minority := total.SaturatingSub(kappa)
	if cap(s.score) < n*v {
		s.score = make([]fixed.I32F32, n*v)
	}
	// Row-major (validator k, column j): rows fill contiguously, and the
	// per-column gather below walks the same v cache lines for eight
	// consecutive columns.
	sc := s.score[:n*v]
	clear(sc)
	k := 0
	for i, a := range active {
		if i >= len(w.rows) {
			break
		}
		if a.Sign() > 0 {
			row := sc[k*n : (k+1)*n]
			for _, e := range w.rows[i] {
				if int(e.j) < n {
					row[e.j] = e.v
				}
			}
			k++
		}
	}
	if cap(s.work) < 2*v {
		s.work = make([]scored, 2*v)
	}
	work := s.work[:2*v]
	m := minority.Bits()
	for j := 0; j < n; j++ {
		for k := range v {
			work[k] = scored{sc[k*n+j].Bits(), st[k].Bits()}
		}
		out[j] = medianSmall(work, m)
	}
}
