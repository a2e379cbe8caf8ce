package units_test

import (
	"testing"

	"github.com/dtao-go/dtao/units"
)

var (
	sinkTAO   units.TAO
	sinkAlpha units.Alpha
	sinkBool  bool
	sinkBytes []byte
	sinkStr   string
)

func TestNoAllocs(t *testing.T) {
	x, y := units.TAO(maxRao-3), units.TAO(7)
	a, b := units.Alpha(5), units.Alpha(9)
	buf := make([]byte, 0, 64)
	checks := map[string]func(){
		"TAO.Add":             func() { sinkTAO, sinkBool = x.Add(y) },
		"TAO.Sub":             func() { sinkTAO, sinkBool = y.Sub(x) },
		"TAO.SaturatingAdd":   func() { sinkTAO = x.SaturatingAdd(y) },
		"TAO.SaturatingSub":   func() { sinkTAO = y.SaturatingSub(x) },
		"Alpha.Add":           func() { sinkAlpha, sinkBool = a.Add(b) },
		"Alpha.Sub":           func() { sinkAlpha, sinkBool = a.Sub(b) },
		"Alpha.SaturatingAdd": func() { sinkAlpha = a.SaturatingAdd(b) },
		"Alpha.SaturatingSub": func() { sinkAlpha = a.SaturatingSub(b) },
		"TAO.AppendText":      func() { sinkBytes, _ = x.AppendText(buf[:0]) },
		"Alpha.AppendText":    func() { sinkBytes, _ = units.Alpha(maxRao).AppendText(buf[:0]) },
		"NetUID.Symbol":       func() { sinkStr = units.NetUID(438).Symbol() },
		"TAO.UnmarshalJSON": func() {
			var z units.TAO
			_ = z.UnmarshalJSON([]byte("18446744073709551615"))
			sinkTAO = z
		},
	}
	for name, f := range checks {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocs per run, want 0", name, n)
		}
	}
	// String builds its text on the stack: the returned string is the one
	// allocation.
	if n := testing.AllocsPerRun(100, func() { sinkStr = units.Alpha(maxRao).StringFor(65535) }); n > 2 {
		t.Errorf("StringFor(65535): %v allocs, want at most 2 (symbol and result)", n)
	}
	if n := testing.AllocsPerRun(100, func() { sinkStr = x.String() }); n != 1 {
		t.Errorf("TAO.String: %v allocs, want 1", n)
	}
}

func BenchmarkAdd(b *testing.B) {
	b.ReportAllocs()
	x, y := units.TAO(1_500_000_000), units.TAO(3)
	for b.Loop() {
		sinkTAO, sinkBool = x.Add(y)
	}
}

func BenchmarkSaturatingSub(b *testing.B) {
	b.ReportAllocs()
	x, y := units.TAO(1_500_000_000), units.TAO(3)
	for b.Loop() {
		sinkTAO = y.SaturatingSub(x)
	}
}

func BenchmarkParseTAO(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkTAO, _ = units.ParseTAO("τ1,234.567890123")
	}
}

func BenchmarkString(b *testing.B) {
	b.ReportAllocs()
	x := units.TAO(1_234_567_890_123)
	for b.Loop() {
		sinkStr = x.String()
	}
}

func BenchmarkAppendText(b *testing.B) {
	b.ReportAllocs()
	x := units.TAO(1_234_567_890_123)
	buf := make([]byte, 0, 64)
	for b.Loop() {
		sinkBytes, _ = x.AppendText(buf[:0])
	}
}

func BenchmarkUnmarshalJSON(b *testing.B) {
	b.ReportAllocs()
	in := []byte("1234567890123")
	for b.Loop() {
		var z units.TAO
		_ = z.UnmarshalJSON(in)
		sinkTAO = z
	}
}
