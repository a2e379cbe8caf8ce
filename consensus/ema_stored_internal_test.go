package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// The reference of emaStored is what it replaced, kept in epoch.go for the
// epochs it does not take: readBonds into ws.b, then emaSparseSums of the
// weights for bonds with it (emaBonds' mat_ema_sparse path).

// storedCase is one input of emaStored: the weights for bonds (from
// drawEmaCase, with their tidy marks), the stored Yuma 3 bond rows and
// registrations in in, and a rate in [0, 1].
type storedCase struct {
	in     Input
	wb     matrix
	wbTidy []bool
	rate   fixed.I32F32
}

// drawStoredCase draws stored bond rows that are mostly clean (ascending,
// below n), sometimes unsorted, with duplicates or (when beyond) cells at
// or beyond n, and registrations and a last step that mask some columns.
func drawStoredCase(r bitSource, beyond bool) storedCase {
	wb, _, wbTidy, _, _ := drawEmaCase(r)
	n := len(wb.rows)
	if wbTidy == nil {
		wbTidy = make([]bool, n)
	}
	c := storedCase{in: NewInput(uint16(n)), wb: wb, wbTidy: wbTidy}
	in := &c.in
	in.CurrentBlock = uint64(20 + r.IntN(40))
	in.Tempo = uint16(r.IntN(30))
	if r.IntN(3) > 0 {
		in.LastMechanismStepBlock = uint64(r.IntN(40))
	}
	for j := range in.BlockAtRegistration {
		in.BlockAtRegistration[j] = uint64(r.IntN(50))
		if r.IntN(3) > 0 {
			in.BlockAtRegistration[j] = 0
		}
	}
	value := func() uint16 {
		switch r.IntN(5) {
		case 0:
			return 0
		case 1:
			return 65535
		default:
			return uint16(r.IntN(65536))
		}
	}
	density := 1 + r.IntN(4)
	for i := range n {
		var row []Entry
		if r.IntN(5) == 0 {
			hi := n
			if beyond {
				hi = n + 2
			}
			for range r.IntN(n + 3) {
				row = append(row, Entry{units.UID(r.IntN(hi)), value()})
			}
		} else {
			for j := range n {
				if r.IntN(density) == 0 {
					row = append(row, Entry{units.UID(j), value()})
				}
			}
		}
		in.Bonds[i] = row
	}
	if r.IntN(6) == 0 {
		in.Bonds = in.Bonds[:r.IntN(n+1)] // short storage
	}
	switch r.IntN(4) {
	case 0:
		c.rate = zero
	case 1:
		c.rate = one
	default:
		c.rate = fixed.I32F32FromBits(int64(r.IntN(1<<31))*2 + int64(r.IntN(3))) // up to 2^32
	}
	return c
}

// checkStoredCase compares emaStored with readBonds and emaSparseSums.
func checkStoredCase(t *testing.T, c *storedCase) {
	t.Helper()
	var got, want Workspace
	for _, ws := range []*Workspace{&got, &want} {
		v := newEpochView(&c.in)
		ws.registrations(&v)
		ws.acc = grow(ws.acc, v.n)
		ws.row = grow(ws.row, v.n)
	}
	v := newEpochView(&c.in)
	wantBeyond := want.readBonds(&v)
	emaSparseSums(&want.ema, &c.wb, &want.b, c.wbTidy, want.bTidy, c.rate, want.row, want.acc)
	gotBeyond := got.emaStored(&v, &c.wb, c.wbTidy, c.rate)
	if gotBeyond != wantBeyond {
		t.Fatalf("beyond %v, readBonds %v\nbonds %v", gotBeyond, wantBeyond, c.in.Bonds)
	}
	if wantBeyond {
		return // the epoch returns Input.Validate's error
	}
	if !slices.Equal(got.acc, want.acc) {
		t.Fatalf("rate %v: column sums %v, want %v", c.rate, got.acc, want.acc)
	}
	for i := range want.ema.rows {
		if !slices.Equal(got.ema.rows[i], want.ema.rows[i]) {
			t.Fatalf("rate %v row %d: got %v, want %v\nweights %v (tidy %v)\nbonds %v\nreg %v",
				c.rate, i, got.ema.rows[i], want.ema.rows[i], c.wb.rows[i], c.wbTidy[i], c.in.Bonds, c.in.BlockAtRegistration)
		}
	}
}

// TestEmaStoredMatchesReadBonds: emaStored gives readBonds and
// emaSparseSums' EMA, column sums and beyond-N report on random inputs.
func TestEmaStoredMatchesReadBonds(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 2))
	count := 3000
	if testing.Short() {
		count = 300
	}
	for it := range count {
		c := drawStoredCase(r, it%4 == 0)
		checkStoredCase(t, &c)
	}
}

// TestEmaStoredEdgeCases: constructed rows around the mask and the merge.
func TestEmaStoredEdgeCases(t *testing.T) {
	q := func(x int64) fixed.I32F32 { return fixed.I32F32FromBits(x << 30) } // x quarters
	build := func(rows ...[]entry) matrix {
		var m matrix
		m.begin(len(rows), 0)
		for i, r := range rows {
			start := len(m.buf)
			m.buf = append(m.buf, r...)
			m.end(i, start)
		}
		return m
	}
	base := func() storedCase {
		c := storedCase{in: NewInput(3), rate: q(1), wbTidy: []bool{true, true, true}}
		c.in.CurrentBlock, c.in.Tempo, c.in.LastMechanismStepBlock = 100, 10, 90
		c.wb = build([]entry{{0, q(1)}, {2, q(3)}}, nil, []entry{{1, q(4)}})
		c.in.Bonds = [][]Entry{{{0, 65535}, {1, 7}, {2, 0}}, {{1, 100}}, nil}
		return c
	}
	cases := map[string]func(c *storedCase){
		"plain":                 func(*storedCase) {},
		"every column masked":   func(c *storedCase) { c.in.BlockAtRegistration = []uint64{91, 95, 100} },
		"mask at last tempo":    func(c *storedCase) { c.in.BlockAtRegistration = []uint64{91, 90, 0} },
		"rate 0":                func(c *storedCase) { c.rate = zero },
		"rate 1":                func(c *storedCase) { c.rate = one },
		"unsorted bond row":     func(c *storedCase) { c.in.Bonds[0] = []Entry{{2, 9}, {0, 65535}} },
		"duplicate bond column": func(c *storedCase) { c.in.Bonds[0] = []Entry{{0, 9}, {0, 65535}} },
		"bond beyond n":         func(c *storedCase) { c.in.Bonds[1] = []Entry{{1, 9}, {3, 1}} },
		"untidy weights row":    func(c *storedCase) { c.wbTidy[0] = false },
		"missing bond rows":     func(c *storedCase) { c.in.Bonds = c.in.Bonds[:1] },
		"no step yet":           func(c *storedCase) { c.in.LastMechanismStepBlock = 0; c.in.BlockAtRegistration = []uint64{89, 90, 91} },
		"same columns":          func(c *storedCase) { c.in.Bonds[0] = []Entry{{0, 9}, {2, 65535}} },
		"same columns masked": func(c *storedCase) {
			c.in.Bonds[0] = []Entry{{0, 9}, {2, 65535}}
			c.in.BlockAtRegistration = []uint64{0, 0, 95}
		},
		"same columns zero cell": func(c *storedCase) {
			c.wb = build([]entry{{0, zero}, {2, q(3)}}, nil, []entry{{1, q(4)}})
			c.in.Bonds[0] = []Entry{{0, 0}, {2, 65535}}
		},
		"same columns rate 0": func(c *storedCase) { c.in.Bonds[0] = []Entry{{0, 0}, {2, 65535}}; c.rate = zero },
		"same columns rate 1": func(c *storedCase) { c.in.Bonds[0] = []Entry{{0, 9}, {2, 0}}; c.rate = one },
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			c := base()
			edit(&c)
			checkStoredCase(t, &c)
		})
	}
}

// FuzzEmaStored compares emaStored with readBonds and emaSparseSums on
// inputs drawn from the fuzz bytes.
func FuzzEmaStored(f *testing.F) {
	f.Add([]byte{}, false)
	r := rand.New(rand.NewPCG(3, 3))
	for i := range 8 {
		b := make([]byte, 2048)
		for k := range b {
			b[k] = byte(r.UintN(256))
		}
		f.Add(b, i%2 == 0)
	}
	f.Fuzz(func(t *testing.T, b []byte, beyond bool) {
		c := drawStoredCase(&byteSource{b}, beyond)
		checkStoredCase(t, &c)
	})
}
