package consensus

import "github.com/dtao-go/dtao/fixed"

// This file holds Yuma 3's liquid-alpha bond EMA: compute_bonds_sparse
// with liquid alpha on (epoch/run_epoch.rs): the per-pair rate α of
// alpha_sigmoid and compute_liquid_alpha_values_sparse, and the EMA of
// mat_ema_alpha_sparse (epoch/math.rs).

// sigmoid holds the liquid-alpha constants of one epoch and a direct-mapped
// cache of α by input: α depends only on the clamped divergence x, and the
// 30-term exp series behind it dominates the epoch otherwise. A cache hit
// returns the same bits the series would.
type sigmoid struct {
	lo, hi, factor fixed.I32F32
	atZero         fixed.I32F32 // α for x = 0, the common case of a weight below consensus
	unit           bool         // 0 ≤ lo and hi ≤ 1, so every α lies in [0, 1]
	gen            uint32
	cache          [sigmoidCache]sigmoidSlot
}

type sigmoidSlot struct {
	key int64
	val fixed.I32F32
	gen uint32
}

const sigmoidCache = 1024

func (s *sigmoid) reset(lo, hi fixed.I32F32, steepness int16) {
	s.lo, s.hi = lo, hi
	s.factor = fixed.I32F32FromInt64(int64(steepness)).SaturatingDiv(fixed.I32F32FromInt64(-100))
	s.gen++
	if s.gen == 0 { // wrapped: stale stamps could collide, so clear them
		s.cache = [sigmoidCache]sigmoidSlot{}
		s.gen = 1
	}
	s.atZero = s.eval(zero)
	s.unit = lo.Sign() >= 0 && hi.Cmp(one) <= 0
}

// clampValue is math.rs clamp_value: min(high) first, then max(low).
func clampValue(v, low, high fixed.I32F32) fixed.I32F32 {
	if high.Less(v) {
		v = high
	}
	if v.Less(low) {
		v = low
	}
	return v
}

// alpha is run_epoch.rs alpha_sigmoid(consensus c, weight w, bond b).
func (s *sigmoid) alpha(c, w, b fixed.I32F32) fixed.I32F32 {
	return s.lookup(divergence(c, w, b))
}

// divergence is alpha_sigmoid's combined_diff: clamp(w − c, 0, 1) when
// w ≥ b ("buying"), else clamp(b − w, 0, 1) ("selling").
func divergence(c, w, b fixed.I32F32) fixed.I32F32 {
	cb, wb, bb := c.Bits(), w.Bits(), b.Bits()
	if uint64(cb) <= 1<<32 && uint64(wb) <= 1<<32 && uint64(bb) <= 1<<32 {
		// All three in [0, 1]: the differences cannot saturate and only
		// the lower clamp can bite.
		if wb >= bb {
			return fixed.I32F32FromBits(max(wb-cb, 0))
		}
		return fixed.I32F32FromBits(bb - wb)
	}
	if w.Cmp(b) >= 0 {
		return clampValue(w.SaturatingSub(c), zero, one)
	}
	return clampValue(b.SaturatingSub(w), zero, one)
}

// lookup returns the α of divergence x from the cache, computing it on a
// miss.
func (s *sigmoid) lookup(x fixed.I32F32) fixed.I32F32 {
	key := x.Bits()
	if key == 0 {
		return s.atZero
	}
	slot := &s.cache[uint64(key)*0x9E3779B97F4A7C15>>(64-10)]
	if slot.gen == s.gen && slot.key == key {
		return slot.val
	}
	a := s.eval(x)
	*slot = sigmoidSlot{key, a, s.gen}
	return a
}

// eval is the sigmoid of alpha_sigmoid for the clamped divergence x.
func (s *sigmoid) eval(x fixed.I32F32) fixed.I32F32 {
	z := s.factor.SaturatingMul(x.SaturatingSub(half))
	sig := one.SaturatingDiv(one.SaturatingAdd(fixed.ExpSafe(z)))
	return clampValue(s.lo.SaturatingAdd(sig.SaturatingMul(s.hi.SaturatingSub(s.lo))), s.lo, s.hi)
}

// lookup holds generation-stamped dense rows, so that one row of the liquid-
// alpha EMA can look cells up by column without clearing n cells per row.
type lookup struct {
	gen           uint32
	wst, bst, ost []uint32
	wv, bv, ov    []fixed.I32F32
}

func (l *lookup) prepare(n int) {
	if cap(l.wst) < n {
		l.wst, l.bst, l.ost = make([]uint32, n), make([]uint32, n), make([]uint32, n)
		l.wv, l.bv, l.ov = make([]fixed.I32F32, n), make([]fixed.I32F32, n), make([]fixed.I32F32, n)
		l.gen = 0
	}
	l.wst, l.bst, l.ost = l.wst[:n], l.bst[:n], l.ost[:n]
	l.wv, l.bv, l.ov = l.wv[:n], l.bv[:n], l.ov[:n]
}

// next starts a new row.
func (l *lookup) next() uint32 {
	l.gen++
	if l.gen == 0 {
		clear(l.wst[:cap(l.wst)])
		clear(l.bst[:cap(l.bst)])
		clear(l.ost[:cap(l.ost)])
		l.gen = 1
	}
	return l.gen
}

// emaAlpha is compute_bonds_sparse with liquid alpha on: the per-pair α of
// compute_liquid_alpha_values_sparse and the EMA of mat_ema_alpha_sparse.
//
// The chain builds a dense n×n α matrix whose (i, j) cell takes the weight
// and bond found by walking row i's weight and bond cells with a merge that
// assumes ascending columns. That walk finds a cell exactly when its column
// exceeds every column before it in the row (a "record"), so only records
// are entered into the lookup; on sorted rows every cell is one. Only the
// cells of the weight row are ever read back, so only those α are computed.
//
// Rows marked in wbTidy (nil: none) whose bond row is tidy too take
// emaTidyRow when consensus and α lie in [0, 1].
//
// colSum (length n) receives the saturating column sums of the result, as
// colSums would compute them, to save a pass over the matrix.
func (ws *Workspace) emaAlpha(wb *matrix, wbTidy []bool, cons, colSum []fixed.I32F32) {
	n := len(cons)
	clear(colSum)
	l := &ws.look
	l.prepare(n)
	ws.ema.begin(n, wb.count())
	tidy := ws.sig.unit && allUnit(cons)
	for i := 0; i < n; i++ {
		start := len(ws.ema.buf)
		nr, br := wb.rows[i], ws.b.rows[i]
		switch {
		case len(nr) == 0:
		case tidy && wbTidy != nil && wbTidy[i] && ws.bTidy[i]:
			ws.ema.buf = ws.sig.emaTidyRow(ws.ema.buf, nr, br, cons, colSum)
		case ascending(nr) && ascending(br):
			ws.ema.buf = ws.emaAlphaSortedRow(ws.ema.buf, nr, br, cons, colSum)
		default:
			ws.ema.buf = ws.emaAlphaGenericRow(ws.ema.buf, nr, br, cons, colSum)
		}
		ws.ema.end(i, start)
	}
}

// emaTidyRow is one row of emaAlpha for a tidy weight row and a tidy bond
// row, consensus in [0, 1] and every α in [0, 1] (s.unit): the merge then
// finds every cell, the divergence needs no clamp (see divergence), and the
// EMA cell min(1, (1−α)·b + α·w) is plain integer arithmetic on the raw
// bits, as no product or sum can saturate or go negative. A missing bond is
// b = 0, whose term (1−α)·0 adds nothing, as the chain omits it.
func (s *sigmoid) emaTidyRow(buf, nr, br []entry, cons, colSum []fixed.I32F32) []entry {
	bp := 0
	for _, e := range nr {
		for bp < len(br) && br[bp].j < e.j {
			bp++
		}
		var b int64
		if bp < len(br) && br[bp].j == e.j {
			b = br[bp].v.Bits()
		}
		w := e.v.Bits()
		x := b - w // selling: the bond exceeds the weight
		if w >= b {
			x = max(w-cons[e.j].Bits(), 0) // buying
		}
		a := s.atZero
		if x != 0 {
			a = s.lookup(fixed.I32F32FromBits(x))
		}
		ab := uint64(a.Bits())
		v := min(mulUnit(ab, uint64(w))+mulUnit(1<<32-ab, uint64(b)), 1<<32)
		if v > 0 {
			buf = append(buf, entry{e.j, fixed.I32F32FromBits(int64(v))})
			colSum[e.j] = colSum[e.j].SaturatingAdd(fixed.I32F32FromBits(int64(v)))
		}
	}
	return buf
}

// ascending reports whether the columns of r strictly increase, the shape
// set_weights and the epoch itself store.
func ascending(r []entry) bool {
	for k := 1; k < len(r); k++ {
		if r[k].j <= r[k-1].j {
			return false
		}
	}
	return true
}

// emaAlphaSortedRow is one row of emaAlpha when both rows strictly ascend:
// every cell is then what the chain's merge walk finds, so a plain merge
// gives the same weights, bonds and α.
func (ws *Workspace) emaAlphaSortedRow(buf, nr, br []entry, cons, colSum []fixed.I32F32) []entry {
	n := len(cons)
	unit := ws.sig.unit
	bp := 0
	for _, e := range nr {
		j := int(e.j)
		if j >= n {
			break
		}
		for bp < len(br) && int(br[bp].j) < j {
			bp++
		}
		b, old := zero, false
		if bp < len(br) && int(br[bp].j) == j {
			b, old = br[bp].v, true
		}
		a := ws.sig.alpha(cons[j], e.v, b)
		var v fixed.I32F32
		if wb, bb := uint64(e.v.Bits()), uint64(b.Bits()); unit && wb <= 1<<32 && bb <= 1<<32 {
			// Every operand is in [0, 1]: no product or sum can saturate
			// and no increment is negative, so the saturating steps below
			// reduce to plain integer arithmetic on the raw bits.
			ab := uint64(a.Bits())
			r := mulUnit(ab, wb)
			if old {
				r += mulUnit(1<<32-ab, bb)
			}
			v = fixed.I32F32FromBits(int64(min(r, 1<<32)))
		} else {
			v = emaCell(a, e.v, b, old)
		}
		if v.Sign() > 0 {
			buf = append(buf, entry{e.j, v})
			colSum[e.j] = colSum[e.j].SaturatingAdd(v)
		}
	}
	return buf
}

// emaCell is one cell of mat_ema_alpha_sparse: min(1, (1−a)·old + max(0,
// a·new)), the old term only when the row has an old bond there.
func emaCell(a, w, b fixed.I32F32, old bool) fixed.I32F32 {
	dec := zero
	if old {
		dec = one.SaturatingSub(a).SaturatingMul(b)
	}
	add := a.SaturatingMul(w)
	if add.Sign() < 0 {
		add = zero
	}
	v := dec.SaturatingAdd(add)
	if one.Less(v) {
		v = one
	}
	return v
}

// emaAlphaGenericRow is one row of emaAlpha for rows in any order: weights
// and bonds are looked up as the chain's merge walk finds them (records
// only), old bonds as mat_ema_alpha_sparse reads them (a later duplicate
// wins).
func (ws *Workspace) emaAlphaGenericRow(buf, nr, br []entry, cons, colSum []fixed.I32F32) []entry {
	n := len(cons)
	l := &ws.look
	g := l.next()
	m := -1
	for _, e := range nr {
		if j := int(e.j); j > m {
			m = j
			if j < n {
				l.wst[j], l.wv[j] = g, e.v
			}
		}
	}
	m = -1
	for _, e := range br {
		j := int(e.j)
		if j > m {
			m = j
			if j < n {
				l.bst[j], l.bv[j] = g, e.v
			}
		}
		if j < n {
			l.ost[j], l.ov[j] = g, e.v
		}
	}
	for _, e := range nr {
		j := int(e.j)
		if j >= n {
			continue
		}
		w, b := zero, zero
		if l.wst[j] == g {
			w = l.wv[j]
		}
		if l.bst[j] == g {
			b = l.bv[j]
		}
		a := ws.sig.alpha(cons[j], w, b)
		v := emaCell(a, e.v, l.ov[j], l.ost[j] == g)
		if v.Sign() > 0 {
			buf = append(buf, entry{e.j, v})
			colSum[e.j] = colSum[e.j].SaturatingAdd(v)
		}
	}
	return buf
}
