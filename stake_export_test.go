package dtao

import "fmt"

// StakeKeptCurrent is an error when what the stake calls keep between
// calls differs from what a lookup finds now: the kept fee receiver's
// balance cell, when payFeeFrom would use it, is the map's; and each
// share pool's prefixes are its coldkeys' prefixes, in chunks as
// checkChunks wants them. For external tests, after every call and block.
func StakeKeptCurrent(l *Ledger) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if k := &l.jr.fee; k.cell != nil && k.gone == l.balancesGone && k.cell != l.balances.cell(k.acct) {
		return fmt.Errorf("the kept fee cell of %x is %p, the map's %p", k.acct[:4], k.cell, l.balances.cell(k.acct))
	}
	for k, p := range l.stake.all() {
		if err := checkChunks(p); err != nil {
			return fmt.Errorf("pool (%x, %d): %w", k.hotkey[:4], k.netuid, err)
		}
	}
	return nil
}
