// Package layout holds no code: its tests enforce the architecture that
// DESIGN.md draws, so that a change that breaks it fails CI instead of a
// review.
//
//   - Import edges point one way: each package may import only the
//     standard library and the packages its row of the layout allows (for
//     example amm and consensus never import wallet; nothing in the core
//     imports network code).
//   - The pure packages (amm, consensus, emission) do no I/O, start no
//     goroutines and hold no float in code that reaches a chain number.
package layout
