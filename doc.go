// Package dtao is the in-memory ledger: Bittensor's chain state and the
// rules that change it, embedded in a Go program, with the same integers
// as subtensor's runtime at the pinned commit. It runs blocks: the
// coinbase, the epochs and their payouts, exactly as block_step does
// (pallets/subtensor/src/coinbase/block_step.rs).
//
// # Build or load a network
//
// A Ledger starts from a GenesisConfig, whose fields follow the chain's
// storage items. Build one in code with a Builder, read a JSON genesis
// (ParseGenesisJSON: SubnetTAO, SubnetAlphaIn, TotalHotkeyAlpha, AlphaV2,
// Keys, Weights, Bonds, ... as a dump of chain storage names them), or
// restore a snapshot:
//
//	l, err := dtao.NewBuilder().
//		Root(1_000_000_000_000).
//		Subnet(1, owner, ownerHotkey, 1_000_000_000_000, 10_000_000_000_000).
//		Account(alice, 100_000_000_000).
//		Build()
//
// A subnet's neurons, weights and hyperparameters ride in
// GenesisSubnet.Storage (subnet.Storage). A bad genesis is an error
// wrapping ErrInvalidGenesis that names the field and the entry. Package
// sim builds a whole seeded network (sim.Genesis) and drives it with
// agents; `dtao simulate` runs it from the command line.
//
// # Stake and call
//
// The calls are the chain's extrinsics, checked in the chain's order and
// applied whole or not at all, returning the chain's error by name (a
// *units.ChainError, testable with errors.Is and readable with
// units.ChainName):
//
//   - balances: Transfer, TransferKeepAlive;
//   - staking: AddStake, RemoveStake, AddStakeLimit, RemoveStakeLimit,
//     MoveStake, TransferStake, SwapStake, UnstakeAll, UnstakeAllAlpha
//     (staking/*.rs), through the subnets' pools (package amm) and the
//     per-hotkey share pools (SharePool); WarmStakes, a read-ahead of the
//     state coming stake calls will read (a hint: it changes nothing);
//   - registration: BurnedRegister, RegisterLimit, RootRegister,
//     RegisterNetwork (the lock cost, its rate limit, pruning at
//     SubnetLimit), StartCall, DissolveNetwork with its refunds;
//   - weights: SetWeights, CommitWeights, RevealWeights,
//     BatchRevealWeights; SetWeightsBatch, several set_weights calls under
//     one lock (exactly the calls one at a time, in order);
//   - delegation: SetChildren (applied at an epoch after its cooldown),
//     IncreaseTake, DecreaseTake, SetChildkeyTake;
//   - root dividends: ClaimRoot, SetRootClaimType, SetRootClaimThreshold;
//   - administration: SetHyperparameter (owner or root, with the freeze
//     window and the rate limits of admin-utils), SetTempo, TriggerEpoch,
//     SetSubnetEmissionEnabled, SetParams.
//
// # Step
//
// Step runs one block and StepN many, with a context to stop between
// blocks: registration prices, the block emission, the coinbase
// (injections, chain buys, alpha out and its split into the pending
// buckets), the epochs due (Yuma consensus over the subnet's weights and
// the ledger's stake, then the owner cut, incentives, dividends through the
// nominators' share pools, root dividends into RootClaimable), the moving
// prices and the pending children. Each Step returns a BlockReport; OnEvent
// streams Events (emissions, epochs, stakes, registrations, claims).
//
// # Read
//
// Balance, Stake, TotalHotkeyAlpha, TotalIssuance, TotalStake, Pool,
// Subnet (the SubnetState), Metagraph and DynamicInfo (as the chain's
// runtime API reports them), Hyperparameters, SubnetStorage, Children,
// Parents, RootOwed and the other readers return copies: nothing a caller
// holds changes under it.
//
// # Trust
//
// CheckInvariants proves that every rao is accounted for: TotalIssuance
// is the sum of all balances, every account holds the existential
// deposit, and per subnet the share pools plus the alpha held outside them
// (pending buckets, protocol alpha, root claims, burned alpha) make
// SubnetAlphaOut. Genesis exports the whole state as a GenesisConfig, and
// NewLedger(l.Genesis()) is the same ledger. StateHash is the SHA-256 of
// that state's canonical encoding: the same genesis and calls give the
// same hash on every run and machine. WriteSnapshot and SaveSnapshot
// write it (SaveSnapshot atomically: a temporary file, fsync, rename);
// ReadSnapshot and LoadSnapshot refuse a foreign, truncated or corrupt
// file with a clear error and never half-load. A restored ledger continues
// exactly as if it had never stopped.
//
// A Ledger is safe for concurrent use: every method takes its lock, so
// readers never see a half-applied call or block. Nothing that reaches a
// result depends on the order of a map.
//
// # Not modelled
//
// Timelocked weight reveals (they need the drand beacon), the automatic
// root claims (drawn from the parent block hash: claim with ClaimRoot),
// conviction locks, subnet leases, identities, and the EVM.
package dtao
