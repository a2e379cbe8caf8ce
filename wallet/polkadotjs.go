package wallet

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"

	"golang.org/x/crypto/nacl/secretbox"
	"golang.org/x/crypto/scrypt"
)

// pkcs8Header and pkcs8Divider frame the secret and the public key in a
// polkadot.js export's plaintext.
var (
	pkcs8Header  = []byte{0x30, 0x53, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20}
	pkcs8Divider = []byte{0xa1, 0x23, 0x03, 0x21, 0x00}
)

// maxScryptN bounds the scrypt cost an export may ask for (polkadot.js
// writes 2^15); a hostile file cannot make the reader allocate gigabytes.
const maxScryptN = 1 << 20

// FromPolkadotJSON decrypts an sr25519 account exported by polkadot.js,
// Talisman or SubWallet (JSON version "3", content ["pkcs8","sr25519"],
// type ["scrypt","xsalsa20-poly1305"]), as btwallet's
// Keypair.create_from_encrypted_json does. The 64-byte secret inside is in
// polkadot.js (key×8) form; it is converted and must reproduce the
// embedded public key. A wrong password is ErrWrongPassword; another
// format is ErrDeserialization.
func FromPolkadotJSON(data []byte, password string) (*Keypair, error) {
	var doc struct {
		Encoded  string `json:"encoded"`
		Encoding struct {
			Content []string `json:"content"`
			Type    []string `json:"type"`
			Version string   `json:"version"`
		} `json:"encoding"`
		Address string `json:"address"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDeserialization, err)
	}
	if doc.Encoding.Version != "3" || !slices.Contains(doc.Encoding.Content, "sr25519") {
		return nil, fmt.Errorf("%w: only version 3 sr25519 exports are supported", ErrDeserialization)
	}
	enc, err := base64.StdEncoding.DecodeString(doc.Encoded)
	if err != nil {
		return nil, fmt.Errorf("%w: encoded: %v", ErrInvalidEncryption, err)
	}
	var key [32]byte
	defer clear(key[:])
	if slices.Contains(doc.Encoding.Type, "scrypt") {
		if len(enc) < 44 {
			return nil, ErrInvalidEncryption
		}
		salt := enc[:32]
		n := binary.LittleEndian.Uint32(enc[32:36])
		p := binary.LittleEndian.Uint32(enc[36:40])
		r := binary.LittleEndian.Uint32(enc[40:44])
		if n < 2 || n > maxScryptN || n&(n-1) != 0 || p < 1 || p > 16 || r < 1 || r > 32 {
			return nil, fmt.Errorf("%w: scrypt parameters N=%d r=%d p=%d", ErrInvalidEncryption, n, r, p)
		}
		k, err := scrypt.Key([]byte(password), salt, int(n), int(r), int(p), 32)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidEncryption, err)
		}
		copy(key[:], k)
		clear(k)
		enc = enc[44:]
	} else {
		// Without scrypt the key is the password, zero-padded to 32 bytes.
		copy(key[:], password)
	}
	if len(enc) < 24+secretbox.Overhead {
		return nil, ErrInvalidEncryption
	}
	var nonce [24]byte
	copy(nonce[:], enc[:24])
	plain, ok := secretbox.Open(nil, enc[24:], &nonce, &key)
	if !ok {
		return nil, ErrWrongPassword
	}
	defer clear(plain)
	want := len(pkcs8Header) + 64 + len(pkcs8Divider) + 32
	if len(plain) < want || !bytes.Equal(plain[:16], pkcs8Header) || !bytes.Equal(plain[80:85], pkcs8Divider) {
		return nil, fmt.Errorf("%w: bad PKCS8 framing", ErrDeserialization)
	}
	var secret [64]byte
	copy(secret[:], plain[16:80])
	defer clear(secret[:])
	kp, err := FromPolkadotJSSecret(secret)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(kp.public[:], plain[85:117]) {
		kp.Zero()
		return nil, fmt.Errorf("%w: embedded public key", ErrKeyMismatch)
	}
	if doc.Address != "" {
		id, err := ParseAccountID(doc.Address)
		if err != nil || id != kp.public {
			kp.Zero()
			return nil, fmt.Errorf("%w: address", ErrKeyMismatch)
		}
	}
	return kp, nil
}
