package wallet

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/hex"
)

// vaultHeader is the first line of an Ansible Vault 1.1 file.
const vaultHeader = "$ANSIBLE_VAULT;1.1;AES256"

// vaultIterations is Ansible Vault's PBKDF2-HMAC-SHA256 iteration count.
const vaultIterations = 10000

// DecryptAnsibleVault opens an Ansible Vault 1.1 (AES256) keyfile, the
// format of wallets written before the 2023 switch to $NACL. The body is
// hex of "hex(salt)\nhex(hmac)\nhex(ciphertext)"; PBKDF2-HMAC-SHA256
// (password, salt, 10000, 80 bytes) gives the AES-256 key, the HMAC key
// and the CTR counter block; the plaintext is PKCS#7-padded. A bad HMAC or
// padding is ErrWrongPassword, a malformed container ErrInvalidEncryption.
func DecryptAnsibleVault(data, password []byte) ([]byte, error) {
	return decryptAnsibleVaultIter(data, password, vaultIterations)
}

// decryptAnsibleVaultIter is DecryptAnsibleVault with another PBKDF2
// iteration count (the package's fuzz target lowers it).
func decryptAnsibleVaultIter(data, password []byte, iterations int) ([]byte, error) {
	first, body, _ := bytes.Cut(data, []byte("\n"))
	// The header may carry a vault id as a fourth field (1.2); 1.1 has none.
	if !bytes.HasPrefix(bytes.TrimSpace(first), []byte(vaultHeader)) {
		return nil, ErrInvalidEncryption
	}
	hexBody := make([]byte, 0, len(body))
	for _, c := range body {
		if c != '\n' && c != '\r' && c != ' ' && c != '\t' {
			hexBody = append(hexBody, c)
		}
	}
	inner := make([]byte, hex.DecodedLen(len(hexBody)))
	if _, err := hex.Decode(inner, hexBody); err != nil {
		return nil, ErrInvalidEncryption
	}
	parts := bytes.Split(inner, []byte("\n"))
	if len(parts) != 3 {
		return nil, ErrInvalidEncryption
	}
	var fields [3][]byte
	for i, p := range parts {
		f := make([]byte, hex.DecodedLen(len(p)))
		if _, err := hex.Decode(f, p); err != nil {
			return nil, ErrInvalidEncryption
		}
		fields[i] = f
	}
	salt, mac, ct := fields[0], fields[1], fields[2]
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 || len(mac) != sha256.Size {
		return nil, ErrInvalidEncryption
	}
	keys, err := pbkdf2.Key(sha256.New, string(password), salt, iterations, 80)
	if err != nil {
		return nil, err
	}
	defer clear(keys)
	h := hmac.New(sha256.New, keys[32:64])
	h.Write(ct)
	if !hmac.Equal(h.Sum(nil), mac) {
		return nil, ErrWrongPassword
	}
	block, err := aes.NewCipher(keys[:32])
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(ct))
	cipher.NewCTR(block, keys[64:80]).XORKeyStream(plain, ct)
	out, ok := unpadPKCS7(plain)
	if !ok {
		clear(plain)
		return nil, ErrWrongPassword
	}
	return out, nil
}

// unpadPKCS7 strips PKCS#7 padding to 16-byte blocks.
func unpadPKCS7(b []byte) ([]byte, bool) {
	if len(b) == 0 || len(b)%aes.BlockSize != 0 {
		return nil, false
	}
	n := int(b[len(b)-1])
	if n == 0 || n > aes.BlockSize {
		return nil, false
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, false
		}
	}
	return b[:len(b)-n], true
}
