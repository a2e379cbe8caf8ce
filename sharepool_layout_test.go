package dtao

import (
	"testing"
	"unsafe"

	"github.com/dtao-go/dtao/fixed"
)

// TestShareChunksLayout checks shareChunks' layout (its comment): 384
// bytes, a size class whose objects start on a cache line, the pinned
// entry in the first 64 bytes, the chunks' header (chunks,
// firsts, n) and pinKey in the next 64.
func TestShareChunksLayout(t *testing.T) {
	var m shareChunks
	if size := unsafe.Sizeof(m); size != 384 {
		t.Fatalf("shareChunks is %d bytes, want 384", size)
	}
	if a, end := unsafe.Offsetof(m.pin), unsafe.Offsetof(m.pin)+unsafe.Sizeof(m.pin); a != 0 || end > 64 {
		t.Errorf("the pinned entry from %d to %d, not in the first line", a, end)
	}
	for _, f := range [][2]uintptr{
		{unsafe.Offsetof(m.chunks), 24}, {unsafe.Offsetof(m.firsts), 24},
		{unsafe.Offsetof(m.n), 4}, {unsafe.Offsetof(m.pinKey), 8},
	} {
		if f[0] < 64 || f[0]+f[1] > 128 {
			t.Errorf("a field of the second line from %d to %d", f[0], f[0]+f[1])
		}
	}
	for range 16 {
		if p := new(shareChunks); uintptr(unsafe.Pointer(p))%64 != 0 {
			t.Fatalf("a shareChunks at %p: not on a cache line", p)
		}
	}
}

// empty is Len() == 0, for pools of no entry, one chunk and several, with
// a pinned entry and without.
func TestSharePoolEmpty(t *testing.T) {
	d := &poolDiff{spread: 1 << 52}
	p := &SharePool{}
	check := func() {
		t.Helper()
		if p.empty() != (p.Len() == 0) {
			t.Fatalf("empty() %v with %d entries", p.empty(), p.Len())
		}
	}
	check()
	for u := range 3 * chunkMax {
		p.SetShare(d.coldkey(u), fixed.SafeFloatFromUint64(1))
		check()
	}
	c, at := d.coldkey(7), -1
	p.pin(&c, &at)
	check()
	for u := range 3 * chunkMax {
		p.SetShare(d.coldkey(u), fixed.SafeFloat{})
		check()
	}
}
