//go:build amd64 && !purego

package subnet

import (
	"golang.org/x/sys/cpu"

	"github.com/dtao-go/dtao/consensus"
)

// rowsAVX512 reports whether the same-uids path's passes run as vectors
// (sameuids_amd64.s): AVX-512 F, DQ (VPMULLQ) and VL (the folds of a
// vector's lanes).
var rowsAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512VL

// sameUIDs is sameUIDsGo, sixteen uids at a time where the processor has
// AVX-512, the last ones (fewer than sixteen) in Go.
func sameUIDs(old []consensus.Entry, uids, values []uint16) (orUID, mxVal uint16, same bool) {
	n := len(old)
	m := n &^ 15
	if !rowsAVX512 || m == 0 {
		return sameUIDsGo(old, uids, values)
	}
	uids, values = uids[:n], values[:n]
	o, mx, diff := sameUIDsAVX512(&old[0], &uids[0], &values[0], m/16)
	if diff != 0 {
		return 0, 0, false
	}
	o2, mx2, same := sameUIDsGo(old[m:], uids[m:], values[m:])
	if !same {
		return 0, 0, false
	}
	return uint16(o) | o2, max(uint16(mx), mx2), true
}

// upscaleValues is upscaleValuesGo, eight values at a time where the
// processor has AVX-512, the last ones (fewer than eight) in Go.
func upscaleValues(row []consensus.Entry, values []uint16, f uint64) {
	n := len(row)
	m := n &^ 7
	values = values[:n]
	if rowsAVX512 && m > 0 {
		upscaleValuesAVX512(&row[0], &values[0], m/8, f)
		row, values = row[m:], values[m:]
	}
	upscaleValuesGo(row, values, f)
}

// sameUIDsAVX512 is sameUIDsGo's pass on blocks of sixteen entries,
// uids and values: the OR of the uids, the largest value and the OR of
// the differences of the uids from the entries' (non-zero when they
// differ).
//
//go:noescape
func sameUIDsAVX512(old *consensus.Entry, uids, values *uint16, blocks int) (orUID, mxVal, diff uint64)

// upscaleValuesAVX512 is upscaleValuesGo on blocks of eight entries.
//
//go:noescape
func upscaleValuesAVX512(row *consensus.Entry, values *uint16, blocks int, f uint64)
