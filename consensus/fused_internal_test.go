package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// The reference of appendOpenKeyed is the sequence it fuses, as
// readWeights ran it before: appendWeightsOpen, normalizeWeights and
// bucketRow. The reference of clipRankEMA is clipRanks, weightsForBonds and
// emaStored, which the epochs clippedStoredRate refuses still take.

// appendOpenKeyed is keyRows.run's step for one row: its tests
// (openTaken and holds), then the row written, normalised and bucketed
// by keyCells; it reports ok = false, having written nothing, for a row
// they refuse. readWeights called it so before keyRows.run. Its reference
// is the sequence it fuses (see above).
func appendOpenKeyed(buf []entry, row []Entry, n, self int, keys []uint64, next []int, st uint64) (_ []entry, or uint64, ok bool) {
	total, order := openTotal(row)
	if !openTaken(row, total, order, n) || holds(row, self) {
		return buf, 0, false
	}
	start := len(buf)
	buf = slices.Grow(buf, len(row))
	s := medianScratch{keys: keys, next: next} // the aligned medians off: bucketRow
	or = keyCells(buf[start:start+len(row)], row, fixed.NewU16Divisor(total), &s, st, 0)
	return buf[:start+len(row)], or, true
}

// keyState is a medianPacked bucketing in progress: keys with room for
// rows+1 keys a column and next per column, after some rows' keys.
type keyState struct {
	keys   []uint64
	next   []int
	stride int
}

// newKeyState draws a bucketing of n columns with room for rows keys a
// column, of which up to rows−1 are taken already by earlier rows.
func newKeyState(r bitSource, n, rows int) keyState {
	s := keyState{keys: make([]uint64, n*(rows+1)), next: make([]int, n), stride: rows + 1}
	for j := range s.next {
		s.next[j] = j * s.stride
		for range r.IntN(rows) {
			s.keys[s.next[j]] = uint64(r.IntN(1<<31))<<32 | uint64(r.IntN(1<<31))
			s.next[j]++
		}
	}
	return s
}

func (s keyState) clone() keyState {
	return keyState{slices.Clone(s.keys), slices.Clone(s.next), s.stride}
}

// column is column j's counted keys.
func (s keyState) column(j int) []uint64 { return s.keys[j*s.stride : s.next[j]] }

// checkOpenKeyed runs appendOpenKeyed on row (after existing cells) and
// compares it with appendWeightsOpen, normalizeWeights and bucketRow.
func checkOpenKeyed(t *testing.T, r bitSource, row []Entry, n, self int) {
	t.Helper()
	st := uint64(r.IntN(1 << 31))
	ks := newKeyState(r, n, 4)
	want := ks.clone()
	prefix := []entry{{1, one}, {2, half}}
	got, gotOr, ok := appendOpenKeyed(slices.Clone(prefix), row, n, self, ks.keys, ks.next, st)
	ref, total, refTidy, refOK := appendWeightsOpen(slices.Clone(prefix), row, n, self)
	if !ok {
		// Declined: the rows appendWeightsOpen declines, those whose
		// columns do not strictly ascend, and the totals normalizeWeights
		// takes elsewhere; nothing written.
		declined := !refOK || !refTidy || total == 0 || total >= 1<<31
		if !declined || !slices.Equal(got, prefix) || gotOr != 0 || !slices.Equal(ks.next, want.next) || !slices.Equal(ks.keys, want.keys) {
			t.Fatalf("row %v n %d self %d: declined (reference declines %v, total %d), buf %v, or %#x", row, n, self, declined, total, got, gotOr)
		}
		return
	}
	if !refOK {
		t.Fatalf("row %v n %d self %d: taken, but appendWeightsOpen declines it", row, n, self)
	}
	if refTidy = normalizeWeights(ref[len(prefix):], total) && refTidy; !refTidy {
		t.Fatalf("row %v n %d self %d: taken, but the unfused row is not tidy", row, n, self)
	}
	refOr := bucketRow(want.keys, want.next, ref[len(prefix):], st)
	if !slices.Equal(got, ref) || gotOr != refOr || !slices.Equal(ks.next, want.next) {
		t.Fatalf("row %v n %d self %d:\ngot %v or %#x next %v\nwant %v or %#x next %v",
			row, n, self, got, gotOr, ks.next, ref, refOr, want.next)
	}
	for j := range n {
		if !slices.Equal(ks.column(j), want.column(j)) {
			t.Fatalf("row %v n %d self %d: column %d keys %#x, want %#x", row, n, self, j, ks.column(j), want.column(j))
		}
	}
}

// TestAppendOpenKeyedMatchesUnfused: on rows of every shape (drawOpenRow:
// sorted or not, duplicates, the self column, columns beyond n, zeros),
// appendOpenKeyed gives the cells, tidiness, keys and OR of the passes it
// fuses, or declines exactly the rows they take otherwise.
func TestAppendOpenKeyedMatchesUnfused(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 3))
	for range 20000 {
		row, reg, self, _, _ := drawOpenRow(r)
		checkOpenKeyed(t, r, row, len(reg), self)
	}
}

// TestAppendOpenKeyedEdgeCases: a row of zeros (total 0), a row with one
// non-zero cell (a score of 1: the OR reaches 2^32), zero cells among
// non-zero ones (no key), and a total of exactly 2^31 − 1 and 2^31 (the
// latter declined).
func TestAppendOpenKeyedEdgeCases(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 4))
	rows := [][]Entry{
		{{0, 0}, {3, 0}},
		{{1, 0}, {2, 77}, {5, 0}},
		{{0, 1}, {1, 0}, {2, 65535}, {4, 0}, {6, 3}},
		{{0, 65535}, {1, 65535}},
		{},
	}
	for _, row := range rows {
		checkOpenKeyed(t, r, row, 8, -1)
		checkOpenKeyed(t, r, row, 8, 2)
	}
	// 32768 cells: a total of 2^31 − 1 (taken) and 2^31 (declined).
	const cells = 1 << 15
	long := make([]Entry, cells)
	for j := range long {
		long[j] = Entry{units.UID(j), 65535}
	}
	long[0].Value = 65535 - cells + 1 // total 2^31 − 1
	checkOpenKeyed(t, r, long, cells, -1)
	long[0].Value = 65535 - cells + 2 // total 2^31
	checkOpenKeyed(t, r, long, cells, -1)
}

// FuzzAppendOpenKeyed compares appendOpenKeyed with the passes it fuses
// on rows drawn from the fuzz bytes.
func FuzzAppendOpenKeyed(f *testing.F) {
	f.Add([]byte{})
	r := rand.New(rand.NewPCG(14, 5))
	for range 8 {
		b := make([]byte, 512)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		src := &byteSource{b}
		row, reg, self, _, _ := drawOpenRow(src)
		checkOpenKeyed(t, src, row, len(reg), self)
	})
}

// emaSnapshot is what clipRankEMA and its unfused passes leave for the
// rest of the epoch.
type emaSnapshot struct {
	inc, vt, acc []fixed.I32F32
	wcTidy       []bool
	ema          [][]entry
	beyond       bool
}

func snapshotEMA(ws *Workspace, n int, beyond bool) emaSnapshot {
	s := emaSnapshot{
		inc: slices.Clone(ws.inc[:n]), vt: slices.Clone(ws.vt[:n]), acc: slices.Clone(ws.acc[:n]),
		wcTidy: slices.Clone(ws.wcTidy[:n]), beyond: beyond,
	}
	for _, r := range ws.ema.rows[:n] {
		s.ema = append(s.ema, slices.Clone(r))
	}
	return s
}

// checkClipRankEMA runs the epoch up to the consensus on in and, where
// clippedStoredRate admits it, compares clipRankEMA with clipRanks,
// weightsForBonds and emaStored. It reports whether it was admitted.
func checkClipRankEMA(t interface {
	Helper()
	Fatalf(string, ...any)
}, ws *Workspace, in *Input) bool {
	t.Helper()
	if in.validateHead() != nil {
		return false
	}
	v := newEpochView(in)
	ws.registrations(&v)
	ws.stakeWeights(&v)
	ws.validatorPermits(&v)
	ws.activeStake(&v)
	ws.readWeights(&v)
	ws.consensus(&v)
	rate, ok := ws.clippedStoredRate(&v)
	if !ok {
		return false
	}
	ws.clipRanks(&v)
	wb, wbTidy := ws.weightsForBonds(&v)
	if wb != &ws.wc {
		t.Fatalf("clippedStoredRate admitted an epoch whose weights for bonds are not the clipped weights")
	}
	want := snapshotEMA(ws, v.n, ws.emaStored(&v, wb, wbTidy, rate))
	// Scramble what clipRankEMA must rewrite.
	for i := range ws.inc {
		ws.inc[i], ws.vt[i], ws.acc[i] = one, one, one
		ws.wcTidy[i] = !ws.wcTidy[i]
	}
	got := snapshotEMA(ws, v.n, ws.clipRankEMA(&v, rate))
	switch {
	case got.beyond != want.beyond:
		t.Fatalf("beyond %v, unfused %v", got.beyond, want.beyond)
	case !slices.Equal(got.inc, want.inc):
		t.Fatalf("incentive %v, unfused %v", got.inc, want.inc)
	case !slices.Equal(got.vt, want.vt):
		t.Fatalf("trust %v, unfused %v", got.vt, want.vt)
	case !slices.Equal(got.acc, want.acc):
		t.Fatalf("EMA column sums %v, unfused %v", got.acc, want.acc)
	case !slices.Equal(got.wcTidy, want.wcTidy):
		t.Fatalf("clipped tidy rows %v, unfused %v", got.wcTidy, want.wcTidy)
	}
	for i := range want.ema {
		if !slices.Equal(got.ema[i], want.ema[i]) {
			t.Fatalf("EMA row %d %v, unfused %v", i, got.ema[i], want.ema[i])
		}
	}
	return true
}

// TestClipRankEMAMatchesUnfused: on inputs of every shape (drawInput,
// drawLargeInput) made to take the clipped weights for bonds with Yuma 3,
// and on the ledger's shape, clipRankEMA leaves the ranks, trust, clipped
// rows' tidiness, EMA and its column sums that the unfused passes leave.
func TestClipRankEMAMatchesUnfused(t *testing.T) {
	var ws Workspace
	drawn, admitted := 0, 0
	for _, draw := range []func(*rapid.T) Input{drawInput, drawLargeInput} {
		rapid.Check(t, func(t *rapid.T) {
			drawn++
			in := draw(t)
			in.BondsPenalty, in.Yuma3 = 65535, true
			if rapid.Bool().Draw(t, "nola") {
				in.LiquidAlpha = false
			}
			if checkClipRankEMA(t, &ws, &in) {
				admitted++
			}
		})
	}
	for seed := range uint64(4) {
		in := ledgerInputWith(t, seed, seed%2 == 1)
		if !checkClipRankEMA(t, &ws, &in) {
			t.Fatalf("seed %d: the ledger's epoch does not take clipRankEMA", seed)
		}
	}
	// A quarter at least, so that -short's fewer draws test the fused
	// path too.
	if admitted < 10 || 4*admitted < drawn {
		t.Fatalf("only %d of %d drawn inputs took clipRankEMA", admitted, drawn)
	}
}

// TestEpochLedgerUntidyRows: on the ledger's shape with rows of positive
// stake that are not tidy (a column repeated more often than there are
// validators, in the last column, whose keys end the bucketing's buffer;
// an unsorted row; a row masked by a registration), the epoch gives the
// reference's outputs: readWeights stops bucketing at the first untidy
// row, and the medians take medianDense.
func TestEpochLedgerUntidyRows(t *testing.T) {
	for k, edit := range []func(in *Input){
		func(in *Input) {
			for range 100 {
				in.Weights[3] = append(in.Weights[3], Entry{UID: units.UID(in.N - 1), Value: 9})
			}
		},
		func(in *Input) { slices.Reverse(in.Weights[7]) },
		func(in *Input) { in.BlockAtRegistration[in.Weights[9][0].UID] = in.CurrentBlock - 1 },
	} {
		in := ledgerInput(t, uint64(10+k))
		edit(&in)
		var ws Workspace
		var out Output
		if err := ws.Epoch(&in, &out); err != nil {
			t.Fatal(err)
		}
		want, err := refEpoch(&in)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(out.Consensus, want.Consensus) || !slices.Equal(out.Incentive, want.Incentive) ||
			!slices.Equal(out.Dividends, want.Dividends) || !slices.Equal(out.ValidatorTrust, want.ValidatorTrust) ||
			!slices.Equal(out.Emission, want.Emission) {
			t.Fatalf("edit %d: outputs differ from the reference", k)
		}
		for i := range want.Bonds {
			if !slices.Equal(out.Bonds[i], want.Bonds[i]) {
				t.Fatalf("edit %d: bonds of uid %d differ from the reference", k, i)
			}
		}
	}
}

// TestHolds: holds finds a column in an ascending row at either end and
// inside, and not between, beyond or below the row's columns, for a
// negative self or in an empty row.
func TestHolds(t *testing.T) {
	row := []Entry{{UID: 2}, {UID: 5}, {UID: 9}, {UID: 10}, {UID: 40}}
	for self, want := range map[int]bool{2: true, 5: true, 9: true, 10: true, 40: true, 0: false, 3: false, 11: false, 41: false, -1: false} {
		if got := holds(row, self); got != want {
			t.Fatalf("holds(%v, %d) = %v, want %v", row, self, got, want)
		}
		if holds(nil, self) || holds(row[:0], self) {
			t.Fatalf("holds(empty, %d) = true", self)
		}
	}
}
