package dtao

import (
	"fmt"

	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// DistributeOnce runs the epoch of netuid at the ledger's block and pays
// out drained buckets of the given sizes as the block's epochs phase does
// (Ledger.distribute), for external benchmarks. The alpha paid is added
// to the subnet's SubnetAlphaOut first, as the block's coinbase would have.
func DistributeOnce(l *Ledger, netuid units.NetUID, server, validator, root, ownerCut units.Alpha) error {
	return distributeOnceBy(l, (*Ledger).distribute, netuid, server, validator, root, ownerCut)
}

// distributeOnceBy is DistributeOnce with the distribution run by run
// (Ledger.distribute, or a reference of it).
func distributeOnceBy(l *Ledger, run func(*Ledger, uint64, drained, *SubnetState, *subnet.Subnet), netuid units.NetUID, server, validator, root, ownerCut units.Alpha) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, sn, ok := l.keptSubnet(netuid)
	if !ok {
		return fmt.Errorf("netuid %d: no such subnet", netuid)
	}
	d := drained{netuid: netuid, server: server, validator: validator, root: root, ownerCut: ownerCut}
	d.total = server.SaturatingAdd(validator).SaturatingAdd(root)
	st.Pool.AlphaOut = st.Pool.AlphaOut.SaturatingAdd(d.total).SaturatingAdd(ownerCut)
	run(l, l.block, d, st, sn)
	return nil
}
