package fixed

// SafeDivUint64 is subtensor's safe_div on u64: a / b truncated, or 0 when
// b == 0.
func SafeDivUint64(a, b uint64) uint64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// SafeDivOrUint64 is subtensor's safe_div_or on u64: a / b truncated, or d
// when b == 0.
func SafeDivOrUint64(a, b, d uint64) uint64 {
	if b == 0 {
		return d
	}
	return a / b
}
