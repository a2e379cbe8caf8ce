package wallet

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/dtao-go/dtao/units"
)

// spec/wallet.md §A2: SS58 encodings of //Alice's key (verified with
// polkadot.js) and of the zero key.
func TestSS58Vectors(t *testing.T) {
	alice := units.AccountID(unhex(t, aliceHex))
	for prefix, want := range map[uint16]string{
		0:     "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5",
		2:     "HNZata7iMYWmk5RvZRTiAsSDhV8366zq2YGb3tLH5Upf74F",
		42:    "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
		64:    "cEaNSpz4PxFcZ7nT1VEKrKewH67rfx6MfcM6yKojyyPz7qaqp",
		255:   "yGHXkYLYqxijLKKfd9Q2CB9shRVu8rPNBS53wvwGTutYg4zTg",
		16383: "yNa8JpqfFB3q8A29rCwSgxvdU94ufJw2yKKxDgznS5m1PoFvn",
	} {
		got, err := EncodeSS58(alice, prefix)
		require.NoError(t, err)
		assert.Equal(t, want, got, "prefix %d", prefix)
		id, p, err := DecodeSS58(want)
		require.NoError(t, err)
		assert.Equal(t, alice, id)
		assert.Equal(t, prefix, p)
	}
	assert.Equal(t, "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM", Address(units.AccountID{}))
	assert.Len(t, Address(alice), 48)
}

func TestSS58Errors(t *testing.T) {
	alice := "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
	for s, want := range map[string]error{
		alice[:47] + "Z":           ErrInvalidChecksum,
		"blabla":                   ErrBadBase58,
		"":                         ErrBadLength,
		alice[:40]:                 ErrBadLength,
		strings.Repeat("z", 200):   ErrBadLength, // long text decodes, as in bs58
		alice + "1":                ErrBadLength,
		"5GrwvaEF5zXb26Fz9rcQpDWS": ErrBadLength,
	} {
		_, _, err := DecodeSS58(s)
		assert.ErrorIs(t, err, want, s)
	}
	_, err := EncodeSS58(units.AccountID{}, 16384)
	assert.ErrorIs(t, err, ErrInvalidPrefix)
	_, err = EncodeSS58(units.AccountID{}, 46)
	assert.ErrorIs(t, err, ErrFormatNotAllowed)

	assert.Equal(t, "InvalidChecksum", units.ChainName(ErrInvalidChecksum))

	// btwallet's helpers (spec §A2 "parity tests").
	assert.False(t, IsValidAddress("blabla"))
	assert.True(t, IsValidAddress(alice))
	_, err = ParseAccountID(strings.Repeat("a", 64))
	assert.Error(t, err, "bare hex needs 0x")
	id, err := ParseAccountID("0x" + strings.Repeat("a", 64))
	require.NoError(t, err)
	assert.Equal(t, byte(0xaa), id[0])
}

// Property: encode then decode gives back the account and prefix, for every
// allowed prefix; the address length is 47-50 characters.
func TestSS58RoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var id units.AccountID
		copy(id[:], rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "id"))
		prefix := rapid.Uint16Range(0, MaxPrefix).Filter(func(p uint16) bool { return p != 46 && p != 47 }).Draw(t, "prefix")
		s, err := EncodeSS58(id, prefix)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		got, p, err := DecodeSS58(s)
		if err != nil || got != id || p != prefix {
			t.Fatalf("decode(%q) = %x, %d, %v", s, got, p, err)
		}
		if len(s) < 35 || len(s) > 50 {
			t.Fatalf("length %d", len(s))
		}
	})
}

// base58 against math/big: the schoolbook conversion agrees with a
// big-integer reference on random byte strings, leading zeros included.
func TestBase58Property(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := rapid.SliceOfN(rapid.Byte(), 0, 60).Draw(t, "b")
		zeros := rapid.IntRange(0, 3).Draw(t, "zeros")
		b = append(make([]byte, zeros), b...)
		s := encodeBase58(b)
		if s != bigBase58(b) {
			t.Fatalf("encode %x: %q vs %q", b, s, bigBase58(b))
		}
		got, ok := decodeBase58(nil, s)
		if !ok || string(got) != string(b) {
			t.Fatalf("decode %q = %x, %v", s, got, ok)
		}
	})
}

func TestDecodeSS58DoesNotAllocate(t *testing.T) {
	s := "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
	allocs := testing.AllocsPerRun(100, func() {
		id, _, err := DecodeSS58(s)
		sinkID, sinkErr = id, err
	})
	assert.Zero(t, allocs)
	bad := s[:47] + "Z"
	allocs = testing.AllocsPerRun(100, func() { _, _, sinkErr = DecodeSS58(bad) })
	assert.Zero(t, allocs)
}

var (
	sinkID  units.AccountID
	sinkErr error
	sinkStr string
)

func FuzzDecodeSS58(f *testing.F) {
	for _, s := range []string{"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "", "1", "blabla",
		"yNa8JpqfFB3q8A29rCwSgxvdU94ufJw2yKKxDgznS5m1PoFvn", "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, prefix, err := DecodeSS58(s)
		if err != nil {
			return
		}
		// A decoded address re-encodes to itself unless it used the
		// two-byte form for a prefix below 64, which sp-core accepts.
		enc, err := EncodeSS58(id, prefix)
		if err != nil {
			t.Fatalf("decoded prefix %d does not encode: %v", prefix, err)
		}
		if prefix >= 64 && enc != s {
			t.Fatalf("re-encode %q -> %q", s, enc)
		}
		if prefix < 64 && enc != s {
			if raw, _ := decodeBase58(nil, s); raw[0] < 64 {
				t.Fatalf("re-encode %q -> %q", s, enc)
			}
		}
	})
}

func TestEncodeSS58AllocatesOnlyTheString(t *testing.T) {
	id := units.AccountID{1, 2, 3}
	allocs := testing.AllocsPerRun(100, func() { sinkStr, sinkErr = EncodeSS58(id, 42) })
	assert.Equal(t, 1.0, allocs)
}
