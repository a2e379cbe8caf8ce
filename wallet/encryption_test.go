package wallet

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/nacl/secretbox"
	"pgregory.net/rapid"
)

const (
	fixturePassword  = "testing123!"
	fixturePlaintext = `{"ss58Address": "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}`
	aliceHex         = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// TestNaClKeyVectors checks the documented argon2i parameters against the
// spec's two key vectors (real cost: 512 MiB, memoized for the binary).
func TestNaClKeyVectors(t *testing.T) {
	t.Parallel()
	for pw, want := range map[string]string{
		fixturePassword: "4d45aaf6a0321801d5354e20b817756bf7a3d7b39308b6eb6a42955e0cfe7d5e",
		"":              "08719a8b7abb472eb87b85f7d0e2f899664dce735b3d0108ad86b5e4ba608495",
	} {
		key := naclKeyCost([]byte(pw), naclRealCost)
		assert.Equal(t, want, hex.EncodeToString(key[:]), "password %q", pw)
	}
}

// TestNaClFixture: the PyNaCl blob with nonce 00..17 decrypts to the
// documented keyfile, and sealing the same plaintext with the same nonce
// reproduces it byte for byte.
func TestNaClFixture(t *testing.T) {
	t.Parallel()
	blob, err := hex.DecodeString(strings.TrimSpace(string(readFixture(t, "nacl_fixed_nonce.hex"))))
	require.NoError(t, err)
	require.Len(t, blob, 112)
	assert.Equal(t, NaCl, DetectEncryption(blob))

	plain, err := decryptKeyfileDataCost(blob, []byte(fixturePassword), naclRealCost, realFernetIterations, vaultIterations)
	require.NoError(t, err)
	assert.Equal(t, fixturePlaintext, string(plain))
	kp, err := UnmarshalKeyfile(plain)
	require.NoError(t, err)
	assert.Equal(t, aliceHex, strings.TrimPrefix(kp.PublicKeyHex(), "0x"))
	assert.False(t, kp.HasSecret())

	key := naclKeyCost([]byte(fixturePassword), naclRealCost)
	var nonce [24]byte
	for i := range nonce {
		nonce[i] = byte(i)
	}
	assert.Equal(t, blob, sealNaCl([]byte(fixturePlaintext), &key, &nonce))
}

// TestNaClWrittenByDtao: what EncryptNaCl writes opens with secretbox under
// the spec's key vector, i.e. with the documented parameters (and so with
// PyNaCl and btwallet).
func TestNaClWrittenByDtao(t *testing.T) {
	t.Parallel()
	blob, err := encryptNaClCost([]byte(fixturePlaintext), []byte(fixturePassword), naclRealCost)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(blob), "$NACL"))
	require.Len(t, blob, 5+24+16+len(fixturePlaintext))
	var key [32]byte
	copy(key[:], unhex(t, "4d45aaf6a0321801d5354e20b817756bf7a3d7b39308b6eb6a42955e0cfe7d5e"))
	var nonce [24]byte
	copy(nonce[:], blob[5:29])
	plain, ok := secretbox.Open(nil, blob[29:], &nonce, &key)
	require.True(t, ok)
	assert.Equal(t, fixturePlaintext, string(plain))
}

func TestNaClWrongPassword(t *testing.T) {
	blob, err := EncryptNaCl([]byte(fixturePlaintext), []byte("right"))
	require.NoError(t, err)
	plain, err := DecryptNaCl(blob, []byte("wrong"))
	assert.ErrorIs(t, err, ErrWrongPassword)
	assert.Nil(t, plain)
	got, err := DecryptNaCl(blob, []byte("right"))
	require.NoError(t, err)
	assert.Equal(t, fixturePlaintext, string(got))

	// Tampering is caught like a wrong password.
	blob[len(blob)-1] ^= 1
	_, err = DecryptNaCl(blob, []byte("right"))
	assert.ErrorIs(t, err, ErrWrongPassword)
	_, err = DecryptNaCl([]byte("$NACL short"), []byte("right"))
	assert.ErrorIs(t, err, ErrInvalidEncryption)
}

func TestAnsibleVaultFixture(t *testing.T) {
	blob := readFixture(t, "ansible_vault.txt")
	assert.Equal(t, AnsibleVault, DetectEncryption(blob))
	plain, err := DecryptKeyfileData(blob, []byte(fixturePassword))
	require.NoError(t, err)
	assert.Equal(t, fixturePlaintext, string(plain))

	_, err = DecryptKeyfileData(blob, []byte("testing124!"))
	assert.ErrorIs(t, err, ErrWrongPassword)
	_, err = DecryptAnsibleVault([]byte("$ANSIBLE_VAULT;1.1;AES256\nzz"), []byte("x"))
	assert.ErrorIs(t, err, ErrInvalidEncryption)
}

func TestFernetFixture(t *testing.T) {
	t.Parallel()
	key, err := fernetKeyIter([]byte(fixturePassword), realFernetIterations)
	require.NoError(t, err)
	assert.Equal(t, "Z6mv1lBoPG4mow-0lIHEmhNWCly-ZT-xZBvcF86eMWI=", base64.URLEncoding.EncodeToString(key[:]))

	blob := readFixture(t, "fernet.txt")
	assert.Equal(t, Fernet, DetectEncryption(blob))
	plain, err := decryptKeyfileDataCost(blob, []byte(fixturePassword), naclRealCost, realFernetIterations, vaultIterations)
	require.NoError(t, err)
	assert.Equal(t, fixturePlaintext, string(plain))
}

// fernetToken builds a Fernet token the way Python's cryptography does,
// for wrong-password and tampering tests at the low test cost.
func fernetToken(t *testing.T, key [32]byte, iv [16]byte, plain []byte) []byte {
	t.Helper()
	pad := 16 - len(plain)%16
	padded := append(append([]byte(nil), plain...), make([]byte, pad)...)
	for i := len(plain); i < len(padded); i++ {
		padded[i] = byte(pad)
	}
	block, err := aes.NewCipher(key[16:])
	require.NoError(t, err)
	ct := make([]byte, len(padded))
	cipher.NewCBCEncrypter(block, iv[:]).CryptBlocks(ct, padded)
	body := append([]byte{0x80, 0, 0, 0, 0, 0x6b, 0x07, 0x70, 0xea}, iv[:]...)
	body = append(body, ct...)
	h := hmac.New(sha256.New, key[:16])
	h.Write(body)
	return []byte(base64.URLEncoding.EncodeToString(h.Sum(body)))
}

func TestFernetWrongPassword(t *testing.T) {
	key, err := FernetKey([]byte("right"))
	require.NoError(t, err)
	tok := fernetToken(t, key, [16]byte{1, 2, 3}, []byte(fixturePlaintext))
	require.Equal(t, Fernet, DetectEncryption(tok))
	plain, err := DecryptFernet(tok, []byte("right"))
	require.NoError(t, err)
	assert.Equal(t, fixturePlaintext, string(plain))
	_, err = DecryptFernet(tok, []byte("wrong"))
	assert.ErrorIs(t, err, ErrWrongPassword)
	_, err = DecryptFernet([]byte("gAAAAA!!"), []byte("right"))
	assert.ErrorIs(t, err, ErrInvalidEncryption)
}

func TestDetectEncryption(t *testing.T) {
	assert.Equal(t, Plaintext, DetectEncryption([]byte(fixturePlaintext)))
	assert.Equal(t, "NaCl", NaCl.String())
	assert.Equal(t, "Ansible Vault", AnsibleVault.String())
	assert.Equal(t, "legacy", Fernet.String())
	plain, err := DecryptKeyfileData([]byte(fixturePlaintext), nil)
	require.NoError(t, err)
	assert.Equal(t, fixturePlaintext, string(plain))
}

// Password from the environment: btwallet's variable name and XOR/base64
// obfuscation (spec/wallet.md §A1 vector).
func TestEnvPassword(t *testing.T) {
	name := EnvVarName("/home/ubuntu/.bittensor/wallets/default/coldkey")
	assert.Equal(t, "BT_PW__HOME_UBUNTU__BITTENSOR_WALLETS_DEFAULT_COLDKEY", name)
	assert.Equal(t, "NjEsJD4xOHl9fmQ=", EncodeEnvPassword(name, fixturePassword))
	pw, err := DecodeEnvPassword(name, "NjEsJD4xOHl9fmQ=")
	require.NoError(t, err)
	assert.Equal(t, fixturePassword, string(pw))

	t.Setenv(name, "NjEsJD4xOHl9fmQ=")
	pw, err = EnvPassword()("/home/ubuntu/.bittensor/wallets/default/coldkey")
	require.NoError(t, err)
	assert.Equal(t, fixturePassword, string(pw))
	_, err = EnvPassword()("/nowhere/coldkey")
	assert.ErrorIs(t, err, ErrNoPassword)

	t.Setenv("BT_COLD_PW_MY_WALLET", "plain")
	pw, err = LegacyEnvPassword("my-wallet")("")
	require.NoError(t, err)
	assert.Equal(t, "plain", string(pw))

	pw, err = FirstPassword(nil, EnvPassword(), Password("fallback"))("/nowhere/coldkey")
	require.NoError(t, err)
	assert.Equal(t, "fallback", string(pw))
}

// The specialised PBKDF2 agrees with crypto/pbkdf2 on random passwords
// (short and over the 64-byte HMAC block), salts and iteration counts.
func TestPBKDF2Differential(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pw := rapid.SliceOfN(rapid.Byte(), 0, 100).Draw(t, "pw")
		salt := rapid.SliceOfN(rapid.Byte(), 0, 70).Draw(t, "salt")
		iters := rapid.IntRange(1, 50).Draw(t, "iters")
		want, err := pbkdf2.Key(sha256.New, string(pw), salt, iters, 32)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pbkdf2SHA256Block(pw, salt, iters)
		if err != nil || string(got) != string(want) {
			t.Fatalf("%x vs %x (%v)", got, want, err)
		}
	})
	_, err := pbkdf2SHA256Block([]byte("x"), nil, 0)
	assert.Error(t, err)
}
