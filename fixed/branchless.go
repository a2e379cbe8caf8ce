package fixed

// b2i is 1 for true and 0 for false. The compiler turns it into a SETcc
// rather than a branch, which is what the data-dependent corrections that
// use it want: the branch they replace goes either way from one call to the
// next (a share pool's amounts, a subnet's reserves), so it mispredicts
// often, where the flag costs two instructions.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
