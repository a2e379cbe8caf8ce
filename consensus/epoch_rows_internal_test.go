package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// clipRankEMAZipPrev is clipRankEMA before zipRows.run: one loop over
// the rows of ws.live, the common row's clipZipBelow call and the other
// rows' code in its body. It is the reference of
// TestClipRankEMAMatchesZipPrev and FuzzClipRankEMARows.
func (ws *Workspace) clipRankEMAZipPrev(v *epochView, rate fixed.I32F32) (beyond bool) {
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
	unitC := allUnit(c)
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
	for _, i32 := range ws.live {
		i := int(i32)
		r := w.rows[i]
		tidy := ws.wcTidy[i]
		var row []Entry
		if i < len(bonds) {
			row = bonds[i]
		}
		if len(r) == 0 && len(row) == 0 {
			continue // as above
		}
		if cap(ws.crow) < len(r) {
			ws.crow = make([]entry, len(r))
		}
		if a := uint64(active[i].Bits()); zip && bounded && len(r) == len(row) && a < 1<<32 {
			out := ws.crow[:len(r)]
			sum, drop, bad := clipZipBelow(out, r, row, c, a, e.al, inc, ws.acc)
			vt[i] = fixed.I32F32FromBits(sum)
			if bad == 0 {
				ws.ema.rows[i] = r // the EMA row, in place of the weight row
				inPlace += len(r)
				continue
			}
			// A column of consensus 0, another column or a cell of 0.
			// With drop 0 r holds the EMA cells: take them back out of
			// the column sums (exact: see clipZipBelow). Then restore
			// the weight row from out and merge the clipped row as
			// before (clipRankEMAPrev in clipzip_internal_test.go); the
			// ranks and the row sum stand.
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

// clipRankEMAEdit changes the ledger's input so that rows leave the
// common path: op picks the change, uid the validator's row (below 64),
// x a cell or a value.
func clipRankEMAEdit(in *Input, op, uid, x int) {
	w, b := in.Weights[uid], in.Bonds[uid]
	switch op % 9 {
	case 0: // a bond on another column
		if len(b) > 1 {
			b[x%len(b)].UID = b[(x+1)%len(b)].UID + 1
		}
	case 1: // a bond row longer than the weight row
		in.Bonds[uid] = append(b, Entry{UID: units.UID(x % 64), Value: uint16(x)})
	case 2: // a weight and a bond of 0 in one column: an EMA cell of 0
		if len(w) > 0 && len(b) == len(w) {
			w[x%len(w)].Value, b[x%len(b)].Value = 0, 0
		}
	case 3: // a weight on a validator's column: consensus 0, dropped
		if len(w) > 0 {
			w[0].UID = units.UID(40 + x%20)
			if len(b) > 0 {
				b[0].UID = w[0].UID
			}
		}
	case 4: // a bond row out of order: the dense EMA, unbounded after it
		slices.Reverse(b)
	case 5: // bonds only
		in.Weights[uid] = nil
	case 6: // weights only
		in.Bonds[uid] = nil
	case 7: // the only stake: an active stake of 1
		for k := range in.AlphaStake {
			if k != uid {
				in.AlphaStake[k] = 0
			}
			in.TaoStake[k] = 0
		}
	case 8: // a longer row (one more miner), on its bonds too
		if len(w) > 0 && int(w[len(w)-1].UID) < int(in.N)-1 {
			u := w[len(w)-1].UID + 1
			in.Weights[uid] = append(w, Entry{UID: u, Value: uint16(x)})
			in.Bonds[uid] = append(b, Entry{UID: u, Value: uint16(x >> 3)})
		}
	}
}

// checkClipRankEMARows runs the epoch up to the consensus on in in two
// workspaces and compares clipRankEMA with clipRankEMAZipPrev where
// clippedStoredRate admits the epoch; crow sets the capacity of the
// first's scratch row beforehand (its growth sends a row back to run).
func checkClipRankEMARows(t *testing.T, in *Input, crow int) {
	t.Helper()
	if in.validateHead() != nil {
		return
	}
	var ws, prev Workspace
	ws.crow = make([]entry, crow)
	v := newEpochView(in)
	for _, w := range []*Workspace{&ws, &prev} {
		w.registrations(&v)
		w.stakeWeights(&v)
		w.validatorPermits(&v)
		w.activeStake(&v)
		w.readWeights(&v)
		w.consensus(&v)
	}
	rate, ok := ws.clippedStoredRate(&v)
	if !ok {
		return
	}
	prev.clippedStoredRate(&v)
	got := snapshotEMA(&ws, v.n, ws.clipRankEMA(&v, rate))
	want := snapshotEMA(&prev, v.n, prev.clipRankEMAZipPrev(&v, rate))
	if !slices.Equal(got.inc, want.inc) || !slices.Equal(got.vt, want.vt) || !slices.Equal(got.acc, want.acc) ||
		!slices.Equal(got.wcTidy, want.wcTidy) || got.beyond != want.beyond ||
		ws.emaCells != prev.emaCells || ws.vtLive != prev.vtLive {
		t.Fatalf("clipRankEMA differs from clipRankEMAZipPrev")
	}
	for i := range want.ema {
		if !slices.Equal(got.ema[i], want.ema[i]) {
			t.Fatalf("EMA row %d %v, want %v", i, got.ema[i], want.ema[i])
		}
	}
}

// cloneLedger is a ledger input whose weight and bond rows may be
// edited.
func cloneLedger(t testing.TB, seed uint64, staked bool) Input {
	in := ledgerInputWith(t, seed, staked)
	in.Weights, in.Bonds = slices.Clone(in.Weights), slices.Clone(in.Bonds)
	for i := range in.Bonds {
		in.Weights[i], in.Bonds[i] = slices.Clone(in.Weights[i]), slices.Clone(in.Bonds[i])
	}
	return in
}

// TestClipRankEMAMatchesZipPrev: on the ledger's shape, unedited and with
// each edit of clipRankEMAEdit alone, then with random sets of them, and
// with a scratch row of no room, of room for a few cells and of room for
// every row, clipRankEMA leaves what clipRankEMAZipPrev leaves.
func TestClipRankEMAMatchesZipPrev(t *testing.T) {
	for op := -1; op < 9; op++ {
		for _, crow := range []int{0, 5, 64} {
			for seed := range uint64(2) {
				in := cloneLedger(t, seed, seed == 1)
				if op >= 0 {
					clipRankEMAEdit(&in, op, 7+int(seed), 3)
					clipRankEMAEdit(&in, op, 0, 11) // the owner's row
				}
				checkClipRankEMARows(t, &in, crow)
			}
		}
	}
	r := rand.New(rand.NewPCG(9, 9))
	for k := range 60 {
		in := cloneLedger(t, uint64(k), k%2 == 1)
		for range r.IntN(6) {
			clipRankEMAEdit(&in, r.IntN(9), r.IntN(64), r.IntN(1<<16))
		}
		checkClipRankEMARows(t, &in, r.IntN(40))
	}
}

// FuzzClipRankEMARows compares clipRankEMA with clipRankEMAZipPrev on
// the ledger's shape with edits drawn from the fuzzer's bytes.
func FuzzClipRankEMARows(f *testing.F) {
	seedCorpus(f, 43)
	f.Fuzz(func(t *testing.T, b []byte) {
		s := &byteSource{b}
		in := cloneLedger(t, uint64(s.IntN(4)), s.IntN(2) == 1)
		for range s.IntN(8) {
			clipRankEMAEdit(&in, s.IntN(9), s.IntN(64), s.IntN(1<<16))
		}
		checkClipRankEMARows(t, &in, s.IntN(40))
	})
}
