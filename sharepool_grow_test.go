package dtao

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// insertRoomRef is the insertion shareChunk.insertAt replaced, kept as its
// reference: slices.Insert(s, i, v), except that a full s holding at
// least one value grows straight to room for chunkMax values, where
// slices.Insert doubles it; the entries and the prefixes each in an
// array of their own.
func insertRoomRef[E any](s []E, i int, v E) []E {
	n := len(s)
	if n < cap(s) || n == 0 {
		return slices.Insert(s, i, v)
	}
	t := make([]E, n+1, max(chunkMax, n+1))
	copy(t, s[:i])
	t[i] = v
	copy(t[i+1:], s[i:])
	return t
}

// insertAtCheck compares insertAt(i, e, key) on a chunk of es with
// entries' room roomE and prefixes' room roomP (their own arrays, a copy
// of es) with insertRoomRef on each array, its reference: the same
// entries and prefixes, and, where the reference grew an array to a
// chunk's room, both arrays with a chunk's room.
func insertAtCheck(t *testing.T, es []shareEntry, roomE, roomP, i int, e shareEntry, key uint64) {
	t.Helper()
	ps := make([]uint64, len(es))
	for k := range es {
		ps[k] = accountPrefix(&es[k].coldkey)
	}
	ch := shareChunk{entries: make([]shareEntry, len(es), len(es)+roomE), prefixes: make([]uint64, len(es), len(es)+roomP)}
	copy(ch.entries, es)
	copy(ch.prefixes, ps)
	refE := insertRoomRef(slices.Clone(ch.entries), i, e)
	refP := insertRoomRef(slices.Clone(ch.prefixes), i, key)
	ch.insertAt(i, e, key)
	if !slices.Equal(ch.entries, refE) || !slices.Equal(ch.prefixes, refP) {
		t.Fatalf("insertAt(len %d, room %d/%d, at %d): entries or prefixes differ from insertRoomRef's", len(es), roomE, roomP, i)
	}
	if len(es) > 0 && (roomE == 0 || roomP == 0) && (cap(ch.entries) != chunkMax || cap(ch.prefixes) != chunkMax) {
		t.Fatalf("insertAt(len %d, full, at %d): caps %d, %d, want %d", len(es), i, cap(ch.entries), cap(ch.prefixes), chunkMax)
	}
}

// randomColdkey returns an account of random bytes.
func randomColdkey(r *rand.Rand) units.AccountID {
	var c units.AccountID
	for k := 0; k < len(c); k += 8 {
		binary.LittleEndian.PutUint64(c[k:], r.Uint64())
	}
	return c
}

// entriesOf returns n entries of random coldkeys and shares, sorted.
func entriesOf(r *rand.Rand, n int) []shareEntry {
	es := make([]shareEntry, n)
	for k := range es {
		es[k].coldkey = randomColdkey(r)
		es[k].share = fixed.SafeFloatFromUint64(r.Uint64())
	}
	slices.SortFunc(es, func(a, b shareEntry) int { return units.CompareAccounts(&a.coldkey, &b.coldkey) })
	return es
}

// TestInsertAtMatchesInsertRoom: insertAt inserts as insertRoomRef does,
// at every place of chunks of every length below a chunk's, with both
// arrays full, one of them full, or both with room, and on random chunks;
// the entries of every kind: zero and maximal shares and coldkeys.
func TestInsertAtMatchesInsertRoom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	var zero, top shareEntry
	for k := range top.coldkey {
		top.coldkey[k] = 0xff
	}
	top.share = fixed.SafeFloatFromUint64(1<<64 - 1)
	for n := 0; n < chunkMax; n++ {
		es := entriesOf(r, n)
		for _, room := range [][2]int{{0, 0}, {1, 1}, {0, 1}, {1, 0}, {chunkMax - n, chunkMax - n}} {
			for i := 0; i <= n; i++ {
				insertAtCheck(t, es, room[0], room[1], i, top, 1<<64-1)
				insertAtCheck(t, es, room[0], room[1], i, zero, 0)
			}
		}
	}
	for range 20_000 {
		n := r.IntN(chunkMax)
		es := entriesOf(r, n)
		e := entriesOf(r, 1)[0]
		insertAtCheck(t, es, r.IntN(3)*r.IntN(chunkMax-n+1), r.IntN(3)*r.IntN(chunkMax-n+1), r.IntN(n+1), e, accountPrefix(&e.coldkey))
	}
}

// TestChunkGrowAllocatesOnce: a full chunk's growth takes one allocation,
// its entries and prefixes in one chunkStore.
func TestChunkGrowAllocatesOnce(t *testing.T) {
	es := entriesOf(rand.New(rand.NewPCG(3, 4)), 5)
	src := chunkOf(es, len(es))
	var ch shareChunk
	if n := testing.AllocsPerRun(100, func() {
		ch = src
		ch.grow()
	}); n != 1 {
		t.Fatalf("grow: %v allocations, want 1", n)
	}
	if !slices.Equal(ch.entries, es) || !slices.Equal(ch.prefixes, src.prefixes) || cap(ch.entries) != chunkMax || cap(ch.prefixes) != chunkMax {
		t.Fatal("grow changed the chunk's entries or left it without a chunk's room")
	}
}

// FuzzInsertAt: insertAt against insertRoomRef on chunks of any length
// below a chunk's and any room, at any place.
func FuzzInsertAt(f *testing.F) {
	f.Add(uint8(0), uint8(0), uint8(0), uint8(0), uint64(7))
	f.Add(uint8(5), uint8(0), uint8(1), uint8(5), uint64(0))
	f.Add(uint8(63), uint8(0), uint8(0), uint8(17), uint64(1<<64-1))
	f.Add(uint8(1), uint8(3), uint8(0), uint8(1), uint64(1))
	f.Fuzz(func(t *testing.T, n, roomE, roomP, at uint8, seed uint64) {
		n %= chunkMax
		r := rand.New(rand.NewPCG(seed, uint64(n)))
		es := entriesOf(r, int(n))
		e := entriesOf(r, 1)[0]
		insertAtCheck(t, es, int(roomE)%chunkMax, int(roomP)%chunkMax, int(at)%(int(n)+1), e, accountPrefix(&e.coldkey))
	})
}

// TestPoolGrowsOnce: a pool's single array, grown past one entry, has
// room for a whole chunk, so that the stakes of new coldkeys up to a
// chunk's keep its arrays (allocate nothing); the pool's state is the chunked pool's
// reference's all along (slicePool).
func TestPoolGrowsOnce(t *testing.T) {
	p := &SharePool{}
	ref := &slicePool{}
	r := rand.New(rand.NewPCG(1, 2))
	var first *shareEntry
	var firstPrefix *uint64
	for k := range chunkMax {
		c := randomColdkey(r)
		amount := 1 + r.Uint64N(1e12)
		if k < 2 {
			p.updateForOne(c, amount, true, nil)
			ref.update(c, amount, true)
			first, firstPrefix = &p.one[0].entries[0], &p.one[0].prefixes[0]
			continue
		}
		p.updateForOne(c, amount, true, nil)
		ref.update(c, amount, true)
		if &p.one[0].entries[0] != first || &p.one[0].prefixes[0] != firstPrefix {
			t.Fatalf("stake of coldkey %d moved the entries", k)
		}
		if err := checkChunks(p); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p.entryList(), ref.entries) || p.value != ref.value || p.denom != ref.denom {
			t.Fatalf("after %d stakes the pool differs from the reference", k+1)
		}
	}
	if cap(p.one[0].entries) != chunkMax || cap(p.one[0].prefixes) != chunkMax {
		t.Fatalf("caps %d, %d; want %d", cap(p.one[0].entries), cap(p.one[0].prefixes), chunkMax)
	}
}

// chunksPool stakes random coldkeys (seeded) into p until it holds
// chunksRoom chunks, calling each (nil: none) after every stake.
func chunksPool(p *SharePool, each func(c units.AccountID, amount uint64)) {
	r := rand.New(rand.NewPCG(9, 4))
	for p.more == nil || len(p.more.chunks) < chunksRoom {
		c := randomColdkey(r)
		amount := 1 + r.Uint64N(1e12)
		p.updateForOne(c, amount, true, nil)
		if each != nil {
			each(c, amount)
		}
	}
}

// TestSplitsAllocateOnce: a pool grown from empty to chunksRoom chunks
// allocates its first entry's arrays (two), the single array's store
// (grow), the chunks at the first split (one object) and each split's
// new store (three): seven, where the chunks took seven objects (the
// shareChunks, its slices and their growth) and every store two (the
// entries' and the prefixes' arrays), seventeen. The pool stays its
// reference's (slicePool) all along.
func TestSplitsAllocateOnce(t *testing.T) {
	p, ref := &SharePool{}, &slicePool{}
	chunksPool(p, func(c units.AccountID, amount uint64) {
		ref.update(c, amount, true)
		if err := checkChunks(p); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p.entryList(), ref.entries) || p.value != ref.value || p.denom != ref.denom {
			t.Fatalf("after %d stakes the pool differs from the reference", p.Len())
		}
	})
	if len(p.more.chunks) != chunksRoom {
		t.Fatalf("%d chunks, want %d", len(p.more.chunks), chunksRoom)
	}
	// Less the allocations of the draws' source and of the pool itself.
	n := testing.AllocsPerRun(5, func() { chunksPool(&SharePool{}, nil) })
	n -= testing.AllocsPerRun(5, func() {
		sinkPool = &SharePool{value: units.Alpha(rand.New(rand.NewPCG(9, 4)).Uint64())}
	})
	if n != 7 {
		t.Fatalf("a pool grown to %d chunks: %v allocations, want 7", chunksRoom, n)
	}
}

// sinkPool keeps TestSplitsAllocateOnce's control pool on the heap, as
// chunksPool's escapes.
var sinkPool *SharePool
