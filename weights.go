package dtao

import (
	"slices"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// weightCall finds the subnet a weight call goes to and the moment and
// signer it runs with. The root subnet holds no weights
// (subnet.ErrCanNotSetRootNetworkWeights, set_weights' first check); a
// netuid without a subnet fails ensure_mechanism_exists
// (subnet.ErrMechanismDoesNotExist). The subnet is read from the block's
// kept subnet list (keptSubnet): the caller holds the write lock.
//
// With epoch false the moment's Epoch is left 0, as subnet.Now allows
// where commit-reveal does not read it: set_weights reads no epoch (only
// the commit and reveal rules judge commits by it, and SetWeights refuses
// while commit-reveal is on before any rule runs), so SetWeights skips
// the schedule's line of the subnet's state.
func (l *Ledger) weightCall(hotkey units.AccountID, netuid units.NetUID, epoch bool) (*subnet.Subnet, subnet.Now, subnet.Signer, error) {
	st, sn, err := l.weightSubnet(netuid)
	if err != nil {
		return nil, subnet.Now{}, subnet.Signer{}, err
	}
	now := subnet.Now{Block: l.block}
	if epoch {
		now = l.weightNow(st)
	}
	return sn, now, l.weightSigner(sn, hotkey, netuid), nil
}

// weightSubnet is weightCall's subnet: the state and neurons of netuid,
// or the error weightCall returns for the root subnet or a netuid
// without a subnet.
func (l *Ledger) weightSubnet(netuid units.NetUID) (*SubnetState, *subnet.Subnet, error) {
	if netuid == RootNetUID {
		return nil, nil, subnet.ErrCanNotSetRootNetworkWeights
	}
	st, sn, ok := l.keptSubnet(netuid)
	if !ok {
		return nil, nil, subnet.ErrMechanismDoesNotExist
	}
	return st, sn, nil
}

// weightSigner is the signer of a weight call on sn (netuid): the hotkey
// with its stake weight. The weight calls read the stake weight only in
// check_weights_min_stake (lib.rs), stake ≥ StakeThreshold, against the
// subnet's copy of StakeThreshold (subnet.Signer). With StakeThreshold 0,
// the chain's default (DefaultStakeThreshold), every u64 passes, so the
// stake lookups are skipped and the signer carries 0, which passes as
// the stake weight would: the call's outcome and state are the same.
// The threshold is read from the ledger's Params, which every subnet's
// copy equals (NewLedger refuses other Globals and sets them, network
// registration sets them, SetParams copies them into every
// subnet), so that deciding touches no line of the subnet: a batch
// (setWeightsChunk) finds every call's signer before the subnets read
// their state ahead.
func (l *Ledger) weightSigner(sn *subnet.Subnet, hotkey units.AccountID, netuid units.NetUID) subnet.Signer {
	if l.params.StakeThreshold == 0 {
		return subnet.Signer{Hotkey: hotkey}
	}
	return subnet.Signer{Hotkey: hotkey, Stake: l.stakeWeight(hotkey, netuid)}
}

// weightNow is the moment a weight extrinsic runs at: the current block,
// and the epoch current_epoch_with_lookahead (subnets/weights.rs) judges
// commits by: SubnetEpochIndex, plus one when the subnet's epoch is due at
// this block and has not run (should_run_epoch).
func (l *Ledger) weightNow(st *SubnetState) subnet.Now {
	epoch := st.Schedule.EpochIndex
	if st.Schedule.Due(l.block) {
		epoch++
	}
	return subnet.Now{Block: l.block, Epoch: epoch}
}

// stakeWeight is the total stake of get_stake_weights_for_hotkey_on_subnet
// (staking/stake_utils.rs), which check_weights_min_stake (lib.rs) compares
// with StakeThreshold: the hotkey's alpha on the subnet and its root stake,
// each with what its parents pass it and its children take
// (get_inherited_for_hotkey_on_subnet, get_tao_inherited_for_hotkey_on_subnet),
// combined by subnet.TotalStake at TaoWeight.
//
// Each stake is read once (TotalHotkeyAlpha on the subnet and on root).
// With no ChildKeys and no ParentKeys on the whole ledger the hotkey has
// neither, and the two lookups that would find none are skipped:
// inheritedFrom then takes the same no-links branch it would take after
// finding none, so the stake weight has the same bits.
func (l *Ledger) stakeWeight(h units.AccountID, netuid units.NetUID) uint64 {
	alpha, root := l.hotkeyAlpha(h, netuid), units.TAO(l.hotkeyAlpha(h, RootNetUID))
	if len(l.children) == 0 && len(l.parents) == 0 {
		return subnet.TotalStake(consensus.Inherited(alpha, nil, nil), consensus.Inherited(root, nil, nil), l.params.TaoWeight)
	}
	var buf viewBuffers
	alpha, tao := l.inheritedFrom(h, netuid, alpha, root, &buf)
	return subnet.TotalStake(alpha, tao, l.params.TaoWeight)
}

// StakeWeight returns the hotkey's stake weight on the subnet, the number
// the weight calls compare with StakeThreshold (see SetWeights).
func (l *Ledger) StakeWeight(hotkey units.AccountID, netuid units.NetUID) uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.stakeWeight(hotkey, netuid)
}

// SetWeights is set_weights (mech 0) and set_mechanism_weights
// (do_set_weights, pallets/subtensor/src/subnets/weights.rs), signed by
// hotkey: subnet.Subnet.SetWeights at the current block, with the hotkey's
// stake weight (StakeWeight: inherited alpha plus inherited root stake ×
// TaoWeight) for the StakeThreshold check. The subnet package's errors
// pass through, wrapped; an error changes nothing.
func (l *Ledger) SetWeights(hotkey units.AccountID, netuid units.NetUID, mech uint8, uids, values []uint16, versionKey uint64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	sn, now, who, err := l.weightCall(hotkey, netuid, false)
	if err == nil {
		err = sn.SetWeights(now, who, mech, uids, values, versionKey)
	}
	if err != nil {
		return &weightsError{op: "set_weights", netuid: netuid, mech: mech, err: err}
	}
	if l.onEvent != nil { // the event is built only for a listener
		l.emit(Event{Kind: EventWeightsSet, NetUID: netuid, Hotkey: hotkey, Value: uint64(mech)})
	}
	return nil
}

// WeightsCall is one set_weights call of a batch (SetWeightsBatch): the
// arguments of SetWeights.
type WeightsCall struct {
	// Hotkey signs the call.
	Hotkey units.AccountID
	// NetUID and Mech are the subnet and its mechanism (0 for set_weights).
	NetUID units.NetUID
	Mech   uint8
	// UIDs and Values are the weights, uid by uid; the ledger keeps no
	// reference to them after the call.
	UIDs, Values []uint16
	// VersionKey is checked against the subnet's WeightsVersionKey.
	VersionKey uint64
}

// SetWeightsBatch makes the set_weights calls in order, each exactly as
// SetWeights(c.Hotkey, c.NetUID, c.Mech, c.UIDs, c.Values, c.VersionKey)
// would in turn: each call succeeds or fails on its own (a failed call
// changes nothing, and the calls after it still run), each sees the
// state the calls before it left, and each call that succeeds emits its
// EventWeightsSet, in the calls' order. It appends each call's error,
// nil for a call that succeeded, wrapped as SetWeights wraps it, to errs
// and returns the extended slice: len(calls) more entries, in the calls'
// order. It does not allocate when errs has room and no call fails, and
// a refused call allocates its error alone, whose text is made when read.
//
// The batch holds the ledger's lock once for all the calls, and the
// subnets read the state of up to 16 calls at once before making them
// (subnet.SetWeightsBatch), so that their cache misses overlap: a batch
// of a block's calls costs less than the calls one at a time. No other
// call sees the ledger between two calls of a batch.
func (l *Ledger) SetWeightsBatch(errs []error, calls []WeightsCall) []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(calls) > 0 {
		chunk := calls[:min(len(calls), weightsChunk)]
		errs = l.setWeightsChunk(errs, chunk)
		calls = calls[len(chunk):]
	}
	return errs
}

// weightsChunk is the number of calls setWeightsChunk passes to the
// subnets at once.
const weightsChunk = 16

// setWeightsChunk is SetWeightsBatch of at most weightsChunk calls. It
// finds every call's subnet and signer first (weightCall's, with the
// moment of set_weights, the current block and epoch 0), then makes the
// calls that found one (subnet.SetWeightsBatch), then wraps the errors
// and emits the events in the calls' order. That is the order of the
// calls one at a time: weightCall reads only what no set_weights call
// writes (the subnet list, the block, StakeThreshold and stake), so
// reading it before the calls reads the same; and the events, which the
// listener receives under the lock, reach it in the same order with the
// same contents. Each subnet call is filled in place, field by field,
// rather than built aside and copied in.
//
// The subnets append their results to errs directly. A call that found
// no subnet is marked in refused and its error asked of weightSubnet
// again when the results are spread to the calls' places (the same
// error: no set_weights call changes the subnet list), so that a chunk
// whose calls all found their subnet, the common case, keeps no buffer
// of errors to clear and merge.
func (l *Ledger) setWeightsChunk(errs []error, calls []WeightsCall) []error {
	var sub [weightsChunk]subnet.WeightsCall
	calls = calls[:min(len(calls), weightsChunk)]
	now := subnet.Now{Block: l.block}
	var refused uint32 // bit i: call i found no subnet
	n := 0
	for i := range calls {
		c := &calls[i]
		_, sn, err := l.weightSubnet(c.NetUID)
		if err != nil {
			refused |= 1 << i
			continue
		}
		w := &sub[n]
		w.Subnet, w.At, w.Who = sn, now, l.weightSigner(sn, c.Hotkey, c.NetUID)
		w.Mech, w.UIDs, w.Values, w.VersionKey = c.Mech, c.UIDs, c.Values, c.VersionKey
		n++
	}
	start := len(errs)
	errs = subnet.SetWeightsBatch(errs, sub[:n])
	if refused != 0 {
		// Spread the n results to their calls' places, from the last:
		// the result of the k-th call that ran moves from start+k to
		// start+i with k ≤ i, so no result is overwritten before it
		// has moved.
		errs = slices.Grow(errs, len(calls)-n)[:start+len(calls)]
		k := n
		for i := len(calls) - 1; i >= 0; i-- {
			if refused&(1<<i) != 0 {
				_, _, errs[start+i] = l.weightSubnet(calls[i].NetUID)
				continue
			}
			k--
			errs[start+i] = errs[start+k]
		}
	}
	res := errs[start:]
	for i := range calls {
		c := &calls[i]
		if err := res[i]; err != nil {
			res[i] = &weightsError{op: "set_weights", netuid: c.NetUID, mech: c.Mech, err: err}
			continue
		}
		if l.onEvent != nil {
			l.emit(Event{Kind: EventWeightsSet, NetUID: c.NetUID, Hotkey: c.Hotkey, Value: uint64(c.Mech)})
		}
	}
	return errs
}

// CommitWeights is commit_weights and commit_mechanism_weights
// (do_commit_weights, subnets/weights.rs): subnet.Subnet.CommitWeights at
// the current block and epoch (SubnetEpochIndex, plus one when the epoch is
// due now). An error changes nothing.
func (l *Ledger) CommitWeights(hotkey units.AccountID, netuid units.NetUID, mech uint8, hash [32]byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	sn, now, who, err := l.weightCall(hotkey, netuid, true)
	if err == nil {
		err = sn.CommitWeights(now, who, mech, hash)
	}
	if err != nil {
		return &weightsError{op: "commit_weights", netuid: netuid, mech: mech, err: err}
	}
	l.emit(Event{Kind: EventWeightsCommitted, NetUID: netuid, Hotkey: hotkey, Value: uint64(mech)})
	return nil
}

// RevealWeights is reveal_weights and reveal_mechanism_weights
// (do_reveal_weights, subnets/weights.rs): subnet.Subnet.RevealWeights at
// the current block and epoch, with the hotkey's stake weight. An error
// changes nothing.
func (l *Ledger) RevealWeights(hotkey units.AccountID, netuid units.NetUID, mech uint8, uids, values, salt []uint16, versionKey uint64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	sn, now, who, err := l.weightCall(hotkey, netuid, true)
	if err == nil {
		err = sn.RevealWeights(now, who, mech, uids, values, salt, versionKey)
	}
	if err != nil {
		return &weightsError{op: "reveal_weights", netuid: netuid, mech: mech, err: err}
	}
	l.emit(Event{Kind: EventWeightsRevealed, NetUID: netuid, Hotkey: hotkey, Value: uint64(mech)})
	return nil
}

// BatchRevealWeights is batch_reveal_weights (do_batch_reveal_weights,
// subnets/weights.rs): subnet.Subnet.BatchRevealWeights at the current
// block and epoch, with the hotkey's stake weight. An error changes
// nothing.
func (l *Ledger) BatchRevealWeights(hotkey units.AccountID, netuid units.NetUID, uidsList, valuesList, saltsList [][]uint16, versionKeys []uint64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	sn, now, who, err := l.weightCall(hotkey, netuid, true)
	if err == nil {
		err = sn.BatchRevealWeights(now, who, uidsList, valuesList, saltsList, versionKeys)
	}
	if err != nil {
		return &weightsError{op: "batch_reveal_weights", netuid: netuid, noMech: true, err: err}
	}
	l.emit(Event{Kind: EventWeightsRevealed, NetUID: netuid, Hotkey: hotkey})
	return nil
}
