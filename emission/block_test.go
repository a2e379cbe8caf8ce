package emission

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestBlockEmissionTable holds the halving thresholds of
// get_block_emission_for_issuance (coinbase/block_emission.rs @14bc6f9f),
// derived from its I96F32 arithmetic; the values are exact.
func TestBlockEmissionTable(t *testing.T) {
	cases := []struct{ issuance, emission uint64 }{
		{0, 1_000_000_000},
		{1, 1_000_000_000},
		{7_200_000_000_000_000, 1_000_000_000},
		{10_499_999_999_999_999, 1_000_000_000},
		{10_500_000_000_000_000, 500_000_000},
		{15_749_999_999_999_999, 500_000_000},
		{15_750_000_000_000_000, 250_000_000},
		{18_375_000_000_000_000, 125_000_000},
		{19_687_500_000_000_000, 62_500_000},
		{20_999_999_999_999_999, 0},
		{21_000_000_000_000_000, 0},
		{^uint64(0), 0},
	}
	for _, c := range cases {
		require.Equal(t, units.TAO(c.emission), BlockEmission(units.TAO(c.issuance)), "issuance %d", c.issuance)
		require.Equal(t, units.Alpha(c.emission), AlphaBlockEmission(units.Alpha(c.issuance)), "alpha issuance %d", c.issuance)
	}
}

// The rao values of the curve's constants.
const (
	totalSupply          = uint64(TotalSupply)
	defaultBlockEmission = uint64(DefaultBlockEmission)
)

// chainReference transcribes get_block_emission_for_issuance with
// math/big on I96F32 raw bits, step by step, including substrate-fixed's
// log2_inner integer loop (round-half-up halvings while x ≥ 2).
func chainReference(issuance uint64) uint64 {
	if issuance >= totalSupply {
		return 0
	}
	one := new(big.Int).Lsh(big.NewInt(1), 32)
	fx := func(v uint64) *big.Int { return new(big.Int).Lsh(new(big.Int).SetUint64(v), 32) }
	div := func(a, b *big.Int) *big.Int { // checked_div on non-negative bits
		return new(big.Int).Quo(new(big.Int).Lsh(a, 32), b)
	}
	mul := func(a, b *big.Int) *big.Int { return new(big.Int).Rsh(new(big.Int).Mul(a, b), 32) }
	divisor := mul(fx(2), fx(10_500_000_000_000_000))
	r := div(fx(issuance), divisor)
	q := div(one, new(big.Int).Sub(one, r))
	two := new(big.Int).Lsh(one, 1)
	k := uint64(0)
	x := new(big.Int).Set(q)
	for x.Cmp(two) >= 0 {
		odd := x.Bit(0)
		x.Rsh(x, 1)
		x.Add(x, big.NewInt(int64(odd)))
		k++
	}
	multiplier := new(big.Int).Set(one)
	for range k {
		multiplier = mul(multiplier, fx(2))
	}
	pct := div(one, multiplier)
	e := mul(pct, fx(defaultBlockEmission))
	return new(big.Int).Rsh(e, 32).Uint64()
}

// closedForm is the halving schedule in closed form: 1e9 >> k with k the
// largest k ≥ 0 such that issuance ≥ T·(1 − 2^−k) (ceiling when fractional).
func closedForm(issuance uint64) uint64 {
	if issuance >= totalSupply {
		return 0
	}
	k := uint(0)
	for k < 64 {
		next := k + 1
		// threshold = ceil(T·(1 − 2^−next)) = T − floor(T / 2^next)
		threshold := totalSupply - totalSupply>>next
		if issuance < threshold {
			break
		}
		k = next
	}
	return defaultBlockEmission >> k
}

func TestBlockEmissionMatchesChainReference(t *testing.T) {
	var inputs []uint64
	for k := uint(0); k <= 40; k++ {
		threshold := totalSupply - totalSupply>>k
		for d := -3; d <= 3; d++ {
			inputs = append(inputs, threshold+uint64(int64(d)))
		}
	}
	inputs = append(inputs, totalSupply-1, totalSupply, totalSupply+1, 0, 1, ^uint64(0))
	rng := rand.New(rand.NewPCG(1, 2))
	n := 10_000
	if testing.Short() {
		n = 1_000
	}
	for range n {
		inputs = append(inputs, rng.Uint64N(totalSupply+1_000))
	}
	for _, in := range inputs {
		got := uint64(BlockEmission(units.TAO(in)))
		require.Equal(t, chainReference(in), got, "issuance %d (chain reference)", in)
		require.Equal(t, closedForm(in), got, "issuance %d (closed form)", in)
	}
}

func TestBlockEmissionNeverRisesWithIssuance(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.Uint64().Draw(t, "a")
		b := rapid.Uint64Min(a).Draw(t, "b")
		if BlockEmission(units.TAO(b)) > BlockEmission(units.TAO(a)) {
			t.Fatalf("emission rose: E(%d)=%d < E(%d)=%d", a, BlockEmission(units.TAO(a)), b, BlockEmission(units.TAO(b)))
		}
	})
}

func TestBlockEmissionAllocs(t *testing.T) {
	var sink units.TAO
	allocs := testing.AllocsPerRun(100, func() { sink += BlockEmission(15_000_000_000_000_000) })
	require.Zero(t, allocs)
	_ = sink
}

func FuzzBlockEmission(f *testing.F) {
	f.Add(uint64(0))
	f.Add(uint64(10_500_000_000_000_000))
	f.Add(totalSupply - 1)
	f.Fuzz(func(t *testing.T, issuance uint64) {
		if got, want := uint64(BlockEmission(units.TAO(issuance))), chainReference(issuance); got != want {
			t.Fatalf("BlockEmission(%d) = %d, chain reference %d", issuance, got, want)
		}
	})
}

var benchSink units.TAO

func BenchmarkBlockEmission(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		benchSink += BlockEmission(units.TAO(i) * 1_000_000_007)
	}
}

func TestMintAndRecycle(t *testing.T) {
	require.Equal(t, units.TAO(1_000_000_000), Mint(0, 1_000_000_000))
	require.Equal(t, units.TAO(7), Mint(TotalSupply-7, 1_000_000_000), "the cap is never passed")
	require.Zero(t, Mint(TotalSupply+5, 1))
	// Recycling delays the halving; the issuance it lowers decides the next block.
	at := units.TAO(10_500_000_000_000_000)
	require.Equal(t, units.TAO(500_000_000), BlockEmission(at))
	require.Equal(t, units.TAO(1_000_000_000), BlockEmission(Recycle(at, 1)))
	require.Zero(t, Recycle(3, 5))
}
