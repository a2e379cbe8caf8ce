package dtao

import (
	"crypto/sha256"
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
func (l *Ledger) StateHash() [32]byte {
	l.mu.RLock()
	g := l.genesis()
	l.mu.RUnlock()
	h := sha256.New()
	encodeGenesis(&encoder{buf: make([]byte, 0, encoderChunk+1024), w: h}, &g)
	var out [32]byte
	h.Sum(out[:0])
	return out
}
