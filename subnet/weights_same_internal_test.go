package subnet

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
)

// refSetWeightsRow is setWeights without the same-uids path: checkCall,
// then checkRow (duplicates, range, length, the largest value) and
// storeRow, whatever the stored row holds. It is the reference the
// same-uids path (sameUIDs, checkSameRow, storeValues) must agree with.
func refSetWeightsRow(s *WeightState, env *WeightEnv, who WeightCaller, mech uint8, uids, values []uint16, versionKey uint64) error {
	old := s.storedRowOf(mech, who.UID)
	if err := s.checkCall(env, who, mech, uids, values, versionKey); err != nil {
		return err
	}
	mx, err := checkRow(env, who.UID, uids, values)
	if err != nil {
		return err
	}
	s.storeRow(env, who.UID, mech, old, uids, values, mx)
	return nil
}

// sameCase is one set_weights call on a WeightState whose caller (uid
// who) stores row: a row of distinct uids, as every stored row is.
type sameCase struct {
	n        uint16 // env.N
	minW     uint16 // MinAllowedWeights
	who      units.UID
	row      []consensus.Entry
	uids     []uint16
	values   []uint16
	commitOn bool // CommitRevealWeightsEnabled (reveals store with it on)
}

// checkSameCase fails tb unless setWeights and refSetWeightsRow return
// the same error and leave equal states, the caller's stored row
// entry for entry (with the ReplaceNeuron-style zero values left as
// they are) and LastUpdate alike.
func checkSameCase(tb testing.TB, c sameCase) {
	tb.Helper()
	h := DefaultHyperparameters()
	h.CommitRevealWeightsEnabled = c.commitOn
	h.WeightsSetRateLimit = 0
	h.MinAllowedWeights = c.minW
	permits := make([]bool, max(int(c.n), int(c.who)+1))
	for i := range permits {
		permits[i] = true
	}
	env := &WeightEnv{NetUID: 1, N: c.n, Block: 77, Hyper: h, ValidatorPermit: permits}
	var got WeightState
	m := got.mech(0)
	m.rows = make([][]consensus.Entry, int(c.who)+1)
	m.rows[c.who] = slices.Clone(c.row)
	m.lastUpdate = make([]uint64, c.n) // as registration pads it
	if c.who > 0 {
		m.rows[0] = []consensus.Entry{{UID: 0, Value: 9}} // another row, untouched
	}
	want := got.Clone()
	who := WeightCaller{Registered: true, UID: c.who}
	err := got.setWeights(env, who, 0, c.uids, c.values, 0)
	refErr := refSetWeightsRow(&want, env, who, 0, c.uids, c.values, 0)
	if err != refErr {
		tb.Fatalf("%+v: error %v, reference %v", c, err, refErr)
	}
	if !got.Equal(&want) {
		tb.Fatalf("%+v: row %v last %v, reference row %v last %v", c,
			got.Row(0, c.who), got.LastUpdate(0), want.Row(0, c.who), want.LastUpdate(0))
	}
}

// distinctUIDs returns k distinct uids below span (k ≤ span), in random
// order.
func distinctUIDs(r *rand.Rand, k, span int) []uint16 {
	out := make([]uint16, 0, k)
	seen := map[uint16]bool{}
	for len(out) < k {
		if u := uint16(r.IntN(span)); !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}

// randomValues returns k values whose largest falls in the scale the
// draw picks: all zero, at most 32768 (the divisor), above 32768 (the
// factor), or anywhere.
func randomValues(r *rand.Rand, k int) []uint16 {
	v := make([]uint16, k)
	top := []uint32{1, 32769, 65536, 3}[r.IntN(4)]
	for i := range v {
		switch top {
		case 1:
			v[i] = 0
		case 32769:
			v[i] = uint16(r.UintN(32769))
		case 65536:
			v[i] = uint16(32769 + r.UintN(65536-32769))
		default:
			v[i] = uint16(r.UintN(65536))
		}
	}
	return v
}

// The same-uids path of setWeights returns the errors and stores the
// rows of the general path (refSetWeightsRow) on random calls that list
// the stored row's uids, or nearly (one uid changed: to another uid, to
// a duplicate of one listed, to one at or above N), with N below the
// row's largest uid or above it, MinAllowedWeights above or below the
// row's length, every scale of values, rows of every length mod 4, and
// on constructed edges: a self weight, a one-entry row, a row whose
// values ReplaceNeuron zeroed, uids that differ only in the tail after
// the groups of four.
func TestSetWeightsSameUIDsMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 4))
	entries := func(uids, values []uint16) []consensus.Entry {
		row := make([]consensus.Entry, len(uids))
		for i := range uids {
			row[i] = consensus.Entry{UID: units.UID(uids[i]), Value: values[i]}
		}
		return row
	}
	for _, c := range []sameCase{
		{n: 8, who: 3, row: entries([]uint16{3}, []uint16{5}), uids: []uint16{3}, values: []uint16{1}, minW: 4},
		{n: 8, who: 3, row: entries([]uint16{5}, []uint16{5}), uids: []uint16{5}, values: []uint16{7}, minW: 4},
		{n: 8, who: 3, row: entries([]uint16{5}, []uint16{5}), uids: []uint16{5}, values: []uint16{7}, minW: 1},
		{n: 8, who: 0, row: entries([]uint16{1, 2, 3, 4, 5}, []uint16{0, 0, 0, 0, 0}), uids: []uint16{1, 2, 3, 4, 5}, values: []uint16{1, 2, 3, 4, 5}},
		{n: 8, who: 0, row: entries([]uint16{1, 2, 3, 4, 5}, []uint16{1, 1, 1, 1, 1}), uids: []uint16{1, 2, 3, 4, 6}, values: []uint16{1, 2, 3, 4, 5}},
		{n: 5, who: 0, row: entries([]uint16{1, 2, 3, 4, 5}, []uint16{1, 1, 1, 1, 1}), uids: []uint16{1, 2, 3, 4, 5}, values: []uint16{1, 2, 3, 4, 5}},
		{n: 6, who: 0, row: entries([]uint16{1, 2, 4, 5}, []uint16{1, 1, 1, 1}), uids: []uint16{1, 2, 4, 5}, values: []uint16{65535, 0, 1, 32768}},
		{n: 6, who: 0, row: entries([]uint16{1, 2, 4, 5}, []uint16{1, 1, 1, 1}), uids: []uint16{1, 2, 4, 5}, values: []uint16{0, 0, 0, 0}},
		{n: 6, who: 0, row: entries([]uint16{1, 2, 4, 5}, []uint16{1, 1, 1, 1}), uids: []uint16{1, 2, 4, 5}, values: []uint16{32769, 0, 1, 2}},
		{n: 6, who: 0, row: entries([]uint16{1, 2, 4, 5}, []uint16{1, 1, 1, 1}), uids: []uint16{1, 2, 4, 5}, values: []uint16{3, 2}},
		{n: 6, who: 0, row: entries([]uint16{1, 2, 4, 5}, []uint16{1, 1, 1, 1}), uids: []uint16{1, 2, 4, 5}, values: []uint16{3, 2, 1, 1}, commitOn: true},
	} {
		checkSameCase(t, c)
	}
	rounds := 8000
	if testing.Short() {
		rounds = 2000
	}
	for range rounds {
		// The widest span pads LastUpdate to tens of thousands of
		// entries: drawn less often, so that the test stays quick.
		span := []int{8, 256, 256, 1024, 4096, 1 << 16}[r.IntN(6)]
		k := 1 + r.IntN(min(span, 45))
		uids := distinctUIDs(r, k, span)
		mxUID := slices.Max(uids)
		c := sameCase{
			who:    units.UID(r.IntN(8)),
			uids:   slices.Clone(uids),
			values: randomValues(r, k),
			minW:   uint16(r.IntN(2 * k)),
		}
		c.row = entries(uids, randomValues(r, k))
		switch r.IntN(4) {
		case 0:
			c.n = mxUID // the largest uid is out of range
		case 1:
			c.n = uint16(r.IntN(int(mxUID) + 1))
		default:
			c.n = uint16(min(int(mxUID)+1+r.IntN(10), 65535))
		}
		if r.IntN(3) == 0 {
			j := r.IntN(k)
			switch r.IntN(3) {
			case 0:
				c.uids[j] = uids[r.IntN(k)] // maybe a duplicate
			case 1:
				c.uids[j] = uint16(r.IntN(span))
			default:
				c.uids[j] = c.n // out of range
			}
		}
		if k == 1 && r.IntN(2) == 0 {
			c.row[0].UID, c.uids[0] = c.who, uint16(c.who) // a self weight
		}
		c.commitOn = r.IntN(8) == 0
		checkSameCase(t, c)
	}
}

// FuzzSetWeightsSameUIDs compares setWeights with refSetWeightsRow on
// any stored row (its uids made distinct) and a call that lists its
// uids, the first byte N's low byte and the second MinAllowedWeights,
// then per entry two bytes of uid, two of value; an odd entry count's
// last uid is replaced by a byte of the input, so calls that differ
// from the row are fuzzed too.
func FuzzSetWeightsSameUIDs(f *testing.F) {
	f.Add([]byte{9, 2, 1, 0, 5, 0, 2, 0, 7, 1})
	f.Add([]byte{3, 0, 1, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0})
	f.Add([]byte{0xff, 1, 0, 1, 0xff, 0xff, 1, 1, 0, 0x80, 2, 1, 1, 0x80, 3, 1, 0, 0, 9})
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) < 2 {
			return
		}
		n, minW := uint16(raw[0])+uint16(raw[0]&1)<<8, uint16(raw[1])
		raw = raw[2:]
		k := min(len(raw)/4, 300)
		var uids, values []uint16
		seen := map[uint16]bool{}
		for i := range k {
			u := uint16(raw[4*i]) | uint16(raw[4*i+1])<<8
			if seen[u] {
				continue
			}
			seen[u] = true
			uids = append(uids, u)
			values = append(values, uint16(raw[4*i+2])|uint16(raw[4*i+3])<<8)
		}
		if len(uids) == 0 {
			return
		}
		row := make([]consensus.Entry, len(uids))
		for i, u := range uids {
			row[i] = consensus.Entry{UID: units.UID(u), Value: values[len(values)-1-i]}
		}
		call := slices.Clone(uids)
		if len(raw)%2 == 1 {
			call[len(call)-1] = uint16(raw[len(raw)-1])
		}
		checkSameCase(t, sameCase{n: n, minW: minW, who: 1, row: row, uids: call, values: values})
	})
}

// The same-uids path allocates nothing: the row's room is reused in
// place.
func TestSetWeightsSameUIDsAllocs(t *testing.T) {
	h := DefaultHyperparameters()
	h.CommitRevealWeightsEnabled = false
	h.WeightsSetRateLimit = 0
	uids, values := make([]uint16, 32), make([]uint16, 32)
	for i := range uids {
		uids[i], values[i] = uint16(3*i), uint16(1000*i+7)
	}
	permits := slices.Repeat([]bool{true}, 256)
	env := &WeightEnv{NetUID: 1, N: 256, Block: 10, Hyper: h, ValidatorPermit: permits}
	var s WeightState
	who := WeightCaller{Registered: true, UID: 2}
	if err := s.setWeights(env, who, 0, uids, values, 0); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		env.Block++
		if err := s.setWeights(env, who, 0, uids, values, 0); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per call", allocs)
	}
	if got := s.LastUpdateFor(0, 2); got != env.Block {
		t.Fatalf("LastUpdate %d, want %d", got, env.Block)
	}
}
