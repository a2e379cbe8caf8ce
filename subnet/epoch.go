package subnet

import (
	"errors"
	"fmt"
	"slices"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
)

// ErrInvalidStakeView reports a StakeView whose vectors do not hold one
// entry per uid. It is no chain error: the chain builds its stake vector
// from the neurons it holds.
var ErrInvalidStakeView = errors.New("subnet: stake view does not match the neurons")

// StakeView is the stake the epoch weighs the neurons by, per uid: the
// ledger owns stake and supplies it at each epoch.
type StakeView struct {
	// Alpha is each uid's inherited alpha stake on the subnet
	// (get_inherited_for_hotkey_on_subnet, consensus.Inherited): N entries.
	Alpha []units.Alpha
	// TAO is each uid's inherited root stake
	// (get_tao_inherited_for_hotkey_on_subnet): N entries, or nil for none.
	TAO []units.TAO
}

// HotkeyEmission is one hotkey's line of an epoch's output, as
// epoch_with_mechanisms (subnets/mechanism.rs) returns it to the coinbase:
// its incentive (server emission) and dividend (validator emission) in
// alpha. Its fields are those of emission.HotkeyEmission, in the same
// order, so that emission.HotkeyEmission(e) converts one line for
// emission.Distribute.
type HotkeyEmission struct {
	Hotkey    units.AccountID
	Incentive units.Alpha
	Dividend  units.Alpha
}

// Workspace holds the buffers of RunEpoch, so that repeated epochs of a
// subnet with one mechanism allocate nothing once the buffers have grown
// to the largest subnet seen. The zero value is ready to use. A Workspace
// belongs to one goroutine at a time; one Workspace may serve many
// subnets in turn.
type Workspace struct {
	ws        consensus.Workspace
	in        consensus.Input
	out       consensus.Output
	commit    []uint64
	mechs     []consensus.Mechanism
	commits   [][]uint64
	emissions []HotkeyEmission
}

// RunEpoch runs the subnet's epoch at.Block with emission to distribute,
// as the coinbase's distribute_emission calls epoch_with_mechanisms
// (subnets/mechanism.rs) with the drained pending alpha: it assembles the
// consensus input of every mechanism from the subnet's state, runs it and
// stores the outputs back, the chain's persist_mechanism_epoch_terms and
// persist_netuid_epoch_terms (epoch/run_epoch.rs), then records at.Block
// as LastMechansimStepBlock (distribute_emissions_to_subnets in
// coinbase/run_coinbase.rs).
//
// The input: N, at.Block, Tempo, the activity cutoff factor, Kappa, the
// bonds penalty and moving average, Yuma 3, liquid alpha with its alpha
// values and steepness, MaxAllowedValidators, BlockAtRegistration, the
// stored ValidatorPermit, the owner's uid (get_owner_uid), Globals'
// StakeThreshold and TaoWeight, LastMechansimStepBlock, and per mechanism
// its LastUpdate, weight rows and bond rows and, with commit-reveal on,
// each uid's earliest live commit block (WeightState.CommitBlocks at
// at.Epoch); the stake per uid is stake's. With one mechanism it is
// consensus's Workspace.Epoch; with more, consensus.EpochWithMechanisms
// with the stored MechanismEmissionSplit (an even split when none is
// stored).
//
// Stored per mechanism: Incentive and Bonds. Stored per subnet (the
// aggregate over mechanisms): Active, Emission, Consensus, Dividends,
// ValidatorTrust, ValidatorPermit and StakeWeight.
//
// It returns each hotkey's incentive and dividend, ordered by hotkey bytes
// as the chain's BTreeMap orders them: the Emissions that
// emission.Distribute takes (convert each line with
// emission.HotkeyEmission(e)). The slice belongs to ws and is overwritten
// by ws's next RunEpoch. When the epoch runs is emission.Schedule's
// business (Due, AdvanceSchedules); RunEpoch runs when called.
//
// Errors: ErrInvalidStakeView when stake.Alpha does not hold N entries or
// stake.TAO neither N nor none; the consensus errors of an input the chain
// cannot hold (consensus.ErrBondsMovingAverageOverflow for the bonds
// moving average the chain's Yuma 3 panics on). On error the subnet is
// unchanged. A nil ws panics: that is a programming error.
func (s *Subnet) RunEpoch(at Now, emission units.Alpha, stake StakeView, ws *Workspace) ([]HotkeyEmission, error) {
	server, validator, err := s.RunEpochByUID(at, emission, stake, ws)
	if err != nil {
		return nil, err
	}
	ws.emissions = s.hotkeyEmissions(ws.emissions, server, validator)
	return ws.emissions, nil
}

// RunEpochByUID is RunEpoch returning each uid's server and validator
// emission (N entries each, indexed by uid) rather than the lines by
// hotkey: line i of RunEpoch is the uid UIDsByHotkey(nil)[i], its hotkey,
// Incentive server[uid] and Dividend validator[uid]. A caller that walks
// the uids in hotkey order itself (the ledger's distribution, which skips
// the uids of no emission) spares the lines' copies this way. The slices
// belong to ws (or to the mechanisms' aggregate) and are overwritten by
// ws's next epoch. Its stores and errors are RunEpoch's.
func (s *Subnet) RunEpochByUID(at Now, emission units.Alpha, stake StakeView, ws *Workspace) (server, validator []units.Alpha, err error) {
	n := int(s.N())
	if len(stake.Alpha) != n || (stake.TAO != nil && len(stake.TAO) != n) {
		return nil, nil, fmt.Errorf("%w: %d uids, %d alpha and %d TAO stakes", ErrInvalidStakeView, n, len(stake.Alpha), len(stake.TAO))
	}
	s.epochInput(&ws.in, at, emission, stake)
	count := max(int(s.Hyperparameters.MechanismCount), 1)
	env := s.weightEnv(at.Block, at.Epoch)
	if count == 1 {
		in := &ws.in
		in.LastUpdate = s.Weights.LastUpdate(0)
		in.Weights = s.Weights.Rows(0)
		in.Bonds = s.bonds[0]
		in.CommitBlocks = s.commitBlocks(ws.commit, &env, 0)
		ws.commit = in.CommitBlocks
		if err := ws.ws.Epoch(in, &ws.out); err != nil {
			return nil, nil, fmt.Errorf("subnet %d: epoch: %w", s.NetUID, err)
		}
		o := &ws.out
		s.storeMechanism(0, o.Incentive, o.Bonds)
		s.storeSubnet(o.Active, o.Emission, o.Consensus, o.Dividends, o.ValidatorTrust, o.ValidatorPermit, o.StakeWeight)
		server, validator = o.ServerEmission, o.ValidatorEmission
	} else {
		ws.mechs = slices.Grow(ws.mechs[:0], count)[:count]
		for len(ws.commits) < count {
			ws.commits = append(ws.commits, nil)
		}
		for m := range count {
			mech := uint8(m)
			ws.commits[m] = s.commitBlocks(ws.commits[m], &env, mech)
			ws.mechs[m] = consensus.Mechanism{
				LastUpdate:   s.Weights.LastUpdate(mech),
				Weights:      s.Weights.Rows(mech),
				Bonds:        s.bonds[m],
				CommitBlocks: ws.commits[m],
			}
		}
		h := &s.Hyperparameters
		var split []uint16
		if h.EmissionSplitLen > 0 {
			split = h.EmissionSplit[:h.EmissionSplitLen]
		}
		agg, outs, err := consensus.EpochWithMechanisms(ws.in, ws.mechs, split)
		if err != nil {
			return nil, nil, fmt.Errorf("subnet %d: epoch: %w", s.NetUID, err)
		}
		for m := range outs {
			s.storeMechanism(m, outs[m].Incentive, outs[m].Bonds)
		}
		s.storeSubnet(agg.Active, agg.Emission, agg.Consensus, agg.Dividends, agg.ValidatorTrust, agg.ValidatorPermit, agg.StakeWeight)
		server, validator = agg.ServerEmission, agg.ValidatorEmission
	}
	s.lastMechanismStepBlock = at.Block
	return server, validator, nil
}

// UIDsWithEmission appends to dst[:0] the uids whose server or validator
// emission (RunEpochByUID's vectors, N entries each) is positive, in
// hotkey order, and returns the extended slice: UIDsByHotkey less the
// uids of no emission, so that RunEpoch's lines of positive emission
// are, in order, those of these uids. It reads the order (byHotkey) and
// the two vectors only. Each uid is written at the end of the list and
// kept by counting it when its emission is positive, without a branch:
// which uids have emission follows no pattern in hotkey order (a branch
// on it was mispredicted at every few uids).
func (s *Subnet) UIDsWithEmission(dst []units.UID, server, validator []units.Alpha) []units.UID {
	refs := s.byHotkey
	dst = slices.Grow(dst[:0], len(refs))[:len(refs)]
	n := 0
	for _, k := range refs {
		dst[n] = k.uid
		v := uint64(server[k.uid] | validator[k.uid])
		n += int((v | -v) >> 63) // 1 when v > 0
	}
	return dst[:n]
}

// epochInput fills in with what every mechanism's epoch shares (the
// per-mechanism fields are the caller's).
func (s *Subnet) epochInput(in *consensus.Input, at Now, emission units.Alpha, stake StakeView) {
	h := &s.Hyperparameters
	owner, hasOwner := s.ownerUID()
	*in = consensus.Input{
		N:                         s.N(),
		CurrentBlock:              at.Block,
		Tempo:                     h.Tempo,
		ActivityCutoffFactorMilli: h.ActivityCutoffFactorMilli,
		BlockAtRegistration:       s.blockAtRegistration,
		AlphaStake:                stake.Alpha,
		TaoStake:                  stake.TAO,
		TaoWeight:                 s.Globals.TaoWeight,
		StakeThreshold:            s.Globals.StakeThreshold,
		ValidatorPermit:           s.validatorPermit,
		MaxAllowedValidators:      h.MaxAllowedValidators,
		Kappa:                     h.Kappa,
		BondsPenalty:              h.BondsPenalty,
		BondsMovingAverage:        h.BondsMovingAverage,
		Yuma3:                     h.Yuma3On,
		LiquidAlpha:               h.LiquidAlphaOn,
		AlphaLow:                  h.AlphaLow,
		AlphaHigh:                 h.AlphaHigh,
		AlphaSigmoidSteepness:     h.AlphaSigmoidSteepness,
		HasOwner:                  hasOwner,
		OwnerUID:                  owner,
		LastMechanismStepBlock:    s.lastMechanismStepBlock,
		Emission:                  emission,
	}
}

// commitBlocks is WeightState.CommitBlocks for mechanism mech with the
// subnet's hotkeys; nil with commit-reveal off (no mask).
func (s *Subnet) commitBlocks(dst []uint64, env *WeightEnv, mech uint8) []uint64 {
	if !env.Hyper.CommitRevealWeightsEnabled {
		return nil
	}
	return s.Weights.CommitBlocks(dst, env, mech, s.UID)
}

// storeMechanism is persist_mechanism_epoch_terms: mechanism m's
// Incentive and Bonds, copied into the stored vectors' room. The bond rows
// are copied into one buffer per mechanism (bondStore), each row a
// subslice capped at its own length, so that appending to a stored row
// reallocates it instead of writing over the next one. A row that comes
// out empty is nil where its stored predecessor (in the rows' room) was
// nil, and an empty non-nil row otherwise, as copying each row into its
// predecessor's room (append(rows[i][:0], b...)) leaves it.
func (s *Subnet) storeMechanism(m int, incentive []uint16, bonds [][]consensus.Entry) {
	s.incentive[m] = append(s.incentive[m][:0], incentive...)
	rows := s.bonds[m]
	if cap(rows) >= len(bonds) {
		rows = rows[:len(bonds)]
	} else {
		rows = append(rows[:cap(rows)], make([][]consensus.Entry, len(bonds)-cap(rows))...)
	}
	// rows has len(bonds) rows either way; cut so again, the copying
	// loop below indexes it without bounds checks.
	rows = rows[:len(bonds)]
	total := 0
	for _, b := range bonds {
		total += len(b)
	}
	buf := s.bondCells[m].room(s, total)
	off := 0
	for i, b := range bonds {
		switch {
		case len(b) > 0:
			end := off + copy(buf[off:], b)
			rows[i] = buf[off:end:end]
			off = end
		case rows[i] != nil:
			rows[i] = noBonds
		}
	}
	s.bonds[m] = rows
}

// noBonds is the stored empty non-nil bond row: its capacity of 0 makes
// any append to it reallocate.
var noBonds = []consensus.Entry{}

// bondStore is the buffer of one mechanism's stored bond rows and the
// subnet that owns it. A copy of the subnet (Clone's c := *s, a shallow
// view) carries the buffer but not its ownership, since its address
// differs from owner: it gets a buffer of its own at its first
// storeMechanism, and so never writes into rows another subnet reads.
type bondStore struct {
	owner *Subnet
	cells []consensus.Entry
}

// room returns the buffer for total cells, owned by s: the buffer reused
// when s owns it and it is large enough (its previous rows are then
// overwritten, which only s's own rows point into), else a new one with
// a quarter more room, so that bonds growing by a few cells an epoch do
// not reallocate at each.
func (b *bondStore) room(s *Subnet, total int) []consensus.Entry {
	if b.owner != s || cap(b.cells) < total {
		b.owner, b.cells = s, make([]consensus.Entry, total, total+total/4)
	}
	return b.cells[:total]
}

// storeSubnet is persist_netuid_epoch_terms: the subnet's per-uid
// vectors, copied into the stored vectors' room.
func (s *Subnet) storeSubnet(active []bool, emission []units.Alpha, cons, divs, vtrust []uint16, permits []bool, stakeWeight []uint16) {
	s.active = append(s.active[:0], active...)
	s.emission = append(s.emission[:0], emission...)
	s.consensus = append(s.consensus[:0], cons...)
	s.dividends = append(s.dividends[:0], divs...)
	s.validatorTrust = append(s.validatorTrust[:0], vtrust...)
	s.validatorPermit = append(s.validatorPermit[:0], permits...)
	s.stakeWeight = append(s.stakeWeight[:0], stakeWeight...)
}

// hotkeyEmissions is the list epoch_with_mechanisms returns: (hotkey,
// server emission, validator emission) for every uid, in hotkey order.
// The chain folds the per-uid terms into a BTreeMap keyed by hotkey and
// returns its entries in key order; the hotkeys of a subnet are unique,
// so the fold merges nothing and the list is the uids' lines ordered by
// hotkey bytes, which is byHotkey's order: no sort is needed here.
func (s *Subnet) hotkeyEmissions(dst []HotkeyEmission, server, validator []units.Alpha) []HotkeyEmission {
	n := len(s.byHotkey)
	dst = slices.Grow(dst[:0], n)[:n]
	for i, k := range s.byHotkey {
		e := &dst[i]
		e.Hotkey, e.Incentive, e.Dividend = s.hotkeys[k.uid], server[k.uid], validator[k.uid]
	}
	return dst
}
