// Package dtao is the in-memory ledger: the chain's state and the rules that
// change it, embedded in a Go program, with the same integers as
// subtensor's runtime at the pinned commit.
//
// The ledger arrives in stages. This stage holds two of its parts:
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
// Accounts, subnets, the calls mirroring the extrinsics and the block step
// come in later stages.
package dtao
