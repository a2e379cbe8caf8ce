package dtao

import (
	"testing"
	"unsafe"
)

// TestSubnetStateBlockFieldsLines checks the layout SubnetState's comment
// describes, at the addresses of states the heap holds (NewLedger and the
// subnets Ledger.step walks): what the block's walk reads and writes lies
// in three cache lines, the coinbase input's Pool and MinerBurned in the
// first, MovingPrice, the flags, ProtocolAlpha and the pending buckets in
// the second, AlphaBurned, the Schedule, FirstEmissionBlock and
// EMAPriceHalvingBlocks in the third, and the objects lie on 64-byte
// boundaries.
func TestSubnetStateBlockFieldsLines(t *testing.T) {
	var zero SubnetState
	if size := unsafe.Sizeof(zero); size <= 288 || size > 320 {
		t.Fatalf("SubnetState is %d bytes, outside the 320-byte size class", size)
	}
	l := steppingNetwork(t)
	if len(l.subnets) < 3 {
		t.Fatalf("%d subnets", len(l.subnets))
	}
	for id, s := range l.subnets {
		base := uintptr(unsafe.Pointer(s))
		if base%64 != 0 {
			t.Errorf("netuid %d: SubnetState at %#x, not on a cache line", id, base)
		}
		line := func(p unsafe.Pointer, size uintptr) [2]uintptr {
			return [2]uintptr{(uintptr(p) - base) / 64, (uintptr(p) - base + size - 1) / 64}
		}
		want := []struct {
			name string
			line uintptr
			at   [2]uintptr
		}{
			{"Pool", 0, line(unsafe.Pointer(&s.Pool), unsafe.Sizeof(s.Pool))},
			{"MinerBurned", 0, line(unsafe.Pointer(&s.MinerBurned), unsafe.Sizeof(s.MinerBurned))},
			{"MovingPrice", 1, line(unsafe.Pointer(&s.MovingPrice), unsafe.Sizeof(s.MovingPrice))},
			{"PendingServer", 1, line(unsafe.Pointer(&s.PendingServer), 8)},
			{"PendingValidator", 1, line(unsafe.Pointer(&s.PendingValidator), 8)},
			{"PendingRoot", 1, line(unsafe.Pointer(&s.PendingRoot), 8)},
			{"PendingOwnerCut", 1, line(unsafe.Pointer(&s.PendingOwnerCut), 8)},
			{"ProtocolAlpha", 1, line(unsafe.Pointer(&s.ProtocolAlpha), 8)},
			{"SubtokenEnabled", 1, line(unsafe.Pointer(&s.SubtokenEnabled), 1)},
			{"Started", 1, line(unsafe.Pointer(&s.Started), 1)},
			{"EmissionDisabled", 1, line(unsafe.Pointer(&s.EmissionDisabled), 1)},
			{"AlphaBurned", 2, line(unsafe.Pointer(&s.AlphaBurned), 8)},
			{"Schedule", 2, line(unsafe.Pointer(&s.Schedule), unsafe.Sizeof(s.Schedule))},
			{"FirstEmissionBlock", 2, line(unsafe.Pointer(&s.FirstEmissionBlock), 8)},
			{"EMAPriceHalvingBlocks", 2, line(unsafe.Pointer(&s.EMAPriceHalvingBlocks), 8)},
		}
		for _, f := range want {
			if f.at != [2]uintptr{f.line, f.line} {
				t.Errorf("netuid %d: %s in lines %v of the state, want %d", id, f.name, f.at, f.line)
			}
		}
	}
}

// TestStepSubnetLayout checks that an entry of the block's subnet list is
// 32 bytes (stepSubnet's comment), two to a cache line.
func TestStepSubnetLayout(t *testing.T) {
	if size := unsafe.Sizeof(stepSubnet{}); size != 32 {
		t.Fatalf("stepSubnet is %d bytes, want 32", size)
	}
}
