package dtao

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
)

// consensus.Inherited of no children and no parents is the hotkey's own
// amount: viewOf skips the inheritance when the ledger holds no links.
func TestInheritedWithoutLinksIsOwn(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 7))
	xs := []uint64{0, 1, 2, math.MaxUint32, math.MaxUint32 + 1, math.MaxUint64 - 1, math.MaxUint64}
	for range 10000 {
		xs = append(xs, r.Uint64()>>r.UintN(64))
	}
	for _, x := range xs {
		checkInheritedWithoutLinks(t, x)
	}
}

func FuzzInheritedWithoutLinks(f *testing.F) {
	f.Add(uint64(0))
	f.Add(uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, x uint64) { checkInheritedWithoutLinks(t, x) })
}

func checkInheritedWithoutLinks(t *testing.T, x uint64) {
	if got := consensus.Inherited(units.Alpha(x), nil, nil); got != units.Alpha(x) {
		t.Fatalf("alpha %d inherits %d without links", x, got)
	}
	if got := consensus.Inherited(units.TAO(x), nil, nil); got != units.TAO(x) {
		t.Fatalf("TAO %d inherits %d without links", x, got)
	}
}

// sameAccount is the array comparison, on accounts equal, differing in
// one byte (each position, low and high bits) and random.
func TestSameAccountMatchesEquality(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 8))
	for range 2000 {
		var a units.AccountID
		for i := range a {
			a[i] = byte(r.Uint32())
		}
		b := a
		checkSameAccount(t, a, b)
		for i := range b {
			for _, bit := range []byte{1, 0x80} {
				c := b
				c[i] ^= bit
				checkSameAccount(t, a, c)
			}
		}
		var c units.AccountID
		for i := range c {
			c[i] = byte(r.Uint32())
		}
		checkSameAccount(t, a, c)
	}
}

func FuzzSameAccount(f *testing.F) {
	f.Add(make([]byte, 32), make([]byte, 32))
	f.Add(make([]byte, 32), append(make([]byte, 31), 1))
	f.Fuzz(func(t *testing.T, x, y []byte) {
		var a, b units.AccountID
		copy(a[:], x)
		copy(b[:], y)
		checkSameAccount(t, a, b)
	})
}

func checkSameAccount(t *testing.T, a, b units.AccountID) {
	if got := sameAccount(&a, &b); got != (a == b) {
		t.Fatalf("sameAccount(%x, %x) = %v", a, b, got)
	}
}
