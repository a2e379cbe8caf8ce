package amm

import (
	"math/big"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/internal/bigpow"
)

// A plain math/big transcription of the swap pallet's price, swap step and
// limit formulas (pallets/swap/src/pallet/balancer.rs, swap_step.rs), written
// independently of package fixed's fixed-point types and of the fast paths
// (it borrows only fixed's saturating u64 helpers and the 1e18 constant):
// the slow, obviously correct reference the pool is tested and benchmarked
// against.

var (
	bigOne  = new(big.Int).Lsh(big.NewInt(1), 64)
	bigU128 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	bigU64  = new(big.Int).SetUint64(^uint64(0))
	bigAcc  = new(big.Int).SetUint64(fixed.PerquintillAccuracy)
)

func bfx(n uint64) *big.Int { return new(big.Int).Lsh(new(big.Int).SetUint64(n), 64) }

// bsafeDiv is U64F64 safe_div on raw bits: floor(a·2^64/b), 0 on /0 or overflow.
func bsafeDiv(a, b *big.Int) *big.Int {
	if b.Sign() == 0 {
		return new(big.Int)
	}
	q := new(big.Int).Lsh(a, 64)
	q.Quo(q, b)
	if q.Cmp(bigU128) > 0 {
		return new(big.Int)
	}
	return q
}

func bsatMul(a, b *big.Int) *big.Int {
	z := new(big.Int).Mul(a, b)
	z.Rsh(z, 64)
	if z.Cmp(bigU128) > 0 {
		z.Set(bigU128)
	}
	return z
}

func bsatSub(a, b *big.Int) *big.Int {
	if a.Cmp(b) <= 0 {
		return new(big.Int)
	}
	return new(big.Int).Sub(a, b)
}

func btoU64(a *big.Int) uint64 {
	z := new(big.Int).Rsh(a, 64)
	if z.Cmp(bigU64) > 0 {
		return ^uint64(0)
	}
	return z.Uint64()
}

type refPool struct {
	y, x, w1, w2 uint64
	rate         uint16
	minReserve   uint64
}

func (r refPool) price(x, y uint64) *big.Int {
	return bsatMul(bsafeDiv(bfx(r.w1), bfx(r.w2)), bsafeDiv(bfx(y), bfx(x)))
}

func (r refPool) exp(res, d uint64, baseQuote bool) *big.Int {
	rd := fixed.SaturatingAddUint64(res, d)
	if rd == 0 {
		return new(big.Int)
	}
	en, ed := r.w2, r.w1
	if baseQuote {
		en, ed = r.w1, r.w2
	}
	k, ok := bigpow.PowBig(new(big.Int).SetUint64(res), new(big.Int).SetUint64(rd),
		new(big.Int).SetUint64(en), new(big.Int).SetUint64(ed), 256, bigAcc)
	if !ok || k.Sign() < 0 || k.Cmp(bigU64) > 0 {
		return new(big.Int)
	}
	e := bsafeDiv(new(big.Int).Lsh(k, 64), bfx(fixed.PerquintillAccuracy))
	if e.Cmp(bigOne) > 0 {
		e.Set(bigOne)
	}
	return e
}

func (r refPool) out(reserve uint64, e *big.Int) uint64 {
	return btoU64(bsatMul(bfx(reserve), bsatSub(bigOne, e)))
}

func (r refPool) deltaIn(num, den *big.Int, w, reserve uint64) uint64 {
	k, ok := bigpow.PowBig(num, den, new(big.Int).SetUint64(w), bigAcc, 1024, bigAcc)
	if !ok {
		return 0
	}
	if k.Cmp(bigU64) > 0 {
		k = new(big.Int).Set(bigU64)
	}
	f := bsatSub(bsafeDiv(new(big.Int).Lsh(k, 64), bfx(fixed.PerquintillAccuracy)), bigOne)
	return btoU64(bsatMul(bfx(reserve), f))
}

// swap follows do_swap, swap_inner and BasicSwapStep
// (pallets/swap/src/pallet/impls.rs, swap_step.rs) step by step; it returns the same chain
// errors as the pool.
func (r refPool) swap(dir Direction, amount, limitRao uint64, drop, simulate bool) (in, out, fee uint64, err error) {
	rate := r.rate
	if drop {
		rate = 0
	}
	fee0 := btoU64(bsatMul(bfx(amount), bsafeDiv(bfx(uint64(rate)), bfx(65535))))
	net := amount - fee0
	rin, rout := r.y, r.x
	if dir == Sell {
		rin, rout = r.x, r.y
	}
	if net > fixed.SaturatingMulUint64(rin, 1000) {
		return 0, 0, 0, ErrSwapInputTooLarge
	}
	if rout < r.minReserve {
		return 0, 0, 0, ErrReservesTooLow
	}
	cur := new(big.Int)
	if r.x != 0 {
		cur = r.price(r.x, r.y)
	}
	lim := bsafeDiv(bfx(limitRao), bfx(1_000_000_000))
	if dir == Buy && cur.Cmp(lim) >= 0 || dir == Sell && cur.Cmp(lim) <= 0 {
		return 0, 0, 0, ErrPriceLimitExceeded
	}
	limitFee := func(d uint64) uint64 {
		fr := bfx(uint64(rate))
		return btoU64(bsatMul(bfx(d), bsafeDiv(fr, bsatSub(bfx(65535), fr))))
	}
	var din uint64
	fee = fee0
	if dir == Buy {
		o := r.out(r.x, r.exp(r.y, net, false))
		t := r.price(fixed.SaturatingSubUint64(r.x, o), fixed.SaturatingAddUint64(r.y, net))
		din = net
		if t.Cmp(lim) > 0 {
			din = r.deltaIn(lim, cur, r.w1, r.y)
			fee = limitFee(din)
		}
		out = r.out(r.x, r.exp(r.y, din, false))
	} else {
		o := r.out(r.y, r.exp(r.x, net, true))
		t := r.price(fixed.SaturatingAddUint64(r.x, net), fixed.SaturatingSubUint64(r.y, o))
		din = net
		if t.Cmp(lim) < 0 {
			din = r.deltaIn(cur, lim, r.w2, r.x)
			fee = limitFee(din)
		}
		out = r.out(r.y, r.exp(r.x, din, true))
	}
	if din != 0 && out == 0 {
		return 0, 0, 0, ErrReservesTooLow
	}
	if !simulate && rout < out {
		return 0, 0, 0, ErrInsufficientLiquidity
	}
	return din, out, fee, nil
}

func refOf(p Pool) refPool {
	c := curveOf(p.QuoteWeight)
	if !p.Initialized {
		c = curveOf(HalfWeight)
	}
	return refPool{y: uint64(p.TAO), x: uint64(p.AlphaIn), w1: c.w1, w2: c.w2, rate: p.FeeRate, minReserve: p.minReserve()}
}
