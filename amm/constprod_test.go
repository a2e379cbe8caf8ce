package amm_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// Constant-product vectors computed from subtensor v3.1.5
// pallets/subtensor/src/staking/stake_utils.rs (sim_swap_*, U110F18) by an
// independent big-integer transcription.

func cpPool() amm.ConstantProductPool {
	return amm.ConstantProductPool{TAO: 1e12, AlphaIn: 4e12, AlphaOut: 1e12, Mechanism: amm.Dynamic, StakingFee: amm.DefaultStakingFee}
}

func TestConstantProductBuy(t *testing.T) {
	p := cpPool()
	r, err := p.Swap(amm.BuyOrder(1e9))
	require.NoError(t, err)
	assert.Equal(t, amm.Result{Direction: amm.Buy, PaidIn: 1e9 - 50000, PaidOut: 3995804395, Fee: 50000}, r)
	// The fee stays in the pool.
	assert.Equal(t, amm.ConstantProductPool{TAO: 1e12 + 1e9, AlphaIn: 4e12 - 3995804395, AlphaOut: 1e12 + 3995804395,
		Mechanism: amm.Dynamic, StakingFee: amm.DefaultStakingFee}, p)
}

func TestConstantProductSell(t *testing.T) {
	p := amm.ConstantProductPool{TAO: 4e12, AlphaIn: 1e12, AlphaOut: 1e11, Mechanism: amm.Dynamic, StakingFee: amm.DefaultStakingFee}
	r, err := p.Swap(amm.SellOrder(1e10))
	require.NoError(t, err)
	assert.Equal(t, amm.Result{Direction: amm.Sell, PaidIn: 1e10, PaidOut: 39603960396 - 50000, Fee: 50000}, r)
	assert.Equal(t, units.TAO(4e12-39603960396+50000), p.TAO)
	assert.Equal(t, units.Alpha(1e12+1e10), p.AlphaIn)
	assert.Equal(t, units.Alpha(1e11-1e10), p.AlphaOut)
}

func TestConstantProductRefusesBelowMinimumLiquidity(t *testing.T) {
	p := amm.ConstantProductPool{TAO: 1e7 + 5, AlphaIn: 1e7, Mechanism: amm.Dynamic}
	before := p
	_, err := p.Swap(amm.BuyOrder(1e9))
	assert.ErrorIs(t, err, amm.ErrInsufficientLiquidity)
	assert.Equal(t, before, p)
}

func TestConstantProductSaturatedK(t *testing.T) {
	// k = x·y saturates U110F18 at 2^128 − 1 raw bits, as on chain.
	p := amm.ConstantProductPool{TAO: math.MaxUint64, AlphaIn: math.MaxUint64, Mechanism: amm.Dynamic}
	r, err := p.Quote(amm.BuyOrder(5))
	require.NoError(t, err)
	assert.Equal(t, uint64(18446673704965373951), r.PaidOut)
}

func TestConstantProductPriceAndStable(t *testing.T) {
	p := cpPool()
	assert.Equal(t, "4611686018427387904", p.Price().BitsString()) // 0.25
	assert.Equal(t, "1073741824", p.PriceU96F32().BitsString())
	st := amm.ConstantProductPool{TAO: 10, AlphaIn: 10}
	assert.Equal(t, "18446744073709551616", st.Price().BitsString())
	r, err := st.Swap(amm.SellOrder(4).WithoutFees())
	require.NoError(t, err)
	assert.Equal(t, amm.Result{Direction: amm.Sell, PaidIn: 4, PaidOut: 4}, r)
	require.NoError(t, st.Inject(1, 2))
	assert.Equal(t, amm.ConstantProductPool{TAO: 7, AlphaIn: 16, AlphaOut: 0}, st)
}

func TestConstantProductLimits(t *testing.T) {
	// v3.1.5 add_stake.rs / remove_stake.rs approximations.
	p := cpPool() // price 0.25
	got, err := p.MaxAmountAdd(5e8)
	require.NoError(t, err)
	assert.Equal(t, units.TAO(5e8*4e12/1e9-1e12), got)
	_, err = p.MaxAmountAdd(0)
	assert.ErrorIs(t, err, amm.ErrZeroMaxStakeAmount)
	_, err = p.MaxAmountAdd(2.5e8) // limit·x/1e9 == y: result 0
	assert.ErrorIs(t, err, amm.ErrZeroMaxStakeAmount)
	rem, err := p.MaxAmountRemove(1.25e8)
	require.NoError(t, err)
	assert.Equal(t, units.Alpha(1e12*1e9/1.25e8-4e12), rem)
	rem, err = p.MaxAmountRemove(0)
	require.NoError(t, err)
	assert.Equal(t, units.Alpha(math.MaxUint64), rem)
	_, err = p.MaxAmountRemove(2.5e8)
	assert.ErrorIs(t, err, amm.ErrZeroMaxStakeAmount)
}

func TestMarketRunsAnyEra(t *testing.T) {
	live := amm.NewPool(1e12, 4e12)
	cp := cpPool()
	for _, m := range []amm.Market{&live, &cp} {
		before := m.Price()
		q, err := m.Quote(amm.BuyOrder(1e9))
		require.NoError(t, err)
		r, err := m.Swap(amm.BuyOrder(1e9))
		require.NoError(t, err)
		assert.Equal(t, q, r)
		assert.Equal(t, 1, m.Price().Cmp(before), "a buy raises the price")
		require.NoError(t, m.Inject(1e9, 1e9))
	}
}
