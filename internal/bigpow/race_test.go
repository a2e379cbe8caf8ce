//go:build race

package bigpow

// raceEnabled shrinks the random differential loops under the race
// detector, which slows the math/big reference about fourfold.
const raceEnabled = true
