// Package sim is dtao's default network and its seeded behaviour: a ready
// genesis of a few subnets with owners, validators, miners, nominators and
// stakers, and a Simulation that drives a dtao.Ledger block by block with
// agents acting before each block, so that examples, benchmarks and
// `dtao simulate` run a network that looks alive.
//
// # Genesis
//
// Genesis builds a dtao.GenesisConfig from a Config, deterministically from
// its Seed (math/rand/v2's PCG; every amount an integer of rao): a root
// subnet whose stake belongs to a few validators that validate on every
// subnet, and Config.Subnets dynamic subnets (netuids 1..Subnets), each
// with an owner coldkey and hotkey, Config.UIDs neurons — the owner's
// hotkey at uid 0, then the validators, then the miners — given whole as a
// subnet.Storage: registration blocks before the genesis block, validator
// permits on the validators (as the epoch gives them: the validators hold
// all the stake and number at most MaxAllowedValidators), and one weight
// row per validator over the same Config.WeightsPerValidator miners, each
// miner's seeded quality seen by each validator through ±20% of noise (so
// that consensus passes the incentive), max-upscaled to 65535 as
// set_weights stores it, with LastUpdate at the validator's slot of the
// tempo before the genesis block. Each
// validator's alpha is staked by its own coldkey and a few stakers. Pool
// prices spread between Config.MinPrice and Config.MaxPrice (rao per
// alpha) across the subnets, the moving prices a little below. The
// subnets run with commit-reveal off, so that validators may set weights
// directly.
//
// Accounts are derived from labels (SHA-256 of "dtao/sim/...") and do not
// depend on the seed: the same Config with another seed is the same
// network with other amounts.
//
// DefaultConfig is the network of `dtao simulate`, small enough to run a
// simulated day in seconds; BenchConfig is the network of the root
// package's BenchmarkStep/subnets=64: 64 subnets of 256 uids with 64
// validators each, prices from 0.003 to 0.1 TAO per alpha and a root stake
// large against the alpha issuance, so that the alpha injection cap binds
// and the chain buys alpha on most subnets.
//
// # Simulation
//
// A Simulation owns a ledger and its agents (Agents): before each block a
// few seeded stakers add stake to or remove stake from the validators
// (Config.ActionsPerBlock calls of AddStake and RemoveStake), and each
// validator re-sets its weights (SetWeights) once per tempo, at a block of
// the tempo drawn from its hotkey, with a small seeded perturbation (a
// block's re-sets in one SetWeightsBatch). A call the chain refuses
// (AmountTooLow, NotEnoughBalanceToStake, a rate limit, ...) is part of
// the simulation: it is counted in Stats by its chain error name and
// changes nothing. The same Config, or the same genesis and seed, give the
// same ledger StateHash after the same number of blocks, on every run and
// machine: on amd64 processors with AVX-512 the perturbations draw eight
// values at once (perturb_amd64.s), each lane the draw and value the
// one-at-a-time loop gives, which the tests check (the build tag purego
// keeps the loop).
package sim
