package wallet

import (
	"bytes"
	"encoding/hex"
	"strings"

	"github.com/dtao-go/dtao/units"
)

// Wrappers of polkadot.js's u8aWrapBytes (@polkadot/util u8a/wrap.ts).
const (
	wrapPrefix   = "<Bytes>"
	wrapPostfix  = "</Bytes>"
	wrapEthereum = "\x19Ethereum Signed Message:\n"
)

// WrapBytes returns msg as polkadot.js's u8aWrapBytes (@polkadot/util
// u8a/wrap.ts) gives it to signRaw: "<Bytes>" + msg + "</Bytes>", except
// that a message already wrapped (at least 15 bytes, starting with
// "<Bytes>" and ending with "</Bytes>") or starting with
// "\x19Ethereum Signed Message:\n" is returned unchanged. So WrapBytes is
// idempotent. The result is always a new slice.
func WrapBytes(msg []byte) []byte {
	if isWrapped(msg) {
		return bytes.Clone(msg)
	}
	return wrapAlways(msg)
}

// isWrapped is u8aIsWrapped(msg, true).
func isWrapped(msg []byte) bool {
	s := string(msg) // no copy: only compared
	return len(s) >= len(wrapPrefix)+len(wrapPostfix) && strings.HasPrefix(s, wrapPrefix) && strings.HasSuffix(s, wrapPostfix) ||
		strings.HasPrefix(s, wrapEthereum)
}

// wrapAlways is btwallet's wrapper: "<Bytes>" + msg + "</Bytes>" whatever
// msg holds.
func wrapAlways(msg []byte) []byte {
	out := make([]byte, 0, len(msg)+len(wrapPrefix)+len(wrapPostfix))
	out = append(out, wrapPrefix...)
	out = append(out, msg...)
	return append(out, wrapPostfix...)
}

// Verify reports whether sig is the sr25519 signature of msg by account id
// under the "substrate" context. Unmarked (pre-0.8) signatures fail.
func Verify(id units.AccountID, msg, sig []byte) bool {
	return verifyScheme(SR25519, id, msg, sig)
}

// VerifyWrapped is btwallet's Keypair.verify (src/keypair.rs verify): it
// accepts an sr25519 signature of msg itself or of "<Bytes>" + msg +
// "</Bytes>". Like btwallet it wraps msg even when msg is already wrapped;
// the signature polkadot.js makes over such a message (WrapBytes leaves it
// as is) is a signature of msg itself.
func VerifyWrapped(id units.AccountID, msg, sig []byte) bool {
	return Verify(id, msg, sig) || Verify(id, wrapAlways(msg), sig)
}

// VerifyEd25519 reports whether sig is the RFC 8032 Ed25519 signature of
// msg by public key id.
func VerifyEd25519(id units.AccountID, msg, sig []byte) bool {
	return verifyScheme(Ed25519, id, msg, sig)
}

// VerifyWrappedEd25519 is VerifyWrapped for Ed25519: it accepts a
// signature of msg itself or of "<Bytes>" + msg + "</Bytes>" (polkadot.js
// signRaw with an ed25519 account).
func VerifyWrappedEd25519(id units.AccountID, msg, sig []byte) bool {
	return VerifyEd25519(id, msg, sig) || VerifyEd25519(id, wrapAlways(msg), sig)
}

// VerifyWrapped is VerifyWrapped or VerifyWrappedEd25519, by kp's scheme.
func (kp *Keypair) VerifyWrapped(msg, sig []byte) bool {
	return verifyScheme(kp.scheme, kp.public, msg, sig) || verifyScheme(kp.scheme, kp.public, wrapAlways(msg), sig)
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
