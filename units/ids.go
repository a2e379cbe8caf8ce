package units

import "encoding/binary"

// NetUID identifies a subnet (the chain's NetUid, a u16). Netuid 0 is the
// root subnet.
type NetUID uint16

// UID is a neuron's position inside one subnet (the chain's u16 uid).
type UID uint16

// AccountID is a 32-byte Substrate account: an sr25519 or ed25519 public
// key. Package wallet adds SS58 encoding and key handling around it; the
// ledger uses it as a map key.
type AccountID [32]byte

// CompareAccounts orders two accounts as bytes.Compare orders their bytes
// (-1, 0 or +1), eight bytes at a time: each 8-byte word read big-endian
// orders two accounts as its bytes do, and the first word that differs
// decides. The ledger keeps hotkeys and coldkeys in this order, the
// order of the chain's storage keys over raw account bytes.
func CompareAccounts(a, b *AccountID) int {
	for i := 0; i < len(a); i += 8 {
		if x, y := binary.BigEndian.Uint64(a[i:]), binary.BigEndian.Uint64(b[i:]); x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
