package dtao

import (
	"bytes"
	"math"
	"slices"
	"sync"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
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
type SubnetState struct {
	NetUID          units.NetUID
	Owner           units.AccountID
	OwnerHotkey     units.AccountID
	Pool            amm.Pool
	SubtokenEnabled bool
	// AlphaBurned is alpha that left every stake but stays in
	// SubnetAlphaOut (burn_subnet_alpha, coinbase/alpha.rs): the unstaking
	// fee when the block has no author.
	AlphaBurned units.Alpha
	// TaoFlow is SubnetTaoFlow: the TAO staked in less the TAO unstaked
	// out (record_tao_inflow and record_tao_outflow,
	// coinbase/subnet_emissions.rs), saturating in i64.
	TaoFlow int64
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
// depends on the order of a map.
type Ledger struct {
	mu sync.RWMutex

	block     uint64
	ed        units.TAO
	minStake  units.TAO
	author    units.AccountID
	hasAuthor bool

	balances      map[units.AccountID]units.TAO
	totalIssuance units.TAO
	totalStake    units.TAO
	subnets       map[units.NetUID]*SubnetState
	owner         map[units.AccountID]units.AccountID
	stake         map[stakeKey]*SharePool
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
	return l.balances[a]
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

func (l *Ledger) netuids() []units.NetUID {
	ids := make([]units.NetUID, 0, len(l.subnets))
	for id := range l.subnets {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Stake returns the coldkey's alpha staked to the hotkey on the subnet
// (get_stake_for_hotkey_and_coldkey_on_subnet, staking/stake_utils.rs).
func (l *Ledger) Stake(hotkey, coldkey units.AccountID, netuid units.NetUID) units.Alpha {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.stakeOf(hotkey, coldkey, netuid)
}

func (l *Ledger) stakeOf(hotkey, coldkey units.AccountID, netuid units.NetUID) units.Alpha {
	p, ok := l.stake[stakeKey{hotkey, netuid}]
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
	if p, ok := l.stake[stakeKey{hotkey, netuid}]; ok {
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
		p, ok := l.stake[stakeKey{hotkey, id}]
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
