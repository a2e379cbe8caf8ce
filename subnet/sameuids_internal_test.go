package subnet

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
)

// checkSameRowPasses compares sameUIDs (the vector pass where the
// processor has it, rowsAVX512) with sameUIDsGo on the stored row old
// and uids, values, and upscaleValues with upscaleValuesGo for every
// largest value above 32768.
func checkSameRowPasses(t *testing.T, old []consensus.Entry, uids, values []uint16) {
	t.Helper()
	o, mx, same := sameUIDs(old, uids, values)
	ow, mxw, samew := sameUIDsGo(old, uids, values)
	if o != ow || mx != mxw || same != samew {
		t.Fatalf("row %v, uids %v, values %v: %d %d %v, want %d %d %v", old, uids, values, o, mx, same, ow, mxw, samew)
	}
	for _, m := range []uint16{32769, 40000, 65534, 65535, uint16(32769 + len(values))} {
		f := upscaleFactor(m)
		got, want := slices.Clone(old), slices.Clone(old)
		upscaleValues(got, values, f)
		upscaleValuesGo(want, values, f)
		if !slices.Equal(got, want) {
			t.Fatalf("values %v, largest %d: %v, want %v", values, m, got, want)
		}
	}
}

// TestSameRowPasses: the same-uids path's vector passes agree with their
// Go forms on rows of 1 to 80 uids, the same as the stored row's or
// differing at one index anywhere (in the blocks of sixteen or in the
// rest), with values of 0 and 65535 among them.
func TestSameRowPasses(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 70))
	for i := range 4000 {
		n := 1 + i%80
		old, uids, values := make([]consensus.Entry, n), make([]uint16, n), make([]uint16, n)
		for k := range old {
			u := uint16(r.Uint32())
			old[k] = consensus.Entry{UID: units.UID(u), Value: uint16(r.Uint32())}
			uids[k], values[k] = u, uint16(r.Uint32())
			if r.IntN(8) == 0 {
				values[k] = []uint16{0, 65535}[r.IntN(2)]
			}
		}
		if r.IntN(2) == 0 {
			uids[r.IntN(n)] ^= uint16(1 + r.IntN(0xffff))
		}
		checkSameRowPasses(t, old, uids, values)
	}
}

// FuzzSameRowPasses is TestSameRowPasses on the fuzzer's rows.
func FuzzSameRowPasses(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6}, uint16(0), uint16(0))
	f.Fuzz(func(t *testing.T, b []byte, at, flip uint16) {
		n := len(b) / 4
		if n == 0 {
			return
		}
		old, uids, values := make([]consensus.Entry, n), make([]uint16, n), make([]uint16, n)
		for k := range old {
			u := uint16(b[4*k]) | uint16(b[4*k+1])<<8
			old[k] = consensus.Entry{UID: units.UID(u), Value: uint16(b[4*k+3])}
			uids[k], values[k] = u, uint16(b[4*k+2])|uint16(b[4*k+3])<<8
		}
		uids[int(at)%n] ^= flip
		checkSameRowPasses(t, old, uids, values)
	})
}
