package wallet

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// Encryption names how keyfile data is stored, told apart by its first
// bytes as btwallet's keyfile_data_encryption_method does.
type Encryption uint8

const (
	// Plaintext is unencrypted keyfile JSON (or a legacy "0x<hex>" public key).
	Plaintext Encryption = iota
	// NaCl is "$NACL": argon2i + XSalsa20-Poly1305, the current format.
	NaCl
	// AnsibleVault is "$ANSIBLE_VAULT": wallets from before 2023.
	AnsibleVault
	// Fernet is "gAAAAA": the oldest ("legacy") wallets.
	Fernet
)

// String returns btwallet's name for the method.
func (e Encryption) String() string {
	switch e {
	case NaCl:
		return "NaCl"
	case AnsibleVault:
		return "Ansible Vault"
	case Fernet:
		return "legacy"
	}
	return "unencrypted"
}

// DetectEncryption returns the encryption of keyfile data.
func DetectEncryption(data []byte) Encryption {
	switch {
	case bytes.HasPrefix(data, []byte("$NACL")):
		return NaCl
	case bytes.HasPrefix(data, []byte("$ANSIBLE_VAULT")):
		return AnsibleVault
	case bytes.HasPrefix(data, []byte("gAAAAA")):
		return Fernet
	}
	return Plaintext
}

// DecryptKeyfileData decrypts keyfile data in any of the three encrypted
// formats; plaintext data is returned as is. A wrong password is
// ErrWrongPassword and never yields data.
func DecryptKeyfileData(data, password []byte) ([]byte, error) {
	return decryptKeyfileDataCost(data, password, naclCost, fernetIterations, vaultIterations)
}

func decryptKeyfileDataCost(data, password []byte, nacl kdfCost, fernetIters, vaultIters int) ([]byte, error) {
	switch DetectEncryption(data) {
	case NaCl:
		return decryptNaClCost(data, password, nacl)
	case AnsibleVault:
		return decryptAnsibleVaultIter(data, password, vaultIters)
	case Fernet:
		return decryptFernetIter(data, password, fernetIters)
	}
	return bytes.Clone(data), nil
}

// keyfileFields is the order in which MarshalKeyfile writes the fields: the
// old Python writer's order. btwallet writes the same keys in a random
// order (a Rust HashMap); readers must not care.
var keyfileFields = [...]string{"accountId", "publicKey", "privateKey", "secretPhrase", "secretSeed", "ss58Address"}

// MarshalKeyfile returns kp as keyfile JSON (compact, fixed field order,
// absent fields omitted; btwallet's current shape). The result holds the
// secret: encrypt it, or write it only where that is intended, and clear it
// after use. A public-only keypair gives the pub-file form. Only sr25519
// keys can be stored: btwallet refuses any other crypto type. A nil kp is
// ErrNilArgument.
func MarshalKeyfile(kp *Keypair) ([]byte, error) {
	if kp == nil {
		return nil, fmt.Errorf("%w: MarshalKeyfile: nil *Keypair", ErrNilArgument)
	}
	if kp.scheme != SR25519 {
		return nil, fmt.Errorf("%w: keyfiles hold sr25519 keys only, not %v", ErrUnsupportedScheme, kp.scheme)
	}
	vals := map[string]string{
		"accountId":   kp.PublicKeyHex(),
		"publicKey":   kp.PublicKeyHex(),
		"ss58Address": kp.Address(),
	}
	if kp.ref != nil {
		priv, _ := kp.PrivateKey()
		vals["privateKey"] = "0x" + hex.EncodeToString(priv[:])
		clear(priv[:])
		if seed, ok := kp.Seed(); ok {
			vals["secretSeed"] = "0x" + hex.EncodeToString(seed[:])
		}
		if kp.sk().phrase != nil {
			vals["secretPhrase"] = string(kp.sk().phrase)
		}
	}
	return marshalFields(vals), nil
}

// MarshalPublicKeyfile returns the pub-file form (coldkeypub.txt,
// hotkeys/NAMEpub.txt): accountId, publicKey and ss58Address only. A nil
// kp is ErrNilArgument.
func MarshalPublicKeyfile(kp *Keypair) ([]byte, error) {
	if kp == nil {
		return nil, fmt.Errorf("%w: MarshalPublicKeyfile: nil *Keypair", ErrNilArgument)
	}
	return marshalFields(map[string]string{
		"accountId":   kp.PublicKeyHex(),
		"publicKey":   kp.PublicKeyHex(),
		"ss58Address": kp.Address(),
	}), nil
}

func marshalFields(vals map[string]string) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for _, k := range keyfileFields {
		v, ok := vals[k]
		if !ok {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		ks, _ := json.Marshal(k) // strings always marshal
		vs, _ := json.Marshal(v)
		b.Write(ks)
		b.WriteByte(':')
		b.Write(vs)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// UnmarshalKeyfile parses decrypted keyfile data. It accepts both writers'
// JSON (any key order and whitespace, null or absent fields) and the old
// Python form holding only "0x<hex public key>". It loads the strongest
// secret (secretPhrase, then secretSeed, then privateKey, as btwallet), then
// checks that every other field present describes the same key: a mismatch
// is ErrKeyMismatch. Without a secret the result is public-only (from
// publicKey, accountId or ss58Address).
func UnmarshalKeyfile(data []byte) (*Keypair, error) {
	trimmed := bytes.TrimSpace(data)
	if bytes.HasPrefix(trimmed, []byte("0x")) {
		id, err := ParseAccountID(string(trimmed))
		if err != nil {
			return nil, ErrDeserialization
		}
		return FromAccountID(id, SR25519), nil
	}
	var fields map[string]*string
	if err := json.Unmarshal(trimmed, &fields); err != nil || fields == nil {
		return nil, ErrDeserialization
	}
	get := func(k string) (string, bool) {
		v := fields[k]
		if v == nil {
			return "", false
		}
		return *v, true
	}
	var kp *Keypair
	var err error
	phrase, hasPhrase := get("secretPhrase")
	seedText, hasSeed := get("secretSeed")
	privText, hasPriv := get("privateKey")
	switch {
	case hasPhrase:
		kp, err = FromMnemonic(phrase, "")
	case hasSeed:
		var seed []byte
		seed, err = decodeKeyfileSeed(seedText)
		if err == nil {
			kp, err = FromSeed(seed)
			clear(seed)
		}
	case hasPriv:
		var priv []byte
		priv, err = decodeHex0x(privText)
		if err == nil {
			kp, err = FromPrivateKey(priv)
			clear(priv)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDeserialization, err)
	}
	if kp == nil {
		kp, err = publicFromFields(get)
		if err != nil {
			return nil, err
		}
	}
	if err := checkConsistent(kp, get); err != nil {
		kp.Zero()
		return nil, err
	}
	return kp, nil
}

// publicFromFields builds a public-only key from publicKey, accountId or
// ss58Address (the first present).
func publicFromFields(get func(string) (string, bool)) (*Keypair, error) {
	for _, k := range []string{"publicKey", "accountId", "ss58Address"} {
		if v, ok := get(k); ok {
			id, err := ParseAccountID(v)
			if err != nil {
				return nil, fmt.Errorf("%w: %s: %w", ErrDeserialization, k, err)
			}
			return FromAccountID(id, SR25519), nil
		}
	}
	return nil, fmt.Errorf("%w: no key in keyfile", ErrDeserialization)
}

// checkConsistent verifies that every field present agrees with kp.
func checkConsistent(kp *Keypair, get func(string) (string, bool)) error {
	for _, k := range []string{"publicKey", "accountId", "ss58Address"} {
		v, ok := get(k)
		if !ok {
			continue
		}
		id, err := ParseAccountID(v)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrDeserialization, k, err)
		}
		if id != kp.public {
			return fmt.Errorf("%w: %s", ErrKeyMismatch, k)
		}
	}
	if v, ok := get("secretSeed"); ok && kp.ref != nil {
		seed, err := decodeKeyfileSeed(v)
		if err != nil {
			return fmt.Errorf("%w: secretSeed: %w", ErrDeserialization, err)
		}
		other, err := FromSeed(seed)
		clear(seed)
		if err != nil || other.public != kp.public {
			return fmt.Errorf("%w: secretSeed", ErrKeyMismatch)
		}
		other.Zero()
	}
	if v, ok := get("privateKey"); ok && kp.ref != nil {
		priv, err := decodeHex0x(v)
		if err != nil {
			return fmt.Errorf("%w: privateKey: %w", ErrDeserialization, err)
		}
		other, err := FromPrivateKey(priv)
		clear(priv)
		if err != nil || other.public != kp.public {
			return fmt.Errorf("%w: privateKey", ErrKeyMismatch)
		}
		other.Zero()
	}
	return nil
}

// decodeHex0x decodes hex with an optional "0x".
func decodeHex0x(s string) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		return nil, ErrInvalidHex
	}
	return b, nil
}

// decodeKeyfileSeed decodes secretSeed: "0x" + 64 hex digits, or (btwallet
// quirk: it writes the seed bytes themselves when they happen to be valid
// UTF-8) "0x" + 32 raw bytes.
func decodeKeyfileSeed(s string) ([]byte, error) {
	b, err := decodeHex0x(s)
	if err == nil && len(b) == 32 {
		return b, nil
	}
	if raw, ok := strings.CutPrefix(s, "0x"); ok && len(raw) == 32 {
		return []byte(raw), nil
	}
	if err != nil {
		return nil, err
	}
	return nil, ErrInvalidSeed
}
