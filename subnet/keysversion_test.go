package subnet

import (
	"errors"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/units"
)

// versionLog records every HotkeysVersion a test saw with the hotkeys the
// subnet held then: a version seen again must name the same hotkeys.
type versionLog map[uint64][]units.AccountID

// see checks s's version against the log and records it; it returns the
// version.
func (vl versionLog) see(t interface {
	Helper()
	Fatalf(string, ...any)
}, what string, s *Subnet) uint64 {
	t.Helper()
	v := s.HotkeysVersion()
	if v == 0 {
		t.Fatalf("%s: HotkeysVersion 0", what)
	}
	if keys, ok := vl[v]; ok && !slices.Equal(keys, s.hotkeys) {
		t.Fatalf("%s: HotkeysVersion %d names hotkeys %x and %x", what, v, keys, s.hotkeys)
	}
	vl[v] = slices.Clone(s.hotkeys)
	return v
}

// Every path that changes a uid's hotkey (New's owner neuron, a
// registration appending a neuron, one replacing a pruned neuron,
// FromStorage) draws a version no Subnet held before; the paths that
// change no hotkey (a refused registration, Step, SetWeights, RunEpoch's
// writes, Clone) keep it, and a clone shares its original's version only
// until either changes its hotkeys.
func TestHotkeysVersionEveryHotkeyChange(t *testing.T) {
	vl := versionLog{}
	c := newMockChain()
	s := c.addDynamicNetwork(t, 1, acct(1000), acct(2000))
	v := vl.see(t, "New", s)
	s.Hyperparameters.MaxAllowedUids = 3
	s.Hyperparameters.MinAllowedUids = 1
	s.Hyperparameters.CommitRevealWeightsEnabled = false
	s.Hyperparameters.WeightsSetRateLimit = 0
	s.Hyperparameters.ImmunityPeriod = 0
	s.Hyperparameters.MinNonImmuneUids = 0

	// Appending.
	for i := range uint64(2) {
		c.registerOK(t, s, acct(1+i), acct(100+i))
		if w := vl.see(t, "append", s); w == v {
			t.Fatalf("append of uid %d kept HotkeysVersion %d", s.N()-1, v)
		} else {
			v = w
		}
	}
	// A refused registration (the hotkey is registered) changes nothing.
	if _, err := c.register(s, acct(1), acct(100)); !errors.Is(err, ErrHotKeyAlreadyRegisteredInSubNet) {
		t.Fatalf("register of a registered hotkey: %v", err)
	}
	if w := vl.see(t, "refused", s); w != v {
		t.Fatalf("a refused registration changed HotkeysVersion %d to %d", v, w)
	}
	// Replacing: the subnet is full.
	c.block += 10
	before := slices.Clone(s.hotkeys)
	r := c.registerOK(t, s, acct(7), acct(107))
	if slices.Equal(before, s.hotkeys) {
		t.Fatalf("registration on a full subnet changed no hotkey (uid %d)", r.UID)
	}
	if w := vl.see(t, "replace", s); w == v {
		t.Fatalf("replacement of uid %d kept HotkeysVersion %d", r.UID, v)
	} else {
		v = w
	}
	// Paths that change no hotkey.
	s.Step(c.block + 1)
	if err := s.SetWeights(Now{Block: c.block + 1}, Signer{Hotkey: acct(1000), Stake: 1}, 0, []uint16{0}, []uint16{1}, 0); err != nil {
		t.Fatalf("set_weights: %v", err)
	}
	if w := vl.see(t, "step and weights", s); w != v {
		t.Fatalf("Step or SetWeights changed HotkeysVersion %d to %d", v, w)
	}
	// Clone shares the version; either one's change draws a fresh one.
	cl := s.Clone()
	if w := vl.see(t, "clone", cl); w != v {
		t.Fatalf("Clone has HotkeysVersion %d, the original %d", w, v)
	}
	c.block += 10
	c.registerOK(t, cl, acct(8), acct(108))
	vc := vl.see(t, "clone's replace", cl)
	c.registerOK(t, s, acct(9), acct(109))
	vs := vl.see(t, "original's replace", s)
	if vc == v || vs == v || vc == vs {
		t.Fatalf("versions after diverging: clone %d, original %d, before %d", vc, vs, v)
	}
	// FromStorage: the same hotkeys under a fresh version.
	fs, err := FromStorage(s.Storage())
	if err != nil {
		t.Fatal(err)
	}
	if w := vl.see(t, "FromStorage", fs); w == vs {
		t.Fatalf("FromStorage kept HotkeysVersion %d", w)
	}
	if !fs.Equal(s) {
		t.Fatal("FromStorage(Storage()) differs: Equal must ignore the version")
	}
}
