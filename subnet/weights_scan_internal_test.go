package subnet

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/units"
)

// refScanWeights is scanWeights the straightforward way: a map for the
// duplicates (refHasDuplicates), maxUID for the largest uid, a loop for
// the largest value.
func refScanWeights(uids, values []uint16) (bool, uint16, uint16) {
	mxUID, _ := maxUID(uids)
	var mxVal uint16
	for _, v := range values {
		mxVal = max(mxVal, v)
	}
	return refHasDuplicates(uids), mxUID, mxVal
}

// checkScanWeights fails tb unless scanWeights agrees with refScanWeights.
func checkScanWeights(tb testing.TB, uids, values []uint16) {
	tb.Helper()
	dup, mu, mv := scanWeights(uids, values)
	rdup, rmu, rmv := refScanWeights(uids, values)
	if dup != rdup || mu != rmu || mv != rmv {
		tb.Fatalf("uids %v values %v: scanWeights %v %d %d, reference %v %d %d", uids, values, dup, mu, mv, rdup, rmu, rmv)
	}
}

// scanWeights agrees with the reference on random rows whose uids fall
// below 256 (the byte table decides), below 4096 and anywhere (uids that
// alias in the byte table: hasDuplicates decides), with and without a
// repeated uid, and on constructed edges: empty, one uid, uids that
// share a low byte (1 and 257), 255 and 256, the largest uid and value.
func TestScanWeightsMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	for _, c := range []struct{ uids, values []uint16 }{
		{nil, nil},
		{[]uint16{0}, []uint16{0}},
		{[]uint16{7}, []uint16{65535}},
		{[]uint16{1, 257}, []uint16{3, 2}},
		{[]uint16{257, 1, 257}, []uint16{3, 2, 1}},
		{[]uint16{255, 256}, []uint16{0, 0}},
		{[]uint16{255, 255}, []uint16{1, 0}},
		{[]uint16{65535, 0, 65535}, []uint16{0, 65535, 1}},
		{[]uint16{0, 256, 512, 768}, []uint16{1, 2, 3, 4}},
	} {
		checkScanWeights(t, c.uids, c.values)
	}
	for range 20000 {
		span := []int{256, 4096, 1 << 16}[r.IntN(3)]
		k := r.IntN(min(span, 300) + 1)
		uids, values := make([]uint16, k), make([]uint16, k)
		for i := range uids {
			uids[i], values[i] = uint16(r.IntN(span)), uint16(r.UintN(1<<16))
		}
		if k > 1 && r.IntN(2) == 0 {
			uids[r.IntN(k)] = uids[r.IntN(k)]
		}
		checkScanWeights(t, uids, values)
	}
}

// FuzzScanWeights compares scanWeights with the reference on any rows
// (two bytes a uid, two a value).
func FuzzScanWeights(f *testing.F) {
	f.Add([]byte{1, 0, 1, 1, 0, 0})
	f.Add([]byte{0xff, 0, 0, 1, 0xff, 0xff, 1, 0})
	f.Fuzz(func(t *testing.T, raw []byte) {
		k := min(len(raw)/4, 512)
		uids, values := make([]uint16, k), make([]uint16, k)
		for i := range k {
			uids[i] = uint16(raw[4*i]) | uint16(raw[4*i+1])<<8
			values[i] = uint16(raw[4*i+2]) | uint16(raw[4*i+3])<<8
		}
		checkScanWeights(t, uids, values)
	})
}

// sameKey is ==: on random keys, a key and its copy, and a key and the
// key with one byte changed, at each of the 32 places.
func TestSameKey(t *testing.T) {
	r := rand.New(rand.NewPCG(43, 44))
	for range 2000 {
		var a, b units.AccountID
		for i := range a {
			a[i], b[i] = byte(r.Uint32()), byte(r.Uint32())
		}
		if got := sameKey(&a, &b); got != (a == b) {
			t.Fatalf("%x %x: sameKey %v", a, b, got)
		}
		c := a
		if !sameKey(&a, &c) {
			t.Fatalf("%x: not the same as its copy", a)
		}
		for i := range c {
			d := a
			d[i] ^= byte(1 + r.IntN(255))
			if sameKey(&a, &d) || sameKey(&d, &a) {
				t.Fatalf("%x and %x (byte %d changed): the same", a, d, i)
			}
		}
	}
}

// FuzzSameKey compares sameKey with == on any two keys.
func FuzzSameKey(f *testing.F) {
	f.Add(make([]byte, 64))
	f.Add(slices.Repeat([]byte{0xff}, 64))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var a, b units.AccountID
		copy(a[:], raw)
		if len(raw) > 32 {
			copy(b[:], raw[32:])
		}
		if got := sameKey(&a, &b); got != (a == b) {
			t.Fatalf("%x %x: sameKey %v", a, b, got)
		}
	})
}
