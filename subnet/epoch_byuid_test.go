package subnet_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// linesOf are RunEpoch's lines built from RunEpochByUID's vectors as the
// ledger reads them: the uids in hotkey order, each with its hotkey and
// its server and validator emission.
func linesOf(s *subnet.Subnet, server, validator []units.Alpha) []subnet.HotkeyEmission {
	var lines []subnet.HotkeyEmission
	for _, uid := range s.UIDsByHotkey(nil) {
		h, _ := s.Hotkey(uid)
		lines = append(lines, subnet.HotkeyEmission{Hotkey: h, Incentive: server[uid], Dividend: validator[uid]})
	}
	return lines
}

// checkByUID compares RunEpoch on one subnet with RunEpochByUID on a twin
// in the same state: the same stored state after, the lines of the
// vectors are RunEpoch's, and UIDsWithEmission is the uids of the lines
// of positive emission, in order.
func checkByUID(t *testing.T, a, b *subnet.Subnet, at subnet.Now, e units.Alpha, stake subnet.StakeView) {
	t.Helper()
	var wa, wb subnet.Workspace
	want, err := a.RunEpoch(at, e, stake, &wa)
	if err != nil {
		t.Fatal(err)
	}
	server, validator, err := b.RunEpochByUID(at, e, stake, &wb)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Equal(b) {
		t.Fatal("RunEpochByUID stored another state than RunEpoch")
	}
	if got := linesOf(b, server, validator); !slices.Equal(got, want) {
		t.Fatalf("lines of the vectors %v, RunEpoch's %v", got, want)
	}
	var uids []units.UID
	order := b.UIDsByHotkey(nil)
	for i, l := range want {
		if l.Incentive != 0 || l.Dividend != 0 {
			uids = append(uids, order[i])
		}
	}
	if got := b.UIDsWithEmission(nil, server, validator); !slices.Equal(got, uids) {
		t.Fatalf("UIDsWithEmission %v, the uids of lines with emission %v", got, uids)
	}
}

// RunEpochByUID is RunEpoch but for the lines' form, over epochs without
// weights, with weights and with bonds carried, with one mechanism and
// with two.
func TestRunEpochByUIDIsRunEpoch(t *testing.T) {
	for _, mechs := range []uint8{1, 2} {
		const n = 12
		a, b := newNet(t, n, 5), newNet(t, n, 5)
		if mechs > 1 {
			for _, s := range []*subnet.Subnet{a.s, b.s} {
				if err := s.Hyperparameters.SetMaxAllowedUids(subnet.OriginRoot, 128, s.N()); err != nil {
					t.Fatal(err)
				}
				if err := s.SetMechanismCount(subnet.OriginRoot, mechs, subnet.DefaultMaxMechanismCount); err != nil {
					t.Fatal(err)
				}
			}
		}
		stake := stakeView(n)
		checkByUID(t, a.s, b.s, subnet.Now{Block: 50}, 1e12, stake)
		a.setWeights(t, 200, stake, rand.New(rand.NewPCG(1, 2)))
		b.setWeights(t, 200, stake, rand.New(rand.NewPCG(1, 2)))
		checkByUID(t, a.s, b.s, subnet.Now{Block: 300}, 7e11, stake)
		checkByUID(t, a.s, b.s, subnet.Now{Block: 700}, 5e11, stake)
		checkByUID(t, a.s, b.s, subnet.Now{Block: 1100}, 0, stake)
	}
}

// UIDsWithEmission on constructed vectors: all 0, all positive, only
// server, only validator, u64::MAX, and random ones with many zeros,
// against the uids in hotkey order filtered one by one.
func TestUIDsWithEmissionEdges(t *testing.T) {
	nt := newNet(t, 40, 8)
	s := nt.s
	n := int(s.N())
	order := s.UIDsByHotkey(nil)
	r := rand.New(rand.NewPCG(7, 8))
	for c := range 40 {
		server, validator := make([]units.Alpha, n), make([]units.Alpha, n)
		for i := range n {
			switch c {
			case 0:
			case 1:
				server[i], validator[i] = 1, 1
			case 2:
				server[i] = units.Alpha(i % 2)
			case 3:
				validator[i] = units.Alpha(i % 3)
			case 4:
				server[i], validator[i] = math.MaxUint64, math.MaxUint64*units.Alpha(i%2)
			default:
				if r.IntN(3) == 0 {
					server[i] = units.Alpha(r.Uint64N(1e9))
				}
				if r.IntN(4) == 0 {
					validator[i] = units.Alpha(r.Uint64())
				}
			}
		}
		var want []units.UID
		for _, uid := range order {
			if server[uid] > 0 || validator[uid] > 0 {
				want = append(want, uid)
			}
		}
		dst := []units.UID{99, 98}
		if got := s.UIDsWithEmission(dst, server, validator); !slices.Equal(got, want) {
			t.Fatalf("case %d: %v, want %v", c, got, want)
		}
	}
}

// FuzzUIDsWithEmission: the vectors of a 40-uid subnet from the fuzzer's
// bytes (a byte per uid and vector: 0, small, or near u64::MAX), against
// the uids in hotkey order filtered one by one.
func FuzzUIDsWithEmission(f *testing.F) {
	f.Add([]byte{0, 1, 2, 0xff, 0, 0, 7})
	f.Add(make([]byte, 80))
	nt := newNet(f, 40, 8)
	s := nt.s
	n := int(s.N())
	order := s.UIDsByHotkey(nil)
	f.Fuzz(func(t *testing.T, data []byte) {
		server, validator := make([]units.Alpha, n), make([]units.Alpha, n)
		for i := range 2 * n {
			if i >= len(data) {
				break
			}
			v := units.Alpha(data[i])
			if v >= 0x80 {
				v = math.MaxUint64 - v
			}
			if i < n {
				server[i] = v
			} else {
				validator[i-n] = v
			}
		}
		var want []units.UID
		for _, uid := range order {
			if server[uid] > 0 || validator[uid] > 0 {
				want = append(want, uid)
			}
		}
		if got := s.UIDsWithEmission(nil, server, validator); !slices.Equal(got, want) {
			t.Fatalf("%v, want %v", got, want)
		}
	})
}
