package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// activeStakePrev is activeStake before it read its inputs from locals and
// kept the active mask, the reference of TestActiveStakeMatchesPrev.
func (ws *Workspace) activeStakePrev(v *epochView) {
	n := v.n
	ws.active = grow(ws.active, n)
	masked := len(v.in.ValidatorPermit) > 0
	for i := 0; i < n; i++ {
		a := ws.stake[i]
		if !v.isActive(i) || masked && v.forbidden(i) {
			a = zero
		}
		ws.active[i] = a
	}
	normalize(ws.active)
}

// drawActiveCase draws an input for activeStake: last updates around the
// activity cutoff, shorter than N or absent, permits shorter than N or
// absent, an owner or none, and stakes (ws.stake) in [0, 1] with zeros.
func drawActiveCase(r bitSource, ws *Workspace) Input {
	n := r.IntN(40)
	in := NewInput(uint16(n))
	in.CurrentBlock = uint64(r.IntN(3000))
	in.Tempo = uint16(r.IntN(400))
	in.ActivityCutoffFactorMilli = uint32(r.IntN(20000))
	in.LastUpdate = in.LastUpdate[:r.IntN(n+1)]
	for i := range in.LastUpdate {
		in.LastUpdate[i] = uint64(r.IntN(3000))
	}
	if len(in.LastUpdate) < n && r.IntN(4) == 0 {
		in.LastUpdate = append(in.LastUpdate, ^uint64(0)-uint64(r.IntN(10))) // saturating
	}
	in.ValidatorPermit = in.ValidatorPermit[:r.IntN(n+1)]
	for i := range in.ValidatorPermit {
		in.ValidatorPermit[i] = r.IntN(3) != 0
	}
	if n > 0 && r.IntN(2) == 0 {
		in.HasOwner, in.OwnerUID = true, units.UID(r.IntN(n))
	}
	ws.stake = make([]fixed.I32F32, n)
	for i := range ws.stake {
		if r.IntN(4) != 0 {
			ws.stake[i] = fixed.I32F32FromBits(int64(r.IntN(1<<31)) * 2)
		}
	}
	return in
}

// TestActiveStakeMatchesPrev: activeStake gives activeStakePrev's active
// stake, and its mask is isActive's.
func TestActiveStakeMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(53, 9))
	for range 3000 {
		var ws Workspace
		in := drawActiveCase(r, &ws)
		v := newEpochView(&in)
		ws.activeStake(&v)
		got, mask := slices.Clone(ws.active), slices.Clone(ws.activeMask)
		ws.activeStakePrev(&v)
		if !slices.Equal(got, ws.active) {
			t.Fatalf("%+v: active %v, want %v", in, got, ws.active)
		}
		for i := range v.n {
			if mask[i] != v.isActive(i) {
				t.Fatalf("%+v: uid %d active %v, want %v", in, i, mask[i], v.isActive(i))
			}
		}
	}
}
