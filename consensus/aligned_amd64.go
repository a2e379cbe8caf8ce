//go:build amd64 && !purego

package consensus

import (
	"golang.org/x/sys/cpu"

	"github.com/dtao-go/dtao/fixed"
)

// alignedAVX512 reports whether the aligned kernels run as vectors
// (aligned_amd64.s): they take AVX-512 F, for 512-bit registers, masks,
// permutations and comparisons, DQ, for the 64-bit products (VPMULLQ),
// and VL, for the 256- and 128-bit forms that fold a vector's lanes.
// cpu also checks that the operating system saves the registers.
var alignedAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512VL

// dividendCellsAligned is dividendCellsAlignedGo, eight cells at a time
// where the processor has AVX-512.
func dividendCellsAligned(dst []Entry, r []entry, cols []uint64, divs []fixed.Uint64Divisor, inc []uint64) (int64, uint64, bool) {
	n := len(r)
	if !alignedAVX512 || n == 0 || n%8 != 0 {
		return dividendCellsAlignedGo(dst, r, cols, divs, inc)
	}
	dst, cols, divs, inc = dst[:n], cols[:n], divs[:n], inc[:n]
	t, or, bad := dividendCellsAVX512(&dst[0], &r[0], n/8, &cols[0], &divs[0], &inc[0])
	return t, or, bad == 0
}

// dividendCellsAVX512 is dividendCellsAlignedGo on blocks of eight cells
// at dst, r, cols, divs and inc (bad is non-zero, and nothing written,
// where dividendCellsAlignedGo reports false).
//
//go:noescape
func dividendCellsAVX512(dst *Entry, r *entry, blocks int, cols *uint64, divs *fixed.Uint64Divisor, inc *uint64) (t int64, or, bad uint64)

// clipCellsBlocks is clipCellsGo, eight cells at a time where the
// processor has AVX-512 (r of whole blocks).
func clipCellsBlocks(save, r []entry, cols []uint64, c []int64, a uint64, inc []int64) (int64, int64, bool) {
	n := len(r)
	if !alignedAVX512 || n == 0 || n%8 != 0 {
		return clipCellsGo(save, r, cols, c, a, inc)
	}
	save, cols, c, inc = save[:n], cols[:n], c[:n], inc[:n]
	sum, least, bad := clipCellsAVX512(&save[0], &r[0], n/8, &cols[0], &c[0], a, &inc[0])
	return sum, least, bad == 0
}

// zipCellsBlocks is zipCellsAlignedGo, eight cells at a time where the
// processor has AVX-512 (out of whole blocks).
func zipCellsBlocks(out []entry, b []Entry, acc []int64, al, k uint64) (uint64, int64) {
	n := len(out)
	if !alignedAVX512 || n == 0 || n%8 != 0 {
		return zipCellsAlignedGo(out, b, acc, al, k)
	}
	b, acc = b[:n], acc[:n]
	return zipCellsAVX512(&out[0], &b[0], n/8, &acc[0], al, k)
}

// clipCellsAVX512 is clipCellsGo on blocks of eight cells (bad non-zero,
// and nothing written, where clipCellsGo reports false).
//
//go:noescape
func clipCellsAVX512(save, r *entry, blocks int, cols *uint64, c *int64, a uint64, inc *int64) (rowSum, least int64, bad uint64)

// zipCellsAVX512 is zipCellsAlignedGo on blocks of eight cells.
//
//go:noescape
func zipCellsAVX512(out *entry, b *Entry, blocks int, acc *int64, al, k uint64) (cols uint64, least int64)
