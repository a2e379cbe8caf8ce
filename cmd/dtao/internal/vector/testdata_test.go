package vector

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestProjectVectors runs every testdata/*.jsonl of the repository through
// Run in check mode: the same path as
// `cat testdata/*.jsonl | go run ./cmd/dtao vector --check`.
func TestProjectVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "..", "testdata", "*.jsonl"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			var out bytes.Buffer
			sum, err := Run(bytes.NewReader(data), &out, Options{Check: true})
			require.NoError(t, err)
			require.Zero(t, sum.Failed, out.String())
			require.Positive(t, sum.Passed, "no checked case in %s", file)
			require.Zero(t, sum.Unchecked, "every project vector carries an expect")
		})
	}
}
