package subnet

import (
	"testing"
	"unsafe"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// TestSubnetBlockFieldsLines checks the layout the ledger's per-block
// walk and the set_weights calls rely on (the Subnet struct's comments),
// at the addresses of subnets the heap holds (New, FromStorage, Clone):
// the hyperparameters the block reads (the coinbase's
// NetworkRegistrationAllowed and OwnerCutEnabled, Step's BurnHalfLife,
// MinBurn and MaxBurn) share one cache line, and what Step reads and
// writes besides (Burn, RegistrationsThisBlock and the decay factor's
// cache) another; a set_weights call's Weights, hotkeys, uidSlots and
// validatorPermit lie within two lines.
func TestSubnetBlockFieldsLines(t *testing.T) {
	s0, err := New(1, units.AccountID{1}, units.AccountID{2}, amm.NewPool(1_000_000_000, 1_000_000_000), 1)
	if err != nil {
		t.Fatal(err)
	}
	s1, err := FromStorage(s0.Storage())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Subnet{s0, s1, s0.Clone()} {
		line := func(p unsafe.Pointer, size uintptr) [2]uintptr {
			return [2]uintptr{uintptr(p) / 64, (uintptr(p) + size - 1) / 64}
		}
		h := &s.Hyperparameters
		hot := [][2]uintptr{
			line(unsafe.Pointer(&h.NetworkRegistrationAllowed), 1),
			line(unsafe.Pointer(&h.BurnHalfLife), 2),
			line(unsafe.Pointer(&h.MinBurn), 8),
			line(unsafe.Pointer(&h.MaxBurn), 8),
			line(unsafe.Pointer(&h.OwnerCutEnabled), 1),
		}
		for i, l := range hot {
			if l[0] != hot[0][0] || l[1] != hot[0][0] {
				t.Errorf("hyperparameter %d in lines %v, not %d", i, l, hot[0][0])
			}
		}
		burn := [][2]uintptr{
			line(unsafe.Pointer(&s.Burn), 8),
			line(unsafe.Pointer(&s.RegistrationsThisBlock), 2),
			line(unsafe.Pointer(&s.decayHalfLife), 2),
			line(unsafe.Pointer(&s.decayFactor), 4),
		}
		for i, l := range burn {
			if l[0] != burn[0][0] || l[1] != burn[0][0] {
				t.Errorf("Step's field %d in lines %v, not %d", i, l, burn[0][0])
			}
		}
		first := line(unsafe.Pointer(&s.Weights), 1)[0]
		last := line(unsafe.Pointer(&s.validatorPermit), unsafe.Sizeof(s.validatorPermit))[1]
		if last-first > 1 {
			t.Errorf("set_weights' fields span lines %d to %d", first, last)
		}
	}
}
