package wallet

import (
	"crypto/rand"
	"fmt"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/nacl/secretbox"
)

// naclPrefix starts every $NACL keyfile.
const naclPrefix = "$NACL"

// naclSalt is the fixed salt of btwallet and the old Python keyfile code
// (b"\x13q\x83\xdf\xf1Z\t\xbc\x9c\x90\xb5Q\x879\xe9\xb1"). Being fixed,
// the key depends on the password alone: the same password gives the same
// key for every wallet. Changing it would break interoperability.
var naclSalt = [16]byte{0x13, 0x71, 0x83, 0xdf, 0xf1, 0x5a, 0x09, 0xbc, 0x9c, 0x90, 0xb5, 0x51, 0x87, 0x39, 0xe9, 0xb1}

// kdfCost is an argon2i cost: passes and memory in KiB.
type kdfCost struct {
	time   uint32
	memory uint32
}

// naclRealCost is libsodium's OPSLIMIT_SENSITIVE / MEMLIMIT_SENSITIVE for
// argon2i13: 8 passes over 512 MiB, one lane. Seconds per derivation by
// design.
var naclRealCost = kdfCost{time: 8, memory: 512 * 1024}

// naclCost is the cost used by EncryptNaCl and keyfile decryption. Only the
// package's tests lower it, once, before any test runs (export_test.go);
// files written at a lower cost cannot be read by btwallet.
var naclCost = naclRealCost

// argon2iKey is the KDF; tests wrap it to memoize the real-cost derivation.
var argon2iKey = func(password, salt []byte, c kdfCost) []byte {
	return argon2.Key(password, salt, c.time, c.memory, 1, 32)
}

// NaClKey derives the $NACL secretbox key of password: argon2i v1.3 with
// the fixed salt, 8 passes, 512 MiB, one lane, 32 bytes (libsodium's
// crypto_pwhash_argon2i at OPSLIMIT_SENSITIVE, MEMLIMIT_SENSITIVE). It takes
// seconds and 512 MiB: derive once and reuse the key with
// EncryptNaClWithKey / DecryptNaClWithKey when handling several files.
func NaClKey(password []byte) [32]byte {
	return naclKeyCost(password, naclCost)
}

func naclKeyCost(password []byte, c kdfCost) [32]byte {
	var key [32]byte
	k := argon2iKey(password, naclSalt[:], c)
	copy(key[:], k)
	clear(k)
	return key
}

// EncryptNaCl returns "$NACL" ‖ nonce(24, random) ‖ secretbox(plaintext),
// the keyfile encryption btwallet writes and reads.
func EncryptNaCl(plaintext, password []byte) ([]byte, error) {
	return encryptNaClCost(plaintext, password, naclCost)
}

func encryptNaClCost(plaintext, password []byte, c kdfCost) ([]byte, error) {
	key := naclKeyCost(password, c)
	defer clear(key[:])
	return EncryptNaClWithKey(plaintext, &key)
}

// EncryptNaClWithKey is EncryptNaCl with a key from NaClKey. A nil key is
// ErrNilArgument.
func EncryptNaClWithKey(plaintext []byte, key *[32]byte) ([]byte, error) {
	if key == nil {
		return nil, fmt.Errorf("%w: EncryptNaClWithKey: nil key", ErrNilArgument)
	}
	var nonce [24]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return nil, err
	}
	return sealNaCl(plaintext, key, &nonce), nil
}

func sealNaCl(plaintext []byte, key *[32]byte, nonce *[24]byte) []byte {
	out := make([]byte, 0, len(naclPrefix)+24+secretbox.Overhead+len(plaintext))
	out = append(out, naclPrefix...)
	out = append(out, nonce[:]...)
	return secretbox.Seal(out, plaintext, nonce, key)
}

// DecryptNaCl opens a $NACL keyfile. A wrong password (or a tampered file)
// is ErrWrongPassword; a file too short to hold a nonce and a tag is
// ErrInvalidEncryption.
func DecryptNaCl(data, password []byte) ([]byte, error) {
	return decryptNaClCost(data, password, naclCost)
}

func decryptNaClCost(data, password []byte, c kdfCost) ([]byte, error) {
	if err := checkNaCl(data); err != nil {
		return nil, err
	}
	key := naclKeyCost(password, c)
	defer clear(key[:])
	return DecryptNaClWithKey(data, &key)
}

func checkNaCl(data []byte) error {
	if len(data) < len(naclPrefix)+24+secretbox.Overhead || string(data[:len(naclPrefix)]) != naclPrefix {
		return ErrInvalidEncryption
	}
	return nil
}

// DecryptNaClWithKey is DecryptNaCl with a key from NaClKey. A nil key is
// ErrNilArgument.
func DecryptNaClWithKey(data []byte, key *[32]byte) ([]byte, error) {
	if key == nil {
		return nil, fmt.Errorf("%w: DecryptNaClWithKey: nil key", ErrNilArgument)
	}
	if err := checkNaCl(data); err != nil {
		return nil, err
	}
	var nonce [24]byte
	copy(nonce[:], data[len(naclPrefix):])
	out, ok := secretbox.Open(nil, data[len(naclPrefix)+24:], &nonce, key)
	if !ok {
		return nil, ErrWrongPassword
	}
	return out, nil
}
