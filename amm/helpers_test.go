package amm

// paidIn, paidOut and feePaid read a live pool's Result as the chain's
// SwapResult spells it, in rao: the net input and the fee in the input
// token, the output in the other.
func (r Result) paidIn() uint64 {
	if r.Direction == Sell {
		return uint64(r.Alpha)
	}
	return uint64(r.TAO)
}

func (r Result) paidOut() uint64 {
	if r.Direction == Sell {
		return uint64(r.TAO)
	}
	return uint64(r.Alpha)
}

func (r Result) feePaid() uint64 {
	if r.Direction == Sell {
		return uint64(r.AlphaFee)
	}
	return uint64(r.TAOFee)
}
