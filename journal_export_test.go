package dtao

// JournalClosed is journalClosed for the external tests: an error when a
// finished call left the ledger's journal open, a pool linked with a
// journal, or an empty pool stored.
func JournalClosed(l *Ledger) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return journalClosed(l)
}
