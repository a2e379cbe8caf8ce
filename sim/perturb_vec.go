package sim

import "math/bits"

// perturbVecGo perturbs the values of dst in place in rounds of eight
// draws of the state (h, l), as perturbRun does, up to the last whole
// round or the first round holding a draw that needs unbias (left
// untouched, with the draws after it): it returns how many values it
// perturbed, a multiple of eight, and the state after their draws, from
// which perturbRun goes on. It is the vector kernel's specification
// (perturb_amd64.s), which draws a round's eight values at once.
func perturbVecGo(dst []uint16, h, l uint64) (int, uint64, uint64) {
	const n = 1050 - 950 + 1
	k := 0
	for ; k+8 <= len(dst); k += 8 {
		var draws [8]uint64
		sh, sl := h, l
		for i := range draws {
			sh, sl = pcgStep(sh, sl)
			hi, lo := bits.Mul64(pcgOutput(sh, sl), n)
			if lo < n {
				return k, h, l
			}
			draws[i] = hi
		}
		for i, x := range draws {
			dst[k+i] = perturbOne(dst[k+i], x)
		}
		h, l = sh, sl
	}
	return k, h, l
}
