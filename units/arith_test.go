package units_test

import (
	"math/big"
	"testing"

	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestAddSubEdges(t *testing.T) {
	tests := []struct {
		x, y            uint64
		sum             uint64
		overflow        bool
		diff            uint64
		underflow       bool
		satSum, satDiff uint64
	}{
		{0, 0, 0, false, 0, false, 0, 0},
		{5, 3, 8, false, 2, false, 8, 2},
		{3, 5, 8, false, maxRao - 1, true, 8, 0},
		{maxRao, 0, maxRao, false, maxRao, false, maxRao, maxRao},
		{maxRao, 1, 0, true, maxRao - 1, false, maxRao, maxRao - 1},
		{maxRao, maxRao, maxRao - 1, true, 0, false, maxRao, 0},
		{0, maxRao, maxRao, false, 1, true, maxRao, 0},
	}
	for _, tt := range tests {
		x, y := units.TAO(tt.x), units.TAO(tt.y)
		z, o := x.Add(y)
		require.Equal(t, units.TAO(tt.sum), z, "%d+%d", tt.x, tt.y)
		require.Equal(t, tt.overflow, o, "%d+%d", tt.x, tt.y)
		z, u := x.Sub(y)
		require.Equal(t, units.TAO(tt.diff), z, "%d-%d", tt.x, tt.y)
		require.Equal(t, tt.underflow, u, "%d-%d", tt.x, tt.y)
		require.Equal(t, units.TAO(tt.satSum), x.SaturatingAdd(y))
		require.Equal(t, units.TAO(tt.satDiff), x.SaturatingSub(y))

		a, b := units.Alpha(tt.x), units.Alpha(tt.y)
		w, o := a.Add(b)
		require.Equal(t, units.Alpha(tt.sum), w)
		require.Equal(t, tt.overflow, o)
		w, u = a.Sub(b)
		require.Equal(t, units.Alpha(tt.diff), w)
		require.Equal(t, tt.underflow, u)
		require.Equal(t, units.Alpha(tt.satSum), a.SaturatingAdd(b))
		require.Equal(t, units.Alpha(tt.satDiff), a.SaturatingSub(b))
	}
}

// TestArithmeticMatchesBig checks the checked and saturating operations
// against math/big.
func TestArithmeticMatchesBig(t *testing.T) {
	maxBig := new(big.Int).SetUint64(maxRao)
	rapid.Check(t, func(t *rapid.T) {
		xr, yr := rapid.Uint64().Draw(t, "x"), rapid.Uint64().Draw(t, "y")
		bx, by := new(big.Int).SetUint64(xr), new(big.Int).SetUint64(yr)
		sum := new(big.Int).Add(bx, by)
		diff := new(big.Int).Sub(bx, by)

		x, y := units.TAO(xr), units.TAO(yr)
		z, overflow := x.Add(y)
		require.Equal(t, sum.Cmp(maxBig) > 0, overflow)
		if !overflow {
			require.Equal(t, sum.Uint64(), z.Rao())
			require.Equal(t, z, x.SaturatingAdd(y))
		} else {
			require.Equal(t, units.TAO(maxRao), x.SaturatingAdd(y))
		}
		z, underflow := x.Sub(y)
		require.Equal(t, diff.Sign() < 0, underflow)
		require.Equal(t, xr-yr, z.Rao(), "the difference wraps modulo 2^64 as documented")
		if !underflow {
			require.Equal(t, diff.Uint64(), z.Rao())
			require.Equal(t, z, x.SaturatingSub(y))
		} else {
			require.Zero(t, x.SaturatingSub(y))
		}

		a, b := units.AlphaFromRao(xr), units.AlphaFromRao(yr)
		w, overflow := a.Add(b)
		require.Equal(t, sum.Cmp(maxBig) > 0, overflow)
		if !overflow {
			require.Equal(t, sum.Uint64(), w.Rao())
		}
		require.Equal(t, units.TAOFromRao(xr).SaturatingAdd(units.TAOFromRao(yr)).Rao(), a.SaturatingAdd(b).Rao())
		require.Equal(t, units.TAOFromRao(xr).SaturatingSub(units.TAOFromRao(yr)).Rao(), a.SaturatingSub(b).Rao())
	})
}

func TestConstants(t *testing.T) {
	require.Equal(t, uint64(1_000_000_000), uint64(units.RaoPerTAO))
	tao, err := units.ParseTAO("21,000,000")
	require.NoError(t, err)
	require.Equal(t, units.MaxSupply, tao)
}
