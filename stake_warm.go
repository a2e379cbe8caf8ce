package dtao

import (
	"github.com/dtao-go/dtao/units"
)

// StakeRef names the state a stake call of Coldkey on (Hotkey, NetUID)
// reads: the coldkey's balance and the hotkey's share pool on the subnet
// with the coldkey's entry.
type StakeRef struct {
	Coldkey, Hotkey units.AccountID
	NetUID          units.NetUID
}

// maxWarm is how many refs WarmStakes reads at a time (its arrays live on
// the stack).
const maxWarm = 8

// WarmStakes reads, without changing anything, the state that stake calls
// (AddStake, RemoveStake, Stake, Balance) on refs will read, so that a
// caller that knows its next calls can have their cache misses overlap
// instead of each call waiting for its own: it reads every ref's lookups
// of one level before any of the next (the balance and the pool lookups,
// then the cell and the pool, then the pool's prefixes and entries where
// the coldkey's search reads, SharePool.find, in a pool of several
// chunks its chunks' first prefixes, then the chunk, then the chunk's
// prefixes and entries), so that the loads of a level are independent
// of each other. It does not read the subnets, few and read by every
// block. It is a hint: the calls return the same whether or not it ran.
func (l *Ledger) WarmStakes(refs []StakeRef) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(refs) > 0 {
		n := min(len(refs), maxWarm)
		l.warm.sink ^= l.warmStakes(refs[:n])
		refs = refs[n:]
	}
}

// warmState keeps the xor of the words WarmStakes read (sink), unused
// otherwise: only so that the compiler keeps the loads.
type warmState struct{ sink uint64 }

// warmStakes is WarmStakes for at most maxWarm refs, returning the xor of
// the words it read.
func (l *Ledger) warmStakes(refs []StakeRef) uint64 {
	var cells [maxWarm]*units.TAO
	var pools [maxWarm]*SharePool
	var hb, hs [maxWarm]uint64
	// Level 1: the tables' home slots of the balances and the pools,
	// independent of each other (a lookup then seldom leaves the line of
	// its home slot, the tables being at most half full), then the
	// lookups themselves.
	var x uint64
	bt, st := &l.balances, &l.stake
	for m := range refs {
		r := &refs[m]
		hb[m] = accountHash(&bt.seed, &r.Coldkey)
		k := stakeKey{r.Hotkey, r.NetUID}
		hs[m] = stakeHash(&st.seed, &k)
		x ^= bt.slotOf(hb[m]).h ^ st.slotOf(hs[m]).h
	}
	for m := range refs {
		r := &refs[m]
		cells[m] = bt.find(&r.Coldkey, hb[m])
		k := stakeKey{r.Hotkey, r.NetUID}
		pools[m] = st.find(&k, hs[m])
	}
	// Level 2: the cells and the share pools' lines the calls read (value
	// and denominator, then the slices' headers).
	var lens [maxWarm]int
	for m := range refs {
		if c := cells[m]; c != nil {
			x ^= uint64(c.Rao())
		}
		if p := pools[m]; p != nil {
			x ^= p.value.Rao()
			lens[m] = len(p.one[0].prefixes)
		}
	}
	// Level 3: the prefixes and the entries the coldkey's search reads
	// and a stake's insertion moves: every line of a small pool's (a word
	// of each), else the prefix and the entry where the search starts.
	// A pool of several chunks: its chunks' header and first prefixes,
	// which the search for the chunk reads (levels 4 and 5 go on).
	var chunked [maxWarm]*shareChunks
	for m := range refs {
		n := lens[m]
		if n == 0 { // no pool, an empty one or one of several chunks
			if p := pools[m]; p != nil && p.more != nil {
				chunked[m] = p.more
				x ^= p.more.firsts[0]
			}
			continue
		}
		ch := &pools[m].one[0]
		if n <= warmWhole {
			for i := 0; i < n; i += 8 { // eight prefixes to a line
				x ^= ch.prefixes[i]
			}
			for i := 0; i < n; i++ { // 56-byte entries: at least one word of each line
				x ^= uint64(ch.entries[i].coldkey[0])
			}
			continue
		}
		g := prefixGuess(accountPrefix(&refs[m].Coldkey), n)
		x ^= ch.prefixes[g] ^ uint64(ch.entries[g].coldkey[0])
	}
	// Levels 4 and 5, pools of several chunks: the chunk the coldkey
	// belongs in and its header (shareChunks.pick), then the prefix and
	// the entry of that chunk where the search in it starts. Late in a
	// year of sim.BenchConfig most pools have several chunks, and one
	// pass waiting on each pool's links in turn overlapped the misses of
	// only the few refs the processor's window holds.
	var ks, gs [maxWarm]int
	for m, ch := range chunked {
		if ch != nil {
			ks[m], gs[m] = ch.pick(accountPrefix(&refs[m].Coldkey), &refs[m].Coldkey)
		}
	}
	for m, ch := range chunked {
		if ch != nil {
			c, g := &ch.chunks[ks[m]], gs[m]
			x ^= c.prefixes[g] ^ uint64(c.entries[g].coldkey[0])
		}
	}
	return x
}

// warmWhole is the largest pool whose entries WarmStakes reads whole.
const warmWhole = 16

// prefixGuess is where a coldkey whose prefix is key would lie among n
// evenly spread prefixes: ⌊(key>>32)·n/2^32⌋ < n, exact in 64 bits for
// any n below 2^32 (SharePool.find starts a one-chunk pool's search
// there).
func prefixGuess(key uint64, n int) int {
	return int((key >> 32) * uint64(n) >> 32)
}
