// Package bigpow computes safe-bigmath's SafeInt::pow_ratio_scaled, the
// rational power behind the weighted (balancer) AMM, bit-exactly
// (crate sam0x17/safe-bigmath, src/integer.rs, SafeInt::pow_ratio_scaled,
// at git rev 013c499, the revision subtensor's Cargo.lock pins at commit
// 14bc6f9f):
//
//	pow_ratio_scaled(bn, bd, en, ed, precision, scale) ≈ floor((bn/bd)^(en/ed) · scale)
//
// # Paths
//
// After reducing en/ed by their gcd, the crate takes one of two paths, and
// so does this package:
//
//   - exact, when both reduced terms are at most 1024: the largest r with
//     r^ed · bd^en <= bn^en · scale^ed, the exact floor of the real value;
//   - fallback, otherwise: a fixed-point ln/exp series with P =
//     max(precision, 32, bitlen(scale)+8) fractional bits plus 24 guard bits,
//     whose every floor, truncation and stopping rule is reproduced. Its
//     result is what the chain computes, not the real value.
//
// [PowBig] is the plain math/big transcription of the crate and the
// reference; its exact path is the crate's bisection on powers of up to
// hundreds of thousands of bits, milliseconds to minutes per call. [Pow] is
// the fast entry for the AMM's arguments (bases as uint256, exponent terms
// and scale as uint64): reduced exponents 1/1 and 1/2 (equal weights) in
// uint256; other exact exponents by bracketing both sides of the crate's
// inequality r^ed·bd^en <= bn^en·scale^ed between rounded-down and
// rounded-up 256-bit floating values, which settles r in microseconds unless
// the real root lies within a relative 2^-230 or so of an integer (perfect
// powers), where an exact math/big root takes over; on the fallback path
// first a 128-bit fixed-point evaluation of the real power with a proven
// error bound (approx.go), whose floor is the result when the bound keeps
// it clear of every rounding boundary and the proven distance between the
// crate's value and the real one (a fraction of a microsecond; on
// realistic pool arguments it settles about all but one call in 2^40),
// then the series on fixed-width limbs up to an internal precision of
// 1080 bits (the AMM uses 280 and 1048), and math/big for everything else. [PowLimited] is the
// same for unbounded arguments, with a bound on the exact path
// ([MaxExactBits], [ErrExactTooLarge]). Pow and PowLimited return what
// PowBig returns for every input they answer; the tests check it on random
// and constructed inputs and fuzz targets.
//
// # Conventions
//
// Units: plain integers; scale fixes the unit of the result (the AMM uses
// 1e18, so results are parts of 1e18).
//
// Rounding: exactly the crate's. The exact path floors. The fallback floors
// toward -inf on every product and division (div_floor), rounds half away
// from zero at the guard bits, and floors the final scaling.
//
// Undefined results: where the crate returns None (bd == 0 or ed == 0, and
// for PowBig negative arguments once bn != 0), ok is false; [ErrPowUndefined]
// (chain name "PowUndefined") is the sentinel for callers that report an
// error. bn == 0 gives 0 and en == 0 gives scale, before any other check
// but the zero denominators. Results above math.MaxUint64 are reported by
// Pow as overflow; a negative result (only from the crate's series diverging
// at huge negative exponents) as 0, as subtensor treats it.
//
// Zero values and aliasing: the functions take their arguments by pointer
// and never modify them; PowBig returns a new big.Int.
//
// Concurrency: all functions are safe for concurrent use. The only shared
// state is a cache of ln 2 per internal precision, filled on first use under
// a lock; Pow allocates nothing on its fast paths (all exact-path inputs but
// the near-integer roots, and the fixed-width fallback) once ln 2 is cached.
//
// Errors: no function panics on any input. PowLimited refuses exact-path
// inputs beyond MaxExactBits with ErrExactTooLarge; Pow's argument range is
// inside that bound. Inputs that make the crate run out of memory on the
// fallback path (precisions of billions of bits) do the same here; callers
// bound them.
package bigpow
