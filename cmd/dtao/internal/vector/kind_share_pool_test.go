package vector

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestSharePoolKindBadVector(t *testing.T) {
	ok := `{"op":"stake","coldkey":"a","amount":1}`
	for name, in := range map[string]string{
		"no ops":                    `{}`,
		"ops null":                  `{"ops":null}`,
		"unknown field":             `{"ops":[],"extra":1}`,
		"unknown op":                `{"ops":[{"op":"burn","amount":1}]}`,
		"op not a string":           `{"ops":[{"op":1,"amount":1}]}`,
		"empty coldkey":             `{"ops":[{"op":"stake","coldkey":"","amount":1}]}`,
		"stake without coldkey":     `{"ops":[{"op":"stake","amount":1}]}`,
		"dividend with coldkey":     `{"ops":[{"op":"dividend","coldkey":"a","amount":1}]}`,
		"amount above i64":          `{"ops":[{"op":"stake","coldkey":"a","amount":9223372036854775808}]}`,
		"amount above u64":          `{"ops":[{"op":"stake","coldkey":"a","amount":18446744073709551616}]}`,
		"op extra key":              `{"ops":[{"op":"unstake","coldkey":"a","amount":1,"x":0}]}`,
		"duplicate op key":          `{"ops":[{"op":"stake","coldkey":"a","coldkey":"b","amount":1}]}`,
		"unnormalised mantissa":     `{"denominator":{"mantissa":"100000000000000000000","exponent":"0"},"ops":[` + ok + `]}`,
		"mantissa too big":          `{"denominator":{"mantissa":"1000000000000000000001","exponent":"0"},"ops":[]}`,
		"zero with exponent":        `{"denominator":{"mantissa":"0","exponent":"1"},"ops":[]}`,
		"exponent out of i64":       `{"denominator":{"mantissa":"500000000000000000000","exponent":"9223372036854775808"},"ops":[]}`,
		"exponent with plus":        `{"denominator":{"mantissa":"500000000000000000000","exponent":"+1"},"ops":[]}`,
		"exponent not a string":     `{"denominator":{"mantissa":"500000000000000000000","exponent":1},"ops":[]}`,
		"share both forms":          `{"shares":{"a":{"legacy_bits":"1","mantissa":"0","exponent":"0"}},"ops":[]}`,
		"legacy bits above 2^128":   `{"shares":{"a":{"legacy_bits":"340282366920938463463374607431768211456"}},"ops":[]}`,
		"legacy bits negative":      `{"shares":{"a":{"legacy_bits":"-1"}},"ops":[]}`,
		"duplicate coldkey":         `{"shares":{"a":{"legacy_bits":"1"},"a":{"legacy_bits":"2"}},"ops":[]}`,
		"empty coldkey in shares":   `{"shares":{"":{"legacy_bits":"1"}},"ops":[]}`,
		"shares null":               `{"shares":null,"ops":[]}`,
		"denominator null":          `{"denominator":null,"ops":[]}`,
		"value negative":            `{"value":-1,"ops":[]}`,
		"missing exponent":          `{"denominator":{"mantissa":"500000000000000000000"},"ops":[]}`,
		"shares not an object":      `{"shares":[],"ops":[]}`,
		"share not an object":       `{"shares":{"a":1},"ops":[]}`,
		"ops element not an object": `{"ops":[1]}`,
	} {
		if _, err := sharePool(json.RawMessage(in)); !errors.Is(err, errBadVector) {
			t.Errorf("%s: err = %v, want BadVector", name, err)
		}
	}
}

// The output lists every coldkey named in shares or ops, by name, with
// its value and share; skipped lists the no-op unstakes.
func TestSharePoolKindOutput(t *testing.T) {
	out, err := sharePool(json.RawMessage(`{"shares":{"z":{"mantissa":"0","exponent":"0"}},"ops":[` +
		`{"op":"stake","coldkey":"a","amount":1000},{"op":"unstake","coldkey":"a","amount":1001},` +
		`{"op":"unstake","coldkey":"b","amount":0},{"op":"unstake","coldkey":"a","amount":990}]}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"value":10,"denominator":{"mantissa":"1000000000000000000000","exponent":"-20"},"stakes":{` +
		`"a":{"value":10,"share":{"mantissa":"1000000000000000000000","exponent":"-20"}},` +
		`"b":{"value":0,"share":{"mantissa":"0","exponent":"0"}},` +
		`"z":{"value":0,"share":{"mantissa":"0","exponent":"0"}}},"skipped":[1]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}
