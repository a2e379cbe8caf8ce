//go:build amd64 && !purego

package sim

import "golang.org/x/sys/cpu"

// perturbVector reports whether perturbVec draws eight values at a time
// (perturb_amd64.s): AVX-512 F and DQ (VPMULLQ).
var perturbVector = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ

// perturbVec is perturbVecGo, eight values a round where the processor
// has AVX-512.
func perturbVec(dst []uint16, h, l uint64) (int, uint64, uint64) {
	rounds := len(dst) / 8
	if !perturbVector || rounds == 0 {
		return perturbVecGo(dst, h, l)
	}
	done, sh, sl := perturbAVX512(&dst[0], rounds, h, l, &jump)
	if done < rounds {
		// A round with a draw to draw again: the state after the rounds
		// taken, stepped here (about once in 2^57 draws).
		for range 8 * done {
			h, l = pcgStep(h, l)
		}
		return 8 * done, h, l
	}
	return 8 * done, sh, sl
}

// perturbAVX512 is perturbVecGo's rounds in AVX-512: done rounds of eight
// values perturbed, and the state after them when done is rounds.
//
//go:noescape
func perturbAVX512(dst *uint16, rounds int, h, l uint64, j *perturbJump) (done int, sh, sl uint64)

// perturbJump is the LCG stepped 1 to 8 times, as the vector
// perturbation's lanes take it: the state after i+1 steps from s is
// s·A[i] + C[i] mod 2^128, A[0] the multiplier and C[0] the increment,
// A[i+1] = A[i]·mul and C[i+1] = C[i]·mul + inc. Each 128-bit constant is
// split into its high and low words, eight of each side by side.
type perturbJump struct {
	aHi, aLo, cHi, cLo [8]uint64
}

// jump is the PCG's perturbJump.
var jump = newPerturbJump()

func newPerturbJump() perturbJump {
	var j perturbJump
	ah, al, ch, cl := uint64(pcgMulHi), uint64(pcgMulLo), uint64(pcgIncHi), uint64(pcgIncLo)
	for i := range 8 {
		j.aHi[i], j.aLo[i], j.cHi[i], j.cLo[i] = ah, al, ch, cl
		ah, al = lcgStep(ah, al, pcgMulHi, pcgMulLo, 0, 0)
		ch, cl = lcgStep(ch, cl, pcgMulHi, pcgMulLo, pcgIncHi, pcgIncLo)
	}
	return j
}
