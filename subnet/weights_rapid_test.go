package subnet

import (
	"testing"

	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// committed is a commit the property test made: who, its data and epoch.
type committed struct {
	who   units.AccountID
	salt  []uint16
	epoch uint64
}

// Random weight settings, commits, reveals, timelocked commits,
// registrations, replacements, commit-reveal toggles and blocks against
// three properties: a call that fails leaves the WeightState as it was; a
// successful set_weights stores its uids with max-upscaled values (the
// largest 65535 unless all are 0); and a reveal succeeds exactly in its
// commit's reveal epoch (commit epoch + RevealPeriodEpochs), is
// RevealTooEarly before it and fails after it. A set_weights call has the
// same outcome and leaves the same state at any epoch, and the rows never
// end in an empty one (storedRow relies on it).
func TestPropertyWeightRules(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := newChain(rapid.Uint16Range(1, 6).Draw(t, "tempo"), 0)
		c.hyper.RevealPeriodEpochs = rapid.Uint64Range(1, 3).Draw(t, "period")
		c.hyper.WeightsSetRateLimit = rapid.Uint64Range(0, 4).Draw(t, "rateLimit")
		c.hyper.MinAllowedWeights = rapid.Uint16Range(0, 3).Draw(t, "minWeights")
		c.hyper.WeightsVersionKey = rapid.Uint64Range(0, 1).Draw(t, "versionKey")
		c.hyper.CommitRevealWeightsEnabled = rapid.Bool().Draw(t, "cr")
		c.threshold = rapid.Uint64Range(0, 2).Draw(t, "threshold")
		keys := []units.AccountID{hk(1), hk(2), hk(3), hk(4)}
		for range rapid.IntRange(1, 3).Draw(t, "registered") {
			c.register(keys[len(c.hotkeys)])
		}
		var made []committed
		nextSalt := uint16(0)
		for range rapid.IntRange(1, 60).Draw(t, "steps") {
			who := rapid.SampledFrom(keys).Draw(t, "who")
			before := c.ws.Clone()
			var err error
			switch op := rapid.IntRange(0, 9).Draw(t, "op"); op {
			case 0, 1:
				n := rapid.IntRange(0, 5).Draw(t, "len")
				uids := rapid.SliceOfN(rapid.Uint16Range(0, 5), n, n).Draw(t, "uids")
				vals := rapid.SliceOfN(rapid.Uint16(), n, n+rapid.IntRange(0, 1).Draw(t, "skew")).Draw(t, "values")
				c.stake[who] = rapid.Uint64Range(0, 2).Draw(t, "stake")
				c.permits[0] = rapid.Bool().Draw(t, "permit0")
				vk := rapid.Uint64Range(0, 1).Draw(t, "vk")
				// set_weights reads no epoch (the ledger passes none):
				// the same call at any other epoch has the same outcome.
				other, env := before.Clone(), c.env()
				env.Epoch = rapid.Uint64().Draw(t, "otherEpoch")
				otherErr := other.SetWeights(env, c.caller(who), 0, uids, vals, vk)
				err = c.setWeights(who, uids, vals, vk)
				if otherErr != err || !other.Equal(&c.ws) {
					t.Fatalf("at epoch %d: %v, at epoch %d: %v, states equal %v", env.Epoch, otherErr, c.env().Epoch, err, other.Equal(&c.ws))
				}
				if err == nil {
					uid, _ := c.uid(who)
					row, mx := c.ws.Row(0, uid), uint16(0)
					if len(row) != len(uids) {
						t.Fatalf("stored %d cells for %d uids", len(row), len(uids))
					}
					nonzero := false
					for k, e := range row {
						if e.UID != units.UID(uids[k]) {
							t.Fatalf("cell %d holds uid %d, set %d", k, e.UID, uids[k])
						}
						mx, nonzero = max(mx, e.Value), nonzero || vals[k] != 0
					}
					if nonzero != (mx == 65535) {
						t.Fatalf("row max %d for values %v", mx, vals)
					}
				}
			case 2, 3:
				nextSalt++
				uid, _ := c.uid(who)
				salt := salt8(nextSalt)
				err = c.commit(who, c.hash(who, []uint16{uint16(uid)}, []uint16{1}, salt, 0))
				if err == nil {
					made = append(made, committed{who: who, salt: salt, epoch: c.env().Epoch})
				}
			case 4, 5:
				if len(made) == 0 {
					continue
				}
				m := rapid.SampledFrom(made).Draw(t, "reveal")
				uid, registered := c.uid(m.who)
				env := c.env()
				window := m.epoch + c.hyper.RevealPeriodEpochs
				h := c.hash(m.who, []uint16{uint16(uid)}, []uint16{1}, m.salt, 0)
				live := false
				for _, q := range c.ws.Commits(0, m.who) {
					live = live || q.Hash == h
				}
				err = c.reveal(m.who, []uint16{uint16(uid)}, []uint16{1}, m.salt, 0)
				switch {
				case err == nil && env.Epoch != window:
					t.Fatalf("revealed in epoch %d, window %d", env.Epoch, window)
				case !live || !c.hyper.CommitRevealWeightsEnabled || !registered:
				case env.Epoch == window && c.hyper.WeightsVersionKey == 0 && c.stake[m.who] >= c.threshold && err != nil:
					t.Fatalf("a live self-weight reveal in its window failed: %v", err)
				case env.Epoch < window && err != ErrRevealTooEarly:
					t.Fatalf("reveal before the window: %v", err)
				case env.Epoch > window && err == nil:
					t.Fatal("reveal after the window succeeded")
				}
			case 6:
				uid, _ := c.uid(who)
				err = c.commitTimelocked(who, tlw(who, []uint16{uint16(uid)}, []uint16{1}), uint64(rapid.IntRange(0, 3).Draw(t, "round")))
				c.pulses[uint64(rapid.IntRange(0, 3).Draw(t, "pulse"))] = true
			case 7:
				switch {
				case len(c.hotkeys) < len(keys) && rapid.Bool().Draw(t, "append"):
					if _, ok := c.uid(who); !ok {
						c.register(who)
					}
				case len(c.hotkeys) > 0:
					c.ws.ReplaceNeuron(c.env(), units.UID(rapid.IntRange(0, len(c.hotkeys)-1).Draw(t, "replace")))
				}
				continue
			case 8:
				c.hyper.CommitRevealWeightsEnabled = !c.hyper.CommitRevealWeightsEnabled
				continue
			case 9:
				c.stepBlocks(rapid.IntRange(1, 8).Draw(t, "blocks"))
				continue
			}
			if rows := c.ws.Rows(0); len(rows) > 0 && len(rows[len(rows)-1]) == 0 {
				t.Fatalf("the rows end in an empty row: %v", rows)
			}
			if err != nil && !before.Equal(&c.ws) {
				t.Fatalf("failed call (%v) changed the state", err)
			}
			if err == nil && rapid.Bool().Draw(t, "check clone") {
				cl := c.ws.Clone()
				if !cl.Equal(&c.ws) {
					t.Fatal("clone differs")
				}
			}
		}
	})
}

// MaxUpscaleWeights puts the largest weight at 65535 (unless all are
// zero) and preserves order. (Moved from package consensus.)
func TestPropertyMaxUpscaleWeights(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := rapid.SliceOfN(rapid.Uint16(), 1, 64).Draw(t, "w")
		out := MaxUpscaleWeights(nil, in)
		mx, omx := uint16(0), uint16(0)
		for i := range in {
			mx, omx = max(mx, in[i]), max(omx, out[i])
			for k := range in {
				if in[i] < in[k] && out[i] > out[k] {
					t.Fatalf("order broken: %v -> %v", in, out)
				}
			}
		}
		if (mx == 0) != (omx == 0) || (mx > 0 && omx != 65535) {
			t.Fatalf("max %d -> %d", mx, omx)
		}
	})
}

// The set-weights path allocates only the stored row.
func TestMaxUpscaleWeightsAllocs(t *testing.T) {
	in, dst := []uint16{1, 2, 3, 40000}, make([]uint16, 0, 4)
	if a := testing.AllocsPerRun(100, func() { dst = MaxUpscaleWeights(dst, in) }); a != 0 {
		t.Fatalf("%v allocs", a)
	}
}
