package dtao

import (
	"fmt"

	"github.com/dtao-go/dtao/units"
)

// ErrBadOrigin: a call signed by an account nobody can sign for (a subnet's
// pallet account) (DispatchError::BadOrigin).
var ErrBadOrigin = units.NewChainError("dtao", "BadOrigin", "bad origin")

// Transfer is the balances pallet's transfer_allow_death: amount moves from
// from to to. More than the free balance is ErrFundsUnavailable; a credit
// that would leave a new account below the existential deposit is
// ErrBelowMinimum; a sender left below the existential deposit is reaped
// and its dust burned (TotalIssuance falls by it). A zero amount, or a
// transfer to oneself, changes nothing. A subnet account cannot sign
// (ErrBadOrigin).
func (l *Ledger) Transfer(from, to units.AccountID, amount units.TAO) error {
	return l.transfer(from, to, amount, false)
}

// TransferKeepAlive is the balances pallet's transfer_keep_alive: as
// Transfer, but a transfer that would reap the sender is ErrNotExpendable.
func (l *Ledger) TransferKeepAlive(from, to units.AccountID, amount units.TAO) error {
	return l.transfer(from, to, amount, true)
}

func (l *Ledger) transfer(from, to units.AccountID, amount units.TAO, keepAlive bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.checkOrigin(from); err != nil {
		return fmt.Errorf("transfer: %w", err)
	}
	j := l.begin()
	if err := l.balTransfer(j, from, to, amount, keepAlive); err != nil {
		j.rollback()
		return fmt.Errorf("transfer of %d rao: %w", amount.Rao(), err)
	}
	j.commit()
	return nil
}

// isSubnetAccount reports whether a is the account of one of the subnets.
func (l *Ledger) isSubnetAccount(a units.AccountID) bool {
	netuid := units.NetUID(a[12]) | units.NetUID(a[13])<<8
	if _, ok := l.subnets[netuid]; !ok {
		return false
	}
	return SubnetAccountID(netuid) == a
}

// checkOrigin refuses a call signed by a subnet account (of any netuid, a
// pallet account no one holds the key of).
func (l *Ledger) checkOrigin(a units.AccountID) error {
	if a == SubnetAccountID(units.NetUID(a[12])|units.NetUID(a[13])<<8) {
		k := a // escapes into the error: copied on the error path only, so a stays on the stack
		return fmt.Errorf("signed by subnet account %x: %w", k[:], ErrBadOrigin)
	}
	return nil
}

// balance returns the account's free balance (0: no account).
func (l *Ledger) balance(a units.AccountID) units.TAO {
	return valueAt(l.balances.cell(a))
}

// valueAt is the balance a cell holds (nil: no account, 0).
func valueAt(p *units.TAO) units.TAO {
	if p == nil {
		return 0
	}
	return *p
}

// putBalance writes the account's balance outside a call's journal
// (genesis, the block's mint, a rollback) through its cell p (p ==
// balances[a], nil for none) and returns the cell now holding it: a new
// account gets a cell, a zero balance removes the account (counted in
// balancesGone; nil returned).
func (l *Ledger) putBalance(a units.AccountID, p *units.TAO, v units.TAO) *units.TAO {
	if v == 0 {
		if p != nil {
			l.balances.remove(a)
			l.balancesGone++
		}
		return nil
	}
	if p == nil {
		p = l.newBalanceCell()
		l.balances.set(a, p)
	}
	*p = v
	return p
}

// setGenesisBalance gives the account a not yet held its genesis balance
// v, in a new cell (even for v = 0, as the genesis lists it).
func (l *Ledger) setGenesisBalance(a units.AccountID, v units.TAO) {
	p := l.newBalanceCell()
	*p = v
	l.balances.set(a, p)
}

// balanceCellBlock is how many balance cells newBalanceCell allocates at
// once.
const balanceCellBlock = 64

// newBalanceCell returns a new zero balance cell, cut from a block of
// them: new accounts allocate once per balanceCellBlock, and the cells
// made together (genesis's, in one block) lie together in memory.
func (l *Ledger) newBalanceCell() *units.TAO {
	if len(l.balanceCells) == 0 {
		l.balanceCells = make([]units.TAO, balanceCellBlock)
	}
	p := &l.balanceCells[0]
	l.balanceCells = l.balanceCells[1:]
	return p
}

// subnetBalanceRef returns the cell of the subnet account of netuid (nil:
// no account), from the block's kept subnet list when the list is
// current and keeps a cell no removal has passed since (stepSubnet.bal),
// without rebuilding the list; otherwise looked up, and kept in a current
// list. The caller holds the write lock.
func (l *Ledger) subnetBalanceRef(netuid units.NetUID) *units.TAO {
	buf := &l.buf
	if buf.subnetsValid && buf.subnetsGen == buf.keysGen {
		if s := keptSubnetAt(buf.ids, buf.subnets, netuid); s != nil {
			return l.keptBalance(s, netuid)
		}
	}
	return l.balances.cell(SubnetAccountID(netuid))
}

// keptBalance returns the cell of the account of the kept subnet s,
// netuid (nil: no account), s.bal while no account has been removed since
// it was looked up (balancesGone), else looked up again and kept.
func (l *Ledger) keptBalance(s *stepSubnet, netuid units.NetUID) *units.TAO {
	if s.bal != nil && s.balGone == l.balancesGone {
		return s.bal
	}
	p := l.balances.cell(SubnetAccountID(netuid))
	s.bal, s.balGone = p, l.balancesGone
	return p
}

// balTransfer is fungible::Mutate::transfer of the balances pallet:
// can_withdraw (FundsUnavailable, NotExpendable when the sender must stay
// alive), can_deposit (Overflow, BelowMinimum), then the debit, reaping a
// sender left below the existential deposit with its dust burned, and the
// credit.
func (l *Ledger) balTransfer(j *journal, from, to units.AccountID, amount units.TAO, keepAlive bool) error {
	if amount == 0 {
		return nil
	}
	return l.balTransferFree(j, from, l.balances.cell(from), to, amount, keepAlive)
}

// balTransferFree is balTransfer of a non-zero amount with the sender's
// balance cell already looked up (fromRef == balances[from], nil for no
// account): each balance is looked up once, read and written through its
// cell, and the journal records the values read.
func (l *Ledger) balTransferFree(j *journal, from units.AccountID, fromRef *units.TAO, to units.AccountID, amount units.TAO, keepAlive bool) error {
	return l.balTransferKnown(j, from, fromRef, to, l.balances.cell(to), amount, keepAlive)
}

// balTransferKnown is balTransferFree with the receiver's cell looked up
// too (toRef == balances[to]).
func (l *Ledger) balTransferKnown(j *journal, from units.AccountID, fromRef *units.TAO, to units.AccountID, toRef *units.TAO, amount units.TAO, keepAlive bool) error {
	free := valueAt(fromRef)
	if amount > free {
		return ErrFundsUnavailable
	}
	rest := free - amount
	if keepAlive && rest < l.ed {
		return ErrNotExpendable
	}
	dest := valueAt(toRef)
	credited, over := dest.Add(amount)
	if over {
		return ErrOverflow
	}
	if credited < l.ed {
		return ErrBelowMinimum
	}
	if from == to {
		return nil
	}
	if rest < l.ed {
		// The account is reaped; the dust leaves the issuance.
		l.totalIssuance = l.totalIssuance.SaturatingSub(rest)
		rest = 0
	}
	// Reaping the sender removes its cell only: the receiver's, another
	// account's, stays its own.
	j.setBalanceAt(from, fromRef, rest)
	j.setBalanceAt(to, toRef, credited)
	return nil
}

// taoTransfer is transfer_tao (pallets/subtensor/src/coinbase/tao.rs): at
// most the free balance (InsufficientBalance), the sender may be reaped.
func (l *Ledger) taoTransfer(j *journal, from, to units.AccountID, amount units.TAO) error {
	if amount == 0 {
		// No balance is below 0: the check below would pass, and nothing
		// moves, so the sender's balance is not looked up.
		return nil
	}
	return l.taoTransferFree(j, from, l.balances.cell(from), to, amount)
}

// taoTransferFree is taoTransfer with the sender's cell already looked up
// (fromRef == balances[from]).
func (l *Ledger) taoTransferFree(j *journal, from units.AccountID, fromRef *units.TAO, to units.AccountID, amount units.TAO) error {
	if amount > valueAt(fromRef) {
		return ErrInsufficientBalance
	}
	if amount == 0 {
		return nil
	}
	return l.balTransferFree(j, from, fromRef, to, amount, false)
}

// taoTransferTo is taoTransfer with both cells already looked up (fromRef
// == balances[from], toRef == balances[to]).
func (l *Ledger) taoTransferTo(j *journal, from units.AccountID, fromRef *units.TAO, to units.AccountID, toRef *units.TAO, amount units.TAO) error {
	if amount > valueAt(fromRef) {
		return ErrInsufficientBalance
	}
	if amount == 0 {
		return nil
	}
	return l.balTransferKnown(j, from, fromRef, to, toRef, amount, false)
}

// transferToSubnet is transfer_tao_to_subnet (coinbase/tao.rs): it moves
// at most what keeps the coldkey alive (free − ED) to the subnet account
// and returns what it moved; nothing to move is InsufficientBalance.
func (l *Ledger) transferToSubnet(j *journal, netuid units.NetUID, from units.AccountID, amount units.TAO) (units.TAO, error) {
	if amount == 0 {
		return 0, nil
	}
	return l.transferToSubnetFree(j, netuid, from, l.balances.cell(from), l.balances.cell(SubnetAccountID(netuid)), amount)
}

// transferToSubnetFree is transferToSubnet with the sender's cell and the
// subnet account's already looked up (fromRef == balances[from], subRef
// == balances[SubnetAccountID(netuid)]).
func (l *Ledger) transferToSubnetFree(j *journal, netuid units.NetUID, from units.AccountID, fromRef, subRef *units.TAO, amount units.TAO) (units.TAO, error) {
	if amount == 0 {
		return 0, nil
	}
	moved := min(amount, valueAt(fromRef).SaturatingSub(l.ed))
	if moved == 0 {
		return 0, ErrInsufficientBalance
	}
	if err := l.balTransferKnown(j, from, fromRef, SubnetAccountID(netuid), subRef, moved, true); err != nil {
		return 0, err
	}
	return moved, nil
}

// payFee pays a TAO fee out of the subnet account: to the block author
// (transfer_tao_from_subnet), or, without one, to the burn account
// (burn_tao), whose failure the chain ignores, leaving the fee in the
// subnet account.
func (l *Ledger) payFee(j *journal, netuid units.NetUID, fee units.TAO) error {
	if fee == 0 {
		// Either transfer of nothing changes nothing and succeeds.
		return nil
	}
	return l.payFeeFrom(j, netuid, l.balances.cell(SubnetAccountID(netuid)), fee)
}

// payFeeFrom is payFee with the subnet account's cell already looked up
// (subRef == balances[SubnetAccountID(netuid)]). The receiver's cell (the
// author's or the burn account's, the same account call after call) is
// the kept one (keptCell.of).
func (l *Ledger) payFeeFrom(j *journal, netuid units.NetUID, subRef *units.TAO, fee units.TAO) error {
	sub := SubnetAccountID(netuid)
	if l.hasAuthor {
		return l.taoTransferTo(j, sub, subRef, l.author, l.jr.fee.of(l, l.author), fee)
	}
	// burn_tao's result is discarded by stake_into_subnet; a failed
	// transfer has changed nothing (every check precedes the writes).
	burn := BurnAccountID()
	_ = l.taoTransferTo(j, sub, subRef, burn, l.jr.fee.of(l, burn), fee)
	return nil
}

// keptCell is an account's balance cell as a lookup found it when the
// ledger's balancesGone was gone. A cell is never replaced while its
// account exists and every removal counts in balancesGone, so a non-nil
// cell kept at the current count is still balances[acct]; a nil one (no
// account) is not kept, since an account may be created without a
// removal.
type keptCell struct {
	acct units.AccountID
	cell *units.TAO
	gone uint64
}

// of returns balances[a] (nil: no account): the kept cell when it is a's
// and still current, else looked up and kept. The caller holds the write
// lock.
func (k *keptCell) of(l *Ledger, a units.AccountID) *units.TAO {
	if k.cell != nil && k.gone == l.balancesGone && k.acct == a {
		return k.cell
	}
	p := l.balances.cell(a)
	*k = keptCell{acct: a, cell: p, gone: l.balancesGone}
	return p
}
