package dtao

import (
	"crypto/sha256"
	"io"
)

// StateHash returns the SHA-256 of the canonical encoding of the whole
// state: the canonical GenesisConfig that Genesis returns (the block, the
// existential deposit and minimum stake, the block author, TotalIssuance
// and TotalStake, the balances by account, the Owner entries by hotkey,
// the subnets by netuid with every SubnetState field and each non-root
// subnet's storage, the share pools by netuid and hotkey with each
// coldkey's share by coldkey, the parameters, takes, children, pending
// children, root claims, rate limits and lock cost state), encoded as
// genesis_codec.go describes. Every integer is fixed-width little-endian,
// every list is preceded by its length and sorted, and no map's order
// reaches the encoding, so the same state gives the same hash on every run
// and machine, and any change of state changes it. The encoding is also a
// snapshot's payload (WriteSnapshot), whose checksum is therefore the
// StateHash.
//
// It hashes under the ledger's read lock: the share pools' entries are
// encoded from the ledger rather than copied first (encodeState).
func (l *Ledger) StateHash() [32]byte {
	h := sha256.New()
	l.mu.RLock()
	l.encodeState(h)
	l.mu.RUnlock()
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// encodeState writes the canonical encoding of the state, Genesis()'s, to
// w, whose writes must not fail, the caller holding the lock. The share
// pools' holders, most of a grown state (5.1 million entries after a
// year of sim.BenchConfig), are encoded from the pools themselves
// (encoder.pools), where a copy of them as GenesisShare lists took 284
// MB and a third of the time.
func (l *Ledger) encodeState(w io.Writer) {
	g, pools := l.genesisOf(false)
	encodeGenesis(&encoder{buf: make([]byte, 0, encoderChunk+1024), w: w, pools: pools}, &g)
}
