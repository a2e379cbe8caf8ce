package amm

import (
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Mechanism is a subnet's SubnetMechanism: 0 is the stable mechanism (root
// and "stao" subnets: price 1, swaps 1:1, no fee), 1 the dynamic AMM. The
// chain treats every value other than 1 as stable, and so does this package.
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
	// MinWeight is the smallest weight either side may have, 0.01. The
	// largest quote weight is therefore 1 - MinWeight.
	MinWeight fixed.Perquintill = 10_000_000_000_000_000

	accuracy  uint64 = 1_000_000_000_000_000_000
	raoPerTAO uint64 = 1_000_000_000
)

// Pool is one subnet's live weighted pool: the subtensor storage values the
// swap reads and the swap pallet's per-subnet state.
//
// The zero value is an empty pool of the stable mechanism. A dynamic pool is
// made with NewPool or a literal; a literal must set QuoteWeight (the chain's
// storage default is HalfWeight) and should set FeeRate (DefaultFeeRate).
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
	// alpha side's weight is w1 = 1 - w2. Valid weights lie in
	// [MinWeight, 1-MinWeight]; the math uses whatever is stored, as the
	// chain does.
	QuoteWeight fixed.Perquintill
	// FeeRate is FeeRate[netuid]: the fee is FeeRate/65535 of the input.
	FeeRate uint16
	// Mechanism selects the stable or the dynamic pool.
	Mechanism Mechanism
	// Initialized is PalSwapInitialized. While it is false, the first swap
	// resets QuoteWeight to exactly HalfWeight before it executes (a chain
	// quirk, spec/amm.md §3); Quote and Simulate compute with the reset
	// weight without storing it.
	Initialized bool
	// MinReserve is the runtime's SwapMinimumReserve; 0 means
	// DefaultMinReserve. Test mocks of the chain use 1 or 100.
	MinReserve uint64
}

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

func (p *Pool) minReserve() uint64 {
	if p.MinReserve == 0 {
		return DefaultMinReserve
	}
	return p.MinReserve
}

// validWeight reports whether quote is a weight the chain accepts: both
// sides at least MinWeight.
func validWeight(quote fixed.Perquintill) bool {
	return quote >= MinWeight && quote <= fixed.Perquintill(accuracy)-MinWeight
}
