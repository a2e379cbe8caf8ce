package consensus

import (
	"slices"

	"github.com/dtao-go/dtao/fixed"
)

// Workspace holds the buffers of an epoch so that repeated epochs allocate
// nothing once the buffers have grown to the largest subnet seen. The zero
// value is ready to use. A Workspace must not be used by two goroutines at
// once; distinct Workspaces are independent.
type Workspace struct {
	total                         []fixed.I64F64
	stake, active, cons, vt, inc  []fixed.I32F32
	div, comb, nse, nve, nce, acc []fixed.I32F32
	r2                            []fixed.I32F32
	raw, reg                      []uint64
	order                         []int
	permitNew                     []bool
	w, wc, wi, b, delta, ema      matrix
	wTidy, wcTidy, bTidy          []bool // per row: see tidy
	med                           medianScratch
	sig                           sigmoid
	look                          lookup
}

// Epoch runs one epoch of one mechanism with a fresh workspace; see
// [Workspace.Epoch].
func Epoch(in Input) (Output, error) {
	var ws Workspace
	var out Output
	err := ws.Epoch(&in, &out)
	return out, err
}

// Epoch runs subtensor's sparse epoch_mechanism on in and writes the result
// into out, reusing out's slices where they are large enough (so a caller
// that keeps out across epochs allocates nothing). in is not modified and
// may share no memory with out. On error out is left unchanged.
//
// The errors are ErrNilArgument for a nil ws, in or out; ErrInvalidInput
// (wrapped) for an Input that [Input.Validate] refuses; and
// ErrBondsMovingAverageOverflow, for a Yuma 3 epoch whose fixed bond rate
// cannot be represented where the chain would panic.
func (ws *Workspace) Epoch(in *Input, out *Output) error {
	if ws == nil || out == nil {
		return ErrNilArgument
	}
	// Input.Validate's checks: all but the cells' uids here, those in the
	// first pass over the cells below (which falls back on Validate for
	// the error), before out is written.
	if err := in.validateHead(); err != nil {
		return err
	}
	n := int(in.N)
	lu := func(i int) uint64 {
		if i < len(in.LastUpdate) {
			return in.LastUpdate[i]
		}
		return 0
	}
	// BlockAtRegistration as the chain builds it: n entries, 0 where missing
	// (and 0 for j ≥ n in the masks' unwrap_or(0)).
	ws.reg = grow(ws.reg, n)
	regv := ws.reg
	clear(regv)
	copy(regv, in.BlockAtRegistration)
	forbid := func(i int) bool { return i >= len(in.ValidatorPermit) || !in.ValidatorPermit[i] }
	ownerIs := func(i int) bool { return in.HasOwner && int(in.OwnerUID) == i }

	// The EMA rate of both paths; bmaOK is false where the Yuma 3 fixed-rate
	// path would panic on chain, which is refused below if that path is
	// taken (out is written only at the end, so it stays unchanged).
	bmaAlpha, bmaOK := emaRate(in.BondsMovingAverage)

	cutoff := uint64(in.ActivityCutoffFactorMilli) * uint64(in.Tempo) / 1000
	cutoff = max(cutoff, 1)

	// Stake.
	ws.total = grow(ws.total, n)
	ws.stake = grow(ws.stake, n)
	tw := fixed.U96F32FromUint64(in.TaoWeight).SafeDiv(fixed.U96F32FromUint64(^uint64(0))).SaturatingToI64F64()
	var sum64 fixed.I64F64
	filtered := ws.total // reuse: total is needed only floored, kept in out.Stake
	ws.raw = grow(ws.raw, n)
	rawStake := ws.raw
	for i := 0; i < n; i++ {
		var a, t uint64
		if i < len(in.AlphaStake) {
			a = in.AlphaStake[i]
		}
		if i < len(in.TaoStake) {
			t = in.TaoStake[i]
		}
		tot := fixed.I64F64FromUint64(a).SaturatingAdd(fixed.I64F64FromUint64(t).SaturatingMul(tw))
		fl := tot.SaturatingToUint64()
		rawStake[i] = fl
		if !ownerIs(i) && fl < in.StakeThreshold {
			tot = fixed.I64F64{}
		}
		filtered[i] = tot
		sum64 = sum64.Add(tot)
	}
	for i := 0; i < n; i++ {
		if !sum64.IsZero() {
			filtered[i] = filtered[i].SafeDiv(sum64)
		}
		ws.stake[i] = filtered[i].SaturatingToI32F32()
	}
	stake := ws.stake

	// New permits: top-k non-zero stake, owner always.
	ws.permitNew = growBool(ws.permitNew, n)
	for i := 0; i < n; i++ {
		ws.permitNew[i] = !stake[i].IsZero()
	}
	if k := int(in.MaxAllowedValidators); n >= k {
		ws.order = growInt(ws.order, n)
		for i := range ws.order {
			ws.order[i] = i
		}
		slices.SortStableFunc(ws.order, func(a, b int) int { return stake[a].Cmp(stake[b]) })
		for _, i := range ws.order[:n-k] {
			ws.permitNew[i] = false
		}
	}
	if in.HasOwner && int(in.OwnerUID) < n {
		ws.permitNew[in.OwnerUID] = true
	}
	// The permits used in this epoch: the stored ones plus the owner's.
	ownerPermitted := in.HasOwner && int(in.OwnerUID) < len(in.ValidatorPermit)
	forbidNow := func(i int) bool {
		if ownerPermitted && int(in.OwnerUID) == i {
			return false
		}
		return forbid(i)
	}

	// Active stake.
	ws.active = grow(ws.active, n)
	active := ws.active
	for i := 0; i < n; i++ {
		inactive := satAdd(lu(i), cutoff) < in.CurrentBlock
		a := stake[i]
		if inactive {
			a = zero
		}
		// inplace_mask_vector does nothing with an empty mask.
		if len(in.ValidatorPermit) > 0 && forbidNow(i) {
			a = zero
		}
		active[i] = a
	}
	normalize(active)

	// Weights: read, mask, normalise.
	capW := 0
	for i := 0; i < n && i < len(in.Weights); i++ {
		capW += len(in.Weights[i])
	}
	ws.w.begin(n, capW)
	ws.wTidy = growBool(ws.wTidy, n)
	beyond := false // a cell at or beyond n: Validate refuses the input
	for i := 0; i < n; i++ {
		start := len(ws.w.buf)
		tidy := true
		if i < len(in.Weights) && forbidNow(i) {
			beyond = beyond || !cellsBelow(in.Weights[i], n)
		}
		if i < len(in.Weights) && !forbidNow(i) {
			self := i
			if in.HasOwner && int(in.OwnerUID) == i {
				self = -1 // the owner keeps its self-weight
			}
			// No commit-reveal, or no live commit for uid i: nothing to
			// drop. The chain builds commit_blocks as n entries of u64::MAX
			// and lowers those of uids with a live commit, so an entry the
			// input lacks is such a MAX.
			cb := ^uint64(0)
			if i < len(in.CommitBlocks) {
				cb = in.CommitBlocks[i]
			}
			var total uint64
			var over bool
			ws.w.buf, total, tidy, over = appendWeights(ws.w.buf, in.Weights[i], regv, self, lu(i), cb)
			beyond = beyond || over
			tidy = normalizeWeights(ws.w.buf[start:], total) && tidy
		}
		ws.w.end(i, start)
		ws.wTidy[i] = tidy
	}

	// Consensus, clipping, validator trust, incentive.
	kappa := fixed.I32F32FromUint64(uint64(in.Kappa)).SafeDiv(u16m)
	ws.cons = grow(ws.cons, n)
	cons := ws.cons
	ws.med.medianColumns(cons, active, &ws.w, ws.wTidy, kappa)
	ws.vt = grow(ws.vt, n)
	ws.inc = grow(ws.inc, n)
	inc := ws.inc
	ws.wcTidy = growBool(ws.wcTidy, n)
	clipRank(&ws.wc, &ws.w, ws.wTidy, ws.wcTidy, cons, active, ws.vt, inc)
	normalize(inc)

	// Weights for bonds.
	beta := fixed.I32F32FromUint64(uint64(in.BondsPenalty)).SafeDiv(u16m)
	ws.acc = grow(ws.acc, n)
	ws.r2 = grow(ws.r2, n)
	var wb *matrix
	var wbTidy []bool // nil: no row known tidy
	switch {
	case beta.IsZero():
		wb, wbTidy = &ws.w, ws.wTidy
	case beta.Cmp(one) == 0:
		wb, wbTidy = &ws.wc, ws.wcTidy
	default:
		interpolate(&ws.wi, &ws.w, &ws.wc, beta, ws.acc, ws.r2)
		wb = &ws.wi
	}

	// Previous bonds, masked after re-registration.
	lastTempo := in.CurrentBlock - min(in.CurrentBlock, uint64(in.Tempo))
	if in.LastMechanismStepBlock != 0 {
		lastTempo = satAdd(in.LastMechanismStepBlock, 1)
	}
	capB := 0
	for i := 0; i < n && i < len(in.Bonds); i++ {
		capB += len(in.Bonds[i])
	}
	ws.b.begin(n, capB)
	ws.bTidy = growBool(ws.bTidy, n)
	for i := 0; i < n; i++ {
		start := len(ws.b.buf)
		tidy := true
		if i < len(in.Bonds) {
			var over bool
			ws.b.buf, tidy, over = appendBonds(ws.b.buf, in.Bonds[i], regv, lastTempo, in.Yuma3)
			beyond = beyond || over
		}
		ws.b.end(i, start)
		ws.bTidy[i] = tidy
	}
	if beyond {
		return in.Validate()
	}

	ws.div = grow(ws.div, n)
	div := ws.div
	var ema *matrix
	if in.Yuma3 {
		liquid := false
		if in.LiquidAlpha {
			for _, c := range cons {
				if !c.IsZero() {
					liquid = true
					break
				}
			}
		}
		if liquid {
			ws.sig.reset(u16ProportionToFixed(in.AlphaLow), u16ProportionToFixed(in.AlphaHigh), in.AlphaSigmoidSteepness)
			ws.emaAlpha(wb, wbTidy, cons, ws.acc) // also leaves the column sums in acc
		} else {
			if !bmaOK {
				return ErrBondsMovingAverageOverflow
			}
			emaSparse(&ws.ema, wb, &ws.b, bmaAlpha, ws.acc)
			colSums(&ws.ema, ws.acc)
		}
		ema = &ws.ema
		// Dividends use the column-normalised bonds; normalise on the fly
		// instead of copying the matrix (inplace_col_normalize_sparse on a
		// clone, then mat_vec_mul_sparse and row_sum_sparse). The bonds
		// are final here, so they are stored in the same pass.
		sizeBonds(out, ema, ws.permitNew)
		unitInc := allUnit(inc)
		for i, r := range ema.rows {
			var t fixed.I32F32
			if unitInc {
				t = dividendRowUnit(out.Bonds[i], r, ws.acc, inc)
			} else {
				t = dividendRow(out.Bonds[i], r, ws.acc, inc)
			}
			d, ok := t.CheckedMul(active[i])
			if !ok {
				d = zero
			}
			div[i] = d
		}
		normalize(div)
	} else {
		colNormalize(&ws.b, ws.acc)
		ws.delta.begin(n, wb.count())
		for i, r := range wb.rows {
			buf := ws.delta.buf
			start := len(buf)
			for _, e := range r {
				buf = append(buf, entry{e.j, e.v.SaturatingMul(active[i])})
			}
			ws.delta.buf = buf
			ws.delta.end(i, start)
		}
		colNormalize(&ws.delta, ws.acc)
		emaSparse(&ws.ema, &ws.delta, &ws.b, bmaAlpha, ws.acc)
		ema = &ws.ema
		colNormalize(ema, ws.acc)
		for i, r := range ema.rows {
			acc := zero
			for _, e := range r {
				if int(e.j) < n {
					acc = acc.SaturatingAdd(inc[e.j].SaturatingMul(e.v))
				}
			}
			div[i] = acc
		}
		normalize(div)
		colMaxUpscale(ema, ws.acc)
		sizeBonds(out, ema, ws.permitNew)
		for i, r := range ema.rows {
			storeBonds(out.Bonds[i], r)
		}
	}

	// Emission scores.
	ws.comb = grow(ws.comb, n)
	ws.nse = grow(ws.nse, n)
	ws.nve = grow(ws.nve, n)
	ws.nce = grow(ws.nce, n)
	esum := zero
	for i := 0; i < n; i++ {
		ws.comb[i] = inc[i].SaturatingAdd(div[i])
		esum = esum.Add(ws.comb[i])
	}
	copy(ws.nse, inc)
	copy(ws.nve, div)
	copy(ws.nce, ws.comb)
	normalizeUsing(ws.nse, esum)
	normalizeUsing(ws.nve, esum)
	normalize(ws.nce)
	if esum.IsZero() {
		src := active
		if sum(active).IsZero() {
			src = stake
		}
		copy(ws.nve, src)
		copy(ws.nce, src)
	}
	e96 := fixed.I96F32FromUint64(in.Emission)
	toRao := func(x fixed.I32F32) uint64 {
		return x.SaturatingToI96F32().SaturatingMul(e96).SaturatingToUint64()
	}

	// Outputs.
	out.Stake = growU64(out.Stake, n)
	copy(out.Stake, rawStake)
	out.Consensus = growU16(out.Consensus, n)
	out.Incentive = growU16(out.Incentive, n)
	out.Dividends = growU16(out.Dividends, n)
	out.ValidatorTrust = growU16(out.ValidatorTrust, n)
	out.StakeWeight = growU16(out.StakeWeight, n)
	out.ServerEmission = growU64(out.ServerEmission, n)
	out.ValidatorEmission = growU64(out.ValidatorEmission, n)
	out.Emission = growU64(out.Emission, n)
	out.ValidatorPermit = growBool(out.ValidatorPermit, n)
	out.Active = growBool(out.Active, n)
	for i := 0; i < n; i++ {
		out.Consensus[i] = fixedProportionToU16(cons[i])
		out.Incentive[i] = fixedProportionToU16(inc[i])
		out.Dividends[i] = fixedProportionToU16(div[i])
		out.ValidatorTrust[i] = fixedProportionToU16(ws.vt[i])
		out.StakeWeight[i] = fixedProportionToU16(stake[i])
		out.ServerEmission[i] = toRao(ws.nse[i])
		out.ValidatorEmission[i] = toRao(ws.nve[i])
		out.Emission[i] = toRao(ws.nce[i])
		out.ValidatorPermit[i] = ws.permitNew[i]
		out.Active[i] = !(satAdd(lu(i), cutoff) < in.CurrentBlock)
	}
	return nil
}

// emaRate is 1 − BondsMovingAverage/1e6 in I32F32 (the I64F64 quotient
// floored to 32 fractional bits). ok is false where Yuma 3's disabled-liquid-
// alpha conversion (I64F64::from_num, I32F32::from_num) would panic on
// chain; the value is then the original path's saturating one.
func emaRate(bma uint64) (rate fixed.I32F32, ok bool) {
	q := fixed.I64F64FromUint64(bma).SafeDiv(fixed.I64F64FromUint64(1_000_000))
	return one.SaturatingSub(q.SaturatingToI32F32()), bma < 2_147_483_648_000_000
}

// satAdd is u64 saturating addition.
func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return ^uint64(0)
}

// grow returns s resized to n, reallocated when too small, and never nil
// (an empty subnet's outputs are empty vectors, not absent ones; make of
// length 0 does not allocate).
func grow[T any](s []T, n int) []T {
	if cap(s) < n || s == nil {
		return make([]T, n)
	}
	return s[:n]
}

func growInt(s []int, n int) []int       { return grow(s, n) }
func growBool(s []bool, n int) []bool    { return grow(s, n) }
func growU16(s []uint16, n int) []uint16 { return grow(s, n) }
func growU64(s []uint64, n int) []uint64 { return grow(s, n) }
