package amm

import (
	"github.com/holiman/uint256"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Constants of the constant-product era (subtensor v2.0.0 … v3.1.5).
const (
	// DefaultStakingFee is the flat fee of that era, in TAO.
	DefaultStakingFee units.TAO = 50_000
	// MinPoolLiquidity is DefaultMinimumPoolLiquidity: a swap that would
	// leave the output reserve below it does not happen. It is rao of
	// either token (the output reserve's), hence a bare uint64.
	MinPoolLiquidity uint64 = 10_000_000
)

// ConstantProductEra selects the fixed-point type in which a
// ConstantProductPool computes its product k = x·y (sim_swap_tao_for_alpha
// and sim_swap_alpha_for_tao, pallets/subtensor/src/staking/stake_utils.rs).
// The two types differ only where k saturates.
type ConstantProductEra uint8

const (
	// EraUnsignedK is subtensor v2.0.11 (PR #1484, 2025-04-11) to v3.1.5:
	// k is U110F18 and saturates at 2^110 − 2^-18. It is the zero value, so
	// a pool that sets no era replays the latest constant-product code.
	EraUnsignedK ConstantProductEra = iota
	// EraSignedK is subtensor v2.0.0 to v2.0.10: k is I110F18 and
	// saturates at 2^109 − 2^-18: for reserves whose product reaches 2^109
	// the smaller k makes the new output reserve smaller, so a swap pays
	// out more than under EraUnsignedK.
	EraSignedK
)

// ConstantProductPool is the pool of the dTAO launch (February to June
// 2025, subtensor v2.0.0 … v3.1.5, pallets/subtensor/src/staking/
// stake_utils.rs): x·y = k in 110.18-bit fixed point (signed or unsigned by
// Era), no percentage fee, and a flat staking fee in TAO that the staking
// code adds to the TAO reserve (so it accrues to the pool, unlike the live
// pool's fee). It is for replaying that era.
//
// The zero value is an empty stable pool of the latest era. Every method
// that returns an error first checks Validate. Concurrency and error policy
// are those of Pool.
type ConstantProductPool struct {
	TAO      units.TAO
	AlphaIn  units.Alpha
	AlphaOut units.Alpha
	// Mechanism is SubnetMechanism. As on chain, Price, MaxAmountAdd and
	// MaxAmountRemove treat 0 as stable (get_alpha_price and
	// get_max_amount_add/remove test == 0), the swaps treat 1 as dynamic
	// (sim_swap_* test == 1); no other value can be stored, and Validate
	// refuses it.
	Mechanism Mechanism
	// Era selects the type of k; the zero value is the latest era.
	Era ConstantProductEra
	// StakingFee is the flat fee per stake or unstake, in TAO
	// (DefaultStakingFee on chain for adds; removes on dynamic subnets
	// charged at least that, more for validators with dividends, which the
	// caller passes here).
	StakingFee units.TAO
}

// Price is get_alpha_price: y/x in U96F32 (1 for mechanism 0, 0 for an
// empty alpha reserve), returned exactly as U64F64. It does not validate
// the pool.
func (p *ConstantProductPool) Price() Price {
	return Price{p.PriceU96F32().SaturatingToU64F64()}
}

// PriceU96F32 is the chain's own value of Price.
func (p *ConstantProductPool) PriceU96F32() fixed.U96F32 {
	if p.Mechanism == Stable {
		return fixed.U96F32FromUint64(1)
	}
	if p.AlphaIn == 0 {
		return fixed.U96F32{}
	}
	return fixed.U96F32FromUint64(uint64(p.TAO)).SafeDiv(fixed.U96F32FromUint64(uint64(p.AlphaIn)))
}

// Validate reports whether the pool is a state the chain of its era could
// hold: a Mechanism other than Stable and Dynamic is
// [ErrMechanismDoesNotExist] (that era's do_register_network refused any
// mechid but 1), an Era that is not a ConstantProductEra constant
// [ErrUnknownEra]; each is wrapped with the field's value. The reserves and
// StakingFee take any u64.
func (p *ConstantProductPool) Validate() error {
	if p.Mechanism > Dynamic {
		return fieldError{ErrMechanismDoesNotExist, "Mechanism", uint64(p.Mechanism), "is neither 0 nor 1"}
	}
	if p.Era > EraSignedK {
		return fieldError{ErrUnknownEra, "Era", uint64(p.Era), "is neither EraUnsignedK (0) nor EraSignedK (1)"}
	}
	return nil
}

// cpOut is sim_swap_tao_for_alpha / sim_swap_alpha_for_tao in U110F18 or
// I110F18 (raw bits = value·2^18): out = floor(rOut − k/(rIn + d)), ok
// false when the new output reserve would fall below MinPoolLiquidity. The
// era changes only where k = rIn·rOut saturates: at 2^128 − 1 raw bits
// unsigned, 2^127 − 1 signed. The rest is the same in both types: every
// value is non-negative, and the quotient k/(rIn + d) is at most k.
func cpOut(era ConstantProductEra, rIn, rOut, d uint64) (uint64, bool) {
	var k, t, den, newOut, outBits uint256.Int
	k.SetUint64(rIn)
	k.Mul(&k, t.SetUint64(rOut))
	k.Lsh(&k, 18)
	if era == EraSignedK {
		capI128(&k) // I110F18 saturating_mul
	} else {
		capU128(&k) // U110F18 saturating_mul
	}
	den.SetUint64(rIn)
	den.Add(&den, t.SetUint64(d))
	if !den.IsZero() {
		newOut.Div(&k, &den) // (k_bits·2^18)/(den·2^18); 0 on a zero divisor (safe_div)
	}
	if newOut.Lt(t.SetUint64(MinPoolLiquidity << 18)) {
		return 0, false
	}
	outBits.SetUint64(rOut)
	outBits.Lsh(&outBits, 18)
	if outBits.Lt(&newOut) {
		return 0, true
	}
	outBits.Sub(&outBits, &newOut)
	outBits.Rsh(&outBits, 18)
	return outBits.Uint64(), true
}

// Quote returns what Swap would return, without changing the pool. For a
// buy, TAOFee is taken from the input before the swap and TAO is the TAO
// swapped; for a sell, Alpha is the alpha sold and TAOFee is taken from
// the output, so TAO is what the seller receives. FeeToAuthor is false:
// the fee goes to the pool. A swap the chain would not make is
// ErrInsufficientLiquidity, the error its staking checks raised: the output
// reserve would fall below MinPoolLiquidity after a swap of the gross
// amount, fee included, which is what validate_add_stake and
// validate_remove_stake simulate (sim_swap_tao_for_alpha(netuid,
// stake_to_be_added)) before the fee is taken. The limit of the order is
// ignored: that era's limit orders capped the amount with MaxAmountAdd /
// MaxAmountRemove before the swap.
func (p *ConstantProductPool) Quote(o Order) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	if o.direction != Buy && o.direction != Sell {
		return Result{}, ErrInvalidDirection
	}
	f := p.StakingFee
	if o.dropFees {
		f = 0
	}
	if o.direction == Buy {
		gross := units.TAO(o.amount)
		staked := gross.SaturatingSub(f)
		out := uint64(staked)
		if p.Mechanism == Dynamic {
			y, x := uint64(p.TAO), uint64(p.AlphaIn)
			if _, ok := cpOut(p.Era, y, x, o.amount); !ok {
				return Result{}, ErrInsufficientLiquidity
			}
			// The net amount is at most the gross one, so the new
			// reserve k/(y + staked) is at least the one just checked.
			out, _ = cpOut(p.Era, y, x, uint64(staked))
		}
		return Result{Direction: Buy, TAO: staked, Alpha: units.Alpha(out), TAOFee: gross - staked}, nil
	}
	tao := o.amount
	if p.Mechanism == Dynamic {
		var ok bool
		if tao, ok = cpOut(p.Era, uint64(p.AlphaIn), uint64(p.TAO), o.amount); !ok {
			return Result{}, ErrInsufficientLiquidity
		}
	}
	gross := units.TAO(tao)
	net := gross.SaturatingSub(f)
	return Result{Direction: Sell, Alpha: units.Alpha(o.amount), TAO: net, TAOFee: gross - net}, nil
}

// Swap executes o as stake_into_subnet / unstake_from_subnet of that era
// did: the reserves move by the swap, and the fee is added to the TAO
// reserve. On error the pool is unchanged.
func (p *ConstantProductPool) Swap(o Order) (Result, error) {
	r, err := p.Quote(o)
	if err != nil {
		return Result{}, err
	}
	if r.Direction == Buy {
		p.AlphaIn = p.AlphaIn.SaturatingSub(r.Alpha)
		p.AlphaOut = p.AlphaOut.SaturatingAdd(r.Alpha)
		p.TAO = p.TAO.SaturatingAdd(r.TAO).SaturatingAdd(r.TAOFee)
		return r, nil
	}
	p.AlphaIn = p.AlphaIn.SaturatingAdd(r.Alpha)
	p.AlphaOut = p.AlphaOut.SaturatingSub(r.Alpha)
	p.TAO = p.TAO.SaturatingSub(r.TAO + r.TAOFee).SaturatingAdd(r.TAOFee)
	return r, nil
}

// Inject adds an emission injection to the reserves (that era's coinbase
// added TAO and alpha straight to SubnetTAO and SubnetAlphaIn, moving the
// price). It fails only with Validate's error, adding nothing.
func (p *ConstantProductPool) Inject(tao units.TAO, alpha units.Alpha) error {
	if err := p.Validate(); err != nil {
		return err
	}
	p.TAO = p.TAO.SaturatingAdd(tao)
	p.AlphaIn = p.AlphaIn.SaturatingAdd(alpha)
	return nil
}

// MaxAmountAdd is that era's get_max_amount_add (subtensor v3.1.5
// add_stake.rs), the approximation floor(limit·x/1e9) − y with the limit in
// rao per alpha (limit.Rao()). It fails with ErrZeroMaxStakeAmount where
// the chain did: a stable pool with a limit below 1e9 rao, an empty
// reserve, a zero limit, a limit below floor(price)·1e9, or a result of 0.
func (p *ConstantProductPool) MaxAmountAdd(limit Price) (units.TAO, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	limitRao := limit.Rao()
	if p.Mechanism == Stable {
		if limitRao >= units.RaoPerTAO {
			return units.TAO(^uint64(0)), nil
		}
		return 0, ErrZeroMaxStakeAmount
	}
	x, y := uint64(p.AlphaIn), uint64(p.TAO)
	if x == 0 || y == 0 || limitRao == 0 {
		return 0, ErrZeroMaxStakeAmount
	}
	var v, t uint256.Int
	v.SetUint64(p.PriceU96F32().SaturatingToUint64())
	v.Mul(&v, t.SetUint64(units.RaoPerTAO))
	if t.SetUint64(limitRao).Lt(&v) {
		return 0, ErrZeroMaxStakeAmount
	}
	v.SetUint64(limitRao)
	v.Mul(&v, t.SetUint64(x))
	v.Div(&v, t.SetUint64(units.RaoPerTAO))
	r, err := cpLimitResult(&v, y)
	return units.TAO(r), err
}

// MaxAmountRemove is that era's get_max_amount_remove (v3.1.5
// remove_stake.rs): floor(y·1e9/limit) − x with the limit in rao per alpha
// (limit.Rao()), u64::MAX for a zero limit, and ErrZeroMaxStakeAmount for a
// stable pool with a limit above 1e9 rao, an empty reserve, a limit at or
// above floor(y·1e9/x), or a result of 0.
func (p *ConstantProductPool) MaxAmountRemove(limit Price) (units.Alpha, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	limitRao := limit.Rao()
	if p.Mechanism == Stable {
		if limitRao <= units.RaoPerTAO {
			return units.Alpha(^uint64(0)), nil
		}
		return 0, ErrZeroMaxStakeAmount
	}
	x, y := uint64(p.AlphaIn), uint64(p.TAO)
	if x == 0 || y == 0 {
		return 0, ErrZeroMaxStakeAmount
	}
	if limitRao == 0 {
		return units.Alpha(^uint64(0)), nil
	}
	var v, t uint256.Int
	v.SetUint64(y)
	v.Mul(&v, t.SetUint64(units.RaoPerTAO))
	var spot uint256.Int
	spot.Div(&v, t.SetUint64(x))
	if !t.SetUint64(limitRao).Lt(&spot) {
		return 0, ErrZeroMaxStakeAmount
	}
	v.Div(&v, t.SetUint64(limitRao))
	r, err := cpLimitResult(&v, x)
	return units.Alpha(r), err
}

// cpLimitResult is v ⊖ sub, 0 → ErrZeroMaxStakeAmount, capped at u64::MAX,
// in rao of the reserve sub is.
func cpLimitResult(v *uint256.Int, sub uint64) (uint64, error) {
	var t uint256.Int
	if !t.SetUint64(sub).Lt(v) {
		return 0, ErrZeroMaxStakeAmount
	}
	v.Sub(v, &t)
	if !v.IsUint64() {
		return ^uint64(0), nil
	}
	return v.Uint64(), nil
}
