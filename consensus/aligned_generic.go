//go:build !amd64 || purego

package consensus

import "github.com/dtao-go/dtao/fixed"

// alignedAVX512 is false: the aligned kernels run in Go.
const alignedAVX512 = false

// dividendCellsAligned is dividendCellsAlignedGo.
func dividendCellsAligned(dst []Entry, r []entry, cols []uint64, divs []fixed.Uint64Divisor, inc []uint64) (int64, uint64, bool) {
	return dividendCellsAlignedGo(dst, r, cols, divs, inc)
}

// clipCellsBlocks is clipCellsAlignedGo on a row aligned with cols
// (checked first: false, and nothing written, otherwise).
func clipCellsBlocks(save, r []entry, cols []uint64, c []int64, a uint64, inc []int64) (int64, int64, bool) {
	return clipCellsGo(save, r, cols, c, a, inc)
}

// zipCellsBlocks is zipCellsAlignedGo.
func zipCellsBlocks(out []entry, b []Entry, acc []int64, al, k uint64) (uint64, int64) {
	return zipCellsAlignedGo(out, b, acc, al, k)
}

// medianAlignedColumns is medianAlignedGo.
func medianAlignedColumns(keys []uint64, stride, v int, m int64, scratch []uint64, out []int64) {
	medianAlignedGo(keys, stride, v, m, out)
}

// keyCellsBlocks is keyCellsGo.
func keyCellsBlocks(out []entry, row []Entry, cols []uint64, d *fixed.U16Divisor, st uint64, keys []uint64) (uint64, bool) {
	return keyCellsGo(out, row, cols, d, st, keys)
}
