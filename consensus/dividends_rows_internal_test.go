package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// dividendsYuma3Prev is dividendsAndBonds' Yuma 3 branch before
// dividendsYuma3: sizeBonds over every uid's row first, every column's
// divTerm (divTermsPrev), and CheckedMul for the product with the
// active stake.
func (ws *Workspace) dividendsYuma3Prev(n int, out *Output) {
	ws.div = grow(ws.div, n) // as dividendsAndBonds
	inc, div, ema := ws.inc, ws.div, &ws.ema
	sizeBonds(out, ema, ws.permitNew, ws.emaCells)
	var top uint64
	for _, x := range inc {
		top = max(top, uint64(x.Bits()))
	}
	unitInc, belowInc := top <= 1<<32, top < 1<<32
	if belowInc {
		ws.terms = grow(ws.terms, n)
		divTermsPrev(ws.terms, ws.acc[:n], inc)
	} else if unitInc {
		ws.divisors = grow(ws.divisors, n)
		for j, s := range ws.acc {
			if !s.IsZero() {
				ws.divisors[j] = fixed.NewUint64Divisor(uint64(s.Bits()))
			}
		}
	}
	clear(div)
	s := zero
	for _, i32 := range ws.live {
		i := int(i32)
		r := ema.rows[i]
		if len(r) == 0 {
			continue
		}
		var t fixed.I32F32
		switch {
		case belowInc:
			t = dividendRowBelow(out.Bonds[i], r, ws.acc, ws.terms)
		case unitInc:
			t = dividendRowUnit(out.Bonds[i], r, ws.acc, inc, ws.divisors)
		default:
			t = dividendRow(out.Bonds[i], r, ws.acc, inc)
		}
		d, ok := t.CheckedMul(ws.active[i])
		if !ok {
			d = zero
		}
		div[i] = d
		s = s.Add(d)
	}
	normalizeAt(div, ws.live, s)
	ws.divLive = true
}

// divTermsPrev is divTerms writing every column's term.
func divTermsPrev(terms []divTerm, colSum, inc []fixed.I32F32) {
	inc = inc[:len(colSum)]
	terms = terms[:len(colSum)]
	for j, s := range colSum {
		terms[j] = divTerm{fixed.NewUint64Divisor(uint64(s.Bits())), uint64(inc[j].Bits())}
	}
}

// dividendsCase is one state of the workspace as dividendsYuma3 finds it:
// the EMA rows of the listed uids (tidy, positive cells, the others'
// rows empty), their saturating column sums, the incentive, the active
// stake and the new permits, and the Output's rows before the call.
type dividendsCase struct {
	n                 int
	live              []int32
	rows              [][]entry
	acc, inc, active  []fixed.I32F32
	permit            []bool
	before            [][]Entry // out.Bonds before the call (nil: a fresh Output)
	bufCap, termsJunk int
}

// drawDividendsCase draws a dividendsCase with the edges of each test
// of dividendsYuma3: empty listed rows, rows without a permit, cells of 1
// and more, incentives of exactly 1 and above it (the kernels' three
// cases), active stakes of 0, 1 − 2^−32, 1 and above, and prior rows
// that are nil, empty with room, or hold cells, on listed uids or not.
func drawDividendsCase(r bitSource) dividendsCase {
	n := 1 + r.IntN(20)
	if r.IntN(6) == 0 {
		n = 1 + r.IntN(300)
	}
	c := dividendsCase{n: n, rows: make([][]entry, n)}
	c.acc = make([]fixed.I32F32, n)
	for i := range n {
		if r.IntN(3) == 0 {
			continue
		}
		c.live = append(c.live, int32(i))
		if r.IntN(6) == 0 {
			continue // a listed uid with an empty EMA row
		}
		var row []entry
		for j := range n {
			if r.IntN(3) != 0 {
				continue
			}
			v := uint64(1 + r.IntN(1<<31))
			switch r.IntN(16) {
			case 0:
				v = 1 << 32
			case 1:
				v = 1<<32 + uint64(r.IntN(1<<20))
			case 2:
				v = 1<<32 - 1
			case 3:
				v = 1
			}
			row = append(row, entry{uint16(j), fixed.I32F32FromBits(int64(v))})
			c.acc[j] = c.acc[j].SaturatingAdd(fixed.I32F32FromBits(int64(v)))
		}
		c.rows[i] = row
	}
	mode := r.IntN(4) // 0, 1: incentives below 1; 2: some of 1; 3: some above 1 or negative
	c.inc = make([]fixed.I32F32, n)
	c.active = make([]fixed.I32F32, n)
	c.permit = make([]bool, n)
	for j := range n {
		x := int64(r.IntN(1 << 31))
		switch {
		case mode == 2 && r.IntN(3) == 0:
			x = 1 << 32
		case mode == 3 && r.IntN(3) == 0:
			x = int64(1<<32 + r.IntN(1<<20))
			if r.IntN(2) == 0 {
				x = -x
			}
		}
		c.inc[j] = fixed.I32F32FromBits(x)
		a := int64(r.IntN(1<<31))<<1 | int64(r.IntN(2)) // below 2^32 (IntN of a byteSource takes a 32-bit n)
		switch r.IntN(8) {
		case 0:
			a = 0
		case 1:
			a = 1 << 32
		case 2:
			a = 1<<32 - 1
		case 3:
			a = int64(1<<32 + r.IntN(1<<30))
		}
		c.active[j] = fixed.I32F32FromBits(a)
		c.permit[j] = r.IntN(4) != 0
	}
	if r.IntN(4) != 0 {
		rows := n
		if r.IntN(4) == 0 {
			rows = r.IntN(n + 1)
		}
		c.before = make([][]Entry, rows)
		for i := range c.before {
			switch r.IntN(4) {
			case 0: // nil
			case 1:
				c.before[i] = make([]Entry, 0, 1+r.IntN(3))
			case 2:
				c.before[i] = make([]Entry, 1+r.IntN(3))
			default:
				c.before[i] = []Entry{}
			}
		}
	}
	c.bufCap = r.IntN(2 * n)
	c.termsJunk = r.IntN(2)
	return c
}

// load sets ws and out to the case's state.
func (c *dividendsCase) load(ws *Workspace, out *Output) {
	n := c.n
	ws.ema.begin(n, 0)
	cells := 0
	for i, r := range c.rows {
		ws.ema.rows[i] = slices.Clone(r)
		cells += len(r)
	}
	ws.emaCells = cells
	ws.live = slices.Clone(c.live)
	ws.acc, ws.inc, ws.active = slices.Clone(c.acc), slices.Clone(c.inc), slices.Clone(c.active)
	ws.permitNew = slices.Clone(c.permit)
	ws.div = make([]fixed.I32F32, n)
	for j := range ws.div {
		ws.div[j] = fixed.I32F32FromBits(int64(j) + 77) // overwritten
	}
	if c.termsJunk != 0 {
		ws.terms = make([]divTerm, n)
		for j := range ws.terms {
			ws.terms[j] = divTerm{fixed.NewUint64Divisor(uint64(j) + 3), uint64(j) << 20}
		}
	}
	*out = Output{}
	if c.before != nil {
		out.Bonds = make([][]Entry, len(c.before))
		for i, r := range c.before {
			if r != nil {
				out.Bonds[i] = append(make([]Entry, 0, cap(r)), r...)
			}
		}
		out.bondBuf = make([]Entry, c.bufCap)
	}
}

// checkDividendsCase runs dividendsYuma3 and dividendsYuma3Prev on the
// case and compares the dividends, the bond rows (their cells, and
// whether each is nil) and the bond buffer's length.
func checkDividendsCase(t *testing.T, c *dividendsCase) {
	t.Helper()
	var ws, prev Workspace
	var got, want Output
	c.load(&ws, &got)
	c.load(&prev, &want)
	ws.dividendsYuma3(c.n, &got)
	prev.dividendsYuma3Prev(c.n, &want)
	if !slices.Equal(ws.div, prev.div) || !ws.divLive {
		t.Fatalf("n %d: dividends %v, want %v", c.n, ws.div, prev.div)
	}
	if len(got.Bonds) != len(want.Bonds) || len(got.bondBuf) != len(want.bondBuf) {
		t.Fatalf("n %d: %d bond rows (buffer %d), want %d (%d)", c.n, len(got.Bonds), len(got.bondBuf), len(want.Bonds), len(want.bondBuf))
	}
	for i := range want.Bonds {
		g, w := got.Bonds[i], want.Bonds[i]
		if !slices.Equal(g, w) || (g == nil) != (w == nil) || (len(w) == 0 && cap(g) != cap(w)) {
			t.Fatalf("n %d: bond row %d %v (cap %d), want %v (cap %d)", c.n, i, g, cap(g), w, cap(w))
		}
	}
}

// TestDividendsYuma3MatchesPrev: on random workspace states and the
// ledger's epochs, dividendsYuma3 leaves what dividendsYuma3Prev leaves.
func TestDividendsYuma3MatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 5))
	for range 3000 {
		c := drawDividendsCase(r)
		checkDividendsCase(t, &c)
	}
	// The ledger's shape, through whole epochs: every row on the fast
	// kernels, carried across epochs in one Output (its rows reused).
	for seed := range uint64(4) {
		in := ledgerInputWith(t, seed, seed >= 2)
		var ws, prev Workspace
		var got, want Output
		for k := range 2 {
			if err := ws.Epoch(&in, &got); err != nil {
				t.Fatal(err)
			}
			v := newEpochView(&in)
			prev.registrations(&v)
			prev.stakeWeights(&v)
			prev.validatorPermits(&v)
			prev.activeStake(&v)
			prev.readWeights(&v)
			prev.consensus(&v)
			rate, _ := prev.clippedStoredRate(&v)
			prev.clipRankEMA(&v, rate)
			prev.dividendsYuma3Prev(v.n, &want)
			if !slices.Equal(ws.div[:v.n], prev.div[:v.n]) {
				t.Fatalf("seed %d epoch %d: dividends differ", seed, k)
			}
			for i := range want.Bonds {
				if !slices.Equal(got.Bonds[i], want.Bonds[i]) {
					t.Fatalf("seed %d epoch %d: bond row %d differs", seed, k, i)
				}
			}
			in.Bonds = make([][]Entry, len(got.Bonds)) // no memory shared with got
			for i, r := range got.Bonds {
				in.Bonds[i] = slices.Clone(r)
			}
			in.CurrentBlock += 360
		}
	}
}

// FuzzDividendsYuma3 compares dividendsYuma3 with dividendsYuma3Prev on
// workspace states drawn from the fuzzer's bytes.
func FuzzDividendsYuma3(f *testing.F) {
	seedCorpus(f, 41)
	f.Fuzz(func(t *testing.T, b []byte) {
		c := drawDividendsCase(&byteSource{b})
		checkDividendsCase(t, &c)
	})
}
