package dtao

import (
	"crypto/sha256"
	"encoding/binary"
	"io"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// stateHashTag opens the encoding StateHash digests; a change of the
// encoding changes the tag.
const stateHashTag = "dtao/ledger/state/v1"

// StateHash returns the SHA-256 of a canonical encoding of the whole
// state: the block, the existential deposit and minimum stake, the block
// author, TotalIssuance and TotalStake, the balances by account, the Owner
// entries by hotkey, the subnets by netuid (owner, owner hotkey, every pool
// field, SubtokenEnabled, AlphaBurned, SubnetTaoFlow) and the share pools by netuid and
// hotkey (total, denominator, and each coldkey's share by coldkey). Every
// integer is fixed-width little-endian and every list is preceded by its
// length, so the same state gives the same hash on every run and machine,
// and any change of state changes it. The encoding is also a snapshot's
// payload (WriteSnapshot), whose checksum is therefore the StateHash.
func (l *Ledger) StateHash() [32]byte {
	l.mu.RLock()
	defer l.mu.RUnlock()
	h := sha256.New()
	l.encodeState(h)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// encodeState writes the canonical encoding of the state to w: the tag,
// then the fields in the order StateHash documents. It is StateHash's input
// and a snapshot's payload, so the two cover the same state. w is a hash or
// a bytes.Buffer, whose writes do not fail. The caller holds the lock.
func (l *Ledger) encodeState(w io.Writer) {
	e := encoder{w: w}
	e.w.Write([]byte(stateHashTag))
	e.u64(l.block)
	e.u64(l.ed.Rao())
	e.u64(l.minStake.Rao())
	e.bool(l.hasAuthor)
	e.account(l.author)
	e.u64(l.totalIssuance.Rao())
	e.u64(l.totalStake.Rao())

	accounts := l.accounts()
	e.u64(uint64(len(accounts)))
	for _, a := range accounts {
		e.account(a)
		e.u64(l.balances[a].Rao())
	}
	hotkeys := l.hotkeys()
	e.u64(uint64(len(hotkeys)))
	for _, h := range hotkeys {
		e.account(h)
		e.account(l.owner[h])
	}
	ids := l.netuids()
	e.u64(uint64(len(ids)))
	for _, id := range ids {
		s := l.subnets[id]
		e.u64(uint64(id))
		e.account(s.Owner)
		e.account(s.OwnerHotkey)
		p := &s.Pool
		e.u64(p.TAO.Rao())
		e.u64(p.AlphaIn.Rao())
		e.u64(p.AlphaOut.Rao())
		e.u64(uint64(p.QuoteWeight))
		e.u64(uint64(p.FeeRate))
		e.u64(uint64(p.Mechanism))
		e.bool(p.Initialized)
		e.u64(p.MinReserve)
		e.bool(s.SubtokenEnabled)
		e.u64(s.AlphaBurned.Rao())
		e.u64(uint64(s.TaoFlow))
	}
	keys := l.stakeKeys()
	e.u64(uint64(len(keys)))
	for _, k := range keys {
		p := l.stake[k]
		e.u64(uint64(k.netuid))
		e.account(k.hotkey)
		e.u64(p.Total().Rao())
		e.safeFloat(p.Denominator())
		e.u64(uint64(p.Len()))
		for c, share := range p.Holders() {
			e.account(c)
			e.safeFloat(share)
		}
	}
}

type encoder struct {
	w   io.Writer
	buf [8]byte
}

func (e *encoder) u64(v uint64) {
	binary.LittleEndian.PutUint64(e.buf[:], v)
	e.w.Write(e.buf[:])
}

func (e *encoder) bool(b bool) {
	if b {
		e.u64(1)
	} else {
		e.u64(0)
	}
}

func (e *encoder) account(a units.AccountID) { e.w.Write(a[:]) }

func (e *encoder) safeFloat(x fixed.SafeFloat) {
	hi, lo, exp := x.Parts()
	e.u64(hi)
	e.u64(lo)
	e.u64(uint64(exp))
}
