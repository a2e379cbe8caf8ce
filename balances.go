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

// balTransfer is fungible::Mutate::transfer of the balances pallet:
// can_withdraw (FundsUnavailable, NotExpendable when the sender must stay
// alive), can_deposit (Overflow, BelowMinimum), then the debit, reaping a
// sender left below the existential deposit with its dust burned, and the
// credit.
func (l *Ledger) balTransfer(j *journal, from, to units.AccountID, amount units.TAO, keepAlive bool) error {
	if amount == 0 {
		return nil
	}
	return l.balTransferFree(j, from, l.balances[from], to, amount, keepAlive)
}

// balTransferFree is balTransfer of a non-zero amount with the sender's
// free balance already read (free == balances[from]): each balance is
// looked up once, and the journal records the values read.
func (l *Ledger) balTransferFree(j *journal, from units.AccountID, free units.TAO, to units.AccountID, amount units.TAO, keepAlive bool) error {
	return l.balTransferKnown(j, from, free, to, l.balances[to], amount, keepAlive)
}

// balTransferKnown is balTransferFree with the receiver's balance read
// too (dest == balances[to]).
func (l *Ledger) balTransferKnown(j *journal, from units.AccountID, free units.TAO, to units.AccountID, dest, amount units.TAO, keepAlive bool) error {
	if amount > free {
		return ErrFundsUnavailable
	}
	rest := free - amount
	if keepAlive && rest < l.ed {
		return ErrNotExpendable
	}
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
	j.setBalanceFrom(from, free, rest)
	j.setBalanceFrom(to, dest, credited)
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
	return l.taoTransferFree(j, from, l.balances[from], to, amount)
}

// taoTransferFree is taoTransfer with the sender's free balance already
// read (free == balances[from]).
func (l *Ledger) taoTransferFree(j *journal, from units.AccountID, free units.TAO, to units.AccountID, amount units.TAO) error {
	if amount > free {
		return ErrInsufficientBalance
	}
	if amount == 0 {
		return nil
	}
	return l.balTransferFree(j, from, free, to, amount, false)
}

// taoTransferTo is taoTransfer with the receiver's balance already read
// (dest == balances[to]).
func (l *Ledger) taoTransferTo(j *journal, from, to units.AccountID, dest, amount units.TAO) error {
	free := l.balances[from]
	if amount > free {
		return ErrInsufficientBalance
	}
	if amount == 0 {
		return nil
	}
	return l.balTransferKnown(j, from, free, to, dest, amount, false)
}

// transferToSubnet is transfer_tao_to_subnet (coinbase/tao.rs): it moves
// at most what keeps the coldkey alive (free − ED) to the subnet account
// and returns what it moved; nothing to move is InsufficientBalance.
func (l *Ledger) transferToSubnet(j *journal, netuid units.NetUID, from units.AccountID, amount units.TAO) (units.TAO, error) {
	if amount == 0 {
		return 0, nil
	}
	return l.transferToSubnetFree(j, netuid, from, l.balances[from], l.balances[SubnetAccountID(netuid)], amount)
}

// transferToSubnetFree is transferToSubnet with the sender's free balance
// and the subnet account's already read (free == balances[from], dest ==
// balances[SubnetAccountID(netuid)]).
func (l *Ledger) transferToSubnetFree(j *journal, netuid units.NetUID, from units.AccountID, free, dest, amount units.TAO) (units.TAO, error) {
	if amount == 0 {
		return 0, nil
	}
	moved := min(amount, free.SaturatingSub(l.ed))
	if moved == 0 {
		return 0, ErrInsufficientBalance
	}
	if err := l.balTransferKnown(j, from, free, SubnetAccountID(netuid), dest, moved, true); err != nil {
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
	return l.payFeeFrom(j, netuid, l.balances[SubnetAccountID(netuid)], fee)
}

// payFeeFrom is payFee with the subnet account's free balance already
// read (free == balances[SubnetAccountID(netuid)]).
func (l *Ledger) payFeeFrom(j *journal, netuid units.NetUID, free, fee units.TAO) error {
	sub := SubnetAccountID(netuid)
	if l.hasAuthor {
		return l.taoTransferFree(j, sub, free, l.author, fee)
	}
	// burn_tao's result is discarded by stake_into_subnet; a failed
	// transfer has changed nothing (every check precedes the writes).
	_ = l.taoTransferFree(j, sub, free, BurnAccountID(), fee)
	return nil
}
