package consensus_test

import (
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"
)

// Port of subtensor pallets/subtensor/src/tests/math.rs::test_vec_u16_max_upscale_to_u16
// @14bc6f9f964b9cc362e9635dd110a487fa5d15a0 (exact), plus ties from
// substrate-fixed's round(), which vec_u16_max_upscale_to_u16 calls: to
// nearest, ties away from zero.
func TestMaxUpscaleWeights(t *testing.T) {
	cases := []struct{ in, want []uint16 }{
		{[]uint16{}, nil},
		{[]uint16{0}, []uint16{0}},
		{[]uint16{0, 0}, []uint16{0, 0}},
		{[]uint16{1}, []uint16{65535}},
		{[]uint16{0, 1}, []uint16{0, 65535}},
		{[]uint16{65534}, []uint16{65535}},
		{[]uint16{65535}, []uint16{65535}},
		{[]uint16{65535, 65535}, []uint16{65535, 65535}},
		{[]uint16{0, 1, 65534}, []uint16{0, 1, 65535}},
		{[]uint16{0, 1, 2, 3, 4, 65533, 65535}, []uint16{0, 1, 2, 3, 4, 65533, 65535}},
		// max ≤ 32768: v·65535/max, then round; 1·65535/2 = 32767.5 → 32768.
		{[]uint16{1, 2}, []uint16{32768, 65535}},
		// test_bonds' weights are already max-upscaled.
		{[]uint16{16383, 32767, 49149, 65535}, []uint16{16383, 32767, 49149, 65535}},
		// test_outdated_weights: [2·(65535/3), 65535/3] → [65535, 32768].
		{[]uint16{43690, 21845}, []uint16{65535, 32768}},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, consensus.MaxUpscaleWeights(nil, c.in), "%v", c.in)
	}
}

// The largest weight always becomes 65535 (unless all are zero) and order
// is preserved.
func TestPropertyMaxUpscaleWeights(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := rapid.SliceOfN(rapid.Uint16(), 1, 64).Draw(t, "w")
		out := consensus.MaxUpscaleWeights(nil, in)
		mx, omx := uint16(0), uint16(0)
		for i := range in {
			mx, omx = max(mx, in[i]), max(omx, out[i])
			for k := range in {
				if in[i] < in[k] && out[i] > out[k] {
					t.Fatalf("order broken: %v -> %v", in, out)
				}
			}
		}
		if (mx == 0) != (omx == 0) || (mx > 0 && omx != 65535) {
			t.Fatalf("max %d -> %d", mx, omx)
		}
	})
}
