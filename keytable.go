package dtao

import (
	"encoding/binary"
	"iter"
	"math/bits"
	"math/rand/v2"

	"github.com/dtao-go/dtao/units"
)

// keyTable is a hash table from keys to cells (*V, never nil in the
// table): open addressing with linear probing, at most half full. It holds
// the ledger's two maps that every stake call reads, the balances
// (AccountID → *units.TAO) and the share pools ((hotkey, netuid) →
// *SharePool), in place of Go maps for three reasons:
//
//   - the caller hashes the key (accountHash, stakeHash: two 64×64-bit
//     products on the key's words), so that a lookup is a few
//     instructions with no call, where a Go map hashes through the
//     runtime;
//   - a slot holds the key's hash, the key and the cell, so that a lookup
//     of a key not in the cache waits for one line (the slot), not for a
//     map group's control word and then its slot;
//   - a caller that knows its next lookups can read their slots first,
//     independently of each other (slotOf; Ledger.WarmStakes), so that
//     their cache misses overlap.
//
// The hash is seeded at random per table (newKeyTable), as Go's maps
// are, so that keys chosen to collide cannot be found in advance; its
// iteration (all) visits the slots in order, which depends on the seed:
// nothing the ledger computes depends on it (as nothing depended on a Go
// map's order).
type keyTable[K comparable, V any] struct {
	slots []keySlot[K, V] // a power of two, at least minTableSlots
	shift uint8           // 64 − log2(len(slots)): a hash's home slot is h >> shift
	n     int
	seed  tableSeed
}

// keySlot is one slot of a keyTable: empty when v is nil.
type keySlot[K comparable, V any] struct {
	h   uint64
	key K
	v   *V
}

// tableSeed is a keyTable's hash seed.
type tableSeed [5]uint64

// minTableSlots is the size of an empty keyTable.
const minTableSlots = 8

// newKeyTable returns an empty table with room for n keys before it
// grows.
func newKeyTable[K comparable, V any](n int) keyTable[K, V] {
	var t keyTable[K, V]
	for i := range t.seed {
		t.seed[i] = rand.Uint64()
	}
	size := minTableSlots
	for size < 2*n {
		size *= 2
	}
	t.resize(size)
	return t
}

// accountHash is an account's hash under seed s: the sum of two 128-bit
// products' halves folded (wyhash's mum) over the key's four words,
// each xor'ed with a word of the seed.
func accountHash(s *tableSeed, a *units.AccountID) uint64 {
	w0 := binary.LittleEndian.Uint64(a[0:8])
	w1 := binary.LittleEndian.Uint64(a[8:16])
	w2 := binary.LittleEndian.Uint64(a[16:24])
	w3 := binary.LittleEndian.Uint64(a[24:32])
	return mum(w0^s[0], w1^s[1]) ^ mum(w2^s[2], w3^s[3])
}

// stakeHash is a share pool's key's hash under seed s: the hotkey's
// accountHash with the netuid folded in.
func stakeHash(s *tableSeed, k *stakeKey) uint64 {
	return mum(accountHash(s, &k.hotkey)^s[4], uint64(k.netuid)^s[0])
}

// mum folds the 128-bit product of a and b into 64 bits.
func mum(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// len is the number of keys.
func (t *keyTable[K, V]) len() int { return t.n }

// home is the slot where a key of hash h starts its probe.
func (t *keyTable[K, V]) home(h uint64) int { return int(h >> t.shift) }

// slotOf is the home slot of hash h, for a read ahead of a lookup.
func (t *keyTable[K, V]) slotOf(h uint64) *keySlot[K, V] { return &t.slots[t.home(h)] }

// put sets the cell of key k of hash h to v (not nil), replacing the
// cell it had.
func (t *keyTable[K, V]) put(k K, h uint64, v *V) {
	mask := len(t.slots) - 1
	for i := t.home(h); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.v == nil {
			if 2*(t.n+1) > len(t.slots) {
				t.resize(2 * len(t.slots))
				t.put(k, h, v)
				return
			}
			*s = keySlot[K, V]{h, k, v}
			t.n++
			return
		}
		if s.h == h && s.key == k {
			s.v = v
			return
		}
	}
}

// del removes key k of hash h, if present: the slots after it in its
// probe run move back (backward-shift deletion), so that no lookup ever
// meets a hole before its key.
func (t *keyTable[K, V]) del(k *K, h uint64) {
	mask := len(t.slots) - 1
	i := t.home(h)
	for ; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.v == nil {
			return
		}
		if s.h == h && s.key == *k {
			break
		}
	}
	t.n--
	for j := (i + 1) & mask; ; j = (j + 1) & mask {
		s := &t.slots[j]
		if s.v == nil {
			break
		}
		// s may fill the hole at i unless its home lies cyclically in
		// (i, j]: then i is before its home and a lookup would not see it.
		if (j-t.home(s.h))&mask >= (j-i)&mask {
			t.slots[i] = *s
			i = j
		}
	}
	t.slots[i] = keySlot[K, V]{}
}

// resize moves the keys to a table of size slots (a power of two above
// twice the keys).
func (t *keyTable[K, V]) resize(size int) {
	old := t.slots
	t.slots = make([]keySlot[K, V], size)
	t.shift = uint8(64 - bits.TrailingZeros(uint(size)))
	mask := size - 1
	for k := range old {
		s := &old[k]
		if s.v == nil {
			continue
		}
		i := t.home(s.h)
		for t.slots[i].v != nil {
			i = (i + 1) & mask
		}
		t.slots[i] = *s
	}
}

// all visits the keys and their cells in slot order. The visit must not
// change the table (collect the keys first to delete).
func (t *keyTable[K, V]) all() iter.Seq2[K, *V] {
	return func(yield func(K, *V) bool) {
		for i := range t.slots {
			s := &t.slots[i]
			if s.v != nil && !yield(s.key, s.v) {
				return
			}
		}
	}
}

// balanceTable is the ledger's balances: each account's balance cell.
type balanceTable struct {
	keyTable[units.AccountID, units.TAO]
}

// cell returns a's balance cell (nil: no account).
func (t *balanceTable) cell(a units.AccountID) *units.TAO {
	return t.find(&a, accountHash(&t.seed, &a))
}

// find is cell with a's hash h already computed. The probe loop is
// written for each table rather than once for keyTable: its key
// comparison is then four word compares (sameAccount) where a generic
// one calls the runtime's memequal.
func (t *balanceTable) find(a *units.AccountID, h uint64) *units.TAO {
	mask := len(t.slots) - 1
	for i := t.home(h); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.v == nil {
			return nil
		}
		if s.h == h && sameAccount(&s.key, a) {
			return s.v
		}
	}
}

// set makes p a's balance cell.
func (t *balanceTable) set(a units.AccountID, p *units.TAO) {
	t.put(a, accountHash(&t.seed, &a), p)
}

// remove removes a's cell.
func (t *balanceTable) remove(a units.AccountID) {
	t.del(&a, accountHash(&t.seed, &a))
}

// poolTable is the ledger's share pools by (hotkey, netuid).
type poolTable struct {
	keyTable[stakeKey, SharePool]
}

// pool returns k's share pool (nil: none).
func (t *poolTable) pool(k stakeKey) *SharePool {
	return t.find(&k, stakeHash(&t.seed, &k))
}

// find is pool with k's hash h already computed (see balanceTable.find).
func (t *poolTable) find(k *stakeKey, h uint64) *SharePool {
	mask := len(t.slots) - 1
	for i := t.home(h); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.v == nil {
			return nil
		}
		if s.h == h && s.key.netuid == k.netuid && sameAccount(&s.key.hotkey, &k.hotkey) {
			return s.v
		}
	}
}

// lookup is pool with ok == (pool != nil), in a Go map's form.
func (t *poolTable) lookup(k stakeKey) (*SharePool, bool) {
	p := t.pool(k)
	return p, p != nil
}

// set makes p (not nil) k's share pool.
func (t *poolTable) set(k stakeKey, p *SharePool) {
	t.put(k, stakeHash(&t.seed, &k), p)
}

// remove removes k's share pool.
func (t *poolTable) remove(k stakeKey) {
	t.del(&k, stakeHash(&t.seed, &k))
}

// takeSubnet removes the share pools of netuid and returns them (nil:
// none), for putAll to put back.
func (t *poolTable) takeSubnet(netuid units.NetUID) map[stakeKey]*SharePool {
	var out map[stakeKey]*SharePool
	for k, p := range t.all() {
		if k.netuid == netuid {
			if out == nil {
				out = make(map[stakeKey]*SharePool)
			}
			out[k] = p
		}
	}
	for k := range out {
		t.remove(k)
	}
	return out
}

// putAll sets the share pools of m.
func (t *poolTable) putAll(m map[stakeKey]*SharePool) {
	for k, p := range m {
		t.set(k, p)
	}
}

// newBalanceTable returns an empty balanceTable with room for n accounts.
func newBalanceTable(n int) balanceTable {
	return balanceTable{newKeyTable[units.AccountID, units.TAO](n)}
}

// newPoolTable returns an empty poolTable with room for n share pools.
func newPoolTable(n int) poolTable {
	return poolTable{newKeyTable[stakeKey, SharePool](n)}
}
