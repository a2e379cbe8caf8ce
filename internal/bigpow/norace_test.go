//go:build !race

package bigpow

const raceEnabled = false
