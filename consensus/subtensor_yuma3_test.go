package consensus_test

import (
	"math"
	"testing"
)

// The Yuma 3 scenarios of subtensor pallets/subtensor/src/tests/epoch.rs
// @14bc6f9f964b9cc362e9635dd110a487fa5d15a0 (setup_yuma_3_scenario,
// run_epoch_and_check_bonds_dividends and the test_yuma_3_* tests, sparse
// variant). Dividends are compared as u16/65535 with the tests' tolerance
// 1e-3. The bond targets of those tests are never asserted there (the zip
// with .skip(3) is empty), so they are not asserted here either.

const mx = 65535

// newYuma3 is setup_yuma_3_scenario: registered at block 1, one epoch at
// block 2 to issue permits.
func newYuma3(t *testing.T, stakes []uint64) *subnet {
	s := newSubnet(len(stakes), 1, stakes, 1)
	s.in.BondsPenalty = 0
	s.in.AlphaSigmoidSteepness = 1000
	s.in.BondsMovingAverage = 975_000
	s.in.Kappa = mx / 2
	s.in.LiquidAlpha = true
	s.in.AlphaLow, s.in.AlphaHigh = 6553, 19660 // set_alpha_values_32(0.1, 0.3)
	s.in.Yuma3 = true
	s.in.MaxAllowedValidators = 3
	s.nextBlock()
	s.epoch(t)
	return s
}

// setYuma3Weights is set_yuma_3_weights: validator uid sets weights[uid].
func (s *subnet) setYuma3Weights(weights [][]uint16, uids []uint16) {
	for uid, w := range weights {
		s.setWeights(uid, uids, w)
	}
}

// runAndCheck is run_epoch + the dividend half of
// run_epoch_and_check_bonds_dividends.
func (s *subnet) runAndCheck(t *testing.T, epoch int, want []float64) {
	t.Helper()
	s.nextBlock()
	out := s.epoch(t)
	for i, w := range want {
		got := float64(out.Dividends[i]) / mx
		if math.Abs(got-w) > 1e-3 {
			t.Errorf("epoch %d: dividend[%d] = %.4f (%d), want %.4f", epoch, i, got, out.Dividends[i], w)
		}
	}
}

func rep(w []uint16, k int) [][]uint16 {
	out := make([][]uint16, k)
	for i := range out {
		out[i] = w
	}
	return out
}

var (
	toFirst  = []uint16{mx, 0}
	toSecond = []uint16{0, mx}
	servers  = []uint16{3, 4}
)

func TestYuma3KappaMovesFirst(t *testing.T) {
	s := newYuma3(t, []uint64{8, 1, 1, 0, 0})
	want := [][]float64{
		{0.8000, 0.1000, 0.1000, 0, 0},
		{1.0000, 0.0000, 0.0000, 0, 0},
		{0.9382, 0.0618, 0.0000, 0, 0},
		{0.8819, 0.0773, 0.0407, 0, 0},
		{0.8564, 0.0844, 0.0592, 0, 0},
		{0.8418, 0.0884, 0.0697, 0, 0},
	}
	for e, w := range want {
		switch e {
		case 0:
			s.setYuma3Weights(rep(toFirst, 3), servers)
		case 1:
			s.setYuma3Weights([][]uint16{toSecond, toFirst, toFirst}, servers)
		case 2:
			s.setYuma3Weights([][]uint16{toSecond, toSecond, toFirst}, servers)
		case 3:
			s.setYuma3Weights(rep(toSecond, 3), servers)
		}
		s.runAndCheck(t, e, w)
	}
}

func TestYuma3KappaMovesSecond(t *testing.T) {
	s := newYuma3(t, []uint64{8, 1, 1, 0, 0})
	want := [][]float64{
		{0.8000, 0.1000, 0.1000, 0, 0},
		{0.8446, 0.0498, 0.1056, 0, 0},
		{0.6868, 0.3132, 0.0000, 0, 0},
		{0.7421, 0.2090, 0.0489, 0, 0},
		{0.7625, 0.1706, 0.0669, 0, 0},
		{0.7730, 0.1508, 0.0762, 0, 0},
	}
	for e, w := range want {
		switch e {
		case 0:
			s.setYuma3Weights(rep(toFirst, 3), servers)
		case 1:
			s.setYuma3Weights([][]uint16{toFirst, toSecond, toFirst}, servers)
		case 2:
			s.setYuma3Weights([][]uint16{toSecond, toSecond, toFirst}, servers)
		case 3:
			s.setYuma3Weights(rep(toSecond, 3), servers)
		}
		s.runAndCheck(t, e, w)
	}
}

func TestYuma3KappaMovesLast(t *testing.T) {
	s := newYuma3(t, []uint64{8, 1, 1, 0, 0})
	want := [][]float64{
		{0.8000, 0.1000, 0.1000, 0, 0},
		{0.8446, 0.0498, 0.1056, 0, 0},
		{0.8966, 0.0333, 0.0701, 0, 0},
		{0.4663, 0.3210, 0.2127, 0, 0},
		{0.5976, 0.2340, 0.1683, 0, 0},
		{0.6592, 0.1932, 0.1475, 0, 0},
	}
	for e, w := range want {
		switch e {
		case 0:
			s.setYuma3Weights(rep(toFirst, 3), servers)
		case 1:
			s.setYuma3Weights([][]uint16{toFirst, toSecond, toFirst}, servers)
		case 2:
			s.setYuma3Weights([][]uint16{toFirst, toSecond, toSecond}, servers)
		case 3:
			s.setYuma3Weights(rep(toSecond, 3), servers)
		}
		s.runAndCheck(t, e, w)
	}
}

func oneEpochSwitch(t *testing.T, liquid bool, want [][]float64) {
	s := newYuma3(t, []uint64{33, 33, 34, 0, 0})
	s.in.LiquidAlpha = liquid
	for e, w := range want {
		if e == 2 {
			s.setYuma3Weights([][]uint16{toFirst, toFirst, toSecond}, servers)
		} else {
			s.setYuma3Weights(rep(toFirst, 3), servers)
		}
		s.runAndCheck(t, e, w)
	}
}

func TestYuma3OneEpochSwitch(t *testing.T) {
	oneEpochSwitch(t, true, [][]float64{
		{0.3300, 0.3300, 0.3400, 0, 0},
		{0.3300, 0.3300, 0.3400, 0, 0},
		{0.3782, 0.3782, 0.2436, 0, 0},
		{0.3628, 0.3628, 0.2745, 0, 0},
		{0.3541, 0.3541, 0.2917, 0, 0},
		{0.3487, 0.3487, 0.3026, 0, 0},
	})
}

func TestYuma3LiquidAlphaDisabled(t *testing.T) {
	oneEpochSwitch(t, false, [][]float64{
		{0.3300, 0.3300, 0.3400, 0, 0},
		{0.3300, 0.3300, 0.3400, 0, 0},
		{0.3734, 0.3734, 0.2532, 0, 0},
		{0.3611, 0.3611, 0.2779, 0, 0},
		{0.3541, 0.3541, 0.2919, 0, 0},
		{0.3495, 0.3495, 0.3009, 0, 0},
	})
}

func TestYuma3StableMiner(t *testing.T) {
	s := newYuma3(t, []uint64{8, 1, 1, 0, 0, 0})
	h := uint16(mx / 2)
	a := []uint16{h, 0, h}
	b := []uint16{0, h, h}
	srv := []uint16{3, 4, 5}
	want := [][]float64{
		{0.8000, 0.1000, 0.1000, 0, 0, 0},
		{0.8226, 0.0745, 0.1028, 0, 0, 0},
		{0.7750, 0.1685, 0.0565, 0, 0, 0},
		{0.7864, 0.1372, 0.0764, 0, 0, 0},
		{0.7912, 0.1241, 0.0847, 0, 0, 0},
		{0.7937, 0.1173, 0.0890, 0, 0, 0},
	}
	for e, w := range want {
		switch e {
		case 0:
			s.setYuma3Weights(rep(a, 3), srv)
		case 1:
			s.setYuma3Weights([][]uint16{a, b, a}, srv)
		case 2:
			s.setYuma3Weights([][]uint16{b, b, a}, srv)
		case 3:
			s.setYuma3Weights(rep(b, 3), srv)
		}
		s.runAndCheck(t, e, w)
	}
}

// test_yuma_3_bonds_reset: do_reset_bonds(uid 3) before epoch 20 removes
// column 3 from every bond row.
func TestYuma3BondsReset(t *testing.T) {
	s := newYuma3(t, []uint64{8, 1, 1, 0, 0})
	want := map[int][]float64{
		0:  {0.8000, 0.1000, 0.1000, 0, 0},
		1:  {0.8944, 0.0528, 0.0528, 0, 0},
		2:  {0.5230, 0.2385, 0.2385, 0, 0},
		19: {0.7919, 0.1040, 0.1040, 0, 0},
		20: {0.7928, 0.1036, 0.1036, 0, 0},
		21: {0.8467, 0.0766, 0.0766, 0, 0},
		40: {0.7928, 0.1036, 0.1036, 0, 0},
	}
	for e := 0; e <= 40; e++ {
		switch {
		case e == 0:
			s.setYuma3Weights(rep(toFirst, 3), servers)
		case e == 1:
			s.setYuma3Weights([][]uint16{toFirst, toSecond, toSecond}, servers)
		case e <= 20:
			s.setYuma3Weights(rep(toSecond, 3), servers)
			if e == 20 {
				for i, row := range s.in.Bonds {
					kept := row[:0]
					for _, c := range row {
						if c.UID != 3 {
							kept = append(kept, c)
						}
					}
					s.in.Bonds[i] = kept
				}
			}
		case e == 21:
			s.setYuma3Weights([][]uint16{toSecond, toFirst, toFirst}, servers)
		default:
			s.setYuma3Weights(rep(toFirst, 3), servers)
		}
		s.runAndCheck(t, e, want[e])
	}
}
