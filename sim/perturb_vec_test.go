package sim

import (
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// checkPerturbVec compares perturbVec (the vector kernel where the
// processor has it, perturbVector) with perturbVecGo on values from the
// state (h, l): the same values perturbed, count and state, and
// perturbVecGo's rounds with perturbRun's draws.
func checkPerturbVec(t *testing.T, values []uint16, h, l uint64) {
	t.Helper()
	got, want := slices.Clone(values), slices.Clone(values)
	k, sh, sl := perturbVec(got, h, l)
	kw, shw, slw := perturbVecGo(want, h, l)
	if k != kw || sh != shw || sl != slw || !slices.Equal(got, want) {
		t.Fatalf("state (%d, %d), %d values: %d (%d, %d) %v, want %d (%d, %d) %v", h, l, len(values), k, sh, sl, got, kw, shw, slw, want)
	}
	run := slices.Clone(values)
	kr, rh, rl, _, _ := perturbRun(run, h, l)
	if kr < k || !slices.Equal(run[:k], want[:k]) {
		t.Fatalf("state (%d, %d): perturbRun took %d values %v, the rounds %d %v", h, l, kr, run, k, want)
	}
	if k == kr && kr == len(values) && (rh != shw || rl != slw) {
		t.Fatalf("state (%d, %d): the states after %d values differ", h, l, k)
	}
	if kr >= k+8 && k+8 <= len(values) {
		t.Fatalf("state (%d, %d): %d values perturbed, a whole round more (%d) was drawable", h, l, k, kr)
	}
}

// TestPerturbVec: the vector perturbation agrees with perturbVecGo and
// perturbRun on random states and rows of 0 to 80 values (values of 0, 1
// and 65535 among them) and on edge states, and on states built to draw, at any of the
// first 24 draws, a value whose product with 101 has a low word below
// 101 (the rounds stop before it).
func TestPerturbVec(t *testing.T) {
	r := rand.New(rand.NewPCG(81, 9))
	for i := range 3000 {
		values := make([]uint16, i%81)
		for k := range values {
			values[k] = uint16(r.Uint32())
			if r.IntN(8) == 0 {
				values[k] = []uint16{0, 1, 65535}[r.IntN(3)]
			}
		}
		checkPerturbVec(t, values, r.Uint64(), r.Uint64())
	}
	// Edge states: a low word of 0 makes a lane's low product 0 and its
	// sum with the increment's low word equal to it (no carry).
	row := make([]uint16, 64)
	for k := range row {
		row[k] = uint16(977 * k)
	}
	for _, s := range [][2]uint64{{0, 0}, {1<<64 - 1, 0}, {0, 1<<64 - 1}, {1<<64 - 1, 1<<64 - 1}, {12345, 0}, {1 << 63, 1 << 63}} {
		checkPerturbVec(t, row, s[0], s[1])
	}
	inv101 := new(big.Int).ModInverse(big.NewInt(101), new(big.Int).Lsh(big.NewInt(1), 64)).Uint64()
	values := make([]uint16, 40)
	for k := range values {
		values[k] = uint16(1000*k + 3)
	}
	for _, low := range []uint64{0, 100} {
		for at := range 24 {
			h, l := stateBefore(low * inv101)
			for range at {
				h, l = stepBack(h, l)
			}
			checkPerturbVec(t, values, h, l)
			if k, _, _ := perturbVec(slices.Clone(values), h, l); k != at&^7 {
				t.Fatalf("a draw to draw again at %d: %d values perturbed, want %d", at, k, at&^7)
			}
		}
	}
}

// FuzzPerturbVec is TestPerturbVec's random case on the fuzzer's state
// and row.
func FuzzPerturbVec(f *testing.F) {
	f.Add(uint64(1), uint64(2), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
	f.Fuzz(func(t *testing.T, h, l uint64, b []byte) {
		values := make([]uint16, len(b)/2)
		for k := range values {
			values[k] = uint16(b[2*k]) | uint16(b[2*k+1])<<8
		}
		checkPerturbVec(t, values, h, l)
	})
}
