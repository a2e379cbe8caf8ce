package wallet

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Defaults of btwallet (src/constants.rs) and the Python SDK.
const (
	DefaultName   = "default"
	DefaultHotkey = "default"
	DefaultPath   = "~/.bittensor/wallets/"
)

// Wallet is a wallet directory: <Path>/<Name>/coldkey, coldkeypub.txt,
// hotkeys/<HotkeyName> and hotkeys/<HotkeyName>pub.txt. The wallet name is
// the coldkey's name; HotkeyName is a file name under hotkeys/, not an
// address.
// Wallet holds names only; keys are read from disk on each call.
type Wallet struct {
	Name       string // the wallet (coldkey) name
	HotkeyName string // the hotkey file name under hotkeys/
	Path       string // tilde-expanded directory holding the wallets
}

// New returns the wallet name/hotkey under path, with btwallet's defaults
// for empty arguments and "~" expanded. Names must be plain file names
// (ErrInvalidName).
func New(name, hotkey, path string) (*Wallet, error) {
	if name == "" {
		name = DefaultName
	}
	if hotkey == "" {
		hotkey = DefaultHotkey
	}
	if path == "" {
		path = DefaultPath
	}
	if err := checkName(name); err != nil {
		return nil, err
	}
	if err := checkName(hotkey); err != nil {
		return nil, err
	}
	p, err := expandTilde(path)
	if err != nil {
		return nil, err
	}
	return &Wallet{Name: name, HotkeyName: hotkey, Path: p}, nil
}

// FromEnv is New with the SDK's variables BT_WALLET_NAME, BT_WALLET_HOTKEY
// and BT_WALLET_PATH (each defaulting as in New).
func FromEnv() (*Wallet, error) {
	return New(os.Getenv("BT_WALLET_NAME"), os.Getenv("BT_WALLET_HOTKEY"), os.Getenv("BT_WALLET_PATH"))
}

func checkName(n string) error {
	if n == "" || n == "." || n == ".." || strings.ContainsAny(n, `/\`) || strings.ContainsRune(n, 0) {
		return fmt.Errorf("%w: %q", ErrInvalidName, n)
	}
	return nil
}

// expandTilde replaces a leading "~" with the home directory
// (shellexpand::tilde).
func expandTilde(p string) (string, error) {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return home + p[1:], nil
}

// String names the wallet; it holds no secret.
func (w *Wallet) String() string {
	return fmt.Sprintf("Wallet(name=%s, hotkey=%s, path=%s)", w.Name, w.HotkeyName, w.Path)
}

// Dir is <Path>/<Name>.
func (w *Wallet) Dir() string { return filepath.Join(w.Path, w.Name) }

// ColdkeyPath is <Path>/<Name>/coldkey.
func (w *Wallet) ColdkeyPath() string { return filepath.Join(w.Dir(), "coldkey") }

// ColdkeypubPath is <Path>/<Name>/coldkeypub.txt.
func (w *Wallet) ColdkeypubPath() string { return filepath.Join(w.Dir(), "coldkeypub.txt") }

// HotkeyPath is <Path>/<Name>/hotkeys/<HotkeyName>.
func (w *Wallet) HotkeyPath() string { return filepath.Join(w.Dir(), "hotkeys", w.HotkeyName) }

// HotkeypubPath is <Path>/<Name>/hotkeys/<HotkeyName>pub.txt.
func (w *Wallet) HotkeypubPath() string {
	return filepath.Join(w.Dir(), "hotkeys", w.HotkeyName+"pub.txt")
}

// Option adjusts a keyfile read or write.
type Option func(*options)

type options struct {
	password         PasswordSource
	allowUnencrypted bool
	overwrite        bool
}

// WithPassword sets the password source: for reads, of an encrypted file;
// for writes, the password to encrypt with ($NACL).
func WithPassword(src PasswordSource) Option { return func(o *options) { o.password = src } }

// AllowUnencryptedColdkey accepts a plaintext coldkey on read and writes a
// coldkey unencrypted when no password is given. Without it both are
// ErrUnencryptedColdkey.
func AllowUnencryptedColdkey() Option { return func(o *options) { o.allowUnencrypted = true } }

// Overwrite lets a write replace an existing file (btwallet asks; this
// library never does, so the default is to refuse with ErrFileExists).
func Overwrite() Option { return func(o *options) { o.overwrite = true } }

func collect(opts []Option) options {
	var o options
	for _, f := range opts {
		f(&o)
	}
	return o
}

// ReadKeyfile reads, decrypts (when encrypted, with the WithPassword source)
// and parses the keyfile at path. A missing file is ErrFileNotFound, an
// encrypted one without a password ErrNoPassword, a wrong password
// ErrWrongPassword.
func ReadKeyfile(path string, opts ...Option) (*Keypair, error) {
	o := collect(opts)
	kp, _, err := readKeyfile(path, o)
	return kp, err
}

func readKeyfile(path string, o options) (*Keypair, Encryption, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, Plaintext, fmt.Errorf("%w: %s", ErrFileNotFound, path)
		}
		return nil, Plaintext, err
	}
	defer clear(data)
	enc := DetectEncryption(data)
	if enc == Plaintext {
		kp, err := UnmarshalKeyfile(data)
		return kp, enc, err
	}
	if o.password == nil {
		return nil, enc, fmt.Errorf("%w: %s is encrypted (%v)", ErrNoPassword, path, enc)
	}
	pw, err := o.password(path)
	if err != nil {
		return nil, enc, err
	}
	plain, err := DecryptKeyfileData(data, pw)
	clear(pw)
	if err != nil {
		return nil, enc, fmt.Errorf("%s: %w", path, err)
	}
	defer clear(plain)
	kp, err := UnmarshalKeyfile(plain)
	return kp, enc, err
}

// WriteKeyfile writes kp's keyfile JSON at path, encrypted with $NACL when
// a WithPassword source is given, plaintext otherwise. The file is created
// with mode 0600 and written atomically (temporary file, then rename or
// link), so a reader sees the old file or the new one, never a part.
// Missing directories are created (0700).
func WriteKeyfile(path string, kp *Keypair, opts ...Option) error {
	o := collect(opts)
	data, err := MarshalKeyfile(kp)
	if err != nil {
		return err
	}
	defer clear(data)
	if o.password != nil {
		pw, err := o.password(path)
		if err != nil {
			return err
		}
		enc, err := EncryptNaCl(data, pw)
		clear(pw)
		if err != nil {
			return err
		}
		clear(data)
		data = enc
	}
	return writeFileAtomic(path, data, o.overwrite)
}

// writeFileAtomic writes data to a 0600 temporary file beside path, syncs
// it, then renames it over path (overwrite) or links it to path, which
// fails if path exists (no overwrite).
func writeFileAtomic(path string, data []byte, overwrite bool) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if !overwrite {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%w: %s", ErrFileExists, path)
		}
	}
	tmp, err := os.CreateTemp(dir, ".dtao-keyfile-*") // mode 0600
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name) // no-op after a successful rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if overwrite {
		return os.Rename(name, path)
	}
	err = os.Link(name, path)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%w: %s", ErrFileExists, path)
	}
	// No hard links on this file system: check again and rename, which
	// leaves a small window where a concurrent writer could be replaced.
	if _, statErr := os.Lstat(path); statErr == nil {
		return fmt.Errorf("%w: %s", ErrFileExists, path)
	}
	return os.Rename(name, path)
}

// Coldkeypub reads coldkeypub.txt: the public coldkey, enough for
// everything that does not sign. A machine with only this file is a normal,
// "pub only" wallet.
func (w *Wallet) Coldkeypub() (*Keypair, error) {
	return ReadKeyfile(w.ColdkeypubPath())
}

// Coldkey reads and decrypts the coldkey with the WithPassword source. A
// plaintext coldkey is ErrUnencryptedColdkey unless
// AllowUnencryptedColdkey is given.
func (w *Wallet) Coldkey(opts ...Option) (*Keypair, error) {
	o := collect(opts)
	kp, enc, err := readKeyfile(w.ColdkeyPath(), o)
	if err != nil {
		return nil, err
	}
	if enc == Plaintext && !o.allowUnencrypted {
		kp.Zero()
		return nil, fmt.Errorf("%w: %s", ErrUnencryptedColdkey, w.ColdkeyPath())
	}
	return kp, nil
}

// Hotkey reads the hotkey (plaintext by default; an encrypted one needs
// WithPassword).
func (w *Wallet) Hotkey(opts ...Option) (*Keypair, error) {
	return ReadKeyfile(w.HotkeyPath(), opts...)
}

// Hotkeypub returns the public hotkey: from hotkeys/<HotkeyName>pub.txt, or,
// when that file is missing (wallets from before btwallet 3.1), the public
// part of an unencrypted hotkey file.
func (w *Wallet) Hotkeypub() (*Keypair, error) {
	kp, err := ReadKeyfile(w.HotkeypubPath())
	if err == nil || !errors.Is(err, ErrFileNotFound) {
		return kp, err
	}
	full, err := ReadKeyfile(w.HotkeyPath())
	if err != nil {
		return nil, err
	}
	pub := FromAccountID(full.AccountID(), full.Scheme())
	full.Zero()
	return pub, nil
}

// SetColdkey writes the coldkey, encrypted with the WithPassword source
// ($NACL), and coldkeypub.txt. Without a password it is
// ErrUnencryptedColdkey unless AllowUnencryptedColdkey is given. Existing
// files are kept (ErrFileExists) unless Overwrite is given. This is also
// how a coldkey is regenerated from a mnemonic, seed or URI.
func (w *Wallet) SetColdkey(kp *Keypair, opts ...Option) error {
	o := collect(opts)
	if !kp.HasSecret() {
		return ErrNoSecret
	}
	if o.password == nil && !o.allowUnencrypted {
		return fmt.Errorf("%w: refusing to write %s without a password", ErrUnencryptedColdkey, w.ColdkeyPath())
	}
	if err := w.checkFree(o, w.ColdkeyPath(), w.ColdkeypubPath()); err != nil {
		return err
	}
	if err := WriteKeyfile(w.ColdkeyPath(), kp, opts...); err != nil {
		return err
	}
	return writeFileAtomic(w.ColdkeypubPath(), MarshalPublicKeyfile(kp), o.overwrite)
}

// SetColdkeypub writes coldkeypub.txt alone (regen_coldkeypub).
func (w *Wallet) SetColdkeypub(kp *Keypair, opts ...Option) error {
	o := collect(opts)
	return writeFileAtomic(w.ColdkeypubPath(), MarshalPublicKeyfile(kp), o.overwrite)
}

// SetHotkey writes the hotkey (plaintext unless WithPassword is given, the
// btwallet default) and its pub.txt.
func (w *Wallet) SetHotkey(kp *Keypair, opts ...Option) error {
	o := collect(opts)
	if !kp.HasSecret() {
		return ErrNoSecret
	}
	if err := w.checkFree(o, w.HotkeyPath(), w.HotkeypubPath()); err != nil {
		return err
	}
	if err := WriteKeyfile(w.HotkeyPath(), kp, opts...); err != nil {
		return err
	}
	return writeFileAtomic(w.HotkeypubPath(), MarshalPublicKeyfile(kp), o.overwrite)
}

// SetHotkeypub writes hotkeys/<HotkeyName>pub.txt alone (regen_hotkeypub).
func (w *Wallet) SetHotkeypub(kp *Keypair, opts ...Option) error {
	o := collect(opts)
	return writeFileAtomic(w.HotkeypubPath(), MarshalPublicKeyfile(kp), o.overwrite)
}

// checkFree refuses, before anything is written, a pair of writes that
// would hit an existing file without Overwrite, so a refused call changes
// nothing.
func (w *Wallet) checkFree(o options, paths ...string) error {
	if o.overwrite {
		return nil
	}
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%w: %s", ErrFileExists, p)
		}
	}
	return nil
}

// CreateColdkey generates a mnemonic of words words (DefaultWords is
// btcli's 12), writes the coldkey and coldkeypub.txt as SetColdkey does
// and returns the mnemonic, which the caller must show to the user once
// and then discard.
func (w *Wallet) CreateColdkey(words int, opts ...Option) (string, error) {
	return w.create(words, w.SetColdkey, opts)
}

// CreateHotkey is CreateColdkey for the hotkey (plaintext by default).
func (w *Wallet) CreateHotkey(words int, opts ...Option) (string, error) {
	return w.create(words, w.SetHotkey, opts)
}

func (w *Wallet) create(words int, set func(*Keypair, ...Option) error, opts []Option) (string, error) {
	phrase, err := GenerateMnemonic(words)
	if err != nil {
		return "", err
	}
	kp, err := FromMnemonic(phrase, "")
	if err != nil {
		return "", err
	}
	defer kp.Zero()
	if err := set(kp, opts...); err != nil {
		return "", err
	}
	return phrase, nil
}

// ListWallets returns the wallet names under path (its subdirectories),
// sorted. "~" is expanded.
func ListWallets(path string) ([]string, error) {
	p, err := expandTilde(path)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// ListHotkeys returns the hotkey names of the wallet, sorted, the way btcli
// "wallet list" finds them: every file in hotkeys/, where NAMEpub.txt
// counts as NAME (so a hotkey with only its pub file is listed, and once).
func (w *Wallet) ListHotkeys() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(w.Dir(), "hotkeys"))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".dtao-keyfile-") {
			continue
		}
		n := e.Name()
		if base, ok := strings.CutSuffix(n, "pub.txt"); ok && base != "" {
			n = base
		}
		seen[n] = true
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}
