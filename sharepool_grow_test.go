package dtao

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// insertRoomCheck compares insertRoom(s, i, v) with slices.Insert, its
// reference, on a copy of s (both may write s's array): the same values,
// and a full non-empty s grown to room for chunkMax values.
func insertRoomCheck[E comparable](t *testing.T, s []E, i int, v E) {
	t.Helper()
	ref := slices.Insert(slices.Clone(s), i, v)
	c := make([]E, len(s), cap(s)) // s's length and room, its own array
	copy(c, s)
	full := len(c) == cap(c)
	got := insertRoom(c, i, v)
	if !slices.Equal(got, ref) {
		t.Fatalf("insertRoom(len %d, cap %d, at %d): %v, slices.Insert %v", len(s), cap(s), i, got, ref)
	}
	if full && len(s) > 0 && len(s) < chunkMax && cap(got) < chunkMax {
		t.Fatalf("insertRoom(len %d, full, at %d): cap %d, want at least %d", len(s), i, cap(got), chunkMax)
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

// TestInsertRoomMatchesInsert: insertRoom inserts as slices.Insert does,
// at every place of slices of every length up to a chunk's, full or with
// room, and on random slices of entries.
func TestInsertRoomMatchesInsert(t *testing.T) {
	for n := 0; n <= chunkMax; n++ {
		for _, room := range []int{0, 1, chunkMax - n} {
			s := make([]uint64, n, n+room)
			for k := range s {
				s[k] = uint64(10 * (k + 1))
			}
			for i := 0; i <= n; i++ {
				insertRoomCheck(t, s, i, 1<<64-1)
				insertRoomCheck(t, s, i, 0)
			}
		}
	}
	r := rand.New(rand.NewPCG(5, 8))
	for range 20_000 {
		n := r.IntN(chunkMax)
		s := make([]shareEntry, n, n+r.IntN(3)*r.IntN(chunkMax))
		for k := range s {
			s[k].coldkey = randomColdkey(r)
			s[k].share = fixed.SafeFloatFromUint64(r.Uint64())
		}
		var e shareEntry
		e.coldkey = randomColdkey(r)
		insertRoomCheck(t, s, r.IntN(n+1), e)
	}
}

// FuzzInsertRoom: insertRoom against slices.Insert on slices of any length
// and room, at any place.
func FuzzInsertRoom(f *testing.F) {
	f.Add(uint8(0), uint8(0), uint8(0), uint64(7))
	f.Add(uint8(5), uint8(0), uint8(5), uint64(0))
	f.Add(uint8(63), uint8(0), uint8(17), uint64(1<<64-1))
	f.Add(uint8(64), uint8(3), uint8(64), uint64(1))
	f.Fuzz(func(t *testing.T, n, room, at uint8, v uint64) {
		s := make([]uint64, n, int(n)+int(room))
		for k := range s {
			s[k] = uint64(k) * 0x9e3779b97f4a7c15
		}
		insertRoomCheck(t, s, int(at)%(int(n)+1), v)
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
