// Package subnet holds the rules of one Bittensor subnet as subtensor runs
// them at commit 14bc6f9f964b9cc362e9635dd110a487fa5d15a0: its
// hyperparameters (the values a new subnet starts with, their valid ranges
// and who may set each), the neuron registration price (burn) and the
// choice of the neuron a registration on a full subnet replaces.
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
// # Subnet and registration
//
// Subnet is one subnet's state: netuid, owner coldkey and hotkey,
// Hyperparameters, its amm.Pool, the burn, and its neurons at dense uids
// 0..N-1 — hotkeys (Keys, and Uids through UID), their coldkeys,
// BlockAtRegistration and the per-uid vectors the epoch writes (Active,
// Emission, Consensus, Incentive and LastUpdate per mechanism, Dividends,
// ValidatorTrust, ValidatorPermit, StakeWeight). New creates it as
// register_network does (subnets/subnet.rs), with the owner hotkey at uid 0.
// Register is do_register (subnets/registration.rs), the rule of
// burned_register: the chain's checks in its order and with its error
// names, the payment swapped for alpha on the pool and that alpha
// destroyed, the neuron appended or, on a full subnet, put in place of
// NeuronToPrune's choice with replace_neuron's clearing (subnets/uids.rs),
// then the price bump. Balances and hotkey ownership are the caller's: a
// RegisterRequest carries them in and the Registration result says what
// to debit and record. Step is the per-block part (the burn's decay and
// the reset of RegistrationsThisBlock). A call that fails changes nothing.
// Subnet holds no map: Clone copies it deeply, reflect.DeepEqual compares
// two, and hashing or snapshotting walks its slices in uid order.
//
// # Conventions
//
// Amounts are units.TAO (rao) and units.Alpha; BurnIncreaseMult is a
// fixed.U64F64. The zero Hyperparameters is not a valid subnet (Validate
// fails on it); start from DefaultHyperparameters. Errors are exported
// sentinels, testable with errors.Is; chain errors are *units.ChainError
// and carry the chain's name (units.ChainName). Nothing here panics on bad
// input, and nothing allocates on the burn and pruning paths when the
// caller provides the buffer a function fills. Values and functions hold
// no shared state: concurrent use of distinct values is safe, and a
// Hyperparameters may be read concurrently but not read and set at once.
package subnet
