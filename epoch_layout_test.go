package dtao

import (
	"testing"
	"unsafe"
)

// TestUIDStateLayout checks uidState's layout (its comment): 128 bytes,
// what the distribution's lines and payouts read (the alpha pool, the
// values, the owner, the take and the flags) in the first 64, and an
// array of 256 (growTo, as epochView makes it) on a 64-byte boundary.
func TestUIDStateLayout(t *testing.T) {
	var u uidState
	if size := unsafe.Sizeof(u); size != 128 {
		t.Fatalf("uidState is %d bytes, want 128", size)
	}
	for _, end := range []uintptr{
		unsafe.Offsetof(u.alpha) + 8,
		unsafe.Offsetof(u.alphaStake) + 8, unsafe.Offsetof(u.rootStake) + 8,
		unsafe.Offsetof(u.owner) + 32, unsafe.Offsetof(u.take) + 2,
		unsafe.Offsetof(u.hasOwner) + 1, unsafe.Offsetof(u.hasTake) + 1,
	} {
		if end > 64 {
			t.Errorf("a field of the first line ends at %d", end)
		}
	}
	if a := growTo([]uidState(nil), 256); uintptr(unsafe.Pointer(&a[0]))%64 != 0 {
		t.Errorf("an array of 256 uid states at %p: not on a cache line", &a[0])
	}
}
