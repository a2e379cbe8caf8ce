package dtao

// PinnedPools counts the share pools with a pinned entry
// (SharePool.pin), for the external tests.
func PinnedPools(l *Ledger) int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	n := 0
	for _, p := range l.stake.all() {
		if p.more != nil && p.more.pinned() {
			n++
		}
	}
	return n
}
