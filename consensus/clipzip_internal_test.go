package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// clipRankEMAPrev is clipRankEMA before clipZipBelow: every row clipped
// by clipRow into ws.crow, then merged by emaStoredRow. It is the
// reference of TestClipRankEMAMatchesPrev.
func (ws *Workspace) clipRankEMAPrev(v *epochView, rate fixed.I32F32) (beyond bool) {
	n := v.n
	w := &ws.w
	ws.vt = grow(ws.vt, n)
	ws.inc = grow(ws.inc, n)
	ws.wcTidy = growBool(ws.wcTidy, n)
	ws.acc = grow(ws.acc, n)
	inc, vt, c, active := ws.inc, ws.vt, ws.cons, ws.active
	clear(inc)
	unitC, plain := clipModes(w, ws.wTidy, c, active)
	e := ws.emaStoredBegin(v, w.count(), rate)
	bonds := v.in.Bonds
	for i, r := range w.rows {
		tidy := unitC && ws.wTidy[i]
		ws.wcTidy[i] = tidy
		if len(r) == 0 && (i >= len(bonds) || len(bonds[i]) == 0) {
			vt[i] = zero
			ws.ema.end(i, len(ws.ema.buf))
			continue
		}
		if cap(ws.crow) < len(r) {
			ws.crow = make([]entry, len(r))
		}
		k, sum := clipRow(ws.crow[:len(r)], r, c, active[i], inc, tidy, plain)
		vt[i] = sum
		b, _ := ws.emaStoredRow(v, &e, i, ws.crow[:k:k], tidy)
		beyond = b || beyond
	}
	normalize(inc)
	return beyond
}

// clipZipCase is one row for clipZipBelow: drawClipRow's row, consensus,
// ranks and active stake, a stored bond row of the same length, a rate
// strictly between 0 and 1 and column sums so far (below 2^48).
type clipZipCase struct {
	row     []entry
	bonds   []Entry
	c, inc  []fixed.I32F32
	colSum  []fixed.I32F32
	a, al   uint64
	sameCol bool // the bond row was drawn on the row's columns
}

func drawClipZipCase(r bitSource) clipZipCase {
	row, c, inc, a := drawClipRow(r)
	z := clipZipCase{row: row, c: c, inc: inc, a: a, sameCol: r.IntN(4) != 0}
	for _, e := range row {
		j := e.j
		if !z.sameCol {
			j = uint16(r.IntN(len(c) + 2)) // another column, or beyond n
		}
		var x uint16
		switch r.IntN(6) {
		case 0: // 0: with a weight of 0, a cell of 0
		case 1:
			x = 65535
		default:
			x = uint16(r.IntN(65536))
		}
		z.bonds = append(z.bonds, Entry{UID: units.UID(j), Value: x})
	}
	switch r.IntN(5) {
	case 0:
		z.al = 1
	case 1:
		z.al = 1<<32 - 1
	default:
		z.al = 1 + uint64(r.IntN(1<<31))*2 + uint64(r.IntN(2))
	}
	z.colSum = make([]fixed.I32F32, len(c))
	for j := range z.colSum {
		z.colSum[j] = fixed.I32F32FromBits(int64(r.IntN(1<<31)) << uint(r.IntN(17)))
	}
	return z
}

// checkClipZip compares clipZipBelow with clipRankBelow, sameColumns and
// emaZipStored on z: the ranks and row sum always, and the weights saved
// into out; drop exactly when a cell's column has consensus 0 (so
// whenever the clipped row drops a cell), and then the clipped cells over
// the weight row and the column sums unchanged; bad
// exactly when it drops a cell, holds other columns than the bond row or
// gives an EMA cell of 0. When bad is 0, the EMA cells (written over the
// weight row) and the column sums; when bad is not 0 and no cell is
// dropped, subtracting the cells again restores the column sums.
func checkClipZip(t *testing.T, z *clipZipCase) {
	t.Helper()
	n := len(z.row)
	gotInc, wantInc := slices.Clone(z.inc), slices.Clone(z.inc)
	gotSum, wantSum := slices.Clone(z.colSum), slices.Clone(z.colSum)
	out, row := make([]entry, n), slices.Clone(z.row)
	rowSum, drop, bad := clipZipBelow(out, row, z.bonds, z.c, z.a, z.al, gotInc, gotSum)

	crow := make([]entry, n)
	k, ws := clipRankBelow(crow, z.row, z.c, z.a, wantInc)
	if rowSum != ws.Bits() || !slices.Equal(gotInc, wantInc) {
		t.Fatalf("case %+v: row sum %d ranks %v, want %d %v", z, rowSum, gotInc, ws.Bits(), wantInc)
	}
	for k := range out {
		if out[k].v != z.row[k].v {
			t.Fatalf("case %+v: saved weights %v, want %v", z, out, z.row)
		}
	}
	zeroC := false // a cell's column has consensus 0
	for _, e := range z.row {
		zeroC = zeroC || z.c[e.j].IsZero()
	}
	if (drop != 0) != zeroC || k < n && drop == 0 {
		t.Fatalf("case %+v: drop %d, want drop %v (kept %d of %d)", z, drop, zeroC, k, n)
	}
	if drop != 0 {
		// The clipped cells over the weight row.
		clipped := make([]entry, n)
		for k, e := range z.row {
			clipped[k] = entry{e.j, fixed.I32F32FromBits(min(e.v.Bits(), z.c[e.j].Bits()))}
		}
		if bad == 0 || !slices.Equal(row, clipped) || !slices.Equal(gotSum, z.colSum) {
			t.Fatalf("case %+v: a dropped cell: bad %d, row %v sums %v, want bad, %v %v", z, bad, row, gotSum, clipped, z.colSum)
		}
		return
	}
	fits := sameColumns(crow, z.bonds)
	var want []entry
	if fits {
		want = emaZipStored(nil, crow, z.bonds, z.al, wantSum)
	}
	wantBad := !fits || len(want) < n
	if (bad != 0) != wantBad {
		t.Fatalf("case %+v: bad %d, want bad %v (same columns %v, EMA %v)", z, bad, wantBad, fits, want)
	}
	if wantBad {
		for _, x := range row {
			gotSum[x.j] = fixed.I32F32FromBits(gotSum[x.j].Bits() - x.v.Bits())
		}
		if !slices.Equal(gotSum, z.colSum) {
			t.Fatalf("case %+v: column sums after the undo %v, want %v", z, gotSum, z.colSum)
		}
		return
	}
	if !slices.Equal(row, want) || !slices.Equal(gotSum, wantSum) {
		t.Fatalf("case %+v: EMA %v sums %v, want %v %v", z, row, gotSum, want, wantSum)
	}
}

// TestClipZipBelowMatchesUnfused: clipZipBelow gives clipRankBelow's
// ranks and row sum, and emaZipStored's cells and column sums, on random
// tidy rows whose bond rows hold the same columns or others, with
// dropped cells and cells of 0 among them.
func TestClipZipBelowMatchesUnfused(t *testing.T) {
	r := rand.New(rand.NewPCG(61, 3))
	bad := 0
	for range 5000 {
		z := drawClipZipCase(r)
		checkClipZip(t, &z)
		crow := make([]entry, len(z.row))
		if k, _ := clipRankBelow(crow, z.row, z.c, z.a, slices.Clone(z.inc)); k < len(z.row) || !sameColumns(crow, z.bonds) {
			bad++
		}
	}
	// Both outcomes must be exercised.
	if bad < 500 || bad > 4500 {
		t.Fatalf("%d of 5000 rows fall back", bad)
	}
}

// TestClipZipBelowEdgeCases: an empty row; a lone cell of 0 over a bond
// of 0 (an EMA cell of 0); a cell over consensus 0 (dropped); bonds on
// other columns; the largest cells at both extreme rates.
func TestClipZipBelowEdgeCases(t *testing.T) {
	top := fixed.I32F32FromBits(1<<32 - 1)
	for k, z := range []clipZipCase{
		{c: []fixed.I32F32{one}, inc: []fixed.I32F32{zero}, colSum: []fixed.I32F32{zero}, a: 1 << 31, al: 1 << 31},
		{row: []entry{{0, zero}}, bonds: []Entry{{0, 0}}, c: []fixed.I32F32{one}, inc: []fixed.I32F32{zero}, colSum: []fixed.I32F32{half}, a: 1 << 31, al: 1 << 31},
		{row: []entry{{0, half}, {1, half}}, bonds: []Entry{{0, 9}, {1, 9}}, c: []fixed.I32F32{one, zero}, inc: make([]fixed.I32F32, 2), colSum: make([]fixed.I32F32, 2), a: 1<<32 - 1, al: 1},
		{row: []entry{{0, half}, {1, half}}, bonds: []Entry{{1, 9}, {0, 9}}, c: []fixed.I32F32{one, one}, inc: make([]fixed.I32F32, 2), colSum: make([]fixed.I32F32, 2), a: 1<<32 - 1, al: 1},
		{row: []entry{{0, one}, {1, top}}, bonds: []Entry{{0, 65535}, {1, 65535}}, c: []fixed.I32F32{one, one}, inc: make([]fixed.I32F32, 2), colSum: []fixed.I32F32{fixed.I32F32FromBits(1 << 47), zero}, a: 1<<32 - 1, al: 1},
		{row: []entry{{0, one}, {1, top}}, bonds: []Entry{{0, 65535}, {1, 65535}}, c: []fixed.I32F32{one, one}, inc: make([]fixed.I32F32, 2), colSum: make([]fixed.I32F32, 2), a: 1<<32 - 1, al: 1<<32 - 1},
	} {
		t.Run(string(rune('a'+k)), func(t *testing.T) { checkClipZip(t, &z) })
	}
}

// FuzzClipZipBelow compares clipZipBelow with clipRankBelow, sameColumns
// and emaZipStored on rows drawn from the fuzz bytes.
func FuzzClipZipBelow(f *testing.F) {
	seedCorpus(f, 17)
	f.Fuzz(func(t *testing.T, b []byte) {
		z := drawClipZipCase(&byteSource{b})
		checkClipZip(t, &z)
	})
}

// TestClipRankEMAMatchesPrev: on the ledger's shape with edits that send
// rows off clipZipBelow's path (a bond row on other columns, one longer
// than its weights, a weight and a bond of 0 in one column giving an EMA
// cell of 0, a weight on a column no other validator weights, whose
// consensus is 0, and a stored bond row out of order, which takes the
// dense EMA and ends clipZipBelow for the rows after it), clipRankEMA
// leaves what clipRankEMAPrev and the unfused passes leave, and the epoch
// gives the reference's outputs.
func TestClipRankEMAMatchesPrev(t *testing.T) {
	edits := []func(in *Input){
		func(in *Input) {},
		func(in *Input) { in.Bonds[5][3].UID = in.Bonds[5][2].UID + 1 },
		func(in *Input) { in.Bonds[6] = append(slices.Clone(in.Bonds[6]), Entry{UID: 1, Value: 7}) },
		func(in *Input) {
			in.Weights[7] = slices.Clone(in.Weights[7])
			in.Weights[7][4].Value = 0
			in.Bonds[7][4].Value = 0
		},
		func(in *Input) {
			// uid 40 (a validator, weighted by none) takes the first
			// weight of a low-stake validator, and its bond: below kappa,
			// the column's consensus is 0, and the cell is dropped.
			in.Weights[60] = slices.Clone(in.Weights[60])
			in.Weights[60][0] = Entry{UID: 40, Value: 65535}
			in.Bonds[60][0].UID = 40
		},
		func(in *Input) { slices.Reverse(in.Bonds[2]) },
	}
	for k, edit := range edits {
		for seed := range uint64(2) {
			in := ledgerInputWith(t, seed+uint64(20*k), seed == 1)
			in.Bonds = slices.Clone(in.Bonds)
			for i := range in.Bonds {
				in.Bonds[i] = slices.Clone(in.Bonds[i])
			}
			edit(&in)
			var ws, prev Workspace
			if !checkClipRankEMA(t, &ws, &in) {
				t.Fatalf("edit %d seed %d: the epoch does not take clipRankEMA", k, seed)
			}
			v := newEpochView(&in)
			for _, w := range []*Workspace{&ws, &prev} {
				w.registrations(&v)
				w.stakeWeights(&v)
				w.validatorPermits(&v)
				w.activeStake(&v)
				w.readWeights(&v)
				w.consensus(&v)
			}
			rate, _ := ws.clippedStoredRate(&v)
			prev.clippedStoredRate(&v)
			got := snapshotEMA(&ws, v.n, ws.clipRankEMA(&v, rate))
			want := snapshotEMA(&prev, v.n, prev.clipRankEMAPrev(&v, rate))
			if !slices.Equal(got.inc, want.inc) || !slices.Equal(got.vt, want.vt) || !slices.Equal(got.acc, want.acc) ||
				!slices.Equal(got.wcTidy, want.wcTidy) || got.beyond != want.beyond {
				t.Fatalf("edit %d seed %d: clipRankEMA differs from clipRankEMAPrev", k, seed)
			}
			for i := range want.ema {
				if !slices.Equal(got.ema[i], want.ema[i]) {
					t.Fatalf("edit %d seed %d: EMA row %d %v, want %v", k, seed, i, got.ema[i], want.ema[i])
				}
			}
			var out Output
			if err := ws.Epoch(&in, &out); err != nil {
				t.Fatal(err)
			}
			ref, err := refEpoch(&in)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(out.Incentive, ref.Incentive) || !slices.Equal(out.Dividends, ref.Dividends) ||
				!slices.Equal(out.ValidatorTrust, ref.ValidatorTrust) || !slices.Equal(out.Emission, ref.Emission) {
				t.Fatalf("edit %d seed %d: outputs differ from the reference", k, seed)
			}
			for i := range ref.Bonds {
				if !slices.Equal(out.Bonds[i], ref.Bonds[i]) {
					t.Fatalf("edit %d seed %d: bonds of uid %d differ from the reference", k, seed, i)
				}
			}
		}
	}
}
