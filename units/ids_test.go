package units_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/units"
)

// CompareAccounts orders accounts as bytes.Compare does, on accounts that
// differ only in their first 8 bytes, only after them, and not at all
// (few byte values, so that long equal prefixes are common).
func TestCompareAccountsMatchesBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	for range 20000 {
		var a units.AccountID
		for i := range a {
			a[i] = byte(r.UintN(3))
		}
		b := a
		switch r.IntN(3) {
		case 0:
			b[r.IntN(8)] = byte(r.UintN(3))
		case 1:
			b[8+r.IntN(24)] = byte(r.UintN(3))
		}
		if got, want := units.CompareAccounts(&a, &b), bytes.Compare(a[:], b[:]); got != want {
			t.Fatalf("%x vs %x: %d, want %d", a, b, got, want)
		}
	}
}

// FuzzCompareAccounts: CompareAccounts orders two accounts as
// bytes.Compare does (the fuzz bytes give both; a single differing byte
// at each word boundary is among the seeds).
func FuzzCompareAccounts(f *testing.F) {
	f.Add(make([]byte, 64))
	f.Add(append(bytes.Repeat([]byte{0xff}, 32), bytes.Repeat([]byte{0xfe}, 32)...))
	for _, at := range []int{0, 7, 8, 15, 16, 24, 31} {
		b := bytes.Repeat([]byte{0x5a}, 64)
		b[32+at] = 0x5b
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 64 {
			b = append(b, make([]byte, 64-len(b))...)
		}
		x, y := units.AccountID(b[:32]), units.AccountID(b[32:64])
		for _, p := range [][2]units.AccountID{{x, y}, {y, x}, {x, x}} {
			if got, want := units.CompareAccounts(&p[0], &p[1]), bytes.Compare(p[0][:], p[1][:]); got != want {
				t.Fatalf("CompareAccounts(%x, %x) = %d, want %d", p[0][:], p[1][:], got, want)
			}
		}
	})
}
