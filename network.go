package dtao

import (
	"fmt"
	"slices"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// Chain errors of subnet registration and start_call
// (pallets/subtensor/src/macros/errors.rs).
var (
	// ErrNetworkTxRateLimitExceeded: a subnet was registered less than
	// NetworkRateLimit blocks ago.
	ErrNetworkTxRateLimitExceeded = units.NewChainError("dtao", "NetworkTxRateLimitExceeded",
		"subnet registration rate limit exceeded")
	// ErrSubnetLimitReached: SubnetLimit subnets exist and none may be
	// pruned (all immune).
	ErrSubnetLimitReached = units.NewChainError("dtao", "SubnetLimitReached", "subnet limit reached")
	// ErrCannotAffordLockCost: the coldkey's free balance is below the lock.
	ErrCannotAffordLockCost = units.NewChainError("dtao", "CannotAffordLockCost", "cannot afford the lock cost")
	// ErrFirstEmissionBlockNumberAlreadySet: start_call on a started subnet.
	ErrFirstEmissionBlockNumberAlreadySet = units.NewChainError("dtao", "FirstEmissionBlockNumberAlreadySet",
		"the first emission block is already set")
	// ErrNeedWaitingMoreBlocksToStarCall: start_call before StartCallDelay
	// blocks have passed since the registration (the chain's spelling).
	ErrNeedWaitingMoreBlocksToStarCall = units.NewChainError("dtao", "NeedWaitingMoreBlocksToStarCall",
		"start_call is too early")
)

// The storage values NetworkRegistrationStartBlock and
// TaoInRefundDeploymentBlock (pallets/subtensor/src/lib.rs) at their
// defaults, 0: subnet registration is open from block 0, no subnet is a
// legacy one whose owner dissolution refunds the lock, and a subnet
// registered after block 0 counts its alpha reserve in the protocol's part
// of the dissolution pot.
const (
	networkRegistrationStartBlock uint64 = 0
	taoInRefundDeploymentBlock    uint64 = 0
)

// NetworkLockCost returns the lock a subnet registration costs now
// (get_network_lock_cost, pallets/subtensor/src/coinbase/root.rs), from
// NetworkLastLockCost, the last registration's block, the parameters'
// NetworkLockReductionInterval and NetworkMinLockCost and the block
// emission at the current TotalIssuance.
func (l *Ledger) NetworkLockCost() units.TAO {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.lockCost()
}

func (l *Ledger) lockCost() units.TAO {
	c, _ := NetworkLockCost(LockCostParams{
		LastLockCost:          l.lastLockCost,
		LastRegistrationBlock: l.lastNetworkRegistered,
		CurrentBlock:          l.block,
		LockReductionInterval: l.params.NetworkLockReductionInterval,
		MinLockCost:           l.params.NetworkMinLockCost,
		BlockEmission:         emission.BlockEmission(l.totalIssuance),
	})
	return c
}

// LastLockCost returns NetworkLastLockCost and the block of the last subnet
// registration (0 for none).
func (l *Ledger) LastLockCost() (units.TAO, uint64) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.lastLockCost, l.lastNetworkRegistered
}

// NetworkToPrune returns the subnet a registration at the subnet limit
// would prune now and whether there is one (get_network_to_prune,
// coinbase/root.rs): among the non-root subnets past their
// NetworkImmunityPeriod, the lowest moving price, ties to the earliest
// registered, then to the first in storage order.
func (l *Ledger) NetworkToPrune() (units.NetUID, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.networkToPrune()
}

// storageOrder returns the netuids in NetworksAdded's storage order: the
// Identity-hashed u16 key's little-endian bytes, compared low byte first.
func (l *Ledger) storageOrder() []units.NetUID {
	ids := slices.Clone(l.order)
	key := func(n units.NetUID) uint16 { return uint16(n)<<8 | uint16(n)>>8 }
	slices.SortFunc(ids, func(a, b units.NetUID) int { return int(key(a)) - int(key(b)) })
	return ids
}

func (l *Ledger) networkToPrune() (units.NetUID, bool) {
	var (
		found     bool
		candidate units.NetUID
		price     = fixed.U64F64Max()
		stamp     = ^uint64(0)
	)
	for _, id := range l.storageOrder() {
		if id == RootNetUID {
			continue
		}
		st := l.subnets[id]
		if l.block < fixed.SaturatingAddUint64(st.RegisteredAt, l.params.NetworkImmunityPeriod) {
			continue
		}
		p := movingAlphaPrice(st)
		if p.Less(price) || p == price && st.RegisteredAt < stamp {
			found, candidate, price, stamp = true, id, p, st.RegisteredAt
		}
	}
	return candidate, found
}

// movingAlphaPrice is get_moving_alpha_price (staking/stake_utils.rs): 1
// for a stable pool, else SubnetMovingPrice as a U64F64 (saturating).
func movingAlphaPrice(st *SubnetState) fixed.U64F64 {
	if st.Pool.Mechanism != amm.Dynamic {
		return fixed.U64F64FromUint64(1)
	}
	return st.MovingPrice.SaturatingToU64F64()
}

// medianAlphaPrice is get_median_subnet_alpha_price (staking/stake_utils.rs)
// over the non-root subnets but skip: the median of the positive current
// prices (the mean of the two middle ones for an even count), 1 when there
// is none.
func (l *Ledger) medianAlphaPrice(skip units.NetUID) fixed.U64F64 {
	var prices []fixed.U64F64
	for _, id := range l.order {
		if id == RootNetUID || id == skip {
			continue
		}
		p := l.subnets[id].Pool.Price().U64F64()
		if !p.IsZero() {
			prices = append(prices, p)
		}
	}
	n := len(prices)
	if n == 0 {
		return fixed.U64F64FromUint64(1)
	}
	slices.SortFunc(prices, fixed.U64F64.Cmp)
	lo, hi := (n-1)/2, n/2
	if lo == hi {
		return prices[hi]
	}
	return prices[lo].SaturatingAdd(prices[hi]).SafeDiv(fixed.U64F64FromUint64(2))
}

// nextNetUID is get_next_netuid (subnets/subnet.rs): the lowest free
// netuid from 1.
func (l *Ledger) nextNetUID() (units.NetUID, bool) {
	for id := units.NetUID(1); id != 0; id++ {
		if _, ok := l.subnets[id]; !ok {
			return id, true
		}
	}
	return 0, false
}

// RegisterNetwork is the register_network extrinsic (do_register_network,
// pallets/subtensor/src/subnets/subnet.rs) signed by coldkey, with hotkey
// as the subnet owner's hotkey; it returns the new netuid. The checks, in
// the chain's order: the hotkey has no owner or is coldkey's
// (subnet.ErrNonAssociatedColdKey) and is no subnet account
// (subnet.ErrCannotUseSystemAccount); NetworkRateLimit blocks have passed
// since the last registration (ErrNetworkTxRateLimitExceeded); at
// SubnetLimit non-root subnets one must be prunable (NetworkToPrune, else
// ErrSubnetLimitReached); the free balance covers the lock
// (NetworkLockCost, else ErrCannotAffordLockCost); the lock can move
// keeping the coldkey alive (ErrInsufficientBalance).
//
// Then: the subnet to prune is dissolved (DissolveNetwork's refunds and
// clean-up) and its netuid reused, else the lowest free netuid from 1 is
// taken; the lock, at most what keeps the coldkey alive, moves to the
// subnet account and becomes NetworkLastLockCost, with the current block
// as the last registration's. The pool holds TAO max(lock,
// NetworkMinLockCost) and alpha floor(that / median price of the other
// subnets) (1 when none has a price), no alpha out, the swap pallet
// uninitialised at the default fee and weight; TotalStake grows by the
// pool's TAO. The subnet starts as subnet.New makes it (the hotkey at uid
// 0, default hyperparameters, tempo 360 with LastEpochBlock staggered to
// block − netuid mod tempo), SubnetLocked the lock, registered at the
// current block, not started, subtoken disabled and emission disabled
// (SubnetEmissionEnabled false). A pruned netuid's OwnerCutEnabled,
// MinAllowedUids, MinNonImmuneUids and RecycleOrBurn, which the chain
// keeps in storage, carry over. The hotkey becomes coldkey's when new.
// EventNetworkRemoved (for a pruned subnet) and EventNetworkAdded report
// it.
func (l *Ledger) RegisterNetwork(coldkey, hotkey units.AccountID) (units.NetUID, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	id, err := l.registerNetwork(coldkey, hotkey)
	if err != nil {
		return 0, fmt.Errorf("register_network by %x: %w", coldkey[:], err)
	}
	return id, nil
}

func (l *Ledger) registerNetwork(coldkey, hotkey units.AccountID) (units.NetUID, error) {
	if err := l.checkOrigin(coldkey); err != nil {
		return 0, err
	}
	if owner, ok := l.owner[hotkey]; ok && owner != coldkey {
		return 0, subnet.ErrNonAssociatedColdKey
	}
	if _, ok := subnet.IsSubnetAccount(hotkey); ok {
		return 0, subnet.ErrCannotUseSystemAccount
	}
	block := l.block
	if block < networkRegistrationStartBlock {
		return 0, subnet.ErrSubNetRegistrationDisabled
	}
	if last := l.lastNetworkRegistered; last != 0 && fixed.SaturatingSubUint64(block, last) < l.params.NetworkRateLimit {
		return 0, ErrNetworkTxRateLimitExceeded
	}
	count := len(l.subnets)
	if _, ok := l.subnets[RootNetUID]; ok {
		count--
	}
	var (
		prune    units.NetUID
		hasPrune bool
	)
	if count >= int(l.params.SubnetLimit) {
		if prune, hasPrune = l.networkToPrune(); !hasPrune {
			return 0, ErrSubnetLimitReached
		}
	}
	lock := l.lockCost()
	if lock > l.balance(coldkey) {
		return 0, ErrCannotAffordLockCost
	}
	netuid := prune
	if !hasPrune {
		id, ok := l.nextNetUID()
		if !ok {
			return 0, ErrSubnetLimitReached
		}
		netuid = id
	}
	// transfer_tao_to_subnet: at most what keeps the coldkey alive.
	moved := min(lock, l.balance(coldkey).SaturatingSub(l.ed))
	if lock > 0 && moved == 0 {
		return 0, ErrInsufficientBalance
	}
	// The pool, sized at the median price of the subnets that remain.
	poolTAO := max(moved, l.params.NetworkMinLockCost)
	median := l.medianAlphaPrice(prune)
	alpha := fixed.U64F64FromUint64(poolTAO.Rao()).SafeDiv(median).SaturatingToUint64()
	pool := amm.NewPool(poolTAO, units.Alpha(alpha))
	pool.Initialized = false
	pool.MinReserve = l.minReserve()
	sn, err := subnet.New(netuid, coldkey, hotkey, pool, block)
	if err != nil {
		return 0, err
	}
	sn.Globals = l.params.globals()

	// remove_network leaves OwnerCutEnabled, MinAllowedUids,
	// MinNonImmuneUids and RecycleOrBurn of a pruned netuid in storage, and
	// init_new_network does not reset them: the new subnet inherits them.
	var recycle bool
	if hasPrune {
		oh, h := &l.nets[prune].Hyperparameters, &sn.Hyperparameters
		h.OwnerCutEnabled, h.MinAllowedUids, h.MinNonImmuneUids = oh.OwnerCutEnabled, oh.MinAllowedUids, oh.MinNonImmuneUids
		recycle = l.subnets[prune].RecycleIncentive
	}

	j := l.begin()
	var removedEvent *Event
	if hasPrune {
		l.dissolve(j, prune)
		removedEvent = &Event{Kind: EventNetworkRemoved, NetUID: prune}
	}
	// The subnet account of a reused netuid may hold what the dissolution
	// left (the existential deposit); the lock joins it.
	if err := l.balTransfer(j, coldkey, SubnetAccountID(netuid), moved, true); err != nil {
		j.rollback()
		return 0, err
	}
	l.lastLockCost, l.lastNetworkRegistered = moved, block
	if _, ok := l.owner[hotkey]; !ok {
		j.setOwner(hotkey, coldkey)
	}
	tempo := sn.Hyperparameters.Tempo
	st := &SubnetState{
		NetUID: netuid, Owner: coldkey, OwnerHotkey: hotkey,
		Pool:             pool,
		Locked:           moved,
		RegisteredAt:     block,
		EmissionDisabled: true,
		Schedule: emission.Schedule{
			Tempo:          tempo,
			LastEpochBlock: fixed.SaturatingSubUint64(block, uint64(netuid)%max(uint64(tempo), 1)),
		},
		EMAPriceHalvingBlocks: amm.DefaultEMAPriceHalvingBlocks,
		RecycleIncentive:      recycle,
	}
	j.addSubnet(st, sn)
	l.totalStake = l.totalStake.SaturatingAdd(poolTAO)
	j.commit()
	if removedEvent != nil {
		l.emit(*removedEvent)
	}
	l.emit(Event{Kind: EventNetworkAdded, NetUID: netuid, Hotkey: hotkey, Coldkey: coldkey, TAO: moved})
	return netuid, nil
}

// minReserve is the runtime's SwapMinimumReserve as the ledger's pools
// hold it: the root pool's, else the first subnet's (0, the default,
// without any).
func (l *Ledger) minReserve() uint64 {
	if root, ok := l.subnets[RootNetUID]; ok {
		return root.Pool.MinReserve
	}
	for _, id := range l.order {
		return l.subnets[id].Pool.MinReserve
	}
	return 0
}

// StartCall is the start_call extrinsic (do_start_call, subnets/subnet.rs)
// signed by coldkey: the subnet exists (ErrSubnetNotExists), coldkey owns it
// (ErrBadOrigin), it has not started (ErrFirstEmissionBlockNumberAlreadySet)
// and StartCallDelay blocks have passed since its registration
// (ErrNeedWaitingMoreBlocksToStarCall). Then FirstEmissionBlockNumber is
// the next block and SubtokenEnabled is on: the subnet emits from the next
// block and takes stake.
func (l *Ledger) StartCall(coldkey units.AccountID, netuid units.NetUID) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, ok := l.subnets[netuid]
	if !ok {
		return fmt.Errorf("start_call on netuid %d: %w", netuid, ErrSubnetNotExists)
	}
	if st.Owner != coldkey {
		return fmt.Errorf("start_call on netuid %d by %x: %w", netuid, coldkey[:], ErrBadOrigin)
	}
	if st.Started {
		return fmt.Errorf("start_call on netuid %d: %w", netuid, ErrFirstEmissionBlockNumberAlreadySet)
	}
	if l.block < fixed.SaturatingAddUint64(st.RegisteredAt, l.params.StartCallDelay) {
		return fmt.Errorf("start_call on netuid %d at block %d: %w", netuid, l.block, ErrNeedWaitingMoreBlocksToStarCall)
	}
	st.FirstEmissionBlock = fixed.SaturatingAddUint64(l.block, 1)
	st.Started, st.SubtokenEnabled = true, true
	l.emit(Event{Kind: EventFirstEmissionBlockNumberSet, NetUID: netuid, Coldkey: coldkey, Value: st.FirstEmissionBlock})
	return nil
}
