package wallet

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/dtao-go/dtao/units"
)

// sp-core's from_ss58check_with_version decodes with bs58, which has no
// length limit: text over any bound is decoded and then refused by its
// first byte (InvalidPrefix) or its length (BadLength); only a character
// outside the alphabet is BadBase58. Expected names derived by hand from
// crypto.rs (polkadot-sdk @038b513) with a big-integer base58 model:
// "5"×129 decodes to 95 bytes whose first is ≥ 128, "z"×131 likewise,
// "z"×200 and "1"×129 start below 128 (or with a zero byte) and are 147
// and 129 bytes long.
func TestDecodeSS58LongText(t *testing.T) {
	for s, want := range map[string]error{
		strings.Repeat("5", 129):       ErrInvalidPrefix,
		strings.Repeat("z", 131):       ErrInvalidPrefix,
		strings.Repeat("z", 200):       ErrBadLength,
		strings.Repeat("z", 129):       ErrBadLength,
		strings.Repeat("1", 129):       ErrBadLength,
		strings.Repeat("z", 300) + "0": ErrBadBase58,
		"0" + strings.Repeat("z", 300): ErrBadBase58,
	} {
		_, _, err := DecodeSS58(s)
		assert.ErrorIs(t, err, want, "%d× %q", len(s), s[:1])
	}
}

// The long-text path agrees with the math/big reference on random byte
// strings long enough to need it, leading zeros included.
func TestBase58LongProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := rapid.SliceOfN(rapid.Byte(), 90, 400).Draw(t, "b")
		zeros := rapid.IntRange(0, 3).Draw(t, "zeros")
		b = append(make([]byte, zeros), b...)
		s := bigBase58(b)
		got, ok := decodeBase58(nil, s)
		if !ok || string(got) != string(b) {
			t.Fatalf("decode %d chars = %x, %v, want %x", len(s), got, ok, b)
		}
	})
}

// sp-core's to_ss58check_with_version masks the prefix to 14 bits and
// encodes the reserved 46 and 47. The 46 and 47 addresses are those
// DecodeSS58 refuses with FormatNotAllowed (testdata ss58-45, ss58-46);
// 16384 and 16426 mask to 0 and 42 (spec/wallet.md §A2 encodings), 65535
// to 16383.
func TestEncodeSS58AnyMatchesSPCore(t *testing.T) {
	alice := units.AccountID(unhex(t, aliceHex))
	for prefix, want := range map[uint16]string{
		46:    "5g1axYPrdA2VeKsqmz8WKpa8f3n4T9ou8Qv3f8BaeheH3ApS",
		47:    "5moFDXwG1SuDoPHJgX1XhiqZJXvMWLSRKMUBGopt7ZEmKmWa",
		16384: "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5",
		16426: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
		65535: "yNa8JpqfFB3q8A29rCwSgxvdU94ufJw2yKKxDgznS5m1PoFvn",
	} {
		assert.Equal(t, want, EncodeSS58Any(alice, prefix), "prefix %d", prefix)
	}
	for _, p := range []uint16{46, 47} {
		_, _, err := DecodeSS58(EncodeSS58Any(alice, p))
		assert.ErrorIs(t, err, ErrFormatNotAllowed)
	}
	// Where EncodeSS58 accepts the prefix, the two agree.
	rapid.Check(t, func(t *rapid.T) {
		p := rapid.Uint16Range(0, MaxPrefix).Draw(t, "p")
		s, err := EncodeSS58(alice, p)
		if err == nil && s != EncodeSS58Any(alice, p) {
			t.Fatalf("prefix %d: %q vs %q", p, s, EncodeSS58Any(alice, p))
		}
	})
}

// sp-core's from_string_with_seed strips "0x" and passes the rest to
// array-bytes' hex2bytes, which strips one more "0x" (strip_0x): so
// "0x0x<64 hex>" is the same seed, and a third "0x" is not hex. Expected
// key: the //Alice seed of spec/wallet.md §A2 gives //Alice's key.
func TestFromURIDoubleHexPrefix(t *testing.T) {
	const aliceSeed = "e5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a"
	for _, scheme := range []Scheme{SR25519, Ed25519} {
		want, err := FromURIScheme("0x"+aliceSeed, scheme)
		require.NoError(t, err)
		kp, err := FromURIScheme("0x0x"+aliceSeed, scheme)
		require.NoError(t, err, scheme)
		assert.Equal(t, want.AccountID(), kp.AccountID(), scheme)
		_, err = FromURIScheme("0x0x0x"+aliceSeed, scheme)
		assert.ErrorIs(t, err, ErrInvalidSeed)
	}
	kp, err := FromURI("0x0x" + aliceSeed)
	require.NoError(t, err)
	id := kp.AccountID()
	assert.Equal(t, aliceHex, hexOf(id[:]))
}
