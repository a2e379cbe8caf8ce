package wallet

import (
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMarshalKeyfileShape(t *testing.T) {
	kp, err := FromMnemonic(secretVectors[2].uri, "")
	require.NoError(t, err)
	data, err := MarshalKeyfile(kp)
	require.NoError(t, err)
	want := `{"accountId":"0xe4359ad3e2716c539a1d663ebd0a51bdc5c98a12e663bb4c4402db47828c9446",` +
		`"publicKey":"0xe4359ad3e2716c539a1d663ebd0a51bdc5c98a12e663bb4c4402db47828c9446",` +
		`"privateKey":"0x` + secretVectors[2].private + `",` +
		`"secretPhrase":"` + secretVectors[2].uri + `",` +
		`"secretSeed":"0x` + secretVectors[2].seed + `",` +
		`"ss58Address":"5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX"}`
	assert.Equal(t, want, string(data))

	pub, err := MarshalPublicKeyfile(kp)
	require.NoError(t, err)
	var m map[string]string
	require.NoError(t, json.Unmarshal(pub, &m))
	assert.Len(t, m, 3)
	assert.Equal(t, "5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX", m["ss58Address"])

	// A URI key with a soft junction has neither seed nor phrase.
	soft, err := FromURI("//Bob/test")
	require.NoError(t, err)
	data, err = MarshalKeyfile(soft)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "secretSeed")
	assert.NotContains(t, string(data), "secretPhrase")
	assert.Contains(t, string(data), "5CJGwWiKXSE16WJaxBdPZhWqUYkotgenLUALv7ZvqQ4TXeqf")

	ed, err := FromURIScheme("//Alice", Ed25519)
	require.NoError(t, err)
	_, err = MarshalKeyfile(ed)
	assert.ErrorIs(t, err, ErrUnsupportedScheme)
	_, err = FromSeedScheme(make([]byte, 32), Scheme(7))
	assert.ErrorIs(t, err, ErrUnsupportedScheme)
}

// Every secret vector round-trips through the keyfile JSON, and each of the
// three secret fields alone reproduces the key.
func TestKeyfileRoundTripVectors(t *testing.T) {
	for _, v := range secretVectors {
		kp, err := FromURI(v.uri)
		require.NoError(t, err)
		data, err := MarshalKeyfile(kp)
		require.NoError(t, err)
		back, err := UnmarshalKeyfile(data)
		require.NoError(t, err, v.uri)
		assert.Equal(t, kp.AccountID(), back.AccountID())
		p1, _ := kp.PrivateKey()
		p2, _ := back.PrivateKey()
		assert.Equal(t, p1, p2)

		for _, field := range []string{
			`{"secretSeed":"0x` + v.seed + `"}`,
			`{"privateKey":"0x` + v.private + `"}`,
		} {
			k, err := UnmarshalKeyfile([]byte(field))
			require.NoError(t, err, field)
			assert.Equal(t, kp.AccountID(), k.AccountID(), field)
		}
	}
}

// The old Python writer: all six keys, nulls for missing ones, ", " and
// ": " separators; and its non-JSON "0x<public key>" keyfile.
func TestUnmarshalOldPythonShapes(t *testing.T) {
	old := `{"accountId": "0x` + aliceHex + `", "publicKey": "0x` + aliceHex + `", "privateKey": "0x` +
		secretVectors[1].private + `", "secretPhrase": null, "secretSeed": null, "ss58Address": "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}`
	kp, err := UnmarshalKeyfile([]byte(old))
	require.NoError(t, err)
	assert.True(t, kp.HasSecret())
	assert.Equal(t, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", kp.Address())
	_, hasSeed := kp.Seed()
	assert.False(t, hasSeed)

	kp, err = UnmarshalKeyfile([]byte("0x" + aliceHex + "\n"))
	require.NoError(t, err)
	assert.False(t, kp.HasSecret())
	assert.Equal(t, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", kp.Address())
}

func TestUnmarshalPrecedenceAndConsistency(t *testing.T) {
	leo := secretVectors[2]
	// btwallet's precedence: the phrase wins, and it must agree with the rest.
	kp, err := UnmarshalKeyfile([]byte(`{"secretPhrase":"` + leo.uri + `","secretSeed":"0x` + leo.seed + `"}`))
	require.NoError(t, err)
	m, ok := kp.Mnemonic()
	require.True(t, ok)
	assert.Equal(t, leo.uri, m)

	bad := []string{
		// seed of another key next to the phrase
		`{"secretPhrase":"` + leo.uri + `","secretSeed":"0x` + secretVectors[3].seed + `"}`,
		// private key of another key
		`{"secretSeed":"0x` + leo.seed + `","privateKey":"0x` + secretVectors[3].private + `"}`,
		// public key that is not the secret's
		`{"privateKey":"0x` + leo.private + `","publicKey":"0x` + aliceHex + `"}`,
		// address that is not the secret's
		`{"secretSeed":"0x` + leo.seed + `","ss58Address":"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}`,
		// pub file whose two fields disagree
		`{"publicKey":"0x` + aliceHex + `","ss58Address":"5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX"}`,
	}
	for _, b := range bad {
		_, err := UnmarshalKeyfile([]byte(b))
		assert.ErrorIs(t, err, ErrKeyMismatch, b)
	}
	for _, b := range []string{``, `[]`, `{"privateKey":"0xzz"}`, `{"privateKey":"0x00"}`, `{}`, `{"secretPhrase":"not a phrase"}`, `{"ss58Address":"blabla"}`, `{"publicKey":1}`} {
		_, err := UnmarshalKeyfile([]byte(b))
		assert.ErrorIs(t, err, ErrDeserialization, b)
	}
	// A non-canonical scalar is refused (sp-core's SecretKey::from_bytes).
	nonCanonical := strings.Repeat("ff", 32) + strings.Repeat("00", 32)
	_, err = UnmarshalKeyfile([]byte(`{"privateKey":"0x` + nonCanonical + `"}`))
	assert.ErrorIs(t, err, ErrInvalidSecretKey)
}

// btwallet writes secretSeed as "0x" + the raw seed bytes when they happen
// to be valid UTF-8; such a file is read back.
func TestUnmarshalUTF8SeedQuirk(t *testing.T) {
	seed := "12345678901234567890123456789012"
	kp, err := UnmarshalKeyfile([]byte(`{"secretSeed":"0x` + seed + `"}`))
	require.NoError(t, err)
	id := kp.AccountID()
	assert.Equal(t, "741c08a06f41c596608f6774259bd9043304adfa5d3eea62760bd9be97634d63", hex.EncodeToString(id[:]))
}
