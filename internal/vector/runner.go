package vector

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Summary counts the cases of one run. Passed and Failed count only cases
// that carry an "expect" and were checked; Unchecked counts the rest.
type Summary struct {
	Cases     int
	Passed    int
	Failed    int
	Unchecked int
}

// Options selects how Run reports.
type Options struct {
	// Check compares each answer with its case's "expect" and writes one
	// line per mismatch and a closing "N passed, M failed" line instead of
	// the answers themselves.
	Check bool
}

// caseLine is one input line. Every top-level field is listed, so that
// DisallowUnknownFields rejects a misspelt one.
type caseLine struct {
	ID     json.RawMessage `json:"id"`
	Kind   string          `json:"kind"`
	Input  json.RawMessage `json:"input"`
	Source *string         `json:"source"`
	Expect json.RawMessage `json:"expect"`
}

// answer is one output line: exactly one of Output and Error is set.
type answer struct {
	ID     json.RawMessage `json:"id"`
	Output any             `json:"output,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// Run reads cases from r, one JSON object per line, and answers each in
// order on w. Blank lines and lines starting with '#' are skipped. A case
// that cannot be interpreted is answered with "BadVector: ..."; Run goes
// on. Run returns a non-nil error only when reading r or writing w fails.
func Run(r io.Reader, w io.Writer, opts Options) (Summary, error) {
	var sum Summary
	br := bufio.NewReaderSize(r, 1<<16)
	bw := bufio.NewWriter(w)
	lineNo := 0
	for {
		line, readErr := br.ReadBytes('\n')
		if readErr != nil && !errors.Is(readErr, io.EOF) {
			return sum, fmt.Errorf("vector: reading input: %w", readErr)
		}
		if len(line) > 0 {
			lineNo++
			trimmed := bytes.TrimSpace(line)
			if len(trimmed) > 0 && trimmed[0] != '#' {
				sum.Cases++
				if err := runLine(trimmed, lineNo, bw, opts, &sum); err != nil {
					return sum, err
				}
			}
		}
		if readErr != nil {
			break
		}
	}
	if opts.Check {
		fmt.Fprintf(bw, "%d passed, %d failed", sum.Passed, sum.Failed)
		if sum.Unchecked > 0 {
			fmt.Fprintf(bw, ", %d skipped", sum.Unchecked)
		}
		fmt.Fprintln(bw)
	}
	if err := bw.Flush(); err != nil {
		return sum, fmt.Errorf("vector: writing output: %w", err)
	}
	return sum, nil
}

// runLine answers one non-blank line and, in check mode, compares.
func runLine(line []byte, lineNo int, w *bufio.Writer, opts Options, sum *Summary) error {
	c, ans := answerLine(line)
	if !opts.Check {
		out, err := json.Marshal(ans)
		if err != nil {
			return fmt.Errorf("vector: encoding answer on line %d: %w", lineNo, err)
		}
		out = append(out, '\n')
		_, err = w.Write(out)
		return err
	}
	label := fmt.Sprintf("line %d", lineNo)
	if len(c.ID) > 0 {
		label = fmt.Sprintf("%s (%s)", label, c.ID)
	}
	if len(c.Expect) == 0 {
		sum.Unchecked++
		return nil
	}
	mismatches := compare(c.Expect, ans)
	if len(mismatches) == 0 {
		sum.Passed++
		return nil
	}
	sum.Failed++
	for _, m := range mismatches {
		if _, err := fmt.Fprintf(w, "FAIL %s: %s\n", label, m); err != nil {
			return err
		}
	}
	return nil
}

// answerLine parses one case and computes its answer. The returned
// caseLine carries whatever could be parsed (the id and expect at least,
// when the line is valid JSON).
func answerLine(line []byte) (caseLine, answer) {
	var c caseLine
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		// Recover the id if the line is at least a JSON object.
		var loose struct {
			ID     json.RawMessage `json:"id"`
			Expect json.RawMessage `json:"expect"`
		}
		_ = json.Unmarshal(line, &loose)
		c.ID, c.Expect = loose.ID, loose.Expect
		return c, answer{ID: idOrNull(c.ID), Error: errorName(badVector("%s", strings.TrimPrefix(err.Error(), "json: ")))}
	}
	ans := answer{ID: idOrNull(c.ID)}
	if err := checkCaseShape(&c); err != nil {
		ans.Error = errorName(err)
		return c, ans
	}
	h, ok := kinds[c.Kind]
	if !ok {
		ans.Error = errorName(badVector("unknown kind %q", c.Kind))
		return c, ans
	}
	out, err := h(c.Input)
	if err != nil {
		ans.Error = errorName(err)
		return c, ans
	}
	ans.Output = out
	return c, ans
}

// checkCaseShape validates the top-level fields that every case shares.
func checkCaseShape(c *caseLine) error {
	var id string
	if len(c.ID) == 0 || json.Unmarshal(c.ID, &id) != nil {
		return badVector("field \"id\" must be a string")
	}
	if c.Kind == "" {
		return badVector("missing field \"kind\"")
	}
	if len(c.Input) == 0 {
		return badVector("missing field \"input\"")
	}
	return nil
}

func idOrNull(id json.RawMessage) json.RawMessage {
	if len(id) == 0 {
		return json.RawMessage("null")
	}
	return id
}

// errorName renders err as the runner prints it: the chain's error name
// for SDK sentinels, "BadVector: ..." for malformed cases, and
// "Internal: ..." for anything else (which is a bug in dtao).
func errorName(err error) string {
	var named interface{ ChainName() string }
	if errors.As(err, &named) {
		return named.ChainName()
	}
	if errors.Is(err, errBadVector) {
		return err.Error()
	}
	return "Internal: " + err.Error()
}
