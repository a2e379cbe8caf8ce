package wallet

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/scrypt"
)

// namedErrors are the package's sentinels. Every error the fuzzed
// functions return must wrap one.
var namedErrors = []error{
	ErrBadBase58, ErrBadLength, ErrInvalidPrefix, ErrInvalidChecksum, ErrFormatNotAllowed,
	ErrInvalidPhrase, ErrInvalidSeed, ErrInvalidSeedLength, ErrInvalidPath, ErrInvalidPassword,
	ErrSoftKeyInPath, ErrInvalidSecretKey, ErrNoSecret, ErrInvalidHex, ErrUnsupportedScheme,
	ErrInvalidSignature, ErrWrongPassword, ErrInvalidEncryption, ErrDeserialization, ErrKeyMismatch,
	ErrUnencryptedColdkey, ErrNoPassword, ErrFileNotFound, ErrFileExists, ErrInvalidName,
	ErrNotRegularFile, ErrKeyfileTooLarge, ErrKDFCost, ErrNilArgument,
}

func isNamed(err error) bool {
	for _, e := range namedErrors {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// sameKey fails t unless a and b are the same key with the same secrets.
func sameKey(t *testing.T, what string, a, b *Keypair) {
	t.Helper()
	if a.Scheme() != b.Scheme() || a.AccountID() != b.AccountID() || a.HasSecret() != b.HasSecret() {
		t.Fatalf("%s: %v vs %v", what, a, b)
	}
	pa, _ := a.PrivateKey()
	pb, _ := b.PrivateKey()
	if pa != pb {
		t.Fatalf("%s: private keys differ", what)
	}
}

// fuzzScrypt runs the real scrypt for cheap parameters (what the fuzz seeds
// use) and a hash otherwise, so that no execution pays a real export's
// cost (N=2^15 to 2^17) while the bounds are still exercised.
func fuzzScrypt(password, salt []byte, n, r, p, keyLen int) ([]byte, error) {
	if n*r*p <= 1<<10 {
		return scrypt.Key(password, salt, n, r, p, keyLen)
	}
	h := sha256.Sum256(append(append([]byte(nil), password...), salt...))
	return h[:keyLen], nil
}

// FuzzFromPolkadotJSON: no input panics; every error is a named one and
// comes without a key; a key that opens is a pair that round-trips through
// polkadot.js's encoding, unencrypted and sealed.
func FuzzFromPolkadotJSON(f *testing.F) {
	v := loadPJSVectors(f)
	for _, s := range []struct {
		data []byte
		pw   string
	}{
		{[]byte(polkadotExport), "Password123"},
		{v.SR25519None, ""},
		{v.Ed25519None, ""},
		{v.SR25519SeedNone, ""},
		{v.Ed25519Scrypt, "dtao-pw"},
		{v.SR25519None, "pw"},
	} {
		f.Add(s.data, s.pw)
	}
	for _, uri := range []string{"//Alice", "//Bob/soft"} {
		for _, scheme := range []Scheme{SR25519, Ed25519} {
			kp, err := FromURIScheme(uri, scheme)
			if err != nil {
				continue // ed25519 takes no soft junction
			}
			f.Add(encodePJS(f, kp, "pw", 1<<4, 8, 1), "pw")
			f.Add(encodePJS(f, kp, "", 0, 0, 0), "")
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, pw string) {
		kp, err := fromPolkadotJSON(data, pw, fuzzScrypt)
		if err != nil {
			if kp != nil || !isNamed(err) {
				t.Fatalf("error %v (key %v) is not a named error", err, kp)
			}
			return
		}
		if !kp.HasSecret() {
			t.Fatalf("opened without a secret: %v", kp)
		}
		for _, p := range []string{"", "pw"} {
			back, err := fromPolkadotJSON(encodePJS(t, kp, p, 1<<4, 2, 1), p, fuzzScrypt)
			if err != nil {
				t.Fatalf("re-encoded export (password %q): %v", p, err)
			}
			sameKey(t, "polkadot.js round trip", kp, back)
		}
		kp.Zero()
	})
}

// Low costs for FuzzReadKeyfile: each execution must stay cheap, and the
// fixtures' real-cost ciphertexts then fail as a wrong password would.
var fuzzNaCl = kdfCost{time: 1, memory: 8}

// FuzzReadKeyfile fuzzes openKeyfileData, ReadKeyfile's parser after the
// file is read: no input panics; every error is named and comes without a
// key; the encryption reported is DetectEncryption's; without a password
// an encrypted input is ErrNoPassword; a key that loads round-trips
// through MarshalKeyfile/UnmarshalKeyfile and through $NACL.
func FuzzReadKeyfile(f *testing.F) {
	blob, err := hex.DecodeString(strings.TrimSpace(string(readFixture(f, "nacl_fixed_nonce.hex"))))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(blob)
	f.Add(readFixture(f, "ansible_vault.txt"))
	f.Add(readFixture(f, "fernet.txt"))
	f.Add([]byte(fixturePlaintext))
	f.Add([]byte("0x" + aliceHex + "\n"))
	f.Add([]byte(`{"accountId": "0x` + aliceHex + `", "publicKey": "0x` + aliceHex + `", "privateKey": "0x` +
		secretVectors[1].private + `", "secretPhrase": null, "secretSeed": null, "ss58Address": "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}`))
	f.Add([]byte(`{"secretSeed":"0x12345678901234567890123456789012"}`))
	for _, v := range secretVectors {
		kp, err := FromURI(v.uri)
		if err != nil {
			f.Fatal(err)
		}
		data, err := MarshalKeyfile(kp)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		enc, err := encryptNaClCost(data, []byte("pw"), fuzzNaCl)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc)
	}
	mnemonic, err := FromMnemonic(secretVectors[2].uri, "")
	if err != nil {
		f.Fatal(err)
	}
	data, err := MarshalKeyfile(mnemonic)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)

	withPW := options{password: Password("pw")}
	open := func(data []byte, o options) (*Keypair, Encryption, error) {
		return openKeyfileData("fuzz", data, o, fuzzNaCl, 1, 1)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		kp, enc, err := open(data, withPW)
		if enc != DetectEncryption(data) {
			t.Fatalf("encryption %v, DetectEncryption says %v", enc, DetectEncryption(data))
		}
		_, _, errNoPW := open(data, options{})
		if enc != Plaintext && !errors.Is(errNoPW, ErrNoPassword) {
			t.Fatalf("encrypted input without a password: %v", errNoPW)
		}
		if err != nil {
			if kp != nil || !isNamed(err) {
				t.Fatalf("error %v (key %v) is not a named error", err, kp)
			}
			return
		}
		out, err := MarshalKeyfile(kp)
		if err != nil {
			t.Fatalf("loaded key does not marshal: %v", err)
		}
		back, err := UnmarshalKeyfile(out)
		if err != nil {
			t.Fatalf("marshalled key does not load: %v\n%s", err, out)
		}
		sameKey(t, "keyfile round trip", kp, back)
		s1, ok1 := kp.Seed()
		s2, ok2 := back.Seed()
		m1, okm1 := kp.Mnemonic()
		m2, okm2 := back.Mnemonic()
		if s1 != s2 || ok1 != ok2 || m1 != m2 || okm1 != okm2 {
			t.Fatalf("seed or mnemonic lost in the round trip")
		}
		sealed, err := encryptNaClCost(out, []byte("pw"), fuzzNaCl)
		if err != nil {
			t.Fatal(err)
		}
		again, enc, err := open(sealed, withPW)
		if err != nil || enc != NaCl {
			t.Fatalf("sealed key does not open: %v (%v)", err, enc)
		}
		sameKey(t, "$NACL round trip", kp, again)
	})
}
