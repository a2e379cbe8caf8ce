package emission

import (
	"math/bits"

	"github.com/dtao-go/dtao/units"
)

const (
	// TotalSupply is the cap on TAO issuance: 21M TAO.
	TotalSupply units.TAO = 21_000_000_000_000_000

	// DefaultBlockEmission is the emission per block before any halving:
	// 1 TAO (the chain's DefaultBlockEmission).
	DefaultBlockEmission units.TAO = 1_000_000_000

	// halvingDivisor is 2.0 · 10_500_000_000_000_000.0, the divisor of the
	// issuance in the chain's residual; both factors are exact in f64 and
	// in I96F32, so it is exactly 2.1e16.
	halvingDivisor uint64 = 21_000_000_000_000_000
)

// BlockEmission returns the TAO emission for one block at the given TAO
// issuance, as subtensor's get_block_emission_for_issuance computes it
// (pallets/subtensor/src/coinbase/block_emission.rs). The chain applies it
// to TotalIssuance before the block's mint to get the TAO per block; the
// same function on a subnet's alpha issuance is [AlphaBlockEmission].
//
// The emission halves each time the issuance closes half of the remaining
// gap to TotalSupply: 1 TAO below 10.5M TAO, 0.5 TAO up to 15.75M, 0.25 up
// to 18.375M, and so on; it is 0 from TotalSupply on.
//
// The chain computes, in I96F32 (32 fractional bits):
//
//	r        = issuance / 2.1e16                     (checked_div: truncated)
//	residual = log2(1 / (1 − r))                     (substrate-fixed log2)
//	k        = floor(residual)
//	emission = floor((1 / 2^k) · 1e9)
//
// BlockEmission performs exactly those fixed-point steps on the raw bits.
// The integer part of substrate-fixed's log2 counts how many times the
// operand can be halved, with round-half-up, while it stays ≥ 2; that
// count is reproduced here as it is, not replaced by an exact floor(log2).
// (A test checks that the two agree for every threshold.)
func BlockEmission(issuance units.TAO) units.TAO {
	return units.TAO(blockEmission(uint64(issuance)))
}

// AlphaBlockEmission is the alpha emission for one block of a subnet at
// its alpha issuance (SubnetAlphaIn + SubnetAlphaOut, [AlphaIssuance]):
// the chain's get_block_emission_for_issuance on the alpha issuance, as
// get_subnet_terms (pallets/subtensor/src/coinbase/run_coinbase.rs) calls
// it. The curve is [BlockEmission]'s, rao for rao: 1 alpha per block below
// 10.5M alpha issued, halving as that issuance nears 21M.
func AlphaBlockEmission(issuance units.Alpha) units.Alpha {
	return units.Alpha(blockEmission(uint64(issuance)))
}

// blockEmission is get_block_emission_for_issuance on a u64 issuance.
func blockEmission(issuance uint64) uint64 {
	if issuance >= uint64(TotalSupply) {
		return 0
	}
	if issuance < halvingDivisor/2 {
		// Below 1.05e16 the steps below give r < 2^31 (issuance·2^32 <
		// 2^31·2.1e16), so 1 − r > 2^31 in bits, 1/(1 − r) < 2.0 and
		// log2's integer part is 0: the full emission, without the
		// divisions.
		return uint64(DefaultBlockEmission)
	}
	// r: the I96F32 bits of issuance / 2.1e16, i.e. floor(issuance·2^32 / 2.1e16).
	// issuance < 2^64, so issuance>>32 < 2^32 < the divisor: no overflow.
	r, _ := bits.Div64(issuance>>32, issuance<<32, halvingDivisor)
	// 1 − r in bits; r < 2^32 because issuance < 2.1e16.
	oneMinusR := uint64(1)<<32 - r
	// q = 1 / (1 − r) in bits: floor(2^64 / (1 − r)). It is 2^64 exactly
	// when 1 − r is one bit; q then needs 65 bits, which I96F32 holds.
	var qHi, qLo uint64
	if oneMinusR == 1 {
		qHi, qLo = 1, 0
	} else {
		qLo, _ = bits.Div64(1, 0, oneMinusR)
	}
	k := log2IntegerPart(qHi, qLo)
	if k >= 64 {
		return 0
	}
	// pct = 1 / 2^k has bits floor(2^64 / 2^(32+k)) = 2^(32−k) (0 past 32),
	// and pct · 1e9 floors to floor(1e9 / 2^k).
	return uint64(DefaultBlockEmission) >> k
}

// log2IntegerPart is the integer part that substrate-fixed's log2_inner
// produces for an I96F32 operand ≥ 1 with raw bits (hi, lo): the number of
// round-half-up halvings (x>>1 + x&1) applied while x ≥ 2.0.
func log2IntegerPart(hi, lo uint64) uint {
	const two = uint64(1) << 33 // 2.0 in I96F32 bits
	var k uint
	for hi > 0 || lo >= two {
		odd := lo & 1
		var carry uint64
		lo, carry = bits.Add64(lo>>1|hi<<63, odd, 0)
		hi = hi>>1 + carry
		k++
	}
	return k
}

// Mint is how much of a block's emission is actually minted: mint_tao
// issues min(amount, TotalSupply − issuance) (saturating), so the 21M cap
// is never passed. (The chain reads the balances pallet's issuance here;
// it tracks subtensor's TotalIssuance.)
//
// What happens to TAO afterwards decides the next blocks' emission:
// recycled TAO (the unspent credit, registration burns) is subtracted from
// TotalIssuance, which lowers it and delays the next halving; burned TAO
// (sent to the burn account) stays counted, so issuance and the halving
// schedule do not move. See [Recycle].
func Mint(issuance, amount units.TAO) units.TAO {
	return min(amount, TotalSupply.SaturatingSub(issuance))
}

// Recycle returns the issuance after recycling amount
// (recycle_credit, recycle_tao): TotalIssuance − amount, saturating at 0.
func Recycle(issuance, amount units.TAO) units.TAO {
	return issuance.SaturatingSub(amount)
}
