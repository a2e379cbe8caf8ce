// Package vector is dtao's conformance runner: it reads cases in the
// project's JSON Lines vector format (docs/conformance.md in the module
// documents every kind, its fields, errors and limits; testdata/*.jsonl
// are examples), answers each with the SDK, and optionally checks the
// answers against the cases' expectations.
//
// The command `dtao vector` and the project's own tests run through the same
// entry point, [Run], so a vector that passes in CI passes for anyone who
// feeds the same line to the command.
//
// # Conventions
//
// Input is strict: an unknown field, a missing required field, a value of
// the wrong JSON type or out of its Go type's range, or an unknown kind is
// answered with "BadVector: ..." and the runner goes on with the next line.
// Field names match exactly, case included; a key repeated in any object
// (at the top level or at any depth of input and expect), and anything after
// the object on its line, are BadVector too. Integers are decoded straight
// from their JSON literal into uint64 (and narrower) fields, never through
// float64. Wide integers travel as decimal strings.
//
// Errors the chain would raise are printed by their chain names
// (ReservesTooLow, PowUndefined, ...): the SDK's errors are
// *units.ChainError sentinels, and any error whose tree holds a
// units.ChainNamer, however it is wrapped, prints as the name
// units.ChainName finds. That includes outcomes the chain has no dispatch
// error for, such as the runtime panic of
// consensus.ErrBondsMovingAverageOverflow. "Internal: ..." is kept for
// errors without a chain name, which are bugs in dtao.
//
// # Check mode
//
// With Options.Check, Run prints a line per mismatch between an answer and
// its case's "expect" and a closing "N passed, M failed" line. A line that
// cannot be read as a case (longer than MaxLineBytes, not a JSON object, or
// with a malformed top level: an id or kind that is missing or not a
// string, no input, an unknown or repeated top-level field) counts as
// failed, whatever it holds, so a check never passes over garbage. A
// readable case without an "expect" is counted as skipped.
//
// # Limits
//
// No case can hold the runner for long or make it use much more memory
// than its line:
//
//   - A line is at most [MaxLineBytes] (16 MiB, not counting its '\n'). A
//     longer one is answered with BadVector without being held in memory:
//     the runner keeps its first 4096 bytes, answers with the id if a
//     string id ends within them (else null), and streams past the rest.
//   - An error message quotes at most the first 64 bytes of a bad value
//     (a kind, a field name or value, an id, an expectation), and is cut at
//     256 bytes whatever its source; check mode prints at most 20
//     mismatches per case.
//   - In check mode numbers are compared in canonical decimal form, never
//     expanded: 1e999999 costs what its text costs. A number whose exponent
//     has more than 15 significant digits equals nothing.
//   - Kinds whose work grows faster than their input answer BadVector
//     beyond a bound: epoch, n ≤ 4096 and n·s ≤ 2^22, where s is the number
//     of uids below n with a non-zero alpha or TAO stake (the stake-weighted
//     median reads an n × s table); coinbase, at most 4096 subnets (the
//     netuids are checked pairwise); keypair, at most 1024 junctions in the
//     derivation path (each is a key derivation); ss58, an address to decode
//     of at most 4096 bytes (base58 decoding is superlinear);
//     pow_ratio_scaled, the fallback precision bound documented with its
//     kind. The other kinds do work linear in their input.
//
// Within these limits a 16 MiB epoch line of weight cells costs a few
// hundred megabytes at most: rows are read straight into 4-byte cells, and
// the line is parsed in place rather than copied per level. Check mode
// walks an expectation as text; only the answer is decoded.
//
// The runner holds no state between cases and is safe to call from several
// goroutines with distinct readers and writers.
package vector
