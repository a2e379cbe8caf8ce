package dtao

import (
	"bytes"
	"fmt"
	"math"
	"slices"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Chain errors of set_children, named as pallets/subtensor/src/macros/errors.rs
// names them.
var (
	// ErrTxRateLimitExceeded: the key made the rate-limited call too
	// recently (set_children: less than SetChildrenRateLimit blocks ago
	// for the hotkey on the subnet).
	ErrTxRateLimitExceeded = units.NewChainError("dtao", "TxRateLimitExceeded", "transaction rate limit exceeded")
	// ErrRegistrationNotPermittedOnRootSubnet: children on the root subnet.
	ErrRegistrationNotPermittedOnRootSubnet = units.NewChainError("dtao", "RegistrationNotPermittedOnRootSubnet",
		"not permitted on the root subnet")
	// ErrNonAssociatedColdKey: the coldkey does not own the hotkey.
	ErrNonAssociatedColdKey = units.NewChainError("dtao", "NonAssociatedColdKey", "coldkey does not own the hotkey")
	// ErrDuplicateChild: a child listed twice.
	ErrDuplicateChild = units.NewChainError("dtao", "DuplicateChild", "duplicate child")
	// ErrInvalidChild: the hotkey listed as its own child.
	ErrInvalidChild = units.NewChainError("dtao", "InvalidChild", "a hotkey cannot be its own child")
	// ErrTooManyChildren: more than MaxChildren children.
	ErrTooManyChildren = units.NewChainError("dtao", "TooManyChildren", "too many children")
	// ErrProportionOverflow: the children's proportions add up to more
	// than u64::MAX.
	ErrProportionOverflow = units.NewChainError("dtao", "ProportionOverflow", "proportions sum above u64::MAX")
	// ErrChildParentInconsistency: a child is also a parent of the hotkey.
	ErrChildParentInconsistency = units.NewChainError("dtao", "ChildParentInconsistency",
		"a child cannot also be a parent")
	// ErrNotEnoughStakeToSetChildkeys: the hotkey's total stake is below
	// StakeThreshold and it is not the subnet owner's hotkey.
	ErrNotEnoughStakeToSetChildkeys = units.NewChainError("dtao", "NotEnoughStakeToSetChildkeys",
		"not enough stake to set childkeys")
)

// SetChildrenRateLimit is the blocks between two set_children of one
// hotkey on one subnet: TransactionType::SetChildren's rate_limit
// (pallets/subtensor/src/utils/rate_limiting.rs), a constant 150.
const SetChildrenRateLimit uint64 = 150

// MaxChildren is the most children a hotkey may have on a subnet
// (PCRelations::ensure_childkey_count, staking/set_children.rs).
const MaxChildren = 5

// passesRateLimit is TransactionType::check_passes_rate_limit
// (utils/rate_limiting.rs): the first call (last block 0) passes, later
// ones once limit blocks have gone by.
func passesRateLimit(limit, block, last uint64) bool {
	return last == 0 || fixed.SaturatingSubUint64(block, last) >= limit
}

// coldkeyOwnsHotkey is coldkey_owns_hotkey (staking/helpers.rs).
func (l *Ledger) coldkeyOwnsHotkey(coldkey, hotkey units.AccountID) bool {
	c, ok := l.owner[hotkey]
	return ok && c == coldkey
}

// totalStakeForHotkey is get_total_stake_for_hotkey (staking/helpers.rs):
// the hotkey's alpha on every subnet valued at the spot price, summed in
// U64F64, saturating, floored to rao. The caller holds the lock.
func (l *Ledger) totalStakeForHotkey(hotkey units.AccountID) units.TAO {
	var sum fixed.U64F64
	for _, id := range l.order {
		p, ok := l.stake.lookup(stakeKey{hotkey, id})
		if !ok {
			continue
		}
		v := fixed.U64F64FromUint64(p.Total().Rao()).SaturatingMul(l.subnets[id].Pool.Price().U64F64())
		sum = sum.SaturatingAdd(v)
	}
	return units.TAO(sum.SaturatingToUint64())
}

// pcRelations is PCRelations (staking/set_children.rs): a pivot hotkey's
// children and parents on one subnet, each deduplicated and in the order
// of a BTreeMap keyed by account (ascending bytes).
type pcRelations struct {
	pivot             units.AccountID
	children, parents []Link
}

// linkMap builds the BTreeMap<AccountId, u64> the chain builds from a
// (proportion, account) list: the entries (but the pivot's when
// dropPivot), the last proportion of an account winning, ordered by
// account.
func linkMap(links []Link, pivot units.AccountID, dropPivot bool) []Link {
	out := make([]Link, 0, len(links))
	for _, e := range links {
		if dropPivot && e.Hotkey == pivot {
			continue
		}
		if i := slices.IndexFunc(out, func(o Link) bool { return o.Hotkey == e.Hotkey }); i >= 0 {
			out[i].Proportion = e.Proportion
			continue
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Link) int { return bytes.Compare(a.Hotkey[:], b.Hotkey[:]) })
	return out
}

func containsHotkey(links []Link, h units.AccountID) bool {
	return slices.ContainsFunc(links, func(e Link) bool { return e.Hotkey == h })
}

// ensureTotalProportions is PCRelations::ensure_total_proportions: the sum,
// taken in u128, must not pass u64::MAX. A uint64 sum that would overflow
// is exactly a u128 sum above u64::MAX.
func ensureTotalProportions(children []Link) error {
	var sum uint64
	for _, c := range children {
		if c.Proportion > math.MaxUint64-sum {
			return ErrProportionOverflow
		}
		sum += c.Proportion
	}
	return nil
}

// ensureBipartite is PCRelations::ensure_bipartite_separation: no child is
// also a parent.
func ensureBipartite(children, parents []Link) error {
	for _, c := range children {
		if containsHotkey(parents, c.Hotkey) {
			return ErrChildParentInconsistency
		}
	}
	return nil
}

// linkChildren is PCRelations::link_children.
func (r *pcRelations) linkChildren(children []Link) error {
	if containsHotkey(children, r.pivot) {
		return ErrInvalidChild
	}
	if err := ensureTotalProportions(children); err != nil {
		return err
	}
	if err := ensureBipartite(children, r.parents); err != nil {
		return err
	}
	r.children = children
	return nil
}

// linkParents is PCRelations::link_parents.
func (r *pcRelations) linkParents(parents []Link) error {
	if containsHotkey(parents, r.pivot) {
		return ErrInvalidChild
	}
	if err := ensureBipartite(r.children, parents); err != nil {
		return err
	}
	r.parents = parents
	return nil
}

// ensurePendingConsistency is PCRelations::ensure_pending_consistency: the
// children a set_children schedules, deduplicated, against the relations
// now.
func (r *pcRelations) ensurePendingConsistency(pending []Link) error {
	children := linkMap(pending, r.pivot, false)
	if containsHotkey(children, r.pivot) {
		return ErrInvalidChild
	}
	if len(children) > MaxChildren {
		return ErrTooManyChildren
	}
	if err := ensureTotalProportions(children); err != nil {
		return err
	}
	return ensureBipartite(children, r.parents)
}

// loadRelations is load_child_parent_relations (staking/set_children.rs):
// the hotkey's stored children and parents, self-loops dropped, validated.
func (l *Ledger) loadRelations(hotkey units.AccountID, netuid units.NetUID) (pcRelations, error) {
	r := pcRelations{pivot: hotkey}
	if err := r.linkChildren(linkMap(l.children[stakeKey{hotkey, netuid}], hotkey, true)); err != nil {
		return pcRelations{}, err
	}
	if err := r.linkParents(linkMap(l.parents[stakeKey{hotkey, netuid}], hotkey, true)); err != nil {
		return pcRelations{}, err
	}
	return r, nil
}

// loadRelationsFromPending is load_relations_from_pending
// (staking/set_children.rs): the pending children as the pivot's new
// children, its stored parents kept.
func (l *Ledger) loadRelationsFromPending(pivot units.AccountID, pending []Link, netuid units.NetUID) (pcRelations, error) {
	r := pcRelations{pivot: pivot}
	if err := r.linkChildren(linkMap(pending, pivot, true)); err != nil {
		return pcRelations{}, err
	}
	if err := r.linkParents(linkMap(l.parents[stakeKey{pivot, netuid}], pivot, true)); err != nil {
		return pcRelations{}, err
	}
	return r, nil
}

// setChildkeys is set_childkeys: an empty list removes the entry.
func (l *Ledger) setChildkeys(k stakeKey, links []Link) {
	if len(links) == 0 {
		delete(l.children, k)
		return
	}
	l.children[k] = links
}

// setParentkeys is set_parentkeys: an empty list removes the entry.
func (l *Ledger) setParentkeys(k stakeKey, links []Link) {
	if len(links) == 0 {
		delete(l.parents, k)
		return
	}
	l.parents[k] = links
}

// upsertEdge is PCRelations::upsert_edge on a copy of list: the first
// entry of id takes the proportion, or (proportion, id) is appended.
func upsertEdge(list []Link, proportion uint64, id units.AccountID) []Link {
	out := slices.Clone(list)
	for i := range out {
		if out[i].Hotkey == id {
			out[i].Proportion = proportion
			return out
		}
	}
	return append(out, Link{Proportion: proportion, Hotkey: id})
}

// removeEdge is PCRelations::remove_edge on a copy of list.
func removeEdge(list []Link, id units.AccountID) []Link {
	out := make([]Link, 0, len(list))
	for _, e := range list {
		if e.Hotkey != id {
			out = append(out, e)
		}
	}
	return out
}

// sortedHotkeys is the BTreeSet of a list's accounts.
func sortedHotkeys(links []Link) []units.AccountID {
	out := make([]units.AccountID, 0, len(links))
	for _, e := range links {
		if !slices.Contains(out, e.Hotkey) {
			out = append(out, e.Hotkey)
		}
	}
	slices.SortFunc(out, func(a, b units.AccountID) int { return bytes.Compare(a[:], b[:]) })
	return out
}

func proportionOf(links []Link, h units.AccountID) uint64 {
	for _, e := range links {
		if e.Hotkey == h {
			return e.Proportion
		}
	}
	return 0
}

// persistRelations is persist_child_parent_relations
// (staking/set_children.rs): the pivot's children and parents are written
// and each neighbour's opposite list is brought in line, in the chain's
// order (added, then kept, then removed children; then the same for the
// parents, whose previous list is read after the children's writes). The
// chain's error branches there cannot be taken: the new sets are the
// relations' own keys.
func (l *Ledger) persistRelations(r pcRelations, netuid units.NetUID) {
	pk := stakeKey{r.pivot, netuid}

	prevChildren := sortedHotkeys(l.children[pk])
	l.setChildkeys(pk, slices.Clone(r.children))
	newChildren := sortedHotkeys(r.children)
	for _, c := range newChildren { // added
		if !slices.Contains(prevChildren, c) {
			ck := stakeKey{c, netuid}
			l.setParentkeys(ck, upsertEdge(l.parents[ck], proportionOf(r.children, c), r.pivot))
		}
	}
	for _, c := range newChildren { // kept
		if slices.Contains(prevChildren, c) {
			ck := stakeKey{c, netuid}
			l.setParentkeys(ck, upsertEdge(l.parents[ck], proportionOf(r.children, c), r.pivot))
		}
	}
	for _, c := range prevChildren {
		if !slices.Contains(newChildren, c) {
			ck := stakeKey{c, netuid}
			l.setParentkeys(ck, removeEdge(l.parents[ck], r.pivot))
		}
	}

	prevParents := sortedHotkeys(l.parents[pk])
	l.setParentkeys(pk, slices.Clone(r.parents))
	newParents := sortedHotkeys(r.parents)
	for _, p := range newParents {
		if !slices.Contains(prevParents, p) {
			ck := stakeKey{p, netuid}
			l.setChildkeys(ck, upsertEdge(l.children[ck], proportionOf(r.parents, p), r.pivot))
		}
	}
	for _, p := range newParents {
		if slices.Contains(prevParents, p) {
			ck := stakeKey{p, netuid}
			l.setChildkeys(ck, upsertEdge(l.children[ck], proportionOf(r.parents, p), r.pivot))
		}
	}
	for _, p := range prevParents {
		if !slices.Contains(newParents, p) {
			ck := stakeKey{p, netuid}
			l.setChildkeys(ck, removeEdge(l.children[ck], r.pivot))
		}
	}
}

// persistPendingChildren is persist_pending_chidren_ok
// (staking/set_children.rs): the children replace the hotkey's, or, when
// they would break the relations (a child that is now a parent of the
// hotkey, proportions above u64::MAX), nothing happens, silently.
func (l *Ledger) persistPendingChildren(netuid units.NetUID, hotkey units.AccountID, children []Link) {
	r, err := l.loadRelationsFromPending(hotkey, children, netuid)
	if err != nil {
		return
	}
	l.persistRelations(r, netuid)
	l.emit(Event{Kind: EventChildrenSet, NetUID: netuid, Hotkey: hotkey})
}

// SetChildren is set_children (do_schedule_children,
// pallets/subtensor/src/staking/set_children.rs): the coldkey schedules
// the hotkey's children on the subnet, each with the proportion, in parts
// of u64::MAX, of the hotkey's stake it passes; an empty list revokes
// them. The checks, in the chain's order:
//
//   - the hotkey set children on the subnet less than
//     SetChildrenRateLimit blocks ago: ErrTxRateLimitExceeded;
//   - the root subnet: ErrRegistrationNotPermittedOnRootSubnet;
//   - no such subnet: ErrSubnetNotExists;
//   - the coldkey does not own the hotkey: ErrNonAssociatedColdKey;
//   - a child listed twice: ErrDuplicateChild;
//   - the hotkey's stored relations or the new children break the
//     relations' rules: the hotkey among its children (ErrInvalidChild),
//     more than MaxChildren (ErrTooManyChildren), proportions above
//     u64::MAX (ErrProportionOverflow), a child that is a parent of the
//     hotkey (ErrChildParentInconsistency);
//   - a non-empty list from a hotkey whose total stake
//     (TotalStakeForHotkey) is below Params.StakeThreshold and that is
//     not the subnet owner's hotkey: ErrNotEnoughStakeToSetChildkeys.
//
// The call then records the block for the rate limit and, on a subnet
// whose SubtokenEnabled is set, stores the children as pending until
// the block plus Params.PendingChildKeyCooldown: they take effect at the
// first epoch of the subnet after that block. On a subnet without
// SubtokenEnabled (no start_call) they take effect at once
// (schedule_or_apply_ck). Taking effect emits EventChildrenSet, unless
// the relations changed meanwhile so that the children would break them:
// then they are dropped silently, as on the chain.
func (l *Ledger) SetChildren(coldkey, hotkey units.AccountID, netuid units.NetUID, children []Link) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.scheduleChildren(coldkey, hotkey, netuid, children); err != nil {
		return fmt.Errorf("set_children: hotkey %x on netuid %d: %w", hotkey[:], netuid, err)
	}
	return nil
}

func (l *Ledger) scheduleChildren(coldkey, hotkey units.AccountID, netuid units.NetUID, children []Link) error {
	rk := RateLimitKey{Kind: RateLimitSetChildren, Account: hotkey, NetUID: netuid}
	if !passesRateLimit(SetChildrenRateLimit, l.block, l.rateLimits[rk]) {
		return ErrTxRateLimitExceeded
	}
	if netuid == RootNetUID {
		return ErrRegistrationNotPermittedOnRootSubnet
	}
	st, ok := l.subnets[netuid]
	if !ok {
		return ErrSubnetNotExists
	}
	if !l.coldkeyOwnsHotkey(coldkey, hotkey) {
		return ErrNonAssociatedColdKey
	}
	for i, c := range children {
		if containsHotkey(children[:i], c.Hotkey) {
			return ErrDuplicateChild
		}
	}
	rel, err := l.loadRelations(hotkey, netuid)
	if err != nil {
		return err
	}
	if err := rel.ensurePendingConsistency(children); err != nil {
		return err
	}
	if len(children) > 0 && l.totalStakeForHotkey(hotkey) < units.TAO(l.params.StakeThreshold) {
		sn := l.nets[netuid]
		if sn == nil || !sn.HasOwnerHotkey || sn.OwnerHotkey != hotkey {
			return ErrNotEnoughStakeToSetChildkeys
		}
	}

	l.rateLimits[rk] = l.block
	if !st.SubtokenEnabled {
		l.persistPendingChildren(netuid, hotkey, children)
		return nil
	}
	l.pendingChildren[stakeKey{hotkey, netuid}] = PendingChildren{
		Children:      slices.Clone(children),
		CooldownBlock: fixed.SaturatingAddUint64(l.block, l.params.PendingChildKeyCooldown),
	}
	l.emit(Event{Kind: EventChildrenScheduled, NetUID: netuid, Hotkey: hotkey, Coldkey: coldkey, Value: uint64(len(children))})
	return nil
}

// pendingOrder is the position of a PendingChildKeys entry in the chain's
// iteration of the subnet's prefix: the map's second key is
// Blake2_128Concat, so entries come in the order of
// blake2_128(hotkey) ‖ hotkey.
type pendingOrder struct {
	key    [16 + 32]byte
	hotkey units.AccountID
}

func pendingOrderOf(h units.AccountID) pendingOrder {
	return pendingOrder{key: blake2Concat(h), hotkey: h}
}

// applyPendingChildren is do_set_pending_children
// (staking/set_children.rs) for netuid at block, run by Step after the
// coinbase for each subnet whose epoch slot fired: every pending entry
// whose cooldown block is before block, or every entry when the subnet's
// SubtokenEnabled is off, takes effect (persistPendingChildren) and
// leaves the pending map.
//
// The entries are taken in the chain's order, that of the storage map's
// hashed keys (pendingOrder). The order matters only when two entries
// conflict (each would make the other's hotkey a child of its child):
// the first applied wins and the second fails silently, as on the chain.
//
// With nothing pending on the subnet it allocates nothing.
func (l *Ledger) applyPendingChildren(netuid units.NetUID, block uint64) {
	n := 0
	for k := range l.pendingChildren {
		if k.netuid == netuid {
			n++
		}
	}
	if n == 0 {
		return
	}
	st := l.subnets[netuid]
	started := st != nil && st.SubtokenEnabled
	order := make([]pendingOrder, 0, n)
	for k := range l.pendingChildren {
		if k.netuid == netuid {
			order = append(order, pendingOrderOf(k.hotkey))
		}
	}
	slices.SortFunc(order, func(a, b pendingOrder) int { return bytes.Compare(a.key[:], b.key[:]) })
	for _, o := range order {
		k := stakeKey{o.hotkey, netuid}
		p := l.pendingChildren[k]
		if p.CooldownBlock < block || !started {
			l.persistPendingChildren(netuid, o.hotkey, p.Children)
			delete(l.pendingChildren, k)
		}
	}
}

// Children returns a copy of the hotkey's children on the subnet
// (get_children, ChildKeys): (proportion, child) in stored order.
func (l *Ledger) Children(hotkey units.AccountID, netuid units.NetUID) []Link {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return slices.Clone(l.children[stakeKey{hotkey, netuid}])
}

// Parents returns a copy of the hotkey's parents on the subnet
// (get_parents, ParentKeys): (proportion, parent) in stored order.
func (l *Ledger) Parents(hotkey units.AccountID, netuid units.NetUID) []Link {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return slices.Clone(l.parents[stakeKey{hotkey, netuid}])
}

// PendingChildren returns a copy of the hotkey's children scheduled on the
// subnet (PendingChildKeys) and whether there are any.
func (l *Ledger) PendingChildren(hotkey units.AccountID, netuid units.NetUID) (PendingChildren, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	p, ok := l.pendingChildren[stakeKey{hotkey, netuid}]
	if !ok {
		return PendingChildren{}, false
	}
	p.Children = slices.Clone(p.Children)
	return p, true
}
