package wallet

import (
	"crypto/sha512"

	schnorrkel "github.com/ChainSafe/go-schnorrkel"
	"golang.org/x/crypto/blake2b"
)

// signingContext is sp-core's SIGNING_CTX for sr25519.
var signingContext = []byte("substrate")

// expandEd25519 expands a mini secret the way sp-core does (schnorrkel's
// ExpansionMode::Ed25519): h = SHA-512(mini); key = clamp(h[0:32]) / 8;
// nonce = h[32:64]. go-schnorrkel has the same expansion but no nonce
// accessor, so it is done here where the bytes can be kept and zeroed.
func expandEd25519(mini *[32]byte) (key, nonce [32]byte) {
	h := sha512.Sum512(mini[:])
	copy(key[:], h[:32])
	copy(nonce[:], h[32:])
	clear(h[:])
	key[0] &= 248
	key[31] &= 63
	key[31] |= 64
	divideByCofactor(&key)
	return key, nonce
}

// divideByCofactor shifts a 256-bit little-endian integer right by 3.
func divideByCofactor(s *[32]byte) {
	var low byte
	for i := 31; i >= 0; i-- {
		r := s[i] & 7
		s[i] = s[i]>>3 | low
		low = r << 5
	}
}

// multiplyByCofactor shifts a 256-bit little-endian integer left by 3; the
// canonical scalars it is used on are below 2^253, so nothing is lost.
func multiplyByCofactor(s *[32]byte) {
	var high byte
	for i := 0; i < 32; i++ {
		r := s[i] >> 5
		s[i] = s[i]<<3 | high
		high = r
	}
}

// srSecret builds go-schnorrkel's secret key. The nonce is not given: Go's
// signer draws its witness from crypto/rand alone, so only the scalar is
// needed. Callers wipe it with wipeSR after use.
func srSecret(key *[32]byte) *schnorrkel.SecretKey {
	return schnorrkel.NewSecretKey(*key, [32]byte{})
}

// wipeSR overwrites the scalar held by go-schnorrkel's struct.
func wipeSR(sk *schnorrkel.SecretKey) { _ = sk.Decode([32]byte{}) }

// srPublic returns key·B as 32 bytes, or ErrInvalidSecretKey when key is not
// a canonical scalar (sp-core's SecretKey::from_bytes refuses those too).
func srPublic(key *[32]byte) ([32]byte, error) {
	if _, err := schnorrkel.ScalarFromBytes(*key); err != nil {
		return [32]byte{}, ErrInvalidSecretKey
	}
	sk := srSecret(key)
	defer wipeSR(sk)
	pub, err := sk.Public()
	if err != nil {
		return [32]byte{}, ErrInvalidSecretKey
	}
	return pub.Encode(), nil
}

// srHardDerive is schnorrkel's hard_derive_mini_secret_key(Some(cc), b""):
// the junction code goes in the chain-code slot and the sign-bytes are
// empty, which is how sp-core calls it. It returns the new mini secret.
func srHardDerive(key *[32]byte, cc [32]byte) ([32]byte, error) {
	sk := srSecret(key)
	defer wipeSR(sk)
	mini, _, err := sk.HardDeriveMiniSecretKey([]byte{}, cc)
	if err != nil {
		return [32]byte{}, err
	}
	out := mini.Encode()
	_ = mini.Decode([32]byte{})
	return out, nil
}

// srSoftDeriveSecret is schnorrkel's derived_key_simple(cc, b"") on a secret
// key: key' = key + HDKD-scalar(public, cc). Rust and go-schnorrkel draw the
// new nonce at random; here it is blake2b-256(nonce ‖ cc), so a soft-derived
// key is reproducible. Any 32 bytes are a valid nonce; the public key, the
// only thing other software can check, is the same.
func srSoftDeriveSecret(key, nonce *[32]byte, cc [32]byte) (newKey, newNonce [32]byte, err error) {
	sk := srSecret(key)
	defer wipeSR(sk)
	ek, err := schnorrkel.DeriveKeySoft(sk, []byte{}, cc)
	if err != nil {
		return newKey, newNonce, ErrInvalidSecretKey
	}
	dsk, err := ek.Secret()
	if err != nil {
		return newKey, newNonce, ErrInvalidSecretKey
	}
	newKey = dsk.Encode()
	wipeSR(dsk)
	var buf [64]byte
	copy(buf[:32], nonce[:])
	copy(buf[32:], cc[:])
	newNonce = blake2b.Sum256(buf[:])
	clear(buf[:])
	return newKey, newNonce, nil
}

// srSoftDerivePublic soft-derives a public key: pub' = pub + HDKD-scalar·B.
// A public key that is not a ristretto point is ErrInvalidPath.
func srSoftDerivePublic(pub [32]byte, cc [32]byte) ([32]byte, error) {
	pk, err := schnorrkel.NewPublicKey(pub)
	if err != nil {
		return [32]byte{}, ErrInvalidPath
	}
	ek, err := schnorrkel.DeriveKeySoft(pk, []byte{}, cc)
	if err != nil {
		return [32]byte{}, ErrInvalidPath
	}
	np, err := ek.Public()
	if err != nil {
		return [32]byte{}, ErrInvalidPath
	}
	return np.Encode(), nil
}

// srSign signs msg with the "substrate" context; the result carries the
// schnorrkel marker bit (byte 63 |= 0x80).
func srSign(key *[32]byte, msg []byte) ([64]byte, error) {
	sk := srSecret(key)
	defer wipeSR(sk)
	sig, err := sk.Sign(schnorrkel.NewSigningContext(signingContext, msg))
	if err != nil {
		return [64]byte{}, err
	}
	return sig.Encode(), nil
}

// srVerify checks a marked sr25519 signature under the "substrate" context.
// Unmarked (pre-0.8 schnorrkel) signatures fail, as in sp-core's verify.
func srVerify(pub *[32]byte, msg []byte, sig *[64]byte) bool {
	pk, err := schnorrkel.NewPublicKey(*pub)
	if err != nil {
		return false
	}
	var s schnorrkel.Signature
	if err := s.Decode(*sig); err != nil {
		return false
	}
	ok, err := pk.Verify(&s, schnorrkel.NewSigningContext(signingContext, msg))
	return err == nil && ok
}
