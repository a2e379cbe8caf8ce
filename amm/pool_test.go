package amm_test

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// s1 is state S1 of spec/amm.md §13.2 (non-trivial weights, fallback pow).
func s1() amm.Pool {
	p := amm.NewPool(12_345_678_901_234, 987_654_321_098_765)
	p.QuoteWeight = 483_726_152_637_485_912
	return p
}

func TestS1SwapsAndNewPrice(t *testing.T) {
	cases := []struct {
		name                string
		o                   amm.Order
		in, out, fee        uint64
		newPriceBits        string
		newTAO              units.TAO
		newAlpha, newAlphaO units.Alpha
	}{
		{"buy 1e9", amm.BuyOrder(1e9), 999496453, 74912905254, 503547, "246137842817831871", 0, 0, 0},
		{"buy 1e12", amm.BuyOrder(1e12), 999496452278, 69475826238004, 503547722, "286152436486653135", 0, 0, 0},
		{"sell 1e13", amm.SellOrder(1e13), 9994964522775, 131962955612, 5035477225, "241029499858723275", 0, 0, 0},
		{"buy 1", amm.BuyOrder(1), 1, 74, 0, "246099249429055250", 0, 0, 0},
		{"buy 1e14 limit", amm.BuyOrder(1e14).WithLimit(amm.PriceFromRao(13474477)), 63583772024, 4742365122036, 32033594, "248560228746063496", 0, 0, 0},
		{"sell 1e16 limit", amm.SellOrder(1e16).WithLimit(amm.PriceFromRao(13207656)), 4813294658507, 63892615436, 2424944638, "243638250045609353", 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := s1()
			p.AlphaOut = 5e15
			q, err := p.Quote(c.o)
			require.NoError(t, err)
			r, err := p.Swap(c.o)
			require.NoError(t, err)
			assert.Equal(t, q, r, "a quote equals the swap it predicts")
			in, out, fee := legsOf(r)
			assert.Equal(t, c.in, in)
			assert.Equal(t, c.out, out)
			assert.Equal(t, c.fee, fee)
			assert.True(t, r.FeeToAuthor)
			assert.Equal(t, c.newPriceBits, p.Price().U64F64().BitsString())
			s := s1()
			if c.o.Direction() == amm.Buy {
				assert.Equal(t, s.TAO+units.TAO(c.in), p.TAO)
				assert.Equal(t, s.AlphaIn-units.Alpha(c.out), p.AlphaIn)
				assert.Equal(t, units.Alpha(5e15+c.out), p.AlphaOut)
				assert.Equal(t, units.TAO(c.in), r.TAO)
				assert.Equal(t, units.Alpha(c.out), r.Alpha)
				assert.Equal(t, units.TAO(c.fee), r.TAOFee)
			} else {
				assert.Equal(t, s.TAO-units.TAO(c.out), p.TAO)
				assert.Equal(t, s.AlphaIn+units.Alpha(c.in), p.AlphaIn)
				assert.Equal(t, units.Alpha(5e15-c.in), p.AlphaOut)
				assert.Equal(t, units.TAO(c.out), r.TAO)
				assert.Equal(t, units.Alpha(c.in), r.Alpha)
				assert.Equal(t, units.Alpha(c.fee), r.AlphaFee)
			}
		})
	}
}

func TestS1Simulate(t *testing.T) {
	p := s1()
	b, err := p.SimulateBuy(1e9)
	require.NoError(t, err)
	assert.Equal(t, amm.SimSwapResult{TAOAmount: 999496453, AlphaAmount: 74912905254, TAOFee: 503547, AlphaSlippage: 43617841}, b)
	s, err := p.SimulateSell(1e13)
	require.NoError(t, err)
	assert.Equal(t, amm.SimSwapResult{TAOAmount: 131962955612, AlphaAmount: 9994964522775, AlphaFee: 5035477225, TAOSlippage: 1447714826}, s)
	// Any error gives the zero result.
	z, err := p.SimulateSell(1)
	assert.ErrorIs(t, err, amm.ErrReservesTooLow)
	assert.Equal(t, amm.SimSwapResult{}, z)
	assert.Equal(t, s1(), p, "simulation leaves the pool unchanged")
}

func TestS1Price(t *testing.T) {
	p := s1()
	assert.Equal(t, "246099249429016877", p.Price().U64F64().BitsString())
	assert.Equal(t, uint64(13341067), p.PriceRao())
	assert.Equal(t, "18446744073709551616000000", amm.PriceFromRao(amm.MaxPriceRao).U64F64().BitsString())
	assert.Equal(t, "18446744073709", amm.PriceFromRao(amm.MinPriceRao).U64F64().BitsString())
}

func TestSwapErrorsLeavePoolUnchanged(t *testing.T) {
	cases := []struct {
		name string
		p    amm.Pool
		o    amm.Order
		want error
	}{
		{"dust sell", s1(), amm.SellOrder(1), amm.ErrReservesTooLow},
		{"buy above limit", s1(), amm.BuyOrder(1e9).WithLimit(amm.Price{}), amm.ErrPriceLimitExceeded},
		{"sell below limit", s1(), amm.SellOrder(1e9).WithLimit(amm.PriceFromRao(math.MaxUint64)), amm.ErrPriceLimitExceeded},
		{"input over 1000x", amm.NewPool(1000, 1e9), amm.BuyOrder(1_000_001).WithoutFees(), amm.ErrSwapInputTooLarge},
		{"reserve below min", amm.NewPool(1e9, 999_999), amm.BuyOrder(1e6), amm.ErrReservesTooLow},
		{"bad direction", s1(), amm.Order{}, amm.ErrInvalidDirection},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.p
			p.Initialized = false // the reset must be rolled back too
			before := p
			_, err := p.Swap(c.o)
			require.ErrorIs(t, err, c.want)
			assert.Equal(t, before, p)
		})
	}
}

func TestErrorsCarryChainNames(t *testing.T) {
	names := map[error]string{
		amm.ErrSwapInputTooLarge:     "SwapInputTooLarge",
		amm.ErrReservesTooLow:        "ReservesTooLow",
		amm.ErrPriceLimitExceeded:    "PriceLimitExceeded",
		amm.ErrInsufficientLiquidity: "InsufficientLiquidity",
		amm.ErrReservesOutOfBalance:  "ReservesOutOfBalance",
		amm.ErrInvalidWeight:         "InvalidWeight",
		amm.ErrZeroMaxStakeAmount:    "ZeroMaxStakeAmount",
		amm.ErrFeeRateTooHigh:        "FeeRateTooHigh",
		amm.ErrMechanismDoesNotExist: "MechanismDoesNotExist",
	}
	for err, name := range names {
		var named interface{ ChainName() string }
		require.True(t, errors.As(err, &named))
		assert.Equal(t, name, named.ChainName())
	}
}

func TestMinReserveMocks(t *testing.T) {
	// tests.rs::test_swap_allows_input_at_1000x_input_reserve (mock minimum
	// reserve 1, drop_fees): the limit binds and the ratio factor saturates
	// at 18.45 (spec/amm.md §13.1 #15).
	for _, o := range []amm.Order{amm.BuyOrder(1_000_000).WithoutFees(), amm.SellOrder(1_000_000).WithoutFees()} {
		p := amm.NewPool(1000, 1000)
		p.MinReserve = 1
		r, err := p.Quote(o)
		require.NoError(t, err)
		in, out, fee := legsOf(r)
		assert.Equal(t, [3]uint64{17446, 945, 0}, [3]uint64{in, out, fee})
		o = amm.BuyOrder(1_000_001).WithoutFees()
		if o.Direction() != r.Direction {
			o = amm.SellOrder(1_000_001).WithoutFees()
		}
		_, err = p.Quote(o)
		assert.ErrorIs(t, err, amm.ErrSwapInputTooLarge)
	}
	// test_swap_precision_edge_case (§13.1 #16).
	p := amm.NewPool(1000, 1000)
	p.MinReserve = 1
	r, err := p.Quote(amm.SellOrder(999_500))
	require.NoError(t, err)
	assert.Equal(t, [3]uint64{998997, 998, 503}, [3]uint64{uint64(r.Alpha), uint64(r.TAO), uint64(r.AlphaFee)})
}

func TestMaxAmountAdd(t *testing.T) {
	// staking.rs::test_max_amount_add_dynamic (subtensor mock: minimum
	// reserve 100); exact model outputs of spec/amm.md §13.1 #17.
	cases := []struct {
		y, x, limit uint64
		want        uint64
		err         error
	}{
		{1e9, 1e9, 0, 0, amm.ErrPriceLimitExceeded},
		{100, 100, 1.1e9, 4, nil},
		{1000, 1000, 1.1e9, 48, nil},
		{1e4, 1e4, 1.1e9, 488, nil},
		{1e6, 1e6, 4e9, 1000503, nil},
		{1e6, 1e6, 9e9, 2001007, nil},
		{1e6, 1e6, 16e9, 3001511, nil},
		{1e12, 1e12, 16e9, 3001511404231, nil},
		{1.5e11, 1e11, 1.5e9, 0, amm.ErrPriceLimitExceeded},
		{1.5e11, 1e11, 1_500_000_001, 49, nil},
		{1.5e11, 1e11, 6e9, 150075570211, nil},
		{math.MaxUint64 / 2, math.MaxUint64, math.MaxUint64, math.MaxUint64, nil},
	}
	for _, c := range cases {
		p := amm.NewPool(units.TAO(c.y), units.Alpha(c.x))
		p.MinReserve = 100
		got, err := p.MaxAmountAdd(amm.PriceFromRao(c.limit))
		if c.err != nil {
			assert.ErrorIs(t, err, c.err, "%+v", c)
			continue
		}
		require.NoError(t, err, "%+v", c)
		assert.Equal(t, units.TAO(c.want), got, "%+v", c)
	}
	st := amm.NewStablePool(0, 0)
	got, err := st.MaxAmountAdd(amm.PriceFromRao(1e9))
	require.NoError(t, err)
	assert.Equal(t, units.TAO(math.MaxUint64), got)
	got, err = st.MaxAmountAdd(amm.PriceFromRao(1e9 - 1))
	require.NoError(t, err)
	assert.Equal(t, units.TAO(0), got)
}

func TestMaxAmountRemove(t *testing.T) {
	// staking.rs::test_max_amount_remove_dynamic; spec/amm.md §13.1 #18.
	cases := []struct {
		y, x, limit uint64
		want        uint64
		err         error
	}{
		{0, 1e9, 100, 0, amm.ErrReservesTooLow},
		{1e9, 0, 100, 0, amm.ErrPriceLimitExceeded},
		{1e10, 1e10, 0, 1e13, nil},
		{1000, 1000, 0, 1e6, nil},
		{1001, 1001, 1e4, 17472, nil},
		{1001, 1001, 1e7, 9013, nil},
		{1001, 1001, 1e8, 2165, nil},
		{1e6, 1e6, 2.5e8, 1000503, nil},
		{1e6, 1e6, 6.25e7, 3001511, nil},
		{2e11, 1e11, 5e8, 100050380141, nil},
		{2e11, 1e11, 1.25e8, 300151140423, nil},
		{2e11, 1e11, 2e9, 0, amm.ErrPriceLimitExceeded},
		{2e11, 1e11, 1_999_999_999, 24, nil},
		{2e11, 1e11, 1_999_999_990, 250, nil},
		{21e15, 1e6, 21e15, 17455533, nil},
		{21e15, 1e6, math.MaxUint64, 66997, nil},
		{21e15, 1e18, 2e7, 24707518010384840, nil},
		{21e15, 21e15, 999_999_999, 10505288, nil},
		{21e15, 21e15, 0, math.MaxUint64, nil},
	}
	for _, c := range cases {
		p := amm.NewPool(units.TAO(c.y), units.Alpha(c.x))
		p.MinReserve = 100
		got, err := p.MaxAmountRemove(amm.PriceFromRao(c.limit))
		if c.err != nil {
			assert.ErrorIs(t, err, c.err, "%+v", c)
			continue
		}
		require.NoError(t, err, "%+v", c)
		assert.Equal(t, units.Alpha(c.want), got, "%+v", c)
	}
	st := amm.NewStablePool(0, 0)
	got, err := st.MaxAmountRemove(amm.PriceFromRao(1e9))
	require.NoError(t, err)
	assert.Equal(t, units.Alpha(math.MaxUint64), got)
	got, err = st.MaxAmountRemove(amm.PriceFromRao(1e9 + 1))
	require.NoError(t, err)
	assert.Equal(t, units.Alpha(0), got)
}

func TestStableMechanism(t *testing.T) {
	p := amm.Pool{TAO: 5e9, AlphaIn: 5e9, AlphaOut: 1e9, Mechanism: amm.Stable, FeeRate: 33, QuoteWeight: amm.HalfWeight}
	assert.Equal(t, "18446744073709551616", p.Price().U64F64().BitsString())
	r, err := p.Swap(amm.BuyOrder(2e9).WithLimit(amm.Price{}))
	require.NoError(t, err)
	assert.Equal(t, amm.Result{Direction: amm.Buy, TAO: 2e9, Alpha: 2e9}, r)
	assert.Equal(t, amm.Pool{TAO: 7e9, AlphaIn: 3e9, AlphaOut: 3e9, Mechanism: amm.Stable, FeeRate: 33, QuoteWeight: amm.HalfWeight}, p)
	r, err = p.Swap(amm.SellOrder(1e9))
	require.NoError(t, err)
	assert.Equal(t, amm.Result{Direction: amm.Sell, Alpha: 1e9, TAO: 1e9}, r)
	assert.Equal(t, amm.Pool{TAO: 6e9, AlphaIn: 4e9, AlphaOut: 2e9, Mechanism: amm.Stable, FeeRate: 33, QuoteWeight: amm.HalfWeight}, p)
	s, err := p.SimulateBuy(7)
	require.NoError(t, err)
	assert.Equal(t, amm.SimSwapResult{TAOAmount: 7, AlphaAmount: 7}, s)
}

func TestFirstSwapResetsWeight(t *testing.T) {
	// swap_inner's maybe_initialize_palswap(netuid, None): an uninitialised
	// pool's first swap runs at 0.5.
	p := s1()
	p.Initialized = false
	half := s1()
	half.QuoteWeight = amm.HalfWeight
	want, err := half.Quote(amm.BuyOrder(1e9))
	require.NoError(t, err)
	q, err := p.Quote(amm.BuyOrder(1e9))
	require.NoError(t, err)
	assert.Equal(t, want, q)
	assert.False(t, p.Initialized, "Quote stores nothing")
	assert.Equal(t, fixed.Perquintill(483_726_152_637_485_912), p.QuoteWeight)
	r, err := p.Swap(amm.BuyOrder(1e9))
	require.NoError(t, err)
	assert.Equal(t, want, r)
	assert.True(t, p.Initialized)
	assert.Equal(t, amm.HalfWeight, p.QuoteWeight)
	// The runtime API prices with the stored weight, before the reset.
	p = s1()
	p.Initialized = false
	sim, err := p.SimulateBuy(1e9)
	require.NoError(t, err)
	assert.Equal(t, want.Alpha, sim.AlphaAmount)
}

func TestInitializeAtPrice(t *testing.T) {
	// tests.rs::test_swap_initialization_with_price (§13.1 #11).
	p := amm.Pool{TAO: 1e9, AlphaIn: 4e9, Mechanism: amm.Dynamic, FeeRate: 33, QuoteWeight: amm.HalfWeight}
	require.NoError(t, p.InitializeAtPrice(amm.PriceFromU64F64(fixed.U64F64FromUint64(1).Div(fixed.U64F64FromUint64(5)))))
	assert.Equal(t, fixed.Perquintill(555555555864197531), p.QuoteWeight)
	assert.True(t, p.Initialized)
	assert.Equal(t, "3689348810130224305", p.Price().U64F64().BitsString())
	// Already initialised: a no-op.
	require.NoError(t, p.InitializeAtPrice(amm.PriceFromU64F64(fixed.U64F64FromUint64(7))))
	assert.Equal(t, fixed.Perquintill(555555555864197531), p.QuoteWeight)
	// test_migrate_swapv3_to_balancer (§13.1 #12): p = 1.23².
	p = amm.Pool{TAO: 1e9, AlphaIn: 4e9, Mechanism: amm.Dynamic, QuoteWeight: amm.HalfWeight}
	require.NoError(t, p.InitializeAtPrice(amm.PriceFromU64F64(fixed.U64F64FromBits(1, 27908079109115179833-1<<64))))
	assert.Equal(t, fixed.Perquintill(141811787415878919), p.QuoteWeight)
	assert.Equal(t, uint64(1512899999), p.PriceRao())
	// _falls_back_ (§13.1 #13): the weight would be 999999 parts, refused.
	p = amm.Pool{TAO: 1, AlphaIn: 1e12, Mechanism: amm.Dynamic, QuoteWeight: amm.HalfWeight}
	before := p
	assert.ErrorIs(t, p.InitializeAtPrice(amm.PriceFromU64F64(fixed.U64F64FromUint64(1))), amm.ErrReservesOutOfBalance)
	assert.Equal(t, before, p)
	p = amm.Pool{Mechanism: amm.Dynamic, QuoteWeight: amm.HalfWeight}
	assert.ErrorIs(t, p.InitializeAtPrice(amm.PriceFromU64F64(fixed.U64F64FromUint64(1))), amm.ErrReservesOutOfBalance)
}

func TestInject(t *testing.T) {
	p := s1()
	before := p.Price()
	require.NoError(t, p.Inject(500000000, 37478261547))
	assert.Equal(t, fixed.Perquintill(483726790251440452), p.QuoteWeight)
	assert.Equal(t, before, p.Price())
	assert.Equal(t, units.TAO(12_345_678_901_234+500000000), p.TAO)
	// Rejected update: weights and reserves unchanged.
	q := amm.NewPool(1e12, 1e15)
	q.QuoteWeight = amm.MinWeight
	prev := q
	assert.ErrorIs(t, q.Inject(0, 1e15), amm.ErrInvalidWeight)
	assert.Equal(t, prev, q)
}

func TestLaw71ReserveMinimumCheckedBeforeOnly(t *testing.T) {
	// swap_inner (impls.rs): the minimum reserve is checked before the swap
	// only; a large buy leaves 108_421 alpha in the pool.
	p := amm.NewPool(1e9, 2e6)
	_, err := p.Swap(amm.BuyOrder(1e12))
	require.NoError(t, err)
	assert.Equal(t, units.Alpha(108_421), p.AlphaIn)
}

func TestLaw71BuyCanLowerPriceWhenPowFloorsToZero(t *testing.T) {
	// Balancer::exp_scaled: with extreme weights the pow result floors to 0,
	// the whole alpha reserve is paid out and the price drops to 0.
	p := amm.NewPool(57222901743, 55095852)
	p.QuoteWeight = 981865300209179971
	before := p.Price()
	require.False(t, before.IsZero())
	r, err := p.Swap(amm.BuyOrder(4749820474216))
	require.NoError(t, err)
	assert.Equal(t, units.Alpha(55095852), r.Alpha)
	assert.True(t, p.Price().IsZero())
}

func TestMovingPrice(t *testing.T) {
	// One step from 0 with spot 0.5 after b = 201_600 blocks (a = 1.5e-6):
	// reference computed independently on raw bits below.
	spot := amm.PriceFromU64F64(fixed.U64F64FromBits(0, 1<<63))
	got := amm.NextMovingPrice(fixed.I96F32{}, spot, amm.DefaultMovingAlpha(), 201_600, amm.DefaultEMAPriceHalvingBlocks)
	// alpha U64F64 bits = 12885<<32; b/(b+h) = 0.5 exactly → a = 12885<<31;
	// a·0.5 = 12885<<30 in U64F64 bits → I96F32 bits 12885>>2 = 3221.
	assert.Equal(t, "3221", got.BitsString())
	// Spot above 1 is clamped at 1; a steady price of 1 stays at 1.
	one := fixed.I96F32FromUint64(1)
	got = amm.NextMovingPrice(one, amm.PriceFromU64F64(fixed.U64F64FromUint64(5)), amm.DefaultMovingAlpha(), 1000, 201_600)
	assert.LessOrEqual(t, got.Cmp(one), 0)
	assert.Equal(t, uint64(1000), amm.BlocksSinceStart(1000, 0))
	assert.Equal(t, uint64(11), amm.BlocksSinceStart(1000, 990))
	assert.Equal(t, uint64(0), amm.BlocksSinceStart(10, 990))
	st := amm.Pool{}
	assert.Equal(t, one, st.MovingPrice(fixed.I96F32{}))
}

func TestRoundTripGainsAboveRealisticReserves(t *testing.T) {
	// The round-trip law holds for reserves below about 4.9e17 rao (the
	// property test covers up to the 2.1e16 total supply). Above that, the
	// 1e-18 floor of the pow result pays more than one rao extra: with 1e19
	// on both sides and no fee, 1 rao of TAO buys 10 alpha, which sell for
	// 10 TAO. The chain computes the same.
	p := amm.NewPool(1e19, 1e19)
	r1, err := p.Swap(amm.BuyOrder(1).WithoutFees())
	require.NoError(t, err)
	assert.Equal(t, units.Alpha(10), r1.Alpha)
	r2, err := p.Swap(amm.SellOrder(r1.Alpha).WithoutFees())
	require.NoError(t, err)
	assert.Equal(t, units.TAO(10), r2.TAO)
}

func TestLimitFillCanExceedAmount(t *testing.T) {
	// Found by the property tests: when the limit binds, the chain computes
	// the input from the limit price alone (calculate_base_delta_in), and
	// rounding can make it exceed the net amount offered. Selling 5 alpha
	// into (y=1e13, x=9, w2=0.01) with limit 1 rao swaps 6. The chain's
	// unstake then refunds max(5 − 6, 0) = 0 and the pool still grows by 6.
	p := amm.NewPool(1e13, 9)
	p.QuoteWeight = amm.MinWeight
	p.FeeRate = 0
	p.MinReserve = 1
	r, err := p.Swap(amm.SellOrder(5).WithLimit(amm.PriceFromRao(1)))
	require.NoError(t, err)
	assert.Equal(t, units.Alpha(6), r.Alpha)
	assert.Equal(t, units.Alpha(15), p.AlphaIn)
}

func TestApproxFeeAndAlphaForTAO(t *testing.T) {
	p := s1()
	assert.Equal(t, units.TAO(503547), amm.ApproxFee(&p, units.TAO(1e9)))
	assert.Equal(t, units.Alpha(5035477225), amm.ApproxFee(&p, units.Alpha(1e13)))
	// floor(1e9 / price): 1e9·2^64 / 246099249429016877 raw bits.
	assert.Equal(t, units.Alpha(74956523095), p.AlphaForTAO(1e9))
	st := amm.Pool{}
	assert.Equal(t, units.TAO(0), amm.ApproxFee(&st, units.TAO(1e9)))
	assert.Equal(t, units.Alpha(1e9), st.AlphaForTAO(1e9))
}

func TestSwapReserveDeltasClampToI64(t *testing.T) {
	// The chain moves the reserves by SwapResult's i64-clamped deltas
	// (paid_in_reserve_delta_i64): a net input above 2^63−1 adds only
	// 2^63−1 to SubnetTAO, while SubnetAlphaOut grows by the full output.
	p := amm.NewPool(1e16, 1e16)
	r, err := p.Swap(amm.BuyOrder(9_300_000_000_000_000_000).WithoutFees())
	require.NoError(t, err)
	require.Equal(t, units.TAO(9_300_000_000_000_000_000), r.TAO)
	assert.Equal(t, units.TAO(1e16+math.MaxInt64), p.TAO)
	assert.Equal(t, 1e16-r.Alpha, p.AlphaIn)
	assert.Equal(t, r.Alpha, p.AlphaOut)
}

func TestValidateRefusesWhatTheChainCannotHold(t *testing.T) {
	// A quote weight of 2e18 (no Perquintill) used to give the whole alpha
	// reserve to a 1e12-rao buy, and a fee rate of 65535 (set_fee_rate
	// refuses anything above SwapMaxFeeRate = 10000) made the whole amount
	// a fee, both with a nil error.
	p := amm.NewPool(1e15, 1e15)
	p.QuoteWeight = 2e18
	_, err := p.Quote(amm.BuyOrder(1e12))
	require.ErrorIs(t, err, amm.ErrInvalidWeight)
	assert.Contains(t, err.Error(), "QuoteWeight 2000000000000000000")
	assert.Equal(t, err, p.Validate(), "the same pool gives the same error")
	var named interface{ ChainName() string }
	require.True(t, errors.As(err, &named))
	assert.Equal(t, "InvalidWeight", named.ChainName())

	p = amm.NewPool(1e15, 1e15)
	p.FeeRate = 65535
	_, err = p.Quote(amm.BuyOrder(1e12))
	require.ErrorIs(t, err, amm.ErrFeeRateTooHigh)
	assert.Contains(t, err.Error(), "FeeRate 65535")
	p.FeeRate = amm.MaxFeeRate
	require.NoError(t, p.Validate())

	// The chain's mechanisms are 0 and 1: a value the chain treated as
	// stable in the swap (== 1 tests) but as dynamic in
	// get_moving_alpha_price (== 0 test) is refused, and MovingPrice
	// follows get_moving_alpha_price.
	p = amm.NewPool(1e15, 1e15)
	p.Mechanism = 2
	_, err = p.Quote(amm.BuyOrder(1e12))
	require.ErrorIs(t, err, amm.ErrMechanismDoesNotExist)
	prev := fixed.I96F32FromBits(0, 1<<31) // 0.5
	assert.Equal(t, prev, p.MovingPrice(prev))
	p.Mechanism = amm.Stable
	assert.Equal(t, fixed.I96F32FromUint64(1), p.MovingPrice(prev))

	// The constructors make valid pools; the zero value is not one (its
	// weight 0 is no weight the chain stores).
	for _, q := range []amm.Pool{amm.NewPool(0, 0), amm.NewPool(math.MaxUint64, 1), amm.NewStablePool(5, 7)} {
		require.NoError(t, q.Validate(), "%+v", q)
	}
	var zero amm.Pool
	assert.ErrorIs(t, zero.Validate(), amm.ErrInvalidWeight)
	st := amm.NewStablePool(5, 7)
	assert.Equal(t, amm.Stable, st.Mechanism)
	assert.Equal(t, amm.HalfWeight, st.QuoteWeight)
	assert.Equal(t, amm.DefaultFeeRate, st.FeeRate)
}

func TestQuoteUnvalidated(t *testing.T) {
	// The swap's arithmetic on pools the setters refuse: a fee rate of
	// 65535 takes the whole input as the fee (fee = amount·65535/65535)
	// and leaves nothing to swap, a weight of exactly 1 gives the alpha
	// side weight 0. Quote refuses both; QuoteUnvalidated computes them.
	p := amm.NewPool(1e15, 1e15)
	p.FeeRate = 65535
	_, err := p.Quote(amm.BuyOrder(1e12))
	require.ErrorIs(t, err, amm.ErrFeeRateTooHigh)
	r, err := p.QuoteUnvalidated(amm.BuyOrder(1e12))
	require.NoError(t, err)
	assert.Equal(t, units.TAO(1e12), r.TAOFee+r.TAO)
	assert.Greater(t, r.TAOFee, r.TAO, "almost the whole amount is a fee")

	// On a valid pool the two agree exactly.
	v := s1()
	for _, o := range []amm.Order{amm.BuyOrder(1e12), amm.SellOrder(3e11), amm.BuyOrder(1).WithoutFees()} {
		want, werr := v.Quote(o)
		got, gerr := v.QuoteUnvalidated(o)
		assert.Equal(t, werr, gerr)
		assert.Equal(t, want, got)
	}

	// Weight 1e18 is a Perquintill and is computed; above it is not.
	p = amm.NewPool(1e15, 1e15)
	p.QuoteWeight = 1e18
	_, err = p.QuoteUnvalidated(amm.BuyOrder(1e12))
	assert.NotErrorIs(t, err, amm.ErrInvalidWeight)
	p.QuoteWeight = 1e18 + 1
	_, err = p.QuoteUnvalidated(amm.BuyOrder(1e12))
	require.ErrorIs(t, err, amm.ErrInvalidWeight)
}

// legsOf reads a live pool's Result as the chain's SwapResult spells it, in
// rao: the net input, the output and the fee (in the input token).
func legsOf(r amm.Result) (in, out, fee uint64) {
	if r.Direction == amm.Sell {
		return uint64(r.Alpha), uint64(r.TAO), uint64(r.AlphaFee)
	}
	return uint64(r.TAO), uint64(r.Alpha), uint64(r.TAOFee)
}

// Valid is Validate's verdict without the error: on every edge of the
// weight, the fee rate and the mechanism.
func TestValidIsValidatesVerdict(t *testing.T) {
	weights := []fixed.Perquintill{0, amm.MinWeight - 1, amm.MinWeight, amm.HalfWeight, amm.MaxWeight, amm.MaxWeight + 1, fixed.PerquintillAccuracy, math.MaxUint64}
	for _, w := range weights {
		for _, fee := range []uint16{0, amm.MaxFeeRate, amm.MaxFeeRate + 1, math.MaxUint16} {
			for _, mech := range []amm.Mechanism{amm.Stable, amm.Dynamic, 2, math.MaxUint8} {
				p := amm.NewPool(1e15, 1e15)
				p.QuoteWeight, p.FeeRate, p.Mechanism = w, fee, mech
				require.Equal(t, p.Validate() == nil, p.Valid(), "weight %d, fee rate %d, mechanism %d", w, fee, mech)
			}
		}
	}
}
