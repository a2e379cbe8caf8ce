package wallet

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// sp-core address_uri.rs test00-test22. Paths are written as the parser
// keeps them: "/x" for a hard junction x, "x" for a soft one.
func TestParseURITable(t *testing.T) {
	type want struct {
		phrase string
		paths  []string
		pass   *string
		err    error
	}
	pw := func(s string) *string { return &s }
	cases := map[string]want{
		"///":                     {pass: pw("")},
		"////////":                {pass: pw("/////")},
		"sdasd///asda":            {phrase: "sdasd", pass: pw("asda")},
		"sdasd//asda":             {phrase: "sdasd", paths: []string{"/asda"}},
		"sdasd//a":                {phrase: "sdasd", paths: []string{"/a"}},
		"sdasd//":                 {err: ErrInvalidPath},
		"sdasd/xx//asda":          {phrase: "sdasd", paths: []string{"xx", "/asda"}},
		"sdasd/xx//a/b//c///pass": {phrase: "sdasd", paths: []string{"xx", "/a", "b", "/c"}, pass: pw("pass")},
		"sdasd/xx//a":             {phrase: "sdasd", paths: []string{"xx", "/a"}},
		"sdasd/xx//":              {err: ErrInvalidPath},
		"sdasd/asda":              {phrase: "sdasd", paths: []string{"asda"}},
		"sdasd/asda//x":           {phrase: "sdasd", paths: []string{"asda", "/x"}},
		"sdasd/a":                 {phrase: "sdasd", paths: []string{"a"}},
		"sdasd/":                  {err: ErrInvalidPath},
		"sdasd":                   {phrase: "sdasd"},
		"sd.asd":                  {err: ErrInvalidPhrase},
		"sd.asd/asd.a":            {err: ErrInvalidPhrase},
		"sd.asd//asd.a":           {err: ErrInvalidPhrase},
		"sdasd/asd.a":             {phrase: "sdasd", paths: []string{"asd.a"}},
		"sdasd//asd.a":            {phrase: "sdasd", paths: []string{"/asd.a"}},
		"///\n":                   {err: ErrInvalidPassword},
		"///a\n":                  {err: ErrInvalidPassword},
		"sd.asd///asd.a\n":        {err: ErrInvalidPhrase},
		"hello world/s//h///pass": {phrase: "hello world", paths: []string{"s", "/h"}, pass: pw("pass")},
	}
	for in, w := range cases {
		u, err := parseURI(in)
		if w.err != nil {
			assert.ErrorIs(t, err, w.err, "%q", in)
			continue
		}
		require.NoError(t, err, "%q", in)
		assert.Equal(t, w.phrase, u.phrase, "%q", in)
		assert.Equal(t, w.phrase != "", u.hasPhrase, "%q", in)
		require.Len(t, u.path, len(w.paths), "%q", in)
		for i, p := range w.paths {
			text, hard := strings.CutPrefix(p, "/")
			assert.Equal(t, newJunction(text, hard), u.path[i], "%q junction %d", in, i)
		}
		assert.Equal(t, w.pass != nil, u.hasPass, "%q", in)
		if w.pass != nil {
			assert.Equal(t, *w.pass, u.password, "%q", in)
		}
	}
}

func TestJunctionEncoding(t *testing.T) {
	j := newJunction("Alice", true)
	assert.Equal(t, "14416c696365"+strings.Repeat("00", 26), hex.EncodeToString(j.code[:]))
	assert.True(t, j.hard)
	// Numbers are u64 LE; leading zeros and Rust's '+' are accepted.
	for _, s := range []string{"1", "01", "0001", "+1"} {
		j := newJunction(s, false)
		assert.Equal(t, "01"+strings.Repeat("00", 31), hex.EncodeToString(j.code[:]), s)
	}
	// 2^64 overflows u64: it is a string.
	big := newJunction("18446744073709551616", false)
	assert.Equal(t, byte(20<<2), big.code[0])
	// 31 bytes of text fit (1 + 31 = 32); 32 are hashed.
	assert.Equal(t, byte(31<<2), newJunction(strings.Repeat("a", 31), false).code[0])
	assert.NotEqual(t, byte(32<<2), newJunction(strings.Repeat("a", 32), false).code[0])
	// Compact lengths of 64 and more take two bytes (then get hashed).
	var b [5]byte
	assert.Equal(t, 2, compactLen(&b, 64))
	assert.Equal(t, []byte{0x01, 0x01}, b[:2])
	assert.Equal(t, 4, compactLen(&b, 1<<14))
	assert.Equal(t, 5, compactLen(&b, 1<<30))
}

func TestURIDerivation(t *testing.T) {
	// sp-core default_phrase_should_be_used: "//Alice///password" equals
	// DEV_PHRASE//Alice with the BIP39 passphrase "password".
	a, err := FromURI("//Alice///password")
	require.NoError(t, err)
	b, err := FromURI(DevPhrase + "//Alice///password")
	require.NoError(t, err)
	assert.Equal(t, a.AccountID(), b.AccountID())
	plain, err := FromURI("//Alice")
	require.NoError(t, err)
	assert.NotEqual(t, a.AccountID(), plain.AccountID())

	// Integer junctions: leading zeros do not matter.
	x, err := FromURI("//1/02")
	require.NoError(t, err)
	y, err := FromURI("//001/+2")
	require.NoError(t, err)
	assert.Equal(t, x.AccountID(), y.AccountID())

	// The seed survives hard junctions and is dropped by soft ones.
	_, ok := plain.Seed()
	assert.True(t, ok)
	soft, err := FromURI("//Alice/x")
	require.NoError(t, err)
	_, ok = soft.Seed()
	assert.False(t, ok)
	softHard, err := FromURI("//Alice/x//y")
	require.NoError(t, err)
	_, ok = softHard.Seed()
	assert.False(t, ok, "sp-core does not track the seed past a soft junction")
	fromPriv, err := FromPrivateKey(unhex(t, secretVectors[1].private))
	require.NoError(t, err)
	hardFromPriv, err := fromPriv.Derive("//y")
	require.NoError(t, err)
	_, ok = hardFromPriv.Seed()
	assert.False(t, ok, "no seed to start from")
	viaURI, err := FromURI("//Alice//y")
	require.NoError(t, err)
	assert.Equal(t, viaURI.AccountID(), hardFromPriv.AccountID())
	_, ok = viaURI.Seed()
	assert.True(t, ok)

	// Soft derivation of the public key equals the public of the soft-derived secret.
	pub := FromAccountID(plain.AccountID(), SR25519)
	pd, err := pub.Derive("/x")
	require.NoError(t, err)
	assert.Equal(t, soft.AccountID(), pd.AccountID())
	_, err = pub.Derive("//x")
	assert.ErrorIs(t, err, ErrInvalidPath)

	d, err := plain.Derive("")
	require.NoError(t, err)
	assert.Equal(t, plain.AccountID(), d.AccountID())
	_, err = plain.Derive("phrase/x")
	assert.ErrorIs(t, err, ErrInvalidPath)

	// ed25519: soft junctions are refused.
	_, err = FromURIScheme("//Alice/x", Ed25519)
	assert.ErrorIs(t, err, ErrSoftKeyInPath)

	// A mnemonic URI key does not carry the phrase into a keyfile.
	m, err := FromURI(secretVectors[2].uri)
	require.NoError(t, err)
	_, ok = m.Mnemonic()
	assert.False(t, ok)
}

// Property: soft derivation commutes with taking the public key, for
// random paths of soft junctions.
func TestSoftDerivationProperty(t *testing.T) {
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	pub := FromAccountID(alice.AccountID(), SR25519)
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 3).Draw(t, "n")
		var path strings.Builder
		for i := 0; i < n; i++ {
			path.WriteString("/" + rapid.StringMatching(`[a-zA-Z0-9.]{1,40}`).Draw(t, "j"))
		}
		s, err := alice.Derive(path.String())
		if err != nil {
			t.Fatal(err)
		}
		p, err := pub.Derive(path.String())
		if err != nil {
			t.Fatal(err)
		}
		if s.AccountID() != p.AccountID() {
			t.Fatalf("path %q: %x vs %x", path.String(), s.AccountID(), p.AccountID())
		}
		sig, err := s.Sign([]byte("m"))
		if err != nil || !Verify(p.AccountID(), []byte("m"), sig[:]) {
			t.Fatalf("derived key does not sign for its public key: %v", err)
		}
	})
}

func FuzzParseURI(f *testing.F) {
	for _, s := range []string{"//Alice", "sdasd/xx//a/b//c///pass", "///", "////////", "sd.asd", "0x12//a", "a/+1//0001///\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := parseURI(s)
		if err != nil {
			return
		}
		if !u.hasPhrase && u.phrase != "" {
			t.Fatalf("phrase without flag")
		}
		if strings.Contains(u.password, "\n") {
			t.Fatalf("newline in password")
		}
		if n := strings.Count(s, "/"); len(u.path) > n {
			t.Fatalf("%d junctions from %d slashes", len(u.path), n)
		}
		for _, c := range []byte(u.phrase) {
			if !isPhraseByte(c) {
				t.Fatalf("bad phrase byte %q", c)
			}
		}
	})
}

// FromURI never panics, whatever the input (it reaches the mnemonic
// parser, hex decoding and derivation).
func FuzzFromURI(f *testing.F) {
	for _, s := range []string{"//Alice", "//Alice/soft", "0x" + strings.Repeat("ab", 32) + "//x", DevPhrase + "///pw", "//" + strings.Repeat("x", 70)} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, ed bool) {
		scheme := SR25519
		if ed {
			scheme = Ed25519
		}
		kp, err := FromURIScheme(s, scheme)
		if err == nil && kp.Address() == "" {
			t.Fatal("key without address")
		}
	})
}
