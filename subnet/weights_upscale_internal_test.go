package subnet

import "testing"

// upscaleFactor's integer division is the chain's I32F32 division
// (refUpscaleFactor) for every largest value that takes the factor,
// 32769 to 65535, and for every other non-zero one too.
func TestUpscaleFactor(t *testing.T) {
	for mx := 1; mx <= 65535; mx++ {
		if got, want := upscaleFactor(uint16(mx)), refUpscaleFactor(uint16(mx)); got != want {
			t.Fatalf("mx=%d: %d, I32F32 division %d", mx, got, want)
		}
	}
}
