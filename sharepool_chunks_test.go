package dtao

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// entryList returns the pool's entries in order, the pinned one among
// them.
func (p *SharePool) entryList() []shareEntry {
	var es []shareEntry
	for e := range p.entries {
		es = append(es, *e)
	}
	return es
}

// index returns the index in entryList of the position pos that find
// returned for coldkey q (an entry's, or where one would be inserted).
// A pinned entry counts where it sorts among the chunks' entries.
func (p *SharePool) index(pos int, q units.AccountID) int {
	if p.more == nil {
		return pos
	}
	m := p.more
	if pos == pinPos {
		return m.chunkIndex(&m.pin.coldkey)
	}
	k, i := pos>>posShift, pos&posMask
	for _, ch := range m.chunks[:k] {
		i += len(ch.entries)
	}
	// The pin sorts among the chunks' entries where its coldkey's search
	// would place it; where that is pos's place too, by q.
	if m.pinned() {
		if ip := m.chunkIndex(&m.pin.coldkey); ip < i || ip == i && units.CompareAccounts(&m.pin.coldkey, &q) < 0 {
			i++
		}
	}
	return i
}

// chunkIndex is the number of the chunks' entries whose coldkey sorts
// before c.
func (m *shareChunks) chunkIndex(c *units.AccountID) int {
	n := 0
	for _, ch := range m.chunks {
		for i := range ch.entries {
			if units.CompareAccounts(&ch.entries[i].coldkey, c) < 0 {
				n++
			}
		}
	}
	return n
}

// firstEntry returns the pool's first entry, for tests that edit it.
func (p *SharePool) firstEntry() *shareEntry { return &p.chunks()[0].entries[0] }

// clonePool returns a pool holding p's value, denominator and entries,
// built as genesis builds one (fill), with no journal link.
func clonePool(p *SharePool) *SharePool {
	q := &SharePool{value: p.value, denom: p.denom}
	q.fill(p.entryList())
	return q
}

// checkChunks checks the chunks' invariants: a pool of several chunks has
// at least two, none empty, the single array is then empty; no chunk holds
// more than chunkMax entries; every prefix is its entry's; firsts are the
// chunks' first prefixes; the entries, chunk after chunk, are strictly
// ascending.
func checkChunks(p *SharePool) error {
	if p.more != nil {
		if len(p.more.chunks) < 2 || len(p.one[0].entries) != 0 || len(p.one[0].prefixes) != 0 {
			return fmt.Errorf("%d chunks with %d entries in the single array", len(p.more.chunks), len(p.one[0].entries))
		}
		if len(p.more.firsts) != len(p.more.chunks) {
			return fmt.Errorf("%d firsts for %d chunks", len(p.more.firsts), len(p.more.chunks))
		}
		n := 0
		for _, ch := range p.more.chunks {
			n += len(ch.entries)
		}
		if int(p.more.n) != n {
			return fmt.Errorf("%d entries counted in %d", p.more.n, n)
		}
		if m := p.more; !m.pinned() && (m.pin != (shareEntry{}) || m.pinKey != 0) {
			return fmt.Errorf("an unpinned pool keeps the entry of %x", m.pin.coldkey[:8])
		}
		if m := p.more; m.pinned() && m.pinKey != accountPrefix(&m.pin.coldkey) {
			return fmt.Errorf("pinned entry %x with the key %x", m.pin.coldkey[:8], m.pinKey)
		}
	}
	for k, ch := range p.chunks() {
		if len(ch.entries) > chunkMax || len(ch.prefixes) != len(ch.entries) {
			return fmt.Errorf("chunk %d: %d entries, %d prefixes", k, len(ch.entries), len(ch.prefixes))
		}
		if p.more != nil {
			if len(ch.entries) == 0 {
				return fmt.Errorf("chunk %d empty", k)
			}
			if p.more.firsts[k] != ch.prefixes[0] {
				return fmt.Errorf("chunk %d: first %x, prefix %x", k, p.more.firsts[k], ch.prefixes[0])
			}
		}
		for i := range ch.entries {
			if ch.prefixes[i] != binary.BigEndian.Uint64(ch.entries[i].coldkey[:8]) {
				return fmt.Errorf("chunk %d: prefix %d is not its coldkey's", k, i)
			}
		}
	}
	// In order, the pinned entry among the others (so none of them has
	// its coldkey).
	es := p.entryList()
	for i := 1; i < len(es); i++ {
		if bytes.Compare(es[i-1].coldkey[:], es[i].coldkey[:]) >= 0 {
			return fmt.Errorf("entries %d and %d out of order", i-1, i)
		}
	}
	if len(es) != p.Len() {
		return fmt.Errorf("%d entries, Len %d", len(es), p.Len())
	}
	return nil
}

// slicePool is the share pool as it was before its entries were chunked:
// one sorted slice, an insertion or deletion moving everything after it.
// It is the reference of the chunked pool (TestSharePoolChunksMatchSlice,
// FuzzSharePoolChunks).
type slicePool struct {
	value   units.Alpha
	denom   fixed.SafeFloat
	entries []shareEntry
}

func (r *slicePool) clone() *slicePool {
	return &slicePool{r.value, r.denom, slices.Clone(r.entries)}
}

func (r *slicePool) setShare(c units.AccountID, s fixed.SafeFloat) {
	i, ok := searchEntriesRef(r.entries, c)
	switch {
	case ok && s.IsZero():
		r.entries = slices.Delete(r.entries, i, i+1)
	case ok:
		r.entries[i].share = s
	case !s.IsZero():
		r.entries = slices.Insert(r.entries, i, shareEntry{c, s})
	}
}

func (r *slicePool) share(c units.AccountID) fixed.SafeFloat {
	if i, ok := searchEntriesRef(r.entries, c); ok {
		return r.entries[i].share
	}
	return fixed.SafeFloat{}
}

func (r *slicePool) valueOf(s fixed.SafeFloat) uint64 {
	v, ok := fixed.SafeFloatFromUint64(r.value.Rao()).MulDiv(s, r.denom)
	if !ok {
		return 0
	}
	return v.ToUint64()
}

// update is update_value_for_one as the sorted-slice pool computed it.
func (r *slicePool) update(c units.AccountID, amount uint64, positive bool) {
	cur := r.share(c)
	if r.denom.IsZero() {
		u := fixed.SafeFloatFromUint64(amount)
		r.denom = u
		r.setShare(c, u)
	} else {
		s, ok := fixed.SafeFloatFromUint64(amount).MulDiv(r.denom, fixed.SafeFloatFromUint64(r.value.Rao()))
		if !ok {
			s = fixed.SafeFloat{}
		}
		var d, n fixed.SafeFloat
		var dok, nok bool
		if positive && amount > 0 {
			d, dok = r.denom.Add(s)
			n, nok = cur.Add(s)
		} else {
			d, dok = r.denom.Sub(s)
			n, nok = cur.Sub(s)
		}
		if dok {
			r.denom = d
		}
		if nok {
			cur = n
		}
		r.setShare(c, cur)
	}
	if positive {
		r.value = r.value.SaturatingAdd(units.Alpha(amount))
	} else {
		r.value = r.value.SaturatingSub(units.Alpha(amount))
	}
}

func (r *slicePool) unstake(c units.AccountID, amount uint64) bool {
	i, ok := searchEntriesRef(r.entries, c)
	if !ok || r.valueOf(r.entries[i].share) < amount {
		return false
	}
	r.update(c, amount, false)
	return true
}

// poolDiff drives a chunked pool and the reference from a stream of
// bytes, compares them after every operation, and fails through fail.
type poolDiff struct {
	data []byte
	fail func(format string, args ...any)

	p   *SharePool
	ref *slicePool
	// spread: coldkeys' prefixes multiplied by it, from crowded at the
	// bottom of the key space (1) to spread over it.
	spread uint64
	// at is a hint kept across the operations (stakeAt's).
	at int
	// j, when not nil, is the journal the pool records into; saved is the
	// reference as it was when it opened.
	j     *journal
	saved *slicePool
	jid   uint64
	// pins counts the pins made (op 16).
	pins int
}

func (d *poolDiff) byte() byte {
	if len(d.data) == 0 {
		return 0
	}
	b := d.data[0]
	d.data = d.data[1:]
	return b
}

func (d *poolDiff) u16() int { return int(d.byte())<<8 | int(d.byte()) }

// coldkey u: four coldkeys to a prefix, told apart by their last byte,
// so that chunks split and join between equal prefixes.
func (d *poolDiff) coldkey(u int) units.AccountID {
	var c units.AccountID
	binary.BigEndian.PutUint64(c[:8], uint64(u>>2)*d.spread)
	c[31] = byte(u & 3)
	return c
}

func (d *poolDiff) amount() uint64 {
	switch b := d.byte(); b & 3 {
	case 0:
		return uint64(b >> 2)
	case 1:
		return uint64(d.u16()) << 20
	default:
		return uint64(d.u16())<<24 | uint64(d.u16())
	}
}

// run interprets the stream until it ends or ops operations are done.
func (d *poolDiff) run(ops int) {
	d.p, d.ref = &SharePool{}, &slicePool{}
	d.spread = []uint64{1, 1 << 20, 1 << 52, 1 << 54}[d.byte()&3]
	for n := 0; n < ops && len(d.data) > 0; n++ {
		op := d.byte() % 17
		u := d.u16() & 1023
		c := d.coldkey(u)
		switch op {
		case 0: // stake
			a := d.amount()
			if err := d.p.Stake(c, units.Alpha(a)); err != nil {
				d.fail("stake: %v", err)
			}
			d.ref.update(c, a, true)
		case 1: // stake with the kept hint
			a := d.amount()
			if err := d.p.stakeAt(c, units.Alpha(a), &d.at); err != nil {
				d.fail("stakeAt: %v", err)
			}
			d.ref.update(c, a, true)
			if e := d.p.entryAt(d.at); (e != nil && e.coldkey == c) != !d.ref.share(c).IsZero() {
				d.fail("stakeAt left the hint %d off the entry of %x", d.at, c[:8])
			}
		case 2: // unstake, part or all
			a := d.amount()
			if d.byte()&1 == 0 {
				a = d.p.Value(c).Rao()
			}
			done, err := d.p.Unstake(c, units.Alpha(a))
			if err != nil {
				d.fail("unstake: %v", err)
			}
			if want := d.ref.unstake(c, a); done != want {
				d.fail("unstake %d of %x: %v, reference %v", a, c[:8], done, want)
			}
		case 3: // set a share
			s := fixed.SafeFloatFromUint64(uint64(d.u16()) + 1)
			d.p.SetShare(c, s)
			d.ref.setShare(c, s)
		case 4, 5: // clear a share
			d.p.SetShare(c, fixed.SafeFloat{})
			d.ref.setShare(c, fixed.SafeFloat{})
		case 6: // dividend
			a := d.amount()
			if err := d.p.Dividend(units.Alpha(a)); err != nil {
				d.fail("dividend: %v", err)
			}
			d.ref.value = d.ref.value.SaturatingAdd(units.Alpha(a))
		case 7, 12, 13, 15: // a run of coldkeys set: the pool grows by chunks
			for k := range int(d.byte()%128) + 1 {
				s := fixed.SafeFloatFromUint64(uint64(u + k + 1))
				d.p.SetShare(d.coldkey(u+k), s)
				d.ref.setShare(d.coldkey(u+k), s)
			}
		case 8, 14: // a run of coldkeys cleared: chunks empty and join
			for k := range int(d.byte()%128) + 1 {
				d.p.SetShare(d.coldkey(u+k), fixed.SafeFloat{})
				d.ref.setShare(d.coldkey(u+k), fixed.SafeFloat{})
			}
		case 9: // a copy built whole, as genesis builds a pool
			d.endJournal(false)
			d.p = clonePool(d.p)
		case 10: // a journal opens, or the open one commits
			if d.j != nil {
				d.endJournal(false)
			} else {
				d.jid++
				d.j = &journal{id: d.jid, open: true}
				d.p.rec, d.p.recID = d.j, d.jid
				d.saved = d.ref.clone()
				d.j.shares = append(d.j.shares, shareUndo{pool: d.p, value: d.p.value, denom: d.p.denom})
			}
		case 16: // c's entry pinned, with the kept hint
			m := d.p.more
			was := m != nil && m.pinned()
			var before shareEntry
			if was {
				before = m.pin
			}
			eligible := m != nil && !was && m.n > chunkMax+1 && !d.ref.share(c).IsZero()
			d.p.pin(&c, &d.at)
			switch {
			case d.p.more != m:
				d.fail("pin replaced the pool's chunks")
			case eligible && (!m.pinned() || m.pin.coldkey != c || d.at != pinPos):
				d.fail("pin of %x in a pool of %d entries: pinned %v, hint %d", c[:8], m.n, m.pinned(), d.at)
			case !eligible && m != nil && (m.pinned() != was || m.pin != before):
				d.fail("pin of %x changed the pin of a pool that could not take it", c[:8])
			}
			if eligible {
				d.pins++
			}
		default: // the open journal rolls back
			d.endJournal(true)
		}
		d.compare(c, op)
	}
	d.endJournal(true)
	d.compare(d.coldkey(0), 0)
}

// endJournal closes the open journal, if any, undoing the pool's writes
// as journal.rollback does when rollback is set.
func (d *poolDiff) endJournal(rollback bool) {
	j := d.j
	if j == nil {
		return
	}
	d.j = nil
	j.open = false
	if rollback {
		for i := len(j.entries) - 1; i >= 0; i-- {
			u := &j.entries[i]
			u.pool.setShare(u.coldkey, u.share)
		}
		d.p.value, d.p.denom = j.shares[0].value, j.shares[0].denom
		d.ref = d.saved
	}
	d.p.rec = nil
}

// compare checks the pool against the reference: the chunks' invariants,
// value and denominator, the entries in order (as Holders yields them),
// Len, and find, Share and Value of c, its neighbours and the ends.
func (d *poolDiff) compare(c units.AccountID, op byte) {
	p, r := d.p, d.ref
	if err := checkChunks(p); err != nil {
		d.fail("after op %d: %v", op, err)
	}
	if p.value != r.value || p.denom != r.denom {
		d.fail("after op %d: value %d denominator %v, reference %d %v", op, p.value, p.denom, r.value, r.denom)
	}
	if es := p.entryList(); !slices.Equal(es, r.entries) || p.Len() != len(r.entries) {
		d.fail("after op %d: %d entries (Len %d), reference %d", op, len(es), p.Len(), len(r.entries))
	}
	i := 0
	for k, s := range p.Holders() {
		if i >= len(r.entries) || k != r.entries[i].coldkey || s != r.entries[i].share {
			d.fail("after op %d: Holders' entry %d differs", op, i)
		}
		i++
	}
	if i != len(r.entries) {
		d.fail("after op %d: Holders yields %d, reference %d", op, i, len(r.entries))
	}
	probes := []units.AccountID{c, bump(c, 31, 1), bump(c, 31, -1), bump(c, 7, 1), bump(c, 7, -1), {}, allFF()}
	if len(r.entries) > 0 {
		probes = append(probes, r.entries[0].coldkey, r.entries[len(r.entries)-1].coldkey, r.entries[len(r.entries)/2].coldkey)
	}
	for _, q := range probes {
		pos, ok := p.find(q)
		wi, wok := searchEntriesRef(r.entries, q)
		if p.index(pos, q) != wi || ok != wok {
			d.fail("after op %d: find(%x) = %d (index %d), %v; reference %d, %v", op, q[:], pos, p.index(pos, q), ok, wi, wok)
		}
		if _, e := p.locate(q); (e != nil) != ok || (ok && (p.entryAt(pos) != e || e.coldkey != q)) {
			d.fail("after op %d: locate(%x) gives %p, entryAt(%d) %p", op, q[:8], e, pos, p.entryAt(pos))
		}
		if s, _ := p.Share(q); s != r.share(q) {
			d.fail("after op %d: Share(%x) %v, reference %v", op, q[:8], s, r.share(q))
		}
		if v := p.Value(q).Rao(); v != r.valueOf(r.share(q)) {
			d.fail("after op %d: Value(%x) %d, reference %d", op, q[:8], v, r.valueOf(r.share(q)))
		}
	}
}

// The chunked pool holds the entries, finds, shares and values of the
// sorted-slice pool it replaced (slicePool) after every operation of
// random sequences: stakes (with and without a kept hint), part and whole
// unstakes, shares set and cleared one by one and in runs of up to 128
// coldkeys (pools grow past several chunks, split, empty chunks and join
// back down to one), dividends, copies built whole (genesis), journals
// committed and rolled back. The coldkeys come four to a prefix and
// crowded or spread over the key space, so that chunks split and join
// between equal prefixes and the in-chunk guess is near and far.
func TestSharePoolChunksMatchSlice(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := &poolDiff{
			data: rapid.SliceOfN(rapid.Byte(), 64, 4096).Draw(t, "ops"),
			fail: t.Fatalf,
		}
		d.run(1 << 20)
	})
}

// TestSharePoolChunksGrowAndShrink drives a pool through a fixed path:
// 1,024 coldkeys set in runs (16 chunks and more), then cleared in runs
// from the middle outwards, with a rollback of a journal that emptied
// half the pool, back to an empty pool, comparing with the reference
// throughout.
func TestSharePoolChunksGrowAndShrink(t *testing.T) {
	var data []byte
	data = append(data, 2) // spread 1<<52
	for u := 0; u < 1024; u += 64 {
		data = append(data, 7, byte(u>>8), byte(u), 63)
	}
	data = append(data, 10, 0, 0) // a journal opens
	for u := 0; u < 512; u += 32 {
		data = append(data, 8, byte(u>>8), byte(u), 31)
	}
	data = append(data, 11, 0, 0) // and rolls back
	for _, u := range []int{512, 384, 640, 256, 768, 128, 896, 0} {
		data = append(data, 8, byte(u>>8), byte(u), 127)
	}
	d := &poolDiff{data: data, fail: t.Fatalf}
	d.run(1 << 20)
	if d.p.Len() != 0 || d.p.more != nil {
		t.Fatalf("pool left with %d entries in %d chunks", d.p.Len(), len(d.p.chunks()))
	}
	// Coldkeys set in ascending order, then cleared in descending order:
	// full chunks split in halves, and the chunks go one by one as they
	// empty, down to the single array.
	p := &SharePool{}
	for u := range 1024 {
		p.SetShare(d.coldkey(u), fixed.SafeFloatFromUint64(1))
	}
	if n := len(p.chunks()); n < 1024/chunkMax || n > 1024/(chunkMax/2) {
		t.Fatalf("1024 entries in %d chunks", n)
	}
	last := len(p.chunks())
	for u := range 1024 {
		p.SetShare(d.coldkey(1023-u), fixed.SafeFloat{})
		if err := checkChunks(p); err != nil {
			t.Fatal(err)
		}
		n := len(p.chunks())
		if n > last || (1023-u <= chunkMax/2 && n != 1) {
			t.Fatalf("%d entries in %d chunks, after %d", 1023-u, n, last)
		}
		last = n
	}
	if p.more != nil {
		t.Fatal("an empty pool of several chunks")
	}
}

// TestSharePoolPinnedEntry drives pools with a pinned entry through the
// paths the random sequences seldom take, comparing with the reference
// after every operation: an entry pinned, then the others cleared until
// the pool is one chunk again (the pinned entry returns to it); the last
// coldkey pinned (Holders yields it after every chunk), then cleared (the
// pin goes); the first pinned and staked with the kept hint; a journal
// that cleared the pinned entry rolled back (it returns, to a chunk).
func TestSharePoolPinnedEntry(t *testing.T) {
	data := []byte{2, // spread 1<<52
		7, 0, 0, 127, 7, 0, 128, 127, // 256 coldkeys
		16, 0, 100, // pin 100
		8, 0, 0, 99, 8, 0, 101, 127, // clear 0-99 and 101-228: one chunk
		7, 0, 0, 127, 7, 0, 128, 100, // 256 again
		16, 0, 255, // pin the last
		4, 0, 255, // and clear it
		16, 0, 0, // pin the first
		1, 0, 0, 16, // stake on it with the hint
		10, 0, 0, 4, 0, 0, 11, 0, 0, // a journal clears it, rolled back
		16, 0, 3, // pin again
		9, 0, 0, // a copy built whole (no pin)
	}
	d := &poolDiff{data: data, fail: t.Fatalf}
	d.run(1 << 20)
	if d.pins != 4 {
		t.Fatalf("%d pins made, want 4", d.pins)
	}
	if len(d.data) != 0 {
		t.Fatalf("%d bytes left", len(d.data))
	}
}

// Holders stops where its caller stops, at the pinned entry as at any
// other, and yields the pinned entry after every chunk's when it sorts
// last.
func TestSharePoolHoldersStopAtPin(t *testing.T) {
	d := &poolDiff{spread: 1 << 52}
	p := &SharePool{}
	for u := range 3 * chunkMax {
		p.SetShare(d.coldkey(u), fixed.SafeFloatFromUint64(uint64(u+1)))
	}
	for _, u := range []int{chunkMax, 3*chunkMax - 1} {
		q := clonePool(p)
		c, at := d.coldkey(u), -1
		q.pin(&c, &at)
		if !q.more.pinned() {
			t.Fatalf("%x not pinned", c[:8])
		}
		n := 0
		for k := range q.Holders() {
			n++
			if k == c {
				break
			}
		}
		if n != u+1 {
			t.Fatalf("stopped at the pin after %d holders, want %d", n, u+1)
		}
		n = 0
		for range q.Holders() {
			if n++; n == chunkMax/2 {
				break
			}
		}
		if n != chunkMax/2 {
			t.Fatalf("stopped after %d holders", n)
		}
		if err := checkChunks(q); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzSharePoolChunks is TestSharePoolChunksMatchSlice on the fuzzer's
// bytes, at most 512 operations an execution.
func FuzzSharePoolChunks(f *testing.F) {
	f.Add([]byte{2, 7, 0, 0, 127, 7, 0, 128, 127, 8, 0, 64, 127})
	f.Add([]byte{0, 10, 0, 0, 7, 1, 0, 100, 11, 0, 0, 9, 0, 0})
	f.Add(bytes.Repeat([]byte{3, 7, 1, 17, 90, 0, 2, 3, 1, 5, 8, 1, 40, 50}, 20))
	f.Add([]byte{2, 7, 0, 0, 127, 7, 0, 128, 127, 16, 0, 100, 8, 0, 0, 99, 8, 0, 101, 127})
	f.Fuzz(func(t *testing.T, data []byte) {
		d := &poolDiff{data: data, fail: t.Fatalf}
		d.run(512)
	})
}

// An insertion into a chunk with room and the deletion of the entry do
// not allocate, in a pool of one chunk and in one of several.
func TestSharePoolChunkInsertNoAlloc(t *testing.T) {
	for _, n := range []int{40, 1000} {
		d := &poolDiff{spread: 1 << 52}
		es := make([]shareEntry, n)
		for u := range es {
			es[u] = shareEntry{d.coldkey(4 * u), fixed.SafeFloatFromUint64(uint64(u + 1))}
		}
		p := &SharePool{}
		p.fill(es)
		if (n > chunkMax) != (p.more != nil) {
			t.Fatalf("%d entries in %d chunks", n, len(p.chunks()))
		}
		u := 0
		allocs := testing.AllocsPerRun(100, func() {
			c := d.coldkey(4*(u%n) + 1)
			p.SetShare(c, fixed.SafeFloatFromUint64(7))
			p.SetShare(c, fixed.SafeFloat{})
			u += 7
		})
		if allocs != 0 {
			t.Fatalf("%d entries: %v allocations an insertion and deletion", n, allocs)
		}
		if err := checkChunks(p); err != nil || p.Len() != n {
			t.Fatalf("%d entries: %v, Len %d", n, err, p.Len())
		}
	}
}
