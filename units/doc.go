// Package units holds the SDK's amounts and identifiers: TAO and Alpha
// amounts in rao, NetUID, UID and AccountID.
//
// # Units
//
// TAO and Alpha are uint64 counts of rao, the chain's u64 balances:
// 1 TAO = 1 alpha = RaoPerTAO = 10^9 rao. They are distinct types, so the
// compiler refuses to add TAO to alpha; an Alpha value does not record its
// subnet. Convert to and from rao with plain Go conversions (TAO(r),
// uint64(x)) or TAOFromRao and Rao.
//
// # Text
//
// ParseTAO, ParseAlpha and ParseAlphaFor read decimal amounts exactly,
// through apd and never float64: digits, optionally grouped in threes by
// commas, and at most 9 decimals, with the currency symbol optionally
// before or after ("1.5", "τ1.5", "1.5τ", "τ1,234.567890123",
// "0.000000001", "21000000"). No whitespace is allowed (some subnet
// symbols are Unicode spaces). More than 9 decimals, a minus sign, a value
// above 2^64-1 rao and anything else are errors.
//
// String prints as bittensor's Python SDK prints a Balance: "τ1,234.567890123"
// for TAO, "\u200e1,234.567890123α\u200e" for alpha, and Alpha.StringFor
// uses a subnet's own symbol from the SDK's display table (NetUID.Symbol).
// Unlike the SDK, which formats through float64, it is exact for every
// value. Decimal prints the plain form ("1234.567890123", "1.5", "0").
// Both read back to the same value.
//
// The text encoding (MarshalText, UnmarshalText) is the human form: Decimal
// out, anything the parser accepts in. The JSON encoding is the machine
// form used by chain tooling and the project's vectors: a JSON integer of
// rao (1.5 TAO is 1500000000), decoded digit by digit, never through
// float64; JSON strings are refused rather than guessed to be rao or TAO,
// so maps keyed by an amount encode but do not decode with encoding/json.
// fmt's %d prints the rao count; %v and %s print String.
//
// # Rounding
//
// There is none. Parsing refuses what is not a whole number of rao, and
// formatting prints every rao. Add and Sub report overflow and underflow
// as a flag (the chain's checked_add and checked_sub failing);
// SaturatingAdd and SaturatingSub clamp to [0, 2^64-1] rao as the chain's
// saturating_* do. Float64 is for display only.
//
// # Zero value, aliasing, concurrency
//
// The zero value of every type is 0 (or the all-zero account). All types
// are plain values: methods take and return copies, nothing aliases, and
// everything is safe for concurrent use. Arithmetic does not allocate.
//
// # Errors
//
// Parsers return errors wrapping one of ErrSyntax, ErrNegative,
// ErrTooManyDecimals and ErrOverflow with the offending input; test with
// errors.Is. They never panic. A failed UnmarshalText or UnmarshalJSON
// leaves its receiver unchanged. None of these errors is a chain error.
//
// # Chain errors
//
// ChainError is the module's one type for errors the chain has a name for.
// Every package declares its chain errors as *ChainError sentinels, so one
// errors.As (or ChainName, which does not allocate) reads the chain's name
// of any error the SDK returns, however it was wrapped.
package units
