package subnet

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// The straightforward implementations the fast paths replaced, kept as
// references for the differential tests below.

// refMaxUpscaleWeights is vec_u16_max_upscale_to_u16 (epoch/math.rs) step
// by step in I32F32.
func refMaxUpscaleWeights(values []uint16) []uint16 {
	var out []uint16
	var mx uint16
	for _, v := range values {
		mx = max(mx, v)
	}
	m := fixed.I32F32FromUint64(uint64(mx))
	scale := u16m.SafeDiv(m)
	for _, v := range values {
		x := fixed.I32F32FromUint64(uint64(v))
		var r fixed.I32F32
		switch {
		case mx == 0:
			r = x.SaturatingMul(u16m)
		case mx > 32768:
			r = x.SaturatingMul(scale).Round()
		default:
			r = x.SaturatingMul(u16m).SafeDiv(m).Round()
		}
		out = append(out, r.SaturatingToUint16())
	}
	return out
}

// refHasDuplicates is has_duplicate_uids with a map.
func refHasDuplicates(uids []uint16) bool {
	seen := map[uint16]bool{}
	for _, u := range uids {
		if seen[u] {
			return true
		}
		seen[u] = true
	}
	return false
}

// dupOf is hasDuplicates with the largest uid found as checkWeights finds it.
func dupOf(u []uint16) bool {
	mx, _ := maxUID(u)
	return hasDuplicates(u, mx)
}

// byHotkeyUIDs returns the uids of byHotkey.
func byHotkeyUIDs(s *Subnet) []units.UID {
	out := make([]units.UID, 0, len(s.byHotkey))
	for _, k := range s.byHotkey {
		out = append(out, k.uid)
	}
	return out
}

// refUID is Uids by a scan of Keys.
func refUID(s *Subnet, hotkey units.AccountID) (units.UID, bool) {
	for i := range s.hotkeys {
		if s.hotkeys[i] == hotkey {
			return units.UID(i), true
		}
	}
	return 0, false
}

// refHotkeyEmissions is epoch_with_mechanisms's output built uid by uid
// and sorted by hotkey bytes.
func refHotkeyEmissions(s *Subnet, server, validator []units.Alpha) []HotkeyEmission {
	var dst []HotkeyEmission
	for uid, hk := range s.hotkeys {
		dst = append(dst, HotkeyEmission{Hotkey: hk, Incentive: server[uid], Dividend: validator[uid]})
	}
	slices.SortFunc(dst, func(a, b HotkeyEmission) int { return bytes.Compare(a.Hotkey[:], b.Hotkey[:]) })
	return dst
}

// upscaleOne is one value v of a vector whose largest is mx, both ways.
func upscaleOne(v, mx uint16) (fast, ref uint16) {
	in := []uint16{v, mx}
	return MaxUpscaleWeights(nil, in)[0], refMaxUpscaleWeights(in)[0]
}

// MaxUpscaleWeights's integer steps give the I32F32 steps' bits: every v
// for the maxima at the case boundaries and the extremes (including the
// ties of the rounding), a random sample of maxima, and random vectors.
func TestMaxUpscaleWeightsMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	maxima := []uint16{0, 1, 2, 3, 4, 5, 7, 255, 256, 257, 1000, 16384, 32767, 32768, 32769, 32770,
		40000, 43690, 65533, 65534, 65535}
	for range 40 {
		maxima = append(maxima, uint16(r.UintN(65536)))
	}
	for _, mx := range maxima {
		for v := range uint32(mx) + 1 {
			if f, g := upscaleOne(uint16(v), mx); f != g {
				t.Fatalf("v %d max %d: %d, reference %d", v, mx, f, g)
			}
		}
	}
	for range 20000 {
		in := make([]uint16, 1+r.IntN(64))
		bound := uint32(1) << r.UintN(17)
		for i := range in {
			in[i] = uint16(r.Uint32N(bound))
		}
		if got, want := MaxUpscaleWeights(nil, in), refMaxUpscaleWeights(in); !slices.Equal(got, want) {
			t.Fatalf("%v: %v, reference %v", in, got, want)
		}
	}
	if got := MaxUpscaleWeights(nil, nil); len(got) != 0 {
		t.Fatalf("empty: %v", got)
	}
}

func FuzzMaxUpscaleWeights(f *testing.F) {
	f.Add(uint16(1), uint16(2))
	f.Add(uint16(16384), uint16(32768))
	f.Add(uint16(16385), uint16(32769))
	f.Add(uint16(0), uint16(0))
	f.Add(uint16(65535), uint16(65535))
	f.Fuzz(func(t *testing.T, v, mx uint16) {
		v = min(v, mx)
		if f, g := upscaleOne(v, mx); f != g {
			t.Fatalf("v %d max %d: %d, reference %d", v, mx, f, g)
		}
	})
}

// hasDuplicates agrees with a map on random lists whose uids fall in each
// bitmap tier, lists straddling the tiers' bounds, and the edge cases.
func TestHasDuplicatesMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	cases := [][]uint16{nil, {0}, {0, 0}, {255, 255}, {255, 256}, {256, 256}, {4095, 4095},
		{4095, 4096}, {4096, 4096}, {65535, 65535}, {65535, 0, 65535}, {0, 65535, 1}, {1, 255, 4095, 65535, 1}}
	for range 20000 {
		u := make([]uint16, r.IntN(40))
		bound := []uint32{8, 256, 257, 4096, 4097, 65536}[r.IntN(6)]
		for i := range u {
			u[i] = uint16(r.Uint32N(bound))
		}
		cases = append(cases, u)
	}
	for _, u := range cases {
		if got, want := dupOf(u), refHasDuplicates(u); got != want {
			t.Fatalf("%v: %v, reference %v", u, got, want)
		}
	}
}

func FuzzHasDuplicates(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{255, 0, 0, 1, 255, 0})
	f.Add([]byte{255, 255, 0, 0, 255, 255})
	f.Fuzz(func(t *testing.T, b []byte) {
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
		if got, want := dupOf(u), refHasDuplicates(u); got != want {
			t.Fatalf("%v: %v, reference %v", u, got, want)
		}
	})
}

// checkByHotkey fails unless byHotkey is the uids sorted by hotkey, UID
// agrees with a scan for every hotkey and for absent ones, and the epoch's
// output lines are the reference's.
func checkByHotkey(tb testing.TB, s *Subnet, absent ...units.AccountID) {
	tb.Helper()
	want := make([]units.UID, len(s.hotkeys))
	for i := range want {
		want[i] = units.UID(i)
	}
	slices.SortFunc(want, func(a, b units.UID) int { return bytes.Compare(s.hotkeys[a][:], s.hotkeys[b][:]) })
	if got := byHotkeyUIDs(s); !slices.Equal(got, want) {
		tb.Fatalf("byHotkey %v, want %v", got, want)
	}
	for _, k := range s.byHotkey {
		if k.prefix != binary.BigEndian.Uint64(s.hotkeys[k.uid][:8]) {
			tb.Fatalf("uid %d: prefix %x of hotkey %x", k.uid, k.prefix, s.hotkeys[k.uid][:8])
		}
	}
	for _, h := range append(slices.Clone(s.hotkeys), absent...) {
		uid, ok := s.UID(h)
		ruid, rok := refUID(s, h)
		if uid != ruid || ok != rok {
			tb.Fatalf("UID(%x) = %d %v, scan %d %v", h[:2], uid, ok, ruid, rok)
		}
	}
	// ownerUID (uid 0 checked first) is the scan's uid of the owner hotkey,
	// wherever that is registered, if at all.
	owner, has := s.OwnerHotkey, s.HasOwnerHotkey
	for _, h := range append([]units.AccountID{owner, s.hotkeys[0], s.hotkeys[len(s.hotkeys)/2]}, absent...) {
		s.OwnerHotkey, s.HasOwnerHotkey = h, true
		uid, ok := s.ownerUID()
		ruid, rok := refUID(s, h)
		if uid != ruid || ok != rok {
			tb.Fatalf("ownerUID with owner hotkey %x = %d %v, scan %d %v", h[:2], uid, ok, ruid, rok)
		}
		// The weight rules' owner test (the subnet's hotkey at the uid)
		// is get_owner_uid's answer for every uid.
		env := s.weightEnv(0, 0)
		for u := range s.hotkeys {
			if got, want := env.isOwner(units.UID(u)), rok && units.UID(u) == ruid; got != want {
				tb.Fatalf("owner hotkey %x: isOwner(%d) = %v, want %v", h[:2], u, got, want)
			}
		}
	}
	s.HasOwnerHotkey = false
	if _, ok := s.ownerUID(); ok {
		tb.Fatal("ownerUID without an owner hotkey")
	}
	for u := range s.hotkeys {
		if env := s.weightEnv(0, 0); env.isOwner(units.UID(u)) {
			tb.Fatalf("isOwner(%d) without an owner hotkey", u)
		}
	}
	s.OwnerHotkey, s.HasOwnerHotkey = owner, has
	server, validator := make([]units.Alpha, len(s.hotkeys)), make([]units.Alpha, len(s.hotkeys))
	for i := range server {
		server[i], validator[i] = units.Alpha(3*i+1), units.Alpha(5*i+2)
	}
	lines := s.hotkeyEmissions(nil, server, validator)
	if ref := refHotkeyEmissions(s, server, validator); !slices.Equal(lines, ref) {
		tb.Fatalf("hotkeyEmissions %v, reference %v", lines, ref)
	}
	order := s.UIDsByHotkey(nil)
	for i, line := range lines {
		if uid, _ := refUID(s, line.Hotkey); order[i] != uid {
			tb.Fatalf("line %d: UIDsByHotkey says uid %d, the hotkey is at %d", i, order[i], uid)
		}
	}
}

// The uid order by hotkey follows appends, replacements (of any uid but
// the owner's), FromStorage and Clone, with hotkeys that share long
// prefixes (so the order is decided late in the bytes) and hash-like ones.
func TestByHotkeyMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	newKey := func() units.AccountID {
		var a units.AccountID
		if r.IntN(2) == 0 {
			a[31] = byte(r.UintN(256))
			a[30] = byte(r.UintN(4))
			a[0] = byte(r.UintN(2))
			return a
		}
		for i := range a {
			a[i] = byte(r.UintN(256))
		}
		return a
	}
	for round := range 30 {
		s, err := New(1, newKey(), newKey(), amm.NewPool(1e12, 1e12), 1)
		if err != nil {
			t.Fatal(err)
		}
		checkByHotkey(t, s, newKey())
		for step := range 300 {
			h := newKey()
			if _, dup := refUID(s, h); dup {
				continue
			}
			if s.N() < 64 && r.IntN(3) > 0 {
				s.appendNeuron(h, newKey(), uint64(step))
			} else {
				s.replaceNeuron(units.UID(r.IntN(int(s.N()))), h, newKey(), uint64(step))
			}
			if step%17 == 0 {
				checkByHotkey(t, s, newKey(), h)
			}
		}
		checkByHotkey(t, s, newKey())
		c := s.Clone()
		f, err := FromStorage(s.Storage())
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		checkByHotkey(t, f, newKey())
		if !slices.Equal(byHotkeyUIDs(f), byHotkeyUIDs(s)) {
			t.Fatal("FromStorage's order differs")
		}
		// Replacing on the clone leaves the original's order alone.
		before := byHotkeyUIDs(s)
		for range 20 {
			h := newKey()
			if _, dup := refUID(c, h); !dup {
				c.replaceNeuron(units.UID(1+r.IntN(int(c.N())-1)), h, newKey(), 9)
			}
		}
		checkByHotkey(t, c)
		checkByHotkey(t, s)
		if !slices.Equal(byHotkeyUIDs(s), before) {
			t.Fatal("a clone's replacements changed the original's order")
		}
	}
}

// SetWeights on the ledger benchmark's shape stores the reference's row
// and allocates nothing once the row is stored.
func TestSetWeightsLedgerShape(t *testing.T) {
	ls := newLedgerShape(t, 256, 64)
	s := ls.s
	block := uint64(1000)
	for i := range ls.v {
		who := Signer{Hotkey: s.hotkeys[i], Stake: 1}
		if err := s.SetWeights(Now{Block: block}, who, 0, ls.uids[i], ls.values[i], 0); err != nil {
			t.Fatal(err)
		}
		up := refMaxUpscaleWeights(ls.values[i])
		row := s.Weights.Row(0, units.UID(i))
		if len(row) != len(up) {
			t.Fatalf("uid %d: row %v", i, row)
		}
		for k, e := range row {
			if e.UID != units.UID(ls.uids[i][k]) || e.Value != up[k] {
				t.Fatalf("uid %d cell %d: %+v, want uid %d value %d", i, k, e, ls.uids[i][k], up[k])
			}
		}
		if got := s.Weights.LastUpdateFor(0, units.UID(i)); got != block {
			t.Fatalf("uid %d LastUpdate %d", i, got)
		}
	}
	i, block := 0, block+200
	allocs := testing.AllocsPerRun(100, func() {
		block += 2
		who := Signer{Hotkey: s.hotkeys[i], Stake: 1}
		if err := s.SetWeights(Now{Block: block}, who, 0, ls.uids[i], ls.values[i], 0); err != nil {
			t.Fatal(err)
		}
		i = (i + 1) % ls.v
	})
	if allocs != 0 {
		t.Fatalf("SetWeights allocates %v times per call", allocs)
	}
}

// BenchmarkMaxUpscaleWeights is the normalisation of one set_weights row
// of the ledger benchmark's shape (32 values up to 65535).
func BenchmarkMaxUpscaleWeights(b *testing.B) {
	r := rand.New(rand.NewPCG(17, 18))
	in := make([]uint16, 32)
	for i := range in {
		in[i] = uint16(1 + r.UintN(65535))
	}
	dst := make([]uint16, 0, 32)
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			dst = MaxUpscaleWeights(dst, in)
		}
	})
	b.Run("reference", func(b *testing.B) {
		for b.Loop() {
			dst = refMaxUpscaleWeights(in)
		}
	})
}

// compareKeys orders keys as bytes.Compare does, with keys that differ
// only in their first 8 bytes, only after them, and not at all.
func TestCompareKeysMatchesBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	for range 20000 {
		var a, b units.AccountID
		for i := range a {
			a[i] = byte(r.UintN(3))
		}
		b = a
		switch r.IntN(3) {
		case 0:
			b[r.IntN(8)] = byte(r.UintN(3))
		case 1:
			b[8+r.IntN(24)] = byte(r.UintN(3))
		}
		if got, want := compareKeys(&a, &b), bytes.Compare(a[:], b[:]); got != want {
			t.Fatalf("%x vs %x: %d, want %d", a, b, got, want)
		}
	}
}

func FuzzCompareKeys(f *testing.F) {
	f.Add(make([]byte, 64))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var a, b units.AccountID
		copy(a[:], raw)
		if len(raw) > 32 {
			copy(b[:], raw[32:])
		}
		if got, want := compareKeys(&a, &b), bytes.Compare(a[:], b[:]); got != want {
			t.Fatalf("%x vs %x: %d, want %d", a, b, got, want)
		}
	})
}
