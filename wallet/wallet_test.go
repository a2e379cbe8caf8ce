package wallet

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewDefaults(t *testing.T) {
	t.Setenv("HOME", "/home/ubuntu")
	w, err := New("", "", "")
	require.NoError(t, err)
	assert.Equal(t, "default", w.Name)
	assert.Equal(t, "default", w.HotkeyName)
	assert.Equal(t, "/home/ubuntu/.bittensor/wallets/default/coldkey", w.ColdkeyPath())
	assert.Equal(t, "/home/ubuntu/.bittensor/wallets/default/coldkeypub.txt", w.ColdkeypubPath())
	assert.Equal(t, "/home/ubuntu/.bittensor/wallets/default/hotkeys/default", w.HotkeyPath())
	assert.Equal(t, "/home/ubuntu/.bittensor/wallets/default/hotkeys/defaultpub.txt", w.HotkeypubPath())
	assert.Equal(t, "BT_PW__HOME_UBUNTU__BITTENSOR_WALLETS_DEFAULT_COLDKEY", EnvVarName(w.ColdkeyPath()))

	t.Setenv("BT_WALLET_NAME", "cold")
	t.Setenv("BT_WALLET_HOTKEY", "hot")
	t.Setenv("BT_WALLET_PATH", "/tmp/w")
	w, err = FromEnv()
	require.NoError(t, err)
	assert.Equal(t, "/tmp/w/cold/hotkeys/hot", w.HotkeyPath())

	for _, bad := range []string{"..", ".", "a/b", `a\b`} {
		_, err := New(bad, "", "/tmp")
		assert.ErrorIs(t, err, ErrInvalidName, bad)
		_, err = New("", bad, "/tmp")
		assert.ErrorIs(t, err, ErrInvalidName, bad)
	}
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	require.NoError(t, err)
	return st.Mode().Perm()
}

func TestWalletCreateLoad(t *testing.T) {
	dir := t.TempDir()
	w, err := New("cold", "hot", dir)
	require.NoError(t, err)
	pw := WithPassword(Password("pw"))

	// A coldkey is never written in the clear by accident.
	_, err = w.CreateColdkey(DefaultWords)
	assert.ErrorIs(t, err, ErrUnencryptedColdkey)
	assert.NoFileExists(t, w.ColdkeyPath())

	phrase, err := w.CreateColdkey(DefaultWords, pw)
	require.NoError(t, err)
	require.NoError(t, ValidateMnemonic(phrase))
	hotPhrase, err := w.CreateHotkey(15)
	require.NoError(t, err)

	for _, p := range []string{w.ColdkeyPath(), w.ColdkeypubPath(), w.HotkeyPath(), w.HotkeypubPath()} {
		assert.Equal(t, os.FileMode(0o600), mode(t, p), p)
	}
	raw, err := os.ReadFile(w.ColdkeyPath())
	require.NoError(t, err)
	assert.Equal(t, NaCl, DetectEncryption(raw))
	raw, err = os.ReadFile(w.HotkeyPath())
	require.NoError(t, err)
	assert.Equal(t, Plaintext, DetectEncryption(raw))

	want, err := FromMnemonic(phrase, "")
	require.NoError(t, err)
	cold, err := w.Coldkey(pw)
	require.NoError(t, err)
	assert.Equal(t, want.Address(), cold.Address())
	m, _ := cold.Mnemonic()
	assert.Equal(t, phrase, m)
	pub, err := w.Coldkeypub()
	require.NoError(t, err)
	assert.Equal(t, want.AccountID(), pub.AccountID())
	assert.False(t, pub.HasSecret())

	_, err = w.Coldkey()
	assert.ErrorIs(t, err, ErrNoPassword)
	_, err = w.Coldkey(WithPassword(Password("wrong")))
	assert.ErrorIs(t, err, ErrWrongPassword)

	wantHot, err := FromMnemonic(hotPhrase, "")
	require.NoError(t, err)
	hot, err := w.Hotkey()
	require.NoError(t, err)
	assert.Equal(t, wantHot.Address(), hot.Address())
	hp, err := w.Hotkeypub()
	require.NoError(t, err)
	assert.Equal(t, wantHot.AccountID(), hp.AccountID())

	// No overwrite without Overwrite, and a refused call changes nothing.
	before, err := os.ReadFile(w.ColdkeypubPath())
	require.NoError(t, err)
	other, err := FromURI("//Alice")
	require.NoError(t, err)
	assert.ErrorIs(t, w.SetColdkey(other, pw), ErrFileExists)
	after, err := os.ReadFile(w.ColdkeypubPath())
	require.NoError(t, err)
	assert.Equal(t, before, after)
	require.NoError(t, w.SetColdkey(other, pw, Overwrite()))
	pub, err = w.Coldkeypub()
	require.NoError(t, err)
	assert.Equal(t, other.Address(), pub.Address())

	names, err := ListWallets(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"cold"}, names)
	hk, err := w.ListHotkeys()
	require.NoError(t, err)
	assert.Equal(t, []string{"hot"}, hk)
}

func TestUnencryptedColdkeyOptIn(t *testing.T) {
	w, err := New("c", "h", t.TempDir())
	require.NoError(t, err)
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	require.NoError(t, w.SetColdkey(alice, AllowUnencryptedColdkey()))
	_, err = w.Coldkey()
	assert.ErrorIs(t, err, ErrUnencryptedColdkey)
	kp, err := w.Coldkey(AllowUnencryptedColdkey())
	require.NoError(t, err)
	assert.Equal(t, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", kp.Address())
}

// A machine holding only coldkeypub.txt (validators, miners) reads it,
// verifies signatures against it, and reports the missing secret clearly.
func TestPubOnlyWallet(t *testing.T) {
	w, err := New("pubonly", "h", t.TempDir())
	require.NoError(t, err)
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	require.NoError(t, w.SetColdkeypub(alice))
	pub, err := w.Coldkeypub()
	require.NoError(t, err)
	assert.Equal(t, alice.Address(), pub.Address())
	sig, err := alice.Sign([]byte("msg"))
	require.NoError(t, err)
	assert.True(t, pub.Verify([]byte("msg"), sig[:]))
	_, err = pub.Sign([]byte("msg"))
	assert.ErrorIs(t, err, ErrNoSecret)
	_, err = w.Coldkey(WithPassword(Password("x")))
	assert.ErrorIs(t, err, ErrFileNotFound)
}

// btcli's listing: NAMEpub.txt counts as NAME, a pub-only hotkey is listed.
func TestListHotkeys(t *testing.T) {
	w, err := New("c", "a", t.TempDir())
	require.NoError(t, err)
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	require.NoError(t, w.SetHotkey(alice))
	w.HotkeyName = "b"
	require.NoError(t, w.SetHotkeypub(alice))
	w.HotkeyName = "c"
	require.NoError(t, WriteKeyfile(w.HotkeyPath(), alice)) // old wallet: no pub file
	hk, err := w.ListHotkeys()
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c"}, hk)
	// Hotkeypub falls back to the hotkey file when the pub file is missing.
	pub, err := w.Hotkeypub()
	require.NoError(t, err)
	assert.Equal(t, alice.Address(), pub.Address())
	assert.False(t, pub.HasSecret())

	empty, err := New("none", "", t.TempDir())
	require.NoError(t, err)
	hk, err = empty.ListHotkeys()
	require.NoError(t, err)
	assert.Empty(t, hk)
}

// Files btwallet wrote in its shape (random key order, compact) load.
func TestReadBtwalletHotkey(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hotkeys", "default")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	body := `{"ss58Address":"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY","privateKey":"0x` + secretVectors[1].private +
		`","publicKey":"0x` + aliceHex + `","accountId":"0x` + aliceHex + `"}`
	require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
	kp, err := ReadKeyfile(path)
	require.NoError(t, err)
	assert.True(t, kp.HasSecret())
	assert.Equal(t, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", kp.Address())
}

func TestWriteKeyfileAtomicNoTempLeft(t *testing.T) {
	dir := t.TempDir()
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	p := filepath.Join(dir, "k")
	require.NoError(t, WriteKeyfile(p, alice))
	require.ErrorIs(t, WriteKeyfile(p, alice), ErrFileExists)
	require.NoError(t, WriteKeyfile(p, alice, Overwrite()))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, os.FileMode(0o600), mode(t, p))
}
