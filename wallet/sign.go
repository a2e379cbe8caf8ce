package wallet

import (
	"encoding/hex"
	"strings"

	"github.com/dtao-go/dtao/units"
)

// WrapBytes returns "<Bytes>" + msg + "</Bytes>", the wrapper polkadot.js
// extensions put around a message before signing it with signRaw.
func WrapBytes(msg []byte) []byte {
	out := make([]byte, 0, len(msg)+15)
	out = append(out, "<Bytes>"...)
	out = append(out, msg...)
	return append(out, "</Bytes>"...)
}

// Verify reports whether sig is the sr25519 signature of msg by account id
// under the "substrate" context. Unmarked (pre-0.8) signatures fail.
func Verify(id units.AccountID, msg, sig []byte) bool {
	return verifyScheme(SR25519, id, msg, sig)
}

// VerifyWrapped is btwallet's Keypair.verify: it accepts a signature of msg
// itself or of WrapBytes(msg).
func VerifyWrapped(id units.AccountID, msg, sig []byte) bool {
	return Verify(id, msg, sig) || Verify(id, WrapBytes(msg), sig)
}

// VerifyAddress verifies an sr25519 signature against an SS58 address (any
// prefix) or a 0x hex public key. An unparsable address is an error; a bad
// signature is false.
func VerifyAddress(address string, msg, sig []byte) (bool, error) {
	id, err := ParseAccountID(address)
	if err != nil {
		return false, err
	}
	return Verify(id, msg, sig), nil
}

// MessageBytes converts a string message the way btwallet's sign and
// verify do: a string starting with "0x" is hex-decoded (so "0x1234" is two
// bytes), anything else is its UTF-8 bytes.
func MessageBytes(s string) ([]byte, error) {
	if rest, ok := strings.CutPrefix(s, "0x"); ok {
		b, err := hex.DecodeString(rest)
		if err != nil {
			return nil, ErrInvalidHex
		}
		return b, nil
	}
	return []byte(s), nil
}
