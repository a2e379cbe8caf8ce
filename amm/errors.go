package amm

import (
	"strconv"

	"github.com/dtao-go/dtao/units"
)

// The errors of a swap, a limit query and the emission hooks. Each is a
// [*units.ChainError] sentinel whose ChainName is the chain's name of the
// error (which the conformance runner prints), testable with errors.Is; the
// message carries no data, so returning one never allocates.
var (
	// ErrSwapInputTooLarge: the net input (after the fee) exceeds 1000 times
	// the input-side reserve (Swap pallet, ensure_swap_input_within_reserve_limit).
	ErrSwapInputTooLarge = units.NewChainError("amm", "SwapInputTooLarge", "swap input exceeds 1000 times the input reserve")
	// ErrReservesTooLow: the output-side reserve is below the minimum reserve
	// before the swap, or a non-zero input would buy nothing (dust).
	ErrReservesTooLow = units.NewChainError("amm", "ReservesTooLow", "reserves too low for the swap")
	// ErrPriceLimitExceeded: the current price is not strictly on the
	// permitted side of the limit (below it for a buy, above it for a sell).
	ErrPriceLimitExceeded = units.NewChainError("amm", "PriceLimitExceeded", "price limit exceeded")
	// ErrInsufficientLiquidity: an executed (not simulated) swap would pay out
	// more than the output reserve held before the swap.
	ErrInsufficientLiquidity = units.NewChainError("amm", "InsufficientLiquidity", "insufficient liquidity")
	// ErrReservesOutOfBalance: initialisation from a price would give a
	// weight outside [0.01, 0.99], or both reserves are zero.
	ErrReservesOutOfBalance = units.NewChainError("amm", "ReservesOutOfBalance", "reserves out of balance")
	// ErrInvalidWeight: a quote weight outside [0.01, 0.99], the range the
	// chain's Balancer::new and set_quote_weight accept (swap pallet,
	// pallets/swap/src/pallet/balancer.rs Balancer::check_constraints;
	// BalancerError::InvalidValue).
	// AdjustWeights and Inject return it when the update would leave the
	// range (the chain then injects nothing that block); Validate, wrapped
	// with the field's value, when a pool holds such a weight.
	ErrInvalidWeight = units.NewChainError("amm", "InvalidWeight", "quote weight outside [0.01, 0.99]")
	// ErrFeeRateTooHigh: a pool's FeeRate is above MaxFeeRate, which the swap
	// pallet's set_fee_rate refuses with this error (pallets/swap/src/pallet/mod.rs).
	ErrFeeRateTooHigh = units.NewChainError("amm", "FeeRateTooHigh", "fee rate above the chain's maximum")
	// ErrMechanismDoesNotExist: a pool's Mechanism is neither Stable nor
	// Dynamic. do_register_network (subnets/subnet.rs) refuses any mechid
	// but 1 with this error, and only the genesis and the dTAO migration
	// store 0, so the chain holds no other value.
	ErrMechanismDoesNotExist = units.NewChainError("amm", "MechanismDoesNotExist", "mechanism is neither stable (0) nor dynamic (1)")
	// ErrInvalidDirection: an Order whose Direction is neither Buy nor Sell.
	// It is an input error of this SDK; the chain has no such state.
	ErrInvalidDirection = units.NewChainError("amm", "InvalidDirection", "order direction must be Buy or Sell")
	// ErrZeroMaxStakeAmount: the constant-product era's limit helpers found
	// no amount that respects the limit.
	ErrZeroMaxStakeAmount = units.NewChainError("amm", "ZeroMaxStakeAmount", "no amount respects the price limit")
	// ErrUnknownEra: a ConstantProductPool whose Era is not one of the
	// ConstantProductEra constants. It is an input error of this SDK.
	ErrUnknownEra = units.NewChainError("amm", "UnknownEra", "unknown constant-product era")
)

// fieldError is the error of Validate: the sentinel of the chain's refusal
// wrapped with the field, its value and the bound it breaks. It is a
// comparable value, so two validations of the same pool return errors that
// errors.Is reports equal; errors.Is(err, sentinel) and errors.As to the
// sentinel's ChainName work through Unwrap.
type fieldError struct {
	err   error
	field string
	value uint64
	bound string
}

func (e fieldError) Error() string {
	return e.err.Error() + ": " + e.field + " " + strconv.FormatUint(e.value, 10) + " " + e.bound
}

func (e fieldError) Unwrap() error { return e.err }
