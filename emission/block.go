package emission

import (
	"github.com/dtao-go/dtao/units"
)

const (
	// TotalSupply is the cap on TAO issuance: 21M TAO.
	TotalSupply units.TAO = 21_000_000_000_000_000

	// DefaultBlockEmission is the emission per block before any halving:
	// 1 TAO (the chain's DefaultBlockEmission).
	DefaultBlockEmission units.TAO = 1_000_000_000
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
// The integer part of substrate-fixed's log2 counts how many times the
// operand can be halved, with round-half-up, while it stays ≥ 2.
// BlockEmission gives the bits of those fixed-point steps from the
// thresholds where their result halves, without the divisions (the steps
// themselves are kept in the tests, which compare the two at every
// threshold).
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

// blockEmission is get_block_emission_for_issuance on a u64 issuance, in
// closed form: 1e9 >> k for the largest k with issuance >= T − floor(T/2^k)
// (T = TotalSupply = 2.1e16, the chain's divisor; the threshold is
// ceil(T·(1 − 2^-k))), and 0 from T on. k stops at 30, where 1e9 >> k is
// already 0.
//
// It gives the chain's bits: the chain's steps (blockEmissionSteps in the
// tests) are non-increasing in the issuance (r = floor(issuance·2^32/T)
// grows with it, so 1 − r falls, q = 1/(1 − r) grows, the count of
// round-half-up halvings of q while it is at least 2 grows, and 1e9 >> k
// falls). This one is constant between its thresholds, so where the two
// agree at both ends of such a run (the threshold and the issuance just
// below the next one) the chain's is that constant in between; past the
// 30th threshold both are 0 (the chain's 0 there stays 0).
// TestBlockEmissionClosedFormMatches checks both ends of every run.
func blockEmission(issuance uint64) uint64 {
	const t = uint64(TotalSupply)
	if issuance < t-t>>1 {
		// Below the first threshold (the usual case): k = 0, as the loop
		// below finds at once.
		return uint64(DefaultBlockEmission)
	}
	if issuance >= t {
		return 0
	}
	k := uint(0)
	for k < 30 && issuance >= t-t>>(k+1) {
		k++
	}
	return uint64(DefaultBlockEmission) >> k
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
