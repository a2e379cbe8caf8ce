package dtao

import (
	"fmt"

	"github.com/dtao-go/dtao/units"
)

// UIDCachesCurrent is an error when the block's kept subnet list or one of
// the epochs' kept uid lookups (epochView) that is still valid differs from
// what a lookup finds now: for external tests, after every call and block.
func UIDCachesCurrent(l *Ledger) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if b := &l.buf; b.subnetsValid && b.subnetsGen == b.keysGen {
		for i, id := range b.ids {
			if b.subnets[i].st != l.subnets[id] || b.subnets[i].sn != l.nets[id] {
				return fmt.Errorf("netuid %d: the block's kept subnet is not the ledger's", id)
			}
		}
		if n := len(l.order) - len(b.ids); n != 0 && n != 1 {
			return fmt.Errorf("the block keeps %d subnets, the ledger has %d", len(b.ids), len(l.order))
		}
	}
	for netuid, c := range l.buf.uidCaches {
		sn := l.nets[netuid]
		if !c.valid || c.gen != l.buf.keysGen || sn == nil || len(c.uids) != int(sn.N()) {
			continue // looked up afresh at the next epoch
		}
		for uid := range c.uids {
			u := &c.uids[uid]
			if h, _ := sn.Hotkey(units.UID(uid)); h != u.hotkey {
				continue // looked up afresh at the next epoch
			}
			fresh := l.lookUpUID(sn, netuid, units.UID(uid))
			fresh.ownerAt = u.ownerAt // a hint, checked where it is used
			// The pools' values, read afresh by each epoch's view.
			fresh.alphaStake, fresh.rootStake = u.alphaStake, u.rootStake
			if fresh != *u {
				return fmt.Errorf("netuid %d uid %d: kept %+v, now %+v", netuid, uid, *u, fresh)
			}
		}
	}
	return nil
}
