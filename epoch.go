package dtao

import (
	"encoding/binary"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// stakeView fills the epoch's stake per uid of the subnet: each hotkey's
// alpha and root stake with what its parents pass it and its children take
// (get_inherited_for_hotkey_on_subnet and
// get_tao_inherited_for_hotkey_on_subnet, staking/stake_utils.rs). It
// keeps each uid's share pools on the subnet and on root, its owner and its
// delegate take in buf.uids, looked up afresh.
func (l *Ledger) stakeView(netuid units.NetUID, sn *subnet.Subnet, buf *viewBuffers) subnet.StakeView {
	buf.uids = growTo(buf.uids, int(sn.N()))
	for uid := range buf.uids {
		buf.uids[uid] = l.lookUpUID(sn, netuid, units.UID(uid))
	}
	return l.viewOf(netuid, buf.uids, buf)
}

// epochView is stakeView for the block's epoch of netuid: the uids' lookups
// are kept from the subnet's last epoch while no share pool, owner or
// delegate take has been added or removed since (keysGen, and the
// subnet's own payouts' pools: payoutPoolChanged) and each uid holds the
// same hotkey (subnet.Subnet.HotkeysVersion unchanged, or each hotkey
// compared); the stakes themselves are read afresh from the pools. It returns the subnet's kept lookups, whose uids are the uids'
// states.
func (l *Ledger) epochView(netuid units.NetUID, sn *subnet.Subnet) (subnet.StakeView, *uidCache) {
	buf := &l.buf
	if buf.uidCaches == nil {
		buf.uidCaches = make(map[units.NetUID]*uidCache)
	}
	c := buf.uidCaches[netuid]
	if c == nil {
		c = &uidCache{}
		buf.uidCaches[netuid] = c
	}
	n := int(sn.N())
	fresh := !c.valid || c.gen != buf.keysGen || len(c.uids) != n
	c.uids = growTo(c.uids, n)
	c.roots = growTo(c.roots, n)
	roots := c.roots[:n]
	// viewOf's first pass in the same loop: each uid's pools' values as
	// soon as its lookups are current.
	view := &buf.view
	view.alpha, view.tao = growTo(view.alpha, n), growTo(view.tao, n)
	alpha, tao := view.alpha[:n], view.tao[:n]
	version := sn.HotkeysVersion()
	if !fresh && version != 0 && c.keysVersion == version {
		// The subnet holds the hotkeys the lookups were made for
		// (subnet.Subnet.HotkeysVersion: the same nonzero version, the
		// same hotkeys by uid), so each uid's lookups are current without
		// comparing its hotkey: the loop below with every comparison
		// equal (TestEpochViewVersionShortcut).
		// The root pools from roots, the copy of the uids' root that
		// the pass below keeps: the states' first lines only are read,
		// not their second, where root lies (uidState). Every slice of
		// the loop is of length n, so that it indexes them without bounds
		// checks.
		uids := c.uids[:n]
		for uid := range uids {
			u := &uids[uid]
			u.alphaStake, u.rootStake = poolTotal(u.alpha), poolTotal(roots[uid])
			alpha[uid], tao[uid] = u.alphaStake, units.TAO(u.rootStake)
		}
		return l.inheritLinks(netuid, c.uids, view), c
	}
	// Whether any uid is looked up again: its owner hotkeys are then
	// computed again (ownerHotkeys).
	lookedUp := fresh
	for uid := range c.uids {
		u := &c.uids[uid]
		if h, _ := sn.Hotkey(units.UID(uid)); fresh || !sameAccount(&u.hotkey, &h) {
			*u = l.lookUpUID(sn, netuid, units.UID(uid))
			lookedUp = true
		}
		u.alphaStake, u.rootStake = poolTotal(u.alpha), poolTotal(u.root)
		alpha[uid], tao[uid] = u.alphaStake, units.TAO(u.rootStake)
		roots[uid] = u.root
	}
	c.valid, c.gen, c.keysVersion = true, buf.keysGen, version
	c.ownersKept = c.ownersKept && !lookedUp
	return l.inheritLinks(netuid, c.uids, view), c
}

// lookUpUID looks up what the epoch reads of the hotkey at uid.
func (l *Ledger) lookUpUID(sn *subnet.Subnet, netuid units.NetUID, uid units.UID) uidState {
	h, _ := sn.Hotkey(uid)
	u := uidState{hotkey: h, alpha: l.stake.pool(stakeKey{h, netuid}), root: l.stake.pool(stakeKey{h, RootNetUID})}
	u.owner, u.hasOwner = l.owner[h]
	u.take, u.hasTake = l.delegateTake[h]
	return u
}

// viewOf computes the stake view from the uids' states.
func (l *Ledger) viewOf(netuid units.NetUID, uids []uidState, buf *viewBuffers) subnet.StakeView {
	n := len(uids)
	buf.alpha = growTo(buf.alpha, n)
	buf.tao = growTo(buf.tao, n)
	// The pools' values first, in a loop of independent loads whose
	// cache misses the processor overlaps; then the inheritance, on
	// values in hand.
	for uid := range uids {
		u := &uids[uid]
		u.alphaStake, u.rootStake = poolTotal(u.alpha), poolTotal(u.root)
		buf.alpha[uid], buf.tao[uid] = u.alphaStake, units.TAO(u.rootStake)
	}
	return l.inheritLinks(netuid, uids, buf)
}

// inheritLinks is the view of the uids whose own stakes buf.alpha and
// buf.tao hold (viewOf's first pass): each with what its parents pass it
// and its children take.
func (l *Ledger) inheritLinks(netuid units.NetUID, uids []uidState, buf *viewBuffers) subnet.StakeView {
	if !l.hasLinks() {
		// No hotkey has children or parents: each inherits its own
		// stakes (consensus.Inherited of no shares is its own amount,
		// TestInheritedWithoutLinksIsOwn), as the values in hand are.
		return subnet.StakeView{Alpha: buf.alpha, TAO: buf.tao}
	}
	for uid := range uids {
		buf.alpha[uid], buf.tao[uid] = l.inheritedFrom(uids[uid].hotkey, netuid, buf.alpha[uid], buf.tao[uid], buf)
	}
	return subnet.StakeView{Alpha: buf.alpha, TAO: buf.tao}
}

// hasLinks reports whether any hotkey has children or parents on any
// subnet (ChildKeys, ParentKeys): without, every lookup of them finds none.
func (l *Ledger) hasLinks() bool { return len(l.children) != 0 || len(l.parents) != 0 }

// sameAccount is a == b on four 8-byte words loaded in place, inline
// (the 32-byte array comparison calls the runtime's memequal, and
// comparing 16-byte halves copies each through the stack): the first
// words, which tell most different accounts apart, then the other three
// at once.
func sameAccount(a, b *units.AccountID) bool {
	le := binary.LittleEndian
	if le.Uint64(a[:8]) != le.Uint64(b[:8]) {
		return false
	}
	return (le.Uint64(a[8:16])^le.Uint64(b[8:16]))|(le.Uint64(a[16:24])^le.Uint64(b[16:24]))|(le.Uint64(a[24:])^le.Uint64(b[24:])) == 0
}

// keysChanged records that a share pool, an owner or a delegate take was
// added or removed: the epochs' kept lookups (epochView) are stale.
func (l *Ledger) keysChanged() { l.buf.keysGen++ }

// uidCache is one subnet's uid lookups kept between its epochs: valid for
// the keysGen it was made at.
type uidCache struct {
	valid bool
	gen   uint64
	uids  []uidState
	// roots is each uid's root pool (its uidState's root), which the
	// view's pass of kept lookups reads from here: 8 bytes a uid, next to
	// one another, rather than the second line of each uid's state,
	// which holds nothing else that pass reads. epochView writes it with
	// the lookups, and nothing else changes a kept lookup's root pool
	// (the payouts credit the subnet's pools only).
	roots []*SharePool
	// keysVersion is the subnet's HotkeysVersion when the uids' hotkeys
	// were last checked against it (epochView).
	keysVersion uint64
	// warm keeps what warmOwnerEntries read, so that its loads are not
	// dropped as dead.
	warm uint64
	// owners is the subnet owner's hotkeys among the uids (ownerHotkeys),
	// computed from uids and the subnet's owner fields copied beside it:
	// current while ownersKept (no uid looked up since, epochView) and
	// the subnet's fields are the copies.
	owners         []units.AccountID
	ownersKept     bool
	ownersHas      bool // the subnet's HasOwnerHotkey
	ownersOwner    units.AccountID
	ownersOwnerHot units.AccountID // the subnet's OwnerHotkey
}

// ownerHotkeys is get_owner_hotkeys (coinbase/run_coinbase.rs) of the
// subnet whose uids c holds, current (epochView): the hotkeys, in uid
// order, owned by the subnet's owner, and the subnet's owner hotkey when
// it has a uid. The list depends only on the uids' hotkeys and owners and
// on the subnet's Owner, HasOwnerHotkey and OwnerHotkey: it is kept from
// the last epoch while no uid has been looked up since and those fields
// are the same (TestOwnerHotkeysKept). The caller must not modify it.
func (c *uidCache) ownerHotkeys(sn *subnet.Subnet) []units.AccountID {
	if c.ownersKept && c.ownersHas == sn.HasOwnerHotkey &&
		sameAccount(&c.ownersOwner, &sn.Owner) && sameAccount(&c.ownersOwnerHot, &sn.OwnerHotkey) {
		return c.owners
	}
	owners := c.owners[:0]
	for i := range c.uids {
		if u := &c.uids[i]; u.hasOwner && sameAccount(&u.owner, &sn.Owner) || sn.HasOwnerHotkey && sameAccount(&u.hotkey, &sn.OwnerHotkey) {
			owners = append(owners, u.hotkey)
		}
	}
	c.owners, c.ownersKept = owners, true
	c.ownersHas, c.ownersOwner, c.ownersOwnerHot = sn.HasOwnerHotkey, sn.Owner, sn.OwnerHotkey
	return owners
}

// warmOwnerEntries reads, for each uid of lines, the entry of its owner
// in its pool on the subnet where the payouts last found it (ownerAt),
// and returns a value made of what it read. It changes no state: it
// brings the entries the payouts will credit into the cache while the
// distribution computes.
//
// An entry is the end of a chain of dependent loads, each of which may
// miss: the pool's second line (its single chunk's entries, or its
// chunks), then the entry; a pool of several chunks has two links more,
// its chunks' header and the chunk's, unless the owner's entry is the
// pool's pinned one (SharePool.pin, which the payouts make), read in the
// first line of the chunks' object. Each pass over the lines loads one
// link of every pool, so that those misses are independent of one
// another and the processor overlaps as many as it can hold; the last
// pass then waits on the entries alone. One pass doing all waited on
// each pool's links in turn, with a few lines in flight at most. (The
// passes for the two links of a pool of several chunks were measured
// when most pools had grown to several chunks, late in a year of
// sim.BenchConfig; early, when few have, a pass for every link had
// measured no faster.)
//
// Where the entry read is not the owner's (stakes added or removed since
// moved it), the owner's entry is looked for among the few next to it
// (nearEntry, within the entry's chunk) and ownerAt set to it when found:
// a hint only, which stakeAt checks before using (SharePool.findAt), so
// that the payout finds the entry with one comparison rather than a
// search.
//
// Only the uids of lines (the epoch's uids with emission, distribute)
// are read: no other is credited through its state.
func warmOwnerEntries(uids []uidState, lines []units.UID, w []*uidState) (uint64, []*uidState) {
	w = w[:0]
	var sum uint64
	// The pools' second lines (the length of a pool's single chunk is
	// there, with its chunks).
	for _, uid := range lines {
		if u := &uids[uid]; u.alpha != nil && u.hasOwner {
			w = append(w, u)
			sum += uint64(len(u.alpha.one[0].entries))
		}
	}
	// A pool of several chunks: its pinned entry, where the owner's entry
	// of a grown pool lies (pin: the payouts pinned it), ending its
	// chain, else its chunks' header; then the header of the chunk the
	// hint names, each pass's loads independent of each other.
	k := 0
	for _, u := range w {
		if m := u.alpha.more; m != nil {
			if m.pinned() && sameAccount(&m.pin.coldkey, &u.owner) {
				u.ownerAt = pinPos
				continue
			}
			sum += uint64(len(m.chunks))
		}
		w[k] = u
		k++
	}
	w = w[:k]
	for _, u := range w {
		if m := u.alpha.more; m != nil {
			sum += uint64(len(m.chunks[m.chunkNear(u.ownerAt)].entries))
		}
	}
	// The entries, and the hints.
	for _, u := range w {
		es, j, base := u.alpha.entriesNear(u.ownerAt)
		if len(es) == 0 {
			continue
		}
		e := &es[j]
		sum += uint64(e.coldkey[0])
		if e.share.IsZero() {
			sum++
		}
		if !sameAccount(&e.coldkey, &u.owner) {
			if i, ok := nearEntry(es, j, &u.owner); ok {
				u.ownerAt = base + i
			}
		}
	}
	return sum, w
}

// nearReach is how far from its last place nearEntry looks for an entry.
const nearReach = 8

// nearEntry returns the index of c's entry in es, sorted by coldkey, when
// it lies within nearReach places of j (in range), walking from j towards
// it; ok is false when it is not there (absent, or farther).
func nearEntry(es []shareEntry, j int, c *units.AccountID) (int, bool) {
	switch cmp := units.CompareAccounts(&es[j].coldkey, c); {
	case cmp == 0:
		return j, true
	case cmp < 0:
		for k := j + 1; k < len(es) && k <= j+nearReach; k++ {
			switch cmp := units.CompareAccounts(&es[k].coldkey, c); {
			case cmp == 0:
				return k, true
			case cmp > 0:
				return 0, false
			}
		}
		return 0, false
	}
	for k := j - 1; k >= 0 && k >= j-nearReach; k-- {
		switch cmp := units.CompareAccounts(&es[k].coldkey, c); {
		case cmp == 0:
			return k, true
		case cmp < 0:
			return 0, false
		}
	}
	return 0, false
}

// inherited is the hotkey's alpha stake on netuid and its root stake, each
// with what its parents pass it and its children take
// (get_inherited_for_hotkey_on_subnet and
// get_tao_inherited_for_hotkey_on_subnet, staking/stake_utils.rs), using
// buf's share slices as scratch.
func (l *Ledger) inherited(h units.AccountID, netuid units.NetUID, buf *viewBuffers) (units.Alpha, units.TAO) {
	return l.inheritedFrom(h, netuid, l.hotkeyAlpha(h, netuid), units.TAO(l.hotkeyAlpha(h, RootNetUID)), buf)
}

// inheritedFrom is inherited for a hotkey whose own alpha and root stakes
// are known.
func (l *Ledger) inheritedFrom(h units.AccountID, netuid units.NetUID, alpha units.Alpha, root units.TAO, buf *viewBuffers) (units.Alpha, units.TAO) {
	k := stakeKey{h, netuid}
	children, parents := l.children[k], l.parents[k]
	if len(children) == 0 && len(parents) == 0 {
		return consensus.Inherited(alpha, nil, nil), consensus.Inherited(root, nil, nil)
	}
	ca, pa := buf.childA[:0], buf.parentA[:0]
	ct, pt := buf.childT[:0], buf.parentT[:0]
	for _, c := range children {
		ca = append(ca, consensus.Share[units.Alpha]{Proportion: c.Proportion})
		ct = append(ct, consensus.Share[units.TAO]{Proportion: c.Proportion})
	}
	for _, p := range parents {
		pa = append(pa, consensus.Share[units.Alpha]{Stake: l.hotkeyAlpha(p.Hotkey, netuid), Proportion: p.Proportion})
		pt = append(pt, consensus.Share[units.TAO]{Stake: units.TAO(l.hotkeyAlpha(p.Hotkey, RootNetUID)), Proportion: p.Proportion})
	}
	buf.childA, buf.parentA, buf.childT, buf.parentT = ca, pa, ct, pt
	return consensus.Inherited(alpha, ca, pa), consensus.Inherited(root, ct, pt)
}

// viewBuffers are stakeView's scratch slices.
type viewBuffers struct {
	alpha   []units.Alpha
	tao     []units.TAO
	uids    []uidState
	childA  []consensus.Share[units.Alpha]
	parentA []consensus.Share[units.Alpha]
	childT  []consensus.Share[units.TAO]
	parentT []consensus.Share[units.TAO]
	// warm is warmOwnerEntries' list of the lines' uid states.
	warm []*uidState
}

// uidState is what the epoch's stake view looked up of one uid's hotkey,
// kept for the distribution of the same block: its share pools on the
// subnet and on root (nil when it has none), its owner and its delegate
// take. Nothing between the view and the payouts adds or removes a pool
// except the payouts themselves, which keep these current.
//
// It is 128 bytes, two cache lines. The first 64 bytes hold what the
// distribution reads of each line, in the hotkey order of the epoch's
// lines (a random order over the uids): the alpha pool, the values the
// view read, the owner and the delegate take, which the line loop
// (fillOwnState) and the payouts (creditLine) read; so that those loops
// touch one line of each uid. The second holds what only the view's pass
// in uid order (the root pool; the hotkey, compared when the kept lookups
// are checked), the root dividends (claimable) and the owner's hint read;
// the view's pass over kept lookups, every uid's, reads the root pools
// from their copy in uidCache.roots instead, so that it touches the first
// line of each uid only.
// That holds at 256 uids (subnet.DefaultMaxAllowedUids, the benchmark's
// subnets), whose 32 KiB array is a heap block of its own, page-aligned;
// a smaller array starts 8 bytes into its block (the runtime's header for
// blocks with pointers), which moves each uid's lines by 8 bytes
// (TestUIDStateLayout).
type uidState struct {
	alpha *SharePool
	// alphaStake and rootStake are the pools' values as the view read
	// them (viewOf), which the distribution reads again: nothing changes
	// a pool between the view and the distribution's input.
	alphaStake, rootStake units.Alpha
	owner                 units.AccountID
	take                  uint16
	hasOwner              bool
	hasTake               bool
	root                  *SharePool
	hotkey                units.AccountID
	// claimable is the hotkey's RootClaimable entry on the subnet, nil
	// until a payout first needs it (payOut looks it up, or makes it,
	// then): the map's own pointer, which stays the entry while the
	// entry exists.
	claimable *fixed.I96F32
	ownerAt   int     // where the owner's entry was last found in alpha (stakeAt)
	_         [8]byte // to 128 bytes
}

// hotkeyAlpha is TotalHotkeyAlpha.
func (l *Ledger) hotkeyAlpha(h units.AccountID, netuid units.NetUID) units.Alpha {
	if p, ok := l.stake.lookup(stakeKey{h, netuid}); ok {
		return p.Total()
	}
	return 0
}

// hotkeyState is what the distribution reads of one hotkey on netuid.
func (l *Ledger) hotkeyState(h units.AccountID, netuid units.NetUID) emission.HotkeyState {
	u := uidState{hotkey: h, alpha: l.stake.pool(stakeKey{h, netuid}), root: l.stake.pool(stakeKey{h, RootNetUID})}
	u.owner, u.hasOwner = l.owner[h]
	u.take, u.hasTake = l.delegateTake[h]
	u.alphaStake, u.rootStake = poolTotal(u.alpha), poolTotal(u.root)
	var hs emission.HotkeyState
	l.fillHotkeyState(&hs, h, netuid, &u)
	return hs
}

// fillHotkeyState sets hs to what the distribution reads of hotkey h on
// netuid, whose pools' values and owner u holds, reusing hs's slices.
func (l *Ledger) fillHotkeyState(hs *emission.HotkeyState, h units.AccountID, netuid units.NetUID, u *uidState) {
	fillOwnState(hs, u, l.params.MinChildkeyTake)
	// Empty maps hold no entry for h: the lookups are skipped, with the
	// storage defaults (no take, no links) they would read.
	if len(l.childkeyTake) != 0 {
		hs.ChildkeyTake = max(l.childkeyTake[stakeKey{h, netuid}], l.params.MinChildkeyTake)
	}
	if !l.hasLinks() {
		return
	}
	k := stakeKey{h, netuid}
	for _, c := range l.children[k] {
		hs.ChildProportions = append(hs.ChildProportions, c.Proportion)
	}
	for _, p := range l.parents[k] {
		hs.Parents = append(hs.Parents, emission.ParentLink{Hotkey: p.Hotkey, Proportion: p.Proportion})
	}
}

// fillOwnState sets hs to what the distribution reads of a hotkey whose
// pools' values, owner and delegate take u holds, with the storage
// defaults of the rest (no childkey take of its own: minTake, the
// minimum; no children, no parents), reusing hs's slices.
func fillOwnState(hs *emission.HotkeyState, u *uidState, minTake uint16) {
	hs.Owner = u.owner
	hs.AlphaStake, hs.RootStake = u.alphaStake, u.rootStake
	hs.DelegateTake = emission.Take{}
	if u.hasTake {
		hs.DelegateTake = emission.TakeOf(u.take)
	}
	hs.ChildkeyTake = minTake
	hs.ChildProportions, hs.Parents = hs.ChildProportions[:0], hs.Parents[:0]
}

// distribute is distribute_emission (coinbase/run_coinbase.rs) for one
// drained subnet at block: the epoch, then the payouts. An epoch the
// consensus refuses (a hyperparameter the chain's Yuma would panic on)
// pays nothing: the drained alpha is booked as held by nobody and an
// EventEpochFailed reports it.
func (l *Ledger) distribute(block uint64, d drained, st *SubnetState, sn *subnet.Subnet) {
	sn.Pool, sn.MovingPrice, sn.TaoFlow = st.Pool, st.MovingPrice, st.TaoFlow // syncIn
	buf := &l.buf
	gen := buf.keysGen
	buf.payoutPools = false
	view, c := l.epochView(d.netuid, sn)
	uids := c.uids
	server, validator, err := sn.RunEpochByUID(subnet.Now{Block: block, Epoch: st.Schedule.EpochIndex}, d.total, view, &l.ws)
	if err != nil {
		st.AlphaBurned = st.AlphaBurned.SaturatingAdd(d.total).SaturatingAdd(d.ownerCut)
		l.emit(Event{Kind: EventEpochFailed, NetUID: d.netuid, Alpha: d.total})
		return
	}
	// The input's slices and map are the ledger's, reused epoch after
	// epoch. The states of the epoch's hotkeys go by line (their pools and
	// owners as the view found them); the map holds only parents.
	if buf.hotkeys == nil {
		buf.hotkeys = make(map[units.AccountID]emission.HotkeyState)
	}
	clear(buf.hotkeys)
	// Without childkey takes, children or parents, a line's state is
	// what its uid holds (fillOwnState): the maps' lookups, which would
	// find nothing, are skipped once for the epoch rather than per line.
	// The lines of no emission are then left out (most of a subnet's
	// uids: its miners without incentive, its idle validators): a line
	// whose incentive and dividend are 0 and whose hotkey has no
	// children and no parent changes no sum and pays nothing in
	// emission.Distributor.Distribute, so the distribution of the other
	// lines is the distribution of all (TestDistributeSkipsEmptyLines),
	// and the payouts then look through fewer lines.
	own := len(l.childkeyTake) == 0 && !l.hasLinks()
	// The epoch's lines are the uids in hotkey order (RunEpochByUID),
	// with emission when own.
	if own {
		buf.lineUIDs = sn.UIDsWithEmission(buf.lineUIDs, server, validator)
	} else {
		buf.lineUIDs = sn.UIDsByHotkey(buf.lineUIDs)
	}
	n := len(buf.lineUIDs)
	buf.emissions = growTo(buf.emissions, n)
	buf.states = growTo(buf.states, n)
	// Each line's hotkey prefix, for the payouts' cursor (lineCursor).
	buf.linePrefixes = growTo(buf.linePrefixes, n)
	minTake := l.params.MinChildkeyTake
	// The line slices in locals of the lines' length: the loop indexes
	// them without reloading them from buf or checking their bounds.
	emissions, states := buf.emissions[:n], buf.states[:n]
	prefixes, lineUIDs := buf.linePrefixes[:n], buf.lineUIDs[:n]
	for i, uid := range lineUIDs {
		// Line i is uid uid (RunEpoch's lines are the uids in this
		// order, TestEpochLinesAreUIDsByHotkey), and the kept lookups'
		// hotkeys are the subnet's (epochView): u is the uid's state.
		e := &emissions[i]
		e.Hotkey, _ = sn.Hotkey(uid)
		e.Incentive, e.Dividend = server[uid], validator[uid]
		prefixes[i] = accountPrefix(&e.Hotkey)
		u := &uids[uid]
		if own {
			fillOwnState(&states[i], u, minTake)
			continue
		}
		l.fillHotkeyState(&states[i], e.Hotkey, d.netuid, u)
		for _, p := range states[i].Parents {
			if _, ok := buf.hotkeys[p.Hotkey]; !ok {
				buf.hotkeys[p.Hotkey] = l.hotkeyState(p.Hotkey, d.netuid)
			}
		}
	}
	in := emission.DistributionInput{
		PendingServer: d.server, PendingValidator: d.validator,
		PendingRoot: d.root, PendingOwnerCut: d.ownerCut,
		TaoWeight: l.params.TaoWeight, CKBurn: l.params.CKBurn,
		Emissions:       emissions,
		States:          states,
		Hotkeys:         buf.hotkeys,
		RecycleWithheld: st.RecycleIncentive,
	}
	// The uids' hotkeys are the subnet's (epochView looked up every uid
	// whose hotkey changed).
	in.OwnerHotkeys = c.ownerHotkeys(sn)
	c.warm, buf.view.warm = warmOwnerEntries(uids, lineUIDs, buf.view.warm)
	dist, err := buf.distributor.Distribute(&in)
	if err != nil {
		st.AlphaBurned = st.AlphaBurned.SaturatingAdd(d.total).SaturatingAdd(d.ownerCut)
		l.emit(Event{Kind: EventEpochFailed, NetUID: d.netuid, Alpha: d.total})
		return
	}
	l.payOut(d, st, sn, dist, lineCursor{lines: in.Emissions, prefixes: prefixes, uids: lineUIDs, states: uids})
	if buf.keysGen != gen || buf.payoutPools {
		// The payouts made or dropped a pool: the next epoch looks up
		// again. (They keep uids current, but a pool of a hotkey without
		// a line may have come too: simpler to start afresh.) Only this
		// subnet's lookups can hold a pool on it (payoutPoolChanged).
		c.valid = false
	}
	l.emit(Event{Kind: EventEpoch, NetUID: d.netuid, Alpha: d.total.SaturatingAdd(d.ownerCut)})
}

// lineCursor finds the epoch's line of a hotkey for payouts listed in
// hotkey order, as the epoch's lines are: it walks forward only, so a
// list costs one pass over the lines.
type lineCursor struct {
	lines []emission.HotkeyEmission
	// prefixes[i] is accountPrefix of lines[i].Hotkey: the walk compares
	// these, and the whole hotkeys only on equal prefixes.
	prefixes []uint64
	uids     []units.UID // the uid of each line
	states   []uidState  // by uid
	next     int
}

// accountPrefix is the account's first 8 bytes read big-endian: two
// accounts whose prefixes differ order as their prefixes do
// (units.CompareAccounts compares the same words first).
func accountPrefix(a *units.AccountID) uint64 { return binary.BigEndian.Uint64(a[:8]) }

// find returns the uid state of h's line, or nil when h has none (a parent
// from outside the subnet). Successive calls must ask in increasing hotkey
// order; reset starts a new list. It steps over the lines whose prefix is
// below h's, which are below h, and compares whole hotkeys only where the
// prefixes are equal: the line it stops at, and its answer, are those of
// the walk comparing whole hotkeys at every line
// (TestLineCursorMatchesFullCompare).
func (c *lineCursor) find(h *units.AccountID) *uidState {
	key := accountPrefix(h)
	prefixes := c.prefixes[:min(len(c.prefixes), len(c.lines))]
	i := c.next
	for {
		// The lines below h by prefix: four at a time while the fourth
		// is below (the lines are in hotkey order, so their prefixes
		// do not decrease, and the three before it are below too), then
		// one at a time, in loops of one load and one comparison each:
		// the walk stops at the first line whose prefix is not below
		// key, as a walk one line at a time does.
		for i+3 < len(prefixes) && prefixes[i+3] < key {
			i += 4
		}
		for i < len(prefixes) && prefixes[i] < key {
			i++
		}
		c.next = i
		if i == len(prefixes) || prefixes[i] > key {
			return nil
		}
		switch cmp := units.CompareAccounts(&c.lines[i].Hotkey, h); {
		case cmp == 0:
			return &c.states[c.uids[i]]
		case cmp > 0:
			return nil
		}
		i++
	}
}

func (c *lineCursor) reset() { c.next = 0 }

// at returns the uid state of h's line: line's when it is one (not
// negative: the line emission.Distributor.PayoutLines gives h's payout,
// whose hotkey is h), else find's. find may follow: at leaves the walk
// where it was, behind h, and find walks forward from there.
func (c *lineCursor) at(line int32, h *units.AccountID) *uidState {
	if line >= 0 {
		return &c.states[c.uids[line]]
	}
	return c.find(h)
}

// payOut applies distribute_dividends_and_incentives
// (coinbase/run_coinbase.rs) to the ledger, booking every rao of the
// drained buckets: what no stake receives is recycled (SubnetAlphaOut −=)
// or held by nobody (AlphaBurned). The hotkeys with a line in the epoch
// are credited through the pools the stake view found (lines); the others
// are looked up.
func (l *Ledger) payOut(d drained, st *SubnetState, sn *subnet.Subnet, dist *emission.Distribution, lines lineCursor) {
	t := payTally{l: l, netuid: d.netuid}
	if sn.HasOwnerHotkey {
		// To the owner coldkey, which need not own the hotkey: not through
		// the line. Its pool may have been made or dropped: the line, if
		// any, reads it afresh.
		t.credit(&sn.OwnerHotkey, &sn.Owner, dist.OwnerCut)
		if uid, ok := sn.UID(sn.OwnerHotkey); ok && int(uid) < len(lines.states) {
			// The owner hotkey's uid state, whether or not it has a
			// line (the lines of no emission are left out).
			lines.states[uid].alpha = l.stake.pool(stakeKey{sn.OwnerHotkey, d.netuid})
		}
	} else {
		t.paid = t.paid.SaturatingAdd(dist.OwnerCut)
		t.unheld = t.unheld.SaturatingAdd(dist.OwnerCut)
	}
	// Each payout's line, where the distribution kept it, spares the
	// cursor's walk (lineCursor.at); the lists are as long as the
	// payouts'.
	incLines, alphaLines, rootLines := l.buf.distributor.PayoutLines() // dist's distributor
	incLines, alphaLines, rootLines = incLines[:len(dist.Incentives)], alphaLines[:len(dist.AlphaDividends)], rootLines[:len(dist.RootDividends)]
	for i := range dist.Incentives {
		p := &dist.Incentives[i]
		if p.Amount == 0 {
			continue
		}
		t.creditOwner(&p.Hotkey, lines.at(incLines[i], &p.Hotkey), p.Amount)
	}
	lines.reset()
	t.paid = t.paid.SaturatingAdd(dist.Withheld)
	if st.RecycleIncentive {
		st.Pool.AlphaOut = st.Pool.AlphaOut.SaturatingSub(dist.Withheld)
	} else {
		t.unheld = t.unheld.SaturatingAdd(dist.Withheld)
	}
	st.MinerBurned = dist.MinerBurned
	for i := range dist.AlphaDividends {
		p := &dist.AlphaDividends[i]
		u := lines.at(alphaLines[i], &p.Hotkey)
		t.creditOwner(&p.Hotkey, u, p.Take)
		if p.Rest > 0 {
			t.paid = t.paid.SaturatingAdd(p.Rest)
			var ok bool
			if u != nil {
				ok = u.alpha != nil && !u.alpha.empty() && u.alpha.Dividend(p.Rest) == nil
			} else {
				ok = l.creditPool(p.Hotkey, d.netuid, p.Rest)
			}
			if !ok {
				t.unheld = t.unheld.SaturatingAdd(p.Rest)
			}
		}
	}
	lines.reset()
	for i := range dist.RootDividends {
		p := &dist.RootDividends[i]
		u := lines.at(rootLines[i], &p.Hotkey)
		t.creditOwner(&p.Hotkey, u, p.Take)
		if p.Rest == 0 {
			continue
		}
		// increase_root_claimable_for_hotkey_and_subnet
		// (staking/claim_root.rs): a dividend above the root stake is
		// staked to the hotkey's owner instead. (The payouts credit the
		// subnet's pools only, and the subnet is not root: the root pools
		// hold the values the view read into u.rootStake.)
		var rootStake units.Alpha
		if u != nil {
			rootStake = u.rootStake
		} else {
			rootStake = l.hotkeyAlpha(p.Hotkey, RootNetUID)
		}
		if p.Rest > rootStake {
			t.creditOwner(&p.Hotkey, u, p.Rest)
			continue
		}
		t.paid = t.paid.SaturatingAdd(p.Rest)
		st.RootClaimableAlpha = st.RootClaimableAlpha.SaturatingAdd(p.Rest)
		if inc, ok := emission.RootClaimableIncrement(p.Rest, rootStake); ok {
			var r *fixed.I96F32
			if u != nil {
				r = l.claimableOf(p.Hotkey, d.netuid, u)
			} else {
				r = l.claimableEntry(stakeKey{p.Hotkey, d.netuid})
			}
			*r = r.SaturatingAdd(inc)
		}
	}
	paid, unheld := t.paid.SaturatingAdd(dist.CKBurned), t.unheld
	st.Pool.AlphaOut = st.Pool.AlphaOut.SaturatingSub(dist.CKBurned)
	// The CK burn is recycled on top of dividends renormalised to the
	// whole pool: what was paid beyond the drained alpha left
	// SubnetAlphaOut without leaving a holder.
	total := d.total.SaturatingAdd(d.ownerCut)
	if total > paid {
		unheld = unheld.SaturatingAdd(total - paid)
	} else {
		st.AlphaOutShortfall = st.AlphaOutShortfall.SaturatingAdd(paid - total)
	}
	st.AlphaBurned = st.AlphaBurned.SaturatingAdd(unheld)
}

// payTally is one payout's running sums: the alpha paid (staked, or
// counted as held by nobody) and the part of it no stake holds.
type payTally struct {
	l            *Ledger
	netuid       units.NetUID
	paid, unheld units.Alpha
}

// credit stakes a to (h, c), looking h's pool up (not through a line). A
// zero amount changes nothing.
func (t *payTally) credit(h, c *units.AccountID, a units.Alpha) {
	if a == 0 {
		return
	}
	t.paid = t.paid.SaturatingAdd(a)
	if !t.l.creditStake(*h, *c, t.netuid, a) {
		t.unheld = t.unheld.SaturatingAdd(a)
	}
}

// creditOwner stakes a to h and its owner: through h's line u when u is
// not nil (u.owner is l.owner[h]), else to the map's owner (the zero
// account for a hotkey without one, as the map reads; creditStake then
// holds nothing). A zero amount changes nothing.
func (t *payTally) creditOwner(h *units.AccountID, u *uidState, a units.Alpha) {
	if a == 0 {
		return
	}
	t.paid = t.paid.SaturatingAdd(a)
	var ok bool
	if u != nil {
		ok = t.l.creditLine(h, u, t.netuid, a)
	} else {
		ok = t.l.creditStake(*h, t.l.owner[*h], t.netuid, a)
	}
	if !ok {
		t.unheld = t.unheld.SaturatingAdd(a)
	}
}

// claimableOf is the RootClaimable entry of h, whose line u is, on
// netuid: the one u keeps, or the map's, made when absent, which u then
// keeps. Nothing but the removal of the subnet (after which the next
// epoch looks its uids up afresh: keysChanged) takes an entry out of the
// map or puts another pointer in its place.
func (l *Ledger) claimableOf(h units.AccountID, netuid units.NetUID, u *uidState) *fixed.I96F32 {
	if u.claimable == nil {
		u.claimable = l.claimableEntry(stakeKey{h, netuid})
	}
	return u.claimable
}

// claimableEntry is the RootClaimable entry of k, made at the storage
// default 0 when absent: one lookup where reading and writing back the
// value would take two.
func (l *Ledger) claimableEntry(k stakeKey) *fixed.I96F32 {
	r := l.rootClaimable[k]
	if r == nil {
		r = new(fixed.I96F32)
		l.addClaimable(k, r)
	}
	return r
}

// poolTotal is the pool's value, 0 for no pool (TotalHotkeyAlpha's
// storage default).
func poolTotal(p *SharePool) units.Alpha {
	if p == nil {
		return 0
	}
	return p.Total()
}

// creditLine is creditStake for a hotkey of the epoch, whose pool on the
// subnet and owner u holds (and keeps current: a pool made or dropped here
// is recorded in u).
func (l *Ledger) creditLine(h *units.AccountID, u *uidState, netuid units.NetUID, amount units.Alpha) bool {
	if !u.hasOwner {
		return false
	}
	if u.alpha == nil {
		ok := l.creditStake(*h, u.owner, netuid, amount)
		u.alpha = l.stake.pool(stakeKey{*h, netuid})
		return ok
	}
	if err := u.alpha.stakeAt(u.owner, amount, &u.ownerAt); err != nil {
		if u.alpha.isEmpty() {
			l.stake.remove(stakeKey{*h, netuid})
			l.payoutPoolChanged(netuid)
			u.alpha = nil
		}
		return false
	}
	// The owner's entry of a grown pool is credited epoch after epoch:
	// pinned, it is read in the first line of the pool's chunks' object
	// (SharePool.pin).
	if m := u.alpha.more; m != nil && !m.pinned() {
		u.alpha.pin(&u.owner, &u.ownerAt)
	}
	return true
}

// creditStake is increase_stake_for_hotkey_and_coldkey_on_subnet: amount
// joins the coldkey's share of the hotkey's pool. It reports false when
// the share pool cannot represent it (the alpha then stays unheld).
func (l *Ledger) creditStake(h, c units.AccountID, netuid units.NetUID, amount units.Alpha) bool {
	if _, ok := l.owner[h]; !ok {
		return false
	}
	k := stakeKey{h, netuid}
	p, ok := l.stake.lookup(k)
	if !ok {
		p = &SharePool{}
		l.stake.set(k, p)
		l.payoutPoolChanged(netuid)
	}
	if err := p.Stake(c, amount); err != nil {
		if p.isEmpty() {
			l.stake.remove(k)
			l.payoutPoolChanged(netuid)
		}
		return false
	}
	return true
}

// payoutPoolChanged records that an epoch's payouts on netuid made or
// dropped a share pool on netuid (creditStake, creditLine, which only the
// payouts call). The kept lookups of another subnet M hold pools on M and
// on root only (lookUpUID), and the block's subnet list no pool, so a
// pool on a non-root netuid makes only netuid's own lookups stale:
// distribute drops those (payoutPools) rather than every subnet's
// (keysChanged), whose other lookups stay as a lookup finds them
// (UIDCachesCurrent checks every valid one after every call and block in
// the tests). A pool on root is in every subnet's lookups: keysChanged.
func (l *Ledger) payoutPoolChanged(netuid units.NetUID) {
	if netuid == RootNetUID {
		l.keysChanged()
		return
	}
	l.buf.payoutPools = true
}

// creditPool is increase_stake_for_hotkey_on_subnet: amount raises the
// value of every share of the hotkey's pool. A pool without shares cannot
// take it.
func (l *Ledger) creditPool(h units.AccountID, netuid units.NetUID, amount units.Alpha) bool {
	p, ok := l.stake.lookup(stakeKey{h, netuid})
	if !ok || p.empty() {
		return false
	}
	return p.Dividend(amount) == nil
}
