package dtao

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// GenesisConfig is the state a Ledger starts from, named after the chain's
// storage items. NewLedger validates it whole; Ledger.Genesis returns a
// ledger's whole state as one, in a canonical form whose binary encoding
// is a snapshot's payload and StateHash's input; ParseGenesisJSON and
// MarshalJSON read and write it as JSON with the chain's storage names.
type GenesisConfig struct {
	// Block is the current block.
	Block uint64
	// ExistentialDeposit is the balances pallet's; 0 means the runtime's
	// ExistentialDeposit (500 rao). subtensor's test mock uses 1.
	ExistentialDeposit units.TAO
	// MinStake is DefaultMinStake; 0 means 2_000_000 rao.
	MinStake units.TAO
	// BlockAuthor receives the swap fees when HasBlockAuthor; otherwise
	// they are burned.
	BlockAuthor    units.AccountID
	HasBlockAuthor bool
	// Accounts are the free balances (System.Account) of the accounts
	// other than the subnet accounts, each at least the existential
	// deposit.
	Accounts []GenesisAccount
	// Hotkeys are the Owner entries (hotkey → coldkey) besides the subnet
	// owners' hotkeys, which the subnets add.
	Hotkeys []GenesisHotkey
	// Subnets are the subnets, the root subnet (netuid 0, stable pool)
	// included if wanted.
	Subnets []GenesisSubnet
	// Stakes are the coldkeys' alpha on the hotkeys' share pools
	// (TotalHotkeyAlpha, TotalHotkeySharesV2, AlphaV2), staked in list
	// order into empty pools: the convenient form. SharePools is the
	// exact one.
	Stakes []GenesisStake
	// TotalStake is TotalStake.
	TotalStake units.TAO

	// Params are the chain-wide parameters; nil means DefaultParams.
	Params *Params
	// Delegates are the hotkeys' delegate takes (Delegates); a hotkey not
	// listed has the default take.
	Delegates []GenesisTake
	// ChildkeyTakes are ChildkeyTake entries.
	ChildkeyTakes []GenesisChildkeyTake
	// ChildKeys are each parent's children on a subnet (ChildKeys); the
	// ledger derives ParentKeys from them.
	ChildKeys []GenesisChildren
	// RootClaimable are the hotkeys' claimable rates (RootClaimable).
	RootClaimable []GenesisRootClaimable
	// RootClaimed are the amounts already claimed (RootClaimed).
	RootClaimed []GenesisRootClaimed
	// RootClaimTypes are the coldkeys' RootClaimType (absent: Swap).
	RootClaimTypes []GenesisRootClaimType
	// RootClaimableThresholds are RootClaimableThreshold entries (absent:
	// the default).
	RootClaimableThresholds []GenesisRootClaimThreshold
	// NetworkLastLockCost and NetworkLastRegistered (the block of the last
	// subnet registration, 0 for none) price the next subnet.
	NetworkLastLockCost   units.TAO
	NetworkLastRegistered uint64
	// RateLimits are the last blocks of the rate-limited calls.
	RateLimits []GenesisRateLimit

	// SharePools are share pools given exactly as the chain stores them
	// (TotalHotkeyAlpha, TotalHotkeySharesV2, AlphaV2), the form
	// Ledger.Genesis exports. A (hotkey, netuid) is listed either here or
	// in Stakes, not in both.
	SharePools []GenesisSharePool
	// PendingChildKeys are PendingChildKeys entries: set_children calls
	// waiting for their cooldown.
	PendingChildKeys []GenesisPendingChildren
	// TotalIssuance is TotalIssuance; 0 means the sum of the balances
	// (the subnet accounts included), which any other value must equal.
	TotalIssuance units.TAO
}

// GenesisSharePool is one hotkey's share pool on one subnet as the chain
// stores it: TotalHotkeyAlpha (the value), TotalHotkeySharesV2 (the
// SafeFloat denominator) and the AlphaV2 entries (each coldkey's SafeFloat
// share). A coldkey's stake is floor(value·share/denominator).
type GenesisSharePool struct {
	Hotkey              units.AccountID
	NetUID              units.NetUID
	TotalHotkeyAlpha    units.Alpha
	TotalHotkeySharesV2 fixed.SafeFloat
	AlphaV2             []GenesisShare
}

// GenesisShare is one AlphaV2 entry: a coldkey's non-zero share.
type GenesisShare struct {
	Coldkey units.AccountID
	Share   fixed.SafeFloat
}

// GenesisPendingChildren is one PendingChildKeys entry: the parent's
// children on NetUID waiting to apply from CooldownBlock on.
type GenesisPendingChildren struct {
	Parent        units.AccountID
	NetUID        units.NetUID
	Children      []Link
	CooldownBlock uint64
}

// GenesisRootClaimType is one coldkey's RootClaimType.
type GenesisRootClaimType struct {
	Coldkey units.AccountID
	Type    emission.RootClaimType
}

// GenesisRootClaimThreshold is one subnet's RootClaimableThreshold.
type GenesisRootClaimThreshold struct {
	NetUID    units.NetUID
	Threshold fixed.I96F32
}

// GenesisRateLimit is one rate-limited thing's last block.
type GenesisRateLimit struct {
	Key   RateLimitKey
	Block uint64
}

// GenesisTake is one Delegates entry.
type GenesisTake struct {
	Hotkey units.AccountID
	Take   uint16
}

// GenesisChildkeyTake is one ChildkeyTake entry.
type GenesisChildkeyTake struct {
	Hotkey units.AccountID
	NetUID units.NetUID
	Take   uint16
}

// GenesisChildren is one ChildKeys entry: the parent's children on NetUID
// with their proportions.
type GenesisChildren struct {
	Parent   units.AccountID
	NetUID   units.NetUID
	Children []Link
}

// GenesisRootClaimable is one hotkey's claimable rate on a subnet.
type GenesisRootClaimable struct {
	Hotkey units.AccountID
	NetUID units.NetUID
	Rate   fixed.I96F32
}

// GenesisRootClaimed is one RootClaimed entry.
type GenesisRootClaimed struct {
	NetUID          units.NetUID
	Hotkey, Coldkey units.AccountID
	Claimed         fixed.U128
}

// GenesisAccount is one free balance.
type GenesisAccount struct {
	Account units.AccountID
	Balance units.TAO
}

// GenesisHotkey is one Owner entry.
type GenesisHotkey struct {
	Hotkey, Coldkey units.AccountID
}

// GenesisSubnet is one subnet: SubnetOwner, SubnetOwnerHotkey (the zero
// account for none), the pool (SubnetTAO, SubnetAlphaIn, SubnetAlphaOut,
// SubnetMechanism and the swap pallet's state), SubnetLocked (the TAO the
// subnet account holds besides the reserve), SubtokenEnabled, the burned
// alpha and SubnetTaoFlow.
type GenesisSubnet struct {
	NetUID           units.NetUID
	Owner            units.AccountID
	OwnerHotkey      units.AccountID
	Pool             amm.Pool
	Locked           units.TAO
	SubtokenDisabled bool
	AlphaBurned      units.Alpha
	TaoFlow          int64

	// Storage is the rest of a non-root subnet's storage: its neurons,
	// hyperparameters, weights, bonds and registration price
	// (subnet.FromStorage). Nil means a subnet as do_register_network
	// creates it (subnet.New), the owner hotkey at uid 0 when there is
	// one. Its owner, owner hotkey, pool, moving price and flow are the
	// fields above, its Globals the ledger's Params.
	Storage *subnet.Storage
	// RegisteredAt is NetworkRegisteredAt.
	RegisteredAt uint64
	// NotStarted marks a subnet whose owner has not called start_call;
	// otherwise FirstEmissionBlock is FirstEmissionBlockNumber, taken as
	// given (0 is block 0).
	NotStarted         bool
	FirstEmissionBlock uint64
	// EmissionDisabled is !SubnetEmissionEnabled.
	EmissionDisabled bool
	// Schedule is the epoch schedule. Its zero value means the subnet's
	// Tempo (Storage's, or the default) with the stagger a new subnet
	// gets: LastEpochBlock = Block − (netuid mod tempo); for the root
	// subnet, Tempo 100 and LastEpochBlock 0, as the chain's genesis
	// leaves them (pallets/subtensor/src/macros/genesis.rs).
	Schedule emission.Schedule
	// MovingPrice is SubnetMovingPrice; EMAPriceHalvingBlocks 0 means the
	// default; MinerBurned is MinerBurned.
	MovingPrice           fixed.I96F32
	EMAPriceHalvingBlocks uint64
	MinerBurned           fixed.U96F32
	// The pending buckets, SubnetProtocolAlpha and the root dividends not
	// yet claimed: all held in SubnetAlphaOut.
	PendingServer, PendingValidator, PendingRoot, PendingOwnerCut units.Alpha
	ProtocolAlpha                                                 units.Alpha
	RootClaimableAlpha                                            units.Alpha
	// AccountBalance is the subnet account's free balance; 0 means
	// SubnetTAO plus Locked. The chain keeps SubnetTAO as a counter apart
	// from the account (a registration's swap fee stays in the account, a
	// chain buy adds to SubnetTAO what the swap reports), so a state
	// carried whole states it.
	AccountBalance units.TAO
	// AlphaOutShortfall is alpha recycled out of SubnetAlphaOut that no
	// holder gave up (the CK burn): Pool.AlphaOut + AlphaOutShortfall is
	// the stakes plus the alpha held outside them.
	AlphaOutShortfall units.Alpha
	// RecycleIncentive is RecycleOrBurn == Recycle.
	RecycleIncentive bool
	// RootNeurons are the root subnet's neurons by uid (Keys and
	// BlockAtRegistration of netuid 0), each hotkey with an owner; a
	// non-root subnet's neurons are in Storage.
	RootNeurons []RootNeuron
	// RegistrationsThisBlock and RegistrationsThisInterval are the root
	// subnet's registration counters; a non-root subnet keeps its
	// RegistrationsThisBlock in Storage, and both are zero for it.
	RegistrationsThisBlock, RegistrationsThisInterval uint16
}

// held is what SubnetAlphaOut holds besides the stakes, saturating.
func (s *GenesisSubnet) held() units.Alpha {
	return s.AlphaBurned.SaturatingAdd(s.ProtocolAlpha).SaturatingAdd(s.RootClaimableAlpha).
		SaturatingAdd(s.PendingServer).SaturatingAdd(s.PendingValidator).
		SaturatingAdd(s.PendingRoot).SaturatingAdd(s.PendingOwnerCut)
}

// GenesisStake is one coldkey's alpha on a hotkey's pool.
type GenesisStake struct {
	Hotkey, Coldkey units.AccountID
	NetUID          units.NetUID
	Alpha           units.Alpha
}

func genesisErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidGenesis}, args...)...)
}

// NewLedger returns a ledger holding g, or an error wrapping
// ErrInvalidGenesis that names the field and the entry at fault. It
// validates g whole and refuses:
//
//   - Params whose minimum take is above its maximum, or with a negative
//     SubnetMovingAlpha;
//   - a subnet listed twice, whose pool amm.Pool.Validate refuses (this
//     error wraps ErrInvariant too), not started but with a
//     FirstEmissionBlock, a root
//     subnet whose pool is not stable or that has Storage, a lock below
//     the existential deposit (the lock keeps the subnet account alive),
//     a Storage subnet.FromStorage refuses, of another netuid, or whose
//     Globals are neither zero nor the ones Params give, or whose
//     SubnetAlphaOut is not the sum of its stakes and the alpha held
//     outside them (this error wraps ErrInvariant too), or a non-root
//     subnet with RootNeurons or root registration counters;
//   - a root neuron that is a subnet account, listed twice or without an
//     owner;
//   - an account listed twice, with a balance below the existential
//     deposit, or that is a subnet account;
//   - a hotkey listed twice or owned by two coldkeys;
//   - a stake or share pool on a missing subnet, to a hotkey without an
//     owner; a stake of zero or more than 2^63 − 1 rao or listed twice; a
//     share pool listed twice or also in Stakes, empty, with a zero share,
//     or with a coldkey listed twice;
//   - a take above its maximum or listed twice; children or pending
//     children on the root or a missing subnet, listed twice, with the
//     parent among its children, or whose proportions sum above u64::MAX;
//   - root claim entries listed twice, a negative claimable rate or
//     threshold, a root claim type RootClaimType.Validate refuses, a rate
//     limit of an unknown kind or listed twice;
//   - a total issuance above 2^64 − 1 rao, or a TotalIssuance other than
//     the balances' sum;
//
// and finally any state CheckInvariants refuses (that error wraps
// ErrInvariant). Each subnet account holds the subnet's reserve plus its
// lock. NewLedger(l.Genesis()) is a ledger equal to l.
func NewLedger(g GenesisConfig) (*Ledger, error) {
	l := &Ledger{
		block:                 g.Block,
		ed:                    g.ExistentialDeposit,
		minStake:              g.MinStake,
		author:                g.BlockAuthor,
		hasAuthor:             g.HasBlockAuthor,
		balances:              newBalanceTable(len(g.Accounts) + len(g.Subnets)),
		balanceCells:          make([]units.TAO, len(g.Accounts)+len(g.Subnets)),
		subnets:               make(map[units.NetUID]*SubnetState, len(g.Subnets)),
		owner:                 make(map[units.AccountID]units.AccountID, len(g.Hotkeys)),
		stake:                 newPoolTable(len(g.SharePools)),
		lastLockCost:          g.NetworkLastLockCost,
		lastNetworkRegistered: g.NetworkLastRegistered,
	}
	l.initMaps()
	l.params = DefaultParams()
	if g.Params != nil {
		l.params = *g.Params
	}
	if err := validateParams(&l.params); err != nil {
		return nil, err
	}
	if l.ed == 0 {
		l.ed = ExistentialDeposit
	}
	if l.minStake == 0 {
		l.minStake = DefaultMinStake
	}
	var issuance uint64
	add := func(v units.TAO) bool {
		if issuance > math.MaxUint64-v.Rao() {
			return false
		}
		issuance += v.Rao()
		return true
	}
	for i := range g.Subnets {
		if err := l.genesisSubnetState(&g, i, add); err != nil {
			return nil, err
		}
	}
	for i, a := range g.Accounts {
		if l.balances.cell(a.Account) != nil {
			if l.isSubnetAccount(a.Account) {
				return nil, genesisErr("Accounts[%d]: %x is a subnet account", i, a.Account[:])
			}
			return nil, genesisErr("Accounts[%d]: account %x listed twice", i, a.Account[:])
		}
		if a.Balance < l.ed {
			return nil, genesisErr("Accounts[%d]: balance %d below the existential deposit %d (account %x)",
				i, a.Balance.Rao(), l.ed.Rao(), a.Account[:])
		}
		if !add(a.Balance) {
			return nil, genesisErr("Accounts[%d]: total issuance overflows", i)
		}
		l.setGenesisBalance(a.Account, a.Balance)
	}
	listed := make(map[units.AccountID]int, len(g.Hotkeys))
	for i, h := range g.Hotkeys {
		if first, dup := listed[h.Hotkey]; dup {
			return nil, genesisErr("Hotkeys[%d]: hotkey %x already listed at [%d]", i, h.Hotkey[:], first)
		}
		listed[h.Hotkey] = i
		if c, ok := l.owner[h.Hotkey]; ok && c != h.Coldkey {
			return nil, genesisErr("Hotkeys[%d]: hotkey %x already owned by %x", i, h.Hotkey[:], c[:])
		}
		l.owner[h.Hotkey] = h.Coldkey
	}
	if err := l.genesisRootNeurons(&g); err != nil {
		return nil, err
	}
	staked, err := l.genesisStakes(&g)
	if err != nil {
		return nil, err
	}
	for i, s := range g.Subnets {
		want := staked[s.NetUID]
		held := s.held()
		out, over := s.Pool.AlphaOut.Add(s.AlphaOutShortfall)
		if want > math.MaxUint64-held.Rao() || over || want+held.Rao() != out.Rao() {
			return nil, fmt.Errorf("%w: Subnets[%d] (netuid %d): Pool.AlphaOut %d plus AlphaOutShortfall %d is not the stakes %d plus the alpha held outside them %d (AlphaBurned, ProtocolAlpha, RootClaimableAlpha, the pending buckets): %w",
				ErrInvalidGenesis, i, s.NetUID, s.Pool.AlphaOut.Rao(), s.AlphaOutShortfall.Rao(), want, held.Rao(), ErrInvariant)
		}
	}
	l.totalIssuance = units.TAO(issuance)
	if g.TotalIssuance != 0 {
		// A differing value is left to CheckInvariants, which names both.
		l.totalIssuance = g.TotalIssuance
	}
	l.totalStake = g.TotalStake
	if err := l.genesisRelations(&g); err != nil {
		return nil, err
	}
	l.reorder()
	if err := l.checkInvariants(); err != nil {
		return nil, errors.Join(ErrInvalidGenesis, err)
	}
	return l, nil
}

// validateParams refuses parameters no chain holds.
func validateParams(p *Params) error {
	if p.MinDelegateTake > p.MaxDelegateTake {
		return genesisErr("Params.MinDelegateTake %d above MaxDelegateTake %d", p.MinDelegateTake, p.MaxDelegateTake)
	}
	if p.MinChildkeyTake > p.MaxChildkeyTake {
		return genesisErr("Params.MinChildkeyTake %d above MaxChildkeyTake %d", p.MinChildkeyTake, p.MaxChildkeyTake)
	}
	if p.SubnetMovingAlpha.IsNegative() {
		return genesisErr("Params.SubnetMovingAlpha is negative")
	}
	return nil
}

// genesisSubnetState records g.Subnets[i]: its SubnetState, its account's
// balance (added to the issuance by add), its subnet.Subnet and its owner
// hotkey.
func (l *Ledger) genesisSubnetState(g *GenesisConfig, i int, add func(units.TAO) bool) error {
	s := &g.Subnets[i]
	if _, dup := l.subnets[s.NetUID]; dup {
		return genesisErr("Subnets[%d]: netuid %d listed twice", i, s.NetUID)
	}
	if err := s.Pool.Validate(); err != nil {
		// CheckInvariants would refuse the pool too.
		return genesisErr("Subnets[%d] (netuid %d): Pool: %w: %w", i, s.NetUID, ErrInvariant, err)
	}
	if s.NetUID == RootNetUID && s.Pool.Mechanism != amm.Stable {
		return genesisErr("Subnets[%d]: the root subnet's pool must be stable", i)
	}
	if s.NetUID == RootNetUID && s.Storage != nil {
		return genesisErr("Subnets[%d]: the root subnet has no Storage", i)
	}
	if s.NetUID != RootNetUID && (len(s.RootNeurons) > 0 || s.RegistrationsThisBlock != 0 || s.RegistrationsThisInterval != 0) {
		return genesisErr("Subnets[%d] (netuid %d): RootNeurons and the root's registration counters belong to the root subnet", i, s.NetUID)
	}
	if s.NotStarted && s.FirstEmissionBlock != 0 {
		// FirstEmissionBlockNumber exists only once start_call ran.
		return genesisErr("Subnets[%d] (netuid %d): FirstEmissionBlock %d on a subnet not started", i, s.NetUID, s.FirstEmissionBlock)
	}
	acct, over := s.Pool.TAO.Add(s.Locked)
	if s.AccountBalance != 0 {
		acct, over = s.AccountBalance, false
	}
	if acct < l.ed {
		return genesisErr("Subnets[%d] (netuid %d): the subnet account would hold %d rao, below the existential deposit %d",
			i, s.NetUID, acct.Rao(), l.ed.Rao())
	}
	if over || !add(acct) {
		return genesisErr("Subnets[%d] (netuid %d): total issuance overflows", i, s.NetUID)
	}
	l.setGenesisBalance(SubnetAccountID(s.NetUID), acct)
	st := &SubnetState{
		NetUID: s.NetUID, Owner: s.Owner, OwnerHotkey: s.OwnerHotkey, Pool: s.Pool,
		SubtokenEnabled: !s.SubtokenDisabled, AlphaBurned: s.AlphaBurned, TaoFlow: s.TaoFlow,
		Locked: s.Locked, RegisteredAt: s.RegisteredAt, Started: !s.NotStarted,
		FirstEmissionBlock: s.FirstEmissionBlock, EmissionDisabled: s.EmissionDisabled,
		Schedule: s.Schedule, MovingPrice: s.MovingPrice, EMAPriceHalvingBlocks: s.EMAPriceHalvingBlocks,
		MinerBurned: s.MinerBurned, PendingServer: s.PendingServer, PendingValidator: s.PendingValidator,
		PendingRoot: s.PendingRoot, PendingOwnerCut: s.PendingOwnerCut, ProtocolAlpha: s.ProtocolAlpha,
		RootClaimableAlpha: s.RootClaimableAlpha, RecycleIncentive: s.RecycleIncentive,
		AlphaOutShortfall:      s.AlphaOutShortfall,
		RegistrationsThisBlock: s.RegistrationsThisBlock, RegistrationsThisInterval: s.RegistrationsThisInterval,
	}
	if s.NetUID == RootNetUID && len(s.RootNeurons) > 0 {
		l.rootNeurons = slices.Clone(s.RootNeurons)
	}
	if st.EMAPriceHalvingBlocks == 0 {
		st.EMAPriceHalvingBlocks = amm.DefaultEMAPriceHalvingBlocks
	}
	l.subnets[s.NetUID] = st
	if s.OwnerHotkey != (units.AccountID{}) {
		if c, ok := l.owner[s.OwnerHotkey]; ok && c != s.Owner {
			return genesisErr("Subnets[%d] (netuid %d): OwnerHotkey %x owned by another coldkey %x",
				i, s.NetUID, s.OwnerHotkey[:], c[:])
		}
		l.owner[s.OwnerHotkey] = s.Owner
	}
	if s.NetUID == RootNetUID {
		if st.Schedule == (emission.Schedule{}) {
			st.Schedule.Tempo = rootTempo
		}
		return nil
	}
	sn, err := l.genesisSubnet(g.Block, s)
	if err != nil {
		return genesisErr("Subnets[%d] (netuid %d): Storage: %w", i, s.NetUID, err)
	}
	l.nets[s.NetUID] = sn
	if st.Schedule == (emission.Schedule{}) {
		tempo := sn.Hyperparameters.Tempo
		st.Schedule.Tempo = tempo
		if tempo > 0 {
			st.Schedule.LastEpochBlock = fixed.SaturatingSubUint64(g.Block, uint64(s.NetUID)%uint64(tempo))
		}
	}
	return nil
}

// rootTempo is the root subnet's Tempo (Tempo::insert(NetUid::ROOT, 100),
// pallets/subtensor/src/macros/genesis.rs).
const rootTempo = 100

// genesisRootNeurons checks the root's neurons once the owners are known:
// no subnet account, no hotkey twice, each with an owner.
func (l *Ledger) genesisRootNeurons(g *GenesisConfig) error {
	for i := range g.Subnets {
		s := &g.Subnets[i]
		if s.NetUID != RootNetUID {
			continue
		}
		seen := make(map[units.AccountID]int, len(s.RootNeurons))
		for uid, n := range s.RootNeurons {
			if netuid, ok := subnet.IsSubnetAccount(n.Hotkey); ok {
				return genesisErr("Subnets[%d].RootNeurons[%d]: %x is the account of subnet %d", i, uid, n.Hotkey[:], netuid)
			}
			if first, dup := seen[n.Hotkey]; dup {
				return genesisErr("Subnets[%d].RootNeurons[%d]: hotkey %x already holds uid %d", i, uid, n.Hotkey[:], first)
			}
			seen[n.Hotkey] = uid
			if _, ok := l.owner[n.Hotkey]; !ok {
				return genesisErr("Subnets[%d].RootNeurons[%d]: hotkey %x has no owner", i, uid, n.Hotkey[:])
			}
		}
	}
	return nil
}

// genesisStakes records the Stakes and the SharePools and returns each
// subnet's staked alpha.
func (l *Ledger) genesisStakes(g *GenesisConfig) (map[units.NetUID]uint64, error) {
	staked := make(map[units.NetUID]uint64, len(g.Subnets))
	addStaked := func(netuid units.NetUID, v units.Alpha) bool {
		if staked[netuid] > math.MaxUint64-v.Rao() {
			return false
		}
		staked[netuid] += v.Rao()
		return true
	}
	check := func(field string, i int, hotkey units.AccountID, netuid units.NetUID) error {
		if _, ok := l.subnets[netuid]; !ok {
			return genesisErr("%s[%d]: netuid %d has no subnet", field, i, netuid)
		}
		if _, ok := l.owner[hotkey]; !ok {
			return genesisErr("%s[%d]: hotkey %x has no owner", field, i, hotkey[:])
		}
		return nil
	}
	exact := make(map[stakeKey]int, len(g.SharePools))
	for i := range g.SharePools {
		sp := &g.SharePools[i]
		if err := check("SharePools", i, sp.Hotkey, sp.NetUID); err != nil {
			return nil, err
		}
		k := stakeKey{sp.Hotkey, sp.NetUID}
		if first, dup := exact[k]; dup {
			return nil, genesisErr("SharePools[%d]: hotkey %x on netuid %d already listed at [%d]", i, sp.Hotkey[:], sp.NetUID, first)
		}
		exact[k] = i
		p := &SharePool{value: sp.TotalHotkeyAlpha, denom: sp.TotalHotkeySharesV2}
		es := make([]shareEntry, 0, len(sp.AlphaV2))
		for j, e := range sp.AlphaV2 {
			if e.Share.IsZero() {
				return nil, genesisErr("SharePools[%d].AlphaV2[%d]: coldkey %x has a zero share", i, j, e.Coldkey[:])
			}
			es = append(es, shareEntry{e.Coldkey, e.Share})
		}
		slices.SortFunc(es, func(a, b shareEntry) int { return bytes.Compare(a.coldkey[:], b.coldkey[:]) })
		for j := 1; j < len(es); j++ {
			if es[j].coldkey == es[j-1].coldkey {
				return nil, genesisErr("SharePools[%d].AlphaV2: coldkey %x listed twice", i, es[j].coldkey[:])
			}
		}
		p.fill(es) // the chunks, with the search's prefixes
		if p.isEmpty() {
			return nil, genesisErr("SharePools[%d]: hotkey %x on netuid %d: an empty pool", i, sp.Hotkey[:], sp.NetUID)
		}
		if !addStaked(sp.NetUID, sp.TotalHotkeyAlpha) {
			return nil, genesisErr("SharePools[%d]: the subnet's stake overflows", i)
		}
		l.stake.set(k, p)
	}
	for i, s := range g.Stakes {
		if err := check("Stakes", i, s.Hotkey, s.NetUID); err != nil {
			return nil, err
		}
		if s.Alpha == 0 {
			return nil, genesisErr("Stakes[%d]: zero alpha", i)
		}
		k := stakeKey{s.Hotkey, s.NetUID}
		if at, ok := exact[k]; ok {
			return nil, genesisErr("Stakes[%d]: hotkey %x on netuid %d is also SharePools[%d]", i, s.Hotkey[:], s.NetUID, at)
		}
		p, ok := l.stake.lookup(k)
		if !ok {
			p = &SharePool{}
			l.stake.set(k, p)
		}
		if _, dup := p.Share(s.Coldkey); dup {
			return nil, genesisErr("Stakes[%d]: coldkey %x listed twice on this hotkey and netuid", i, s.Coldkey[:])
		}
		if err := p.Stake(s.Coldkey, s.Alpha); err != nil {
			return nil, genesisErr("Stakes[%d]: %w", i, err)
		}
		if !addStaked(s.NetUID, s.Alpha) {
			return nil, genesisErr("Stakes[%d]: the subnet's stake overflows", i)
		}
	}
	return staked, nil
}

// Builder assembles a GenesisConfig in code: a ready network in a few
// calls. Its methods record; Build validates everything at once.
type Builder struct {
	g GenesisConfig
}

// NewBuilder returns a builder with the runtime's existential deposit and
// minimum stake.
func NewBuilder() *Builder { return &Builder{} }

// ExistentialDeposit sets the existential deposit (subtensor's test mock uses 1).
func (b *Builder) ExistentialDeposit(ed units.TAO) *Builder {
	b.g.ExistentialDeposit = ed
	return b
}

// BlockAuthor sets the block author that receives the fees.
func (b *Builder) BlockAuthor(a units.AccountID) *Builder {
	b.g.BlockAuthor, b.g.HasBlockAuthor = a, true
	return b
}

// Account adds an account with a free balance.
func (b *Builder) Account(a units.AccountID, balance units.TAO) *Builder {
	b.g.Accounts = append(b.g.Accounts, GenesisAccount{a, balance})
	return b
}

// Hotkey records coldkey as the hotkey's owner.
func (b *Builder) Hotkey(hotkey, coldkey units.AccountID) *Builder {
	b.g.Hotkeys = append(b.g.Hotkeys, GenesisHotkey{hotkey, coldkey})
	return b
}

// Root adds the root subnet with a stable pool holding tao, its lock the
// existential deposit.
func (b *Builder) Root(tao units.TAO) *Builder {
	b.g.Subnets = append(b.g.Subnets, GenesisSubnet{NetUID: RootNetUID, Pool: amm.NewStablePool(tao, 0)})
	return b
}

// Subnet adds a dynamic subnet owned by owner with ownerHotkey and a pool
// of the given reserves (amm.NewPool), its lock the existential deposit.
func (b *Builder) Subnet(netuid units.NetUID, owner, ownerHotkey units.AccountID, tao units.TAO, alphaIn units.Alpha) *Builder {
	b.g.Subnets = append(b.g.Subnets, GenesisSubnet{
		NetUID: netuid, Owner: owner, OwnerHotkey: ownerHotkey, Pool: amm.NewPool(tao, alphaIn),
	})
	return b
}

// SubnetWith adds a subnet given whole.
func (b *Builder) SubnetWith(s GenesisSubnet) *Builder {
	b.g.Subnets = append(b.g.Subnets, s)
	return b
}

// Stake gives coldkey alpha staked to hotkey on netuid; Build adds it to
// the subnet's SubnetAlphaOut.
func (b *Builder) Stake(hotkey, coldkey units.AccountID, netuid units.NetUID, alpha units.Alpha) *Builder {
	b.g.Stakes = append(b.g.Stakes, GenesisStake{hotkey, coldkey, netuid, alpha})
	return b
}

// Genesis returns the configuration: each subnet's lock defaults to the
// existential deposit, SubnetAlphaOut is its stakes plus burned alpha
// (saturating), and TotalStake is the sum of the TAO reserves.
func (b *Builder) Genesis() GenesisConfig {
	g := b.g
	g.Subnets = append([]GenesisSubnet(nil), b.g.Subnets...)
	ed := g.ExistentialDeposit
	if ed == 0 {
		ed = ExistentialDeposit
	}
	g.TotalStake = 0
	for i := range g.Subnets {
		s := &g.Subnets[i]
		if s.Locked == 0 {
			s.Locked = ed
		}
		out := s.held()
		for _, st := range g.Stakes {
			if st.NetUID == s.NetUID {
				out = out.SaturatingAdd(st.Alpha)
			}
		}
		s.Pool.AlphaOut = out.SaturatingSub(s.AlphaOutShortfall)
		g.TotalStake = g.TotalStake.SaturatingAdd(s.Pool.TAO)
	}
	return g
}

// Build returns NewLedger(b.Genesis()).
func (b *Builder) Build() (*Ledger, error) { return NewLedger(b.Genesis()) }

// initMaps makes the ledger's maps besides balances, subnets, owner and
// stake.
func (l *Ledger) initMaps() {
	l.nets = make(map[units.NetUID]*subnet.Subnet)
	l.delegateTake = make(map[units.AccountID]uint16)
	l.childkeyTake = make(map[stakeKey]uint16)
	l.children = make(map[stakeKey][]Link)
	l.parents = make(map[stakeKey][]Link)
	l.pendingChildren = make(map[stakeKey]PendingChildren)
	l.rootClaimable = make(map[stakeKey]*fixed.I96F32)
	l.claimIndex = make(map[units.AccountID][]claimRef)
	l.rootClaimed = make(map[claimPair][]claimedEntry)
	l.rootClaimType = make(map[units.AccountID]emission.RootClaimType)
	l.rootClaimThreshold = make(map[units.NetUID]fixed.I96F32)
	l.rateLimits = make(map[RateLimitKey]uint64)
}

// genesisSubnet builds a non-root subnet's neurons and parameters.
func (l *Ledger) genesisSubnet(block uint64, s *GenesisSubnet) (*subnet.Subnet, error) {
	var st subnet.Storage
	if s.Storage != nil {
		st = *s.Storage
		if st.NetUID != s.NetUID {
			return nil, fmt.Errorf("the NetUid %d is not the subnet's", st.NetUID)
		}
		if st.Globals != (subnet.Globals{}) && st.Globals != l.params.globals() {
			return nil, fmt.Errorf("the Globals %+v differ from the ones Params give, %+v", st.Globals, l.params.globals())
		}
	} else {
		hk := s.OwnerHotkey
		sn, err := subnet.New(s.NetUID, s.Owner, hk, s.Pool, block)
		if err != nil {
			return nil, err
		}
		st = sn.Storage()
		if hk == (units.AccountID{}) {
			st.ClearNeurons() // no owner hotkey: a subnet without neurons
		}
	}
	st.SubnetOwner, st.SubnetOwnerHotkey = s.Owner, s.OwnerHotkey
	st.HasSubnetOwnerHotkey = st.HasSubnetOwnerHotkey || s.OwnerHotkey != (units.AccountID{})
	st.Pool, st.SubnetMovingPrice, st.SubnetTaoFlow = s.Pool, s.MovingPrice, s.TaoFlow
	st.Globals = l.params.globals()
	sn, err := subnet.FromStorage(st)
	if err != nil {
		return nil, err
	}
	for uid := range units.UID(sn.N()) {
		h, _ := sn.Hotkey(uid)
		c, _ := sn.Coldkey(uid)
		if o, ok := l.owner[h]; ok && o != c {
			return nil, fmt.Errorf("the hotkey %x of Keys[%d] is owned by %x, not the registered coldkey %x", h[:], uid, o[:], c[:])
		}
		l.owner[h] = c
	}
	return sn, nil
}

// genesisLinks checks a ChildKeys or PendingChildKeys entry: a non-root
// subnet, no parent among its children, no child twice, proportions
// summing to at most u64::MAX.
func (l *Ledger) genesisLinks(field string, i int, parent units.AccountID, netuid units.NetUID, children []Link) error {
	if _, ok := l.subnets[netuid]; !ok || netuid == RootNetUID {
		return genesisErr("%s[%d]: netuid %d is not a subnet's", field, i, netuid)
	}
	var sum uint64
	for j, ch := range children {
		if ch.Hotkey == parent {
			return genesisErr("%s[%d].Children[%d]: a hotkey cannot be its own child", field, i, j)
		}
		if slices.ContainsFunc(children[:j], func(o Link) bool { return o.Hotkey == ch.Hotkey }) {
			return genesisErr("%s[%d].Children[%d]: child %x listed twice", field, i, j, ch.Hotkey[:])
		}
		if ch.Proportion > math.MaxUint64-sum {
			return genesisErr("%s[%d].Children[%d]: proportions sum above u64::MAX", field, i, j)
		}
		sum += ch.Proportion
	}
	return nil
}

// genesisRelations records the takes, the children, the root claims, the
// rate limits.
func (l *Ledger) genesisRelations(g *GenesisConfig) error {
	for i, t := range g.Delegates {
		if _, dup := l.delegateTake[t.Hotkey]; dup {
			return genesisErr("Delegates[%d]: hotkey %x listed twice", i, t.Hotkey[:])
		}
		l.delegateTake[t.Hotkey] = t.Take
	}
	for i, t := range g.ChildkeyTakes {
		k := stakeKey{t.Hotkey, t.NetUID}
		if _, dup := l.childkeyTake[k]; dup {
			return genesisErr("ChildkeyTakes[%d]: hotkey %x on netuid %d listed twice", i, t.Hotkey[:], t.NetUID)
		}
		l.childkeyTake[k] = t.Take
	}
	for i, c := range g.ChildKeys {
		if err := l.genesisLinks("ChildKeys", i, c.Parent, c.NetUID, c.Children); err != nil {
			return err
		}
		k := stakeKey{c.Parent, c.NetUID}
		if _, dup := l.children[k]; dup {
			return genesisErr("ChildKeys[%d]: parent %x on netuid %d listed twice", i, c.Parent[:], c.NetUID)
		}
		if len(c.Children) == 0 {
			continue
		}
		// ParentKeys: each child's parents in the order ChildKeys lists
		// them.
		for _, ch := range c.Children {
			ck := stakeKey{ch.Hotkey, c.NetUID}
			l.parents[ck] = append(l.parents[ck], Link{Proportion: ch.Proportion, Hotkey: c.Parent})
		}
		l.children[k] = slices.Clone(c.Children)
	}
	for i, c := range g.PendingChildKeys {
		if err := l.genesisLinks("PendingChildKeys", i, c.Parent, c.NetUID, c.Children); err != nil {
			return err
		}
		k := stakeKey{c.Parent, c.NetUID}
		if _, dup := l.pendingChildren[k]; dup {
			return genesisErr("PendingChildKeys[%d]: parent %x on netuid %d listed twice", i, c.Parent[:], c.NetUID)
		}
		l.pendingChildren[k] = PendingChildren{Children: slices.Clone(c.Children), CooldownBlock: c.CooldownBlock}
	}
	for i, r := range g.RootClaimable {
		k := stakeKey{r.Hotkey, r.NetUID}
		if _, dup := l.rootClaimable[k]; dup {
			return genesisErr("RootClaimable[%d]: hotkey %x on netuid %d listed twice", i, r.Hotkey[:], r.NetUID)
		}
		if r.Rate.IsNegative() {
			return genesisErr("RootClaimable[%d]: hotkey %x on netuid %d: negative rate", i, r.Hotkey[:], r.NetUID)
		}
		rate := r.Rate
		l.addClaimable(k, &rate)
		if _, ok := l.subnets[r.NetUID]; !ok {
			l.claimOrphans = true
		}
	}
	for i, r := range g.RootClaimed {
		k := claimKey{r.NetUID, r.Hotkey, r.Coldkey}
		if _, dup := l.claimedOf(k); dup {
			return genesisErr("RootClaimed[%d]: netuid %d, hotkey %x, coldkey %x listed twice", i, r.NetUID, r.Hotkey[:], r.Coldkey[:])
		}
		l.putClaimed(k, r.Claimed)
	}
	for i, t := range g.RootClaimTypes {
		if _, dup := l.rootClaimType[t.Coldkey]; dup {
			return genesisErr("RootClaimTypes[%d]: coldkey %x listed twice", i, t.Coldkey[:])
		}
		if err := t.Type.Validate(); err != nil {
			return genesisErr("RootClaimTypes[%d]: coldkey %x: %w", i, t.Coldkey[:], err)
		}
		l.rootClaimType[t.Coldkey] = emission.RootClaimType{Kind: t.Type.Kind, Subnets: slices.Clone(t.Type.Subnets)}
	}
	for i, t := range g.RootClaimableThresholds {
		if _, dup := l.rootClaimThreshold[t.NetUID]; dup {
			return genesisErr("RootClaimableThresholds[%d]: netuid %d listed twice", i, t.NetUID)
		}
		if t.Threshold.IsNegative() {
			return genesisErr("RootClaimableThresholds[%d]: netuid %d: negative threshold", i, t.NetUID)
		}
		l.rootClaimThreshold[t.NetUID] = t.Threshold
	}
	for i, r := range g.RateLimits {
		if r.Key.Kind < RateLimitTx || r.Key.Kind > RateLimitOwnerHyperparam {
			return genesisErr("RateLimits[%d]: unknown kind %d", i, r.Key.Kind)
		}
		if _, dup := l.rateLimits[r.Key]; dup {
			return genesisErr("RateLimits[%d]: kind %d, account %x, netuid %d listed twice", i, r.Key.Kind, r.Key.Account[:], r.Key.NetUID)
		}
		l.rateLimits[r.Key] = r.Block
	}
	return nil
}
