package dtao

import (
	"fmt"

	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// view returns a shallow copy of the subnet's subnet.Subnet with the
// ledger's pool, moving price and flow, for the subnet package's readers:
// it shares the neuron slices, which readers do not change, and leaves the
// ledger's own copy untouched so that readers may run together.
func (l *Ledger) view(netuid units.NetUID) (subnet.Subnet, error) {
	st, ok := l.subnets[netuid]
	sn := l.nets[netuid]
	if !ok || sn == nil {
		return subnet.Subnet{}, fmt.Errorf("netuid %d: %w", netuid, ErrSubnetNotExists)
	}
	t := *sn
	t.Pool, t.MovingPrice, t.TaoFlow = st.Pool, st.MovingPrice, st.TaoFlow
	return t, nil
}

// Metagraph returns mechanism mech of the subnet as the chain's metagraph
// runtime API reports it (subnet.Subnet.Metagraph), weighed by the stake
// the epoch would use now: each neuron's alpha and root stake with what
// its parents pass it and its children take. The root subnet and a missing
// subnet are ErrSubnetNotExists.
func (l *Ledger) Metagraph(netuid units.NetUID, mech uint8) (subnet.Metagraph, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	t, err := l.view(netuid)
	if err != nil {
		return subnet.Metagraph{}, err
	}
	var buf viewBuffers
	return t.Metagraph(l.block, mech, l.stakeView(netuid, &t, &buf))
}

// DynamicInfo returns the subnet's pool and emission summary
// (subnet.Subnet.DynamicInfo, the chain's get_dynamic_info).
func (l *Ledger) DynamicInfo(netuid units.NetUID) (subnet.DynamicInfo, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	t, err := l.view(netuid)
	if err != nil {
		return subnet.DynamicInfo{}, err
	}
	return t.DynamicInfo(l.block), nil
}

// Hyperparameters returns the subnet's hyperparameters.
func (l *Ledger) Hyperparameters(netuid units.NetUID) (subnet.Hyperparameters, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	t, err := l.view(netuid)
	if err != nil {
		return subnet.Hyperparameters{}, err
	}
	return t.Hyperparameters, nil
}

// SubnetStorage returns a deep copy of the subnet's storage: its neurons,
// weights, bonds, hyperparameters and registration price
// (subnet.Subnet.Storage), with the ledger's pool.
func (l *Ledger) SubnetStorage(netuid units.NetUID) (subnet.Storage, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	t, err := l.view(netuid)
	if err != nil {
		return subnet.Storage{}, err
	}
	return t.Storage(), nil
}
