package emission

import (
	"math"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func u64f64s(xs ...float64) []fixed.U64F64 {
	out := make([]fixed.U64F64, len(xs))
	for i, x := range xs {
		out[i] = fixed.U64F64FromFloat64(x)
	}
	return out
}

// Ports of subtensor pallets/subtensor/src/tests/subnet_emissions.rs
// @14bc6f9f, inplace_pow_normalize_*, with their tolerances.
func TestPowNormalize(t *testing.T) {
	t.Run("all_zero_inputs_no_panic_and_unchanged", func(t *testing.T) {
		m := u64f64s(0, 0, 0)
		powNormalize(m, fixed.U64F64FromUint64(1))
		for _, v := range m {
			require.True(t, v.IsZero())
		}
	})
	t.Run("tiny_values_no_panic", func(t *testing.T) {
		before := []float64{1e-9, 2e-9, 3e-9}
		m := u64f64s(before...)
		powNormalize(m, fixed.U64F64FromUint64(2))
		for i, v := range m {
			b := fixed.U64F64FromFloat64(before[i]).Float64()
			expected := b * 1e18 * b / 14
			require.InDelta(t, expected, v.Float64(), expected/100)
		}
	})
	t.Run("large_values_no_overflow_and_sum_to_one", func(t *testing.T) {
		m := u64f64s(1e9, 5e9, 1e10)
		powNormalize(m, fixed.U64F64FromUint64(2))
		sum := 0.0
		for _, v := range m {
			f := v.Float64()
			require.True(t, f >= 0 && f <= 1, "%v out of [0,1]", f)
			sum += f
		}
		require.InDelta(t, 1.0, sum, 1e-9)
	})
	t.Run("regular_case_relative_proportions_preserved", func(t *testing.T) {
		m := u64f64s(2, 3, 5)
		powNormalize(m, fixed.U64F64FromUint64(1))
		require.InDelta(t, 0.2, m[0].Float64(), 0.001)
		require.InDelta(t, 0.3, m[1].Float64(), 0.001)
		require.InDelta(t, 0.5, m[2].Float64(), 0.001)
		require.InDelta(t, 1.0, m[0].Float64()+m[1].Float64()+m[2].Float64(), 1e-12)
	})
	t.Run("fractional_exponent", func(t *testing.T) {
		for _, p := range []float64{1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0} {
			m := u64f64s(2, 3, 5)
			powNormalize(m, fixed.U64F64FromFloat64(p))
			sum := math.Pow(2, p) + math.Pow(3, p) + math.Pow(5, p)
			for i, base := range []float64{2, 3, 5} {
				want := math.Pow(base, p) / sum
				require.InDelta(t, want, m[i].Float64(), want/100, "p=%v base %v", p, base)
			}
			require.InDelta(t, 1.0, m[0].Float64()+m[1].Float64()+m[2].Float64(), 1e-12, "p=%v", p)
		}
	})
}

// substrate-fixed's log2 and ln ([fixed.Log2], [fixed.Ln], which safePow
// calls) on exact cases, and the round-half-up halving of log2_inner's
// integer part.
func TestLog2AndLn(t *testing.T) {
	for _, c := range []struct {
		x    int64
		want int64
	}{{1, 0}, {2, 1}, {8, 3}, {1 << 20, 20}} {
		got, ok := fixed.Log2(fixed.I32F32FromInt64(c.x))
		require.True(t, ok)
		require.Equal(t, fixed.I32F32FromInt64(c.want), got, "log2(%d)", c.x)
	}
	half, ok := fixed.Log2(fixed.I32F32FromFloat64(0.5))
	require.True(t, ok)
	require.Equal(t, fixed.I32F32FromInt64(-1), half)
	// 4 − 2^-32 halves (rounding up) to 2.0 and so counts a second time.
	got, ok := fixed.Log2(fixed.I32F32FromBits(4<<32 - 1))
	require.True(t, ok)
	require.Equal(t, int64(2), got.Bits()>>32, "integer part after round-half-up halving")

	_, ok = fixed.Ln(fixed.I32F32{})
	require.False(t, ok, "ln(0) fails")
	_, ok = fixed.Ln(fixed.I32F32FromBits(1))
	require.False(t, ok, "1/x overflows I32F32")
	ln10, ok := fixed.Ln(fixed.I32F32FromInt64(10))
	require.True(t, ok)
	require.InDelta(t, math.Log(10), ln10.Float64(), 1e-6)
}

func TestFlowEMA(t *testing.T) {
	// a = i64::MAX / i64::MAX = 1: the EMA becomes the block's flow.
	require.Equal(t, fixed.I64F64FromInt64(-5), FlowEMA(fixed.I64F64FromInt64(100), -5, 1<<63-1))
	// a = 0 keeps the EMA.
	require.Equal(t, fixed.I64F64FromInt64(100), FlowEMA(fixed.I64F64FromInt64(100), 7, 0))
}

func TestFlowShares(t *testing.T) {
	p1 := fixed.U64F64FromUint64(1)
	out := make([]fixed.U64F64, 3)
	// With the default cutoff 0, L = max(0, min flow) = 0: positive flows
	// share in proportion and the negative one gets nothing.
	FlowShares([]FlowInput{
		{User: fixed.I64F64FromInt64(1_000)},
		{User: fixed.I64F64FromInt64(3_000)},
		{User: fixed.I64F64FromInt64(-1_000)},
	}, false, fixed.I64F64{}, p1, out)
	require.InDelta(t, 0.25, out[0].Float64(), 0.001)
	require.InDelta(t, 0.75, out[1].Float64(), 0.001)
	require.True(t, out[2].IsZero())

	// Net flow: protocol flow 2000 against user flow 1000 is scaled by 1/2.
	FlowShares([]FlowInput{
		{User: fixed.I64F64FromInt64(1_000), Protocol: fixed.I64F64FromInt64(2_000)},
		{User: fixed.I64F64{}, Protocol: fixed.I64F64FromInt64(-500)},
	}, true, fixed.I64F64{}, p1, out[:2])
	// net = 1000 − 0.5·2000 = 0 and 0 − (−500) = 500: all to the second.
	require.True(t, out[0].IsZero())
	require.InDelta(t, 1.0, out[1].Float64(), 1e-9)
}

// Flow shares never sum above one (beyond the pow series' rounding) and
// a subnet at the lower limit gets nothing.
func TestFlowSharesBounded(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(t, "n")
		flows := make([]FlowInput, n)
		for i := range flows {
			flows[i] = FlowInput{
				User:     fixed.I64F64FromInt64(rapid.Int64Range(-1e15, 1e15).Draw(t, "user")),
				Protocol: fixed.I64F64FromInt64(rapid.Int64Range(-1e15, 1e15).Draw(t, "protocol")),
			}
		}
		out := make([]fixed.U64F64, n)
		FlowShares(flows, rapid.Bool().Draw(t, "net"), fixed.I64F64{}, fixed.U64F64FromUint64(1), out)
		sum := 0.0
		for _, s := range out {
			sum += s.Float64()
		}
		if sum > 1+1e-9 {
			t.Fatalf("flow shares sum to %v", sum)
		}
	})
}

// A negative cutoff lets negative flows earn relative to it.
func TestFlowSharesNegativeCutoff(t *testing.T) {
	out := make([]fixed.U64F64, 2)
	FlowShares([]FlowInput{
		{User: fixed.I64F64FromInt64(1_000)},
		{User: fixed.I64F64FromInt64(-1_000)},
	}, false, fixed.I64F64FromInt64(-3_000), fixed.U64F64FromUint64(1), out)
	// L = max(−3000, −1000) = −1000: z = 2000 and 0.
	require.InDelta(t, 1.0, out[0].Float64(), 1e-9)
	require.True(t, out[1].IsZero())
}
