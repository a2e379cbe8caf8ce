package dtao

import (
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
)

// movingPriceWith, one amm.MovingEMA carried across the calls as the
// block carries it across its subnets, gives movingPriceAt's bits: on
// runs of subnets sharing their operands (the common block), on operands
// changing from one call to the next, on a halving of 0 (the default),
// on subnets not yet emitting (FirstEmissionBlock above the block) and
// on extreme moving alphas, prices and moving prices.
func TestMovingPriceWithMatchesAt(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 2026))
	alphas := []fixed.I96F32{
		fixed.I96F32{}, fixed.I96F32FromUint64(1), fixed.I96F32FromBits(0, 1),
		fixed.I96F32FromBits(0, 1<<32-1), fixed.I96F32FromBits(0, 3_000_000),
	}
	var e amm.MovingEMA
	for n := range 20_000 {
		alpha := alphas[r.IntN(len(alphas))]
		if r.IntN(4) == 0 {
			alpha = fixed.I96F32FromBits(r.Uint64N(256), r.Uint64())
		}
		block := r.Uint64N(50_000_000)
		st := &SubnetState{
			FirstEmissionBlock:    r.Uint64N(block + 2),
			EMAPriceHalvingBlocks: []uint64{0, 1, 201_600, r.Uint64N(1 << 40), 1<<64 - 1}[r.IntN(5)],
			MovingPrice:           fixed.I96F32FromBits(r.Uint64N(16), r.Uint64()),
		}
		price := amm.PriceFromU64F64(fixed.U64F64FromBits(r.Uint64N(1<<r.IntN(64)), r.Uint64()))
		for k := range 1 + r.IntN(8) {
			if k > 0 && r.IntN(3) == 0 {
				price = amm.PriceFromU64F64(fixed.U64F64FromBits(r.Uint64N(4), r.Uint64()))
				st.MovingPrice = fixed.I96F32FromBits(0, r.Uint64())
			}
			want := movingPriceAt(st, price, block, alpha)
			if got := movingPriceWith(&e, st, price, block, alpha); got != want {
				t.Fatalf("call %d.%d: movingPriceWith = %v, movingPriceAt = %v (block %d, first emission %d, halving %d)",
					n, k, got, want, block, st.FirstEmissionBlock, st.EMAPriceHalvingBlocks)
			}
		}
	}
}
