package subnet

import (
	"errors"
	"slices"
	"sort"
	"testing"

	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// modelImmortal is get_immune_owner_tuples written the chain's way: sort,
// truncate, insert, truncate.
func modelImmortal(ns []Neuron, limit uint16) []units.UID {
	var owned []Neuron
	owner := -1
	for i, n := range ns {
		if n.OwnedBySubnetOwner {
			owned = append(owned, n)
		}
		if n.IsOwnerHotkey {
			owner = i
		}
	}
	sort.Slice(owned, func(i, j int) bool {
		if owned[i].BlockAtRegistration != owned[j].BlockAtRegistration {
			return owned[i].BlockAtRegistration < owned[j].BlockAtRegistration
		}
		return owned[i].UID < owned[j].UID
	})
	if len(owned) > int(limit) {
		owned = owned[:limit]
	}
	list := []units.UID{}
	for _, n := range owned {
		list = append(list, n.UID)
	}
	if owner >= 0 && !slices.Contains(list, ns[owner].UID) {
		list = append([]units.UID{ns[owner].UID}, list...)
		if len(list) > int(limit) {
			list = list[:limit]
		}
	}
	return list
}

// modelPrune is get_neuron_to_prune iterating uids 0..n-1 as the chain does.
func modelPrune(ns []Neuron, block uint64, p PruneParams) (units.UID, bool) {
	im := modelImmortal(ns, p.ImmuneOwnerUidsLimit)
	byUID := make([]Neuron, len(ns))
	for _, n := range ns {
		byUID[n.UID] = n
	}
	type key struct {
		e   units.Alpha
		b   uint64
		uid units.UID
	}
	less := func(a, b key) bool {
		if a.e != b.e {
			return a.e < b.e
		}
		if a.b != b.b {
			return a.b < b.b
		}
		return a.uid < b.uid
	}
	var free uint16
	var bestFree, bestImmune *key
	for _, n := range byUID {
		if slices.Contains(im, n.UID) {
			continue
		}
		k := key{n.Emission, n.BlockAtRegistration, n.UID}
		var age uint64 // saturating_sub
		if block > n.BlockAtRegistration {
			age = block - n.BlockAtRegistration
		}
		immune := age < uint64(p.ImmunityPeriod)
		if immune {
			if bestImmune == nil || less(k, *bestImmune) {
				bestImmune = &k
			}
		} else {
			free++
			if bestFree == nil || less(k, *bestFree) {
				bestFree = &k
			}
		}
	}
	if bestFree != nil && free > p.MinNonImmuneUids {
		return bestFree.uid, true
	}
	if bestImmune != nil {
		return bestImmune.uid, true
	}
	return 0, false
}

func genNeurons(t *rapid.T) []Neuron {
	n := rapid.IntRange(0, 40).Draw(t, "n")
	ns := make([]Neuron, n)
	owner := -1
	if n > 0 && rapid.Bool().Draw(t, "has_owner") {
		owner = rapid.IntRange(0, n-1).Draw(t, "owner")
	}
	for i := range ns {
		ns[i] = Neuron{
			UID:                 units.UID(i),
			BlockAtRegistration: rapid.Uint64Range(0, 30).Draw(t, "block"),
			Emission:            units.Alpha(rapid.Uint64Range(0, 5).Draw(t, "emission")),
			OwnedBySubnetOwner:  rapid.Bool().Draw(t, "owned"),
			IsOwnerHotkey:       i == owner,
		}
	}
	perm := rapid.Permutation(ns).Draw(t, "order")
	return perm
}

func genPruneParams(t *rapid.T) PruneParams {
	return PruneParams{
		ImmunityPeriod:       rapid.Uint16Range(0, 40).Draw(t, "immunity"),
		ImmuneOwnerUidsLimit: rapid.Uint16Range(0, 30).Draw(t, "limit"),
		MinNonImmuneUids:     rapid.Uint16Range(0, 12).Draw(t, "min_free"),
	}
}

// TestPruneMatchesModel: NeuronToPrune and ImmuneOwnerUIDs agree with the
// chain-shaped model, errors included; the answer is never immortal and
// does not depend on the order neurons are listed in.
func TestPruneMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ns := genNeurons(t)
		p := genPruneParams(t)
		block := rapid.Uint64Range(0, 60).Draw(t, "block")
		im, err := ImmuneOwnerUIDs(nil, ns, p.ImmuneOwnerUidsLimit)
		if err != nil {
			t.Fatal(err)
		}
		if want := modelImmortal(ns, p.ImmuneOwnerUidsLimit); !slices.Equal(im, want) {
			t.Fatalf("ImmuneOwnerUIDs = %v, model %v", im, want)
		}
		uid, err := NeuronToPrune(ns, block, p)
		want, ok := modelPrune(ns, block, p)
		switch {
		case !ok && !errors.Is(err, ErrNoNeuronIdAvailable):
			t.Fatalf("err = %v, uid %d; model has none", err, uid)
		case ok && (err != nil || uid != want):
			t.Fatalf("NeuronToPrune = %d, %v; model %d", uid, err, want)
		}
		if err == nil && slices.Contains(im, uid) {
			t.Fatalf("pruned immortal uid %d (immortal %v)", uid, im)
		}
		shuffled := rapid.Permutation(ns).Draw(t, "reorder")
		uid2, err2 := NeuronToPrune(shuffled, block, p)
		if uid2 != uid || !errors.Is(err2, err) && err2 != err {
			t.Fatalf("order changed the answer: %d, %v vs %d, %v", uid, err, uid2, err2)
		}
	})
}

// TestPruneErrorExactly: ErrNoNeuronIdAvailable exactly when there is no
// neuron, every neuron is immortal, or no neuron is immune while the
// non-immune ones number at most MinNonImmuneUids.
func TestPruneErrorExactly(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ns := genNeurons(t)
		p := genPruneParams(t)
		block := rapid.Uint64Range(0, 60).Draw(t, "block")
		im, _ := ImmuneOwnerUIDs(nil, ns, p.ImmuneOwnerUidsLimit)
		var free, immune int
		for _, n := range ns {
			if slices.Contains(im, n.UID) {
				continue
			}
			if NeuronIsImmune(n.BlockAtRegistration, block, p.ImmunityPeriod) {
				immune++
			} else {
				free++
			}
		}
		wantErr := immune == 0 && free <= int(p.MinNonImmuneUids)
		_, err := NeuronToPrune(ns, block, p)
		if wantErr != errors.Is(err, ErrNoNeuronIdAvailable) {
			t.Fatalf("err = %v, want error %v (free %d, immune %d)", err, wantErr, free, immune)
		}
	})
}

// TestPruneChainTests ports the assertions of registration.rs and uids.rs
// (the same states as testdata/prune.jsonl).
func TestPruneChainTests(t *testing.T) {
	n := func(uid units.UID, block uint64, e units.Alpha, owned, owner bool) Neuron {
		return Neuron{UID: uid, BlockAtRegistration: block, Emission: e, OwnedBySubnetOwner: owned, IsOwnerHotkey: owner}
	}
	for _, c := range []struct {
		name  string
		ns    []Neuron
		block uint64
		p     PruneParams
		want  units.UID
		err   error
	}{
		{"test_registration_get_uid_to_prune_all_in_immunity_period", []Neuron{n(0, 0, 100, false, false), n(1, 1, 110, false, false)}, 1, PruneParams{2, 0, 0}, 0, nil},
		{"test_registration_get_uid_to_prune_none_in_immunity_period", []Neuron{n(0, 0, 100, false, false), n(1, 1, 110, false, false)}, 4, PruneParams{2, 0, 0}, 0, nil},
		{"test_registration_get_uid_to_prune_owner_immortality limit 1", []Neuron{n(0, 1, 0, true, true), n(1, 1, 0, true, false), n(2, 2, 1, false, false)}, 11, PruneParams{1, 1, 0}, 1, nil},
		{"test_registration_get_uid_to_prune_owner_immortality limit 2", []Neuron{n(0, 11, 0, true, true), n(1, 1, 0, true, false), n(2, 2, 1, false, false)}, 21, PruneParams{1, 2, 0}, 2, nil},
		{"test_registration_pruning", []Neuron{n(0, 850, 10, false, false), n(1, 800, 10, false, false), n(2, 990, 1, false, false)}, 1000, PruneParams{100, 0, 0}, 1, nil},
		{"test_get_neuron_to_prune_owner_pruned_if_not_in_sn_owner_hotkey_map case 2", []Neuron{n(0, 1, 0, true, false), n(1, 1, 1, true, true), n(2, 1, 2, false, false), n(3, 1, 3, false, false)}, 1, PruneParams{5000, 1, 0}, 0, nil},
		{"test_prune_respects_min_non_immune_floor_prefers_immune", []Neuron{n(0, 1, 0, false, false), n(1, 2, 0, false, false), n(2, 3, 0, false, false), n(3, 1009, 0, false, false)}, 1009, PruneParams{1000, 0, 3}, 3, nil},
		{"test_prune_all_owner_immortal_returns_none", []Neuron{n(0, 1, 0, true, false), n(1, 1, 0, true, false), n(2, 1, 0, true, false)}, 1, PruneParams{5000, 10, 10}, 0, ErrNoNeuronIdAvailable},
	} {
		got, err := NeuronToPrune(c.ns, c.block, c.p)
		if !errors.Is(err, c.err) || (c.err == nil && got != c.want) {
			t.Errorf("%s: %d, %v; want %d, %v", c.name, got, err, c.want, c.err)
		}
	}
}

func TestPruneInvalidNeurons(t *testing.T) {
	for name, ns := range map[string][]Neuron{
		"gap":        {{UID: 0}, {UID: 2}},
		"duplicate":  {{UID: 1}, {UID: 1}},
		"two owners": {{UID: 0, IsOwnerHotkey: true}, {UID: 1, IsOwnerHotkey: true}},
	} {
		if _, err := NeuronToPrune(ns, 0, PruneParams{}); !errors.Is(err, ErrInvalidNeurons) {
			t.Errorf("%s: NeuronToPrune err = %v", name, err)
		}
		if _, err := ImmuneOwnerUIDs(nil, ns, 1); !errors.Is(err, ErrInvalidNeurons) {
			t.Errorf("%s: ImmuneOwnerUIDs err = %v", name, err)
		}
	}
	if _, err := NeuronToPrune(make([]Neuron, 1<<16+1), 0, PruneParams{}); !errors.Is(err, ErrInvalidNeurons) {
		t.Errorf("65537 neurons: %v", err)
	}
}

func TestNeuronIsImmune(t *testing.T) {
	for _, c := range []struct {
		reg, cur uint64
		period   uint16
		want     bool
	}{{0, 9, 10, true}, {0, 10, 10, false}, {50, 10, 1, true}, {50, 10, 0, false}, {0, 1 << 63, 65_535, false}} {
		if got := NeuronIsImmune(c.reg, c.cur, c.period); got != c.want {
			t.Errorf("NeuronIsImmune(%d, %d, %d) = %v", c.reg, c.cur, c.period, got)
		}
	}
}

func fullSubnet() []Neuron {
	ns := make([]Neuron, 256)
	for i := range ns {
		ns[i] = Neuron{UID: units.UID(255 - i), BlockAtRegistration: uint64(i * 7 % 100), Emission: units.Alpha(i % 13), OwnedBySubnetOwner: i%50 == 0}
	}
	ns[100].IsOwnerHotkey = true
	return ns
}

func TestPruneAllocs(t *testing.T) {
	ns := fullSubnet()
	p := PruneParams{ImmunityPeriod: 50, ImmuneOwnerUidsLimit: 3, MinNonImmuneUids: 10}
	buf := make([]units.UID, 0, 16)
	if n := testing.AllocsPerRun(20, func() { _, _ = NeuronToPrune(ns, 120, p) }); n != 0 {
		t.Errorf("NeuronToPrune allocates %v times", n)
	}
	if n := testing.AllocsPerRun(20, func() { buf, _ = ImmuneOwnerUIDs(buf, ns, p.ImmuneOwnerUidsLimit) }); n != 0 {
		t.Errorf("ImmuneOwnerUIDs allocates %v times", n)
	}
}

func BenchmarkNeuronToPrune(b *testing.B) {
	ns := fullSubnet()
	p := PruneParams{ImmunityPeriod: 50, ImmuneOwnerUidsLimit: 3, MinNonImmuneUids: 10}
	for b.Loop() {
		_, _ = NeuronToPrune(ns, 120, p)
	}
}
