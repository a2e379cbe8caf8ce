package dtao

import (
	"fmt"

	"github.com/dtao-go/dtao/emission"
)

// StepPhasedRef runs the next block as Step does, with the block's
// phases each in a pass of its own over the subnets (stepPhasedRef), for
// the external differential test of Step.
func StepPhasedRef(l *Ledger) (BlockReport, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stepPhasedRef()
}

// stepPhasedRef is the block as step ran it before its scheduling, moving
// prices and pending children were fused into one pass (the reference of
// TestStepMatchesPhasedReference): the epochs' outcomes applied to every
// schedule, then the distributions, then the moving prices of every
// emitting subnet, then the pending children of every subnet whose slot
// fired, each pass in storage order.
func (l *Ledger) stepPhasedRef() (BlockReport, error) {
	b := l.block + 1
	buf := &l.buf
	ids, subs := l.keptSubnets()

	// The coinbase computes on copies of the pools: run it first, so that a
	// pool it refuses leaves the ledger untouched.
	issuance := l.totalIssuance
	blockEmission := emission.Mint(issuance, emission.BlockEmission(issuance))
	in := &buf.coinbase
	in.BlockEmission = blockEmission
	in.TaoWeight = l.params.TaoWeight
	in.RootTAO = 0
	if root := buf.root; root != nil {
		in.RootTAO = root.Pool.TAO
	}
	// Every field of each subnet's input is written in place, without a
	// composite literal built on the stack and copied in.
	in.Subnets = growTo(in.Subnets, len(ids))
	cut := emission.CutOf(l.params.SubnetOwnerCut)
	for i, id := range ids {
		st, sn := subs[i].st, subs[i].sn
		h := &sn.Hyperparameters
		c := &in.Subnets[i]
		c.NetUID = id
		c.Pool = st.Pool
		c.MovingPrice = st.MovingPrice
		c.MinerBurned = st.MinerBurned
		c.Emitting = emission.Emits(id, st.Started, st.SubtokenEnabled, h.NetworkRegistrationAllowed)
		c.EmissionDisabled = st.EmissionDisabled
		c.OwnerCut = cut
		c.OwnerCutDisabled = !h.OwnerCutEnabled
	}
	res, err := buf.coinbaser.Coinbase(in)
	if err != nil {
		return BlockReport{}, fmt.Errorf("block %d: coinbase: %w", b, err)
	}

	l.block = b
	report := BlockReport{Block: b, Emission: blockEmission}

	// 1. Registration prices, and the root's registration counters; 3.
	// the coinbase's results; and the schedules for 4. In one pass over
	// the subnets: a subnet's registration step touches its neurons only,
	// the results its state only, and neither reads the other's (nor the
	// root's) writes.
	resetRootRegistrations(l.subnets[RootNetUID], b)
	// The events are built only for a listener (OnEvent): emit drops them
	// without one, but the compiler builds each first.
	events := l.onEvent != nil
	n := len(ids)
	schedules := make([]emission.Schedule, n)
	outcomes := make([]emission.EpochOutcome, n)
	for i, id := range ids {
		subs[i].sn.Step(b)
		st := subs[i].st
		c, r := &in.Subnets[i], &res.Subnets[i]
		oldOut := st.Pool.AlphaOut
		st.Pool = c.Pool
		credit := r.TAOIn.SaturatingAdd(r.ChainBuyTAO)
		if credit > 0 {
			l.creditSubnetAccount(&subs[i], id, credit)
			l.totalStake = l.totalStake.SaturatingAdd(credit)
			report.Minted = report.Minted.SaturatingAdd(credit)
		}
		st.ProtocolAlpha = st.ProtocolAlpha.SaturatingAdd(r.BoughtAlpha)
		s := r.Split
		st.PendingOwnerCut = st.PendingOwnerCut.SaturatingAdd(s.OwnerCut)
		st.PendingServer = st.PendingServer.SaturatingAdd(s.Server)
		st.PendingValidator = st.PendingValidator.SaturatingAdd(s.Validator)
		assigned := r.BoughtAlpha.SaturatingAdd(s.OwnerCut).SaturatingAdd(s.Server).SaturatingAdd(s.Validator)
		if !r.RootRecycled {
			st.PendingRoot = st.PendingRoot.SaturatingAdd(s.Root)
			assigned = assigned.SaturatingAdd(s.Root)
		}
		// What the coinbase minted into SubnetAlphaOut beyond what it
		// assigned is the floors' dust: held by nobody.
		if grown := st.Pool.AlphaOut.SaturatingSub(oldOut); grown > assigned {
			st.AlphaBurned = st.AlphaBurned.SaturatingAdd(grown - assigned)
		}
		if events && (r.TAOIn > 0 || r.AlphaIn > 0 || r.AlphaOut > 0 || r.ChainBuyTAO > 0) {
			l.emit(Event{Kind: EventEmission, NetUID: id, TAO: r.TAOIn, Alpha: r.AlphaOut})
		}
		schedules[i] = st.Schedule
	}
	report.Recycled = blockEmission.SaturatingSub(report.Minted)

	// 4. Epochs: schedule, drain, then distribute in storage order.
	emission.AdvanceSchedules(schedules, nil, b, l.params.MaxEpochsPerBlock, outcomes)
	buf.drained = buf.drained[:0]
	for i, id := range ids {
		st := subs[i].st
		st.Schedule = schedules[i]
		switch outcomes[i] {
		case emission.Ran:
			report.EpochsRun++
			d := drained{netuid: id, at: i, server: st.PendingServer, validator: st.PendingValidator,
				root: st.PendingRoot, ownerCut: st.PendingOwnerCut}
			d.total = d.server.SaturatingAdd(d.validator).SaturatingAdd(d.root)
			st.PendingServer, st.PendingValidator, st.PendingRoot, st.PendingOwnerCut = 0, 0, 0, 0
			buf.drained = append(buf.drained, d)
		case emission.Deferred:
			report.EpochsDeferred++
			if events {
				l.emit(Event{Kind: EventEpochDeferred, NetUID: id})
			}
		case emission.Skipped:
			report.EpochsSkipped++
		}
	}
	for _, d := range buf.drained {
		l.distribute(b, d, subs[d.at].st, subs[d.at].sn)
	}

	// 5. Moving prices of the subnets emitted to.
	for i := range ids {
		if !in.Subnets[i].Emitting {
			continue
		}
		st := subs[i].st
		// The coinbase's price of the pool it left (SubnetCoinbase.Price):
		// the epochs and payouts between change no pool's price fields
		// (AlphaOut only), so it is Pool.Price now, without computing it
		// again (TestMovingPricesReadTheBlocksPools).
		st.MovingPrice = movingPriceAt(st, res.Subnets[i].Price, b, l.params.SubnetMovingAlpha)
	}

	// 6. Pending children of the subnets whose epoch slot fired.
	for i, id := range ids {
		if subs[i].st.Schedule.LastEpochBlock == b {
			l.applyPendingChildren(id, b)
		}
	}
	return report, nil
}
