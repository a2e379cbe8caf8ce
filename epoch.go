package dtao

import (
	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// nextMovingPrice is update_moving_price (staking/stake_utils.rs) for one
// emitting subnet at block.
func nextMovingPrice(st *SubnetState, block uint64, movingAlpha fixed.I96F32) fixed.I96F32 {
	halving := st.EMAPriceHalvingBlocks
	if halving == 0 {
		halving = amm.DefaultEMAPriceHalvingBlocks
	}
	return amm.NextMovingPrice(st.MovingPrice, st.Pool.Price(),
		movingAlpha, amm.BlocksSinceStart(block, st.FirstEmissionBlock), halving)
}

// stakeView fills the epoch's stake per uid of the subnet: each hotkey's
// alpha and root stake with what its parents pass it and its children take
// (get_inherited_for_hotkey_on_subnet and
// get_tao_inherited_for_hotkey_on_subnet, staking/stake_utils.rs).
func (l *Ledger) stakeView(netuid units.NetUID, sn *subnet.Subnet, buf *viewBuffers) subnet.StakeView {
	n := int(sn.N())
	buf.alpha = growTo(buf.alpha, n)
	buf.tao = growTo(buf.tao, n)
	for uid := range n {
		h, _ := sn.Hotkey(units.UID(uid))
		buf.alpha[uid], buf.tao[uid] = l.inherited(h, netuid, buf)
	}
	return subnet.StakeView{Alpha: buf.alpha, TAO: buf.tao}
}

// inherited is the hotkey's alpha stake on netuid and its root stake, each
// with what its parents pass it and its children take
// (get_inherited_for_hotkey_on_subnet and
// get_tao_inherited_for_hotkey_on_subnet, staking/stake_utils.rs), using
// buf's share slices as scratch.
func (l *Ledger) inherited(h units.AccountID, netuid units.NetUID, buf *viewBuffers) (units.Alpha, units.TAO) {
	k := stakeKey{h, netuid}
	ca, pa := buf.childA[:0], buf.parentA[:0]
	ct, pt := buf.childT[:0], buf.parentT[:0]
	for _, c := range l.children[k] {
		ca = append(ca, consensus.Share[units.Alpha]{Proportion: c.Proportion})
		ct = append(ct, consensus.Share[units.TAO]{Proportion: c.Proportion})
	}
	for _, p := range l.parents[k] {
		pa = append(pa, consensus.Share[units.Alpha]{Stake: l.hotkeyAlpha(p.Hotkey, netuid), Proportion: p.Proportion})
		pt = append(pt, consensus.Share[units.TAO]{Stake: units.TAO(l.hotkeyAlpha(p.Hotkey, RootNetUID)), Proportion: p.Proportion})
	}
	buf.childA, buf.parentA, buf.childT, buf.parentT = ca, pa, ct, pt
	return consensus.Inherited(l.hotkeyAlpha(h, netuid), ca, pa),
		consensus.Inherited(units.TAO(l.hotkeyAlpha(h, RootNetUID)), ct, pt)
}

// viewBuffers are stakeView's scratch slices.
type viewBuffers struct {
	alpha   []units.Alpha
	tao     []units.TAO
	childA  []consensus.Share[units.Alpha]
	parentA []consensus.Share[units.Alpha]
	childT  []consensus.Share[units.TAO]
	parentT []consensus.Share[units.TAO]
}

// hotkeyAlpha is TotalHotkeyAlpha.
func (l *Ledger) hotkeyAlpha(h units.AccountID, netuid units.NetUID) units.Alpha {
	if p, ok := l.stake[stakeKey{h, netuid}]; ok {
		return p.Total()
	}
	return 0
}

// hotkeyState is what the distribution reads of one hotkey on netuid.
func (l *Ledger) hotkeyState(h units.AccountID, netuid units.NetUID) emission.HotkeyState {
	hs := emission.HotkeyState{
		Owner:      l.owner[h],
		AlphaStake: l.hotkeyAlpha(h, netuid),
		RootStake:  l.hotkeyAlpha(h, RootNetUID),
	}
	if t, ok := l.delegateTake[h]; ok {
		hs.DelegateTake = emission.TakeOf(t)
	}
	hs.ChildkeyTake = max(l.childkeyTake[stakeKey{h, netuid}], l.params.MinChildkeyTake)
	for _, c := range l.children[stakeKey{h, netuid}] {
		hs.ChildProportions = append(hs.ChildProportions, c.Proportion)
	}
	for _, p := range l.parents[stakeKey{h, netuid}] {
		hs.Parents = append(hs.Parents, emission.ParentLink{Hotkey: p.Hotkey, Proportion: p.Proportion})
	}
	return hs
}

// distribute is distribute_emission (coinbase/run_coinbase.rs) for one
// drained subnet at block: the epoch, then the payouts. An epoch the
// consensus refuses (a hyperparameter the chain's Yuma would panic on)
// pays nothing: the drained alpha is booked as held by nobody and an
// EventEpochFailed reports it.
func (l *Ledger) distribute(block uint64, d drained) {
	st, sn := l.subnets[d.netuid], l.nets[d.netuid]
	l.syncIn(d.netuid)
	view := l.stakeView(d.netuid, sn, &l.buf.view)
	out, err := sn.RunEpoch(subnet.Now{Block: block, Epoch: st.Schedule.EpochIndex}, d.total, view, &l.ws)
	if err != nil {
		st.AlphaBurned = st.AlphaBurned.SaturatingAdd(d.total).SaturatingAdd(d.ownerCut)
		l.emit(Event{Kind: EventEpochFailed, NetUID: d.netuid, Alpha: d.total})
		return
	}
	// The input's slices and map are the ledger's, reused epoch after
	// epoch.
	buf := &l.buf
	if buf.hotkeys == nil {
		buf.hotkeys = make(map[units.AccountID]emission.HotkeyState, len(out))
	}
	clear(buf.hotkeys)
	buf.emissions = growTo(buf.emissions, len(out))
	in := emission.DistributionInput{
		PendingServer: d.server, PendingValidator: d.validator,
		PendingRoot: d.root, PendingOwnerCut: d.ownerCut,
		TaoWeight: l.params.TaoWeight, CKBurn: l.params.CKBurn,
		Emissions:       buf.emissions,
		Hotkeys:         buf.hotkeys,
		OwnerHotkeys:    buf.ownerHotkeys[:0],
		RecycleWithheld: st.RecycleIncentive,
	}
	for i, e := range out {
		in.Emissions[i] = emission.HotkeyEmission(e)
		in.Hotkeys[e.Hotkey] = l.hotkeyState(e.Hotkey, d.netuid)
		for _, p := range l.parents[stakeKey{e.Hotkey, d.netuid}] {
			if _, ok := in.Hotkeys[p.Hotkey]; !ok {
				in.Hotkeys[p.Hotkey] = l.hotkeyState(p.Hotkey, d.netuid)
			}
		}
	}
	for uid := range units.UID(sn.N()) {
		h, _ := sn.Hotkey(uid)
		if c, ok := l.owner[h]; ok && c == sn.Owner || sn.HasOwnerHotkey && h == sn.OwnerHotkey {
			in.OwnerHotkeys = append(in.OwnerHotkeys, h)
		}
	}
	buf.ownerHotkeys = in.OwnerHotkeys
	dist, err := emission.Distribute(&in)
	if err != nil {
		st.AlphaBurned = st.AlphaBurned.SaturatingAdd(d.total).SaturatingAdd(d.ownerCut)
		l.emit(Event{Kind: EventEpochFailed, NetUID: d.netuid, Alpha: d.total})
		return
	}
	l.payOut(d, &dist)
	l.emit(Event{Kind: EventEpoch, NetUID: d.netuid, Alpha: d.total.SaturatingAdd(d.ownerCut)})
}

// payOut applies distribute_dividends_and_incentives
// (coinbase/run_coinbase.rs) to the ledger, booking every rao of the
// drained buckets: what no stake receives is recycled (SubnetAlphaOut −=)
// or held by nobody (AlphaBurned).
func (l *Ledger) payOut(d drained, dist *emission.Distribution) {
	st, sn := l.subnets[d.netuid], l.nets[d.netuid]
	paid := units.Alpha(0)
	unheld := units.Alpha(0)
	credit := func(h, c units.AccountID, a units.Alpha) {
		if a == 0 {
			return
		}
		paid = paid.SaturatingAdd(a)
		if !l.creditStake(h, c, d.netuid, a) {
			unheld = unheld.SaturatingAdd(a)
		}
	}
	if sn.HasOwnerHotkey {
		credit(sn.OwnerHotkey, sn.Owner, dist.OwnerCut)
	} else {
		paid = paid.SaturatingAdd(dist.OwnerCut)
		unheld = unheld.SaturatingAdd(dist.OwnerCut)
	}
	for _, p := range dist.Incentives {
		credit(p.Hotkey, l.owner[p.Hotkey], p.Amount)
	}
	paid = paid.SaturatingAdd(dist.Withheld)
	if st.RecycleIncentive {
		st.Pool.AlphaOut = st.Pool.AlphaOut.SaturatingSub(dist.Withheld)
	} else {
		unheld = unheld.SaturatingAdd(dist.Withheld)
	}
	st.MinerBurned = dist.MinerBurned
	for _, p := range dist.AlphaDividends {
		credit(p.Hotkey, l.owner[p.Hotkey], p.Take)
		if p.Rest > 0 {
			paid = paid.SaturatingAdd(p.Rest)
			if !l.creditPool(p.Hotkey, d.netuid, p.Rest) {
				unheld = unheld.SaturatingAdd(p.Rest)
			}
		}
	}
	for _, p := range dist.RootDividends {
		credit(p.Hotkey, l.owner[p.Hotkey], p.Take)
		if p.Rest == 0 {
			continue
		}
		// increase_root_claimable_for_hotkey_and_subnet
		// (staking/claim_root.rs): a dividend above the root stake is
		// staked to the hotkey's owner instead.
		rootStake := l.hotkeyAlpha(p.Hotkey, RootNetUID)
		if p.Rest > rootStake {
			credit(p.Hotkey, l.owner[p.Hotkey], p.Rest)
			continue
		}
		paid = paid.SaturatingAdd(p.Rest)
		st.RootClaimableAlpha = st.RootClaimableAlpha.SaturatingAdd(p.Rest)
		if inc, ok := emission.RootClaimableIncrement(p.Rest, rootStake); ok {
			k := stakeKey{p.Hotkey, d.netuid}
			l.rootClaimable[k] = l.rootClaimable[k].SaturatingAdd(inc)
		}
	}
	paid = paid.SaturatingAdd(dist.CKBurned)
	st.Pool.AlphaOut = st.Pool.AlphaOut.SaturatingSub(dist.CKBurned)
	// The CK burn is recycled on top of dividends renormalised to the
	// whole pool: what was paid beyond the drained alpha left
	// SubnetAlphaOut without leaving a holder.
	total := d.total.SaturatingAdd(d.ownerCut)
	if total > paid {
		unheld = unheld.SaturatingAdd(total - paid)
	} else {
		st.AlphaOutShortfall = st.AlphaOutShortfall.SaturatingAdd(paid - total)
	}
	st.AlphaBurned = st.AlphaBurned.SaturatingAdd(unheld)
}

// creditStake is increase_stake_for_hotkey_and_coldkey_on_subnet: amount
// joins the coldkey's share of the hotkey's pool. It reports false when
// the share pool cannot represent it (the alpha then stays unheld).
func (l *Ledger) creditStake(h, c units.AccountID, netuid units.NetUID, amount units.Alpha) bool {
	if _, ok := l.owner[h]; !ok {
		return false
	}
	k := stakeKey{h, netuid}
	p, ok := l.stake[k]
	if !ok {
		p = &SharePool{}
		l.stake[k] = p
	}
	if err := p.Stake(c, amount); err != nil {
		if p.isEmpty() {
			delete(l.stake, k)
		}
		return false
	}
	return true
}

// creditPool is increase_stake_for_hotkey_on_subnet: amount raises the
// value of every share of the hotkey's pool. A pool without shares cannot
// take it.
func (l *Ledger) creditPool(h units.AccountID, netuid units.NetUID, amount units.Alpha) bool {
	p, ok := l.stake[stakeKey{h, netuid}]
	if !ok || p.Len() == 0 {
		return false
	}
	return p.Dividend(amount) == nil
}
