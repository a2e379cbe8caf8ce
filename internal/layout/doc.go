// Package layout holds no code: its tests enforce the module's
// architecture, so that a change that breaks it fails CI instead of a
// review.
//
//   - The packages stand on floors, and imports point down. The ground
//     (floor 0) is units and fixed, on the standard library and
//     third-party modules only; the chain's packages stand on them; the
//     conformance runner (cmd/dtao/internal/vector) and the examples on
//     the packages they use; the command cmd/dtao on top. The table in
//     layout_test.go lists every package of the module with its floor and
//     exactly the non-standard imports of its non-test files: a package
//     without a row, an import the table does not list, and a listed
//     import that no file uses all fail the test, as does a floor that is
//     not one above the highest floor the package imports.
//   - The pure packages (amm, consensus, emission) do no I/O, read no
//     clock, draw no randomness, take no lock, start no goroutine and
//     hold no float: chain numbers are fixed-point. The one exception is
//     a display accessor the test names (amm's Price.Float64), whose
//     float no computation reads.
package layout
