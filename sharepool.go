package dtao

import (
	"errors"
	"fmt"
	"math"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// ErrAmountTooLarge is returned for a stake, unstake or dividend amount above
// 2^63 − 1 rao: the pallet's wrappers cast the amount to i64 before the
// pool sees it, so larger amounts have no meaning on chain.
var ErrAmountTooLarge = errors.New("dtao: amount above i64::MAX rao")

// maxPoolUpdate is i64::MAX, the largest amount the wrappers pass on intact.
const maxPoolUpdate = math.MaxInt64

// SharePool is one hotkey's stake share pool on one subnet: the value V
// (TotalHotkeyAlpha), the share denominator (TotalHotkeySharesV2) and the
// shares of the coldkeys (AlphaV2), as primitives/share-pool/src/lib.rs
// (SharePool) keeps them. A coldkey's stake is floor(V·share/denominator)
// in SafeFloat arithmetic. A share or denominator that becomes zero is
// deleted, as the pallet's storage layer deletes it, so a coldkey either
// has a non-zero share or no entry.
//
// The entries are kept sorted by coldkey: iteration order never depends on
// a map. The zero value is an empty pool. A SharePool is not safe for
// concurrent use.
type SharePool struct {
	value units.Alpha
	denom fixed.SafeFloat
	// ownerLen, ownerRem and hasOwner keep whether the pool's hotkey has
	// an Owner entry, as read when the ledger's Owner map held ownerLen
	// entries after ownerRem removals (Ledger.hotkeyOwned): next to the
	// value and denominator, which a stake call reads, so that the answer
	// costs no cache miss of its own.
	ownerLen int
	ownerRem uint64
	hasOwner bool

	// one holds the entries of a pool of at most chunkMax of them, sorted
	// by coldkey, as its single chunk; more, when not nil, holds a larger
	// pool's chunks, and one is empty (sharepool_store.go).
	one  [1]shareChunk
	more *shareChunks

	// rec and recID link the pool with the journal of the ledger call
	// changing it (journal.go), which records each share write.
	rec   *journal
	recID uint64
}

// NewSharePool returns a pool holding value with the given share
// denominator and no coldkey entries; add them with SetShare or
// ImportLegacyShare. A denominator read from legacy TotalHotkeyShares
// storage converts with fixed.SafeFloatFromU64F64, exactly as the chain
// reads it.
func NewSharePool(value units.Alpha, denominator fixed.SafeFloat) *SharePool {
	return &SharePool{value: value, denom: denominator}
}

// Total returns V, the pool's value (TotalHotkeyAlpha).
func (p *SharePool) Total() units.Alpha { return p.value }

// Denominator returns the share total (TotalHotkeySharesV2).
func (p *SharePool) Denominator() fixed.SafeFloat { return p.denom }

// Share returns the coldkey's share and whether it has an entry.
func (p *SharePool) Share(c units.AccountID) (fixed.SafeFloat, bool) {
	if _, e := p.locate(c); e != nil {
		return e.share, true
	}
	return fixed.SafeFloat{}, false
}

// setShare is the pallet's set_share: a zero share deletes the entry.
func (p *SharePool) setShare(c units.AccountID, s fixed.SafeFloat) {
	i, e := p.locate(c)
	p.setShareAt(i, e, c, s)
}

// setShareAt is setShare with locate's result for c (e, c's entry, nil
// without one); a pool linked with an open journal records the share it
// replaces. It returns the position of c's entry after the write (i,
// unless an insertion split a chunk; meaningless when the entry was
// deleted).
func (p *SharePool) setShareAt(i int, e *shareEntry, c units.AccountID, s fixed.SafeFloat) int {
	if p.recording() {
		var old fixed.SafeFloat
		if e != nil {
			old = e.share
		}
		p.rec.entries = append(p.rec.entries, entryUndo{pool: p, coldkey: c, share: old})
	}
	switch {
	case e != nil && s.IsZero():
		p.remove(i)
	case e != nil:
		e.share = s
	case !s.IsZero():
		return p.insert(i, &c, s)
	}
	return i
}

// SetShare sets the coldkey's share as read from AlphaV2 storage (a zero
// share removes the entry).
func (p *SharePool) SetShare(c units.AccountID, s fixed.SafeFloat) { p.setShare(c, s) }

// ImportLegacyShare sets the coldkey's share from a legacy Alpha entry, the
// U64F64 the chain reads through From<U64F64> for SafeFloat
// (HotkeyAlphaSharePoolDataOperations::get_share,
// pallets/subtensor/src/staking/stake_utils.rs).
func (p *SharePool) ImportLegacyShare(c units.AccountID, bits fixed.U64F64) {
	p.setShare(c, fixed.SafeFloatFromU64F64(bits))
}

// valueOf is SharePool::get_value_from_shares: V·share/denominator in
// SafeFloat, 0 when that fails (a zero denominator).
func (p *SharePool) valueOf(s fixed.SafeFloat) uint64 {
	v, ok := fixed.SafeFloatFromUint64(p.value.Rao()).MulDiv(s, p.denom)
	if !ok {
		return 0
	}
	return v.ToUint64()
}

// Value returns the coldkey's stake, floor(V·share/denominator) as
// SharePool::get_value computes it (0 without an entry or with a zero
// denominator).
func (p *SharePool) Value(c units.AccountID) units.Alpha {
	s, _ := p.Share(c)
	return units.Alpha(p.valueOf(s))
}

// valueIndex is Value and the position of the coldkey's entry (−1
// without one), a hint for findAt.
func (p *SharePool) valueIndex(c units.AccountID) (units.Alpha, int) {
	kv, i := p.valueShare(c)
	return units.Alpha(kv.v), i
}

// valueShare is valueIndex with what the value was computed from, for
// unstakeRead.
func (p *SharePool) valueShare(c units.AccountID) (shareValue, int) {
	i, e := p.locate(c)
	var s fixed.SafeFloat
	if e != nil {
		s = e.share
	} else {
		i = -1
	}
	return shareValue{value: p.value, denom: p.denom, share: s, v: p.valueOf(s)}, i
}

// Stake adds amount to the coldkey's stake: update_value_for_one(c,
// +amount), as increase_stake_for_hotkey_and_coldkey_on_subnet
// (pallets/subtensor/src/staking/stake_utils.rs) does it, without the
// extrinsic's pre-check. Into a pool with a zero denominator the coldkey
// receives shares equal to amount and so owns everything already in V.
// Into a pool whose V is 0 but whose denominator is not, it receives no
// shares. An amount above 2^63 − 1 is ErrAmountTooLarge.
func (p *SharePool) Stake(c units.AccountID, amount units.Alpha) error {
	return p.stakeAt(c, amount, nil)
}

// stakeAt is Stake for a payout: *at, when at is not nil, is where the
// coldkey's entry was last found in this pool (any value when unknown),
// checked before searching and kept current, so that a coldkey paid epoch
// after epoch (a validator's owner) is found with one comparison.
func (p *SharePool) stakeAt(c units.AccountID, amount units.Alpha, at *int) error {
	if amount.Rao() > maxPoolUpdate {
		return fmt.Errorf("stake of %d rao: %w", amount.Rao(), ErrAmountTooLarge)
	}
	p.updateForOne(c, amount.Rao(), true, at)
	return nil
}

// Unstake removes amount from the coldkey's stake as
// decrease_stake_for_hotkey_and_coldkey_on_subnet does: only when the
// coldkey has an entry and its value is at least amount
// (update_value_for_one(c, −amount)); otherwise nothing changes and done is
// false, without an error, as on chain. An amount above 2^63 − 1 is
// ErrAmountTooLarge.
func (p *SharePool) Unstake(c units.AccountID, amount units.Alpha) (done bool, err error) {
	return p.unstakeAt(c, amount, nil)
}

// unstakeAt is Unstake with findAt's hint at (nil: none).
func (p *SharePool) unstakeAt(c units.AccountID, amount units.Alpha, at *int) (done bool, err error) {
	return p.unstakeRead(c, amount, at, nil)
}

// shareValue is a coldkey's value as valueOf computed it: v ==
// valueOf(share) while the pool holds value and denom. valueOf reads
// nothing else, so a pool whose value, denominator and entry's share
// still match gives v again without the division.
type shareValue struct {
	value units.Alpha
	denom fixed.SafeFloat
	share fixed.SafeFloat
	v     uint64
}

// valueRead is valueOf(share), from kv when it was computed on the same
// value, denominator and share.
func (p *SharePool) valueRead(share fixed.SafeFloat, kv *shareValue) uint64 {
	if kv != nil && kv.value == p.value && kv.denom == p.denom && kv.share == share {
		return kv.v
	}
	return p.valueOf(share)
}

// unstakeRead is unstakeAt with the coldkey's value possibly already
// computed (kv, nil: none; see valueRead).
func (p *SharePool) unstakeRead(c units.AccountID, amount units.Alpha, at *int, kv *shareValue) (done bool, err error) {
	if amount.Rao() > maxPoolUpdate {
		return false, fmt.Errorf("unstake of %d rao: %w", amount.Rao(), ErrAmountTooLarge)
	}
	i, e := p.findAt(c, at)
	if e == nil || p.valueRead(e.share, kv) < amount.Rao() {
		return false, nil
	}
	// The entry just found: updateForOne's hint check finds it at i
	// without a second search.
	p.updateForOne(c, amount.Rao(), false, &i)
	return true, nil
}

// stakeShares are the shares a stake of amount buys, as
// sharesPerUpdate computed them: shares == sharesPerUpdate(amount) while
// the pool holds value and a non-zero denom. sharesPerUpdate reads
// nothing else, so a pool whose value and denominator still match gives
// shares again without the division.
type stakeShares struct {
	amount uint64
	value  units.Alpha
	denom  fixed.SafeFloat
	shares fixed.SafeFloat
}

// simStakeShares is simStake (SharePool::sim_update_value_for_one for a
// positive amount), also returning, when it computed them (a non-zero
// denominator and an amount within i64), the shares amount buys, for
// stakeKnown; otherwise ss is empty, which knows refuses.
func (p *SharePool) simStakeShares(amount units.Alpha) (ok bool, ss stakeShares) {
	if p.denom.IsZero() {
		return true, stakeShares{}
	}
	if amount.Rao() > maxPoolUpdate {
		return false, stakeShares{}
	}
	s := p.sharesPerUpdate(amount.Rao())
	return !s.IsZero(), stakeShares{amount: amount.Rao(), value: p.value, denom: p.denom, shares: s}
}

// knows reports whether ss holds sharesPerUpdate(amount) for the pool as
// it is now (see stakeShares): then simStake(amount) is !ss.shares.IsZero().
func (p *SharePool) knows(ss *stakeShares, amount units.Alpha) bool {
	return ss.amount == amount.Rao() && ss.value == p.value && ss.denom == p.denom && !ss.denom.IsZero()
}

// stakeKnown is Stake of an amount whose shares ss holds for the pool as
// it is (p.knows(ss, amount)): update_value_for_one(c, +amount) without
// computing them again.
func (p *SharePool) stakeKnown(c units.AccountID, amount units.Alpha, ss *stakeShares) error {
	if amount.Rao() > maxPoolUpdate {
		return fmt.Errorf("stake of %d rao: %w", amount.Rao(), ErrAmountTooLarge)
	}
	p.updateForOneShares(c, amount.Rao(), true, nil, &ss.shares)
	return nil
}

// Dividend adds amount to V and so to every holder pro rata:
// increase_stake_for_hotkey_on_subnet, update_value_for_all(+amount),
// saturating at 2^64 − 1. An amount above 2^63 − 1 is ErrAmountTooLarge.
func (p *SharePool) Dividend(amount units.Alpha) error {
	if amount.Rao() > maxPoolUpdate {
		return fmt.Errorf("dividend of %d rao: %w", amount.Rao(), ErrAmountTooLarge)
	}
	p.value = p.value.SaturatingAdd(amount)
	return nil
}

// updateForOne is SharePool::update_value_for_one(c, ±amount); positive is
// the sign of the update (an update of 0 takes the crate's non-positive
// branch). at, when not nil, is findAt's hint.
func (p *SharePool) updateForOne(c units.AccountID, amount uint64, positive bool, at *int) {
	p.updateForOneShares(c, amount, positive, at, nil)
}

// updateForOneShares is updateForOne with get_shares_per_update's result
// already computed (shares == sharesPerUpdate(amount) for the pool as it
// is; nil: compute it).
func (p *SharePool) updateForOneShares(c units.AccountID, amount uint64, positive bool, at *int, shares *fixed.SafeFloat) {
	i, e := p.findAt(c, at)
	var cur fixed.SafeFloat
	if e != nil {
		cur = e.share
	}
	if p.denom.IsZero() {
		// The first key gets all.
		u := fixed.SafeFloatFromUint64(amount)
		p.denom = u
		i = p.setShareAt(i, e, c, u)
	} else {
		// get_shares_per_update: |Δ|·denominator/V, zero when V is 0.
		var s fixed.SafeFloat
		if shares != nil {
			s = *shares
		} else {
			s = p.sharesPerUpdate(amount)
		}
		// A failed step keeps the old value, as the crate does. Direct
		// calls, not a method value picked by the sign: static calls
		// instead of indirect ones through a func value.
		var d, n fixed.SafeFloat
		var dok, nok bool
		if positive && amount > 0 {
			d, dok = p.denom.Add(s)
			n, nok = cur.Add(s)
		} else {
			d, dok = p.denom.Sub(s)
			n, nok = cur.Sub(s)
		}
		if dok {
			p.denom = d
		}
		if nok {
			cur = n
		}
		i = p.setShareAt(i, e, c, cur)
	}
	if at != nil {
		*at = i
	}
	if positive {
		p.value = p.value.SaturatingAdd(units.Alpha(amount))
	} else {
		p.value = p.value.SaturatingSub(units.Alpha(amount))
	}
}

// sharesPerUpdate is SharePool::get_shares_per_update: |Δ|·denominator/V in
// SafeFloat, zero when that fails (V = 0).
func (p *SharePool) sharesPerUpdate(amount uint64) fixed.SafeFloat {
	s, ok := fixed.SafeFloatFromUint64(amount).MulDiv(p.denom, fixed.SafeFloatFromUint64(p.value.Rao()))
	if !ok {
		return fixed.SafeFloat{}
	}
	return s
}
