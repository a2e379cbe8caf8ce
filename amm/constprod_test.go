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
	assert.Equal(t, amm.Result{Direction: amm.Buy, TAO: 1e9 - 50000, Alpha: 3995804395, TAOFee: 50000}, r)
	// The fee stays in the pool.
	assert.Equal(t, amm.ConstantProductPool{TAO: 1e12 + 1e9, AlphaIn: 4e12 - 3995804395, AlphaOut: 1e12 + 3995804395,
		Mechanism: amm.Dynamic, StakingFee: amm.DefaultStakingFee}, p)
}

func TestConstantProductSell(t *testing.T) {
	p := amm.ConstantProductPool{TAO: 4e12, AlphaIn: 1e12, AlphaOut: 1e11, Mechanism: amm.Dynamic, StakingFee: amm.DefaultStakingFee}
	r, err := p.Swap(amm.SellOrder(1e10))
	require.NoError(t, err)
	assert.Equal(t, amm.Result{Direction: amm.Sell, Alpha: 1e10, TAO: 39603960396 - 50000, TAOFee: 50000}, r)
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
	assert.Equal(t, units.Alpha(18446673704965373951), r.Alpha)
}

func TestConstantProductPriceAndStable(t *testing.T) {
	p := cpPool()
	assert.Equal(t, "4611686018427387904", p.Price().U64F64().BitsString()) // 0.25
	assert.Equal(t, "1073741824", p.PriceU96F32().BitsString())
	st := amm.ConstantProductPool{TAO: 10, AlphaIn: 10}
	assert.Equal(t, "18446744073709551616", st.Price().U64F64().BitsString())
	r, err := st.Swap(amm.SellOrder(4).WithoutFees())
	require.NoError(t, err)
	assert.Equal(t, amm.Result{Direction: amm.Sell, Alpha: 4, TAO: 4}, r)
	require.NoError(t, st.Inject(1, 2))
	assert.Equal(t, amm.ConstantProductPool{TAO: 7, AlphaIn: 16, AlphaOut: 0}, st)
}

func TestConstantProductLimits(t *testing.T) {
	// v3.1.5 add_stake.rs / remove_stake.rs approximations.
	p := cpPool() // price 0.25
	got, err := p.MaxAmountAdd(amm.PriceFromRao(5e8))
	require.NoError(t, err)
	assert.Equal(t, units.TAO(5e8*4e12/1e9-1e12), got)
	_, err = p.MaxAmountAdd(amm.PriceFromRao(0))
	assert.ErrorIs(t, err, amm.ErrZeroMaxStakeAmount)
	_, err = p.MaxAmountAdd(amm.PriceFromRao(2.5e8)) // limit·x/1e9 == y: result 0
	assert.ErrorIs(t, err, amm.ErrZeroMaxStakeAmount)
	rem, err := p.MaxAmountRemove(amm.PriceFromRao(1.25e8))
	require.NoError(t, err)
	assert.Equal(t, units.Alpha(1e12*1e9/1.25e8-4e12), rem)
	rem, err = p.MaxAmountRemove(amm.PriceFromRao(0))
	require.NoError(t, err)
	assert.Equal(t, units.Alpha(math.MaxUint64), rem)
	_, err = p.MaxAmountRemove(amm.PriceFromRao(2.5e8))
	assert.ErrorIs(t, err, amm.ErrZeroMaxStakeAmount)
}

func TestPoolsOfEitherEraShareOneInterface(t *testing.T) {
	live := amm.NewPool(1e12, 4e12)
	cp := cpPool()
	// What the pools of both eras share: a ledger can run either.
	type market interface {
		Price() amm.Price
		Quote(o amm.Order) (amm.Result, error)
		Swap(o amm.Order) (amm.Result, error)
		Inject(tao units.TAO, alpha units.Alpha) error
	}
	for _, m := range []market{&live, &cp} {
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

func TestConstantProductChecksLiquidityOnGrossAmount(t *testing.T) {
	// validate_add_stake (stake_utils.rs at 5073ade6, unchanged at v3.1.5)
	// simulates the buy of stake_to_be_added, fee included: 4e14/40_050_000
	// < 1e7, so the chain refuses, although the net 20_000_000 would leave
	// exactly 1e7 and pay 1e7 alpha.
	p := amm.ConstantProductPool{TAO: 20_000_000, AlphaIn: 20_000_000, Mechanism: amm.Dynamic, StakingFee: amm.DefaultStakingFee}
	before := p
	_, err := p.Swap(amm.BuyOrder(20_050_000))
	assert.ErrorIs(t, err, amm.ErrInsufficientLiquidity)
	assert.Equal(t, before, p)
	// A gross 20_000_000 passes the check (it leaves exactly 1e7) and swaps
	// the net 19_950_000: 2e7 − 4e14/39_950_000 = 9_987_484.36…
	r, err := p.Quote(amm.BuyOrder(20_000_000))
	require.NoError(t, err)
	assert.Equal(t, amm.Result{Direction: amm.Buy, TAO: 19_950_000, Alpha: 9_987_484, TAOFee: 50_000}, r)
	// Without a fee the gross amount is the net one.
	r, err = p.Quote(amm.BuyOrder(20_000_000).WithoutFees())
	require.NoError(t, err)
	assert.Equal(t, amm.Result{Direction: amm.Buy, TAO: 20_000_000, Alpha: 10_000_000}, r)
}

func TestConstantProductEras(t *testing.T) {
	// TAO 2.5e16 and alpha 3e16: k = 7.5e32 lies between 2^109 and 2^110,
	// so I110F18 (v2.0.0 … v2.0.10) saturates it and U110F18 (v2.0.11 …)
	// does not. Outputs from an independent big-integer transcription of
	// sim_swap_tao_for_alpha / sim_swap_alpha_for_tao of each era.
	for _, c := range []struct {
		era       amm.ConstantProductEra
		buy, sell uint64
	}{
		{amm.EraUnsignedK, 1153846153790680, 806451612903225},
		{amm.EraSignedK, 5037034333919169, 4063319118811178},
	} {
		p := amm.ConstantProductPool{TAO: 25e15, AlphaIn: 30e15, Mechanism: amm.Dynamic, StakingFee: amm.DefaultStakingFee, Era: c.era}
		r, err := p.Quote(amm.BuyOrder(1e15))
		require.NoError(t, err)
		assert.Equal(t, units.Alpha(c.buy), r.Alpha, "era %d buy", c.era)
		r, err = p.Quote(amm.SellOrder(1e15))
		require.NoError(t, err)
		assert.Equal(t, units.TAO(c.sell)-amm.DefaultStakingFee, r.TAO, "era %d sell", c.era)
	}
	// The zero value is the latest era.
	var p amm.ConstantProductPool
	assert.Equal(t, amm.EraUnsignedK, p.Era)
	p = amm.ConstantProductPool{TAO: 25e15, AlphaIn: 30e15, Mechanism: amm.Dynamic, Era: 2}
	before := p
	_, err := p.Swap(amm.BuyOrder(1e15))
	assert.ErrorIs(t, err, amm.ErrUnknownEra)
	assert.ErrorIs(t, p.Inject(1, 1), amm.ErrUnknownEra)
	_, err = p.MaxAmountAdd(amm.PriceFromRao(1e9))
	assert.ErrorIs(t, err, amm.ErrUnknownEra)
	_, err = p.MaxAmountRemove(amm.PriceFromRao(1e9))
	assert.ErrorIs(t, err, amm.ErrUnknownEra)
	assert.Equal(t, before, p)
}

func TestConstantProductMechanismFollowsTheChain(t *testing.T) {
	// get_alpha_price tests mechanism == 0 for stable, so the price of any
	// other value is y/x; the chain stores no value but 0 and 1
	// (do_register_network refuses mechid != 1), and the methods that can
	// fail refuse it.
	p := amm.ConstantProductPool{TAO: 1e12, AlphaIn: 4e12, Mechanism: 2}
	assert.Equal(t, "4611686018427387904", p.Price().U64F64().BitsString()) // 0.25
	require.ErrorIs(t, p.Validate(), amm.ErrMechanismDoesNotExist)
	_, err := p.Quote(amm.BuyOrder(1e9))
	assert.ErrorIs(t, err, amm.ErrMechanismDoesNotExist)
	_, err = p.MaxAmountAdd(amm.PriceFromRao(1e9))
	assert.ErrorIs(t, err, amm.ErrMechanismDoesNotExist)
	cp := cpPool()
	require.NoError(t, cp.Validate())
	var zero amm.ConstantProductPool
	require.NoError(t, zero.Validate())
}
