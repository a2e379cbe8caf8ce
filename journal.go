package dtao

import (
	"slices"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// journal records what a call changes so that a failing call can restore
// the state exactly: the chain runs every extrinsic in a storage
// transaction that an error rolls back.
//
// A share pool is not copied: the journal keeps its value and denominator
// as they were and, through the pool's rec link, each coldkey's share as
// it was before each write (entries, undone in reverse order). Every
// change of a pool's shares goes through SharePool.setShare, so the undo
// restores exactly the entries a copy would have held.
type journal struct {
	l *Ledger
	// id is the journal's number (Ledger.jseq); open is set from begin
	// to commit or rollback. A pool records its writes only into the open
	// journal whose id it was linked with.
	id         uint64
	open       bool
	issuance   units.TAO
	totalStake units.TAO
	balances   []balanceUndo
	subnets    []subnetUndo
	// pools are the subnets a stake call's swap changed, recorded with
	// the fields that swap changes only (subnetPoolOf); undone after
	// subnets.
	pools   []poolUndo
	shares  []shareUndo
	entries []entryUndo
	// structural holds the undo of changes beyond balances, SubnetStates
	// and share pools (a subnet.Subnet changed, a subnet added or removed,
	// a new Owner entry, the registration lock state), undone in reverse
	// order before the rest.
	structural   []func()
	lastLockCost units.TAO
	lastNetReg   uint64
	// claims is the calls' RootClaimed undo log, lent to one callLog at
	// a time (Ledger.jr's only; callLog.saveRow and release) and kept
	// across begin, so that a root stake call's log does not allocate.
	claims claimLog
	// events is the calls' event buffer, lent like claims to one callLog
	// at a time (callLog.event and release), so that a call's events do
	// not allocate when the ledger has an event function.
	events []Event
	// fee is the cell of the account the stake calls' TAO fees go to
	// (payFeeFrom), kept across begin; only Ledger.jr's is used.
	fee keptCell
}

type balanceUndo struct {
	account units.AccountID
	old     units.TAO
}

type subnetUndo struct {
	netuid units.NetUID
	old    SubnetState
}

// poolUndo is the part of a subnet's state that stake_into_subnet and
// unstake_from_subnet change (its pool, TaoFlow and AlphaBurned), as it
// was before the call changed it.
type poolUndo struct {
	netuid      units.NetUID
	pool        amm.Pool
	taoFlow     int64
	alphaBurned units.Alpha
}

// shareUndo is a (hotkey, netuid) pool the call changes: the pool, whether
// the call created it, and its value and denominator before the call.
type shareUndo struct {
	key   stakeKey
	pool  *SharePool
	fresh bool
	value units.Alpha
	denom fixed.SafeFloat
}

// entryUndo is a coldkey's share in a pool before one write (zero: no
// entry).
type entryUndo struct {
	pool    *SharePool
	coldkey units.AccountID
	share   fixed.SafeFloat
}

// begin starts a call's journal: the ledger's own, its slices reused,
// unless another call's journal holds it (then a new one). Every field
// but claims and fee, which are kept across calls, is set here,
// one by one: a whole-struct assignment is a typed copy of the
// journal's many pointers, which while the collector marks runs its
// write barrier over each of them, every call.
func (l *Ledger) begin() *journal {
	j := &l.jr
	if j.open {
		j = &journal{}
	}
	l.jseq++
	j.l, j.id, j.open = l, l.jseq, true
	j.issuance, j.totalStake = l.totalIssuance, l.totalStake
	j.lastLockCost, j.lastNetReg = l.lastLockCost, l.lastNetworkRegistered
	j.balances = j.balances[:0]
	j.subnets = j.subnets[:0]
	j.pools = j.pools[:0]
	j.shares = j.shares[:0]
	j.entries = j.entries[:0]
	j.structural = j.structural[:0]
	return j
}

// end closes the journal: the pools' links are cut and the references the
// slices hold dropped, so that the reused journal keeps nothing alive.
func (j *journal) end() {
	j.open = false
	for _, u := range j.shares {
		u.pool.rec, u.pool.recID = nil, 0
	}
	clear(j.shares)
	clear(j.entries)
	clear(j.structural)
	j.l = nil
}

// net returns the subnet.Subnet of netuid to change, a deep copy of it
// kept to restore on rollback.
func (j *journal) net(netuid units.NetUID) *subnet.Subnet {
	sn := j.l.nets[netuid]
	backup := sn.Clone()
	j.structural = append(j.structural, func() { j.l.nets[netuid] = backup; j.l.keysChanged() })
	return sn
}

// setOwner records Owner[hotkey] = coldkey for a hotkey without an owner.
func (j *journal) setOwner(hotkey, coldkey units.AccountID) {
	j.l.owner[hotkey] = coldkey
	j.l.keysChanged()
	j.structural = append(j.structural, func() {
		delete(j.l.owner, hotkey)
		j.l.ownerRemovals++
		j.l.keysChanged()
	})
}

// addSubnet inserts a new subnet (st and, for a non-root netuid, sn).
func (j *journal) addSubnet(st *SubnetState, sn *subnet.Subnet) {
	l, netuid := j.l, st.NetUID
	l.subnets[netuid] = st
	if sn != nil {
		l.nets[netuid] = sn
	}
	l.reorder()
	j.structural = append(j.structural, func() {
		delete(l.subnets, netuid)
		delete(l.nets, netuid)
		l.reorder()
	})
}

// removed is what removeSubnet takes out of the ledger, to put back.
type removed struct {
	netuid          units.NetUID
	st              *SubnetState
	sn              *subnet.Subnet
	stake           map[stakeKey]*SharePool
	children        map[stakeKey][]Link
	parents         map[stakeKey][]Link
	childkeyTake    map[stakeKey]uint16
	pendingChildren map[stakeKey]PendingChildren
	rootClaimable   map[stakeKey]*fixed.I96F32
	rootClaimed     map[claimKey]fixed.U128
	rateLimits      map[RateLimitKey]uint64
}

// removeSubnet deletes the subnet and every entry keyed by its netuid
// that remove_network and destroy_alpha_in_out_stakes delete
// (pallets/subtensor/src/coinbase/root.rs, staking/remove_stake.rs):
// the share pools, ChildKeys, ParentKeys, ChildkeyTake, PendingChildKeys,
// RootClaimable and RootClaimed of the netuid and its
// TransactionKeyLastBlock entries (the SetChildren rate limits).
func (j *journal) removeSubnet(netuid units.NetUID) {
	l := j.l
	r := &removed{
		netuid: netuid, st: l.subnets[netuid], sn: l.nets[netuid],
		stake:           l.stake.takeSubnet(netuid),
		children:        take(l.children, func(k stakeKey) bool { return k.netuid == netuid }),
		parents:         take(l.parents, func(k stakeKey) bool { return k.netuid == netuid }),
		childkeyTake:    take(l.childkeyTake, func(k stakeKey) bool { return k.netuid == netuid }),
		pendingChildren: take(l.pendingChildren, func(k stakeKey) bool { return k.netuid == netuid }),
		rootClaimable:   take(l.rootClaimable, func(k stakeKey) bool { return k.netuid == netuid }),
		rootClaimed:     l.takeClaimed(netuid),
		rateLimits: take(l.rateLimits, func(k RateLimitKey) bool {
			return k.Kind == RateLimitSetChildren && k.NetUID == netuid
		}),
	}
	for k := range r.rootClaimable {
		l.unindexClaimable(k)
	}
	delete(l.subnets, netuid)
	delete(l.nets, netuid)
	l.reorder()
	j.structural = append(j.structural, func() {
		for k, v := range r.rootClaimable {
			l.indexClaimable(k, v)
		}
		l.subnets[netuid] = r.st
		if r.sn != nil {
			l.nets[netuid] = r.sn
		}
		l.stake.putAll(r.stake)
		putBack(l.children, r.children)
		putBack(l.parents, r.parents)
		putBack(l.childkeyTake, r.childkeyTake)
		putBack(l.pendingChildren, r.pendingChildren)
		putBack(l.rootClaimable, r.rootClaimable)
		l.putBackClaimed(r.rootClaimed)
		putBack(l.rateLimits, r.rateLimits)
		l.reorder()
	})
}

// take deletes the entries of m whose key matches and returns them.
func take[K comparable, V any](m map[K]V, match func(K) bool) map[K]V {
	var out map[K]V
	for k, v := range m {
		if match(k) {
			if out == nil {
				out = make(map[K]V)
			}
			out[k] = v
			delete(m, k)
		}
	}
	return out
}

// putBack inserts the entries of from into m.
func putBack[K comparable, V any](m, from map[K]V) {
	for k, v := range from {
		m[k] = v
	}
}

// setBalance records the old balance once and writes the new one; a zero
// balance removes the account, as the balances pallet reaps it.
func (j *journal) setBalance(a units.AccountID, v units.TAO) {
	j.setBalanceAt(a, j.l.balances.cell(a), v)
}

// setBalanceAt is setBalance with the account's cell already looked up
// (p == balances[a], nil for no account): an existing account is written
// through its cell, without a map assignment.
func (j *journal) setBalanceAt(a units.AccountID, p *units.TAO, v units.TAO) {
	if !slices.ContainsFunc(j.balances, func(u balanceUndo) bool { return u.account == a }) {
		j.balances = append(j.balances, balanceUndo{a, valueAt(p)})
	}
	j.l.putBalance(a, p, v)
}

// subnet returns the subnet to change, its old state recorded once.
func (j *journal) subnet(netuid units.NetUID) *SubnetState {
	return j.subnetOf(netuid, j.l.subnets[netuid])
}

// subnetOf is subnet with the subnet's state already looked up (s ==
// subnets[netuid]).
func (j *journal) subnetOf(netuid units.NetUID, s *SubnetState) *SubnetState {
	if !slices.ContainsFunc(j.subnets, func(u subnetUndo) bool { return u.netuid == netuid }) {
		j.subnets = append(j.subnets, subnetUndo{netuid, *s})
	}
	return s
}

// subnetPoolOf is subnetOf for a call that changes only the subnet's
// Pool, TaoFlow and AlphaBurned (stakeIntoSubnet, unstakeFromSubnet):
// it records those fields, once, instead of the whole state, unless
// subnetOf has recorded the whole state already. A whole state recorded
// after them holds them as changed, and every other field as it was
// (nothing else has changed them): rollback restores the whole states
// first and these fields after, so that either order of the two records
// restores the state as it was.
func (j *journal) subnetPoolOf(netuid units.NetUID, s *SubnetState) *SubnetState {
	for i := range j.pools {
		if j.pools[i].netuid == netuid {
			return s
		}
	}
	for i := range j.subnets {
		if j.subnets[i].netuid == netuid {
			return s
		}
	}
	j.pools = append(j.pools, poolUndo{netuid: netuid, pool: s.Pool, taoFlow: s.TaoFlow, alphaBurned: s.AlphaBurned})
	return s
}

// sharePool returns the (hotkey, netuid) pool to change, created empty if
// absent, its value and denominator recorded once and the pool linked to
// the journal so that its share writes are recorded.
func (j *journal) sharePool(k stakeKey) *SharePool {
	for _, u := range j.shares {
		if u.key == k {
			return u.pool
		}
	}
	return j.newSharePool(k, j.l.stake.pool(k))
}

// sharePoolOf is sharePool with the pool already looked up (p ==
// stake[k], nil for none).
func (j *journal) sharePoolOf(k stakeKey, p *SharePool) *SharePool {
	for _, u := range j.shares {
		if u.key == k {
			return u.pool
		}
	}
	return j.newSharePool(k, p)
}

// newSharePool links p (stake[k], nil for none: then created) with the
// journal, the first time the call changes it.
func (j *journal) newSharePool(k stakeKey, p *SharePool) *SharePool {
	ok := p != nil
	if !ok {
		p = &SharePool{}
		j.l.stake.set(k, p)
		j.l.keysChanged()
	}
	j.shares = append(j.shares, shareUndo{key: k, pool: p, fresh: !ok, value: p.value, denom: p.denom})
	p.rec, p.recID = j, j.id
	return p
}

// recording reports whether a write to p is to be recorded: p is linked
// with the open journal it names.
func (p *SharePool) recording() bool {
	return p.rec != nil && p.rec.open && p.rec.id == p.recID
}

// commit drops the share pools the call left empty: the chain's storage
// holds no default values.
func (j *journal) commit() {
	for _, u := range j.shares {
		if u.pool.isEmpty() {
			j.l.stake.remove(u.key)
			j.l.keysChanged()
		}
	}
	j.end()
}

// rollback restores everything the call changed.
func (j *journal) rollback() {
	l := j.l
	j.open = false // the restoring writes below are not recorded
	for i := len(j.structural) - 1; i >= 0; i-- {
		j.structural[i]()
	}
	l.lastLockCost, l.lastNetworkRegistered = j.lastLockCost, j.lastNetReg
	l.totalIssuance, l.totalStake = j.issuance, j.totalStake
	for _, u := range j.balances {
		l.putBalance(u.account, l.balances.cell(u.account), u.old)
	}
	for _, u := range j.subnets {
		if s := l.subnets[u.netuid]; s != nil {
			*s = u.old
		}
	}
	for i := range j.pools {
		u := &j.pools[i]
		if s := l.subnets[u.netuid]; s != nil {
			s.Pool, s.TaoFlow, s.AlphaBurned = u.pool, u.taoFlow, u.alphaBurned
		}
	}
	for i := len(j.entries) - 1; i >= 0; i-- {
		u := &j.entries[i]
		u.pool.setShare(u.coldkey, u.share)
	}
	for _, u := range j.shares {
		if u.fresh {
			l.stake.remove(u.key)
			l.keysChanged()
		} else {
			u.pool.value, u.pool.denom = u.value, u.denom
			if l.stake.pool(u.key) != u.pool {
				l.stake.set(u.key, u.pool)
				l.keysChanged()
			}
		}
	}
	j.end()
}

// isEmpty reports whether the pool holds only storage defaults.
func (p *SharePool) isEmpty() bool {
	return p.value == 0 && p.denom.IsZero() && p.empty()
}

// simStake is SharePool::sim_update_value_for_one for a positive amount
// (primitives/share-pool/src/lib.rs): true into an empty denominator,
// otherwise whether amount buys a non-zero number of shares.
func (p *SharePool) simStake(amount units.Alpha) bool {
	if p.denom.IsZero() {
		return true
	}
	if amount.Rao() > maxPoolUpdate {
		return false
	}
	return !p.sharesPerUpdate(amount.Rao()).IsZero()
}
