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
//     credit. A [Coinbaser] computes the same with its working space and
//     result kept from one block to the next (no allocation).
//
// # At an epoch
//
//   - [Schedule], [AdvanceSchedules]: dynamic tempo, the MaxTempo safety net,
//     deferral past MaxEpochsPerBlock, the owner's set_tempo and
//     trigger_epoch; [LegacyEpochDue] for replay.
//   - [Distribute]: incentives (the owner's own hotkeys withheld), the
//     parent/child split ([SplitToParents]), the alpha/root split of
//     dividends ([SplitDividends]), delegate takes ([ApplyTake]) and root
//     claimable rates ([RootClaimableIncrement]). A [Distributor] computes
//     the same with buffers kept from one epoch to the next (no
//     allocation), and [DistributionInput.States] passes the hotkeys'
//     states by line instead of in a map.
//
// # Root claims
//
// A subnet's root dividends are not paid out at the epoch
// (pallets/subtensor/src/staking/claim_root.rs). After the delegate take,
// the hotkey's rest raises RootClaimable[hotkey][netuid], an I96F32 amount
// of alpha per unit of root stake ([RootClaimableIncrement]). A coldkey
// with root stake s on the hotkey is owed rate·s less RootClaimed[(netuid,
// hotkey, coldkey)], a u128 watermark ([fixed.U128]; [RootOwedFloat],
// [RootOwed]). A claim pays what is owed ([RootClaimAmount], against
// RootClaimableThreshold, default [DefaultRootClaimThreshold], set through
// [RootClaimThreshold]), keeps it as alpha or swaps it to root stake
// ([RootClaimType.Swaps]) and raises the watermark. Root stake moving in
// or out moves the watermark by rate·amount ([RootClaimedAfterAddStake],
// [RootClaimedAfterRemoveStake]), so that it neither earns nor forfeits
// past dividends. [BlockHashToIndices] picks the coldkeys claimed
// automatically each block; [CheckClaimRootSubnets], [CheckNumRootClaim]
// and [RootClaimType.Validate] are the calls' checks.
//
// The storage steps are the ledger's; the chain takes them in this order.
//
// increase_root_claimable_for_hotkey_and_subnet(hotkey, netuid, amount),
// for each hotkey's root dividend rest at an epoch
// (distribute_dividends_and_incentives,
// pallets/subtensor/src/coinbase/run_coinbase.rs): with s the hotkey's
// total root stake (TotalHotkeyAlpha on root), RootClaimableIncrement(amount,
// s). When not ok, amount is staked as alpha on netuid to (hotkey,
// Owner[hotkey]) and nothing else changes. When ok,
// RootClaimable[hotkey][netuid] = old.SaturatingAdd(rate), the entry being
// inserted when absent, even with a zero rate.
//
// root_claim_on_subnet(hotkey, coldkey, netuid, claimType, ignoreThreshold):
//
//  1. owed = RootOwedFloat(RootClaimable[hotkey][netuid] (0 when absent),
//     the coldkey's root stake on the hotkey, RootClaimed[(netuid, hotkey,
//     coldkey)]).
//  2. a = RootClaimAmount(owed, RootClaimableThreshold[netuid],
//     ignoreThreshold). When a == 0 nothing changes and the step succeeds.
//  3. If claimType.Swaps(netuid), in one transaction, rolled back whole
//     (failing the step) on any error: sell a alpha on netuid's pool without
//     fees at the minimum price limit (swap_alpha_for_tao(netuid, a,
//     min_price, drop_fees = true), pallets/subtensor/src/staking/stake_utils.rs:
//     SubnetAlphaIn += the alpha reserve delta, SubnetAlphaOut −= it, the
//     TAO reserve −= the TAO reserve delta, TotalStake −= t, SubnetVolume
//     += t, with t the TAO paid out; a stable subnet pays t = a); move t
//     from netuid's subnet account to the root subnet's account
//     (transfer_tao_from_subnet; its error fails the step);
//     SubnetRootSellTao[netuid] += t; SubnetProtocolFlow[netuid] −= t
//     (record_protocol_outflow, i64 saturating); stake t alpha on root to
//     (hotkey, coldkey); SubnetTAO[root] += t; SubnetAlphaOut[root] += t;
//     TotalStake += t; then the add-stake adjustment below for (hotkey,
//     coldkey) and amount t, over every netuid of RootClaimable[hotkey],
//     netuid included. Otherwise (keep): stake a alpha on netuid to (hotkey,
//     coldkey).
//  4. RootClaimed[(netuid, hotkey, coldkey)] = its current value (after
//     step 3's adjustment).SaturatingAdd(a).
//
// claim_root(subnets), the extrinsic: subnets pass CheckClaimRootSubnets;
// the coldkey joins the auto-claim index (maybe_add_coldkey_index); then,
// in one transaction, for each hotkey of StakingHotkeys[coldkey] in stored
// order and each netuid of RootClaimable[hotkey] in ascending order that
// is in subnets: root_claim_on_subnet(hotkey, coldkey, netuid,
// RootClaimType[coldkey], false). The first error fails the call, which
// then changes nothing; success emits RootClaimed{coldkey}. The automatic
// claim (run_auto_claim_root_divs, each block) does the same with every
// netuid for each coldkey StakingColdkeysByIndex holds at the indices
// BlockHashToIndices(parent hash, NumRootClaim, NumStakingColdkeys), each
// coldkey in its own transaction, a failing one left unchanged and
// skipped.
//
// Root stake changes (pallets/subtensor/src/staking/stake_utils.rs): after
// stake_into_subnet on root, for each (netuid, rate) of
// RootClaimable[hotkey], RootClaimed[(netuid, hotkey, coldkey)] =
// RootClaimedAfterAddStake(that value, rate, alpha bought), and the coldkey
// joins the auto-claim index. After unstake_from_subnet on root, the same
// with RootClaimedAfterRemoveStake and the alpha sold, skipping netuid 0;
// a coldkey left without root stake on any of its hotkeys leaves the index
// (maybe_remove_coldkey_index). transfer_stake_within_subnet on root does
// the removal for the origin keys and the addition for the destination
// keys.
//
// Key swaps and dissolution: transfer_root_claimed_for_new_keys sets the
// new keys' RootClaimed to old.SaturatingAdd(new) and removes the old
// entry; transfer_root_claimable_for_new_hotkey adds the old hotkey's
// rates into the new hotkey's (I96F32 SaturatingAdd, inserting missing
// netuids) and removes the old map; finalize_all_subnet_root_dividends,
// when netuid is dissolved, removes netuid from every hotkey's
// RootClaimable and every RootClaimed[(netuid, ·, ·)].
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
// the chain itself names (ErrProportionOverflow, those of the owner's
// scheduling calls, [Schedule.SetTempo] and [Schedule.Trigger], and those
// of the root-claim checks, [RootClaimThreshold], [CheckNumRootClaim],
// [CheckClaimRootSubnets] and [RootClaimType.Validate]) are
// [*units.ChainError] sentinels, whose ChainName is the chain's name.
// Output slices sized by the caller ([Shares], [FlowShares],
// [AdvanceSchedules]) panic when too short: a programming error,
// documented on each.
package emission
