package dtao_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/sim"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// TestStepMatchesPhasedReference checks Step, which schedules, updates
// the moving prices and finds the subnets whose slot fired in one pass,
// against the block with each phase in a pass of its own
// (dtao.StepPhasedRef): from copies of the same ledger, the two give the
// same report, the same events in the same order and the same state,
// block after block. The networks defer epochs (one epoch per block),
// have subnets that do not emit, tempos restarted by the owner
// (LastEpochBlock set by a call, not by an epoch) and pending children
// applied at the epochs.
func TestStepMatchesPhasedReference(t *testing.T) {
	for _, seed := range []uint64{3, 11} {
		c := sim.DefaultConfig()
		c.Subnets, c.UIDs, c.Validators, c.RootValidators, c.Stakers = 6, 24, 6, 2, 150
		c.Tempo = 12
		c.Seed = seed
		s, err := sim.New(c)
		require.NoError(t, err)
		l := s.Ledger()
		p := l.Params()
		p.MaxEpochsPerBlock = 1
		p.PendingChildKeyCooldown = 5
		require.NoError(t, l.SetParams(p))
		nets := l.NetUIDs()[1:]
		// One subnet stops emitting (registration closed).
		require.NoError(t, l.SetHyperparameter(dtao.RootOrigin(), nets[1], dtao.CallSetNetworkRegistrationAllowed,
			func(h *subnet.Hyperparameters, _ subnet.Origin) error {
				h.NetworkRegistrationAllowed = false
				return nil
			}))
		vs := s.Agents().Validators
		byNet := map[units.NetUID][]sim.Validator{}
		for _, v := range vs {
			byNet[v.NetUID] = append(byNet[v.NetUID], v)
		}
		blocks := 90
		if testing.Short() {
			blocks = 40
		}
		fired, deferred, tempos := 0, 0, 0
		for i := range blocks {
			// The agents' calls and a block, on the ledger alone.
			_, err := s.Step()
			require.NoError(t, err)
			switch i % 15 {
			case 4:
				// Pending children, applied at a later epoch.
				netuid := nets[(i/15)%len(nets)]
				list := byNet[netuid]
				parent, child := list[0].Hotkey, list[1+(i/15)%(len(list)-1)].Hotkey
				owner, ok := l.Owner(parent)
				require.True(t, ok)
				_ = l.SetChildren(owner, parent, netuid, []dtao.Link{{Proportion: ^uint64(0) / 4, Hotkey: child}})
			case 9:
				// A tempo restarted now (refusals, e.g. in the admin
				// freeze window, change nothing and are fine).
				netuid := nets[(i/15+2)%len(nets)]
				if l.SetHyperparameter(dtao.RootOrigin(), netuid, dtao.CallSetTempo,
					func(h *subnet.Hyperparameters, _ subnet.Origin) error {
						h.Tempo = uint16(10 + i%7)
						return nil
					}) == nil {
					tempos++
				}
			}
			// The next block on two copies: Step and the reference.
			var buf bytes.Buffer
			require.NoError(t, l.WriteSnapshot(&buf))
			a, err := dtao.ReadSnapshot(bytes.NewReader(buf.Bytes()))
			require.NoError(t, err)
			b, err := dtao.ReadSnapshot(bytes.NewReader(buf.Bytes()))
			require.NoError(t, err)
			var ea, eb []dtao.Event
			a.OnEvent(func(e dtao.Event) { ea = append(ea, e) })
			b.OnEvent(func(e dtao.Event) { eb = append(eb, e) })
			ra, erra := a.Step()
			rb, errb := dtao.StepPhasedRef(b)
			require.Equal(t, errb, erra, "seed %d block %d", seed, i)
			require.Equal(t, rb, ra, "seed %d block %d", seed, i)
			require.Equal(t, eb, ea, "seed %d block %d", seed, i)
			require.Equal(t, b.StateHash(), a.StateHash(), "seed %d block %d", seed, i)
			deferred += ra.EpochsDeferred
			for _, e := range ea {
				if e.Kind == dtao.EventChildrenSet {
					fired++
				}
			}
		}
		require.NoError(t, l.CheckInvariants())
		// What the networks are for happened.
		require.Positive(t, fired, "seed %d: children applied", seed)
		require.Positive(t, deferred, "seed %d: epochs deferred", seed)
		require.Positive(t, tempos, "seed %d: tempos restarted", seed)
	}
}
