// Package vector is dtao's conformance runner: it reads cases in the JSON
// Lines format of shared/vectors/README.md, answers each with the SDK, and
// optionally checks the answers against the cases' expectations.
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
// Integers are decoded straight from their JSON literal into uint64 (and
// narrower) fields, never through float64. Wide integers travel as decimal
// strings.
//
// Errors the chain would raise are printed by their chain names
// (ReservesTooLow, PowUndefined, ...): every SDK sentinel that mirrors a
// chain error implements ChainName() string.
//
// The runner holds no state between cases and is safe to call from several
// goroutines with distinct readers and writers.
package vector
