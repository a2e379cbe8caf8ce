package dtao

import (
	"maps"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/units"
)

// tableOps drives a poolTable and a Go map (the reference) with the same
// operations decoded from ops, three bytes each: the operation (get, set,
// remove), then a key from a small alphabet of hotkeys and netuids so that
// keys repeat, collide in their home slots and wrap around the table's
// end. The hash's seed is fixed to seed so that collisions can be
// constructed. After every operation the table and the map must agree on
// the key operated on, and at the end on every key, the count and the
// visit (all).
func tableOps(t testing.TB, seed tableSeed, ops []byte) {
	tb := newPoolTable(0)
	tb.seed = seed
	ref := map[stakeKey]*SharePool{}
	cells := make([]SharePool, 16)
	key := func(b byte) stakeKey {
		var h units.AccountID
		h[0], h[31] = b&7, b>>3&3 // eight hotkeys, four tails
		return stakeKey{h, units.NetUID(b >> 5)}
	}
	for len(ops) >= 3 {
		op, k, v := ops[0]%3, key(ops[1]), &cells[ops[2]%16]
		ops = ops[3:]
		switch op {
		case 0:
		case 1:
			tb.set(k, v)
			ref[k] = v
		case 2:
			tb.remove(k)
			delete(ref, k)
		}
		got, ok := tb.lookup(k)
		want, wok := ref[k]
		if got != want || ok != wok {
			t.Fatalf("key %x/%d: table %p %v, map %p %v", k.hotkey[:1], k.netuid, got, ok, want, wok)
		}
	}
	if tb.len() != len(ref) {
		t.Fatalf("table holds %d keys, the map %d", tb.len(), len(ref))
	}
	for k, want := range ref {
		if got := tb.pool(k); got != want {
			t.Fatalf("key %x/%d: table %p, map %p", k.hotkey[:1], k.netuid, got, want)
		}
	}
	if all := maps.Collect(tb.all()); !maps.Equal(all, ref) {
		t.Fatalf("all visits %d keys, the map holds %d", len(all), len(ref))
	}
	// Every key sits in its home slot's probe run: no hole between.
	mask := len(tb.slots) - 1
	for i, s := range tb.slots {
		if s.v == nil {
			continue
		}
		for j := tb.home(s.h); j != i; j = (j + 1) & mask {
			if tb.slots[j].v == nil {
				t.Fatalf("slot %d: a hole at %d between its home %d and it", i, j, tb.home(s.h))
			}
		}
	}
	if 2*tb.len() > len(tb.slots) {
		t.Fatalf("%d keys in %d slots: more than half full", tb.len(), len(tb.slots))
	}
}

// TestKeyTableMatchesMap runs tableOps on random operations under random
// seeds and under a zero seed (every hotkey of the alphabet then hashes
// from its two non-zero bytes, and collisions are many), and on a
// constructed run that fills a table, empties it and fills it again.
func TestKeyTableMatchesMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 0x6b6579))
	for range 2000 {
		ops := make([]byte, 3*r.IntN(200))
		for i := range ops {
			ops[i] = byte(r.Uint32())
		}
		var seed tableSeed
		if r.IntN(2) == 0 {
			for i := range seed {
				seed[i] = r.Uint64()
			}
		}
		tableOps(t, seed, ops)
	}
	var fill []byte
	for pass := range 2 {
		for b := range 256 {
			fill = append(fill, 1, byte(b), byte(b+pass))
		}
		for b := range 256 {
			fill = append(fill, 2, byte(255-b), 0)
		}
	}
	tableOps(t, tableSeed{}, fill)
}

// TestKeyTableCollisions puts keys that share their home slot (the hash
// is computed, then only keys of one home kept) into a small table and
// removes them in every order of a few, so that the backward shift moves
// runs that wrap around the table's end.
func TestKeyTableCollisions(t *testing.T) {
	tb := newPoolTable(0)
	var ks []stakeKey
	for i := 0; len(ks) < 3; i++ {
		k := stakeKey{units.AccountID{byte(i), byte(i >> 8)}, 1}
		if tb.home(stakeHash(&tb.seed, &k)) == len(tb.slots)-1 {
			ks = append(ks, k)
		}
	}
	cells := make([]SharePool, len(ks))
	for _, order := range [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}} {
		for i, k := range ks {
			tb.set(k, &cells[i])
		}
		for n, i := range order {
			tb.remove(ks[i])
			for m, j := range order {
				if got, want := tb.pool(ks[j]) != nil, m > n; got != want {
					t.Fatalf("order %v, after removing %d: key %d present %v", order, n+1, j, got)
				}
			}
		}
		if tb.len() != 0 {
			t.Fatalf("order %v: %d keys left", order, tb.len())
		}
	}
}

// TestBalanceTableGrows checks that the balances find every account after
// the table grew many times over, and that removing them all empties it.
func TestBalanceTableGrows(t *testing.T) {
	tb := newBalanceTable(0)
	cells := make([]units.TAO, 5000)
	for i := range cells {
		cells[i] = units.TAO(i)
		tb.set(acctN32(i), &cells[i])
	}
	for i := range cells {
		if p := tb.cell(acctN32(i)); p != &cells[i] {
			t.Fatalf("account %d: cell %p, want %p", i, p, &cells[i])
		}
	}
	for i := range cells {
		tb.remove(acctN32(i))
	}
	if tb.len() != 0 || tb.cell(acctN32(7)) != nil {
		t.Fatalf("%d accounts left", tb.len())
	}
}

// acctN32 is an account whose last four bytes are i, the rest zero: keys
// that differ only in one word.
func acctN32(i int) units.AccountID {
	var a units.AccountID
	a[28], a[29], a[30], a[31] = byte(i), byte(i>>8), byte(i>>16), byte(i>>24)
	return a
}

// FuzzKeyTable is tableOps on fuzzed operations and seed words.
func FuzzKeyTable(f *testing.F) {
	f.Add(uint64(0), uint64(0), []byte{1, 0, 0, 1, 8, 1, 2, 0, 0, 0, 8, 0})
	f.Add(uint64(1), uint64(2), []byte{1, 255, 3, 1, 127, 4, 2, 255, 0, 1, 255, 5})
	f.Fuzz(func(t *testing.T, s0, s1 uint64, ops []byte) {
		tableOps(t, tableSeed{s0, s1, s0 ^ s1, s1 * 3, s0 + 1}, ops)
	})
}
