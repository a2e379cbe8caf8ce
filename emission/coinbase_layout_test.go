package emission

import (
	"testing"
	"unsafe"
)

// TestPriceMemoSize pins the Coinbaser's per-subnet memory at two cache
// lines (priceMemo's field order) and its split memory at 32 bytes.
func TestPriceMemoSize(t *testing.T) {
	if n := unsafe.Sizeof(priceMemo{}); n != 128 {
		t.Fatalf("priceMemo is %d bytes, want 128", n)
	}
	if n := unsafe.Sizeof(cutSplit{}); n != 32 {
		t.Fatalf("cutSplit is %d bytes, want 32", n)
	}
}
