package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// readWeightsPrev is readWeights before keyRows.run: every row of
// ws.live built in one loop's body. It is the reference of
// TestReadWeightsMatchesPrev and FuzzReadWeightsRows.
func (ws *Workspace) readWeightsPrev(v *epochView) (beyond bool) {
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
	med.packBegin(n)
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
	for _, i32 := range ws.live {
		i := int(i32)
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
			open := unmasked(maxReg, v.lastUpdate(i), cb)
			if open && !keyed {
				var or uint64
				ws.w.buf, or, keyed = appendOpenKeyed(ws.w.buf, in.Weights[i], n, self, med.keys, med.next, st)
				med.or |= or
				if keyed {
					break // built tidy, normalised and bucketed
				}
			}
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
			med.or |= bucketRow(med.keys, med.next, ws.w.rows[i], st)
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

// readWeightsEdit changes the ledger's input so that rows leave
// keyRows.run's path: op picks the change, uid the validator's row (below
// 64), x a cell or a value.
func readWeightsEdit(in *Input, op, uid, x int) {
	if uid >= len(in.Weights) || uid >= len(in.Bonds) {
		return // rows cut by an earlier edit
	}
	w := in.Weights[uid]
	switch op % 15 {
	case 0: // no permit: forbidden
		if uid < len(in.ValidatorPermit) {
			in.ValidatorPermit[uid] = false
		}
	case 1: // the owner elsewhere, with or without its stored permit entry
		in.OwnerUID = units.UID(x % 64)
		in.ValidatorPermit = in.ValidatorPermit[:min(len(in.ValidatorPermit), int(in.OwnerUID)+x>>6%2)]
	case 2: // the owner's self-weight (the owner is uid 0 unless moved)
		o := int(in.OwnerUID)
		if o < len(in.Weights) {
			in.Weights[o] = append([]Entry{{UID: units.UID(o), Value: uint16(x)}}, in.Weights[o]...)
		}
	case 3: // a column registered at the row's last update: masked
		if len(w) > 0 && uid < len(in.LastUpdate) && int(w[x%len(w)].UID) < len(in.BlockAtRegistration) {
			in.BlockAtRegistration[w[x%len(w)].UID] = in.LastUpdate[uid] - uint64(x%2)
		}
	case 4: // a live commit
		if len(in.CommitBlocks) == 0 {
			in.CommitBlocks = make([]uint64, in.N)
			for i := range in.CommitBlocks {
				in.CommitBlocks[i] = ^uint64(0)
			}
		}
		in.CommitBlocks[uid] = uint64(x) * 3
	case 5: // a total of 0
		for k := range w {
			w[k].Value = 0
		}
	case 6: // out of order: untidy, the keys' bucketing ends
		if len(w) > 1 {
			w[0], w[1] = w[1], w[0]
		}
	case 7: // a column at or beyond n
		if len(w) > 0 {
			w[len(w)-1].UID = units.UID(int(in.N) + x%3)
		}
	case 8: // no stake
		in.AlphaStake[uid], in.TaoStake[uid] = 0, 0
	case 9: // bonds only
		in.Weights[uid] = nil
	case 10: // shorter vectors
		in.LastUpdate = in.LastUpdate[:min(uid, len(in.LastUpdate))]
	case 11: // a repeated column
		if len(w) > 1 {
			w[1].UID = w[0].UID
		}
	case 12: // neither weights nor bonds: a gap in ws.live
		in.Weights[uid], in.Bonds[uid] = nil, nil
	case 13: // no stored permits: nothing masked, every row forbidden
		in.ValidatorPermit = nil
	case 14: // fewer weight rows than bond rows
		in.Weights = in.Weights[:uid]
	}
}

// checkReadWeightsRows runs the epoch up to the weights on in in two
// workspaces and compares readWeights with readWeightsPrev: the rows,
// their tidy flags, the keys bucketed and what the medians keep; then it
// runs consensus and checks that consUnit, which it returns, is set only
// where every consensus lies in [0, 1].
func checkReadWeightsRows(t *testing.T, in *Input) (consUnit bool) {
	t.Helper()
	if in.validateHead() != nil {
		return false
	}
	var ws, prev Workspace
	v := newEpochView(in)
	for _, w := range []*Workspace{&ws, &prev} {
		w.registrations(&v)
		w.stakeWeights(&v)
		w.validatorPermits(&v)
		w.activeStake(&v)
	}
	got, want := ws.readWeights(&v), prev.readWeightsPrev(&v)
	g, p := &ws.med, &prev.med
	// The aligned medians (median_aligned.go), when readWeights kept
	// them on: their consensus, then the rows they took bucketed
	// (endAligned), which must leave readWeightsPrev's keys, and the
	// consensus from those keys, which must be theirs.
	var aligned []fixed.I32F32
	alignedUnit := false
	if g.al.on {
		alignedRows++
		ws.consensus(&v)
		aligned, alignedUnit = slices.Clone(ws.cons[:v.n]), ws.consUnit
		g.endAligned()
	}
	if got != want || !slices.Equal(ws.wTidy, prev.wTidy) || ws.wAllTidy != prev.wAllTidy ||
		len(ws.w.buf) != len(prev.w.buf) || g.packing != p.packing || g.or != p.or ||
		!slices.Equal(g.next, p.next) || !slices.Equal(g.keys, p.keys) {
		t.Fatalf("readWeights differs from readWeightsPrev")
	}
	for i := range prev.w.rows {
		a, b := ws.w.rows[i], prev.w.rows[i]
		if !slices.Equal(a, b) || (a == nil) != (b == nil) {
			t.Fatalf("weight row %d %v, want %v", i, a, b)
		}
	}
	// consensus' consUnit: every consensus in [0, 1] where it is set.
	ws.consensus(&v)
	if ws.consUnit && !allUnit(ws.cons[:v.n]) {
		t.Fatalf("consUnit set with a consensus outside [0, 1]: %v", ws.cons[:v.n])
	}
	if aligned != nil && (alignedUnit != ws.consUnit || !slices.Equal(aligned, ws.cons[:v.n])) {
		t.Fatalf("aligned medians %v %v, bucketed %v %v", alignedUnit, aligned, ws.consUnit, ws.cons[:v.n])
	}
	return ws.consUnit
}

// alignedRows counts the cases of checkReadWeightsRows that took the
// aligned medians.
var alignedRows int

// TestReadWeightsMatchesPrev: on the ledger's shape, unedited and with
// each edit of readWeightsEdit alone (on a validator's row and on the
// owner's), then with random sets of them, readWeights leaves what
// readWeightsPrev leaves.
func TestReadWeightsMatchesPrev(t *testing.T) {
	consUnits := 0
	for op := -1; op < 15; op++ {
		for seed := range uint64(2) {
			in := cloneLedger(t, seed, seed == 1)
			if op >= 0 {
				readWeightsEdit(&in, op, 9+int(seed), 5)
				readWeightsEdit(&in, op, 0, 70)
			}
			consUnits += int(b2i(checkReadWeightsRows(t, &in)))
		}
	}
	if consUnits == 0 {
		t.Fatalf("no case set consUnit")
	}
	if alignedAVX512 && alignedRows == 0 {
		t.Fatalf("no case took the aligned medians")
	}
	r := rand.New(rand.NewPCG(11, 3))
	for k := range 200 {
		in := cloneLedger(t, uint64(k%16), k%2 == 1)
		for range r.IntN(6) {
			readWeightsEdit(&in, r.IntN(15), r.IntN(64), r.IntN(1<<16))
		}
		checkReadWeightsRows(t, &in)
	}
}

// FuzzReadWeightsRows compares readWeights with readWeightsPrev on the
// ledger's shape with edits drawn from the fuzzer's bytes.
func FuzzReadWeightsRows(f *testing.F) {
	seedCorpus(f, 47)
	f.Fuzz(func(t *testing.T, b []byte) {
		s := &byteSource{b}
		in := cloneLedger(t, uint64(s.IntN(4)), s.IntN(2) == 1)
		for range s.IntN(8) {
			readWeightsEdit(&in, s.IntN(15), s.IntN(64), s.IntN(1<<16))
		}
		checkReadWeightsRows(t, &in)
	})
}
