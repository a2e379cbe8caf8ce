package sim

import "math/bits"

// pcg is math/rand/v2's PCG source, held by value so that a loop of
// draws (perturb) can keep its state in registers: the same 128-bit
// state (hi, lo) as rand.NewPCG(hi, lo), advanced by the same LCG step
// (state·mul + inc mod 2^128) and output through the same DXSM mix, so
// it draws the same Uint64 sequence (the sim tests compare it with
// rand.PCG over long sequences and in a fuzz target).
type pcg struct{ hi, lo uint64 }

// newPCG is rand.NewPCG(seed1, seed2).
func newPCG(seed1, seed2 uint64) *pcg { return &pcg{seed1, seed2} }

// The LCG's 128-bit multiplier and increment, and DXSM's multiplier,
// as math/rand/v2 (pcg.go) and the PCG reference (pcg_random.hpp) use
// them.
const (
	pcgMulHi    = 2549297995355413924
	pcgMulLo    = 4865540595714422341
	pcgIncHi    = 6364136223846793005
	pcgIncLo    = 1442695040888963407
	pcgCheapMul = 0xda942042e4dd58b5
)

// pcgStep returns the state after (hi, lo): state·mul + inc mod 2^128.
func pcgStep(hi, lo uint64) (uint64, uint64) {
	return lcgStep(hi, lo, pcgMulHi, pcgMulLo, pcgIncHi, pcgIncLo)
}

// lcgStep returns (hi, lo)·(mulHi, mulLo) + (incHi, incLo) mod 2^128.
func lcgStep(hi, lo, mulHi, mulLo, incHi, incLo uint64) (uint64, uint64) {
	h, l := bits.Mul64(lo, mulLo)
	h += hi*mulLo + lo*mulHi
	l, c := bits.Add64(l, incLo, 0)
	h, _ = bits.Add64(h, incHi, c)
	return h, l
}

// pcgOutput is DXSM, the draw of the new state (hi, lo).
func pcgOutput(hi, lo uint64) uint64 {
	hi ^= hi >> 32
	hi *= pcgCheapMul
	hi ^= hi >> 48
	return hi * (lo | 1)
}

// Uint64 advances the state and returns its draw (rand.PCG.Uint64).
func (p *pcg) Uint64() uint64 {
	p.hi, p.lo = pcgStep(p.hi, p.lo)
	return pcgOutput(p.hi, p.lo)
}
