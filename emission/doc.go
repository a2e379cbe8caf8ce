// Package emission holds the chain's emission arithmetic as pure
// functions: what is minted each block, how it reaches the subnets' pools
// and pending buckets, when a subnet's epoch is due, and who is paid how
// much when it runs. Each function names the subtensor function and the
// storage items it mirrors, at commit 14bc6f9f (spec_version 425).
//
// # Per block
//
//   - [BlockEmission]: TAO per block for an issuance, halving on issuance
//     (get_block_emission_for_issuance); [AlphaBlockEmission] is the same
//     curve on a subnet's alpha issuance, its alpha per block. [Mint] caps a
//     mint at the supply; [Recycle] lowers the issuance (and so delays
//     halvings), burning does not.
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
// Types: every amount is a [units.TAO] or a [units.Alpha] (1 TAO = 1
// alpha = 1e9 rao), every netuid a [units.NetUID]; a root stake is alpha of
// the root subnet, as the chain's TotalHotkeyAlpha stores it. A bare u64
// is a quantity the chain itself holds as a dimensionless integer: block
// numbers, tempos and block counts ([Schedule]), and the ratios stored as
// parts of u64::MAX (TaoWeight, CKBurn, child proportions); a bare u16 is
// a ratio stored as parts of 65535 (takes, the owner cut). The chain reads
// those ratios as U96F32, which [fixed.U96F32FromU64Proportion] and
// [fixed.U96F32FromU16Proportion] compute. Unfloored intermediate values
// ([Terms], shares, dividends before the take) keep the chain's fixed-point
// type from package fixed.
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
// Zero values: the zero value of each input field is the chain's storage
// default where one exists (emission enabled, owner cut enabled, no
// pending epoch, no miner burn; a [HotkeyState] reads as a hotkey with no
// storage entries). The two stored u16 ratios whose default is not 0 have
// types whose zero value is that default: a delegate take is a [Take] (left
// out it is [DefaultDelegateTake], [TakeOf] states any other, 0 included)
// and the owner cut a [Cut] (left out it is [DefaultOwnerCut], [CutOf]
// states any other). A field without a chain default cannot be left out:
// the zero [amm.Pool] is not a pool the chain holds, and [Coinbase] refuses
// it.
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
// [Coinbase] ([ErrDuplicateSubnet], [ErrRootSubnet]), a pool that fails
// [amm.Pool.Validate] in [Coinbase] (amm's error, wrapped with the
// netuid), child proportions past 1 ([ErrProportionOverflow]). The errors
// the chain itself names (ErrProportionOverflow and those of the owner's
// scheduling calls, [Schedule.SetTempo] and [Schedule.Trigger]) are
// [*units.ChainError] sentinels, whose ChainName is the chain's name.
// Output slices sized by the caller ([Shares], [FlowShares],
// [AdvanceSchedules]) panic when too short: a programming error,
// documented on each.
package emission
