package wallet

import (
	"crypto/ed25519"

	"golang.org/x/crypto/blake2b"
)

// edPublic returns the RFC 8032 public key of a 32-byte seed (sp-core's
// ed25519 secret is the seed itself).
func edPublic(seed *[32]byte) [32]byte {
	priv := ed25519.NewKeyFromSeed(seed[:])
	var pub [32]byte
	copy(pub[:], priv[32:])
	clear(priv)
	return pub
}

// edHardDerive is sp-core's ed25519 hard junction:
// blake2b-256(SCALE(("Ed25519HDKD", seed, cc))) = blake2b-256(0x2c ‖
// "Ed25519HDKD" ‖ seed ‖ cc); 0x2c is the compact length prefix of the
// 11-byte string.
func edHardDerive(seed *[32]byte, cc [32]byte) [32]byte {
	var buf [1 + 11 + 32 + 32]byte
	buf[0] = 11 << 2
	copy(buf[1:], "Ed25519HDKD")
	copy(buf[12:], seed[:])
	copy(buf[44:], cc[:])
	out := blake2b.Sum256(buf[:])
	clear(buf[:])
	return out
}

// edSign signs msg with the seed's key (plain Ed25519, no context).
func edSign(seed *[32]byte, msg []byte) [64]byte {
	priv := ed25519.NewKeyFromSeed(seed[:])
	var out [64]byte
	copy(out[:], ed25519.Sign(priv, msg))
	clear(priv)
	return out
}

// edVerify checks an Ed25519 signature.
func edVerify(pub *[32]byte, msg []byte, sig *[64]byte) bool {
	return ed25519.Verify(ed25519.PublicKey(pub[:]), msg, sig[:])
}
