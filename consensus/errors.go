package consensus

import "errors"

// ErrBondsMovingAverageOverflow is returned for a Yuma 3 epoch that takes
// the fixed bond rate (liquid alpha off, or no consensus) with a
// BondsMovingAverage of 2^31·1e6 or more: the chain converts
// BondsMovingAverage/1e6 with panicking from_num calls there, so the
// runtime would abort the block. The original path saturates instead and
// never fails. It mirrors no chain error name.
var ErrBondsMovingAverageOverflow = errors.New("consensus: bonds moving average too large for the Yuma 3 rate (the chain panics)")
