//go:build !amd64 || purego

package sim

// perturbVector is false: perturbRun draws every value.
const perturbVector = false

// perturbVec is perturbVecGo.
func perturbVec(dst []uint16, h, l uint64) (int, uint64, uint64) {
	return perturbVecGo(dst, h, l)
}
