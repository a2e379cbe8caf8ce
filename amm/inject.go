package amm

import (
	"github.com/holiman/uint256"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// AdjustWeights is the swap pallet's adjust_protocol_liquidity
// (pallets/swap/src/pallet/impls.rs): it sets the quote weight that keeps
// the spot price when tao and alpha are added to the current reserves
// (Balancer::update_weights_for_added_liquidity,
// pallets/swap/src/pallet/balancer.rs). It does not add the reserves: the
// chain's coinbase runs its own buy between the weight update and the
// deposit (inject_and_maybe_swap, pallets/subtensor/src/coinbase/
// run_coinbase.rs), so a caller replaying a block adds them itself, or
// calls Inject. When the new weight
// would leave [MinWeight, MaxWeight] it returns ErrInvalidWeight and the
// pool is unchanged; the chain then injects nothing that block. A pool that
// Validate refuses is refused with Validate's error (which, for a stored
// weight out of range, also matches ErrInvalidWeight).
func (p *Pool) AdjustWeights(tao units.TAO, alpha units.Alpha) error {
	if err := p.Validate(); err != nil {
		return err
	}
	w, ok := curveOf(p.QuoteWeight).updatedWeight(uint64(p.TAO), uint64(p.AlphaIn), uint64(tao), uint64(alpha))
	if !ok {
		return ErrInvalidWeight
	}
	p.QuoteWeight = w
	return nil
}

// InjectAndBuy is the pool side of one subnet's injection and chain buy
// in the block's coinbase (inject_and_maybe_swap,
// pallets/subtensor/src/coinbase/run_coinbase.rs), in one call:
//
//  1. AdjustWeights(tao, alpha); when it fails, the block injects nothing
//     (tao and alpha count as 0 from here on);
//  2. when buy > 0, BuyWithoutFees(buy) on the re-weighted pool; the
//     chain swallows its failure (paid and got are then 0, and the buy
//     changes nothing);
//  3. alpha joins AlphaIn (saturating);
//  4. tao joins TAO (saturating) when it is not 0 and at most taoRoom,
//     the coinbase's credit left after the buy (the chain injects the TAO
//     only when it can spend it).
//
// It returns the TAO and alpha injected and the buy's legs, the TAO paid
// into the pool and the alpha taken out. The pool ends as those calls in
// that order leave it, and the results are theirs; the pool is validated
// once rather than by each call (a re-weighted pool is valid by
// construction: AdjustWeights stores only a weight validWeight accepts).
// A pool that Validate refuses is refused with Validate's error and left
// unchanged. TestInjectAndBuyMatchesCalls and FuzzInjectAndBuy compare it
// with the calls. It does not allocate unless it fails validation.
func (p *Pool) InjectAndBuy(tao units.TAO, alpha units.Alpha, buy, taoRoom units.TAO) (injectedTAO units.TAO, injectedAlpha units.Alpha, paid units.TAO, got units.Alpha, err error) {
	if err := p.Validate(); err != nil {
		return 0, 0, 0, 0, err
	}
	injectedTAO, injectedAlpha, paid, got = p.InjectAndBuyValid(tao, alpha, buy, taoRoom)
	return injectedTAO, injectedAlpha, paid, got, nil
}

// InjectAndBuyValid is [Pool.InjectAndBuy] for a pool the caller has
// already validated: its precondition is that p.Validate() returned nil
// and p has not changed since (as the coinbase checks every pool before
// its first injection). It skips that check and so has no error: on a
// valid pool its results and the pool it leaves are InjectAndBuy's
// (TestInjectAndBuyMatchesCalls and FuzzInjectAndBuy compare the two).
// On a pool that Validate refuses it does not panic, but its results and
// the pool it leaves are unspecified. It does not allocate.
func (p *Pool) InjectAndBuyValid(tao units.TAO, alpha units.Alpha, buy, taoRoom units.TAO) (injectedTAO units.TAO, injectedAlpha units.Alpha, paid units.TAO, got units.Alpha) {
	// The calls are written out (updatedWeight, buyFullFill and its
	// belowMaxPrice's product test), so that the reserves and weights
	// stay in registers: the weight update does not move the reserves,
	// so the buy reads the same y and x.
	y, x := uint64(p.TAO), uint64(p.AlphaIn)
	c := curveOf(p.QuoteWeight)
	// updatedWeight.
	w, ok := fixed.PerquintillShareOfRounded(fixed.U128MulSumSat(y, x, uint64(alpha)), c.w1, fixed.U128MulSumSat(x, y, uint64(tao)), c.w2)
	if !ok {
		w = HalfWeight
	}
	if validWeight(w) {
		p.QuoteWeight = w
		c = curveOf(w)
	} else {
		tao, alpha = 0, 0
	}
	if buy > 0 {
		// BuyWithoutFees on the valid pool, written out.
		in, out := uint64(buy), uint64(buy) // the stable mechanism's 1:1 swap
		bought := true
		if p.Mechanism == Dynamic {
			// buyFullFill(c, in): ok only where each of swapDynamic's
			// steps takes its plain branch (see there), the limit tests
			// by belowMaxPrice (its product test first, saturated:
			// maxPriceProduct).
			full := false
			if p.Initialized && in <= fixed.SaturatingMulUint64(y, MaxInputReserveMultiplier) && x >= p.minReserve() {
				if y < maxPriceProduct(x) || c.priceBelow(x, y, maxPriceLimitInt) {
					o, ok := c.buyOutFirstOrder(x, y, in)
					if !ok {
						o = c.buyOut(x, y, in)
					}
					nx, ny := fixed.SaturatingSubUint64(x, o), fixed.SaturatingAddUint64(y, in)
					if (ny < maxPriceProduct(nx) || c.priceBelow(nx, ny, maxPriceLimitInt)) &&
						(in == 0 || o != 0) && x >= o {
						out, full = o, true
					}
				}
			}
			if !full {
				var err error
				in, out, _, err = p.swapDynamic(BuyOrder(buy).WithoutFees(), false)
				bought = err == nil
			}
			if bought && !p.Initialized {
				p.QuoteWeight = HalfWeight
				p.Initialized = true
			}
		}
		if bought {
			p.applyBuy(in, out)
			paid, got = units.TAO(in), units.Alpha(out)
		}
	}
	p.AlphaIn = p.AlphaIn.SaturatingAdd(alpha)
	if tao > 0 && tao <= taoRoom {
		p.TAO = p.TAO.SaturatingAdd(tao)
		injectedTAO = tao
	}
	return injectedTAO, alpha, paid, got
}

// maxPriceProduct is belowMaxPrice's product x·10^4 saturated to a word,
// for InjectAndBuyValid's test y < maxPriceProduct(x) || priceBelow: a
// conditional move, where belowMaxPrice's hi != 0 is a branch that goes
// either way from subnet to subnet with the alpha reserve, and so
// mispredicts in the coinbase's chain buys. The test still implies
// priceBelow (a saturated product exceeds every y but the largest word,
// and that y is then priceBelow's to decide), so the result is
// belowMaxPrice's. TestMaxPriceProductMatches and FuzzMaxPriceProduct
// compare the two.
func maxPriceProduct(x uint64) uint64 { return fixed.SaturatingMulUint64(x, maxPriceRatio) }

// Inject adds an emission injection: AdjustWeights, then the reserves grow
// by tao and alpha (saturating, as SubnetTAO and SubnetAlphaIn do). The
// price is unchanged up to the rounding of the weight: for reserves of at
// least 1e9 rao that do not saturate, it moves by at most 2^-40 of itself
// plus 2^-56 TAO per alpha (a property test checks this bound). On
// ErrInvalidWeight (or any error of Validate) nothing is injected.
func (p *Pool) Inject(tao units.TAO, alpha units.Alpha) error {
	if err := p.AdjustWeights(tao, alpha); err != nil {
		return err
	}
	p.TAO = p.TAO.SaturatingAdd(tao)
	p.AlphaIn = p.AlphaIn.SaturatingAdd(alpha)
	return nil
}

// InitializeAtPrice is maybe_initialize_palswap with a price
// (pallets/swap/src/pallet/impls.rs), as the migration from the
// concentrated-liquidity pool runs it (migrate_swapv3_to_balancer): unless the pool
// is already initialised, it sets the quote weight so that the spot price
// of the current reserves is price, w2 = y/(p·x + y), and marks the pool
// initialised. p·x is computed as floor(p)·x + floor(x·frac(p)). Both
// reserves zero, or a weight outside [MinWeight, MaxWeight], is
// ErrReservesOutOfBalance and leaves the pool unchanged (the migration then
// falls back to HalfWeight itself). A pool that Validate refuses is
// refused with Validate's error, initialised or not.
func (p *Pool) InitializeAtPrice(price Price) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.Initialized {
		return nil
	}
	x, y := uint64(p.AlphaIn), uint64(p.TAO)
	var hi, lo, sum, t uint256.Int
	hi.SetUint64(price.v.SaturatingToUint64())
	hi.Mul(&hi, t.SetUint64(x)) // < 2^128: no u128 saturation
	lo.SetUint64(fixed.U64F64FromUint64(x).SaturatingMul(price.v.Frac()).SaturatingToUint64())
	sum.Add(&hi, &lo)
	sum.Add(&sum, t.SetUint64(y))
	capU128(&sum)
	if sum.IsZero() {
		return ErrReservesOutOfBalance
	}
	w := fixed.PerquintillFromRational256(t.SetUint64(y), &sum)
	if !validWeight(w) {
		return ErrReservesOutOfBalance
	}
	p.QuoteWeight = w
	p.Initialized = true
	return nil
}
