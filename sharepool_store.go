package dtao

import (
	"iter"
	"math/bits"
	"slices"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// The storage of a SharePool's coldkey entries: a sorted list in chunks.
//
// The entries are sorted by coldkey. A pool of at most chunkMax entries
// keeps them in one sorted array (SharePool.one), searched by where the
// coldkey's prefix places it (shareChunk.search). A larger pool splits
// them into chunks of at most chunkMax entries, each sorted and each
// after the one before (shareChunks), so that inserting or deleting an
// entry moves the entries of one chunk only: at most chunkMax, whatever
// the pool's size, where one sorted array of n entries moves up to n on
// every new coldkey. A full chunk splits in two halves; a chunk that
// becomes empty goes, and one whose entries fit with a neighbour's in
// chunkJoin joins it, so a pool that shrinks comes back to fewer, fuller
// chunks and, at one chunk, to the single array.
//
// A pool of several chunks may hold one entry out of them, pinned
// (shareChunks.pin): the entry of the hotkey's owner, which the payouts
// credit every epoch, there read in one line of the chunks' object
// instead of at the end of the chunk's links. The pinned entry keeps
// its place in the order (SharePool.entries, Holders); a pool back to
// one chunk takes it back in.
//
// A position names an entry, or where an entry would be inserted: chunk
// k's offset i is k<<posShift | i. In a pool of one chunk it is the
// entry's index; the pinned entry's is pinPos. Positions are opaque
// outside this file, used as hints that are checked before use
// (SharePool.findAt).

const (
	// chunkMax is the most entries a chunk holds: a chunk's insertion
	// moves at most chunkMax−1 entries (56 bytes each) and prefixes.
	chunkMax = 64
	// chunkJoin is the most entries two neighbouring chunks may hold
	// together for a delete to join them: half a chunk, so that a joined
	// chunk takes chunkMax/2 inserts before it splits again.
	chunkJoin = chunkMax / 2
	// chunkFill is how many entries each chunk of a pool built whole
	// (SharePool.fill, genesis) receives: room left for inserts.
	chunkFill = chunkMax * 3 / 4
	// posShift: an offset is at most chunkMax (an insertion after a full
	// chunk's last entry), below 1<<posShift.
	posShift = 7
	posMask  = 1<<posShift - 1
	// pinPos is the position of a pool's pinned entry (shareChunks.pin),
	// which no chunk's offset makes.
	pinPos = -2
)

type shareEntry struct {
	coldkey units.AccountID
	share   fixed.SafeFloat
}

// shareChunk is a sorted run of entries with their prefixes:
// prefixes[i] is entries[i].coldkey's first 8 bytes read big-endian, so
// that a search reads the prefixes, eight to a cache line, where the
// entries hold one and a bit, and touches an entry only to tell equal
// prefixes apart and at the end. Every write keeps them.
type shareChunk struct {
	entries  []shareEntry
	prefixes []uint64
}

// shareChunks are the chunks of a pool of more than one: each non-empty,
// sorted, every entry of a chunk before every entry of the next.
// firsts[k] is chunks[k]'s first prefix, which the search for a chunk
// reads; n is the number of entries in all the chunks, the pinned one
// apart.
type shareChunks struct {
	// pin, when pinned (a non-zero share: no entry holds a zero one), is
	// one coldkey's entry kept out of the chunks, which then hold every
	// other entry (n does not count it): the entry of the hotkey's
	// owner, which the payouts credit epoch after epoch (SharePool.pin).
	// Here a payout finds it in one line, this object's first; in a
	// chunk it lies at the end of two more links, the chunk's header and
	// then the entry, each a cache miss in the pools of a grown network.
	// Its position is pinPos.
	pin shareEntry
	_   [8]byte // the header on the next line

	chunks []shareChunk
	firsts []uint64
	// n counts the chunks' entries (a pool's entries are far fewer than
	// 2^31: four bytes, so that pinKey shares the header's line).
	n int32
	// pinKey is the pinned entry's coldkey's prefix (0 when none), which
	// a search compares on the header's line, so that it reads the
	// entry's line only for the pinned coldkey (SharePool.locate).
	pinKey uint64
	// room and roomFirsts are the first chunksRoom chunks' headers and
	// first prefixes, which chunks and firsts use until they outgrow
	// them: a pool's split into chunks allocates one object (and its
	// new chunk's store), where three and, at its second and third
	// chunks, two more each time the slices doubled.
	room       [chunksRoom]shareChunk
	roomFirsts [chunksRoom]uint64
	// To 384 bytes, six lines, a size class whose objects start on a
	// line: the pinned entry fills the first, the header and pinKey the
	// second (TestShareChunksLayout).
	_ [32]byte
}

// pinned reports whether the chunks hold a pinned entry: a pin's share,
// like every entry's, is not zero, and an unpinned pool's pin is empty.
func (m *shareChunks) pinned() bool { return !m.pin.share.IsZero() }

// chunksRoom is how many chunks a shareChunks holds in itself: the pools
// of BenchmarkStep/subnets=64 that split hold two or three chunks after
// 180,000 blocks.
const chunksRoom = 4

// chunkStore is the room of a whole chunk: its entries and their
// prefixes in one allocation of 64·56 + 64·8 = 4096 bytes, a size class
// of its own and one page, where the two arrays apart are an allocation
// of 4096 bytes (the entries' 3584 rounded up to the size class) and one
// of 512. A search reads a chunk's prefixes, then an entry: in one page,
// with one TLB entry. A split, the allocation a growing network makes
// while it runs, allocates and faults in (on the first touch of fresh
// heap, ≈ 18 µs on the development machines, virtual ones) one page
// rather than a page and an eighth, in one allocation rather than two.
type chunkStore struct {
	entries  [chunkMax]shareEntry
	prefixes [chunkMax]uint64
}

// chunkOf returns a copy of es as a chunk with its prefixes, with room for
// room entries: in a chunkStore when room is a whole chunk's.
func chunkOf(es []shareEntry, room int) shareChunk {
	var ch shareChunk
	if room == chunkMax {
		st := new(chunkStore)
		ch = shareChunk{entries: append(st.entries[:0], es...), prefixes: st.prefixes[:len(es)]}
	} else {
		ch = shareChunk{
			entries:  append(make([]shareEntry, 0, room), es...),
			prefixes: make([]uint64, len(es), room),
		}
	}
	for i := range es {
		ch.prefixes[i] = accountPrefix(&es[i].coldkey)
	}
	return ch
}

// chunks returns the pool's chunks in order: one (possibly empty) for a
// pool of at most chunkMax entries.
func (p *SharePool) chunks() []shareChunk {
	if p.more != nil {
		return p.more.chunks
	}
	return p.one[:]
}

// empty reports whether the pool holds no entry (Len() == 0) from the
// pool's own fields: a pool of several chunks holds entries in each.
func (p *SharePool) empty() bool { return p.more == nil && len(p.one[0].entries) == 0 }

// Len returns the number of coldkeys with an entry.
func (p *SharePool) Len() int {
	if m := p.more; m != nil {
		if m.pinned() {
			return int(m.n) + 1
		}
		return int(m.n)
	}
	return len(p.one[0].entries)
}

// Holders yields every coldkey with an entry and its share, in ascending
// order of the coldkey's bytes.
func (p *SharePool) Holders() iter.Seq2[units.AccountID, fixed.SafeFloat] {
	return func(yield func(units.AccountID, fixed.SafeFloat) bool) {
		for e := range p.entries {
			if !yield(e.coldkey, e.share) {
				return
			}
		}
	}
}

// entries yields the pool's entries in ascending order of their
// coldkeys: the chunks' in turn, the pinned entry in its place among
// them.
func (p *SharePool) entries(yield func(*shareEntry) bool) {
	var pin *shareEntry
	if m := p.more; m != nil && m.pinned() {
		pin = &m.pin
	}
	for _, ch := range p.chunks() {
		for i := range ch.entries {
			e := &ch.entries[i]
			if pin != nil && units.CompareAccounts(&pin.coldkey, &e.coldkey) < 0 {
				if !yield(pin) {
					return
				}
				pin = nil
			}
			if !yield(e) {
				return
			}
		}
	}
	if pin != nil {
		yield(pin)
	}
}

// fill replaces the pool's entries by es, sorted by coldkey without
// duplicates (genesis): one array of their size when they fit in a chunk,
// else chunks of chunkFill entries with room for chunkMax.
func (p *SharePool) fill(es []shareEntry) {
	if len(es) <= chunkMax {
		p.one[0], p.more = chunkOf(es, len(es)), nil
		return
	}
	m := &shareChunks{n: int32(len(es))}
	m.chunks, m.firsts = m.room[:0], m.roomFirsts[:0]
	for len(es) > 0 {
		ch := chunkOf(es[:min(len(es), chunkFill)], chunkMax)
		es = es[len(ch.entries):]
		m.chunks = append(m.chunks, ch)
		m.firsts = append(m.firsts, ch.prefixes[0])
	}
	p.one[0], p.more = shareChunk{}, m
}

// find returns the position of the coldkey's entry, or where it would be
// inserted, and whether it has one (locate).
func (p *SharePool) find(c units.AccountID) (int, bool) {
	i, e := p.locate(c)
	return i, e != nil
}

// locate returns the position of the coldkey's entry and the entry, or
// where it would be inserted and nil. The order is bytes.Compare of the
// coldkeys: the first 8 bytes, read big-endian, order two coldkeys
// exactly as bytes.Compare does when they differ; only on equal prefixes
// are the other 24 bytes compared (searchEntriesRef in the tests is the
// reference).
//
// A pool of one chunk is searched from where the coldkey's prefix places
// it if the prefixes spread evenly: accounts are public keys or hashes,
// uniform over the key space, so the guess lands near the entry and the
// search reads a line or two of prefixes, where a plain binary search
// starting in the middle reads a line per halving until the range fits
// in one, each read waiting for the last. A pool of several chunks picks
// the chunk by a binary search of their first prefixes, then searches it
// from where the prefix places it between that chunk's first prefix and
// the next one's.
func (p *SharePool) locate(c units.AccountID) (int, *shareEntry) {
	key := accountPrefix(&c)
	if p.more == nil {
		ch := &p.one[0]
		i := ch.search(key, &c, prefixGuess(key, len(ch.prefixes)))
		if i < len(ch.entries) && sameAccount(&ch.entries[i].coldkey, &c) {
			return i, &ch.entries[i]
		}
		return i, nil
	}
	m := p.more
	if m.pinKey == key && m.pinned() && sameAccount(&m.pin.coldkey, &c) {
		return pinPos, &m.pin
	}
	k, g := m.pick(key, &c)
	ch := &m.chunks[k]
	i := ch.search(key, &c, g)
	if i < len(ch.entries) && sameAccount(&ch.entries[i].coldkey, &c) {
		return k<<posShift | i, &ch.entries[i]
	}
	return k<<posShift | i, nil
}

// guess is where in chunk k, which key's coldkey belongs in, its search
// starts: where key would lie were the chunk's prefixes spread evenly
// from its first to the next chunk's first (spanGuess).
func (m *shareChunks) guess(k int, key uint64) int {
	hi := uint64(1<<64 - 1)
	if k+1 < len(m.firsts) {
		hi = m.firsts[k+1]
	}
	return spanGuess(key, m.firsts[k], hi, len(m.chunks[k].prefixes))
}

// chunkFor returns the index of the chunk c belongs in: the last whose
// first entry does not sort after c, 0 when every chunk's first does.
func (m *shareChunks) chunkFor(key uint64, c *units.AccountID) int {
	lo, hi := 1, len(m.firsts)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		f := m.firsts[h]
		if f < key || (f == key && units.CompareAccounts(&m.chunks[h].entries[0].coldkey, c) <= 0) {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo - 1
}

// spanGuess is where key would lie among n prefixes spread evenly from lo
// up to hi: ⌊(key−lo)·n/(hi−lo)⌋ on the span's top 32 significant bits,
// clamped to [0, n).
func spanGuess(key, lo, hi uint64, n int) int {
	if key <= lo || hi <= lo || n == 0 {
		return 0
	}
	if key >= hi {
		return n - 1
	}
	sh := max(0, 32-bits.LeadingZeros64(hi-lo))
	return int(((key - lo) >> sh) * uint64(n) / ((hi-lo)>>sh + 1))
}

// before reports whether entry m sorts before c, whose prefix is key:
// the predicate whose first false index search returns.
func (ch *shareChunk) before(m int, key uint64, c *units.AccountID) bool {
	ek := ch.prefixes[m]
	return ek < key || (ek == key && units.CompareAccounts(&ch.entries[m].coldkey, c) < 0)
}

// search returns the first index of the chunk whose entry does not sort
// before c (n, the length, when all do), starting at the guess g (below
// n, any when n is 0). It gallops away from g by steps of 1, 2, 4, …
// until it has passed the answer, then binary-searches the bracket. The
// entries are sorted, so before is true on a prefix of the indexes and
// false on the rest: every index below lo is before c and none from hi on
// is, whatever g was, and the binary search narrows [lo, hi) to the
// single boundary, the index the plain binary search returns. The guess
// changes only how many entries are read.
func (ch *shareChunk) search(key uint64, c *units.AccountID, gi int) int {
	n := len(ch.prefixes)
	if n == 0 {
		return 0
	}
	lo, hi := 0, n
	if ch.before(gi, key, c) {
		lo = gi + 1
		for step := 1; ; step <<= 1 {
			t := gi + step
			if t >= n {
				break
			}
			if !ch.before(t, key, c) {
				hi = t
				break
			}
			lo = t + 1
		}
	} else {
		hi = gi
		for step := 1; ; step <<= 1 {
			t := gi - step
			if t < 0 {
				break
			}
			if ch.before(t, key, c) {
				lo = t + 1
				break
			}
			hi = t
		}
	}
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ch.before(m, key, c) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// entryAt returns the entry at pos, any int, or nil when pos names none.
func (p *SharePool) entryAt(pos int) *shareEntry {
	if p.more == nil {
		if uint(pos) < uint(len(p.one[0].entries)) {
			return &p.one[0].entries[pos]
		}
		return nil
	}
	if pos == pinPos && p.more.pinned() {
		return &p.more.pin
	}
	k, i := pos>>posShift, pos&posMask
	if pos < 0 || k >= len(p.more.chunks) || i >= len(p.more.chunks[k].entries) {
		return nil
	}
	return &p.more.chunks[k].entries[i]
}

// entriesNear returns, for pos, any int, the entries of its chunk, the
// offset in them nearest pos's (clamped to those that exist) and the
// chunk's first position, to which an offset adds; no entries for an
// empty pool. The pinned entry is in no chunk: pinPos is near the first.
func (p *SharePool) entriesNear(pos int) (es []shareEntry, i, base int) {
	if p.more == nil {
		es = p.one[0].entries
		return es, min(max(pos, 0), len(es)-1), 0
	}
	cs := p.more.chunks
	k := p.more.chunkNear(pos)
	es = cs[k].entries
	return es, min(max(pos&posMask, 0), len(es)-1), k << posShift
}

// chunkNear is the chunk of position pos, clamped to the pool's chunks
// (a hint may name a chunk that has since gone): entriesNear's chunk,
// which warmOwnerEntries reads ahead.
func (m *shareChunks) chunkNear(pos int) int {
	return min(max(pos>>posShift, 0), len(m.chunks)-1)
}

// findAt is locate with a hint: *at, when at is not nil, is where c's
// entry was last seen. It is checked first and set to locate's answer
// otherwise (the entry's position, or where an inserted entry lands).
func (p *SharePool) findAt(c units.AccountID, at *int) (int, *shareEntry) {
	if at == nil {
		return p.locate(c)
	}
	if e := p.entryAt(*at); e != nil && sameAccount(&e.coldkey, &c) {
		return *at, e
	}
	i, e := p.locate(c)
	*at = i
	return i, e
}

// insert puts c's entry with share s at pos, where locate placed c, and
// returns its position. Into a full chunk it splits the chunk in two
// halves first and inserts into the half that holds pos.
func (p *SharePool) insert(pos int, c *units.AccountID, s fixed.SafeFloat) int {
	ch, k, i := &p.one[0], 0, pos
	if p.more != nil {
		k, i = pos>>posShift, pos&posMask
		ch = &p.more.chunks[k]
	}
	if len(ch.entries) == chunkMax {
		p.split(k)
		if h := chunkMax / 2; i > h {
			k, i = k+1, i-h
		}
		ch = &p.more.chunks[k]
	}
	ch.insertAt(i, shareEntry{*c, s}, accountPrefix(c))
	if m := p.more; m != nil {
		m.n++
		if i == 0 {
			m.firsts[k] = ch.prefixes[0]
		}
	}
	return k<<posShift | i
}

// insertAt puts e, whose coldkey's prefix is key, at offset i of the
// chunk, which holds fewer than chunkMax entries: slices.Insert on both
// arrays, written out (no generic calls), into the room of a chunkStore
// when the chunk's arrays are full and not empty (grow). An empty chunk
// without room gets arrays of one, as slices.Insert gives it.
func (ch *shareChunk) insertAt(i int, e shareEntry, key uint64) {
	n := len(ch.entries)
	if n == cap(ch.entries) || n == cap(ch.prefixes) {
		if n == 0 {
			ch.entries, ch.prefixes = append(ch.entries, e), append(ch.prefixes, key)
			return
		}
		ch.grow()
	}
	es, ps := ch.entries[:n+1], ch.prefixes[:n+1]
	copy(es[i+1:], es[i:n])
	copy(ps[i+1:], ps[i:n])
	es[i], ps[i] = e, key
	ch.entries, ch.prefixes = es, ps
}

// grow moves the chunk, full and not empty (it holds fewer than chunkMax
// entries: insert splits a full one first), to a chunkStore, room for a
// whole chunk, where slices.Insert would double its arrays. A pool gains
// its coldkeys one at a time, over many blocks: grown by doubling, its
// arrays are allocated four or five times on their way to a chunk's
// size, each time new memory to clear and, while the heap grows, to map
// (a page fault), the old arrays left to the collector. Grown once, a
// pool allocates once. The price is the room a pool of few entries holds
// once it gains one (4 KB, where doubling held a few hundred bytes); an
// empty chunk gets room for one (insertAt), so that the pools of
// one entry that the epoch's payouts create stay small, and a pool read
// from genesis keeps its size until it grows. The entries and prefixes
// are copied as they are (insertRoomRef in the tests is the reference:
// the same values, the room of a chunk).
func (ch *shareChunk) grow() {
	st := new(chunkStore)
	ch.entries = append(st.entries[:0], ch.entries...)
	ch.prefixes = append(st.prefixes[:0], ch.prefixes...)
}

// split splits chunk k, full, into two halves, k and k+1, the pool's
// single array becoming its first chunk.
func (p *SharePool) split(k int) {
	if p.more == nil {
		m := &shareChunks{n: int32(len(p.one[0].entries))}
		m.chunks = append(m.room[:0], p.one[0])
		m.firsts = append(m.roomFirsts[:0], p.one[0].prefixes[0])
		p.more = m
		p.one[0] = shareChunk{}
	}
	m := p.more
	left := &m.chunks[k]
	h := len(left.entries) / 2
	right := chunkOf(left.entries[h:], chunkMax)
	left.entries, left.prefixes = left.entries[:h], left.prefixes[:h]
	m.chunks = slices.Insert(m.chunks, k+1, right)
	m.firsts = slices.Insert(m.firsts, k+1, right.prefixes[0])
}

// remove deletes the entry at pos, a position of an entry (locate). An
// emptied chunk goes; a chunk whose entries fit with a neighbour's in
// chunkJoin joins it; a pool left with one chunk keeps it as its single
// array, into which a pinned entry returns.
func (p *SharePool) remove(pos int) {
	if pos == pinPos {
		m := p.more
		m.pin, m.pinKey = shareEntry{}, 0
		return
	}
	k, i := pos>>posShift, pos&posMask
	ch := &p.chunks()[k]
	ch.entries = slices.Delete(ch.entries, i, i+1)
	ch.prefixes = slices.Delete(ch.prefixes, i, i+1)
	m := p.more
	if m == nil {
		return
	}
	m.n--
	n := len(ch.entries)
	switch {
	case n == 0:
		m.chunks = slices.Delete(m.chunks, k, k+1)
		m.firsts = slices.Delete(m.firsts, k, k+1)
	case k > 0 && n+len(m.chunks[k-1].entries) <= chunkJoin:
		m.join(k - 1)
	case k+1 < len(m.chunks) && n+len(m.chunks[k+1].entries) <= chunkJoin:
		m.join(k)
	default:
		m.firsts[k] = ch.prefixes[0]
	}
	if len(m.chunks) == 1 {
		p.one[0], p.more = m.chunks[0], nil
		if m.pinned() {
			e := m.pin
			i, _ := p.locate(e.coldkey)
			p.insert(i, &e.coldkey, e.share)
		}
	}
}

// pin makes c's entry, when the pool holds it in a chunk, the pool's
// pinned entry (shareChunks.pin) and sets *at, the entry's position, to
// pinPos. Only a pool of more than chunkMax+1 entries in its chunks
// pins, and only one entry: without it, more than chunkMax stay, which
// no single chunk holds, so the pool keeps its chunks and the pin with
// them. It changes no share, nor the order Holders yields.
func (p *SharePool) pin(c *units.AccountID, at *int) {
	m := p.more
	if m == nil || m.pinned() || m.n <= chunkMax+1 {
		return
	}
	i, e := p.findAt(*c, at)
	if e == nil {
		return
	}
	saved := *e
	p.remove(i)
	m.pin, m.pinKey = saved, accountPrefix(&saved.coldkey)
	*at = pinPos
}

// join appends chunk k+1's entries to chunk k and drops chunk k+1.
func (m *shareChunks) join(k int) {
	a, b := &m.chunks[k], &m.chunks[k+1]
	a.entries = append(a.entries, b.entries...)
	a.prefixes = append(a.prefixes, b.prefixes...)
	m.firsts[k] = a.prefixes[0]
	m.chunks = slices.Delete(m.chunks, k+1, k+2)
	m.firsts = slices.Delete(m.firsts, k+1, k+2)
}

// pick returns the chunk a coldkey c whose prefix is key belongs in
// (chunkFor) and where the search in it starts (guess): locate's first
// steps in a pool of several chunks, which WarmStakes reads ahead.
func (m *shareChunks) pick(key uint64, c *units.AccountID) (k, g int) {
	k = m.chunkFor(key, c)
	return k, m.guess(k, key)
}
