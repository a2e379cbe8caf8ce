package dtao

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/units"
)

// lineCursorRef is the payouts' line cursor comparing whole hotkeys at
// every line: the reference of lineCursor.find.
type lineCursorRef struct {
	lines []emission.HotkeyEmission
	next  int
}

func (c *lineCursorRef) find(h units.AccountID) int {
	for c.next < len(c.lines) {
		switch cmp := units.CompareAccounts(&c.lines[c.next].Hotkey, &h); {
		case cmp < 0:
			c.next++
		case cmp == 0:
			return c.next
		default:
			return -1
		}
	}
	return -1
}

// cursorAccounts returns n distinct accounts in ascending order, many of
// them sharing their first 8 bytes (and some their first 16 or 24), so
// that the cursor's prefix walk meets equal prefixes.
func cursorAccounts(r *rand.Rand, n int) []units.AccountID {
	seen := map[units.AccountID]bool{}
	var out []units.AccountID
	for len(out) < n {
		var a units.AccountID
		for i := range a {
			a[i] = byte(r.IntN(256))
		}
		if len(out) > 0 && r.IntN(2) == 0 {
			// Share a prefix of 8, 16 or 24 bytes with an earlier one.
			b := out[r.IntN(len(out))]
			copy(a[:8*(1+r.IntN(3))], b[:])
		}
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(x, y units.AccountID) int { return units.CompareAccounts(&x, &y) })
	return out
}

// checkCursor runs the lists through a lineCursor and the reference,
// from the same lines, and fails on the first answer that differs.
func checkCursor(t *testing.T, lines []units.AccountID, lists [][]units.AccountID) {
	t.Helper()
	em := make([]emission.HotkeyEmission, len(lines))
	prefixes := make([]uint64, len(lines))
	uids := make([]units.UID, len(lines))
	states := make([]uidState, len(lines))
	for i := range lines {
		em[i].Hotkey = lines[i]
		prefixes[i] = accountPrefix(&lines[i])
		uids[i] = units.UID(len(lines) - 1 - i) // lines in another order than uids
		states[uids[i]].hotkey = lines[i]
	}
	c := lineCursor{lines: em, prefixes: prefixes, uids: uids, states: states}
	ref := lineCursorRef{lines: em}
	for _, list := range lists {
		c.reset()
		ref.next = 0
		for _, h := range list {
			got, want := c.find(&h), ref.find(h)
			switch {
			case want < 0 && got != nil:
				t.Fatalf("find(%x) = line of %x, the reference finds none", h, got.hotkey)
			case want >= 0 && (got == nil || got != &states[uids[want]]):
				t.Fatalf("find(%x) = %v, the reference finds line %d", h, got, want)
			}
		}
	}
}

// TestLineCursorMatchesFullCompare checks lineCursor.find, which walks
// the lines' prefixes and compares whole hotkeys only on equal prefixes,
// against the walk comparing whole hotkeys (lineCursorRef): random lines
// with shared prefixes, and lists in ascending order mixing lines,
// accounts without a line (between, before and after the lines, and
// sharing a line's prefix) and repeats; plus the edge cases of no lines
// and empty lists.
func TestLineCursorMatchesFullCompare(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 3))
	rounds := 400
	if testing.Short() {
		rounds = 100
	}
	checkCursor(t, nil, [][]units.AccountID{nil, {{}, {1}}})
	for range rounds {
		all := cursorAccounts(r, 1+r.IntN(80))
		var lines, others []units.AccountID
		for _, a := range all {
			if r.IntN(3) == 0 {
				others = append(others, a)
			} else {
				lines = append(lines, a)
			}
		}
		var lists [][]units.AccountID
		for range 3 {
			var list []units.AccountID
			for _, a := range all {
				if r.IntN(2) == 0 {
					list = append(list, a)
					if r.IntN(8) == 0 {
						list = append(list, a) // asked twice
					}
				}
			}
			lists = append(lists, list)
		}
		lists = append(lists, nil, others, lines)
		checkCursor(t, lines, lists)
	}
}

// FuzzLineCursor checks lineCursor.find against lineCursorRef on lines
// and lists drawn from the input: each account is a byte of the input
// spread over a prefix shared by all (so the prefixes tie) or not.
func FuzzLineCursor(f *testing.F) {
	f.Add([]byte{1, 5, 9, 200}, []byte{0, 5, 7, 9, 255}, false)
	f.Add([]byte{3, 3, 4}, []byte{3, 4, 4}, true)
	f.Fuzz(func(t *testing.T, lineBytes, listBytes []byte, tie bool) {
		if len(lineBytes) > 64 || len(listBytes) > 64 {
			return
		}
		account := func(b byte) units.AccountID {
			var a units.AccountID
			if tie {
				a[31] = b
			} else {
				a[0], a[9], a[31] = b, b>>4, b
			}
			return a
		}
		var lines []units.AccountID
		for _, b := range lineBytes {
			lines = append(lines, account(b))
		}
		cmp := func(x, y units.AccountID) int { return units.CompareAccounts(&x, &y) }
		slices.SortFunc(lines, cmp)
		lines = slices.Compact(lines)
		var list []units.AccountID
		for _, b := range listBytes {
			list = append(list, account(b))
		}
		slices.SortFunc(list, cmp)
		checkCursor(t, lines, [][]units.AccountID{list})
	})
}

// TestNearEntry checks nearEntry against a scan of the entries: from
// every start j, it finds c's entry exactly when c has one within
// nearReach places of j, and then at its index.
func TestNearEntry(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 4))
	rounds := 200
	if testing.Short() {
		rounds = 50
	}
	for range rounds {
		all := cursorAccounts(r, 1+r.IntN(40))
		var es []shareEntry
		var absent []units.AccountID
		for _, a := range all {
			if r.IntN(4) == 0 {
				absent = append(absent, a)
			} else {
				es = append(es, shareEntry{coldkey: a})
			}
		}
		if len(es) == 0 {
			continue
		}
		for _, c := range all {
			at := slices.IndexFunc(es, func(e shareEntry) bool { return e.coldkey == c })
			for j := range es {
				k, ok := nearEntry(es, j, &c)
				want := at >= 0 && at-j <= nearReach && j-at <= nearReach
				if ok != want || (ok && k != at) {
					t.Fatalf("nearEntry(j=%d) of an entry at %d (absent: %v) = %d, %v", j, at, slices.Contains(absent, c), k, ok)
				}
			}
		}
	}
}

// TestSameAccountIsEquality checks sameAccount against ==: equal
// accounts, and accounts differing in one byte of each word or in several.
func TestSameAccountIsEquality(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 5))
	for range 2000 {
		var a units.AccountID
		for i := range a {
			a[i] = byte(r.IntN(256))
		}
		b := a
		switch r.IntN(3) {
		case 1:
			b[r.IntN(32)] ^= byte(1 + r.IntN(255))
		case 2:
			for range 1 + r.IntN(4) {
				b[r.IntN(32)] ^= byte(1 + r.IntN(255))
			}
		}
		if got, want := sameAccount(&a, &b), a == b; got != want {
			t.Fatalf("sameAccount(%x, %x) = %v, == is %v", a, b, got, want)
		}
	}
}
