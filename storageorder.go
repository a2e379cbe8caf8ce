package dtao

import (
	"bytes"
	"slices"

	"github.com/dtao-go/dtao/units"
	"golang.org/x/crypto/blake2b"
)

// blake2Concat is a hotkey's Blake2_128Concat map key,
// blake2_128(hotkey) ‖ hotkey (sp_core's blake2_128: BLAKE2b with a
// 16-byte digest). The chain iterates a map keyed so (PendingChildKeys'
// and TotalHotkeyAlpha's hotkey) in the order of these bytes.
func blake2Concat(h units.AccountID) [16 + 32]byte {
	d, _ := blake2b.New(16, nil) // a 16-byte digest without a key cannot fail
	d.Write(h[:])
	var k [16 + 32]byte
	d.Sum(k[:0])
	copy(k[16:], h[:])
	return k
}

// sortByStorageOrder sorts hotkeys as a Blake2_128Concat-keyed map
// iterates them.
func sortByStorageOrder(hs []units.AccountID) {
	type keyed struct {
		key [16 + 32]byte
		h   units.AccountID
	}
	ks := make([]keyed, len(hs))
	for i, h := range hs {
		ks[i] = keyed{blake2Concat(h), h}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return bytes.Compare(a.key[:], b.key[:]) })
	for i, k := range ks {
		hs[i] = k.h
	}
}
