package amm

import (
	"strconv"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Mechanism is a subnet's SubnetMechanism: 0 is the stable mechanism (root
// and "stao" subnets: price 1, swaps 1:1, no fee), 1 the dynamic AMM.
//
// The chain stores no other value: do_register_network (subnets/subnet.rs)
// refuses any mechid but 1 (MechanismDoesNotExist), and only the genesis
// and the dTAO migration write 0 or 1. Its functions disagree on the
// values it cannot hold: the swap and the swap pallet (current_price,
// calculate_fee_amount, sim_swap) test == 1 for dynamic, while
// get_moving_alpha_price, get_max_amount_add/remove and the launch era's
// get_alpha_price test == 0 for stable. The methods that return an error
// refuse such a value ([ErrMechanismDoesNotExist], see [Pool.Validate]);
// those that cannot fail follow their chain function's own test.
type Mechanism uint16

const (
	// Stable swaps 1:1 without a fee and reports a price of 1.
	Stable Mechanism = 0
	// Dynamic is the weighted pool.
	Dynamic Mechanism = 1
)

// Chain constants of the live pool (runtime/src/lib.rs, pallets/swap).
const (
	// DefaultFeeRate is the swap pallet's DefaultFeeRate: fee = rate/65535.
	DefaultFeeRate uint16 = 33
	// MaxFeeRate is the runtime's SwapMaxFeeRate.
	MaxFeeRate uint16 = 10_000
	// DefaultMinReserve is the runtime's SwapMinimumReserve.
	DefaultMinReserve uint64 = 1_000_000
	// MaxInputReserveMultiplier bounds the net input of a swap to this many
	// times the input-side reserve.
	MaxInputReserveMultiplier uint64 = 1_000
	// MinPriceRao and MaxPriceRao are the default sell and buy limits, in rao
	// per alpha (1e-6 and 1e6 TAO per alpha).
	MinPriceRao uint64 = 1_000
	MaxPriceRao uint64 = 1_000_000_000_000_000
	// HalfWeight is the quote weight of a new or reset pool, 0.5.
	HalfWeight fixed.Perquintill = 500_000_000_000_000_000
	// MinWeight is the smallest weight either side may have, 0.01.
	MinWeight fixed.Perquintill = 10_000_000_000_000_000
	// MaxWeight is the largest quote weight, 1 − MinWeight = 0.99.
	MaxWeight fixed.Perquintill = 990_000_000_000_000_000
)

// Pool is one subnet's live weighted pool: the subtensor storage values the
// swap reads and the swap pallet's per-subnet state.
//
// A pool is made with NewPool (dynamic) or NewStablePool, or as a literal
// that sets every field the chain could hold; Validate says whether it
// does. The zero value is not a valid pool: its QuoteWeight 0 is a weight
// the chain never stores (its storage default is HalfWeight). Every method
// that returns an error validates the pool first and returns Validate's
// error; the ones that cannot fail (Price, PriceRao, ApproxFee,
// AlphaForTAO, MovingPrice) compute with the stored fields as the chain's
// formula would, so call Validate before trusting them on a hand-made pool.
//
// Methods with a pointer receiver that change the pool (Swap, Inject,
// AdjustWeights, InitializeAtPrice) leave it unchanged when they return an
// error. The read-only methods (Price, Quote, Simulate, MaxAmountAdd, ...)
// never write the pool, so any number of goroutines may call them at once
// as long as none changes the pool.
type Pool struct {
	// TAO is SubnetTAO, the TAO reserve y.
	TAO units.TAO
	// AlphaIn is SubnetAlphaIn, the alpha reserve x.
	AlphaIn units.Alpha
	// AlphaOut is SubnetAlphaOut, the outstanding (staked) alpha. The swap
	// math never reads it; Swap updates it as the chain's caller does.
	AlphaOut units.Alpha
	// QuoteWeight is w2, the TAO side's weight (SwapBalancer.quote); the
	// alpha side's weight is w1 = 1 - w2. It must lie in [MinWeight,
	// MaxWeight], for every mechanism and whether or not the pool is
	// initialised: every write of SwapBalancer goes through Balancer::new
	// or set_quote_weight, which refuse any other weight, or stores the
	// default 0.5 (pallets/swap/src/pallet/balancer.rs, impls.rs).
	QuoteWeight fixed.Perquintill
	// FeeRate is FeeRate[netuid]: the fee is FeeRate/65535 of the input.
	// It must be at most MaxFeeRate, the bound set_fee_rate enforces.
	FeeRate uint16
	// Mechanism selects the stable or the dynamic pool; it must be one of
	// the two.
	Mechanism Mechanism
	// Initialized is PalSwapInitialized. While it is false, the first swap
	// resets QuoteWeight to exactly HalfWeight before it executes (a chain
	// quirk: swap_inner calls maybe_initialize_palswap(netuid, None),
	// pallets/swap/src/pallet/impls.rs); Quote and Simulate compute with
	// the reset weight without storing it.
	Initialized bool
	// MinReserve is the runtime's SwapMinimumReserve; 0 means
	// DefaultMinReserve. Test mocks of the chain use 1 or 100.
	MinReserve uint64
}

// The reserves (TAO, AlphaIn, AlphaOut) and MinReserve take any value:
// SubnetTAO, SubnetAlphaIn and SubnetAlphaOut are u64 storage that the
// chain's saturating arithmetic can bring to any u64 (its own tests set
// arbitrary reserves), and SwapMinimumReserve is any non-zero u64.

// NewPool returns an initialised dynamic pool with the given reserves, the
// default quote weight 0.5 and the default fee rate.
func NewPool(tao units.TAO, alpha units.Alpha) Pool {
	return Pool{
		TAO:         tao,
		AlphaIn:     alpha,
		QuoteWeight: HalfWeight,
		FeeRate:     DefaultFeeRate,
		Mechanism:   Dynamic,
		Initialized: true,
	}
}

// NewStablePool returns a pool of the stable mechanism (swaps 1:1, price
// 1) with the given reserves, the storage defaults of the swap pallet
// (quote weight 0.5, DefaultFeeRate) and initialised.
func NewStablePool(tao units.TAO, alpha units.Alpha) Pool {
	p := NewPool(tao, alpha)
	p.Mechanism = Stable
	return p
}

// Validate reports whether the pool is a state the chain could hold. It
// returns nil, or the first broken rule wrapped with the field's value:
// a QuoteWeight outside [MinWeight, MaxWeight] is [ErrInvalidWeight], a
// FeeRate above MaxFeeRate [ErrFeeRateTooHigh], a Mechanism other than
// Stable and Dynamic [ErrMechanismDoesNotExist]. The reserves and
// MinReserve are never refused. Validate does not allocate unless it
// fails.
func (p *Pool) Validate() error {
	// One unsigned comparison tests MinWeight <= QuoteWeight <= MaxWeight.
	// (Valid's test, written out: through a call of Valid, Validate would
	// no longer inline.)
	if p.QuoteWeight-MinWeight <= MaxWeight-MinWeight && p.FeeRate <= MaxFeeRate && p.Mechanism <= Dynamic {
		return nil
	}
	return p.invalid()
}

// Valid reports whether Validate accepts p (returns nil), without
// building an error: a loop over many pools that tests each stays free
// of calls. TestValidIsValidatesVerdict.
func (p *Pool) Valid() bool {
	return p.QuoteWeight-MinWeight <= MaxWeight-MinWeight && p.FeeRate <= MaxFeeRate && p.Mechanism <= Dynamic
}

// invalid builds Validate's error; it is out of line so that the check
// stays cheap.
func (p *Pool) invalid() error {
	switch {
	case !validWeight(p.QuoteWeight):
		return fieldError{ErrInvalidWeight, "QuoteWeight", uint64(p.QuoteWeight),
			"is outside [" + strconv.FormatUint(uint64(MinWeight), 10) + ", " + strconv.FormatUint(uint64(MaxWeight), 10) + "]"}
	case p.FeeRate > MaxFeeRate:
		return fieldError{ErrFeeRateTooHigh, "FeeRate", uint64(p.FeeRate), "is above " + strconv.FormatUint(uint64(MaxFeeRate), 10)}
	}
	return fieldError{ErrMechanismDoesNotExist, "Mechanism", uint64(p.Mechanism), "is neither 0 nor 1"}
}

func (p *Pool) minReserve() uint64 {
	if p.MinReserve == 0 {
		return DefaultMinReserve
	}
	return p.MinReserve
}

// validWeight reports whether quote is a weight the chain accepts: both
// sides at least MinWeight.
func validWeight(quote fixed.Perquintill) bool {
	return quote >= MinWeight && quote <= MaxWeight
}
