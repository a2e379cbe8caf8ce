package sim

import "slices"

// holdings says which Targets each staker holds a position on: a bit per
// (staker, target), words per staker in a row. A stake (doAct) opens a
// position only where the staker has none; the bit answers that with one
// word, where a scan of the staker's positions reads them all, and a
// staker's positions grow as a network runs: hundreds after a year of
// BenchConfig, the scan 2.7% of dtao simulate's year.
//
// The bits are kept only when the positions are distinct indexes into
// Targets, as AgentsOf's are: each bit is then exactly whether the scan
// would find the target, and setting it on an opening, clearing it when
// a removal drops the position, keeps it so. Positions given to
// FromLedger with a repeat, or an index out of Targets, or a network
// whose bits would take more than maxHoldingWords words, keep the scan
// (bits nil).
type holdings struct {
	bits  []uint64
	words int // per staker: ⌈targets/64⌉
}

// maxHoldingWords bounds the bits' memory: 2^22 words, 32 MiB, are
// 16,384 stakers of 16,384 targets (BenchConfig's 16,384 stakers of
// 4,096 targets take 8 MiB).
const maxHoldingWords = 1 << 22

// holdingsOf returns the holdings of stakers' positions over targets
// Targets, or none (bits nil) when the positions repeat or leave Targets,
// or the bits would take more than maxHoldingWords words.
func holdingsOf(stakers []staker, targets int) holdings {
	h := newHoldings(len(stakers), targets, maxHoldingWords)
	if h.bits == nil {
		return h
	}
	for i := range stakers {
		for _, ti := range stakers[i].positions {
			if int(ti) >= targets || !h.open(i, int(ti)) {
				return holdings{}
			}
		}
	}
	return h
}

// newHoldings returns the holdings of stakers holding nothing of targets
// Targets, or none (bits nil) when they would take more than limit
// words.
func newHoldings(stakers, targets, limit int) holdings {
	words := (targets + 63) / 64
	if words == 0 || stakers > limit/words {
		return holdings{}
	}
	return holdings{bits: make([]uint64, stakers*words), words: words}
}

// word returns the word holding staker i's bit of target ti.
func (h *holdings) word(i, ti int) *uint64 { return &h.bits[i*h.words+ti>>6] }

// open sets staker i's bit of target ti, reporting whether it was clear:
// whether a stake on ti opens a position.
func (h *holdings) open(i, ti int) bool {
	w, b := h.word(i, ti), uint64(1)<<(ti&63)
	was := *w&b == 0
	*w |= b
	return was
}

// opens reports whether a stake of staker i, holding pos, on target ti
// opens a position: its bit was clear (and is set now), or, without
// bits, ti is not among pos. Both of AgentsOf's and doAct's questions.
func opens[P ~int | ~uint32](h *holdings, i, ti int, pos []P) bool {
	if h.bits != nil {
		return h.open(i, ti)
	}
	return !slices.Contains(pos, P(ti))
}

// drop clears staker i's bit of target ti, its position dropped (no-op
// without bits).
func (h *holdings) drop(i, ti int) {
	if h.bits != nil {
		*h.word(i, ti) &^= uint64(1) << (ti & 63)
	}
}
