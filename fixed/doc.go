// Package fixed implements the fixed-point numbers Bittensor's chain
// (subtensor) computes with, bit for bit: the substrate-fixed v0.6.0 types
// I32F32, I64F64, U64F64, I96F32 and U96F32, subtensor's safe-math helpers
// (safe_div, exp_safe, checked_sqrt), substrate-fixed's exp, log2 and ln,
// sp-arithmetic's Perquintill, and the chain's integer helpers (u64
// saturating arithmetic, ratio constructors, 128-bit multiply-divide).
//
// SafeFloat is the share pools' float of subtensor's share-pool crate
// (primitives/share-pool/src/lib.rs): a u128 mantissa, normalised to
// (10^20, 10^21], and a base-10 i64 exponent, with the crate's truncating
// Add, Sub, MulDiv, Div and ToUint64, the reading of legacy U64F64 shares
// (SafeFloatFromU64F64), and ok == false where the crate returns None.
//
// U128 is Rust's u128 as the chain stores RootClaimed: decimal text,
// saturating arithmetic, and the conversions to and from I96F32 that
// claim_root.rs makes (I96F32FromU128, I96F32.SaturatingToU128).
//
// Pool prices, weights, moving prices and consensus intermediates in the
// rest of dtao are values of these types, and the chain's storage decodes
// into them through the raw-bits constructors.
//
// # Conventions
//
// Units. A value of type IxFy or UxFy is its raw two's-complement (I) or
// unsigned (U) x+y-bit integer divided by 2^y: I32F32 is an int64 over
// 2^32; the 128-bit types hold two uint64 words, hi and lo, with hi carrying
// the sign for the signed ones. FromBits/Bits, ParseXxxBits/BitsString and
// the JSON text form use the raw bits, exactly as the chain stores them.
// Perquintill is parts of 10^18 (PerquintillAccuracy).
//
// Rounding. Exactly the chain's:
//   - Mul: the full-width product shifted right by the fractional bits, an
//     arithmetic shift, so the result is floored toward -inf (-1.5 deltas
//     becomes -2 deltas).
//   - Div: (x << frac) / y in double width, truncated toward zero.
//   - Conversion between fixed types: extra fractional bits are dropped
//     (floor); more fractional bits shift exactly.
//   - Conversion to an integer (SaturatingToUint64 and friends): floor, then
//     clamp.
//   - FromFloat64: nearest, ties to even (from_num(f64)); for constants and
//     tests only, nothing on a chain path goes through a float.
//   - Round: nearest, ties away from zero. Floor and Frac are exact.
//   - Exp: substrate-fixed's 30-term truncated series; ExpSafe clamps its
//     input to [-20, 20] first (exp(20) evaluates to 481 239 357.67, not
//     e^20).
//   - Log2 and Ln: substrate-fixed's log2 (whose integer part counts
//     halvings rounded half up, so Log2(4 - 2^-32) is 2) and log2/LOG2_E
//     with LOG2_E truncated to 23 fractional bits and a truncating division.
//   - Perquintill: FromRational and MulFloorUint64 are floor(p*10^18/q) and
//     floor(parts*v/10^18), computed exactly.
//   - Ratio constructors: U64F64FromRatio(a, b) and U96F32FromRatio(a, b)
//     are floor(a*2^f/b), exactly the fixed-point Xxx(a).SafeDiv(Xxx(b));
//     U96F32FromU64Proportion(v) is v/(2^64-1) and U96F32FromU16Proportion
//     and I32F32FromU16Proportion are v/65535, floored the same way. The
//     way back, I32F32.U16Proportion, is floor(x*65535) clamped to
//     [0, 65535].
//   - Integer products and quotients: U64F64.SaturatingMulToUint64(n) is
//     floor(n*x) clamped to u64::MAX; MulDivUint64(a, b, c) is
//     floor(a*b/c) with a 128-bit product; Uint64Divisor.Div is floor(x/d)
//     (DivShl32 floor(b*2^32/d) for b ≤ d, b < 2^32, on 64-bit products);
//     U16Divisor.Quo is floor(u*2^32/d) for a u16 u by one multiplication.
//   - Wide integer division: U128.QuoShl(y, s) is floor(x*2^s/y) on 64-bit
//     hardware divisions (Knuth's algorithm D, the kernel of every
//     CheckedDiv); QuoSmall divides by n < 128 through a reciprocal table;
//     MulAddQuoUint64 is floor((x*m+a)/d); MulAddQuoPerquintill,
//     U64F64FromPerquintillParts, U64F64OneMinusPerquintillParts and
//     PerquintillFromRationalU128 divide by 10^18; U64F64Divisor divides many values by one U64F64, each
//     quotient CheckedDiv's (Möller and Granlund's division by a
//     precomputed reciprocal; a divisor just below one by its
//     complement; DivideEach a whole slice), U96F32Divisor likewise for parts of a U96F32 total;
//     U96F32.QuoAbove compares a quotient with a bound by
//     multiplications; U64F64.SaturatingMulUint64 is SaturatingMul by an
//     integer, one word product for a factor below one.
//
// Overflow. The plain Add, Sub, Mul, Div and Neg wrap, as Rust's operators
// do in the chain's release build. SaturatingXxx clamps to [Min, Max];
// CheckedXxx returns (0, false) on overflow; SafeDiv returns 0 on a zero
// divisor or an overflowing quotient (subtensor's safe_div, which is not
// saturation) and SafeDivOr returns its fallback.
//
// The integer helpers follow the same rules: SaturatingAddUint64,
// SaturatingSubUint64 and SaturatingMulUint64 clamp to [0, 2^64-1] as Rust's
// u64 saturating_* do; SafeDivUint64, the ratio constructors and
// Uint64Divisor (built from d == 0) return 0 for a zero divisor, as
// safe_div does; MulDivUint64 reports a zero divisor or a quotient above
// u64::MAX with ok == false. A ratio of two u64 integers always fits
// U64F64 and U96F32, so the constructors never overflow.
//
// Zero value. The zero value of every type is 0 (and 0% for Perquintill),
// ready to use.
//
// Aliasing. Values are small structs with value receivers: every operation
// returns a new value and never modifies its operands. The only pointer
// arguments, the *uint256.Int of PerquintillFromRational256, are read and
// never modified, and may alias. UnmarshalText writes its receiver only on
// success.
//
// Allocation. No arithmetic, comparison or conversion between numeric types
// allocates (tested with testing.AllocsPerRun and reported by the
// benchmarks). String, BitsString, MarshalText and the parsers allocate
// their results.
//
// Concurrency. Values are immutable, so they are safe for concurrent use;
// the package has no mutable global state.
//
// Errors. Arithmetic never fails with an error: overflow is reported by
// the bool of the Checked, Exp, Log2, Ln and MulDivUint64 functions, as
// Rust reports it with Option and Result. The raw-bits parsers return errors wrapping ErrSyntax
// or ErrRange (input-format errors, not chain errors). Nothing panics on
// any input.
//
// # Divergences from Rust
//
// Where Rust panics or the result is not a number, this package returns a
// documented value instead, so that chain input can never crash a program:
//   - Div by zero returns 0 (Rust panics); SaturatingDiv by zero returns Max
//     for x > 0, Min for x < 0 and 0 for x == 0 (Rust panics).
//   - Log2 and Ln of x in (0, 2^-32], where 1/x overflows I32F32, report
//     ok == false (Rust's log2 unwraps the checked division and panics).
//   - Ceil and Round saturate at Max where Rust's release build wraps.
//   - FromFloat64 saturates out-of-range values and maps NaN to 0 (Rust
//     panics on non-finite input and wraps out-of-range values in release).
//   - String prints the exact decimal expansion, where Rust's Display prints
//     the shortest decimal that reads back to the same bits.
//
// None of these cases arises on a chain path: the chain would have halted.
package fixed

//go:generate go run gen_types.go
