// Package emission holds the chain's emission arithmetic as pure
// functions: what is minted each block, how it reaches the subnets' pools
// and pending buckets, when a subnet's epoch is due, and who is paid how
// much when it runs. Each function names the subtensor function and the
// storage items it mirrors, at commit 14bc6f9f (spec_version 425).
//
// # Per block
//
//   - [BlockEmission]: TAO per block for an issuance, halving on issuance
//     (get_block_emission_for_issuance); the same curve on a subnet's alpha
//     issuance gives its alpha per block. [Mint] caps a mint at the supply;
//     [Recycle] lowers the issuance (and so delays halvings), burning does not.
//   - [Emits]: which subnets are in the emit-to set.
//   - [Shares], [SubnetTAOEmission], [RootSell]: each emitting subnet's share
//     of the block's TAO by moving price, weighted by 1 − MinerBurned, with
//     disabled subnets' part redistributed. [FlowShares] and [FlowEMA] are
//     the TAO-flow and net-flow rules of Nov 2025 – Jun 2026, for replay.
//   - [SubnetTerms], [RootProportion]: TAO and alpha to inject, the cap at
//     root_proportion × alpha emission, the excess that buys alpha.
//   - [SplitAlphaOut]: owner cut and the server / validator / root split.
//   - [Coinbase]: all of the above over a set of pools, in the chain's
//     order, with the weight update, the fee-less chain buy and the leftover
//     credit.
//
// # At an epoch
//
//   - [Schedule], [AdvanceSchedules]: dynamic tempo, the MaxTempo safety net,
//     deferral past MaxEpochsPerBlock, the owner's set_tempo and
//     trigger_epoch; [LegacyEpochDue] for replay.
//   - [Distribute]: incentives (the owner's own hotkeys withheld), the
//     parent/child split ([SplitToParents]), the alpha/root split of
//     dividends ([SplitDividends]), delegate takes ([ApplyTake]) and root
//     claimable rates ([RootClaimableIncrement]).
//
// # Conventions
//
// Units: amounts are u64 rao (1 TAO = 1e9 rao; alpha likewise). Ratios
// stored as u16 are divided by 65535 and those stored as u64 by u64::MAX,
// in U96F32 ([Ratio16], [Ratio64]).
//
// Rounding: every step uses the chain's fixed-point type for that step
// (U64F64 for shares, U96F32 for terms, splits and dividends, I96F32 for
// root claimable rates), floors where the chain floors, saturates where it
// saturates, and converts to rao with the chain's tou64 (floor). Rounding
// dust is therefore minted or kept exactly where the chain keeps it.
//
// Order: where the chain iterates a BTreeMap of accounts, recipients are
// ordered by the account's bytes. Subnets are visited in the chain's
// storage order of NetworksAdded ([StorageOrder]: ascending netuid below
// 256, little-endian bytes in general); [Coinbase] sorts them itself, the
// per-epoch functions take them in the order given.
//
// Zero values: the zero value of each input struct is the chain's storage
// default where one exists (emission enabled, owner cut enabled, no
// pending epoch; a [HotkeyState] reads as a hotkey with no storage entries,
// its delegate take [DefaultDelegateTake]). A delegate take is a [Take]:
// left out it is the default, [TakeOf] states any other, 0 included.
// CoinbaseSubnet.OwnerCut is explicit (its zero is a 0% cut).
//
// Purity and concurrency: no globals, no I/O, no goroutines, no map
// iteration that reaches a result. Functions that update state say so
// ([Coinbase] updates the pools it is given, [AdvanceSchedules] the
// schedules); everything else is safe for concurrent use.
//
// Errors: the chain cannot fail these steps; inputs within its domain
// saturate or fall back as the chain does (a failed weight update injects
// nothing, a failed chain buy is swallowed), and the results say so.
// Inputs no chain state can hold are errors, testable with errors.Is: a
// nil input ([ErrNilInput]), a subnet listed twice or the root subnet in
// [Coinbase] ([ErrDuplicateSubnet], [ErrRootSubnet]), child proportions
// past 1 ([ErrProportionOverflow]). Output slices sized by the caller
// ([Shares], [FlowShares], [AdvanceSchedules]) panic when too short: a
// programming error, documented on each.
package emission
