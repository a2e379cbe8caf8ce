package dtao

import (
	"slices"

	"github.com/dtao-go/dtao/units"
)

// journal records what a call changes so that a failing call can restore
// the state exactly: the chain runs every extrinsic in a storage
// transaction that an error rolls back.
type journal struct {
	l          *Ledger
	issuance   units.TAO
	totalStake units.TAO
	balances   []balanceUndo
	subnets    []subnetUndo
	shares     []shareUndo
}

type balanceUndo struct {
	account units.AccountID
	old     units.TAO
}

type subnetUndo struct {
	netuid units.NetUID
	old    SubnetState
}

type shareUndo struct {
	key     stakeKey
	old     *SharePool // nil: there was no pool
	current *SharePool
}

func (l *Ledger) begin() *journal {
	return &journal{l: l, issuance: l.totalIssuance, totalStake: l.totalStake}
}

// setBalance records the old balance once and writes the new one; a zero
// balance removes the account, as the balances pallet reaps it.
func (j *journal) setBalance(a units.AccountID, v units.TAO) {
	if !slices.ContainsFunc(j.balances, func(u balanceUndo) bool { return u.account == a }) {
		j.balances = append(j.balances, balanceUndo{a, j.l.balances[a]})
	}
	if v == 0 {
		delete(j.l.balances, a)
	} else {
		j.l.balances[a] = v
	}
}

// subnet returns the subnet to change, its old state recorded once.
func (j *journal) subnet(netuid units.NetUID) *SubnetState {
	s := j.l.subnets[netuid]
	if !slices.ContainsFunc(j.subnets, func(u subnetUndo) bool { return u.netuid == netuid }) {
		j.subnets = append(j.subnets, subnetUndo{netuid, *s})
	}
	return s
}

// sharePool returns the (hotkey, netuid) pool to change, created empty if
// absent, its old state recorded once.
func (j *journal) sharePool(k stakeKey) *SharePool {
	for _, u := range j.shares {
		if u.key == k {
			return u.current
		}
	}
	p, ok := j.l.stake[k]
	var old *SharePool
	if ok {
		old = p.clone()
	} else {
		p = &SharePool{}
		j.l.stake[k] = p
	}
	j.shares = append(j.shares, shareUndo{k, old, p})
	return p
}

// commit drops the share pools the call left empty: the chain's storage
// holds no default values.
func (j *journal) commit() {
	for _, u := range j.shares {
		if u.current.isEmpty() {
			delete(j.l.stake, u.key)
		}
	}
}

// rollback restores everything the call changed.
func (j *journal) rollback() {
	l := j.l
	l.totalIssuance, l.totalStake = j.issuance, j.totalStake
	for _, u := range j.balances {
		if u.old == 0 {
			delete(l.balances, u.account)
		} else {
			l.balances[u.account] = u.old
		}
	}
	for _, u := range j.subnets {
		*l.subnets[u.netuid] = u.old
	}
	for _, u := range j.shares {
		if u.old == nil {
			delete(l.stake, u.key)
		} else {
			l.stake[u.key] = u.old
		}
	}
}

// clone returns a deep copy of the pool.
func (p *SharePool) clone() *SharePool {
	return &SharePool{value: p.value, denom: p.denom, entries: slices.Clone(p.entries)}
}

// isEmpty reports whether the pool holds only storage defaults.
func (p *SharePool) isEmpty() bool {
	return p.value == 0 && p.denom.IsZero() && len(p.entries) == 0
}

// simStake is SharePool::sim_update_value_for_one for a positive amount
// (primitives/share-pool/src/lib.rs): true into an empty denominator,
// otherwise whether amount buys a non-zero number of shares.
func (p *SharePool) simStake(amount units.Alpha) bool {
	if p.denom.IsZero() {
		return true
	}
	if amount.Rao() > maxPoolUpdate {
		return false
	}
	return !p.sharesPerUpdate(amount.Rao()).IsZero()
}
