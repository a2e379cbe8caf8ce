package subnet

import (
	"slices"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
)

// A replaced uid loses its bonds row on every mechanism (clear_neuron
// removes Bonds[uid]); the bonds other validators hold on that uid stay,
// as on chain. Mechanisms removed by a lower count lose their bonds.
func TestReplaceClearsBondsRow(t *testing.T) {
	s, err := New(1, hk(100), hk(0), amm.NewPool(1e12, 1e12), 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Hyperparameters.SetMaxAllowedUids(OriginRoot, 128, s.N()); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMechanismCount(OriginRoot, 2, DefaultMaxMechanismCount); err != nil {
		t.Fatal(err)
	}
	for i := uint64(1); i < 4; i++ {
		s.appendNeuron(hk(i), hk(100+i), 1+i)
	}
	row := func(cells ...uint16) []consensus.Entry {
		var r []consensus.Entry
		for k := 0; k < len(cells); k += 2 {
			r = append(r, consensus.Entry{UID: units.UID(cells[k]), Value: cells[k+1]})
		}
		return r
	}
	for m := range 2 {
		s.bonds[m] = [][]consensus.Entry{row(1, 10, 2, 20), row(2, 30), row(1, 40, 3, 50), nil}
	}
	if !s.replaceNeuron(2, hk(9), hk(109), 50) {
		t.Fatal("uid 2 not replaced")
	}
	for m := range uint8(2) {
		got := s.Bonds(m)
		want := [][]consensus.Entry{row(1, 10, 2, 20), row(2, 30), nil, nil}
		for i := range want {
			if !slices.Equal(got[i], want[i]) {
				t.Errorf("mechanism %d bonds row %d = %v, want %v", m, i, got[i], want[i])
			}
		}
	}
	if err := s.SetMechanismCount(OriginRoot, 1, DefaultMaxMechanismCount); err != nil {
		t.Fatal(err)
	}
	if s.Bonds(1) != nil {
		t.Errorf("removed mechanism keeps bonds %v", s.Bonds(1))
	}
}
