package wallet

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
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
//
// Every method that reads or writes checks the names first, so a Wallet
// built as a struct literal is held to New's rules: Name and HotkeyName
// plain file names and Path not empty (ErrInvalidName). On a nil *Wallet
// those methods return ErrNilArgument; the path methods (Dir, ColdkeyPath,
// ...) panic.
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
	if n == "" || n == "." || n == ".." || strings.ContainsAny(n, `/\`) || strings.ContainsRune(n, 0) || !filepath.IsLocal(n) {
		return fmt.Errorf("%w: %q", ErrInvalidName, n)
	}
	return nil
}

// checkCold validates what the coldkey files' paths are made of.
func (w *Wallet) checkCold() error {
	if w == nil {
		return fmt.Errorf("%w: nil *Wallet", ErrNilArgument)
	}
	if w.Path == "" {
		return fmt.Errorf("%w: empty wallet path", ErrInvalidName)
	}
	return checkName(w.Name)
}

// checkHot validates what the hotkey files' paths are made of.
func (w *Wallet) checkHot() error {
	if err := w.checkCold(); err != nil {
		return err
	}
	return checkName(w.HotkeyName)
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
	if w == nil {
		return "<nil>"
	}
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
	nilPassword      bool // WithPassword(nil)
	allowUnencrypted bool
	overwrite        bool
}

// WithPassword sets the password source: for reads, of an encrypted file;
// for writes, the password to encrypt with ($NACL). A nil source makes the
// read or write fail with ErrNilArgument (rather than write a key in the
// clear).
func WithPassword(src PasswordSource) Option {
	return func(o *options) {
		o.password = src
		o.nilPassword = src == nil
	}
}

// AllowUnencryptedColdkey accepts a plaintext coldkey on read and writes a
// coldkey unencrypted when no password is given. Without it both are
// ErrUnencryptedColdkey.
func AllowUnencryptedColdkey() Option { return func(o *options) { o.allowUnencrypted = true } }

// Overwrite lets a write replace an existing file (btwallet asks; this
// library never does, so the default is to refuse with ErrFileExists).
func Overwrite() Option { return func(o *options) { o.overwrite = true } }

// collect applies opts; nil options are skipped.
func collect(opts []Option) (options, error) {
	var o options
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	if o.nilPassword {
		return o, fmt.Errorf("%w: WithPassword(nil)", ErrNilArgument)
	}
	return o, nil
}

// MaxKeyfileSize bounds the keyfiles ReadKeyfile reads: btwallet's are
// under 1 KiB, an Ansible Vault one under 4 KiB. A longer file is
// ErrKeyfileTooLarge.
const MaxKeyfileSize = 64 << 10

// ReadKeyfile reads, decrypts (when encrypted, with the WithPassword source)
// and parses the keyfile at path. Symbolic links are followed, but the file
// must be a regular one (ErrNotRegularFile) of at most MaxKeyfileSize bytes
// (ErrKeyfileTooLarge). A missing file is ErrFileNotFound, an encrypted one
// without a password ErrNoPassword, a wrong password ErrWrongPassword.
func ReadKeyfile(path string, opts ...Option) (*Keypair, error) {
	o, err := collect(opts)
	if err != nil {
		return nil, err
	}
	kp, _, err := readKeyfile(path, o)
	return kp, err
}

func readKeyfile(path string, o options) (*Keypair, Encryption, error) {
	data, err := readKeyfileBytes(path)
	if err != nil {
		return nil, Plaintext, err
	}
	defer clear(data)
	return openKeyfileData(path, data, o, naclCost, fernetIterations, vaultIterations)
}

// openKeyfileData decrypts (at the given costs) and parses keyfile data
// read from path.
func openKeyfileData(path string, data []byte, o options, nacl kdfCost, fernetIters, vaultIters int) (*Keypair, Encryption, error) {
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
	plain, err := decryptKeyfileDataCost(data, pw, nacl, fernetIters, vaultIters)
	clear(pw)
	if err != nil {
		return nil, enc, fmt.Errorf("%s: %w", path, err)
	}
	defer clear(plain)
	kp, err := UnmarshalKeyfile(plain)
	return kp, enc, err
}

// readKeyfileBytes reads the regular file at path (symbolic links
// followed), at most MaxKeyfileSize bytes, into a buffer sized once so
// that no partial copy of a secret is left behind by growth.
func readKeyfileBytes(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrFileNotFound, path)
		}
		return nil, err
	}
	// Checked before opening: opening a FIFO would block.
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s (%v)", ErrNotRegularFile, path, st.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() { // replaced since the first look
		return nil, fmt.Errorf("%w: %s (%v)", ErrNotRegularFile, path, st.Mode().Type())
	}
	if st.Size() > MaxKeyfileSize {
		return nil, fmt.Errorf("%w: %s (%d bytes, at most %d)", ErrKeyfileTooLarge, path, st.Size(), MaxKeyfileSize)
	}
	buf := bytes.NewBuffer(make([]byte, 0, int(st.Size())+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxKeyfileSize+1)); err != nil {
		clear(buf.Bytes())
		return nil, err
	}
	if buf.Len() > MaxKeyfileSize { // grown since Stat
		clear(buf.Bytes())
		return nil, fmt.Errorf("%w: %s (more than %d bytes)", ErrKeyfileTooLarge, path, MaxKeyfileSize)
	}
	return buf.Bytes(), nil
}

// WriteKeyfile writes kp's keyfile JSON at path, encrypted with $NACL when
// a WithPassword source is given, plaintext otherwise. The file is created
// with mode 0600 and written atomically (temporary file, synced, then
// rename or link, then the directory synced), so a reader sees the old
// file or the new one, never a part. Missing directories are created
// (0700). A nil kp is ErrNilArgument.
func WriteKeyfile(path string, kp *Keypair, opts ...Option) error {
	o, err := collect(opts)
	if err != nil {
		return err
	}
	data, err := keyfileData(path, kp, o)
	if err != nil {
		return err
	}
	defer clear(data)
	return writeFileAtomic(path, data, o.overwrite)
}

// keyfileData returns kp's keyfile JSON, encrypted when o has a password.
func keyfileData(path string, kp *Keypair, o options) ([]byte, error) {
	data, err := MarshalKeyfile(kp)
	if err != nil {
		return nil, err
	}
	if o.password == nil {
		return data, nil
	}
	defer clear(data)
	pw, err := o.password(path)
	if err != nil {
		return nil, err
	}
	enc, err := EncryptNaCl(data, pw)
	clear(pw)
	if err != nil {
		return nil, err
	}
	return enc, nil
}

// writeFileAtomic writes data to a 0600 temporary file beside path, syncs
// it, then renames it over path (overwrite) or links it to path, which
// fails if path exists (no overwrite), and syncs the directory.
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
	tmp, err := writeTemp(dir, data)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // no-op after a successful rename
	if err := placeFile(tmp, path, overwrite); err != nil {
		return err
	}
	return syncDir(dir)
}

// writePairAtomic writes a keyfile and its public file, both in one
// directory, so that when it fails neither file has changed: both are
// written to synced temporary files first; with overwrite the files they
// replace are kept (hard links) until both are in place, and put back if
// the second cannot be placed. The directory is synced at the end.
func writePairAtomic(keyPath string, keyData []byte, pubPath string, pubData []byte, overwrite bool) error {
	return writePair([2]string{keyPath, pubPath}, [2][]byte{keyData, pubData}, overwrite, placeFile)
}

func writePair(paths [2]string, data [2][]byte, overwrite bool, place func(tmp, path string, overwrite bool) error) error {
	dir := filepath.Dir(paths[0])
	if filepath.Dir(paths[1]) != dir {
		return fmt.Errorf("wallet: %s and %s are not in one directory", paths[0], paths[1])
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if !overwrite {
		for _, p := range paths {
			if _, err := os.Lstat(p); err == nil {
				return fmt.Errorf("%w: %s", ErrFileExists, p)
			}
		}
	}
	var tmps, backups [2]string
	defer func() {
		for _, n := range append(tmps[:], backups[:]...) {
			if n != "" {
				os.Remove(n)
			}
		}
	}()
	for i := range paths {
		t, err := writeTemp(dir, data[i])
		if err != nil {
			return err
		}
		tmps[i] = t
	}
	if overwrite {
		for i, p := range paths {
			b, err := backupFile(dir, p)
			if err != nil {
				return err
			}
			backups[i] = b
		}
	}
	if err := place(tmps[0], paths[0], overwrite); err != nil {
		return err
	}
	if err := place(tmps[1], paths[1], overwrite); err != nil {
		// Put the first file back as it was.
		if backups[0] != "" {
			if rerr := os.Rename(backups[0], paths[0]); rerr != nil {
				return errors.Join(err, rerr)
			}
			backups[0] = ""
		} else if rerr := os.Remove(paths[0]); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	return syncDir(dir)
}

// tempPrefix starts the names of the temporary files beside keyfiles.
const tempPrefix = ".dtao-keyfile-"

// writeTemp writes data to a new 0600 file in dir, synced and closed, and
// returns its name.
func writeTemp(dir string, data []byte) (string, error) {
	tmp, err := os.CreateTemp(dir, tempPrefix+"*") // mode 0600
	if err != nil {
		return "", err
	}
	name := tmp.Name()
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// backupFile hard-links the file at path to a new name in dir (or, without
// hard links, copies it there) and returns that name, or "" when path does
// not exist. A directory cannot be replaced (ErrNotRegularFile).
func backupFile(dir, path string) (string, error) {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if st.IsDir() {
		return "", fmt.Errorf("%w: %s is a directory", ErrNotRegularFile, path)
	}
	var r [8]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", err
	}
	name := filepath.Join(dir, tempPrefix+"old-"+hex.EncodeToString(r[:]))
	if err := os.Link(path, name); err == nil {
		return name, nil
	}
	// No hard links on this file system: keep a copy instead.
	data, err := readKeyfileBytes(path)
	if err != nil {
		return "", err
	}
	defer clear(data)
	return writeTemp(dir, data)
}

// placeFile moves the temporary file tmp to path: a rename over path
// (overwrite), or a hard link, which fails if path exists.
func placeFile(tmp, path string, overwrite bool) error {
	if overwrite {
		return os.Rename(tmp, path)
	}
	err := os.Link(tmp, path)
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
	return os.Rename(tmp, path)
}

// syncDir makes a rename or link in dir durable. Windows cannot sync a
// directory and needs no such step.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// Coldkeypub reads coldkeypub.txt: the public coldkey, enough for
// everything that does not sign. A machine with only this file is a normal,
// "pub only" wallet.
func (w *Wallet) Coldkeypub() (*Keypair, error) {
	if err := w.checkCold(); err != nil {
		return nil, err
	}
	return ReadKeyfile(w.ColdkeypubPath())
}

// Coldkey reads and decrypts the coldkey with the WithPassword source. A
// plaintext coldkey is ErrUnencryptedColdkey unless
// AllowUnencryptedColdkey is given.
func (w *Wallet) Coldkey(opts ...Option) (*Keypair, error) {
	if err := w.checkCold(); err != nil {
		return nil, err
	}
	o, err := collect(opts)
	if err != nil {
		return nil, err
	}
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
	if err := w.checkHot(); err != nil {
		return nil, err
	}
	return ReadKeyfile(w.HotkeyPath(), opts...)
}

// Hotkeypub returns the public hotkey: from hotkeys/<HotkeyName>pub.txt, or,
// when that file is missing (wallets from before btwallet 3.1), the public
// part of an unencrypted hotkey file.
func (w *Wallet) Hotkeypub() (*Keypair, error) {
	if err := w.checkHot(); err != nil {
		return nil, err
	}
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
// files are kept (ErrFileExists) unless Overwrite is given. The two files
// are written together: when the call fails neither has changed. This is
// also how a coldkey is regenerated from a mnemonic, seed or URI.
func (w *Wallet) SetColdkey(kp *Keypair, opts ...Option) error {
	if err := w.checkCold(); err != nil {
		return err
	}
	o, err := collect(opts)
	if err != nil {
		return err
	}
	if kp == nil {
		return fmt.Errorf("%w: SetColdkey: nil *Keypair", ErrNilArgument)
	}
	if !kp.HasSecret() {
		return ErrNoSecret
	}
	if o.password == nil && !o.allowUnencrypted {
		return fmt.Errorf("%w: refusing to write %s without a password", ErrUnencryptedColdkey, w.ColdkeyPath())
	}
	return w.setPair(kp, o, w.ColdkeyPath(), w.ColdkeypubPath())
}

// SetColdkeypub writes coldkeypub.txt alone (regen_coldkeypub).
func (w *Wallet) SetColdkeypub(kp *Keypair, opts ...Option) error {
	if err := w.checkCold(); err != nil {
		return err
	}
	return setPub(w.ColdkeypubPath(), kp, opts)
}

// SetHotkey writes the hotkey (plaintext unless WithPassword is given, the
// btwallet default) and its pub.txt, together as SetColdkey does.
func (w *Wallet) SetHotkey(kp *Keypair, opts ...Option) error {
	if err := w.checkHot(); err != nil {
		return err
	}
	o, err := collect(opts)
	if err != nil {
		return err
	}
	if kp == nil {
		return fmt.Errorf("%w: SetHotkey: nil *Keypair", ErrNilArgument)
	}
	if !kp.HasSecret() {
		return ErrNoSecret
	}
	return w.setPair(kp, o, w.HotkeyPath(), w.HotkeypubPath())
}

// SetHotkeypub writes hotkeys/<HotkeyName>pub.txt alone (regen_hotkeypub).
func (w *Wallet) SetHotkeypub(kp *Keypair, opts ...Option) error {
	if err := w.checkHot(); err != nil {
		return err
	}
	return setPub(w.HotkeypubPath(), kp, opts)
}

// setPair writes kp's keyfile at keyPath and its public file at pubPath.
func (w *Wallet) setPair(kp *Keypair, o options, keyPath, pubPath string) error {
	// Refuse before asking for a password or deriving a key.
	if !o.overwrite {
		for _, p := range []string{keyPath, pubPath} {
			if _, err := os.Lstat(p); err == nil {
				return fmt.Errorf("%w: %s", ErrFileExists, p)
			}
		}
	}
	pub, err := MarshalPublicKeyfile(kp)
	if err != nil {
		return err
	}
	data, err := keyfileData(keyPath, kp, o)
	if err != nil {
		return err
	}
	defer clear(data)
	return writePairAtomic(keyPath, data, pubPath, pub, o.overwrite)
}

func setPub(path string, kp *Keypair, opts []Option) error {
	o, err := collect(opts)
	if err != nil {
		return err
	}
	pub, err := MarshalPublicKeyfile(kp)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, pub, o.overwrite)
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
	if err := w.checkCold(); err != nil {
		return "", err
	}
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
	if err := w.checkCold(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(filepath.Join(w.Dir(), "hotkeys"))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), tempPrefix) {
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
