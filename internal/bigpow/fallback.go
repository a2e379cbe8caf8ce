package bigpow

import (
	"math/bits"
	"sync"

	"github.com/holiman/uint256"
)

// The fast fallback path computes the crate's ln/exp series on fixedNum
// values instead of big.Int, keeping every floor of fallbackBig: products are
// shifted right by I (a floor toward -inf, as the crate's div_floor by
// S = 2^I), the division by n is a floor division by a word, and
// floor(t·L/(S·n)) is done as floor(floor(t·L/S)/n), which is the same
// integer for positive S and n.
//
// The crate's stopping test "|step| < g or round(sum) == previous
// round(sum)" reduces to "|step| < g": rounding half away from zero at the
// guard bits is monotone, and the set of values rounding to one integer is
// an interval of length g open at one end at least, so a step of magnitude
// >= g always changes the rounded sum. The differential tests check this
// against the transcription that evaluates both tests.

// result classes of the fast fallback.
const (
	fitsU64 = iota
	exceedsU64
	negative
)

// fallbackFast computes the fallback path for bn, bd > 0 and the reduced
// exponent en/ed. ok is false when the arguments leave the fixed-width box
// (internal precision above maxFastI, |L| >= 128); the caller then uses the
// math/big path. class tells whether the result fits in a uint64, exceeds
// it, or is negative.
func fallbackFast(bn, bd *uint256.Int, en, ed uint64, precision uint32, scale uint64) (res uint64, class int, ok bool) {
	p, i, maxIters := fallbackParams(precision, bits.Len64(scale))
	if i > maxFastI {
		return 0, 0, false
	}
	s := uint(i)
	ln2 := lnTwo(s, maxIters)
	lnN, ok1 := lnFast(bn, s, ln2, maxIters)
	lnD, ok2 := lnFast(bd, s, ln2, maxIters)
	if !ok1 || !ok2 {
		return 0, 0, false
	}
	return fallbackFromLogs(&lnN, &lnD, en, ed, p, s, maxIters, scale)
}

// fallbackFromLogs is the rest of fallbackFast from the crate's ln bn and
// ln bd (in units of 2^s): exp(floor((ln bn - ln bd)·en/ed)), rounded at
// the guard bits and scaled.
func fallbackFromLogs(lnN, lnD *fixedNum, en, ed uint64, p uint32, s uint, maxIters int, scale uint64) (res uint64, class int, ok bool) {
	var l fixedNum
	if !addSigned(&l, lnN, lnD, true) || !mulWord(&l, &l, en) {
		return 0, 0, false
	}
	divWordFloor(&l, &l, ed)
	if l.bitLen() > int(s)+maxFastLBits {
		return 0, 0, false
	}
	e, ok := expFast(&l, s, maxIters)
	if !ok {
		return 0, 0, false
	}
	// round half away from zero at the guard bits: sign·floor((|e| + g/2) / g)
	var half, sc fixedNum
	half.setPow2(guardBits - 1)
	eneg := e.neg
	e.neg = false
	if !addSigned(&e, &e, &half, false) {
		return 0, 0, false
	}
	shrFixed(&e, guardBits)
	if !e.isZero() {
		e.neg = eneg
	}
	sc.d[0], sc.n = scale, 1
	sc.norm()
	if !mulShiftFloor(&e, &e, &sc, uint(p)) {
		return 0, 0, false
	}
	switch {
	case e.neg:
		return 0, negative, true
	case e.n > 1:
		return 0, exceedsU64, true
	}
	return e.d[0], fitsU64, true
}

// lnFast is lnBig on fixedNum: v = m·2^shift with m in [0.75, 1.5)·2^s,
// ln v = ln1p(m-1) + shift·ln 2.
func lnFast(v *uint256.Int, s uint, ln2 *fixedNum, maxIters int) (fixedNum, bool) {
	var x, t fixedNum
	shift := lnArg(&x, v, s)
	res, ok := ln1pFast(&x, s, maxIters)
	if !ok || !mulWord(&t, ln2, shift) || !addSigned(&res, &res, &t, false) {
		return res, false
	}
	return res, true
}

// lnArg sets x = m - 2^s for v = m·2^shift normalised as in lnBig, and
// returns shift.
func lnArg(x *fixedNum, v *uint256.Int, s uint) uint64 {
	shift := uint(v.BitLen() - 1)
	var m fixedNum
	m.d[0], m.d[1], m.d[2], m.d[3] = v[0], v[1], v[2], v[3]
	m.n = 4
	m.norm()
	if s >= shift {
		shlFixed(&m, s-shift)
	} else {
		shrFixed(&m, shift-s)
	}
	// m is in [2^s, 2^(s+1)); m >= 1.5·2^s exactly when bit s-1 is set.
	if m.d[(s-1)/64]>>((s-1)%64)&1 != 0 {
		shrFixed(&m, 1)
		shift++
	}
	var one fixedNum
	one.setPow2(s)
	addSigned(x, &m, &one, true)
	return uint64(shift)
}

// shlFixed shifts a non-negative x left by k bits; the caller guarantees fit.
func shlFixed(x *fixedNum, k uint) {
	if x.n == 0 {
		return
	}
	q, r := int(k/64), k%64
	n := min(x.n+q+1, maxLimbs) // the caller guarantees the top limb fits
	for j := n - 1; j >= q; j-- {
		var w uint64
		if src := j - q; src < x.n {
			w = x.d[src] << r
		}
		if r != 0 {
			if src := j - q - 1; src >= 0 && src < x.n {
				w |= x.d[src] >> (64 - r)
			}
		}
		x.d[j] = w
	}
	for j := 0; j < q; j++ {
		x.d[j] = 0
	}
	x.n = n
	x.norm()
}

// shrFixed shifts a non-negative x right by k bits (floor).
func shrFixed(x *fixedNum, k uint) {
	q, r := int(k/64), k%64
	if q >= x.n {
		*x = fixedNum{}
		return
	}
	n := x.n - q
	for j := 0; j < n; j++ {
		w := x.d[j+q] >> r
		if r != 0 && j+q+1 < x.n {
			w |= x.d[j+q+1] << (64 - r)
		}
		x.d[j] = w
	}
	for j := n; j < x.n; j++ {
		x.d[j] = 0
	}
	x.n = n
	x.norm()
}

// ln1pState is one ln1p series (ln1pBig on fixedNum, for |x| <= 2^(s-1)),
// advanced one term at a time.
type ln1pState struct {
	x, term, res, next fixedNum
	done, overflow     bool
}

func (st *ln1pState) start() {
	st.term, st.res = st.x, st.x
}

// step computes term n and stops the series where ln1pBig stops.
func (st *ln1pState) step(n int, s uint) {
	if !mulShiftFloor(&st.term, &st.term, &st.x, s) {
		st.done, st.overflow = true, true
		return
	}
	if st.term.isZero() {
		st.done = true
		return
	}
	divWordFloor(&st.next, &st.term, uint64(n))
	if st.next.isZero() {
		st.done = true
		return
	}
	if !accumulate(&st.res, &st.next, n%2 == 0) {
		st.done, st.overflow = true, true
		return
	}
	st.done = st.next.absLess(guardBits)
}

// ln1pFast runs one ln1p series to its end.
func ln1pFast(x *fixedNum, s uint, maxIters int) (fixedNum, bool) {
	var st ln1pState
	st.x = *x
	st.start()
	for n := 2; n <= maxIters && !st.done; n++ {
		st.step(n, s)
	}
	return st.res, !st.overflow
}

// expFast is expBig on fixedNum.
func expFast(l *fixedNum, s uint, maxIters int) (fixedNum, bool) {
	var term, res fixedNum
	term.setPow2(s)
	res = term
	for n := 1; n <= maxIters; n++ {
		if !mulShiftFloor(&term, &term, l, s) {
			return res, false
		}
		divWordFloor(&term, &term, uint64(n))
		if term.isZero() {
			break
		}
		if !accumulate(&res, &term, false) {
			return res, false
		}
		if term.absLess(guardBits) {
			break
		}
	}
	return res, true
}

// ln2 depends only on the internal precision (and the iteration cap derived
// from it), so it is computed once per precision. The cache is bounded;
// precisions beyond it are recomputed per call.
const maxLnTwoCache = 64

var lnTwoCache struct {
	sync.RWMutex
	m map[uint]*fixedNum
}

// lnTwo returns ln 2 = -ln1p(-1/2) in units of 2^s. The returned value is
// shared and must not be modified.
func lnTwo(s uint, maxIters int) *fixedNum {
	lnTwoCache.RLock()
	v := lnTwoCache.m[s]
	lnTwoCache.RUnlock()
	if v != nil {
		return v
	}
	var h fixedNum
	h.setPow2(s - 1)
	h.neg = true
	r, _ := ln1pFast(&h, s, maxIters) // |terms| <= 2^(s-1): always fits
	r.neg = !r.neg
	r.norm()
	v = &r
	lnTwoCache.Lock()
	if lnTwoCache.m == nil {
		lnTwoCache.m = make(map[uint]*fixedNum)
	}
	if len(lnTwoCache.m) < maxLnTwoCache {
		lnTwoCache.m[s] = v
	}
	lnTwoCache.Unlock()
	return v
}
