package consensus

import (
	"math"
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
	odd := r.IntN(8) == 0 // stakes outside [0, 1]: a negative or large sum
	for i := range ws.stake {
		switch x := r.IntN(8); {
		case x < 2:
		case odd && x == 2:
			ws.stake[i] = fixed.I32F32FromBits(-1 - int64(r.IntN(1<<30))<<3)
		case odd && x == 3:
			ws.stake[i] = fixed.I32F32FromBits(int64(r.IntN(1<<30)) << 33)
		case x == 4:
			ws.stake[i] = one
		default:
			ws.stake[i] = fixed.I32F32FromBits(int64(r.IntN(1<<31)) * 2)
		}
	}
	return in
}

// checkActiveCase runs activeStake on a case of drawActiveCase over every
// uid and over a list of the staked uids (the uids of non-zero stake and
// every third other, as stakeWeights may list uids whose stake is 0; a
// workspace left by a larger case), and compares both with
// activeStakePrev, and the mask with isActive.
func checkActiveCase(t *testing.T, r bitSource) {
	t.Helper()
	var ws Workspace
	in := drawActiveCase(r, &ws)
	v := newEpochView(&in)
	prev := Workspace{stake: ws.stake}
	prev.activeStakePrev(&v)
	for _, listed := range []bool{false, true} {
		ws.active = append(ws.active[:0], make([]fixed.I32F32, 4)...) // stale values
		ws.activeMask = append(ws.activeMask[:0], true, true, false, true)
		ws.stakedOK = listed
		ws.staked = ws.staked[:0]
		for i, x := range ws.stake {
			if !x.IsZero() || i%3 == 0 {
				ws.staked = append(ws.staked, i)
			}
		}
		ws.activeStake(&v)
		if !slices.Equal(ws.active, prev.active) {
			t.Fatalf("%+v, stake %v, listed %v: active %v, want %v", in, ws.stake, listed, ws.active, prev.active)
		}
		for i := range v.n {
			if ws.activeMask[i] != v.isActive(i) {
				t.Fatalf("%+v: uid %d active %v, want %v", in, i, ws.activeMask[i], v.isActive(i))
			}
		}
	}
}

// TestActiveMaskEdges: the active mask at the cutoff's edges: a last
// update exactly at block − cutoff and one below, a cutoff at or above
// the block, a last update near the u64 maximum (the saturating sum), a
// uid beyond LastUpdate.
func TestActiveMaskEdges(t *testing.T) {
	for _, block := range []uint64{0, 1, 99, 100, 101, 5000, math.MaxUint64} {
		for _, cutoff := range []uint64{1, 100, math.MaxUint64} {
			in := NewInput(8)
			in.CurrentBlock = block
			in.LastUpdate = []uint64{0, block - min(block, cutoff), block - min(block, cutoff+1), block, math.MaxUint64, math.MaxUint64 - cutoff + 1, 1}
			var ws Workspace
			ws.stake = make([]fixed.I32F32, 8)
			v := newEpochView(&in)
			v.cutoff = cutoff
			ws.activeStake(&v)
			for i := range 8 {
				if ws.activeMask[i] != v.isActive(i) {
					t.Fatalf("block %d cutoff %d last updates %v: uid %d active %v, want %v", block, cutoff, in.LastUpdate, i, ws.activeMask[i], v.isActive(i))
				}
			}
		}
	}
}

// FuzzActiveStake compares activeStake with activeStakePrev on cases
// drawn from the fuzz bytes.
func FuzzActiveStake(f *testing.F) {
	seedCorpus(f, 31)
	f.Fuzz(func(t *testing.T, b []byte) {
		checkActiveCase(t, &byteSource{b})
	})
}

// TestActiveStakeMatchesPrev: activeStake gives activeStakePrev's active
// stake, over every uid and over the staked uids, and its mask is
// isActive's.
func TestActiveStakeMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(53, 9))
	for range 5000 {
		checkActiveCase(t, r)
	}
}
