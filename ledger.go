package dtao

import (
	"bytes"
	"math"
	"slices"
	"sync"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// Chain constants the ledger's calls read.
const (
	// ExistentialDeposit is the runtime's ExistentialDeposit
	// (runtime/src/lib.rs EXISTENTIAL_DEPOSIT): 500 rao.
	ExistentialDeposit units.TAO = 500
	// DefaultMinStake is DefaultMinStake, the runtime's InitialMinStake
	// (pallets/subtensor/src/lib.rs): 2_000_000 rao, 0.002 TAO.
	DefaultMinStake units.TAO = 2_000_000
)

// RootNetUID is the root subnet, netuid 0, whose pool is stable (1:1, no fee).
const RootNetUID units.NetUID = 0

// palletAccount is PalletId::into_sub_account_truncating: "modl", the
// 8-byte pallet id, the SCALE encoding of sub, then zeros.
func palletAccount(id string, sub []byte) units.AccountID {
	var a units.AccountID
	copy(a[:], "modl")
	copy(a[4:12], id)
	copy(a[12:], sub)
	return a
}

// SubnetAccountID is the account that holds a subnet's TAO reserve and lock
// (get_subnet_account_id, pallets/subtensor/src/subnets/subnet.rs): the
// SubtensorPalletId "subtensr" sub-account of the netuid as a u16.
func SubnetAccountID(netuid units.NetUID) units.AccountID {
	return palletAccount("subtensr", []byte{byte(netuid), byte(netuid >> 8)})
}

// BurnAccountID is the account burned TAO goes to (burn_tao,
// pallets/subtensor/src/coinbase/tao.rs: BurnAccountId "burntnsr"
// into_account_truncating). TAO sent there stays in TotalIssuance.
func BurnAccountID() units.AccountID { return palletAccount("burntnsr", nil) }

// SubnetState is one subnet as the ledger holds it at this stage: its
// owner, its pool (SubnetTAO, SubnetAlphaIn, SubnetAlphaOut and the swap
// pallet's state), SubtokenEnabled and AlphaBurned.
//
// The fields are laid out for the block's walk over the subnets
// (Ledger.step): a SubnetState holds no pointers and is allocated alone,
// from the 320-byte size class, whose objects lie on 64-byte boundaries,
// so that what each block reads and writes lies in its first three cache
// lines: the coinbase input's Pool and MinerBurned in the first;
// MovingPrice, the flags, ProtocolAlpha and the pending buckets in the
// second; AlphaBurned, the Schedule and the moving price's
// FirstEmissionBlock and EMAPriceHalvingBlocks in the third. The fields
// only the epochs, payouts and calls read come after them
// (TestSubnetStateBlockFieldsLines).
type SubnetState struct {
	Pool amm.Pool
	// MinerBurned is the fraction of the last epoch's incentive withheld
	// from miners (owner hotkeys), which lowers the next TAO shares.
	MinerBurned fixed.U96F32

	// MovingPrice is SubnetMovingPrice, the price EMA the TAO shares are
	// computed from, updated after each block's coinbase.
	MovingPrice fixed.I96F32
	// The pending emission buckets (PendingServerEmission,
	// PendingValidatorEmission, PendingRootAlphaDivs, PendingOwnerCut):
	// alpha minted each block and paid out at the next epoch.
	PendingServer, PendingValidator, PendingRoot, PendingOwnerCut units.Alpha
	// ProtocolAlpha is SubnetProtocolAlpha: the alpha the chain buys hold,
	// owned by no stake.
	ProtocolAlpha   units.Alpha
	SubtokenEnabled bool
	Started         bool
	// EmissionDisabled is !SubnetEmissionEnabled: the subnet takes no TAO
	// share (run_coinbase's emission switch).
	EmissionDisabled bool

	// AlphaBurned is alpha that no stake, pending bucket or chain buy
	// holds but that stays in SubnetAlphaOut: burned alpha
	// (burn_subnet_alpha, coinbase/alpha.rs: the unstaking fee when the
	// block has no author, burned miner incentive) and the rao the
	// coinbase's and the distribution's floors leave unassigned.
	AlphaBurned units.Alpha
	// Schedule is the epoch schedule (Tempo, LastEpochBlock,
	// PendingEpochAt, BlocksSinceLastStep, SubnetEpochIndex).
	Schedule emission.Schedule
	// FirstEmissionBlock is FirstEmissionBlockNumber when Started: the
	// block after the owner's start_call, from which the subnet emits.
	FirstEmissionBlock uint64
	// EMAPriceHalvingBlocks is the EMA's halving period.
	EMAPriceHalvingBlocks uint64

	// TaoFlow is SubnetTaoFlow: the TAO staked in less the TAO unstaked
	// out (record_tao_inflow and record_tao_outflow,
	// coinbase/subnet_emissions.rs), saturating in i64.
	TaoFlow int64
	// Locked is SubnetLocked: the TAO the subnet account holds besides
	// the reserve (the registration lock, and chain-buy TAO the pool did
	// not take).
	Locked units.TAO
	// RegisteredAt is NetworkRegisteredAt, the block the subnet was
	// registered at.
	RegisteredAt uint64
	// RootClaimableAlpha is the root dividends paid into the hotkeys'
	// RootClaimable rates and not claimed yet: alpha in SubnetAlphaOut
	// that root stakers may claim.
	RootClaimableAlpha units.Alpha
	// AlphaOutShortfall is alpha the chain took out of SubnetAlphaOut
	// without taking it from any holder: the CK burn is recycled
	// (recycle_subnet_alpha in get_parent_child_dividends_distribution,
	// coinbase/run_coinbase.rs) while the dividends it came from are
	// renormalised to the whole validator pool, so SubnetAlphaOut falls
	// below the stakes it counts. SubnetAlphaOut + AlphaOutShortfall is the
	// stakes plus the alpha held outside them.
	AlphaOutShortfall units.Alpha
	Owner             units.AccountID
	OwnerHotkey       units.AccountID
	NetUID            units.NetUID

	// RegistrationsThisBlock and RegistrationsThisInterval are the root
	// subnet's registration counters (root_register); a non-root subnet
	// keeps its own in its subnet.Subnet. Step resets the first each block
	// and the second when the root's schedule is due
	// (update_registration_prices_for_networks, subnets/registration.rs).
	RegistrationsThisBlock, RegistrationsThisInterval uint16
	// RecycleIncentive is RecycleOrBurn == Recycle: the incentive withheld
	// from the owner's hotkeys leaves SubnetAlphaOut instead of being
	// burned (AlphaBurned).
	RecycleIncentive bool
}

// held is the alpha in SubnetAlphaOut that no stake holds, saturating.
func (s *SubnetState) held() units.Alpha {
	return s.AlphaBurned.SaturatingAdd(s.ProtocolAlpha).SaturatingAdd(s.RootClaimableAlpha).SaturatingAdd(s.pending())
}

// pending is the sum of the four pending buckets, saturating.
func (s *SubnetState) pending() units.Alpha {
	return s.PendingServer.SaturatingAdd(s.PendingValidator).SaturatingAdd(s.PendingRoot).SaturatingAdd(s.PendingOwnerCut)
}

// saturatingAddFlow adds tao to the flow as the chain does: the amount cast
// with u64 as i64, the sum saturating.
func saturatingAddFlow(flow int64, tao units.TAO, sign int64) int64 {
	d := int64(tao.Rao())
	if sign < 0 {
		if d > 0 && flow < math.MinInt64+d {
			return math.MinInt64
		}
		if d < 0 && flow > math.MaxInt64+d {
			return math.MaxInt64
		}
		return flow - d
	}
	if d > 0 && flow > math.MaxInt64-d {
		return math.MaxInt64
	}
	if d < 0 && flow < math.MinInt64-d {
		return math.MinInt64
	}
	return flow + d
}

type stakeKey struct {
	hotkey units.AccountID
	netuid units.NetUID
}

func (k stakeKey) cmp(o stakeKey) int {
	if k.netuid != o.netuid {
		if k.netuid < o.netuid {
			return -1
		}
		return 1
	}
	return bytes.Compare(k.hotkey[:], o.hotkey[:])
}

// Ledger is the in-memory chain state: free balances, TotalIssuance,
// TotalStake, the subnets with their pools, hotkey ownership (Owner) and the
// per-(hotkey, netuid) stake share pools, at a current block.
//
// Every exported method takes the ledger's lock: calls are serialised,
// readers may run together, and no reader sees a half-applied call. A call
// that returns an error changes nothing. Nothing that reaches a result
// depends on the order in which a map or a keyTable is visited.
type Ledger struct {
	mu sync.RWMutex

	block     uint64
	ed        units.TAO
	minStake  units.TAO
	author    units.AccountID
	hasAuthor bool

	// balances holds each account's free balance in a cell of its own,
	// never replaced while the account exists, so that a balance looked up
	// once is written through its cell (journal.setBalanceAt)
	// and the block credits each subnet account through the cell its
	// subnet list keeps (stepSubnet.bal). An entry is taken out only when
	// its account is reaped or a call that made it is undone, and each
	// removal counts in balancesGone: a cell kept past a removal is used
	// only while that count is unchanged. New cells are cut from
	// balanceCells, allocated in blocks (newBalanceCell).
	balances      balanceTable
	balancesGone  uint64
	balanceCells  []units.TAO
	totalIssuance units.TAO
	totalStake    units.TAO
	subnets       map[units.NetUID]*SubnetState
	owner         map[units.AccountID]units.AccountID
	// stake holds the share pools by (hotkey, netuid). It and balances,
	// which every stake call reads, are keyTables rather than Go maps
	// (keytable.go says why).
	stake poolTable

	// nets holds each non-root subnet's neurons, hyperparameters, weights
	// and registration price. Its Pool, MovingPrice and TaoFlow fields are
	// the SubnetState's, copied in by subnetView before the subnet package
	// reads them (syncIn) and back after it changes them (syncOut).
	nets map[units.NetUID]*subnet.Subnet
	// ws is the epoch's workspace, reused by every Step.
	ws subnet.Workspace

	params Params

	// Hotkey relations and takes.
	delegateTake    map[units.AccountID]uint16 // Delegates; absent reads DefaultDelegateTake
	childkeyTake    map[stakeKey]uint16        // ChildkeyTake
	children        map[stakeKey][]Link        // ChildKeys: (parent, netuid) → children
	parents         map[stakeKey][]Link        // ParentKeys: (child, netuid) → parents
	pendingChildren map[stakeKey]PendingChildren

	// Root dividends: RootClaimable (hotkey, netuid) → rate per unit of
	// root stake, and RootClaimed (netuid, hotkey, coldkey), filed by
	// (hotkey, coldkey) in rows of ascending netuid (claimed.go). A
	// RootClaimable entry is held by pointer, never replaced while it
	// exists: the epoch's update reads and writes it in place, through the
	// pointer its uid keeps (uidState.claimable). Entries are made by
	// genesis and the payouts and taken out only with their subnet
	// (journal.removeSubnet, whose undo puts back the same pointers).
	rootClaimable map[stakeKey]*fixed.I96F32
	rootClaimed   map[claimPair][]claimedEntry
	// claimIndex holds each hotkey's RootClaimable entries in ascending
	// netuid order (the chain's BTreeMap order), the map's pointers, so
	// that a root stake call visits the hotkey's entries only: kept with
	// the map wherever an entry is made or taken out (addClaimable,
	// journal.removeSubnet). claimOrphans: genesis made an entry for a
	// netuid that held no subnet (claimableSkipped).
	claimIndex   map[units.AccountID][]claimRef
	claimOrphans bool
	// RootClaimType per coldkey (absent: Swap) and RootClaimableThreshold
	// per subnet (absent: emission.DefaultRootClaimThreshold).
	rootClaimType      map[units.AccountID]emission.RootClaimType
	rootClaimThreshold map[units.NetUID]fixed.I96F32

	// Subnet registration: NetworkLastLockCost and the block of the last
	// registration (LastRateLimitedBlock[NetworkLastRegistered], 0 for
	// none).
	lastLockCost          units.TAO
	lastNetworkRegistered uint64
	// rootNeurons are the root subnet's neurons by uid (Keys and
	// BlockAtRegistration of netuid 0); never shared: a change replaces
	// the slice.
	rootNeurons []RootNeuron
	// rateLimits is LastRateLimitedBlock and the chain's other last-call
	// blocks, by what they limit.
	rateLimits map[RateLimitKey]uint64

	onEvent func(Event)

	// order is the netuids in ascending order, kept as subnets come and go.
	order []units.NetUID
	buf   stepBuffers

	// Indexes kept for the stake calls (see journal.go).
	// jr is the calls' journal, reused by each call's begin while no
	// other call holds it; jseq numbers the journals begun.
	jr   journal
	jseq uint64
	// warm is WarmStakes's (stake_warm.go).
	warm warmState

	// ownerRemovals counts the Owner entries taken out. Entries are
	// otherwise only added, so that the map's length and ownerRemovals
	// name the set of hotkeys it holds (hotkeyOwned): whatever takes an
	// entry out adds one (today only the undo of journal.setOwner).
	ownerRemovals uint64
}

// RateLimitKind names what a rate limit counts.
type RateLimitKind uint8

// The rate-limited calls (LastRateLimitedBlock's RateLimitKey,
// pallets/subtensor/src/utils/rate_limiting.rs, and the chain's
// LastTxBlock* items).
const (
	// RateLimitTx is LastTxBlock: a coldkey's last rate-limited call.
	RateLimitTx RateLimitKind = iota + 1
	// RateLimitDelegateTake is LastTxBlockDelegateTake: a hotkey's last
	// take increase.
	RateLimitDelegateTake
	// RateLimitChildkeyTake is LastTxBlockChildKeyTake: a hotkey's last
	// childkey take change.
	RateLimitChildkeyTake
	// RateLimitSetChildren is SetChildren (hotkey, netuid).
	RateLimitSetChildren
	// RateLimitOwnerHyperparam is OwnerHyperparamUpdate (netuid).
	RateLimitOwnerHyperparam
)

// RateLimitKey is one rate-limited thing: a kind and the account and
// netuid it is kept for (zero where the kind has none).
type RateLimitKey struct {
	Kind    RateLimitKind
	Account units.AccountID
	NetUID  units.NetUID
}

// claimKey is RootClaimed's key.
type claimKey struct {
	netuid          units.NetUID
	hotkey, coldkey units.AccountID
}

// Link is one entry of ChildKeys or ParentKeys: the other hotkey and the
// proportion, in parts of u64::MAX, of the parent's stake it passes.
type Link struct {
	Proportion uint64
	Hotkey     units.AccountID
}

// PendingChildren is PendingChildKeys: a set_children waiting for its
// cooldown, applied at the first epoch of the subnet from block
// CooldownBlock on.
type PendingChildren struct {
	Children      []Link
	CooldownBlock uint64
}

// Block returns the current block.
func (l *Ledger) Block() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.block
}

// ExistentialDeposit returns the ledger's existential deposit.
func (l *Ledger) ExistentialDeposit() units.TAO {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ed
}

// Balance returns the account's free balance (0 for an account that does
// not exist).
func (l *Ledger) Balance(a units.AccountID) units.TAO {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.balance(a)
}

// TotalIssuance returns the total issuance: every rao of every account.
func (l *Ledger) TotalIssuance() units.TAO {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.totalIssuance
}

// TotalStake returns TotalStake, the chain's running total of staked TAO
// (increased by the gross TAO of a stake, decreased by the TAO an unstake
// pays out, as swap_tao_for_alpha and swap_alpha_for_tao keep it).
func (l *Ledger) TotalStake() units.TAO {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.totalStake
}

// Owner returns the coldkey owning the hotkey and whether it has one.
func (l *Ledger) Owner(hotkey units.AccountID) (units.AccountID, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	c, ok := l.owner[hotkey]
	return c, ok
}

// Subnet returns a copy of the subnet's state and whether it exists.
func (l *Ledger) Subnet(netuid units.NetUID) (SubnetState, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	s, ok := l.subnets[netuid]
	if !ok {
		return SubnetState{}, false
	}
	return *s, true
}

// Pool returns a copy of the subnet's pool and whether the subnet exists.
func (l *Ledger) Pool(netuid units.NetUID) (amm.Pool, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	s, ok := l.subnets[netuid]
	if !ok {
		return amm.Pool{}, false
	}
	return s.Pool, true
}

// NetUIDs returns the netuids of the subnets in ascending order.
func (l *Ledger) NetUIDs() []units.NetUID {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.netuids()
}

func (l *Ledger) netuids() []units.NetUID { return slices.Clone(l.order) }

// reorder rebuilds order from the subnets. Every addition or removal of a
// subnet comes through here, with its pools: the block's kept lookups are
// stale (keysChanged).
func (l *Ledger) reorder() {
	l.keysChanged()
	l.order = l.order[:0]
	for id := range l.subnets {
		l.order = append(l.order, id)
	}
	slices.Sort(l.order)
}

// syncIn copies the ledger's pool, moving price and flow of the subnet
// into its subnet.Subnet before the subnet package reads them.
func (l *Ledger) syncIn(netuid units.NetUID) *subnet.Subnet {
	st, sn := l.subnets[netuid], l.nets[netuid]
	if sn == nil {
		return nil
	}
	sn.Pool, sn.MovingPrice, sn.TaoFlow = st.Pool, st.MovingPrice, st.TaoFlow
	return sn
}

// syncOut copies them back after the subnet package changed them.
func (l *Ledger) syncOut(netuid units.NetUID) {
	st, sn := l.subnets[netuid], l.nets[netuid]
	if sn == nil {
		return
	}
	st.Pool, st.MovingPrice, st.TaoFlow = sn.Pool, sn.MovingPrice, sn.TaoFlow
}

// Stake returns the coldkey's alpha staked to the hotkey on the subnet
// (get_stake_for_hotkey_and_coldkey_on_subnet, staking/stake_utils.rs).
func (l *Ledger) Stake(hotkey, coldkey units.AccountID, netuid units.NetUID) units.Alpha {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.stakeOf(hotkey, coldkey, netuid)
}

func (l *Ledger) stakeOf(hotkey, coldkey units.AccountID, netuid units.NetUID) units.Alpha {
	p, ok := l.stake.lookup(stakeKey{hotkey, netuid})
	if !ok {
		return 0
	}
	return p.Value(coldkey)
}

// TotalHotkeyAlpha returns the hotkey's alpha on the subnet, the value of
// its share pool (TotalHotkeyAlpha).
func (l *Ledger) TotalHotkeyAlpha(hotkey units.AccountID, netuid units.NetUID) units.Alpha {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if p, ok := l.stake.lookup(stakeKey{hotkey, netuid}); ok {
		return p.Total()
	}
	return 0
}

// TotalStakeForHotkey is get_total_stake_for_hotkey
// (pallets/subtensor/src/staking/helpers.rs): the sum over subnets of the
// hotkey's alpha times the spot price, in U64F64, saturating, floored to rao.
func (l *Ledger) TotalStakeForHotkey(hotkey units.AccountID) units.TAO {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var sum fixed.U64F64
	for _, id := range l.netuids() {
		p, ok := l.stake.lookup(stakeKey{hotkey, id})
		if !ok {
			continue
		}
		pool := l.subnets[id].Pool
		v := fixed.U64F64FromUint64(p.Total().Rao()).SaturatingMul(pool.Price().U64F64())
		sum = sum.SaturatingAdd(v)
	}
	return units.TAO(sum.SaturatingToUint64())
}

// BlockAuthor returns the block author's coldkey, which receives the
// swap fees, and whether the block has one.
func (l *Ledger) BlockAuthor() (units.AccountID, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.author, l.hasAuthor
}

// SetBlockAuthor sets the coldkey of the current block's author
// (T::AuthorshipProvider::author); the fees of the following calls go to it.
func (l *Ledger) SetBlockAuthor(a units.AccountID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.author, l.hasAuthor = a, true
}

// ClearBlockAuthor makes the block authorless: the fees of the following
// calls are burned (TAO to BurnAccountID, alpha to AlphaBurned).
func (l *Ledger) ClearBlockAuthor() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.author, l.hasAuthor = units.AccountID{}, false
}
