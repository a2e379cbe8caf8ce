package wallet

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// fernetSalt and fernetIterations are the oldest bittensor keyfiles'
// PBKDF2-HMAC-SHA256 parameters.
const fernetSalt = "Iguesscyborgslikemyselfhaveatendencytobeparanoidaboutourorigins"

// fernetIterations is 10,000,000 (about 1.6 s in Go); only the package's
// tests lower it, before any test runs.
var fernetIterations = 10_000_000

// fernetKDF is the key derivation; tests wrap it to memoize the real-cost
// derivation.
var fernetKDF = func(password []byte, iterations int) ([]byte, error) {
	return pbkdf2SHA256Block(password, []byte(fernetSalt), iterations)
}

// pbkdf2SHA256Block is PBKDF2-HMAC-SHA256 for a 32-byte output (one
// block). It equals crypto/pbkdf2.Key(sha256.New, ...) (a test checks it
// differentially) but runs each of the ten million rounds as two
// sha256.Sum256 calls over stack buffers, which keeps the cost of the
// legacy format's 10,000,000 rounds down, above all under the race
// detector.
func pbkdf2SHA256Block(password, salt []byte, iterations int) ([]byte, error) {
	if iterations < 1 {
		return nil, errors.New("wallet: pbkdf2 needs at least one iteration")
	}
	// U1 = HMAC(P, S ‖ INT(1)) through crypto/hmac.
	mac := hmac.New(sha256.New, password)
	mac.Write(salt)
	mac.Write([]byte{0, 0, 0, 1})
	var u, t [32]byte
	mac.Sum(u[:0])
	t = u
	// HMAC's key block: P, or SHA-256(P) when longer than 64 bytes.
	var key [64]byte
	if len(password) > 64 {
		h := sha256.Sum256(password)
		copy(key[:], h[:])
	} else {
		copy(key[:], password)
	}
	var inner, outer [64 + 32]byte
	for i := range 64 {
		inner[i] = key[i] ^ 0x36
		outer[i] = key[i] ^ 0x5c
	}
	clear(key[:])
	for n := 2; n <= iterations; n++ {
		copy(inner[64:], u[:])
		ih := sha256.Sum256(inner[:])
		copy(outer[64:], ih[:])
		u = sha256.Sum256(outer[:])
		for j := range t {
			t[j] ^= u[j]
		}
	}
	clear(inner[:])
	clear(outer[:])
	clear(u[:])
	out := make([]byte, 32)
	copy(out, t[:])
	clear(t[:])
	return out, nil
}

// FernetKey returns the Fernet key (32 bytes; its URL-safe base64 is the
// Fernet key string) of password: PBKDF2-HMAC-SHA256(password, the legacy
// salt, 10,000,000 iterations).
func FernetKey(password []byte) ([32]byte, error) {
	return fernetKeyIter(password, fernetIterations)
}

func fernetKeyIter(password []byte, iterations int) ([32]byte, error) {
	var key [32]byte
	k, err := fernetKDF(password, iterations)
	if err != nil {
		return key, err
	}
	copy(key[:], k)
	clear(k)
	return key, nil
}

// DecryptFernet opens a legacy (Fernet) keyfile: URL-safe base64 of
// 0x80 ‖ timestamp(8) ‖ IV(16) ‖ AES-128-CBC(PKCS#7) ‖ HMAC-SHA256(32),
// signing key = key[0:16], encryption key = key[16:32]. No TTL is checked,
// as none ever was. btwallet 4.0.0 cannot read these files (its
// legacy_decrypt uses a fresh random key); this reader follows the Python
// `cryptography` implementation that wrote them.
func DecryptFernet(data, password []byte) ([]byte, error) {
	return decryptFernetIter(data, password, fernetIterations)
}

func decryptFernetIter(data, password []byte, iterations int) ([]byte, error) {
	token, err := decodeFernetToken(data)
	if err != nil {
		return nil, err
	}
	key, err := fernetKeyIter(password, iterations)
	if err != nil {
		return nil, err
	}
	defer clear(key[:])
	return openFernet(token, &key)
}

func decodeFernetToken(data []byte) ([]byte, error) {
	s := strings.TrimSpace(string(data))
	token, err := base64.URLEncoding.DecodeString(s)
	if err != nil {
		// Some writers drop the padding.
		token, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
		if err != nil {
			return nil, ErrInvalidEncryption
		}
	}
	if len(token) < 1+8+16+16+32 || token[0] != 0x80 || (len(token)-1-8-16-32)%aes.BlockSize != 0 {
		return nil, ErrInvalidEncryption
	}
	return token, nil
}

func openFernet(token []byte, key *[32]byte) ([]byte, error) {
	body, mac := token[:len(token)-32], token[len(token)-32:]
	h := hmac.New(sha256.New, key[:16])
	h.Write(body)
	if !hmac.Equal(h.Sum(nil), mac) {
		return nil, ErrWrongPassword
	}
	// body[1:9] is the timestamp, which no bittensor reader ever checked.
	iv, ct := body[9:25], body[25:]
	block, err := aes.NewCipher(key[16:])
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, ct)
	out, ok := unpadPKCS7(plain)
	if !ok {
		clear(plain)
		return nil, ErrWrongPassword
	}
	return out, nil
}
