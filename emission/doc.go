// Package emission holds the chain's emission arithmetic as pure functions:
// the TAO minted per block and its halvings on issuance ([BlockEmission]),
// when a subnet's epoch is due under dynamic tempo and under the legacy
// rule ([Schedule], [AdvanceSchedules], [LegacyEpochDue]), and (as the
// package grows) the per-subnet shares, the dTAO coinbase and the payouts at
// an epoch.
//
// Every function reproduces subtensor's runtime at commit 14bc6f9f
// (spec_version 425) bit for bit; the doc of each names the chain function
// and storage it mirrors.
//
// # Conventions
//
// Units: amounts are u64 rao (1 TAO = 1e9 rao); an alpha issuance is in
// alpha rao. Rounding: as the chain, every fixed-point step floors (the
// chain's I96F32/U96F32 arithmetic), and conversions to integers floor.
// Zero values: an issuance of 0 is the genesis state. The functions are
// pure: no globals, no I/O, no goroutines, nothing that allocates on the
// hot paths, so they are safe for concurrent use.
//
// Errors: a function that the chain cannot fail returns no error; inputs
// outside the chain's domain saturate as the chain does.
package emission
