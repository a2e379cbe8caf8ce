package vector

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/dtao-go/dtao/units"
)

// MaxLineBytes is the longest input line Run reads: 16 MiB, not counting
// the line's '\n'. A longer line is answered with BadVector without being
// held in memory: Run keeps its first IDPrefixBytes to recover the case's
// id and streams past the rest.
const MaxLineBytes = 16 << 20

// IDPrefixBytes is how much of an over-long line Run keeps to look for the
// case's id; an id that does not end within it is answered as null.
const IDPrefixBytes = 4096

// Summary counts the cases of one run: every line that is neither blank nor
// a comment is a case. In check mode, Passed and Failed count the cases
// that carry an "expect" and were checked, and Failed also counts every
// line that cannot be read as a case (see Options.Check); Unchecked counts
// the readable cases without an "expect". Outside check mode only Cases is
// counted.
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
	// the answers themselves. A line that cannot be read as a case fails
	// whatever it holds: a line longer than MaxLineBytes, one that is not
	// a JSON object, or one whose top level is malformed (an id or kind
	// that is missing or not a string, a missing input, a source that is
	// not a string, an unknown or repeated top-level field). A check never
	// passes over garbage it could not read.
	Check bool
}

// caseLine is what the runner read of one input line: the raw values of
// its top-level fields (sub-slices of the line), and whether the top level
// was well formed.
type caseLine struct {
	ID     json.RawMessage
	Kind   string
	Input  json.RawMessage
	Expect json.RawMessage
	// Readable is true when the line is a JSON object whose top level is
	// well formed: id and kind strings, an input, a string source if any,
	// no unknown or repeated top-level key. Only then can check mode
	// trust its expect (or its lack of one).
	Readable bool
}

// answer is one output line: exactly one of Output and Error is set.
type answer struct {
	ID     json.RawMessage `json:"id"`
	Output any             `json:"output,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// Run reads cases from r, one JSON object per line, and answers each in
// order on w. Lines holding only spaces, tabs and carriage returns, and
// lines whose first other byte is '#', are skipped. A case that cannot be
// interpreted, or a line longer than MaxLineBytes, is answered with
// "BadVector: ..."; Run goes on. Run returns a non-nil error only when
// reading r or writing w fails.
func Run(r io.Reader, w io.Writer, opts Options) (Summary, error) {
	var sum Summary
	br := bufio.NewReaderSize(r, 1<<16)
	bw := bufio.NewWriter(w)
	lr := lineReader{r: br}
	lineNo := 0
	for {
		line, over, ok, err := lr.next()
		if err != nil {
			return sum, fmt.Errorf("vector: reading input: %w", err)
		}
		if !ok {
			break
		}
		lineNo++
		if skipLine(line) {
			continue
		}
		sum.Cases++
		var c caseLine
		var ans answer
		if over {
			c.ID = recoverID(line)
			ans = answer{ID: idOrNull(c.ID), Error: errorName(badVector("line longer than %d bytes", MaxLineBytes))}
		} else {
			c, ans = answerLine(line)
		}
		if err := writeAnswer(bw, c, ans, lineNo, opts, &sum); err != nil {
			return sum, fmt.Errorf("vector: writing output: %w", err)
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

// lineReader splits its input into lines without ever holding more than
// MaxLineBytes of one.
type lineReader struct {
	r   *bufio.Reader
	buf []byte
	eof bool
}

// next returns the next line without its '\n'. For a line longer than
// MaxLineBytes, over is true and line holds only its first IDPrefixBytes
// (the rest has been read and dropped). ok is false at the end of the
// input. The line is valid until the next call.
func (lr *lineReader) next() (line []byte, over, ok bool, err error) {
	if lr.eof {
		return nil, false, false, nil
	}
	lr.buf = lr.buf[:0]
	first := true
	for {
		chunk, err := lr.r.ReadSlice('\n')
		complete := err == nil
		if complete {
			chunk = chunk[:len(chunk)-1]
			if first {
				// The whole line is in the reader's buffer: no copy.
				return chunk, false, true, nil
			}
		}
		if first && len(chunk) == 0 && errors.Is(err, io.EOF) {
			lr.eof = true
			return nil, false, false, nil
		}
		first = false
		if !over {
			if len(lr.buf)+len(chunk) > MaxLineBytes {
				over = true
				n := min(len(chunk), max(IDPrefixBytes-len(lr.buf), 0))
				lr.buf = append(lr.buf[:min(len(lr.buf), IDPrefixBytes)], chunk[:n]...)
			} else {
				lr.buf = appendLine(lr.buf, chunk)
			}
		}
		switch {
		case complete:
			return lr.buf, over, true, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			lr.eof = true
			return lr.buf, over, true, nil
		default:
			return nil, false, false, err
		}
	}
}

// appendLine appends chunk to buf (whose length plus len(chunk) is at most
// MaxLineBytes), doubling the capacity when it must grow, so that reading
// a line allocates at most about twice its length.
func appendLine(buf, chunk []byte) []byte {
	if need := len(buf) + len(chunk); need > cap(buf) {
		grown := make([]byte, len(buf), min(max(2*cap(buf), need, 1<<16), MaxLineBytes))
		copy(grown, buf)
		buf = grown
	}
	return append(buf, chunk...)
}

// skipLine reports whether line is blank (spaces, tabs, carriage returns)
// or a comment (its first other byte is '#').
func skipLine(line []byte) bool {
	i := skipLineSpace(line)
	return i == len(line) || line[i] == '#'
}

func skipLineSpace(line []byte) int {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
		i++
	}
	return i
}

// writeAnswer writes the answer of one case, or in check mode compares it
// with the case's expect.
func writeAnswer(w *bufio.Writer, c caseLine, ans answer, lineNo int, opts Options, sum *Summary) error {
	if !opts.Check {
		out, err := json.Marshal(ans)
		if err != nil {
			// The id is valid JSON and outputs are plain structs: this
			// cannot happen, but an answer line is owed all the same.
			out, _ = json.Marshal(answer{ID: json.RawMessage("null"), Error: "Internal: " + truncateMessage(err.Error())})
		}
		out = append(out, '\n')
		_, err = w.Write(out)
		return err
	}
	label := fmt.Sprintf("line %d", lineNo)
	if len(c.ID) > 0 {
		label = fmt.Sprintf("%s (%s)", label, shortRaw(c.ID))
	}
	if !c.Readable {
		sum.Failed++
		_, err := fmt.Fprintf(w, "FAIL %s: not a readable case: %s\n", label, ans.Error)
		return err
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
// caseLine carries whatever could be read (the id and expect at least,
// when the line is a JSON object).
func answerLine(line []byte) (caseLine, answer) {
	c, err := parseCase(line)
	ans := answer{ID: idOrNull(c.ID)}
	if err != nil {
		ans.Error = errorName(err)
		return c, ans
	}
	h, ok := kinds[c.Kind]
	if !ok {
		ans.Error = errorName(badVector("unknown kind %s", quoteShort(c.Kind)))
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

// parseCase reads the top level of one case. It is strict: the line must be
// one JSON object and nothing after it, no object at any depth may repeat a
// key, and the top-level keys must be exactly id, kind, input and
// optionally source and expect. The id and expect are filled in even when
// an error is returned, if the line is a JSON object that has them;
// Readable is set when the top level is well formed, whatever the error
// (a malformed input leaves the case readable).
func parseCase(line []byte) (caseLine, error) {
	var c caseLine
	if !json.Valid(line) {
		c.ID = recoverID(line[:min(len(line), IDPrefixBytes)])
		var v struct{}
		return c, jsonError(json.Unmarshal(line, &v))
	}
	ms, ok := objectMembers(line)
	if !ok {
		return c, badVector("a case must be a JSON object")
	}
	var kind, source json.RawMessage
	var seen [5]bool
	var unknown string
	repeated := false
	for _, m := range ms {
		var slot *json.RawMessage
		var k int
		switch m.key {
		case "id":
			slot, k = &c.ID, 0
		case "kind":
			slot, k = &kind, 1
		case "input":
			slot, k = &c.Input, 2
		case "source":
			slot, k = &source, 3
		case "expect":
			slot, k = &c.Expect, 4
		default:
			if unknown == "" {
				unknown = m.key
			}
			continue
		}
		if seen[k] { // the first of duplicates is kept; the duplicate itself is refused below
			repeated = true
			continue
		}
		seen[k] = true
		*slot = m.val
	}
	var id string
	idOK := seen[0] && isJSONString(c.ID) && json.Unmarshal(c.ID, &id) == nil
	kindOK := seen[1] && isJSONString(kind) && json.Unmarshal(kind, &c.Kind) == nil
	c.Readable = !repeated && unknown == "" && idOK && kindOK && seen[2] && (!seen[3] || isJSONString(source))
	if err := checkDuplicateKeys(line); err != nil {
		return c, err
	}
	if unknown != "" {
		return c, badVector("unknown field %s", quoteShort(unknown))
	}
	if !idOK {
		return c, badVector("field \"id\" must be a string")
	}
	if !seen[1] {
		return c, badVector("missing field \"kind\"")
	}
	if !kindOK {
		return c, badVector("field \"kind\" must be a string")
	}
	if !seen[2] {
		return c, badVector("missing field \"input\"")
	}
	if seen[3] && !isJSONString(source) {
		return c, badVector("field \"source\" must be a string")
	}
	return c, nil
}

// isJSONString reports whether the valid JSON value v is a string (null,
// which encoding/json decodes into a string as "", is not).
func isJSONString(v []byte) bool {
	return len(v) > 0 && v[0] == '"'
}

// recoverID looks for the id of a case in prefix, the start of a line that
// may be cut anywhere: it walks the top-level object and returns the value
// of the first key "id" (exact case) if that value is a string that ends
// within prefix, else nil.
func recoverID(prefix []byte) json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(prefix))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		key, ok := t.(string)
		if !ok {
			return nil
		}
		if key == "id" {
			t, err := dec.Token()
			s, isString := t.(string)
			if err != nil || !isString {
				return nil
			}
			b, err := json.Marshal(s)
			if err != nil {
				return nil
			}
			return b
		}
		// Skip the value, however deep.
		depth := 0
		for {
			t, err := dec.Token()
			if err != nil {
				return nil
			}
			switch t {
			case json.Delim('{'), json.Delim('['):
				depth++
			case json.Delim('}'), json.Delim(']'):
				depth--
			}
			if depth == 0 {
				break
			}
		}
	}
}

func idOrNull(id json.RawMessage) json.RawMessage {
	if len(id) == 0 {
		return json.RawMessage("null")
	}
	return id
}

// errorName renders err as the runner prints it: "BadVector: ..." for
// malformed cases; the chain's name for any error that has one, found by
// units.ChainName through every wrapper (the SDK's *units.ChainError
// sentinels, including outcomes the chain has no dispatch error for, such
// as a runtime panic, and any units.ChainNamer); and "Internal: ..." for
// anything else, which is a bug in dtao.
func errorName(err error) string {
	if errors.Is(err, errBadVector) {
		return err.Error()
	}
	if name := units.ChainName(err); name != "" {
		return name
	}
	return "Internal: " + truncateMessage(err.Error())
}
