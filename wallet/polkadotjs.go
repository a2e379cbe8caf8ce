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
// polkadot.js export's plaintext (@polkadot/keyring pair/defaults.ts,
// PAIR_HDR and PAIR_DIV).
var (
	pkcs8Header  = []byte{0x30, 0x53, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20}
	pkcs8Divider = []byte{0xa1, 0x23, 0x03, 0x21, 0x00}
)

// Scrypt bounds of FromPolkadotJSON. polkadot.js 14 (@polkadot/util-crypto
// scrypt/defaults.ts and fromU8a.ts) writes N=2^17, r=8, p=1 (128·N·r =
// 128 MiB) and reads only r ≤ 16, p ≤ 4 and a list of presets, none above
// N=2^17 or 128 MiB. An export asking for more is refused with ErrKDFCost
// before any derivation, so a hostile file costs at most 128 MiB and four
// times the work of a default export.
const (
	maxScryptN  = 1 << 17
	maxScryptR  = 16
	maxScryptP  = 4
	maxScryptNR = 1 << 20 // 128·N·r bytes of memory ≤ 128 MiB
)

// scryptFunc is scrypt.Key's signature; the package's tests substitute a
// function that checks it is not reached.
type scryptFunc func(password, salt []byte, n, r, p, keyLen int) ([]byte, error)

// FromPolkadotJSON opens an sr25519 or ed25519 account exported by
// polkadot.js, Talisman or SubWallet (JSON version "3", content
// ["pkcs8", "sr25519"|"ed25519"]), as @polkadot/keyring's createFromJson
// and decodePair do, and as btwallet's Keypair.create_from_encrypted_json
// does for sr25519:
//
//   - type ["scrypt", "xsalsa20-poly1305"] (what polkadot.js writes with a
//     password): scrypt with the export's parameters, then secretbox. The
//     parameters are bounded (N ≤ 2^17, r ≤ 16, p ≤ 4, 128·N·r ≤ 128 MiB,
//     what polkadot.js 14 accepts); beyond that the export is ErrKDFCost.
//   - type ["xsalsa20-poly1305"]: secretbox keyed by the password itself.
//   - type ["none"] (what polkadot.js writes without a password): the
//     payload is the plain PKCS8 body. As in polkadot.js's jsonDecryptData
//     it opens with the empty password; any other password is tried as a
//     secretbox key and so fails with ErrWrongPassword.
//
// An encrypted export opened with the empty password is ErrNoPassword, a
// wrong password ErrWrongPassword. The body holds a 64-byte secret (for
// sr25519 in polkadot.js key×8 form, converted here; for ed25519 seed ‖
// public key) or, in exports of generations 1 and 2, a 32-byte seed; the
// key must reproduce the embedded public key and the address
// (ErrKeyMismatch). Another format is ErrDeserialization, a malformed
// container ErrInvalidEncryption.
func FromPolkadotJSON(data []byte, password string) (*Keypair, error) {
	return fromPolkadotJSON(data, password, scrypt.Key)
}

func fromPolkadotJSON(data []byte, password string, kdf scryptFunc) (*Keypair, error) {
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
	content := doc.Encoding.Content
	if doc.Encoding.Version != "3" || len(content) < 2 || content[0] != "pkcs8" {
		return nil, fmt.Errorf("%w: only version 3 pkcs8 exports are supported", ErrDeserialization)
	}
	var scheme Scheme
	switch content[1] {
	case "sr25519":
		scheme = SR25519
	case "ed25519":
		scheme = Ed25519
	default:
		return nil, fmt.Errorf("%w: unsupported key type %q", ErrDeserialization, content[1])
	}
	enc, err := base64.StdEncoding.DecodeString(doc.Encoded)
	if err != nil {
		return nil, fmt.Errorf("%w: encoded: %v", ErrInvalidEncryption, err)
	}
	plain, err := openPolkadotJSBody(enc, password, doc.Encoding.Type, kdf)
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	kp, err := decodePolkadotJSPair(plain, scheme)
	if err != nil {
		return nil, err
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

// openPolkadotJSBody is @polkadot/util-crypto's jsonDecryptData: the
// encrypted body is opened only when a password is given; without one the
// body is plain, unless the type says it is sealed.
func openPolkadotJSBody(enc []byte, password string, types []string, kdf scryptFunc) ([]byte, error) {
	sealed := slices.Contains(types, "xsalsa20-poly1305")
	if password == "" {
		if sealed {
			return nil, fmt.Errorf("%w: the export is encrypted", ErrNoPassword)
		}
		return bytes.Clone(enc), nil
	}
	var key [32]byte
	defer clear(key[:])
	if slices.Contains(types, "scrypt") {
		if len(enc) < 44 {
			return nil, ErrInvalidEncryption
		}
		salt := enc[:32]
		n := binary.LittleEndian.Uint32(enc[32:36])
		p := binary.LittleEndian.Uint32(enc[36:40])
		r := binary.LittleEndian.Uint32(enc[40:44])
		if n < 2 || n&(n-1) != 0 || p < 1 || r < 1 {
			return nil, fmt.Errorf("%w: scrypt parameters N=%d r=%d p=%d", ErrInvalidEncryption, n, r, p)
		}
		if n > maxScryptN || r > maxScryptR || p > maxScryptP || uint64(n)*uint64(r) > maxScryptNR {
			return nil, fmt.Errorf("%w: scrypt N=%d r=%d p=%d (at most N=%d, r=%d, p=%d, 128·N·r ≤ 128 MiB)",
				ErrKDFCost, n, r, p, maxScryptN, maxScryptR, maxScryptP)
		}
		k, err := kdf([]byte(password), salt, int(n), int(r), int(p), 32)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidEncryption, err)
		}
		copy(key[:], k)
		clear(k)
		enc = enc[44:]
	} else {
		// Without scrypt the key is the password, zero-padded or cut to
		// 32 bytes (u8aFixLength(password, 256, true)).
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
	return plain, nil
}

// decodePolkadotJSPair is @polkadot/keyring's decodePair: header, then
// either a 64-byte secret and the divider (generation 3) or a 32-byte seed
// and the divider (generations 1 and 2), then the 32-byte public key, which
// the key must reproduce.
func decodePolkadotJSPair(plain []byte, scheme Scheme) (*Keypair, error) {
	h := len(pkcs8Header)
	if len(plain) < h || !bytes.Equal(plain[:h], pkcs8Header) {
		return nil, fmt.Errorf("%w: bad PKCS8 header", ErrDeserialization)
	}
	secLen := 64
	if !hasAt(plain, h+64, pkcs8Divider) {
		secLen = 32
		if !hasAt(plain, h+32, pkcs8Divider) {
			return nil, fmt.Errorf("%w: bad PKCS8 divider", ErrDeserialization)
		}
	}
	pubOff := h + secLen + len(pkcs8Divider)
	if len(plain) < pubOff+32 {
		return nil, fmt.Errorf("%w: truncated public key", ErrDeserialization)
	}
	sec := plain[h : h+secLen]
	var kp *Keypair
	var err error
	switch {
	case secLen == 32:
		kp, err = FromSeedScheme(sec, scheme)
	case scheme == Ed25519:
		// tweetnacl's secret key: seed ‖ public key.
		kp, err = FromSeedScheme(sec[:32], Ed25519)
	default:
		var s64 [64]byte
		copy(s64[:], sec)
		kp, err = FromPolkadotJSSecret(s64)
		clear(s64[:])
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDeserialization, err)
	}
	if !bytes.Equal(kp.public[:], plain[pubOff:pubOff+32]) {
		kp.Zero()
		return nil, fmt.Errorf("%w: embedded public key", ErrKeyMismatch)
	}
	return kp, nil
}

// hasAt reports whether b holds want at offset off.
func hasAt(b []byte, off int, want []byte) bool {
	return len(b) >= off+len(want) && bytes.Equal(b[off:off+len(want)], want)
}
