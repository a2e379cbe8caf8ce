package consensus

import (
	"slices"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Workspace holds the buffers of an epoch so that repeated epochs allocate
// nothing once the buffers have grown to the largest subnet seen. The zero
// value is ready to use. A Workspace must not be used by two goroutines at
// once; distinct Workspaces are independent.
type Workspace struct {
	total                         []fixed.I64F64
	stake, active, cons, vt, inc  []fixed.I32F32
	div, comb, nse, nve, nce, acc []fixed.I32F32
	r2, row                       []fixed.I32F32
	raw, reg                      []uint64
	maxReg                        uint64       // the largest of reg (registrations), 0 for none
	esum                          fixed.I32F32 // emissionScores' plain sum of the combined scores
	order                         []int
	keys                          []uint64              // validatorPermits' packed (stake, uid) keys
	staked                        []int                 // stakeWeights' uids with stake (see stakedOK)
	divisors                      []fixed.Uint64Divisor // per column of the Yuma 3 bonds: see dividendRowUnit
	terms                         []divTerm             // per column of the Yuma 3 bonds: see dividendRowBelow
	aligned                       alignedTerms          // terms of the aligned rows' columns: see dividendRowAligned
	alignedClip                   alignedClip           // clipRankEMA's aligned rows: see zipRows
	permitNew                     []bool
	activeMask                    []bool // per uid: isActive (activeStake)
	w, wc, wi, b, delta, ema      matrix
	crow                          []entry // clipRankEMA's clipped row
	// emaCells bounds the cells of ws.ema's rows: the EMA rows that
	// clipRankEMA leaves in place of the weight rows are not in ws.ema.buf
	// (see there).
	emaCells             int
	wTidy, wcTidy, bTidy []bool // per row: see tidy
	wAllTidy             bool   // every row of ws.w is tidy (readWeights)
	med                  medianScratch
	sig                  sigmoid
	look                 lookup
	// wCells and bCells are the stored weight and bond cells of the rows
	// below N (countCells).
	wCells, bCells int
	// live lists the uids below N with a stored weight or bond cell
	// (countCells).
	live []int32
	// stakedOK: ws.staked lists, ascending, uids among which is every
	// uid whose ws.stake is not 0 (stakeWeights sets it; a workspace
	// whose stake was set otherwise, as tests set it, leaves it false and
	// takes the passes over every uid).
	stakedOK bool
	// consUnit: every consensus in ws.cons lies in [0, 1], known
	// without a pass (consensus sets it; false: not known).
	consUnit bool
	// vtLive and divLive: ws.vt (clipRankEMA) and ws.div (Yuma 3's
	// dividendsAndBonds) are 0 but at the uids of ws.live; false when
	// the phase that wrote them (clipRanks, the original path) or a test
	// wrote them otherwise.
	vtLive, divLive bool
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
//
// The phases below follow the sections of epoch_mechanism
// (pallets/subtensor/src/epoch/run_epoch.rs) in the chain's order, but
// that clipRankEMA, where it applies, runs the clipping and ranks and the
// bonds' EMA together, row by row (the same bits; see there). out is
// written only by the last two, after every check.
func (ws *Workspace) Epoch(in *Input, out *Output) error {
	if ws == nil || out == nil {
		return ErrNilArgument
	}
	// Input.Validate's checks: all but the cells' uids here, those in the
	// passes over the cells (which fall back on Validate for the error).
	if err := in.validateHead(); err != nil {
		return err
	}
	v := newEpochView(in)
	ws.registrations(&v)
	ws.stakeWeights(&v)
	ws.validatorPermits(&v)
	ws.activeStake(&v)
	beyond := ws.readWeights(&v)
	ws.consensus(&v)
	if rate, ok := ws.clippedStoredRate(&v); ok {
		if ws.clipRankEMA(&v, rate) || beyond {
			return in.Validate()
		}
	} else {
		ws.clipRanks(&v)
		wb, wbTidy := ws.weightsForBonds(&v)
		if beyond {
			return in.Validate()
		}
		if rate, ok := ws.storedRate(&v, wbTidy); ok {
			if ws.emaStored(&v, wb, wbTidy, rate) {
				return in.Validate()
			}
		} else {
			if ws.readBonds(&v) {
				return in.Validate()
			}
			if err := ws.emaBonds(&v, wb, wbTidy); err != nil {
				return err
			}
		}
		ws.emaCells = len(ws.ema.buf) // every EMA row lies in ws.ema.buf
	}
	ws.dividendsAndBonds(&v, out)
	ws.emissionScores(&v)
	ws.writeOutput(&v, out)
	return nil
}

// epochView is an Input as epoch_mechanism reads it: storage vectors
// shorter than N padded as the chain pads them, and the scalars every phase
// derives from the hyperparameters.
type epochView struct {
	in *Input
	n  int
	// cutoff is get_activity_cutoff_blocks (epoch/run_epoch.rs):
	// max(1, factor·tempo/1000).
	cutoff uint64
	// ownerPermitted: the owner's stored permit exists and counts as held
	// in this epoch (epoch_mechanism sets it before taking forbids).
	ownerPermitted bool
}

func newEpochView(in *Input) epochView {
	cutoff := uint64(in.ActivityCutoffFactorMilli) * uint64(in.Tempo) / 1000
	return epochView{
		in:             in,
		n:              int(in.N),
		cutoff:         max(cutoff, 1),
		ownerPermitted: in.HasOwner && int(in.OwnerUID) < len(in.ValidatorPermit),
	}
}

// lastUpdate is get_last_update padded with 0.
func (v *epochView) lastUpdate(i int) uint64 {
	if i < len(v.in.LastUpdate) {
		return v.in.LastUpdate[i]
	}
	return 0
}

// isActive is epoch_mechanism's active mask: !(last_update +sat cutoff <
// current_block).
func (v *epochView) isActive(i int) bool {
	return fixed.SaturatingAddUint64(v.lastUpdate(i), v.cutoff) >= v.in.CurrentBlock
}

// isOwner reports whether uid i is the subnet owner's.
func (v *epochView) isOwner(i int) bool {
	return v.in.HasOwner && int(v.in.OwnerUID) == i
}

// forbidden is epoch_mechanism's validator_forbids: no stored permit (a
// missing entry counts as none), except for the owner when its stored
// entry exists.
func (v *epochView) forbidden(i int) bool {
	if v.ownerPermitted && int(v.in.OwnerUID) == i {
		return false
	}
	return i >= len(v.in.ValidatorPermit) || !v.in.ValidatorPermit[i]
}

// registrations builds BlockAtRegistration as get_block_at_registration
// (epoch/run_epoch.rs) does: n entries, 0 where missing (and 0 for j ≥ n in
// the masks' unwrap_or(0)). It also leaves their largest in ws.maxReg (0
// for none), which readWeights and emaStoredBegin test the masks against,
// and, first, has countCells count the stored weight and bond cells.
func (ws *Workspace) registrations(v *epochView) {
	ws.countCells(v.in, v.n)
	ws.reg = grow(ws.reg, v.n)
	clear(ws.reg)
	copy(ws.reg, v.in.BlockAtRegistration)
	var top uint64
	for _, r := range ws.reg {
		top = max(top, r)
	}
	ws.maxReg = top
}

// stakeWeights is epoch_mechanism's "Stake" section
// (epoch/run_epoch.rs): get_stake_weights_for_network
// (staking/stake_utils.rs: alpha + tao·TaoWeight in I64F64, TaoWeight as
// get_tao_weight reads it), the StakeThreshold filter on the floored total
// (the owner exempt), inplace_normalize_64 and vec_fixed64_to_fixed32
// (epoch/math.rs). It leaves the floored totals in ws.raw and the stake in
// ws.stake.
//
// Most uids hold no stake (a subnet's miners): a first, branch-free pass
// lists the uids with alpha or TAO in ws.staked, in uid order, and only
// those take the totals and the shares (stakeShares); the others' floored
// totals and stakes are 0, cleared in bulk. Why it gives the same bits: a
// uid without stake has the total 0, floored 0, which adds 0 to the plain
// sum and whose share is 0 (stakeShares), and the listed uids' totals are
// added to the sum in uid order as before. stakeWeightsPrev
// (stakeshares_internal_test.go) visited every uid.
func (ws *Workspace) stakeWeights(v *epochView) {
	in, n := v.in, v.n
	ws.total = grow(ws.total, n)
	ws.stake = grow(ws.stake, n)
	ws.raw = grow(ws.raw, n)
	ws.staked = growInt(ws.staked, n)
	tw := fixed.U96F32FromU64Proportion(in.TaoWeight).SaturatingToI64F64()
	// The loops read their inputs from locals: through in and ws, the
	// compiler reloaded them at every uid, as the stores might have
	// changed them.
	raw, alpha, tao, at := ws.raw[:n], in.AlphaStake, in.TaoStake, ws.staked[:n]
	at = at[:stakedUIDs(at, alpha, tao)]
	owner, threshold := -1, in.StakeThreshold // owner: isOwner's uid, −1 for none
	if in.HasOwner {
		owner = int(in.OwnerUID)
	}
	clear(raw)
	filtered := ws.total // the totals are needed only floored, in ws.raw
	var sum64 fixed.I64F64
	for _, i := range at {
		a, t := stakeAt(alpha, tao, i)
		tot := fixed.I64F64FromUint64(a)
		if t != 0 { // 0·tw is 0, and a + 0 is a
			tot = tot.SaturatingAdd(fixed.I64F64FromUint64(t).SaturatingMul(tw))
		}
		fl := tot.SaturatingToUint64()
		raw[i] = fl
		if i != owner && fl < threshold {
			tot = fixed.I64F64{}
		}
		filtered[i] = tot
		sum64 = sum64.Add(tot)
	}
	stakeShares(ws.stake[:n], filtered, at, sum64)
	ws.staked, ws.stakedOK = at, true
}

// stakedUIDs writes the uids below len(at) with alpha or TAO stake, in
// order, to at, and returns their count. Its loops run out of line: in
// stakeWeights the compiler kept the uid and the count on the stack.
//
//go:noinline
func stakedUIDs(at []int, alpha []units.Alpha, tao []units.TAO) int {
	n := len(at)
	k, start := 0, 0 // k ≤ i: at[k] is always in range
	switch m := min(n, len(alpha)); {
	case len(tao) >= m: // TAO for every uid (Input.Validate: N entries)
		tao := tao[:m]
		for i, a := range alpha[:m] {
			at[k] = i
			k += int(b2i(uint64(a)|uint64(tao[i]) != 0))
		}
		start = m
	case len(tao) == 0: // no root stake
		for i, a := range alpha[:m] {
			at[k] = i
			k += int(b2i(a != 0))
		}
		start = m
	}
	for i := start; i < n; i++ { // uids beyond a shorter vector
		if a, t := stakeAt(alpha, tao, i); a|t != 0 {
			at[k] = i
			k++
		}
	}
	return k
}

// stakeAt is uid i's alpha and TAO stake, 0 beyond either vector.
func stakeAt(alpha []units.Alpha, tao []units.TAO, i int) (a, t uint64) {
	if i < len(alpha) {
		a = uint64(alpha[i])
	}
	if i < len(tao) {
		t = uint64(tao[i])
	}
	return a, t
}

// stakeShares is inplace_normalize_64 (epoch/math.rs) of the totals x by
// their plain sum s (each total's safe_div by s; none when s is 0) and
// vec_fixed64_to_fixed32, into dst (as long as x), where x is 0 but at
// the indices at: dst is 0 elsewhere, as 0 divided (or not) and converted
// is 0.
//
// A total in [0, s), s positive, takes a fixed.U64F64Divisor for s
// instead of I64F64.SafeDiv's 128-bit division (BenchmarkEpochPhases/
// stakeWeights: about 2.3 µs before, 1.3 µs after, on 64 validators). Why
// it gives SafeDiv's bits: both are the exact floor(x·2^64/s) of the same
// raw bits where it does not overflow, and for 0 ≤ x < s it is below
// 2^64, within either type's range; Divide is U64F64.CheckedDiv bit for
// bit (and takes no hardware division for x < s). Such a quotient, below
// 1, converts to I32F32 by dropping its 32 low bits (the conversion's
// floor; no saturation below 1), and a total of 0 gives 0: neither takes
// the general conversion. Other totals (s negative, which the plain sum
// gives only by wrapping, or x ≥ s) take SafeDiv, as stakeSharesPrev
// (stakeshares_internal_test.go) did for all.
func stakeShares(dst []fixed.I32F32, x []fixed.I64F64, at []int, s fixed.I64F64) {
	dst = dst[:len(x)]
	clear(dst)
	if s.IsZero() {
		for _, i := range at {
			dst[i] = x[i].SaturatingToI32F32() // no division
		}
		return
	}
	var d fixed.U64F64Divisor
	pos := s.Sign() > 0
	if pos {
		d = fixed.NewU64F64Divisor(fixed.U64F64FromBits(s.Bits()))
	}
	for _, i := range at {
		switch v := x[i]; {
		case v.IsZero(): // 0/sum is 0: no division
		case pos && v.Sign() > 0 && v.Less(s):
			q, _ := d.Divide(fixed.U64F64FromBits(v.Bits()))
			_, lo := q.Bits() // the high word is 0: q < 2^64
			dst[i] = fixed.I32F32FromBits(int64(lo >> 32))
		default:
			dst[i] = v.SafeDiv(s).SaturatingToI32F32()
		}
	}
}

// validatorPermits is epoch_mechanism's "Validator permits" section
// (epoch/run_epoch.rs): is_topk_nonzero (epoch/math.rs) over the stake with
// k = MaxAllowedValidators (a stable sort, so ties keep the lower uid), and
// the owner's permit, into ws.permitNew.
func (ws *Workspace) validatorPermits(v *epochView) {
	in, n, stake := v.in, v.n, ws.stake
	ws.permitNew = growBool(ws.permitNew, n)
	// One pass from locals: the permits of positive stake, the count of
	// zero stakes, and small (every stake's raw bits, read unsigned, below
	// 2^47) as the OR of their bits from 47 up being 0, without a branch.
	zeros, high := 0, uint64(0)
	permit := ws.permitNew[:n]
	if ws.stakedOK {
		// Only the uids of ws.staked can hold stake: the others' permits
		// are false, their stakes zeros, and their bits add nothing to
		// high (the loop below, for a stake set otherwise, visits every
		// uid; checkPermitCase runs both).
		clear(permit)
		stake := stake[:n]
		nonzero := 0
		for _, i := range ws.staked {
			x := stake[i]
			z := x.IsZero()
			permit[i] = !z
			nonzero += int(b2i(!z))
			high |= uint64(x.Bits()) >> 47
		}
		zeros = n - nonzero
	} else {
		for i, x := range stake[:n] {
			z := x.IsZero()
			permit[i] = !z
			zeros += int(b2i(z))
			high |= uint64(x.Bits()) >> 47
		}
	}
	small := high == 0
	// The stable ascending sort puts the zero stakes first, in uid order,
	// after any negative ones; when there are no negative stakes and at
	// least n−k zeros, the n−k uids it would drop are zeros, whose
	// permits are already false, and the sort can be skipped (a negative
	// stake, which is not small, always takes it). Otherwise dropLowest
	// selects the uids it drops when every stake is small.
	if k := int(in.MaxAllowedValidators); n >= k && (!small || zeros < n-k) {
		if small {
			ws.dropLowest(n-k-zeros, stake)
		} else {
			ws.order = growInt(ws.order, n)
			for i := range ws.order {
				ws.order[i] = i
			}
			slices.SortStableFunc(ws.order, func(a, b int) int { return stake[a].Cmp(stake[b]) })
			for _, i := range ws.order[:n-k] {
				ws.permitNew[i] = false
			}
		}
	}
	if in.HasOwner && int(in.OwnerUID) < n {
		ws.permitNew[in.OwnerUID] = true
	}
}

// dropLowest clears the permits of the d uids of positive stake that come
// first in is_topk_nonzero's stable ascending sort, for stakes all in
// [0, 2^47) (so none negative) and d > 0.
//
// Why it gives the chain's bits: a stable ascending sort by stake orders
// the uids by the key (stake, uid), a strict total order, so the n−k uids
// it drops are the n−k smallest keys. With no negative stake the zeros are
// the smallest, and their permits are already false, so the others
// dropped are the d = n−k−zeros smallest keys among the positive stakes.
// For raw stake bits below 2^47 and uids below 2^16 the key packs into the
// uint64 bits<<16 | uid, whose integer order is the key's order, and a
// selection of the d-th smallest packed key t drops exactly the keys
// below t. The selection needs no stability: the packed keys are distinct.
func (ws *Workspace) dropLowest(d int, stake []fixed.I32F32) {
	keys := ws.keys[:0]
	for i, s := range stake {
		if !s.IsZero() {
			keys = append(keys, uint64(s.Bits())<<16|uint64(i))
		}
	}
	ws.keys = keys
	if d >= len(keys) { // k = 0: every uid is dropped
		for _, key := range keys {
			ws.permitNew[key&0xffff] = false
		}
		return
	}
	t := selectNth(keys, d)
	for _, key := range keys {
		if key < t {
			ws.permitNew[key&0xffff] = false
		}
	}
}

// selectNth returns the r-th smallest (from 0) of the distinct values x,
// 0 ≤ r < len(x), reordering x (quickselect with a median-of-three pivot
// and a one-sided partition, insertion sort on short ranges).
func selectNth(x []uint64, r int) uint64 {
	a, b := 0, len(x) // r lies in [a, b)
	for b-a > 12 {
		m := a + (b-a)/2
		p := max(min(x[a], x[m]), min(max(x[a], x[m]), x[b-1]))
		// Partition [a, b) into values < p, then p, then values > p.
		lt := a
		for i := a; i < b; i++ {
			if x[i] < p {
				x[lt], x[i] = x[i], x[lt]
				lt++
			}
		}
		switch {
		case r < lt:
			b = lt
		case r == lt:
			return p
		default:
			// p is the smallest of [lt, b): move it to lt, go above it.
			for i := lt; i < b; i++ {
				if x[i] == p {
					x[lt], x[i] = x[i], x[lt]
					break
				}
			}
			a = lt + 1
		}
	}
	y := x[a:b]
	for i := 1; i < len(y); i++ {
		for k := i; k > 0 && y[k] < y[k-1]; k-- {
			y[k], y[k-1] = y[k-1], y[k]
		}
	}
	return y[r-a]
}

// activeStake is epoch_mechanism's "Active Stake" section
// (epoch/run_epoch.rs): the stake masked by inactivity and by the forbids
// with inplace_mask_vector (which does nothing with an empty mask), then
// inplace_normalize (epoch/math.rs), into ws.active.
//
// It leaves the active mask in ws.activeMask for writeOutput. isActive,
// sat(last + cutoff) ≥ block, is last ≥ from for from = block − cutoff,
// or 0 when cutoff ≥ block: with cutoff ≥ block both hold for every
// last; otherwise, without overflow, last + cutoff ≥ block is last ≥
// from, and where last + cutoff overflows both hold (the saturated sum is
// the u64 maximum, and last > max − cutoff ≥ from). A uid beyond
// LastUpdate (last 0) is active when from is 0.
//
// When ws.staked lists the uids of non-zero stake (ws.stakedOK) only
// those are masked and normalised (normalizeAt), the others' active
// stake being 0: masked or not, 0 stays 0, adds 0 to the sum, and is 0
// after the normalisation (activeStakePrev in activestake_internal_test.go
// visited every uid).
func (ws *Workspace) activeStake(v *epochView) {
	n := v.n
	ws.active = grow(ws.active, n)
	ws.activeMask = growBool(ws.activeMask, n)
	active, mask, stake := ws.active[:n], ws.activeMask[:n], ws.stake[:n]
	lu, block := v.in.LastUpdate, v.in.CurrentBlock
	from := block - min(block, v.cutoff)
	m := min(n, len(lu))
	for i, last := range lu[:m] {
		mask[i] = last >= from
	}
	for i := m; i < n; i++ {
		mask[i] = from == 0
	}
	masked := len(v.in.ValidatorPermit) > 0
	if !ws.stakedOK {
		for i := range active {
			a := stake[i]
			if !mask[i] || masked && v.forbidden(i) {
				a = zero
			}
			active[i] = a
		}
		normalize(active)
		return
	}
	clear(active)
	s := zero
	for _, i := range ws.staked {
		a := stake[i]
		if !mask[i] || masked && v.forbidden(i) {
			a = zero
		}
		active[i] = a
		s = s.Add(a)
	}
	normalizeAt(active, ws.staked, s)
}

// readWeights is epoch_mechanism's "Weights" section (epoch/run_epoch.rs):
// get_weights_sparse, mask_rows_sparse by the forbids,
// mask_diag_sparse(_except_index) (the owner keeps its self-weight),
// vec_mask_sparse_matrix against registrations (and, with commit-reveal,
// against the earliest live commit), and inplace_row_normalize_sparse
// (epoch/math.rs), into ws.w. It reports whether a row holds a cell at or
// beyond N (which Input.Validate refuses). A row the registration and
// commit masks cannot touch (unmasked: every column registered before them)
// takes appendWeightsOpen, the others appendWeights.
//
// It also starts the consensus' column medians (medianColumns): the
// normalised stake and the minority (medianScratch.stakes), and, when the
// pairs pack (packBegin), the bucketing of each row's packed keys, which
// it does as each row is built, while the row is in the cache. A row of
// positive stake that keyRows.run takes (the common row, with a permit,
// unmasked, that comes out tidy) is normalised and bucketed in the pass
// that writes it; another tidy one has bucketRow run over it once
// built; an untidy one ends the bucketing (packing false), as the medians
// then take medianDense. consensus then takes the medians from the keys
// (packedColumns) where medianColumns would take medianPacked: the same
// keys, bucketed in the same order.
func (ws *Workspace) readWeights(v *epochView) (beyond bool) {
	in, n := v.in, v.n
	ws.w.begin(n, ws.wCells) // counted by countCells (registrations)
	ws.wTidy = growBool(ws.wTidy, n)
	maxReg := ws.maxReg // the last registration block of a column below n
	med := &ws.med
	if kappa := fixed.I32F32FromU16Proportion(in.Kappa); ws.stakedOK {
		med.stakesAt(ws.active[:n], ws.staked, kappa) // the active stake is 0 elsewhere (activeStake)
	} else {
		med.stakes(ws.active[:n], kappa)
	}
	if med.packBegin(n) {
		med.alignMedians(alignedRef(in.Weights, ws.live, ws.active[:n]))
	}
	k := 0 // the index in med.stake of the next row of positive stake
	allTidy := true
	weights, active := in.Weights, ws.active[:n]
	// A uid without weight cells (most uids) has a tidy empty row, with no
	// keys: written here for all uids, and the rows with cells (among
	// ws.live, countCells) built below. (A nil row: no phase tells an
	// empty row by where it points, and nil is cheaper to store than
	// matrix.end's slice.)
	clear(ws.w.rows)
	wTidy := ws.wTidy[:n]
	for i := range wTidy {
		wTidy[i] = true
	}
	next := 0 // the uids below next are counted in k
	// The common rows take keyRows.run's loop, up to the first other
	// one, which the code below builds.
	kr := keyRows{
		weights: weights, active: active, stake: med.stake,
		permit: in.ValidatorPermit, lastUpdate: in.LastUpdate, commit: in.CommitBlocks,
		rows: ws.w.rows, med: med,
		maxReg: maxReg, owner: -1, n: n,
	}
	if in.HasOwner {
		kr.owner = int(in.OwnerUID)
	}
	live := ws.live
	for t := 0; t < len(live); t++ {
		var or uint64
		kr.packing = med.packing // an untidy row below may have ended it
		t, k, next, ws.w.buf, or = kr.run(live, t, k, next, ws.w.buf)
		med.or |= or
		if t == len(live) {
			break
		}
		i := int(live[t])
		for ; next < i; next++ {
			k += int(b2i(active[next].Sign() > 0))
		}
		next = i + 1
		start := len(ws.w.buf)
		if i >= len(weights) || len(weights[i]) == 0 {
			// Bond cells only: the empty row, as above.
			k += int(b2i(active[i].Sign() > 0))
			continue
		}
		tidy := true
		keyed := false // the row's keys are bucketed (or it needs none)
		var st uint64  // the row's stake in med.stake, when positive
		if active[i].Sign() > 0 {
			st = uint64(med.stake[k].Bits())
			k++
		} else {
			keyed = true
		}
		keyed = keyed || !med.packing
		switch {
		case v.forbidden(i):
			beyond = beyond || !cellsBelow(in.Weights[i], n)
		default:
			self := i
			if v.isOwner(i) {
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
			var over, ok bool
			// keyRows.run took the row if appendKeyed could (see there):
			// it is built as below, and bucketed after if tidy.
			open := unmasked(maxReg, v.lastUpdate(i), cb)
			if open {
				ws.w.buf, total, tidy, ok = appendWeightsOpen(ws.w.buf, in.Weights[i], n, self)
			}
			if !ok {
				ws.w.buf, total, tidy, over = appendWeights(ws.w.buf, in.Weights[i], ws.reg, self, v.lastUpdate(i), cb)
				beyond = beyond || over
			}
			tidy = normalizeWeights(ws.w.buf[start:], total) && tidy
		}
		ws.w.end(i, start)
		ws.wTidy[i] = tidy
		allTidy = allTidy && tidy
		switch {
		case keyed:
		case tidy:
			med.or |= med.keyRow(ws.w.rows[i], st, k-1)
		default:
			// An untidy row of positive stake: the medians take
			// medianDense (sparseRows), which reads no keys, and a
			// row with repeated columns would overrun its columns' keys.
			med.packing = false
		}
	}
	ws.wAllTidy = allTidy
	return beyond
}

// keyRows is what readWeights' common rows read: the stored weight
// rows, the active stake, the medians' normalised stakes, the stored
// permits, last updates and commit blocks, the rows of ws.w, the
// medians' keys and next key per column, the last registration block,
// the owner's uid (−1 for none), n, and whether the keys are bucketed
// (medianScratch.packing).
type keyRows struct {
	weights       [][]Entry
	active, stake []fixed.I32F32
	permit        []bool
	lastUpdate    []uint64
	commit        []uint64
	rows          [][]entry
	med           *medianScratch
	maxReg        uint64
	owner, n      int
	packing       bool
}

// run is readWeights' loop over the rows live[t:], k and next its counts
// (see there), appending to buf (ws.w.buf), while they are common: a row
// with weight cells, a positive active stake, a permit (or the owner's),
// unmasked, that comes out tidy (below), with the keys bucketed
// (medianScratch.packing). Each such row is written, normalised, and its
// keys bucketed, in one pass, ended (matrix.end) at its uid and its tidy
// flag left true (readWeights' default). It returns at the first other
// row, untouched (its counts not taken), or at the end: the index, the
// counts, buf and the OR of the rows' scores. Kept out of line, the loop
// holds a few values across its calls, where readWeights' loop spilled
// and reloaded its general path's at every row.
//
// A row is taken when it would come out tidy, so that each column
// receives at most one key of the row: openTaken and holds refuse a row
// appendWeightsOpen refuses (the column self, or one at or beyond n),
// one whose columns do not strictly ascend, and one whose integer total
// is 0 or at least 2^31 (normalizeWeights' other paths); readWeights
// builds those as before. A row taken is written by keyCells, which also
// buckets it (bucketRow), with the row's stake st in med.stake.
//
// Why it gives the same bits: readWeights' loop takes the same steps for
// such a row, in this order (its k count, the mask tests, the row built
// tidy and bucketed, matrix.end, a tidy flag of true, nothing for allTidy
// or beyond), and any other row returns to it unchanged
// (readWeightsPrev in weights_rows_internal_test.go took every row in its
// loop, by appendOpenKeyed, in fused_internal_test.go). The row built is
// appendWeightsOpen's followed by normalizeWeights and bucketRow: openTotal
// reads the row as openCells does and returns the same total and order,
// and for a row whose columns strictly ascend (order < 0) the last column
// and holds give openCells' other two tests, so the row is taken only
// where appendWeightsOpen would keep it, as a tidy row (order < 0, and
// normalizeWeights reports true for a total below 2^31). For such a total
// normalizeWeights sets each cell u·2^32 to floor(u·2^32/total), which
// keyCells writes directly (fixed.U16Divisor.Quo(u) is that floor,
// exactly, for every u16 u); and bucketRow, run on that row next, buckets
// the cells keyCells buckets, in the same order, with the same keys.
//
//go:noinline
func (z *keyRows) run(live []int32, t, k, next int, buf []entry) (_, _, _ int, _ []entry, or uint64) {
	if !z.packing {
		return t, k, next, buf, 0
	}
	for ; t < len(live); t++ {
		i := int(live[t])
		if i >= len(z.weights) || i >= len(z.active) {
			break
		}
		row := z.weights[i]
		if len(row) == 0 || z.active[i].Sign() <= 0 {
			break
		}
		// The uids between the rows (no weights, no bonds): their
		// positive stakes, counted as readWeights counts them.
		kk := k
		for u := next; u < i; u++ {
			kk += int(b2i(z.active[u].Sign() > 0))
		}
		// forbidden: no stored permit (a missing entry counts as none),
		// but for the owner's stored entry, which counts as held.
		if i >= len(z.permit) || !z.permit[i] && i != z.owner {
			break
		}
		self := i
		if i == z.owner {
			self = -1 // the owner keeps its self-weight
		}
		var lu uint64
		if i < len(z.lastUpdate) {
			lu = z.lastUpdate[i]
		}
		cb := ^uint64(0)
		if i < len(z.commit) {
			cb = z.commit[i]
		}
		if !unmasked(z.maxReg, lu, cb) {
			break
		}
		total, order := openTotal(row)
		if !openTaken(row, total, order, z.n) || holds(row, self) {
			break
		}
		st := uint64(z.stake[kk].Bits())
		start := len(buf)
		buf = slices.Grow(buf, len(row))
		or |= keyCells(buf[start:start+len(row)], row, fixed.NewU16Divisor(total), z.med, st, kk)
		buf = buf[:start+len(row)]
		z.rows[i] = buf[start:len(buf):len(buf)]
		k, next = kk+1, i+1
	}
	return t, k, next, buf, or
}

// unmasked reports whether appendWeights' mask drops no cell of a row
// with the given last update and commit block when every column registered
// at or before maxReg: the mask drops a column registered at or after
// lastUpdate, or (a commit below MaxUint64) after the commit.
func unmasked(maxReg, lastUpdate, commit uint64) bool {
	return maxReg < lastUpdate && maxReg <= commit
}

// consensus is epoch_mechanism's "Consensus, Validator Trust" section
// (epoch/run_epoch.rs) up to the consensus, with kappa as get_float_kappa
// reads it: weighted_median_col_sparse (epoch/math.rs) into ws.cons.
// readWeights bucketed the keys medianPacked would bucket, and
// packedColumns takes the medians from them; the other cases take
// medianColumns from the start.
func (ws *Workspace) consensus(v *epochView) {
	n := v.n
	kappa := fixed.I32F32FromU16Proportion(v.in.Kappa)
	ws.cons = grow(ws.cons, n)
	med := &ws.med
	// sparseRows holds when every row is tidy (readWeights' ws.wAllTidy,
	// the AND of ws.wTidy), without its pass over the uids.
	sparse := ws.wAllTidy || sparseRows(ws.active[:n], &ws.w, ws.wTidy)
	// packedColumns takes the medians only when every score is below 1
	// (medianScratch.or), and each median is a score of its column or 0:
	// every consensus then lies in [0, 1) (consUnit).
	ws.consUnit = med.packing && sparse && med.packedColumns(ws.cons, med.minority)
	if !ws.consUnit {
		med.medianColumns(ws.cons, ws.active, &ws.w, ws.wTidy, kappa)
	}
}

// clipRanks is the rest of epoch_mechanism's "Consensus, Validator
// Trust" section and its "Ranks, Trust, Incentive" section
// (epoch/run_epoch.rs): col_clip_sparse into ws.wc, row_sum_sparse into
// ws.vt and matmul_sparse with inplace_normalize into ws.inc
// (epoch/math.rs), fused in clipRank. clipRankEMA does the same work for
// the epochs clippedStoredRate admits.
func (ws *Workspace) clipRanks(v *epochView) {
	n := v.n
	ws.vt = grow(ws.vt, n)
	ws.inc = grow(ws.inc, n)
	ws.wcTidy = growBool(ws.wcTidy, n)
	clipRank(&ws.wc, &ws.w, ws.wTidy, ws.wcTidy, ws.cons, ws.active, ws.vt, ws.inc)
	ws.vtLive = false
	normalize(ws.inc)
}

// weightsForBonds is the start of epoch_mechanism's "Bonds and Dividends"
// section (epoch/run_epoch.rs): interpolate_sparse (epoch/math.rs) of the
// weights and the clipped weights by the bonds penalty (get_float_bonds_penalty),
// which is one of the two matrices themselves at 0 and 1. It returns the
// matrix and which of its rows are tidy (nil: none known).
func (ws *Workspace) weightsForBonds(v *epochView) (*matrix, []bool) {
	beta := fixed.I32F32FromU16Proportion(v.in.BondsPenalty)
	ws.acc = grow(ws.acc, v.n)
	ws.r2 = grow(ws.r2, v.n)
	switch {
	case beta.IsZero():
		return &ws.w, ws.wTidy
	case beta.Cmp(one) == 0:
		return &ws.wc, ws.wcTidy
	}
	interpolate(&ws.wi, &ws.w, &ws.wc, beta, ws.acc, ws.r2)
	return &ws.wi, nil
}

// readBonds reads the stored bonds as epoch_mechanism's "Bonds and
// Dividends" section does (epoch/run_epoch.rs): get_bonds_sparse, or
// get_bonds_sparse_fixed_proportion for Yuma 3, masked with
// scalar_vec_mask_sparse_matrix where the column registered at or after the
// last tempo (LastMechansimStepBlock + 1, or current_block − tempo when
// there was no step), into ws.b. It reports whether a row holds a cell at
// or beyond N (which Input.Validate refuses).
func (ws *Workspace) readBonds(v *epochView) (beyond bool) {
	in, n := v.in, v.n
	lastTempo := v.lastTempo()
	ws.b.begin(n, ws.bCells) // counted by countCells (registrations)
	ws.bTidy = growBool(ws.bTidy, n)
	for i := 0; i < n; i++ {
		start := len(ws.b.buf)
		tidy := true
		if i < len(in.Bonds) {
			var over bool
			ws.b.buf, tidy, over = appendBonds(ws.b.buf, in.Bonds[i], ws.reg, lastTempo, in.Yuma3)
			beyond = beyond || over
		}
		ws.b.end(i, start)
		ws.bTidy[i] = tidy
	}
	return beyond
}

// lastTempo is the block from which a registration masks the bonds to
// its column (see readBonds).
func (v *epochView) lastTempo() uint64 {
	in := v.in
	if in.LastMechanismStepBlock != 0 {
		return fixed.SaturatingAddUint64(in.LastMechanismStepBlock, 1)
	}
	return in.CurrentBlock - min(in.CurrentBlock, uint64(in.Tempo))
}

// storedRate reports whether the EMA bonds take emaStored, and its rate:
// Yuma 3 whose EMA is mat_ema_sparse at the fixed rate (liquid alpha off,
// or on with all consensus 0), that rate representable (no
// ErrBondsMovingAverageOverflow) and in [0, 1], and the rows of the
// weights for bonds tracked as tidy (see emaBonds' mat_ema_sparse path).
func (ws *Workspace) storedRate(v *epochView, wbTidy []bool) (fixed.I32F32, bool) {
	in := v.in
	if !in.Yuma3 || wbTidy == nil {
		return zero, false
	}
	if in.LiquidAlpha {
		for _, c := range ws.cons {
			if !c.IsZero() {
				return zero, false
			}
		}
	}
	rate, ok := emaRate(in.BondsMovingAverage)
	return rate, ok && uint64(rate.Bits()) <= 1<<32
}

// emaStored is readBonds followed by emaBonds' mat_ema_sparse path
// (emaSparseSums) for storedRate's epochs, without building the bonds
// matrix: a tidy row of the weights for bonds whose stored bond row is
// clean (storedClean) merges with the stored row directly (emaZipStored
// where the two rows hold the same columns and no column is masked, else
// emaMergeStored); another row is read by appendBonds into a one-row ws.b
// and takes emaRow, as emaSparseSums would. It leaves the EMA in ws.ema
// and its column sums in ws.acc, and reports whether a bond row holds a
// cell at or beyond N (which Input.Validate refuses), as readBonds does.
// The epoch returns before writing out in that case, so the EMA built so
// far is not used.
func (ws *Workspace) emaStored(v *epochView, wb *matrix, wbTidy []bool, rate fixed.I32F32) (beyond bool) {
	e := ws.emaStoredBegin(v, wb.count(), rate)
	for i := 0; i < v.n; i++ {
		b, _ := ws.emaStoredRow(v, &e, i, wb.rows[i], wbTidy[i])
		beyond = b || beyond
	}
	return beyond
}

// storedEMA is what emaStored's rows share: the registration mask's
// lastTempo, the rate and its raw bits, and whether some column
// registered at or after lastTempo.
type storedEMA struct {
	lastTempo, al uint64
	rate          fixed.I32F32
	masked        bool
}

// emaStoredBegin starts emaStored: ws.ema with room for cells weights for
// bonds and the stored bonds, the column sums cleared.
func (ws *Workspace) emaStoredBegin(v *epochView, cells int, rate fixed.I32F32) storedEMA {
	n := v.n
	e := storedEMA{lastTempo: v.lastTempo(), al: uint64(rate.Bits()), rate: rate}
	ws.row = grow(ws.row, n)
	ws.ema.begin(n, cells+ws.bCells) // the stored bonds, counted by countCells (registrations)
	clear(ws.acc)
	// Some column registered at or after lastTempo exactly when the last
	// registration did.
	e.masked = len(ws.reg) > 0 && e.lastTempo <= ws.maxReg
	return e
}

// emaStoredRow is row i of emaStored, a the row of the weights for bonds
// and aTidy whether it is tidy: it appends the EMA's row i to ws.ema and
// adds it to the column sums in ws.acc, and reports whether the stored
// bond row holds a cell at or beyond N, and dense: whether the row took
// the last case (appendBonds and emaRow), the one whose cells are not
// known to be at most 1.
func (ws *Workspace) emaStoredRow(v *epochView, e *storedEMA, i int, a []entry, aTidy bool) (beyond, dense bool) {
	in, n := v.in, v.n
	start := len(ws.ema.buf)
	var row []Entry
	if i < len(in.Bonds) {
		row = in.Bonds[i]
	}
	switch {
	case len(a)+len(row) == 0: // nothing to merge (emaRow's first case)
	case aTidy && !e.masked && sameColumns(a, row):
		// a is tidy, so row, on the same columns, is clean.
		ws.ema.buf = emaZipStored(ws.ema.buf, a, row, e.al, ws.acc)
	case aTidy && storedClean(row, n):
		ws.ema.buf = emaMergeStored(ws.ema.buf, a, row, ws.reg, e.lastTempo, e.al, ws.acc)
	default:
		ws.b.begin(1, len(row))
		b, tidy, over := appendBonds(ws.b.buf, row, ws.reg, e.lastTempo, true)
		ws.b.buf = b
		beyond, dense = over, true
		ws.ema.buf = emaRow(ws.ema.buf, a, b, aTidy, tidy, e.rate, ws.row, ws.acc)
	}
	ws.ema.end(i, start)
	return beyond, dense
}

// clippedStoredRate reports whether the epoch takes clipRankEMA: its
// weights for bonds are the clipped weights (a bonds penalty of 1, see
// weightsForBonds), whose rows clipRank tracks as tidy, and the EMA takes
// emaStored (storedRate), at the rate it returns.
func (ws *Workspace) clippedStoredRate(v *epochView) (fixed.I32F32, bool) {
	if fixed.I32F32FromU16Proportion(v.in.BondsPenalty).Cmp(one) != 0 {
		return zero, false
	}
	ws.wcTidy = growBool(ws.wcTidy, v.n)
	return ws.storedRate(v, ws.wcTidy)
}

// clipRankEMA is clipRanks followed by weightsForBonds and emaStored for
// the epochs clippedStoredRate admits, at its rate, fused by rows: each
// row is clipped (clipRow) into the scratch row ws.crow instead of ws.wc,
// which is not built, and merged at once into the EMA as emaStored merges
// that row of the weights for bonds (emaStoredRow). It reports what
// emaStored reports.
//
// Why it gives the same bits: clipRank computes each clipped row, its
// tidiness and its row sum from the weights' row alone, and emaStored
// computes each row of the EMA from the weights for bonds' row (here the
// clipped row, with the same cells and tidiness whether held in ws.wc or
// in the scratch row) and the stored bond row alone. The two
// accumulators, the ranks in ws.inc and the EMA's column sums in ws.acc,
// each still take their rows' terms in row order; only the two sequences
// are interleaved, and neither reads the other's accumulator.
//
// The common row (plain, on its stored bond row's columns, nothing
// dropped or masked) takes clipZipBelow, which clips, ranks and merges
// it in place over the weight row, saving the weights into the scratch
// row; a row it reports bad has its column sums and its weights restored
// and is merged as the others are (see there). ws.ema's row i is then
// that row of ws.w.buf: nothing reads a weight row after its row here
// (the epoch's later phases read the EMA, not the weights), and the EMA
// so does not take 16 bytes a cell of memory more, which, written once
// and read once by dividendsAndBonds, cost the epoch a cache line fill
// per four cells.
// ws.emaCells counts the EMA's cells, in ws.ema.buf or not.
func (ws *Workspace) clipRankEMA(v *epochView, rate fixed.I32F32) (beyond bool) {
	n := v.n
	w := &ws.w
	ws.vt = grow(ws.vt, n)
	ws.inc = grow(ws.inc, n)
	ws.wcTidy = growBool(ws.wcTidy, n)
	ws.acc = grow(ws.acc, n)
	inc, vt, c, active := ws.inc, ws.vt, ws.cons, ws.active
	clear(inc)
	// clipModes, with the AND of the rows' tidy flags that readWeights
	// kept (ws.wAllTidy) in place of its pass over ws.wTidy: the same
	// flags, unchanged since.
	unitC := ws.consUnit || allUnit(c) // consUnit: no pass (see consensus)
	plain := unitC && ws.wAllTidy
	if ws.stakedOK { // the active stake is 0 but at ws.staked (activeStake)
		plain = plain && allUnitAt(active, ws.staked)
	} else {
		plain = plain && allUnit(active[:len(w.rows)])
	}
	// The clipped rows hold at most w's cells, len(w.buf): readWeights
	// builds every row of ws.w as its own part of ws.w.buf (matrix.end),
	// so that their cells, w.count(), are len(w.buf) without a pass over
	// the rows.
	e := ws.emaStoredBegin(v, len(w.buf), rate)
	bonds := v.in.Bonds
	// zip: the rows may take clipZipBelow (see there): every row plain, no
	// column masked, a rate strictly between 0 and 1. bounded: every EMA
	// row so far took emaZipStored or emaMergeStored (or was empty).
	zip, bounded := plain && !e.masked && e.al > 0 && e.al < 1<<32, true
	inPlace := 0 // the cells of the EMA rows left in ws.w.buf
	// A uid with no weights and no bonds (most uids, those not in
	// ws.live: see countCells) has no trust and no rank (clipRow's first
	// case) and an empty EMA row (emaStoredRow's; nil, see readWeights'
	// empty rows): written here for all uids, the others' rows below.
	clear(vt[:len(w.rows)])
	clear(ws.ema.rows)
	if unitC {
		copy(ws.wcTidy, ws.wTidy[:len(w.rows)])
	} else {
		clear(ws.wcTidy)
	}
	z := zipRows{
		rows: w.rows, ema: ws.ema.rows, bonds: bonds,
		c: c, active: active, vt: vt, inc: inc, acc: ws.acc,
		save: ws.crow[:cap(ws.crow)], al: e.al, k: (1<<32 - e.al) * 65537,
	}
	if zip && alignedAVX512 && ws.alignedClip.alignClip(w.rows, ws.live, c) {
		z.aligned = &ws.alignedClip
	}
	live := ws.live
	for t := 0; t < len(live); t++ {
		var drop, bad int64
		if zip && bounded {
			// The common rows, in zipRows.run's loop, up to the first
			// other one, which it leaves to the code below.
			var kept int
			t, kept, drop, bad = z.run(live, t)
			inPlace += kept
			if t == len(live) {
				break
			}
		}
		i := int(live[t])
		r := w.rows[i]
		tidy := ws.wcTidy[i]
		if bad != 0 {
			// clipZipBelow's bad row: a column of consensus 0, another
			// column or a cell of 0. With drop 0 r holds the EMA cells:
			// take them back out of the column sums (exact: see
			// clipZipBelow). Then restore the weight row from the saved
			// weights and merge the clipped row as before
			// (clipRankEMAPrev in clipzip_internal_test.go); the ranks
			// and the row sum (in vt, written by run) stand.
			out := ws.crow[:len(r)]
			if drop == 0 {
				for _, x := range r {
					ws.acc[x.j] = fixed.I32F32FromBits(ws.acc[x.j].Bits() - x.v.Bits())
				}
			}
			for t := range r {
				r[t].v = out[t].v
			}
			k := clipKept(ws.crow[:len(r)], r, c)
			b, dense := ws.emaStoredRow(v, &e, i, ws.crow[:k:k], tidy)
			beyond, bounded = b || beyond, bounded && !dense
			continue
		}
		if cap(ws.crow) < len(r) {
			ws.crow = make([]entry, len(r))
			z.save = ws.crow
			if zip && bounded {
				t-- // the row again, in run, with room for it
				continue
			}
		}
		// Not a common row (run leaves it untouched), or no row is.
		k, sum := clipRow(ws.crow[:len(r)], r, c, active[i], inc, tidy, plain)
		vt[i] = sum
		b, dense := ws.emaStoredRow(v, &e, i, ws.crow[:k:k], tidy)
		beyond, bounded = b || beyond, bounded && !dense
	}
	ws.emaCells = len(ws.ema.buf) + inPlace
	ws.vtLive = true // vt is 0 but at ws.live, cleared above
	normalize(inc)
	return beyond
}

// zipRows is what clipRankEMA's common rows read: the weight rows, the
// EMA rows, the stored bond rows, the consensus, the active stake, the
// trust, the ranks, the EMA's column sums, the scratch row (at its
// capacity), the rate's raw bits al and zipBelowCells' k for it.
type zipRows struct {
	rows, ema               [][]entry
	bonds                   [][]Entry
	c, active, vt, inc, acc []fixed.I32F32
	save                    []entry
	al, k                   uint64
	// aligned, when not nil, holds the columns of a reference row, for
	// the rows aligned with it (clipCellsAligned, zipCellsAligned).
	aligned *alignedClip
}

// run is clipRankEMA's loop over the rows live[t:] while they take
// clipZipBelow (zip and bounded hold; see clipRankEMA): a row with
// neither weights nor bonds is skipped, as there; a common row (its
// bond row as long as its weight row, an active stake below 1, room for
// it in save) is clipped, ranked and merged in place by clipBelowCells
// and zipBelowCells, as clipZipBelow does, its row sum written to vt and,
// unless clipZipBelow would report it bad, its weight row made its EMA
// row. It returns the index next of the first row it does not finish
// (len(live) for none), the cells of the EMA rows it left in place, and,
// for a row clipZipBelow reports bad, what clipZipBelow returns for it
// (drop and bad; bad is 0 for a row run did not touch).
//
// Why it gives the same bits: each row takes the tests and the calls of
// clipRankEMAZipPrev's loop (epoch_rows_internal_test.go) in the same
// order, clipZipBelow's two calls made here, and the rows it does not
// finish are left to that loop's code for them. The loop is apart, and
// out of line, so that it holds a few values across its two calls (Go's
// calls keep no register): clipRankEMA's loop held its general path's
// values too, and spilled and reloaded them at every row.
//
//go:noinline
func (z *zipRows) run(live []int32, t int) (next, inPlace int, drop, bad int64) {
	if z.aligned != nil {
		// Whatever the aligned rows added, added to the epoch's ranks
		// and column sums before the caller reads them.
		defer z.aligned.flush(z.inc, z.acc)
	}
	for ; t < len(live); t++ {
		i := int(live[t])
		r := z.rows[i]
		var row []Entry
		if i < len(z.bonds) {
			row = z.bonds[i]
		}
		if len(r) == 0 && len(row) == 0 {
			continue // no trust, no rank, an empty EMA row (see clipRankEMA)
		}
		a := uint64(z.active[i].Bits())
		if len(r) != len(row) || a >= 1<<32 || len(r) > len(z.save) {
			return t, inPlace, 0, 0
		}
		var d, b int64
		if sum, least, ok := z.clipAligned(r, a); ok {
			z.vt[i] = fixed.I32F32FromBits(sum)
			if d = (least - 1) >> 63; d != 0 {
				return t, inPlace, d, d
			}
			cols, least := zipCellsAligned(r, row, z.al, z.k, z.aligned)
			b = int64(cols) | (least-1)>>63
		} else {
			sum, d = clipBelowCells(z.save[:len(r)], r, z.c, a, z.inc)
			z.vt[i] = fixed.I32F32FromBits(sum)
			if d != 0 {
				return t, inPlace, d, d
			}
			b = zipBelowCells(r, row, z.acc, z.al, z.k)
		}
		if b != 0 {
			return t, inPlace, 0, b
		}
		z.ema[i] = r // the EMA row, in place of the weight row
		inPlace += len(r)
	}
	return t, inPlace, 0, 0
}

// clipAligned is clipCellsAligned of row r with active stake a when z
// has aligned rows: false, and nothing written, when it has none or r is
// not aligned with them.
func (z *zipRows) clipAligned(r []entry, a uint64) (rowSum, least int64, ok bool) {
	if z.aligned == nil {
		return 0, 0, false
	}
	return clipCellsAligned(z.save[:len(r)], r, a, z.aligned)
}

// emaBonds computes the EMA bonds into ws.ema as epoch_mechanism's "Bonds
// and Dividends" section does (epoch/run_epoch.rs). Yuma 3 takes
// compute_bonds_sparse: the liquid-alpha EMA (emaAlpha) when liquid alpha
// is on and some consensus is non-zero, else mat_ema_sparse (epoch/math.rs)
// at compute_disabled_liquid_alpha's fixed rate, which fails with
// ErrBondsMovingAverageOverflow where the chain panics; either leaves the
// EMA's saturating column sums in ws.acc. The original path takes
// inplace_col_normalize_sparse of the bonds, row_hadamard_sparse of the
// weights for bonds with the active stake, inplace_col_normalize_sparse of
// that delta and compute_ema_bonds_normal_sparse (mat_ema_sparse at the
// saturating rate).
func (ws *Workspace) emaBonds(v *epochView, wb *matrix, wbTidy []bool) error {
	in, n := v.in, v.n
	rate, rateOK := emaRate(in.BondsMovingAverage)
	if in.Yuma3 {
		liquid := false
		if in.LiquidAlpha {
			for _, c := range ws.cons {
				if !c.IsZero() {
					liquid = true
					break
				}
			}
		}
		if liquid {
			ws.sig.reset(fixed.I32F32FromU16Proportion(in.AlphaLow), fixed.I32F32FromU16Proportion(in.AlphaHigh), in.AlphaSigmoidSteepness)
			ws.emaAlpha(wb, wbTidy, ws.cons, ws.acc) // also leaves the column sums in acc
			return nil
		}
		if !rateOK {
			return ErrBondsMovingAverageOverflow
		}
		ws.row = grow(ws.row, n)
		emaSparseSums(&ws.ema, wb, &ws.b, wbTidy, ws.bTidy, rate, ws.row, ws.acc)
		return nil
	}
	colNormalize(&ws.b, ws.acc)
	ws.delta.begin(n, wb.count())
	for i, r := range wb.rows {
		buf := ws.delta.buf
		start := len(buf)
		for _, e := range r {
			buf = append(buf, entry{e.j, e.v.SaturatingMul(ws.active[i])})
		}
		ws.delta.buf = buf
		ws.delta.end(i, start)
	}
	colNormalize(&ws.delta, ws.acc)
	emaSparse(&ws.ema, &ws.delta, &ws.b, rate, ws.acc)
	return nil
}

// emaRate is 1 − BondsMovingAverage/1e6 in I32F32 (the I64F64 quotient
// floored to 32 fractional bits), as compute_ema_bonds_normal_sparse and
// compute_disabled_liquid_alpha (epoch/run_epoch.rs) derive it. ok is false
// where the latter's from_num conversions (I64F64, then I32F32) would panic
// on chain; the value is then the original path's saturating one.
func emaRate(bma uint64) (rate fixed.I32F32, ok bool) {
	q := fixed.I64F64FromUint64(bma).SafeDiv(fixed.I64F64FromUint64(1_000_000))
	return one.SaturatingSub(q.SaturatingToI32F32()), bma < 2_147_483_648_000_000
}

// dividendsAndBonds is the rest of epoch_mechanism's "Bonds and Dividends"
// section (epoch/run_epoch.rs), into ws.div, storing the new bonds of the
// uids with a new permit into out.Bonds (fixed_proportion_to_u16, as the
// storage loop after the section does). Yuma 3: inplace_col_normalize_sparse
// of the EMA bonds, mat_vec_mul_sparse with the incentive, row_sum_sparse,
// vec_mul with the active stake and inplace_normalize (epoch/math.rs); the
// bonds are normalised on the fly from the column sums in ws.acc instead of
// copying the matrix. Original path: inplace_col_normalize_sparse of the EMA
// bonds, matmul_transpose_sparse with the incentive, inplace_normalize, and
// inplace_col_max_upscale_sparse before storage.
func (ws *Workspace) dividendsAndBonds(v *epochView, out *Output) {
	n, inc := v.n, ws.inc
	ws.div = grow(ws.div, n)
	div, ema := ws.div, &ws.ema
	if v.in.Yuma3 {
		ws.dividendsYuma3(n, out)
		return
	}
	ws.divLive = false
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
	sizeBonds(out, ema, ws.permitNew, len(ema.buf))
	for i, r := range ema.rows {
		storeBonds(out.Bonds[i], r)
	}
}

// emissionScores is epoch_mechanism's "Emission and Pruning scores" section
// (epoch/run_epoch.rs): combined = incentive + dividends (saturating), the
// server and validator scores normalised by its plain sum
// (inplace_normalize_using_sum), the combined ones by their own
// (inplace_normalize), and, when the sum is 0, validator and combined
// scores replaced by the active stake, or the stake when that is all 0.
// It leaves the plain sum in ws.esum. When the sum is positive (every
// epoch with an incentive or a dividend), writeOutput normalises the
// scores as it converts them to rao (emissionShares); otherwise the scores
// land in ws.nse, ws.nve and ws.nce.
func (ws *Workspace) emissionScores(v *epochView) {
	n := v.n
	inc, div := ws.inc[:n], ws.div[:n]
	// The plain sum of inc[i] + div[i] with the OR of their raw bits:
	// when every score's raw bits lie in [0, 2^62) (no bit from 62 up),
	// each pair's sum is below 2^63, so that the chain's saturating
	// addition is the plain one, and the plain sums (wrapping, whose
	// order does not matter) are the same; otherwise the saturating loop
	// runs (esumPrev in emission_internal_test.go).
	var plain, or uint64
	for i, x := range inc {
		y := uint64(div[i].Bits())
		plain += uint64(x.Bits()) + y
		or |= uint64(x.Bits()) | y
	}
	esum := fixed.I32F32FromBits(int64(plain))
	if or>>62 != 0 {
		esum = zero
		for i := range inc {
			esum = esum.Add(inc[i].SaturatingAdd(div[i]))
		}
	}
	ws.esum = esum
	if esum.Sign() > 0 {
		return
	}
	ws.comb = grow(ws.comb, n)
	ws.nse = grow(ws.nse, n)
	ws.nve = grow(ws.nve, n)
	ws.nce = grow(ws.nce, n)
	for i := 0; i < n; i++ {
		ws.comb[i] = ws.inc[i].SaturatingAdd(ws.div[i])
	}
	copy(ws.nse, ws.inc)
	copy(ws.nve, ws.div)
	copy(ws.nce, ws.comb)
	normalizeUsing(ws.nse, esum)
	normalizeUsing(ws.nve, esum)
	// normalize(ws.nce): the plain sum of the combined scores, added in
	// the same order with the same wrapping additions, is esum.
	normalizeUsing(ws.nce, esum)
	if esum.IsZero() {
		src := ws.active
		if sum(ws.active).IsZero() {
			src = ws.stake
		}
		copy(ws.nve, src)
		copy(ws.nce, src)
	}
}

// writeOutput fills out (but its bonds) as epoch_mechanism's storage
// writes do (epoch/run_epoch.rs): every proportion as fixed_proportion_to_u16
// (epoch/math.rs), every emission score times the emission in I96F32
// floored to rao, the new permits and the active mask, and the floored
// total stake.
//
// Each output takes a loop of its own (u16Proportions, raoAmounts): one
// loop over all of them, as writeOutputPrev (kernels_prev_internal_test.go)
// ran, held some twenty slices and spilled them to the stack at every uid.
// Every element is the same function of the same inputs, written once, so
// the order of the writes does not change the output.
func (ws *Workspace) writeOutput(v *epochView, out *Output) {
	n := v.n
	e := uint64(v.in.Emission)
	out.Stake = growU64(out.Stake, n)
	copy(out.Stake, ws.raw)
	out.Consensus = growU16(out.Consensus, n)
	out.Incentive = growU16(out.Incentive, n)
	out.Dividends = growU16(out.Dividends, n)
	out.ValidatorTrust = growU16(out.ValidatorTrust, n)
	out.StakeWeight = growU16(out.StakeWeight, n)
	out.ServerEmission = growAlpha(out.ServerEmission, n)
	out.ValidatorEmission = growAlpha(out.ValidatorEmission, n)
	out.Emission = growAlpha(out.Emission, n)
	out.ValidatorPermit = growBool(out.ValidatorPermit, n)
	out.Active = growBool(out.Active, n)
	// One short loop per output (see writeOutput's doc).
	u16Proportions(out.Consensus, ws.cons[:n])
	u16Proportions(out.Incentive, ws.inc[:n])
	// The dividends, the trust and the stake of most uids are 0, which
	// the phases that wrote them know: those vectors take u16At over the
	// uids that may hold one.
	if ws.divLive {
		u16At(out.Dividends, ws.div[:n], ws.live)
	} else {
		u16Proportions(out.Dividends, ws.div[:n])
	}
	if ws.vtLive {
		u16At(out.ValidatorTrust, ws.vt[:n], ws.live)
	} else {
		u16Proportions(out.ValidatorTrust, ws.vt[:n])
	}
	if ws.stakedOK {
		u16At(out.StakeWeight, ws.stake[:n], ws.staked)
	} else {
		u16Proportions(out.StakeWeight, ws.stake[:n])
	}
	if s := ws.esum; s.Sign() > 0 {
		d := fixed.NewUint64Divisor(uint64(s.Bits()))
		emissionShares(out.ServerEmission, out.ValidatorEmission, out.Emission, ws.inc[:n], ws.div[:n], s, d, e)
	} else {
		raoAmounts(out.ServerEmission, ws.nse[:n], e)
		raoAmounts(out.ValidatorEmission, ws.nve[:n], e)
		raoAmounts(out.Emission, ws.nce[:n], e)
	}
	copy(out.ValidatorPermit, ws.permitNew[:n])
	copy(out.Active, ws.activeMask[:n]) // isActive of each uid (activeStake)
}

// u16Proportions writes fixed_proportion_to_u16 (epoch/math.rs) of each
// element of src to dst (at least as long as src).
//
// An element x in [0, 1] (raw bits b ≤ 2^32, every epoch proportion but
// a rare one) takes (b·65535) >> 32: fixed.I32F32.U16Proportion's own
// expression for a non-negative x below 2^15, whose product b·65535 <
// 2^48 is exact and whose result is at most 65535, so that its clamp to
// 65535 changes nothing. Other elements take U16Proportion.
//
// The elements go four at a time: when the OR of the four raw bit
// patterns, read unsigned, is below 2^32, each of them is (each is at
// most their OR), and all four take the expression above without a test
// of their own; another group of four, and the last len(src) mod 4
// elements, take u16One, the test and its two forms element by element
// (u16ProportionsPrev in kernels_prev_internal_test.go, which ran so for
// every element). Each element is the same function of that element
// alone whichever way it goes. A group whose OR is 0 (most groups: most
// uids hold no consensus, incentive or dividend, the miners no trust)
// is four elements of 0, whose proportions are 0 (the expression above
// at b = 0), written as one store. Each group is read and written
// through arrays of four (one bounds check for the group, where the loop
// indexing the elements one by one checked each of them).
func u16Proportions(dst []uint16, src []fixed.I32F32) {
	dst = dst[:len(src)]
	i := 0 // the group's first element
	for ; i+4 <= len(src); i += 4 {
		s, d := (*[4]fixed.I32F32)(src[i:i+4]), (*[4]uint16)(dst[i:i+4])
		b0, b1, b2, b3 := uint64(s[0].Bits()), uint64(s[1].Bits()), uint64(s[2].Bits()), uint64(s[3].Bits())
		switch or := b0 | b1 | b2 | b3; {
		case or == 0:
			*d = [4]uint16{}
			continue
		case or>>32 == 0:
			d[0] = uint16((b0 * 65535) >> 32)
			d[1] = uint16((b1 * 65535) >> 32)
			d[2] = uint16((b2 * 65535) >> 32)
			d[3] = uint16((b3 * 65535) >> 32)
			continue
		}
		for k := range 4 {
			d[k] = u16One(s[k])
		}
	}
	for k := i; k < len(src); k++ {
		dst[k] = u16One(src[k])
	}
}

// u16At is u16Proportions for a src that is 0 but at the indices at
// (below len(src)): the proportion of 0 is 0, written to every element
// at once, and only the listed elements are converted, as u16One
// converts them (written out: u16One does not inline).
func u16At[T int | int32](dst []uint16, src []fixed.I32F32, at []T) {
	dst = dst[:len(src)]
	clear(dst)
	for _, i := range at {
		if b := uint64(src[i].Bits()); b <= 1<<32 {
			dst[i] = uint16((b * 65535) >> 32)
		} else {
			dst[i] = u16Slow(src[i])
		}
	}
}

// u16One is u16Proportions of one element x.
func u16One(x fixed.I32F32) uint16 {
	if b := uint64(x.Bits()); b <= 1<<32 {
		return uint16((b * 65535) >> 32)
	}
	return u16Slow(x)
}

// u16Slow is u16Proportions for x outside [0, 1], out of line.
//
//go:noinline
func u16Slow(x fixed.I32F32) uint16 { return x.U16Proportion() }

// raoAmounts writes each emission score of src times the emission e, in
// I96F32 floored to rao, to dst (at least as long as src). For x in
// [0, 1] the I96F32 product x·e has the raw bits x_bits·e exactly (no
// fractional bit is lost), and flooring it to an integer is
// floor(x_bits·e/2^32) ≤ e: mulUnit's 64-bit result. Other x take the
// I96F32 path.
//
// mulUnit's 128-bit product is taken as two 64-bit ones: with e =
// eh·2^32 + el (eh, el below 2^32) and x_bits ≤ 2^32, x_bits·e =
// x_bits·eh·2^32 + x_bits·el, whose first term is a multiple of 2^32, so
// floor(x_bits·e/2^32) = x_bits·eh + floor(x_bits·el/2^32) exactly; both
// products are below 2^64, and so is their sum (at most e).
func raoAmounts(dst []units.Alpha, src []fixed.I32F32, e uint64) {
	dst = dst[:len(src)]
	eh, el := e>>32, e&(1<<32-1)
	for i, x := range src {
		if xb := uint64(x.Bits()); xb <= 1<<32 {
			dst[i] = units.Alpha(xb*eh + (xb*el)>>32)
		} else {
			dst[i] = raoSlow(x, e)
		}
	}
}

// emissionShares writes the three emissions of a positive plain sum s
// of the combined scores (d its divisor): each score normalised by s
// (inplace_normalize_using_sum, the quotient shareOf) and converted to
// rao of e as raoAmounts converts, without the vectors of normalised
// scores between them; the server emission of the incentive inc into
// se, the validator emission of the dividends div into ve, and the
// emission of the combined score inc[i] + div[i] (saturating) into em.
// Each element depends on that uid's scores alone, so normalising and
// then converting (emissionScoresPrev in emission_internal_test.go)
// gives the same values.
//
// One pass writes all three, where writeOutput ran one per output
// (raoSharesPrev in emission_internal_test.go, each pass reloading the
// scores and the third adding them again, a saturating add of a dozen
// instructions at every uid). Why the shortcuts give the same bits: a
// uid with neither score (most uids: the miners hold no dividend, most
// uids no incentive) has three quotients of 0, 0 rao each; a uid with
// one score 0 has the combined score sat(x + 0) = x, the other score
// itself, whose rao is already in hand; only a uid with both takes the
// sum and a third quotient.
//
// An element in [0, 1) (raw bits b below 2^32) has the quotient
// q = d.Div(b·2^32) (shareOf; 0 for b = 0), and a q of at most 2^32
// converts as raoAmounts converts it; other elements and quotients take
// raoShareSlow.
func emissionShares(se, ve, em []units.Alpha, inc, div []fixed.I32F32, s fixed.I32F32, d fixed.Uint64Divisor, e uint64) {
	n := len(inc)
	se, ve, em, div = se[:n], ve[:n], em[:n], div[:n]
	eh, el := e>>32, e&(1<<32-1)
	// rao is one element's conversion (see above); a zero x needs no
	// test of its own, as its quotient d.Div(0) is 0, which converts to 0.
	rao := func(x fixed.I32F32) units.Alpha {
		b := uint64(x.Bits())
		if q := d.Div(b << 32); b < 1<<32 && q <= 1<<32 {
			return units.Alpha(q*eh + (q*el)>>32)
		}
		return raoShareSlow(x, s, d, e)
	}
	for i, x := range inc {
		y := div[i]
		switch xb, yb := x.Bits(), y.Bits(); {
		case xb|yb == 0:
			se[i], ve[i], em[i] = 0, 0, 0
		case yb == 0:
			r := rao(x)
			se[i], ve[i], em[i] = r, 0, r
		case xb == 0:
			r := rao(y)
			se[i], ve[i], em[i] = 0, r, r
		default:
			se[i], ve[i], em[i] = rao(x), rao(y), rao(x.SaturatingAdd(y))
		}
	}
}

// raoShareSlow is emissionShares' conversion of any element x: shareOf, then
// raoAmounts' conversion, out of line.
//
//go:noinline
func raoShareSlow(x, s fixed.I32F32, d fixed.Uint64Divisor, e uint64) units.Alpha {
	q := shareOf(x, s, d)
	if qb := uint64(q.Bits()); qb <= 1<<32 {
		return units.Alpha(mulUnit(qb, e))
	}
	return raoSlow(q, e)
}

// raoSlow is raoAmounts for x outside [0, 1], out of line.
//
//go:noinline
func raoSlow(x fixed.I32F32, e uint64) units.Alpha {
	return units.Alpha(x.SaturatingToI96F32().SaturatingMul(fixed.I96F32FromUint64(e)).SaturatingToUint64())
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

// b2i is 1 for true, 0 for false.
func b2i(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

func growInt(s []int, n int) []int                   { return grow(s, n) }
func growBool(s []bool, n int) []bool                { return grow(s, n) }
func growU16(s []uint16, n int) []uint16             { return grow(s, n) }
func growU64(s []uint64, n int) []uint64             { return grow(s, n) }
func growAlpha(s []units.Alpha, n int) []units.Alpha { return grow(s, n) }
