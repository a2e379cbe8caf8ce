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

// u16m is 65535 as an I32F32.
var u16m = fixed.I32F32FromUint64(65535)

// refUpscaleFactor is upscaleFor's factor as the chain computes it:
// 65535/mx in I32F32 (SafeDiv), its bits.
func refUpscaleFactor(mx uint16) uint64 {
	return uint64(u16m.SafeDiv(fixed.I32F32FromUint64(uint64(mx))).Bits())
}

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

// dupOf is the duplicate check as checkWeights makes it (scanUIDs),
// failing tb unless scanUIDs agrees with hasDuplicates given maxUID's
// largest uid, and with maxUID.
func dupOf(tb testing.TB, u []uint16) bool {
	tb.Helper()
	mx, _ := maxUID(u)
	dup, smx := scanUIDs(u)
	if smx != mx || dup != hasDuplicates(u, mx) {
		tb.Fatalf("%v: scanUIDs %v %d, hasDuplicates %v, maxUID %d", u, dup, smx, hasDuplicates(u, mx), mx)
	}
	return dup
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
		if got, want := dupOf(t, u), refHasDuplicates(u); got != want {
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
		if got, want := dupOf(t, u), refHasDuplicates(u); got != want {
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
	checkUIDIndex(tb, s)
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

// checkUIDIndex fails unless the uid index holds every uid once, under its
// hotkey's tag, in a power-of-two table at least twice N (and 8), each
// reachable from its hotkey's home slot without crossing an empty slot.
func checkUIDIndex(tb fataler, s *Subnet) {
	tb.Helper()
	size := len(s.uidSlots)
	if size < uidMinSlots || size < 2*len(s.hotkeys) || size&(size-1) != 0 {
		tb.Fatalf("%d slots for %d uids", size, len(s.hotkeys))
	}
	seen := make([]bool, len(s.hotkeys))
	for i, e := range s.uidSlots {
		if e == uidSlotEmpty {
			continue
		}
		uid := int(e&uidSlotUIDMask) - 1
		if uid >= len(s.hotkeys) || seen[uid] {
			tb.Fatalf("slot %d: uid %d out of range or twice", i, uid)
		}
		seen[uid] = true
		h := keyHash(&s.hotkeys[uid])
		if e>>16 != uint32(h>>48) {
			tb.Fatalf("slot %d: tag %x, hotkey's %x", i, e>>16, h>>48)
		}
		for j := int(h & uint64(size-1)); j != i; j = (j + 1) & (size - 1) {
			if s.uidSlots[j] == uidSlotEmpty {
				tb.Fatalf("uid %d at slot %d behind the empty slot %d", uid, i, j)
			}
		}
	}
	for uid, ok := range seen {
		if !ok {
			tb.Fatalf("uid %d missing from the index", uid)
		}
	}
}

// collidingKeys returns two distinct hotkeys whose hashes agree in the
// index's tag and in their home slot in a table of uidMinSlots slots.
func collidingKeys(tb testing.TB) (units.AccountID, units.AccountID) {
	tb.Helper()
	r := rand.New(rand.NewPCG(21, 22))
	seen := map[uint64]units.AccountID{}
	for range 1 << 16 {
		var k units.AccountID
		binary.LittleEndian.PutUint64(k[24:], r.Uint64())
		k[0] = 0xc0
		h := keyHash(&k)
		c := h>>48<<8 | h&(uidMinSlots-1)
		if o, ok := seen[c]; ok && o != k {
			return o, k
		}
		seen[c] = k
	}
	tb.Fatal("no colliding hotkeys found")
	return units.AccountID{}, units.AccountID{}
}

// UID tells apart two hotkeys that share their tag and home slot: the
// index's candidates are confirmed by the hotkey itself.
func TestUIDIndexTagCollision(t *testing.T) {
	a, b := collidingKeys(t)
	s, err := New(1, units.AccountID{2}, units.AccountID{1}, amm.NewPool(1e12, 1e12), 1)
	if err != nil {
		t.Fatal(err)
	}
	s.appendNeuron(a, units.AccountID{3}, 1)
	if len(s.uidSlots) != uidMinSlots {
		t.Fatalf("%d slots, want %d", len(s.uidSlots), uidMinSlots)
	}
	if uid, ok := s.UID(b); ok {
		t.Fatalf("UID of the unregistered colliding hotkey: %d", uid)
	}
	s.appendNeuron(b, units.AccountID{3}, 2)
	checkByHotkey(t, s, units.AccountID{9})
	for want, h := range []units.AccountID{{1}, a, b} {
		if uid, ok := s.UID(h); !ok || int(uid) != want {
			t.Fatalf("UID(%x) = %d %v, want %d", h[:1], uid, ok, want)
		}
	}
	// Replacing a's uid with another hotkey leaves b found, a not.
	s.replaceNeuron(1, units.AccountID{4}, units.AccountID{3}, 3)
	checkByHotkey(t, s, a)
}

// The uid index at the largest subnet: 4096 hash-like and prefix-sharing
// hotkeys appended one by one (the table doubling as it fills), every
// lookup of a registered or an absent hotkey agreeing with a map of the
// hotkeys, with some probes displaced from their home slot.
func TestUIDIndexLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	s, err := New(1, units.AccountID{2}, units.AccountID{1}, amm.NewPool(1e12, 1e12), 1)
	if err != nil {
		t.Fatal(err)
	}
	want := map[units.AccountID]units.UID{{1}: 0}
	key := func() units.AccountID {
		var k units.AccountID
		if r.IntN(2) == 0 {
			k[0], k[31] = 0xd0, byte(r.UintN(256))
			binary.BigEndian.PutUint16(k[29:], uint16(r.UintN(64)))
			return k
		}
		for i := range k {
			k[i] = byte(r.UintN(256))
		}
		return k
	}
	for len(want) < 4096 {
		k := key()
		if _, ok := want[k]; ok {
			continue
		}
		want[k] = s.appendNeuron(k, units.AccountID{3}, 1)
		if len(want)&(len(want)-1) == 0 {
			checkUIDIndex(t, s)
		}
	}
	checkUIDIndex(t, s)
	for k, uid := range want {
		if got, ok := s.UID(k); !ok || got != uid {
			t.Fatalf("UID(%x) = %d %v, want %d", k[:2], got, ok, uid)
		}
	}
	absent := 0
	for range 100_000 {
		k := key()
		if _, ok := want[k]; ok {
			continue
		}
		absent++
		if uid, ok := s.UID(k); ok {
			t.Fatalf("UID of the absent %x: %d", k[:2], uid)
		}
	}
	displaced := 0
	mask := uint64(len(s.uidSlots) - 1)
	for i, e := range s.uidSlots {
		if e != uidSlotEmpty && keyHash(&s.hotkeys[e&uidSlotUIDMask-1])&mask != uint64(i) {
			displaced++
		}
	}
	if absent < 1000 || displaced == 0 {
		t.Fatalf("%d absent lookups, %d displaced uids: the probes went untested", absent, displaced)
	}
}

// UID allocates nothing.
func TestUIDAllocs(t *testing.T) {
	s := newLedgerShape(t, 256, 64).s
	h, absent := s.hotkeys[17], randomKey(1<<50)
	if a := testing.AllocsPerRun(100, func() { s.UID(h); s.UID(absent) }); a != 0 {
		t.Fatalf("UID allocates %v times", a)
	}
}

// refSetWeights is setWeights as it was before the row was stored while
// upscaled: the checks and the upscaled values (prepareWeights), then
// the store (storeWeights).
func refSetWeights(s *WeightState, env *WeightEnv, who WeightCaller, mech uint8, uids, values []uint16) error {
	up, err := s.prepareWeights(nil, env, who, mech, uids, values, 0)
	if err != nil {
		return err
	}
	s.storeWeights(env, who.UID, mech, uids, up)
	return nil
}

// setWeights (storeRow) leaves the state refSetWeights leaves and returns
// its error, on random calls: rows of 0 to 40 weights whose largest value
// falls in each of MaxUpscaleWeights's cases (0, at most 32768, above)
// and on their bounds, self weights, repeated and out-of-range uids,
// rows that grow and shrink in their room, on two mechanisms, with
// commit-reveal on (LastUpdate kept) and off.
func TestSetWeightsMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	const n = 48
	env := &WeightEnv{NetUID: 1, N: n, Block: 10, Hyper: DefaultHyperparameters(), ValidatorPermit: make([]bool, n)}
	env.Hyper.MechanismCount = 2
	env.Hyper.WeightsSetRateLimit = 0
	env.Hyper.MinAllowedWeights = 0
	for i := range env.ValidatorPermit {
		env.ValidatorPermit[i] = i%3 != 0
	}
	var s WeightState
	maxima := []uint16{0, 1, 2, 3, 255, 32767, 32768, 32769, 40000, 65534, 65535}
	stored := 0
	for step := range 20000 {
		env.Block++
		env.Hyper.CommitRevealWeightsEnabled = r.IntN(8) == 0
		who := WeightCaller{Registered: true, UID: units.UID(r.IntN(n))}
		k := r.IntN(41)
		if r.IntN(10) == 0 {
			k = 1
		}
		uids := make([]uint16, k)
		for i, p := range r.Perm(n + 2)[:k] {
			uids[i] = uint16(p) // n and n+1 are out of range
		}
		if k > 1 && r.IntN(20) == 0 {
			uids[k-1] = uids[0]
		}
		if k == 1 && r.IntN(2) == 0 {
			uids[0] = uint16(who.UID)
		}
		mx := maxima[r.IntN(len(maxima))]
		if r.IntN(3) == 0 {
			mx = uint16(r.UintN(65536))
		}
		values := make([]uint16, k)
		for i := range values {
			values[i] = uint16(r.UintN(uint(mx) + 1))
		}
		if k > 0 {
			values[r.IntN(k)] = mx
		}
		mech := uint8(r.IntN(2))
		ref := s.Clone()
		want := refSetWeights(&ref, env, who, mech, uids, values)
		got := s.setWeights(env, who, mech, uids, values, 0)
		if got != want {
			t.Fatalf("step %d: error %v, reference %v", step, got, want)
		}
		if !s.Equal(&ref) {
			t.Fatalf("step %d: uid %d mech %d uids %v values %v: state differs from the reference's", step, who.UID, mech, uids, values)
		}
		if got == nil {
			stored++
		}
	}
	if stored < 5000 {
		t.Fatalf("only %d calls stored a row", stored)
	}
}

// Replacements keep the uid index exact after every one: small crowded
// tables (up to 16 slots) where probe runs wrap and overlap, each
// replacement removing an entry from the middle of a run, checked
// against a map of the hotkeys, the replaced hotkeys no longer found.
func TestUIDIndexReplace(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	key := func() units.AccountID {
		var k units.AccountID
		binary.LittleEndian.PutUint64(k[8:], r.Uint64())
		k[0] = 0xe0
		return k
	}
	for round := range 200 {
		s, err := New(1, units.AccountID{2}, units.AccountID{1}, amm.NewPool(1e12, 1e12), 1)
		if err != nil {
			t.Fatal(err)
		}
		want := map[units.AccountID]units.UID{{1}: 0}
		for range 1 + r.IntN(7) {
			k := key()
			want[k] = s.appendNeuron(k, units.AccountID{3}, 1)
		}
		for step := range 100 {
			uid := units.UID(1 + r.IntN(int(s.N())-1))
			old, k := s.hotkeys[uid], key()
			if !s.replaceNeuron(uid, k, units.AccountID{3}, uint64(step)) {
				t.Fatalf("round %d: uid %d not replaced", round, uid)
			}
			delete(want, old)
			want[k] = uid
			checkUIDIndex(t, s)
			for h, u := range want {
				if got, ok := s.UID(h); !ok || got != u {
					t.Fatalf("round %d step %d: UID(%x) = %d %v, want %d", round, step, h[:2], got, ok, u)
				}
			}
			if got, ok := s.UID(old); ok {
				t.Fatalf("round %d step %d: the replaced hotkey is still found at %d", round, step, got)
			}
		}
	}
}
