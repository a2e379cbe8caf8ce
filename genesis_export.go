package dtao

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/units"
)

// Genesis returns the ledger's whole state as a GenesisConfig, sharing
// nothing with the ledger, in its canonical form: every default spelled
// out (the existential deposit, the minimum stake, Params, each non-root
// subnet's Storage, TotalIssuance), the share pools in the exact form
// (SharePools; Stakes is empty), and every list sorted: accounts and
// hotkeys by their bytes, subnets by netuid, share pools, ChildkeyTakes,
// ChildKeys, PendingChildKeys and RootClaimable by (netuid, hotkey),
// AlphaV2 by coldkey, RootClaimed by (netuid, hotkey, coldkey),
// RootClaimTypes by coldkey, RootClaimableThresholds by netuid, RateLimits
// by (kind, account, netuid). The subnet accounts are not in Accounts:
// each holds its subnet's SubnetTAO plus SubnetLocked. NewLedger of the
// result is a ledger equal to l, with the same StateHash; the result is
// what StateHash digests and a snapshot holds.
func (l *Ledger) Genesis() GenesisConfig {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.genesis()
}

func (l *Ledger) genesis() GenesisConfig {
	g, _ := l.genesisOf(true)
	return g
}

// genesisOf is genesis with, when holders is false, every share pool's
// AlphaV2 left empty and the pools returned in SharePools' order: the
// encoding of the state (encodeState) reads each pool's holders where it
// writes them, rather than from a copy of them all.
func (l *Ledger) genesisOf(holders bool) (GenesisConfig, []*SharePool) {
	params := l.params
	g := GenesisConfig{
		Block:                 l.block,
		ExistentialDeposit:    l.ed,
		MinStake:              l.minStake,
		BlockAuthor:           l.author,
		HasBlockAuthor:        l.hasAuthor,
		TotalStake:            l.totalStake,
		TotalIssuance:         l.totalIssuance,
		Params:                &params,
		NetworkLastLockCost:   l.lastLockCost,
		NetworkLastRegistered: l.lastNetworkRegistered,
	}
	for _, a := range l.accounts() {
		if l.isSubnetAccount(a) {
			continue
		}
		g.Accounts = append(g.Accounts, GenesisAccount{Account: a, Balance: l.balance(a)})
	}
	for _, h := range l.hotkeys() {
		g.Hotkeys = append(g.Hotkeys, GenesisHotkey{Hotkey: h, Coldkey: l.owner[h]})
	}
	for _, id := range l.netuids() {
		g.Subnets = append(g.Subnets, l.genesisSubnetOf(id))
	}
	var pools []*SharePool
	for _, k := range l.stakeKeys() {
		p := l.stake.pool(k)
		sp := GenesisSharePool{
			Hotkey: k.hotkey, NetUID: k.netuid,
			TotalHotkeyAlpha: p.value, TotalHotkeySharesV2: p.denom,
		}
		if holders {
			sp.AlphaV2 = make([]GenesisShare, 0, p.Len())
			for c, s := range p.Holders() {
				sp.AlphaV2 = append(sp.AlphaV2, GenesisShare{Coldkey: c, Share: s})
			}
		} else {
			pools = append(pools, p)
		}
		g.SharePools = append(g.SharePools, sp)
	}
	for _, h := range sortedKeys(l.delegateTake, cmpAccount) {
		g.Delegates = append(g.Delegates, GenesisTake{Hotkey: h, Take: l.delegateTake[h]})
	}
	for _, k := range sortedKeys(l.childkeyTake, stakeKey.cmp) {
		g.ChildkeyTakes = append(g.ChildkeyTakes, GenesisChildkeyTake{Hotkey: k.hotkey, NetUID: k.netuid, Take: l.childkeyTake[k]})
	}
	for _, k := range sortedKeys(l.children, stakeKey.cmp) {
		if len(l.children[k]) == 0 {
			continue
		}
		g.ChildKeys = append(g.ChildKeys, GenesisChildren{Parent: k.hotkey, NetUID: k.netuid, Children: slices.Clone(l.children[k])})
	}
	for _, k := range sortedKeys(l.pendingChildren, stakeKey.cmp) {
		p := l.pendingChildren[k]
		g.PendingChildKeys = append(g.PendingChildKeys, GenesisPendingChildren{
			Parent: k.hotkey, NetUID: k.netuid, Children: slices.Clone(p.Children), CooldownBlock: p.CooldownBlock,
		})
	}
	for _, k := range sortedKeys(l.rootClaimable, stakeKey.cmp) {
		g.RootClaimable = append(g.RootClaimable, GenesisRootClaimable{Hotkey: k.hotkey, NetUID: k.netuid, Rate: *l.rootClaimable[k]})
	}
	g.RootClaimed = l.genesisRootClaimed()
	for _, c := range sortedKeys(l.rootClaimType, cmpAccount) {
		t := l.rootClaimType[c]
		g.RootClaimTypes = append(g.RootClaimTypes, GenesisRootClaimType{
			Coldkey: c, Type: emission.RootClaimType{Kind: t.Kind, Subnets: slices.Clone(t.Subnets)},
		})
	}
	for _, id := range sortedKeys(l.rootClaimThreshold, cmp.Compare[units.NetUID]) {
		g.RootClaimableThresholds = append(g.RootClaimableThresholds, GenesisRootClaimThreshold{NetUID: id, Threshold: l.rootClaimThreshold[id]})
	}
	for _, k := range sortedKeys(l.rateLimits, RateLimitKey.cmp) {
		g.RateLimits = append(g.RateLimits, GenesisRateLimit{Key: k, Block: l.rateLimits[k]})
	}
	return g, pools
}

// genesisSubnetOf returns subnet id as a GenesisSubnet: the SubnetState's
// fields and, for a non-root subnet, its subnet.Subnet's Storage with the
// pool, moving price, flow and owner the SubnetState holds.
func (l *Ledger) genesisSubnetOf(id units.NetUID) GenesisSubnet {
	s := l.subnets[id]
	gs := GenesisSubnet{
		NetUID: id, Owner: s.Owner, OwnerHotkey: s.OwnerHotkey, Pool: s.Pool, Locked: s.Locked,
		AccountBalance:   l.balance(SubnetAccountID(id)),
		SubtokenDisabled: !s.SubtokenEnabled, AlphaBurned: s.AlphaBurned, TaoFlow: s.TaoFlow,
		RegisteredAt: s.RegisteredAt, NotStarted: !s.Started, FirstEmissionBlock: s.FirstEmissionBlock,
		EmissionDisabled: s.EmissionDisabled, Schedule: s.Schedule, MovingPrice: s.MovingPrice,
		EMAPriceHalvingBlocks: s.EMAPriceHalvingBlocks, MinerBurned: s.MinerBurned,
		PendingServer: s.PendingServer, PendingValidator: s.PendingValidator, PendingRoot: s.PendingRoot,
		PendingOwnerCut: s.PendingOwnerCut, ProtocolAlpha: s.ProtocolAlpha,
		RootClaimableAlpha: s.RootClaimableAlpha, RecycleIncentive: s.RecycleIncentive,
		AlphaOutShortfall:      s.AlphaOutShortfall,
		RegistrationsThisBlock: s.RegistrationsThisBlock, RegistrationsThisInterval: s.RegistrationsThisInterval,
	}
	if id == RootNetUID {
		gs.RootNeurons = slices.Clone(l.rootNeurons)
	}
	if sn := l.nets[id]; sn != nil {
		st := sn.Storage()
		st.SubnetOwner, st.SubnetOwnerHotkey = s.Owner, s.OwnerHotkey
		st.HasSubnetOwnerHotkey = st.HasSubnetOwnerHotkey || s.OwnerHotkey != (units.AccountID{})
		st.Pool, st.SubnetMovingPrice, st.SubnetTaoFlow = s.Pool, s.MovingPrice, s.TaoFlow
		gs.Storage = &st
	}
	return gs
}

// sortedKeys returns m's keys sorted by cmp.
func sortedKeys[K comparable, V any](m map[K]V, cmp func(a, b K) int) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, cmp)
	return ks
}

func cmpAccount(a, b units.AccountID) int { return bytes.Compare(a[:], b[:]) }

func (k claimKey) cmp(o claimKey) int {
	if c := cmp.Compare(k.netuid, o.netuid); c != 0 {
		return c
	}
	return claimPair{k.hotkey, k.coldkey}.cmp(claimPair{o.hotkey, o.coldkey})
}

func (k RateLimitKey) cmp(o RateLimitKey) int {
	if c := cmp.Compare(k.Kind, o.Kind); c != 0 {
		return c
	}
	if c := cmpAccount(k.Account, o.Account); c != 0 {
		return c
	}
	return cmp.Compare(k.NetUID, o.NetUID)
}
