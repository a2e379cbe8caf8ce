// Package subnet holds one Bittensor subnet's state and its rules as
// subtensor runs them at commit 14bc6f9f964b9cc362e9635dd110a487fa5d15a0:
// its hyperparameters (the values a new subnet starts with, their valid
// ranges and who may set each), neuron registration with its price (burn)
// and the choice of the neuron a registration on a full subnet replaces,
// the weight rules (set_weights, commit-reveal), the epoch run from the
// subnet's state, and the metagraph and pool views bittensor's users know.
//
// # Hyperparameters
//
// Hyperparameters is a plain comparable value: copy it, compare it with ==,
// store it by value. DefaultHyperparameters returns a new subnet's values
// (subtensor's storage defaults with the runtime's constants, overridden by
// init_new_network in pallets/subtensor/src/subnets/subnet.rs). Each
// setter (SetTempo, SetKappa, ...) reproduces one extrinsic of
// pallets/admin-utils/src/lib.rs or pallets/subtensor: it checks the origin
// first (an Origin: root, the subnet owner, another signed account or none)
// and then the value, and on failure returns the chain's error by name
// (ErrBadOrigin, ErrInvalidValue, ErrTempoOutOfBounds, ...) and leaves the
// value unchanged. The checks that need chain state this value does not
// hold — the owner's rate limits, the admin freeze window at the end of a
// tempo, whether the subnet exists or is the root subnet — belong to the
// caller that owns that state; a setter's documentation names them.
//
// Registration no longer reads TargetRegistrationsPerInterval,
// MaxRegistrationsPerBlock, AdjustmentInterval, AdjustmentAlpha or the
// proof-of-work difficulty on a non-root subnet (subnets/registration.rs,
// do_register), and the epoch does not read Rho or the legacy
// ActivityCutoff, so Hyperparameters leaves them out. MaxWeightLimit is a
// constant on the chain (utils/misc.rs, get_max_weight_limit).
//
// # Burn
//
// BurnRule prices neuron registration (update_registration_prices_for_networks
// and bump_registration_price_after_registration in subnets/registration.rs,
// decay_factor_q32, pow_q32 and mul_by_q32 in utils/misc.rs): every block
// the price is multiplied by the Q32 factor f, the largest with
// f^BurnHalfLife ≤ 1/2, and floored; each registration multiplies it by
// BurnIncreaseMult (a U64F64, at least 1) and floors; after either step the
// price is clamped to [MinBurn, MaxBurn] (raised to MinBurn first, then
// lowered to MaxBurn, so MaxBurn wins when MinBurn > MaxBurn). All of it is
// integer and fixed-point arithmetic, saturating where the chain saturates.
//
// # Pruning
//
// NeuronToPrune, ImmuneOwnerUIDs and NeuronIsImmune reproduce
// get_neuron_to_prune and get_immune_owner_uids (subnets/registration.rs)
// and get_neuron_is_immune (utils/misc.rs) over a slice of Neuron
// summaries, listed in any order: the answer depends only on the set. A
// subnet with no prunable neuron is ErrNoNeuronIdAvailable; neurons whose
// uids are not exactly 0..n-1, or with more than one owner hotkey, are
// ErrInvalidNeurons (not a chain error: the chain's storage cannot hold
// them).
//
// # State
//
// Subnet is one subnet's state: netuid, owner coldkey and hotkey,
// Hyperparameters, its amm.Pool and moving price, the burn, the
// chain-wide Globals its rules read (stake threshold, TAO weight,
// commit-reveal version), its neurons at dense uids 0..N-1 — hotkeys (Keys,
// and Uids through UID), their coldkeys, BlockAtRegistration and the
// per-uid vectors the epoch writes (Active, Emission, Consensus,
// Dividends, ValidatorTrust, ValidatorPermit, StakeWeight, and per
// mechanism Incentive and Bonds) — its weights storage (WeightState:
// Weights, LastUpdate and the commits, per mechanism) and the block of
// its last epoch. New creates it as register_network does
// (subnets/subnet.rs), with the owner hotkey at uid 0. Subnet holds no map
// and no pointer besides its slices: Clone copies it deeply, Equal
// compares two, and hashing or snapshotting walks its slices in uid order.
//
// # Storage
//
// Storage is a subnet's whole storage as plain values, named (and
// JSON-keyed) after the chain's storage items: the owner, the pool and
// moving price, the burn and registration counters, Keys and the coldkeys
// by uid, the per-uid and per-mechanism vectors, the bond and weight rows,
// the commit queues, the Hyperparameters and the Globals. It is how a
// genesis or a snapshot carries a subnet: Subnet.Storage writes it (a
// deep copy) and FromStorage builds the subnet back, so that
// FromStorage(s.Storage()) is Equal to s, through encoding/json too
// (integers as JSON integers, fixed-point values as their raw bits).
// FromStorage validates the whole first and refuses what no subnet holds
// (vectors of the wrong length, a hotkey twice, cells naming a uid not
// below N, mechanisms beyond the count, invalid hyperparameters or pool,
// ...) with an error wrapping ErrInvalidStorage that names the field.
//
// # Registration
//
// Register is do_register (subnets/registration.rs), the rule of
// burned_register: the chain's checks in its order and with its error
// names, the payment swapped for alpha on the pool and that alpha
// destroyed, the neuron appended or, on a full subnet, put in place of
// NeuronToPrune's choice with replace_neuron's clearing (subnets/uids.rs:
// the uid's per-uid values, its weights and bonds rows on every mechanism,
// the weights others set on it zeroed; the bonds others hold on it stay),
// then the price bump. Balances and hotkey ownership are the caller's: a
// RegisterRequest carries them in and the Registration result says what
// to debit and record. Step is the per-block part (the burn's decay and
// the reset of RegistrationsThisBlock).
//
// # Weights
//
// Subnet.SetWeights, CommitWeights, RevealWeights, BatchRevealWeights,
// CommitTimelockedWeights and RevealTimelockedCommits are the weight
// extrinsics of subnets/weights.rs and the block-step reveal of
// coinbase/reveal_commits.rs. The caller passes the signing hotkey with
// its stake weight (Signer; TotalStake computes it from the ledger's
// inherited alpha and root TAO), the weights and the moment (Now: the
// block and, for commit-reveal, the epoch index with look-ahead, which
// emission.Schedule holds); the neuron count, permits, owner, stake
// threshold and hyperparameters come from the subnet. The rules
// themselves are WeightState's, which documents each check in the chain's
// order. Timelocked (commit-reveal v3) commits are held as their
// plaintext and the drand round that reveals them: the drand decryption
// is out of scope, and a caller says which rounds are published.
// SetWeightsBatch makes many SetWeights calls, on any subnets, in order,
// each exactly as alone, reading the state of up to 16 at once ahead so
// that their cache misses overlap.
//
// # Epoch
//
// RunEpoch runs the subnet's epoch as the coinbase's distribute_emission
// does (subnets/mechanism.rs epoch_with_mechanisms, epoch/run_epoch.rs
// epoch_mechanism): it assembles package consensus's Input from the
// subnet's state — hyperparameters, registration blocks, stored permits,
// the owner's uid, each mechanism's LastUpdate, weights and bonds, the
// commit-reveal mask — and the stake the caller supplies (StakeView: the
// ledger owns stake), runs it (with the emission split over mechanisms
// when there are several), stores the outputs back as the chain persists
// them and returns each hotkey's incentive and dividend in the form
// emission.Distribute takes. When an epoch runs is emission.Schedule's
// decision; RunEpoch runs when called. With a reused Workspace an epoch of
// a one-mechanism subnet allocates nothing.
//
// # Metagraph
//
// Metagraph is a read-only snapshot of one mechanism in the shape of
// bittensor's Python Metagraph (n, block, uids, hotkeys, S, W, B, I, D,
// C, Tv, E, last_update, validator_permit, active, ...), typed with the
// chain's integers, JSON-encoded under the Python names, with float
// accessors for display only. DynamicInfo is the pool view of the runtime
// API's get_dynamic_info (price, moving price, reserves, alpha out, tempo,
// blocks since the last step, symbol), whose TaoToAlpha and AlphaToTao
// are the runtime API's sim_swap with fee and slippage.
//
// # Errors
//
// Errors are exported sentinels, testable with errors.Is; chain errors
// are *units.ChainError and carry the chain's name (units.ChainName):
// ErrHotKeyAlreadyRegisteredInSubNet, ErrNoNeuronIdAvailable,
// ErrSettingWeightsTooFast, ErrRevealTooEarly, ErrTempoOutOfBounds, ....
// ErrInvalidNeurons, ErrInvalidStakeView and ErrInvalidStorage are this
// package's own, for input the chain's storage cannot hold; an epoch input consensus refuses
// is consensus's error, wrapped. Every call validates first and fails
// whole: a call that returns an error changes nothing. Nothing here
// panics on bad input; a nil Workspace is a programming error.
//
// # Concurrency
//
// Values and functions hold no shared state: concurrent use of distinct
// values is safe. A Subnet, a WeightState or a Hyperparameters may be read
// by many goroutines at once, but not read and changed at once; a
// Workspace belongs to one goroutine at a time. A Metagraph and a
// DynamicInfo are snapshots, independent of the subnet.
//
// # Zero value
//
// The zero Subnet is not a subnet the chain holds (its Hyperparameters
// fail Validate and its pool is invalid): create one with New. The zero
// Hyperparameters is not valid either; start from DefaultHyperparameters.
// The zero WeightState is a subnet with no weights, and the zero
// Workspace is ready to use.
//
// # Conventions
//
// Amounts are units.TAO (rao) and units.Alpha; BurnIncreaseMult is a
// fixed.U64F64; weights, bonds and the epoch's u16 outputs are the
// chain's proportions x/65535; stake weights (TotalStake, StakeThreshold,
// Metagraph.S) are plain u64, of no one currency. Nothing allocates on the
// burn and pruning paths when the caller provides the buffer a function
// fills. On amd64 processors with AVX-512 a validator re-setting its
// weights on its stored uids has them compared and its values upscaled
// sixteen and eight at a time (sameuids_amd64.s), as the loops do (the
// build tag purego keeps the loops).
package subnet
