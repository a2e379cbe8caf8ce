package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRunExitCodes(t *testing.T) {
	good := `{"id":"a","kind":"block_emission","input":{"issuance":0},"expect":{"output":{"emission":1000000000}}}`
	bad := `{"id":"b","kind":"block_emission","input":{"issuance":0},"expect":{"output":{"emission":7}}}`

	cases := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		contains string
	}{
		{"answers", []string{"vector"}, good, 0, `{"id":"a","output":{"emission":1000000000}}`},
		{"failing cases still exit 0 without --check", []string{"vector"}, bad, 0, `"emission":1000000000`},
		{"check passes", []string{"vector", "--check"}, good, 0, "1 passed, 0 failed"},
		{"check fails", []string{"vector", "--check"}, good + "\n" + bad, 1, "1 passed, 1 failed"},
		{"no command", nil, "", 2, ""},
		{"unknown command", []string{"frobnicate"}, "", 2, ""},
		{"stray argument", []string{"vector", "cases.jsonl"}, "", 2, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(c.args, strings.NewReader(c.stdin), &stdout, &stderr)
			require.Equal(t, c.code, code, "stdout %q stderr %q", stdout.String(), stderr.String())
			require.Contains(t, stdout.String(), c.contains)
		})
	}
}
