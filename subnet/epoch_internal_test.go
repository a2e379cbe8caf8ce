package subnet

import (
	"math/rand/v2"
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

// refStoreBonds is storeMechanism's bonds part as it was before the
// contiguous buffer: each row copied into its predecessor's room.
func refStoreBonds(rows, bonds [][]consensus.Entry) [][]consensus.Entry {
	if cap(rows) >= len(bonds) {
		rows = rows[:len(bonds)]
	} else {
		rows = append(rows[:cap(rows)], make([][]consensus.Entry, len(bonds)-cap(rows))...)
	}
	for i, b := range bonds {
		rows[i] = append(rows[i][:0], b...)
	}
	return rows
}

// randomBonds draws up to 12 rows of up to 6 cells, some rows nil and
// some empty but not nil.
func randomBonds(r *rand.Rand) [][]consensus.Entry {
	rows := make([][]consensus.Entry, r.IntN(13))
	for i := range rows {
		switch r.IntN(4) {
		case 0: // nil
		case 1:
			rows[i] = []consensus.Entry{}
		default:
			for range 1 + r.IntN(6) {
				rows[i] = append(rows[i], consensus.Entry{UID: units.UID(r.IntN(300)), Value: uint16(r.Uint32())})
			}
		}
	}
	return rows
}

// sameRows reports whether a and b hold the same rows, a nil row only
// where the other's is nil.
func sameRows(a, b [][]consensus.Entry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if (a[i] == nil) != (b[i] == nil) || !slices.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// TestStoreMechanismMatchesReference: over sequences of random epochs'
// bonds (with rows cleared as replace_neuron clears them, and clones taken
// and stored into in between), storeMechanism stores what refStoreBonds
// stores, nil rows included; each stored row's capacity is its length (an
// append cannot reach the next row); and no row of one subnet shares
// memory with a row of its clone, or with the epoch's output.
func TestStoreMechanismMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 2))
	for range 200 {
		s := &Subnet{}
		var ref [][]consensus.Entry
		var clones []*Subnet
		var cloneRef [][][]consensus.Entry
		for range 8 {
			bonds := randomBonds(r)
			s.storeMechanism(0, nil, bonds)
			ref = refStoreBonds(ref, bonds)
			if !sameRows(s.bonds[0], ref) {
				t.Fatalf("stored %v, reference %v", s.bonds[0], ref)
			}
			for i, row := range s.bonds[0] {
				if cap(row) != len(row) {
					t.Fatalf("row %d: capacity %d, length %d", i, cap(row), len(row))
				}
				if len(row) > 0 && len(bonds[i]) > 0 && &row[0] == &bonds[i][0] {
					t.Fatalf("row %d aliases the epoch's output", i)
				}
			}
			if r.IntN(3) == 0 && len(ref) > 0 { // replace_neuron clears a row
				i := r.IntN(len(ref))
				s.bonds[0][i], ref[i] = nil, nil
			}
			if r.IntN(3) == 0 {
				c := s.Clone()
				clones = append(clones, c)
				cloneRef = append(cloneRef, cloneRows(ref))
				other := randomBonds(r)
				c.storeMechanism(0, nil, other)
				cloneRef[len(cloneRef)-1] = refStoreBonds(cloneRef[len(cloneRef)-1], other)
			}
		}
		if !sameRows(s.bonds[0], ref) {
			t.Fatalf("stored %v, reference %v", s.bonds[0], ref)
		}
		for k, c := range clones {
			if !sameRows(c.bonds[0], cloneRef[k]) {
				t.Fatalf("clone %d: stored %v, reference %v (changed by the original's epochs)", k, c.bonds[0], cloneRef[k])
			}
			if len(c.bondCells[0].cells) > 0 && len(s.bondCells[0].cells) > 0 && &c.bondCells[0].cells[0] == &s.bondCells[0].cells[0] {
				t.Fatalf("clone %d shares the original's bond buffer", k)
			}
		}
	}
}

// TestStoreMechanismShallowCopy: a copy of the Subnet value (c := *s, as
// Clone begins, here with only the bond rows copied after it) that stores
// bonds of its own does not write into the rows of the subnet it was
// copied from, though it carries the same buffer, nor does the subnet's
// next store write into the copy's.
func TestStoreMechanismShallowCopy(t *testing.T) {
	row := func(u units.UID, v uint16) []consensus.Entry { return []consensus.Entry{{UID: u, Value: v}} }
	s := &Subnet{}
	s.storeMechanism(0, nil, [][]consensus.Entry{row(1, 10), row(2, 20)})
	c := *s
	c.bonds[0] = cloneRows(s.bonds[0])
	c.storeMechanism(0, nil, [][]consensus.Entry{row(3, 30), row(4, 40)})
	want := [][]consensus.Entry{row(1, 10), row(2, 20)}
	if !sameRows(s.bonds[0], want) {
		t.Fatalf("the copy's store changed the subnet's bonds to %v", s.bonds[0])
	}
	s.storeMechanism(0, nil, [][]consensus.Entry{row(5, 50), row(6, 60)})
	if want := [][]consensus.Entry{row(3, 30), row(4, 40)}; !sameRows(c.bonds[0], want) {
		t.Fatalf("the subnet's store changed the copy's bonds to %v", c.bonds[0])
	}
}

// TestStoreMechanismAllocs: storing bonds no larger than the last ones
// reuses the subnet's buffer.
func TestStoreMechanismAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	bonds := randomBonds(r)
	for len(bonds) == 0 {
		bonds = randomBonds(r)
	}
	s := &Subnet{}
	s.storeMechanism(0, nil, bonds)
	if a := testing.AllocsPerRun(50, func() { s.storeMechanism(0, nil, bonds) }); a != 0 {
		t.Fatalf("storeMechanism allocates %v times per run", a)
	}
}
