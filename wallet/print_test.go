package wallet

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// secretNeedles returns the forms in which b (or its first bytes) would
// appear if a printer reached it: hex either case (plain and spaced),
// decimal, octal and binary as fmt prints a byte array, Go syntax, the raw
// bytes and their quoted form.
func secretNeedles(b []byte) []string {
	w := b[:8]
	join := func(format, sep string) string {
		parts := make([]string, len(w))
		for i, c := range w {
			parts[i] = fmt.Sprintf(format, c)
		}
		return strings.Join(parts, sep)
	}
	h := hex.EncodeToString(w)
	quoted := strconv.Quote(string(w))
	return []string{
		h, strings.ToUpper(h),
		join("%02x", " "), join("%02X", " "),
		join("%d", " "), join("%o", " "), join("%b", " "),
		join("%#x", ", "),
		string(w), quoted[1 : len(quoted)-1],
	}
}

// Item 1 of the review: no fmt verb, container or encoder reaches the
// secret. fmt cannot call Format on a Keypair held in an unexported field
// and, for a verb a pointer does not take (%s, %q, ...), prints what the
// pointer points to.
func TestSecretUnreachableByPrinting(t *testing.T) {
	kp, err := FromMnemonic(secretVectors[2].uri, "")
	require.NoError(t, err)
	priv, ok := kp.PrivateKey()
	require.True(t, ok)
	seed, ok := kp.Seed()
	require.True(t, ok)
	phrase, ok := kp.Mnemonic()
	require.True(t, ok)
	var needles []string
	for _, b := range [][]byte{priv[:32], priv[32:], seed[:], []byte(phrase)} {
		needles = append(needles, secretNeedles(b)...)
	}
	needles = append(needles, "leopard", "transfer")

	type inner struct{ k Keypair }
	type innerPtr struct{ k *Keypair }
	type exported struct{ K Keypair }
	type nested struct{ a []inner }
	type inMap struct{ m map[string]Keypair }
	type inAny struct{ v any }
	containers := map[string]any{
		"value":             *kp,
		"pointer":           kp,
		"struct{K}":         exported{*kp},
		"&struct{K}":        &exported{*kp},
		"struct{k}":         inner{*kp},
		"&struct{k}":        &inner{*kp},
		"struct{k *}":       innerPtr{kp},
		"&struct{k *}":      &innerPtr{kp},
		"[]Keypair":         []Keypair{*kp},
		"[]*Keypair":        []*Keypair{kp},
		"[1]Keypair":        [1]Keypair{*kp},
		"map[string]Kp":     map[string]Keypair{"k": *kp},
		"map[string]*Kp":    map[string]*Keypair{"k": kp},
		"struct{[]struct}":  nested{[]inner{{*kp}}},
		"struct{map}":       inMap{map[string]Keypair{"k": *kp}},
		"struct{any}":       inAny{*kp},
		"struct{any ptr}":   inAny{kp},
		"[]any{struct{k}}":  []any{inner{*kp}},
		"map[Kp]int (key)":  map[Keypair]int{*kp: 1},
		"**Keypair":         &kp,
		"struct{*struct{}}": struct{ p *inner }{&inner{*kp}},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%o", "%b", "%c", "%U", "%t", "%e", "%p",
		"% x", "%+q", "%#x", "%10.3s", "%T %v", "%!"}
	check := func(what, out string) {
		t.Helper()
		for _, n := range needles {
			if strings.Contains(out, n) {
				t.Fatalf("%s: output holds secret material %q:\n%s", what, n, out)
			}
		}
	}
	for name, c := range containers {
		for _, v := range verbs {
			check(name+" "+v, fmt.Sprintf(v, c))
		}
		check(name+" Sprint", fmt.Sprint(c))
		check(name+" Sprintln", fmt.Sprintln(c))
		if j, err := json.Marshal(c); err == nil {
			check(name+" json", string(j))
		}
		if x, err := xml.Marshal(c); err == nil {
			check(name+" xml", string(x))
		}
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(c); err == nil {
			check(name+" gob", buf.String())
		}
	}
}
