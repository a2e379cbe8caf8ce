package dtao

import (
	"encoding/binary"
	"fmt"
)

// StakeKeptCurrent is an error when what the stake calls keep between
// calls differs from what a lookup finds now: the kept fee receiver's
// balance cell, when payFeeFrom would use it, is the map's; and each
// share pool's prefixes, once synced, are its coldkeys' prefixes. For
// external tests, after every call and block.
func StakeKeptCurrent(l *Ledger) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if k := &l.jr.fee; k.cell != nil && k.gone == l.balancesGone && k.cell != l.balances[k.acct] {
		return fmt.Errorf("the kept fee cell of %x is %p, the map's %p", k.acct[:4], k.cell, l.balances[k.acct])
	}
	for k, p := range l.stake {
		if len(p.prefixes) == len(p.entries) {
			for i := range p.entries {
				if p.prefixes[i] != binary.BigEndian.Uint64(p.entries[i].coldkey[:8]) {
					return fmt.Errorf("pool (%x, %d): prefix %d is not its coldkey's", k.hotkey[:4], k.netuid, i)
				}
			}
		}
	}
	return nil
}
