package dtao

import (
	"fmt"
	"slices"

	"github.com/dtao-go/dtao/units"
)

// UIDCachesCurrent is an error when the block's kept subnet list or one of
// the epochs' kept uid lookups (epochView) that is still valid differs from
// what a lookup finds now, or the hotkeys' RootClaimable index is not the
// map's entries or a RootClaimed row is ill-formed (claimIndexCurrent),
// or a kept lookup's hotkey is not its uid's under an unchanged
// subnet.Subnet.HotkeysVersion: for external tests, after every call and
// block.
func UIDCachesCurrent(l *Ledger) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if b := &l.buf; b.subnetsValid && b.subnetsGen == b.keysGen {
		for i, id := range b.ids {
			if b.subnets[i].st != l.subnets[id] || b.subnets[i].sn != l.nets[id] {
				return fmt.Errorf("netuid %d: the block's kept subnet is not the ledger's", id)
			}
			// A kept balance cell that keptBalance would use is the
			// map's cell of the subnet's account.
			acct := SubnetAccountID(id)
			if s := &b.subnets[i]; s.bal != nil && s.balGone == l.balancesGone && s.bal != l.balances.cell(acct) {
				return fmt.Errorf("netuid %d: the block's kept balance cell %p is not the table's %p", id, s.bal, l.balances.cell(acct))
			}
		}
		if b.root != l.subnets[RootNetUID] {
			return fmt.Errorf("the block's kept root subnet is not the ledger's")
		}
		want := slices.DeleteFunc(slices.Clone(l.order), func(id units.NetUID) bool { return id == RootNetUID })
		if !slices.Equal(b.ids, want) {
			return fmt.Errorf("the block keeps netuids %v, the ledger has %v", b.ids, want)
		}
		// keptSubnet, which reads the list without writing it while it is
		// current, answers as the maps do for every netuid held and the
		// ones around them.
		probe := []units.NetUID{RootNetUID, 1, 65535}
		for _, id := range l.order {
			probe = append(probe, id-1, id, id+1)
		}
		for _, id := range probe {
			st, sn, ok := l.keptSubnet(id)
			wst, wok := l.subnets[id]
			wsn := l.nets[id]
			if want := wok && wsn != nil; ok != want || (ok && (st != wst || sn != wsn)) {
				return fmt.Errorf("netuid %d: keptSubnet gives %p %p %v, the maps %p %p %v", id, st, sn, ok, wst, wsn, want)
			}
		}
	}
	for netuid, c := range l.buf.uidCaches {
		sn := l.nets[netuid]
		if !c.valid || c.gen != l.buf.keysGen || sn == nil || len(c.uids) != int(sn.N()) {
			continue // looked up afresh at the next epoch
		}
		// The lookups the next epoch keeps without comparing hotkeys
		// (the subnet's HotkeysVersion unchanged) are every uid's hotkey.
		versionKept := c.keysVersion != 0 && c.keysVersion == sn.HotkeysVersion()
		for uid := range c.uids {
			u := &c.uids[uid]
			if h, _ := sn.Hotkey(units.UID(uid)); h != u.hotkey {
				if versionKept {
					return fmt.Errorf("netuid %d uid %d: hotkey %x changed under HotkeysVersion %d, kept %x", netuid, uid, h[:], c.keysVersion, u.hotkey[:])
				}
				continue // looked up afresh at the next epoch
			}
			fresh := l.lookUpUID(sn, netuid, units.UID(uid))
			// The root pools' copy the view's pass of kept lookups reads.
			if len(c.roots) != len(c.uids) || c.roots[uid] != fresh.root {
				return fmt.Errorf("netuid %d uid %d: kept root pool copy differs from the lookup's", netuid, uid)
			}
			fresh.ownerAt = u.ownerAt // a hint, checked where it is used
			// The RootClaimable entry, kept once a payout looked it up:
			// the map's pointer.
			if u.claimable != nil {
				if r := l.rootClaimable[stakeKey{u.hotkey, netuid}]; r != u.claimable {
					return fmt.Errorf("netuid %d uid %d: kept RootClaimable entry %p, the map's %p", netuid, uid, u.claimable, r)
				}
			}
			fresh.claimable = u.claimable
			// The pools' values, read afresh by each epoch's view.
			fresh.alphaStake, fresh.rootStake = u.alphaStake, u.rootStake
			if fresh != *u {
				return fmt.Errorf("netuid %d uid %d: kept %+v, now %+v", netuid, uid, *u, fresh)
			}
		}
	}
	return claimIndexCurrent(l)
}
