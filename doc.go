// Package dtao is the in-memory ledger: the chain's state and the rules that
// change it, embedded in a Go program, with the same integers as
// subtensor's runtime at the pinned commit.
//
// # The ledger
//
// A Ledger holds the state the staking calls read and write: the free TAO
// balance of every account (the subnet accounts, which hold the pools' TAO
// reserves, and the burn account included), TotalIssuance and TotalStake,
// the subnets by netuid (owner, owner hotkey, SubtokenEnabled, burned alpha
// and the amm.Pool with SubnetTAO, SubnetAlphaIn and SubnetAlphaOut; the
// root subnet, netuid 0, has a stable pool), hotkey ownership (Owner), the
// stake share pool of every (hotkey, netuid) and the current block and
// block author.
//
// Build one with NewLedger from a GenesisConfig whose fields follow the
// chain's storage items, or with a Builder:
//
//	l, err := dtao.NewBuilder().
//		Account(alice, 100_000_000_000).
//		Hotkey(validator, bob).
//		Subnet(1, bob, ownerHotkey, 1_000_000_000_000, 10_000_000_000_000).
//		Build()
//
// A bad genesis is an error wrapping ErrInvalidGenesis that names the field
// and the entry.
//
// # Calls
//
// Transfer and TransferKeepAlive are the balances pallet's transfers (the
// existential deposit, reaping and its dust burn). AddStake and RemoveStake
// are add_stake and remove_stake, AddStakeLimit and RemoveStakeLimit their
// limit-price forms (pallets/subtensor/src/staking/add_stake.rs,
// remove_stake.rs, stake_utils.rs): the chain's checks in its order, the TAO
// moved between the coldkey and the subnet account keeping the coldkey
// alive, the swap on the subnet's pool with its fee, the share pool updated,
// TotalStake, and the fee paid to the block author or burned. Each call
// validates first and either applies whole or changes nothing, returning the
// chain's error by name: a *units.ChainError (ErrAmountTooLow,
// ErrNotEnoughBalanceToStake, ErrFundsUnavailable, ..., or the pool's
// amm errors), testable with errors.Is and readable with units.ChainName.
//
// MoveStake, TransferStake and SwapStake are move_stake, transfer_stake and
// swap_stake (pallets/subtensor/src/staking/move_stake.rs,
// transition_stake_internal): within one subnet the alpha moves between
// shares without a swap or a fee; across subnets it is sold on the origin
// pool and the TAO staked on the destination pool, one of the two legs
// paying the fee. UnstakeAll and UnstakeAllAlpha are unstake_all and
// unstake_all_alpha (staking/remove_stake.rs): every stake of a coldkey on
// a hotkey sold, and for UnstakeAllAlpha the TAO restaked on root.
//
// # Trust
//
// CheckInvariants proves that every rao is accounted for: TotalIssuance is
// the sum of all balances, each subnet account holds its reserve, and per
// subnet the share pools' totals plus the burned alpha are SubnetAlphaOut.
// StateHash is a SHA-256 over a canonical, sorted encoding of the whole
// state: the same genesis and calls give the same hash on every run and
// machine, and any change of state changes it.
//
// WriteSnapshot and SaveSnapshot write the whole state as a snapshot:
// the magic "DTAOSNAP", the format version (SnapshotVersion, a u16), the
// payload's length (a u64), the payload (the canonical encoding StateHash
// digests, so hash and snapshot cover the same state) and its SHA-256,
// which is the StateHash. SaveSnapshot is atomic: a temporary file in the
// same directory, fsync, rename, fsync of the directory; a failed save
// leaves the old file as it was. ReadSnapshot and LoadSnapshot return a
// new ledger only when everything checks out: a foreign file
// (ErrSnapshotForeign), another version (ErrSnapshotVersion), a declared
// payload above MaxSnapshotPayload (ErrSnapshotTooLarge), a truncated
// file, a checksum mismatch, trailing bytes, or a payload that is not the
// canonical encoding of a state passing CheckInvariants
// (ErrSnapshotCorrupt) are refused, and nothing is half-loaded. A restored
// ledger has the StateHash of the one saved and, given the same calls,
// continues exactly as if it had never stopped.
//
// A Ledger is safe for concurrent use: every method takes its lock, so
// readers never see a half-applied call, and a snapshot never holds one.
// Nothing that reaches a result depends on the order of a map.
//
// # Parts
//
//   - SharePool: one hotkey's stake share pool on one subnet
//     (TotalHotkeyAlpha, TotalHotkeySharesV2 and AlphaV2 on chain), with
//     stake, unstake and dividend exactly as the pallet's wrappers in
//     pallets/subtensor/src/staking/stake_utils.rs drive
//     primitives/share-pool, on the chain's SafeFloat shares
//     (fixed.SafeFloat), legacy U64F64 shares included.
//   - NetworkLockCost and LockReductionInterval: the lock a subnet
//     registration costs (get_network_lock_cost and
//     get_lock_reduction_interval, pallets/subtensor/src/coinbase/root.rs).
//
// # Next stages
//
// The ledger grows by stages. Still to come: the block step (Step, StepN)
// with block emission, the coinbase and its injections, epochs and the
// distribution of their emission; neuron and network registration with the subnets' full state
// (package subnet), weights, children and takes, root claims; a JSON
// genesis.
package dtao
