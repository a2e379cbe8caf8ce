package bigpow

import (
	"math/big"
	"testing"

	"github.com/holiman/uint256"
)

var (
	sinkU64  uint64
	sinkBool bool
	sinkBig  *big.Int
)

// benchCase is one pow_ratio_scaled call as the AMM makes it.
type benchCase struct {
	bn, bd    uint256.Int
	en, ed    uint64
	precision uint32
	scale     uint64
}

func u256(s string) uint256.Int {
	var z uint256.Int
	if err := z.SetFromDecimal(s); err != nil {
		panic(err)
	}
	return z
}

var (
	// w = 0.5: a swap's (x/(x+dx))^(5e17/5e17) and a limit's (p'/p)^(5e17/1e18).
	benchExact = []benchCase{
		{u256("4000000000000"), u256("4003993993829"), 500000000000000000, 500000000000000000, 256, 1e18},
		{u256("248560228746085657"), u256("246099249429016877"), 500000000000000000, 1000000000000000000, 1024, 1e18},
	}
	// Weights that reduce to exact exponents with large terms, as a pool
	// passes them: a quote weight of 511/1024 (w1/w2 = 513/511 for a swap,
	// 511/1024 and 513/1024 for a limit) and w = 0.227 (227/773), with u64
	// reserves and U64F64-sized limit prices.
	benchExactPool = []benchCase{
		{u256("4000000000000"), u256("4003993993829"), 500976562500000000, 499023437500000000, 256, 1e18},
		{u256("4003993993829"), u256("4000000000000"), 499023437500000000, 500976562500000000, 256, 1e18},
		{u256("248560228746085657"), u256("246099249429016877"), 499023437500000000, 1000000000000000000, 1024, 1e18},
		{u256("4584867836163302215680"), u256("4580224309612392857600"), 500976562500000000, 1000000000000000000, 1024, 1e18},
		{u256("7000000000"), u256("7000010000"), 227000000000000000, 773000000000000000, 256, 1e18},
		{u256("18446744073709551615"), u256("18446744073709551557"), 773000000000000000, 227000000000000000, 256, 1e18},
	}
	// spec/amm.md §13.3 rows at precision 256 and 1024.
	bench256 = []benchCase{
		{u256("987654321098765"), u256("997654321098765"), 516273847362514088, 483726152637485912, 256, 1e18},
		{u256("12345678901234"), u256("12346678901234"), 483726152637485912, 516273847362514088, 256, 1e18},
		{u256("12345678901234"), u256("12344678901234"), 483726152637485912, 516273847362514088, 256, 1e18},
	}
	// The coinbase's chain buys: a few TAO into a pool of 1e3 to 1e6 TAO at
	// a quote weight near 1/2 (the swap's exponent w2/w1).
	benchChainBuy = []benchCase{
		{u256("1061450043148"), u256("1063723849588"), 500857033319804459, 499142966680195541, 256, 1e18},
		{u256("734000000000000"), u256("734004500000000"), 499679000000000001, 500320999999999999, 256, 1e18},
	}
	// Chain buys as BenchmarkStep's network makes them: about 2^-24 of
	// the TAO reserve into a pool weighted within 3e-13 of 1/2.
	benchChainBuyTiny = []benchCase{
		{u256("149717098533755"), u256("149717100532748"), 499999999999717795, 500000000000282205, 256, 1e18},
		{u256("143353637475554"), u256("143353639474547"), 499999999999702553, 500000000000297447, 256, 1e18},
	}
	bench1024 = []benchCase{
		{u256("248560228746085657"), u256("246099249429016877"), 516273847362514088, 1000000000000000000, 1024, 1e18},
		{u256("246099249429016877"), u256("243638250045594401"), 483726152637485912, 1000000000000000000, 1024, 1e18},
	}
)

func BenchmarkPowRatioScaled(b *testing.B) {
	fast := func(cases []benchCase) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				c := &cases[i%len(cases)]
				r, of, ok := Pow(&c.bn, &c.bd, c.en, c.ed, c.precision, c.scale)
				sinkU64, sinkBool = r, of || !ok
			}
		}
	}
	ref := func(cases []benchCase) func(*testing.B) {
		return func(b *testing.B) {
			type args struct{ bn, bd, en, ed, scale *big.Int }
			as := make([]args, len(cases))
			for i, c := range cases {
				as[i] = args{c.bn.ToBig(), c.bd.ToBig(), new(big.Int).SetUint64(c.en), new(big.Int).SetUint64(c.ed), new(big.Int).SetUint64(c.scale)}
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				a, c := &as[i%len(as)], &cases[i%len(cases)]
				sinkBig, sinkBool = PowBig(a.bn, a.bd, a.en, a.ed, c.precision, a.scale)
			}
		}
	}
	b.Run("exact", fast(benchExact))
	b.Run("fallback256", fast(bench256))
	b.Run("fallback1024", fast(bench1024))
	b.Run("chain_buy", fast(benchChainBuy))
	b.Run("chain_buy_tiny", fast(benchChainBuyTiny))
	b.Run("exact_pool", fast(benchExactPool))
	for i, name := range []string{"513_511", "511_513", "511_1024", "513_1024", "227_773", "773_227"} {
		b.Run("exact_pool_"+name, fast(benchExactPool[i:i+1]))
	}
	b.Run("exact_big", ref(benchExact))
	b.Run("fallback256_big", ref(bench256))
	b.Run("fallback1024_big", ref(bench1024))
}
