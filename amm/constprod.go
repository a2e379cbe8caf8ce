package amm

import (
	"github.com/holiman/uint256"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Constants of the constant-product era (subtensor v2.0.0 … v3.1.5).
const (
	// DefaultStakingFee is the flat fee of that era, in TAO rao.
	DefaultStakingFee uint64 = 50_000
	// MinPoolLiquidity is DefaultMinimumPoolLiquidity: a swap that would
	// leave the output reserve below it does not happen.
	MinPoolLiquidity uint64 = 10_000_000
)

// ConstantProductPool is the pool of the dTAO launch (February to June
// 2025, subtensor v2.0.0 … v3.1.5, pallets/subtensor/src/staking/
// stake_utils.rs): x·y = k in U110F18 fixed point, no percentage fee, and a
// flat staking fee in TAO that the staking code adds to the TAO reserve (so
// it accrues to the pool, unlike the live pool's fee). It is for replaying
// that era; spec/amm.md §12.
//
// The zero value is an empty stable pool. Concurrency and error policy are
// those of Pool.
type ConstantProductPool struct {
	TAO       units.TAO
	AlphaIn   units.Alpha
	AlphaOut  units.Alpha
	Mechanism Mechanism
	// StakingFee is the flat fee per stake or unstake in TAO rao
	// (DefaultStakingFee on chain for adds; removes on dynamic subnets
	// charged at least that, more for validators with dividends, which the
	// caller passes here).
	StakingFee uint64
}

// Price is get_alpha_price: y/x in U96F32 (1 for the stable mechanism, 0
// for an empty alpha reserve), returned exactly as U64F64.
func (p *ConstantProductPool) Price() fixed.U64F64 {
	return p.PriceU96F32().SaturatingToU64F64()
}

// PriceU96F32 is the chain's own value of Price.
func (p *ConstantProductPool) PriceU96F32() fixed.U96F32 {
	if p.Mechanism != Dynamic {
		return fixed.U96F32FromUint64(1)
	}
	if p.AlphaIn == 0 {
		return fixed.U96F32{}
	}
	return fixed.U96F32FromUint64(uint64(p.TAO)).SafeDiv(fixed.U96F32FromUint64(uint64(p.AlphaIn)))
}

// cpOut is sim_swap_tao_for_alpha / sim_swap_alpha_for_tao in U110F18 (raw
// bits = value·2^18): out = floor(rOut − k/(rIn + d)), ok false when the
// new output reserve would fall below MinPoolLiquidity.
func cpOut(rIn, rOut, d uint64) (uint64, bool) {
	var k, t, den, newOut, outBits uint256.Int
	k.SetUint64(rIn)
	k.Mul(&k, t.SetUint64(rOut))
	k.Lsh(&k, 18)
	capU128(&k) // U110F18 saturating_mul
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
// buy, Fee (TAO) is taken from the input before the swap and PaidIn is the
// TAO swapped; for a sell, PaidIn is the alpha sold and Fee (TAO) is taken
// from the output, so PaidOut is the TAO the seller receives. FeeToAuthor
// is 0: the fee goes to the pool. A swap the chain would not make (the
// output reserve would fall below MinPoolLiquidity) is
// ErrInsufficientLiquidity, the error its staking checks raised. The limit
// of the order is ignored: that era's limit orders capped the amount with
// MaxAmountAdd / MaxAmountRemove before the swap.
func (p *ConstantProductPool) Quote(o Order) (Result, error) {
	if o.Direction != Buy && o.Direction != Sell {
		return Result{}, ErrInvalidDirection
	}
	f := p.StakingFee
	if o.DropFees {
		f = 0
	}
	if o.Direction == Buy {
		staked := satSub(o.Amount, f)
		out := staked
		if p.Mechanism == Dynamic {
			var ok bool
			if out, ok = cpOut(uint64(p.TAO), uint64(p.AlphaIn), staked); !ok {
				return Result{}, ErrInsufficientLiquidity
			}
		}
		return Result{Direction: Buy, PaidIn: staked, PaidOut: out, Fee: o.Amount - staked}, nil
	}
	tao := o.Amount
	if p.Mechanism == Dynamic {
		var ok bool
		if tao, ok = cpOut(uint64(p.AlphaIn), uint64(p.TAO), o.Amount); !ok {
			return Result{}, ErrInsufficientLiquidity
		}
	}
	net := satSub(tao, f)
	return Result{Direction: Sell, PaidIn: o.Amount, PaidOut: net, Fee: tao - net}, nil
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
		p.AlphaIn = units.Alpha(satSub(uint64(p.AlphaIn), r.PaidOut))
		p.AlphaOut = units.Alpha(satAdd(uint64(p.AlphaOut), r.PaidOut))
		p.TAO = units.TAO(satAdd(satAdd(uint64(p.TAO), r.PaidIn), r.Fee))
		return r, nil
	}
	p.AlphaIn = units.Alpha(satAdd(uint64(p.AlphaIn), r.PaidIn))
	p.AlphaOut = units.Alpha(satSub(uint64(p.AlphaOut), r.PaidIn))
	p.TAO = units.TAO(satAdd(satSub(uint64(p.TAO), r.PaidOut+r.Fee), r.Fee))
	return r, nil
}

// Inject adds an emission injection to the reserves (that era's coinbase
// added TAO and alpha straight to SubnetTAO and SubnetAlphaIn, moving the
// price). It never fails.
func (p *ConstantProductPool) Inject(tao units.TAO, alpha units.Alpha) error {
	p.TAO = units.TAO(satAdd(uint64(p.TAO), uint64(tao)))
	p.AlphaIn = units.Alpha(satAdd(uint64(p.AlphaIn), uint64(alpha)))
	return nil
}

// MaxAmountAdd is that era's get_max_amount_add (subtensor v3.1.5
// add_stake.rs), the approximation floor(limit·x/1e9) − y. It fails with
// ErrZeroMaxStakeAmount where the chain did: a stable pool with a limit
// below 1e9 rao, an empty reserve, a zero limit, a limit below
// floor(price)·1e9, or a result of 0.
func (p *ConstantProductPool) MaxAmountAdd(limitRao uint64) (units.TAO, error) {
	if p.Mechanism != Dynamic {
		if limitRao >= raoPerTAO {
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
	v.Mul(&v, t.SetUint64(raoPerTAO))
	if t.SetUint64(limitRao).Lt(&v) {
		return 0, ErrZeroMaxStakeAmount
	}
	v.SetUint64(limitRao)
	v.Mul(&v, t.SetUint64(x))
	v.Div(&v, t.SetUint64(raoPerTAO))
	return cpLimitResult(&v, y)
}

// MaxAmountRemove is that era's get_max_amount_remove (v3.1.5
// remove_stake.rs): floor(y·1e9/limit) − x, u64::MAX for a zero limit, and
// ErrZeroMaxStakeAmount for a stable pool with a limit above 1e9 rao, an
// empty reserve, a limit at or above floor(y·1e9/x), or a result of 0.
func (p *ConstantProductPool) MaxAmountRemove(limitRao uint64) (units.Alpha, error) {
	if p.Mechanism != Dynamic {
		if limitRao <= raoPerTAO {
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
	v.Mul(&v, t.SetUint64(raoPerTAO))
	var spot uint256.Int
	spot.Div(&v, t.SetUint64(x))
	if !t.SetUint64(limitRao).Lt(&spot) {
		return 0, ErrZeroMaxStakeAmount
	}
	v.Div(&v, t.SetUint64(limitRao))
	r, err := cpLimitResult(&v, x)
	return units.Alpha(r), err
}

// cpLimitResult is v ⊖ sub, 0 → ErrZeroMaxStakeAmount, capped at u64::MAX.
func cpLimitResult(v *uint256.Int, sub uint64) (units.TAO, error) {
	var t uint256.Int
	if !t.SetUint64(sub).Lt(v) {
		return 0, ErrZeroMaxStakeAmount
	}
	v.Sub(v, &t)
	if !v.IsUint64() {
		return units.TAO(^uint64(0)), nil
	}
	return units.TAO(v.Uint64()), nil
}
