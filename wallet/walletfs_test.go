package wallet

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allFiles lists every file and directory under root, relative.
func allFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	require.NoError(t, filepath.WalkDir(root, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != root {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	}))
	return out
}

// walletCalls runs every Wallet method that reads or writes and returns
// their errors by name.
func walletCalls(w *Wallet, kp *Keypair) map[string]error {
	pw := WithPassword(Password("pw"))
	errs := map[string]error{}
	_, errs["Coldkeypub"] = w.Coldkeypub()
	_, errs["Coldkey"] = w.Coldkey(pw)
	_, errs["Hotkey"] = w.Hotkey()
	_, errs["Hotkeypub"] = w.Hotkeypub()
	errs["SetColdkey"] = w.SetColdkey(kp, pw, Overwrite())
	errs["SetColdkeypub"] = w.SetColdkeypub(kp, Overwrite())
	errs["SetHotkey"] = w.SetHotkey(kp, Overwrite())
	errs["SetHotkeypub"] = w.SetHotkeypub(kp, Overwrite())
	_, errs["CreateColdkey"] = w.CreateColdkey(DefaultWords, pw)
	_, errs["CreateHotkey"] = w.CreateHotkey(DefaultWords)
	_, errs["ListHotkeys"] = w.ListHotkeys()
	return errs
}

// Item 6 of the review: a Wallet built as a struct literal is held to
// New's name rules at every read and write; nothing is written outside
// (or anywhere) for a bad name.
func TestWalletLiteralNamesChecked(t *testing.T) {
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	root := t.TempDir()
	base := filepath.Join(root, "a", "b")
	require.NoError(t, os.MkdirAll(base, 0o700))
	bad := []Wallet{
		{Name: "../../escape", HotkeyName: "h", Path: base},
		{Name: "c", HotkeyName: "../../../escape", Path: base},
		{Name: "..", HotkeyName: "h", Path: base},
		{Name: "c", HotkeyName: "..", Path: base},
		{Name: "c/d", HotkeyName: "h", Path: base},
		{Name: "c", HotkeyName: "/etc/escape", Path: base},
		{Name: "", HotkeyName: "h", Path: base},
		{Name: "c", HotkeyName: "", Path: base},
		{Name: "c", HotkeyName: "h\x00", Path: base},
		{Name: "c", HotkeyName: "h", Path: ""},
	}
	cold := map[string]bool{"Coldkeypub": true, "Coldkey": true, "SetColdkey": true, "SetColdkeypub": true, "CreateColdkey": true, "ListHotkeys": true}
	for _, w := range bad {
		badHotkeyOnly := checkName(w.Name) == nil && w.Path != ""
		for name, err := range walletCalls(&w, alice) {
			if badHotkeyOnly && cold[name] {
				continue // the coldkey side does not use HotkeyName
			}
			assert.ErrorIs(t, err, ErrInvalidName, "%+v %s", w, name)
		}
	}
	// Only the coldkey calls with a good Name and Path wrote, and only
	// inside the wallet directory.
	for _, f := range allFiles(t, root) {
		assert.True(t, f == "a" || f == filepath.Join("a", "b") || strings.HasPrefix(f, filepath.Join("a", "b", "c")), f)
		assert.NotContains(t, f, "escape")
	}
}

// Item 6: the zero Wallet writes nothing (it used to write a plaintext
// hotkey to ./hotkeys and fail on the pub file).
func TestZeroWalletWritesNothing(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	var w Wallet
	for name, err := range walletCalls(&w, alice) {
		assert.ErrorIs(t, err, ErrInvalidName, name)
	}
	assert.Empty(t, allFiles(t, dir))
	var nilW *Wallet
	for name, err := range walletCalls(nilW, alice) {
		assert.ErrorIs(t, err, ErrNilArgument, name)
	}
	assert.Equal(t, "<nil>", nilW.String())
	assert.Empty(t, allFiles(t, dir))
}

// Item 6: a hotkey and its pub file are written together. When the pub
// file cannot be replaced (here it is a directory) the hotkey is not
// written either, and an old hotkey stays.
func TestSetHotkeyPairAllOrNothing(t *testing.T) {
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	bob, err := FromURI("//Bob")
	require.NoError(t, err)
	w, err := New("c", "h", t.TempDir())
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(w.HotkeypubPath(), "x"), 0o700))
	err = w.SetHotkey(alice, Overwrite())
	assert.ErrorIs(t, err, ErrNotRegularFile)
	assert.NoFileExists(t, w.HotkeyPath())

	// With an old hotkey in place, the failed call leaves it as it was.
	require.NoError(t, WriteKeyfile(w.HotkeyPath(), bob))
	before, err := os.ReadFile(w.HotkeyPath())
	require.NoError(t, err)
	assert.Error(t, w.SetHotkey(alice, Overwrite()))
	after, err := os.ReadFile(w.HotkeyPath())
	require.NoError(t, err)
	assert.Equal(t, before, after)
	assert.Equal(t, []string{"h", "hpub.txt", filepath.Join("hpub.txt", "x")}, allFiles(t, filepath.Dir(w.HotkeyPath())))
}

// Item 6: when placing the second file fails after the first is in place,
// the first is put back (or removed), and no temporary file stays.
func TestWritePairRollsBack(t *testing.T) {
	dir := t.TempDir()
	key, pub := filepath.Join(dir, "k"), filepath.Join(dir, "kpub.txt")
	boom := errors.New("boom")
	failSecond := func(tmp, path string, overwrite bool) error {
		if path == pub {
			return boom
		}
		return placeFile(tmp, path, overwrite)
	}
	for _, overwrite := range []bool{false, true} {
		err := writePair([2]string{key, pub}, [2][]byte{[]byte("new key"), []byte("new pub")}, overwrite, failSecond)
		assert.ErrorIs(t, err, boom)
		assert.Empty(t, allFiles(t, dir), "overwrite=%v", overwrite)
	}
	require.NoError(t, os.WriteFile(key, []byte("old key"), 0o600))
	require.NoError(t, os.WriteFile(pub, []byte("old pub"), 0o600))
	err := writePair([2]string{key, pub}, [2][]byte{[]byte("new key"), []byte("new pub")}, true, failSecond)
	assert.ErrorIs(t, err, boom)
	for p, want := range map[string]string{key: "old key", pub: "old pub"} {
		got, err := os.ReadFile(p)
		require.NoError(t, err)
		assert.Equal(t, want, string(got))
	}
	assert.ElementsMatch(t, []string{"k", "kpub.txt"}, allFiles(t, dir))
	// And it succeeds when nothing fails, leaving only the two files.
	require.NoError(t, writePairAtomic(key, []byte("new key"), pub, []byte("new pub"), true))
	got, err := os.ReadFile(key)
	require.NoError(t, err)
	assert.Equal(t, "new key", string(got))
	assert.ElementsMatch(t, []string{"k", "kpub.txt"}, allFiles(t, dir))
}

// Item 6: keyfiles are read only from regular files (symbolic links to one
// are fine) of at most MaxKeyfileSize bytes.
func TestReadKeyfileRegularAndCapped(t *testing.T) {
	dir := t.TempDir()
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	good := filepath.Join(dir, "good")
	require.NoError(t, WriteKeyfile(good, alice))
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink(good, link))
	kp, err := ReadKeyfile(link)
	require.NoError(t, err)
	assert.Equal(t, alice.AccountID(), kp.AccountID())

	zero := filepath.Join(dir, "zero")
	require.NoError(t, os.Symlink("/dev/zero", zero))
	_, err = ReadKeyfile(zero)
	assert.ErrorIs(t, err, ErrNotRegularFile)
	_, err = ReadKeyfile(dir)
	assert.ErrorIs(t, err, ErrNotRegularFile)
	w, err := New("c", "h", dir)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(w.HotkeyPath()), 0o700))
	require.NoError(t, os.Symlink("/dev/zero", w.HotkeyPath()))
	_, err = w.Hotkey()
	assert.ErrorIs(t, err, ErrNotRegularFile)

	body, err := MarshalKeyfile(alice)
	require.NoError(t, err)
	atCap := append(append([]byte(nil), body...), []byte(strings.Repeat(" ", MaxKeyfileSize-len(body)))...)
	p := filepath.Join(dir, "atcap")
	require.NoError(t, os.WriteFile(p, atCap, 0o600))
	kp, err = ReadKeyfile(p)
	require.NoError(t, err)
	assert.Equal(t, alice.AccountID(), kp.AccountID())
	require.NoError(t, os.WriteFile(p, append(atCap, ' '), 0o600))
	_, err = ReadKeyfile(p)
	assert.ErrorIs(t, err, ErrKeyfileTooLarge)
}

// Item 11 of the review: nil arguments are ErrNilArgument, not panics, and
// write nothing.
func TestNilArguments(t *testing.T) {
	dir := t.TempDir()
	w, err := New("c", "h", dir)
	require.NoError(t, err)
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	pw := WithPassword(Password("pw"))
	var key [32]byte
	calls := map[string]func() error{
		"MarshalKeyfile":        func() error { _, err := MarshalKeyfile(nil); return err },
		"MarshalPublicKeyfile":  func() error { _, err := MarshalPublicKeyfile(nil); return err },
		"WriteKeyfile":          func() error { return WriteKeyfile(filepath.Join(dir, "k"), nil) },
		"SetColdkey":            func() error { return w.SetColdkey(nil, pw) },
		"SetColdkeypub":         func() error { return w.SetColdkeypub(nil) },
		"SetHotkey":             func() error { return w.SetHotkey(nil) },
		"SetHotkeypub":          func() error { return w.SetHotkeypub(nil) },
		"EncryptNaClWithKey":    func() error { _, err := EncryptNaClWithKey([]byte("x"), nil); return err },
		"DecryptNaClWithKey":    func() error { _, err := DecryptNaClWithKey(make([]byte, 64), nil); return err },
		"WithPassword(nil) w":   func() error { return w.SetHotkey(alice, WithPassword(nil)) },
		"WithPassword(nil) wk":  func() error { return WriteKeyfile(filepath.Join(dir, "k"), alice, WithPassword(nil)) },
		"WithPassword(nil) r":   func() error { _, err := w.Coldkey(WithPassword(nil)); return err },
		"WithPassword(nil) rk":  func() error { _, err := ReadKeyfile(filepath.Join(dir, "k"), WithPassword(nil)); return err },
		"WithPassword(nil) new": func() error { _, err := w.CreateHotkey(DefaultWords, WithPassword(nil)); return err },
	}
	for name, f := range calls {
		var err error
		require.NotPanics(t, func() { err = f() }, name)
		assert.ErrorIs(t, err, ErrNilArgument, name)
	}
	assert.Empty(t, allFiles(t, dir))
	_, err = EncryptNaClWithKey([]byte("x"), &key)
	assert.NoError(t, err)

	// A nil Option is skipped; Zero and HasSecret accept a nil *Keypair.
	require.NoError(t, WriteKeyfile(filepath.Join(dir, "k"), alice, nil))
	var nilKP *Keypair
	assert.NotPanics(t, nilKP.Zero)
	assert.False(t, nilKP.HasSecret())
}
