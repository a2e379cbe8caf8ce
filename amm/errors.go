package amm

// chainError is a sentinel that mirrors an error of the chain. Its
// ChainName is the chain's exact error name, which the conformance runner
// prints.
type chainError struct{ name, msg string }

func (e *chainError) Error() string     { return "amm: " + e.msg }
func (e *chainError) ChainName() string { return e.name }

// The errors of a swap, a limit query and the emission hooks. Each is a
// sentinel named after the chain's error, testable with errors.Is; the
// message carries no data, so returning one never allocates.
var (
	// ErrSwapInputTooLarge: the net input (after the fee) exceeds 1000 times
	// the input-side reserve (Swap pallet, ensure_swap_input_within_reserve_limit).
	ErrSwapInputTooLarge error = &chainError{"SwapInputTooLarge", "swap input exceeds 1000 times the input reserve"}
	// ErrReservesTooLow: the output-side reserve is below the minimum reserve
	// before the swap, or a non-zero input would buy nothing (dust).
	ErrReservesTooLow error = &chainError{"ReservesTooLow", "reserves too low for the swap"}
	// ErrPriceLimitExceeded: the current price is not strictly on the
	// permitted side of the limit (below it for a buy, above it for a sell).
	ErrPriceLimitExceeded error = &chainError{"PriceLimitExceeded", "price limit exceeded"}
	// ErrInsufficientLiquidity: an executed (not simulated) swap would pay out
	// more than the output reserve held before the swap.
	ErrInsufficientLiquidity error = &chainError{"InsufficientLiquidity", "insufficient liquidity"}
	// ErrReservesOutOfBalance: initialisation from a price would give a
	// weight outside [0.01, 0.99], or both reserves are zero.
	ErrReservesOutOfBalance error = &chainError{"ReservesOutOfBalance", "reserves out of balance"}
	// ErrInvalidWeight: a weight update would leave the quote weight outside
	// [0.01, 0.99] (the chain's BalancerError::InvalidValue; the chain then
	// injects nothing that block).
	ErrInvalidWeight error = &chainError{"InvalidWeight", "quote weight would leave [0.01, 0.99]"}
	// ErrInvalidDirection: an Order whose Direction is neither Buy nor Sell.
	// It is an input error of this SDK; the chain has no such state.
	ErrInvalidDirection error = &chainError{"InvalidDirection", "order direction must be Buy or Sell"}
	// ErrZeroMaxStakeAmount: the constant-product era's limit helpers found
	// no amount that respects the limit.
	ErrZeroMaxStakeAmount error = &chainError{"ZeroMaxStakeAmount", "no amount respects the price limit"}
)
