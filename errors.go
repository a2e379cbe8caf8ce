package dtao

import (
	"errors"

	"github.com/dtao-go/dtao/units"
)

// Chain errors of the ledger's calls, named as pallets/subtensor/src/macros/errors.rs
// and the balances pallet (sp_runtime::TokenError) name them. A call that
// returns one changes nothing. The pool's own errors (amm.ErrReservesTooLow,
// amm.ErrPriceLimitExceeded, ...) pass through unchanged.
var (
	// ErrSubnetNotExists: the netuid holds no subnet.
	ErrSubnetNotExists = units.NewChainError("dtao", "SubnetNotExists", "subnet does not exist")
	// ErrSubtokenDisabled: the subnet's SubtokenEnabled is off (or the
	// subnet does not exist: remove_stake checks this flag first).
	ErrSubtokenDisabled = units.NewChainError("dtao", "SubtokenDisabled", "subtoken is disabled on the subnet")
	// ErrAmountTooLow: below the minimum stake, a zero unstake, or a swap
	// that buys nothing.
	ErrAmountTooLow = units.NewChainError("dtao", "AmountTooLow", "amount too low")
	// ErrNotEnoughBalanceToStake: the coldkey's free balance is below the amount.
	ErrNotEnoughBalanceToStake = units.NewChainError("dtao", "NotEnoughBalanceToStake",
		"not enough balance to stake")
	// ErrHotKeyAccountNotExists: the hotkey has no owner (Owner).
	ErrHotKeyAccountNotExists = units.NewChainError("dtao", "HotKeyAccountNotExists",
		"hotkey account does not exist")
	// ErrInsufficientLiquidity: the amount is above 1000 times the input
	// reserve, the simulated swap fails or pays nothing, or the share pool
	// cannot represent the stake.
	ErrInsufficientLiquidity = units.NewChainError("dtao", "InsufficientLiquidity", "insufficient liquidity")
	// ErrNotEnoughStakeToWithdraw: the unstake is above the coldkey's stake.
	ErrNotEnoughStakeToWithdraw = units.NewChainError("dtao", "NotEnoughStakeToWithdraw",
		"not enough stake to withdraw")
	// ErrInsufficientBalance: subtensor's own transfer (coinbase/tao.rs
	// transfer_tao, transfer_tao_to_subnet) finds the balance too low.
	ErrInsufficientBalance = units.NewChainError("dtao", "InsufficientBalance", "insufficient balance")
	// ErrFundsUnavailable: a balances transfer above the free balance
	// (TokenError::FundsUnavailable).
	ErrFundsUnavailable = units.NewChainError("dtao", "FundsUnavailable", "funds unavailable")
	// ErrBelowMinimum: a transfer would create an account below the
	// existential deposit (TokenError::BelowMinimum).
	ErrBelowMinimum = units.NewChainError("dtao", "BelowMinimum", "account would be below the existential deposit")
	// ErrNotExpendable: a keep-alive transfer would reap the sender
	// (TokenError::NotExpendable).
	ErrNotExpendable = units.NewChainError("dtao", "NotExpendable", "transfer would kill the account")
	// ErrSlippageTooHigh: a fill-or-kill limit order whose amount is
	// above what the limit price allows.
	ErrSlippageTooHigh = units.NewChainError("dtao", "SlippageTooHigh", "slippage too high")
	// ErrOverflow: a balance would pass 2^64 − 1 rao (ArithmeticError::Overflow).
	ErrOverflow = units.NewChainError("dtao", "Overflow", "balance overflow")
)

// ErrInvalidGenesis is wrapped by every error of NewLedger, with the field
// and the entry at fault. It is an input error of this SDK, not a chain error.
var ErrInvalidGenesis = errors.New("dtao: invalid genesis")

// ErrInvariant is wrapped by every error of CheckInvariants.
var ErrInvariant = errors.New("dtao: invariant broken")
