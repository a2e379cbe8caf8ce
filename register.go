package dtao

import (
	"fmt"

	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// BurnedRegister is the burned_register extrinsic (and register, which
// does the same since the proof of work was retired): do_register
// (pallets/subtensor/src/subnets/registration.rs), signed by coldkey. It
// returns the uid the hotkey holds. The checks run in the chain's order:
// the root netuid is refused (subnet.ErrRegistrationNotPermittedOnRootSubnet),
// the subnet exists (ErrSubnetNotExists), then subnet.Subnet.Register's
// (registration allowed, hotkey not yet registered, the free balance
// covers Burn, the hotkey is no subnet account and not another coldkey's,
// a uid is available).
//
// Then, as the chain does: the payment, at most what keeps the coldkey
// alive, moves to the subnet account (transfer_tao_to_subnet) and buys
// alpha on the pool at the pool's fee (swap_tao_for_alpha: SubnetTAO grows
// by the payment less the fee, TotalStake by the payment); the alpha bought
// is destroyed (SubnetAlphaOut is lowered by it again). The swap fee stays
// in the subnet account: do_register, unlike stake_into_subnet, pays no
// block author and burns nothing. A new hotkey becomes coldkey's (Owner).
// A neuron replaced on a full subnet keeps its hotkey's owner and stake.
// The price then rises by BurnIncreaseMult. An EventNeuronRegistered
// reports the payment.
func (l *Ledger) BurnedRegister(coldkey, hotkey units.AccountID, netuid units.NetUID) (units.UID, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	uid, err := l.register(coldkey, hotkey, netuid, nil)
	if err != nil {
		return 0, fmt.Errorf("burned_register of hotkey %x on netuid %d: %w", hotkey[:], netuid, err)
	}
	return uid, nil
}

// RegisterLimit is the register_limit extrinsic (do_register_limit,
// subnets/registration.rs): after the root and existence checks, a Burn
// above limit is subnet.ErrRegistrationPriceLimitExceeded; otherwise it is
// BurnedRegister.
func (l *Ledger) RegisterLimit(coldkey, hotkey units.AccountID, netuid units.NetUID, limit units.TAO) (units.UID, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	uid, err := l.register(coldkey, hotkey, netuid, &limit)
	if err != nil {
		return 0, fmt.Errorf("register_limit of hotkey %x on netuid %d: %w", hotkey[:], netuid, err)
	}
	return uid, nil
}

// Burn returns the subnet's registration price (Burn) and whether the
// subnet holds neurons (every subnet but root).
func (l *Ledger) Burn(netuid units.NetUID) (units.TAO, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	sn, ok := l.nets[netuid]
	if !ok {
		return 0, false
	}
	return sn.Burn, true
}

// Neurons returns the hotkeys of the subnet's uids 0..N−1 and whether the
// subnet holds neurons.
func (l *Ledger) Neurons(netuid units.NetUID) ([]units.AccountID, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	sn, ok := l.nets[netuid]
	if !ok {
		return nil, false
	}
	return sn.Hotkeys(), true
}

func (l *Ledger) register(coldkey, hotkey units.AccountID, netuid units.NetUID, limit *units.TAO) (units.UID, error) {
	if err := l.checkOrigin(coldkey); err != nil {
		return 0, err
	}
	if netuid == RootNetUID {
		return 0, subnet.ErrRegistrationNotPermittedOnRootSubnet
	}
	if _, ok := l.subnets[netuid]; !ok {
		return 0, ErrSubnetNotExists
	}
	sn := l.syncIn(netuid)
	if limit != nil && sn.Burn > *limit {
		return 0, subnet.ErrRegistrationPriceLimitExceeded
	}
	owner, hasOwner := l.owner[hotkey]
	req := subnet.RegisterRequest{
		Coldkey: coldkey, Hotkey: hotkey,
		HotkeyOwner: owner, HotkeyHasOwner: hasOwner,
		Balance: l.balance(coldkey), ExistentialDeposit: l.ed,
		Block: l.block,
	}
	j := l.begin()
	sn = j.net(netuid)
	reg, err := sn.Register(req)
	if err != nil {
		j.rollback()
		return 0, err
	}
	if err := l.balTransfer(j, coldkey, SubnetAccountID(netuid), reg.Paid, true); err != nil {
		j.rollback()
		return 0, err
	}
	l.totalStake = l.totalStake.SaturatingAdd(reg.Paid)
	if reg.NewHotkey {
		j.setOwner(hotkey, coldkey)
	}
	j.subnet(netuid)
	l.syncOut(netuid)
	j.commit()
	l.emit(Event{Kind: EventNeuronRegistered, NetUID: netuid, Hotkey: hotkey, Coldkey: coldkey, TAO: reg.Paid})
	return reg.UID, nil
}
