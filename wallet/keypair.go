package wallet

import (
	"encoding/hex"
	"fmt"
	"strings"
	"unsafe"

	"github.com/dtao-go/dtao/units"
)

// Scheme is a signature scheme.
type Scheme uint8

const (
	// SR25519 is Substrate's schnorrkel over ristretto255, the only scheme
	// bittensor wallets hold (btwallet crypto_type 1).
	SR25519 Scheme = iota
	// Ed25519 is RFC 8032 Ed25519, for secret-URI parity with Substrate.
	Ed25519
)

// String returns "sr25519" or "ed25519".
func (s Scheme) String() string {
	switch s {
	case SR25519:
		return "sr25519"
	case Ed25519:
		return "ed25519"
	}
	return fmt.Sprintf("Scheme(%d)", uint8(s))
}

// Keypair is a public key with, optionally, its secret. A public-only
// Keypair (from an address or a coldkeypub file) does everything but sign.
//
// Keypair never prints its secret: String, GoString and Format show the
// scheme and the address only, for every fmt verb, and a Keypair held in
// any struct (exported field or not, by value or by pointer), slice, map or
// interface, printed by fmt or encoded by encoding/json, encoding/xml or
// encoding/gob, shows no secret byte either (the encoders see no exported
// field). Call Zero when the secret is no longer needed. A Keypair is safe
// for concurrent reads; Zero must not race with other calls.
//
// A nil *Keypair is a programmer error: its methods panic, except Zero
// (a no-op), HasSecret (false) and the printing methods ("<nil>").
// Package functions that take a *Keypair return ErrNilArgument for nil.
type Keypair struct {
	scheme Scheme
	public units.AccountID
	ref    secretRef
}

// secretRef points at a Keypair's secret. It is an unsafe.Pointer, not a
// *secret, so that no reflection-based printer reaches the key material:
// fmt cannot call Format on a Keypair in an unexported field and walks its
// fields instead, and for a verb that does not suit a pointer (%s, %q, ...)
// fmt prints what a *T points to; an unsafe.Pointer it prints as an
// address only. The pointer keeps the secret alive for the garbage
// collector like any other.
type secretRef unsafe.Pointer

func refOf(s *secret) secretRef { return secretRef(unsafe.Pointer(s)) }

// sk returns the secret; nil for a public-only key.
func (kp *Keypair) sk() *secret { return (*secret)(kp.ref) }

// secret holds key material. For sr25519, key is the canonical scalar and
// nonce the 32-byte nonce (keyfile privateKey = key ‖ nonce). For ed25519,
// key is the RFC 8032 seed and nonce is unused.
type secret struct {
	key, nonce [32]byte
	seed       [32]byte // the mini secret, when known (hasSeed)
	hasSeed    bool
	phrase     []byte // the mnemonic as given, when the key came from one
}

func (s *secret) wipe() {
	clear(s.key[:])
	clear(s.nonce[:])
	clear(s.seed[:])
	clear(s.phrase)
	s.phrase = nil
	s.hasSeed = false
}

// newFromSeed makes a keypair of scheme from a 32-byte mini secret.
func newFromSeed(scheme Scheme, seed *[32]byte) (*Keypair, error) {
	kp := &Keypair{scheme: scheme, ref: refOf(&secret{seed: *seed, hasSeed: true})}
	switch scheme {
	case SR25519:
		kp.sk().key, kp.sk().nonce = expandEd25519(seed)
		pub, err := srPublic(&kp.sk().key)
		if err != nil {
			kp.Zero()
			return nil, err
		}
		kp.public = pub
	case Ed25519:
		kp.sk().key = *seed
		kp.public = edPublic(seed)
	default:
		kp.Zero()
		return nil, fmt.Errorf("%w: %d", ErrUnsupportedScheme, scheme)
	}
	return kp, nil
}

// FromSeed returns the sr25519 keypair of a 32-byte mini secret (subkey's
// "secret seed", the keyfile's secretSeed), expanded in Ed25519 mode as
// sp-core does. Any other length is ErrInvalidSeed.
func FromSeed(seed []byte) (*Keypair, error) {
	return FromSeedScheme(seed, SR25519)
}

// FromSeedScheme is FromSeed for either scheme; an ed25519 seed is the RFC
// 8032 seed.
func FromSeedScheme(seed []byte, scheme Scheme) (*Keypair, error) {
	if len(seed) != 32 {
		return nil, ErrInvalidSeed
	}
	var s [32]byte
	copy(s[:], seed)
	defer clear(s[:])
	return newFromSeed(scheme, &s)
}

// FromMnemonic returns the sr25519 keypair of an English BIP39 sentence and
// an optional BIP39 passphrase (usually ""), the Substrate way: from the
// entropy, not the BIP39 seed. Words may be separated by any whitespace;
// the phrase is kept as given for the keyfile's secretPhrase.
func FromMnemonic(phrase, passphrase string) (*Keypair, error) {
	return fromMnemonicScheme(phrase, passphrase, SR25519)
}

func fromMnemonicScheme(phrase, passphrase string, scheme Scheme) (*Keypair, error) {
	mini, err := MiniSecretFromMnemonic(phrase, passphrase)
	if err != nil {
		return nil, err
	}
	defer clear(mini[:])
	kp, err := newFromSeed(scheme, &mini)
	if err != nil {
		return nil, err
	}
	kp.sk().phrase = []byte(phrase)
	return kp, nil
}

// FromPrivateKey returns the sr25519 keypair of a keyfile privateKey: 64
// bytes key(32, canonical little-endian scalar) ‖ nonce(32), or 32 bytes
// taken as a mini secret (sp-core's from_seed_slice, which btwallet uses).
// A non-canonical scalar is ErrInvalidSecretKey, another length
// ErrInvalidSeedLength.
func FromPrivateKey(b []byte) (*Keypair, error) {
	switch len(b) {
	case 32:
		return FromSeed(b)
	case 64:
	default:
		return nil, ErrInvalidSeedLength
	}
	kp := &Keypair{scheme: SR25519, ref: refOf(&secret{})}
	copy(kp.sk().key[:], b[:32])
	copy(kp.sk().nonce[:], b[32:])
	pub, err := srPublic(&kp.sk().key)
	if err != nil {
		kp.Zero()
		return nil, err
	}
	kp.public = pub
	return kp, nil
}

// FromPolkadotJSSecret returns the sr25519 keypair of a secret in the
// polkadot.js (ed25519-style) form: key×8 ‖ nonce, as found in polkadot.js
// and Talisman exports.
func FromPolkadotJSSecret(b [64]byte) (*Keypair, error) {
	var key [32]byte
	copy(key[:], b[:32])
	divideByCofactor(&key)
	var raw [64]byte
	copy(raw[:32], key[:])
	copy(raw[32:], b[32:])
	clear(key[:])
	defer clear(raw[:])
	return FromPrivateKey(raw[:])
}

// FromAccountID returns a public-only keypair of scheme.
func FromAccountID(id units.AccountID, scheme Scheme) *Keypair {
	return &Keypair{scheme: scheme, public: id}
}

// FromAddress returns a public-only sr25519 keypair from an SS58 address of
// any prefix or a "0x" hex public key.
func FromAddress(s string) (*Keypair, error) {
	id, err := ParseAccountID(s)
	if err != nil {
		return nil, err
	}
	return &Keypair{scheme: SR25519, public: id}, nil
}

// FromURI returns the sr25519 keypair of a secret URI:
// [phrase | 0x<64 hex seed>] ("/" soft | "//" hard)* ["///" password].
// A URI starting with a path implies DevPhrase ("//Alice"); the password
// is the BIP39 passphrase. Errors: ErrInvalidPhrase, ErrInvalidSeed,
// ErrInvalidPath, ErrInvalidPassword.
func FromURI(uri string) (*Keypair, error) {
	return FromURIScheme(uri, SR25519)
}

// FromURIScheme is FromURI for either scheme. Ed25519 accepts only hard
// junctions (ErrSoftKeyInPath).
func FromURIScheme(uri string, scheme Scheme) (*Keypair, error) {
	u, err := parseURI(uri)
	if err != nil {
		return nil, err
	}
	phrase := u.phrase
	if !u.hasPhrase {
		phrase = DevPhrase
	}
	var kp *Keypair
	if hexSeed, ok := strings.CutPrefix(phrase, "0x"); ok {
		// The password does not apply to a raw seed (sp-core ignores it).
		// sp-core strips "0x" and hands the rest to array-bytes' hex2bytes,
		// which strips a second "0x" of its own: "0x0x<64 hex>" is a seed.
		hexSeed = strings.TrimPrefix(hexSeed, "0x")
		var seed [32]byte
		if len(hexSeed) != 64 {
			return nil, ErrInvalidSeed
		}
		if _, err := hex.Decode(seed[:], []byte(hexSeed)); err != nil {
			clear(seed[:])
			return nil, ErrInvalidSeed
		}
		kp, err = newFromSeed(scheme, &seed)
		clear(seed[:])
	} else {
		kp, err = fromMnemonicScheme(phrase, u.password, scheme)
		if err == nil {
			// A URI key is not "from a mnemonic" for the keyfile: only the
			// seed (through hard paths) and the private key describe it.
			clear(kp.sk().phrase)
			kp.sk().phrase = nil
		}
	}
	if err != nil {
		return nil, err
	}
	out, err := kp.derive(u.path)
	if out != kp {
		kp.Zero()
	}
	return out, err
}

// Derive returns the key at path below kp, a path of junctions such as
// "//hard/soft/0". Soft junctions apply to public-only sr25519 keys too;
// hard junctions need the secret (ErrInvalidPath otherwise) and ed25519
// takes hard junctions only (ErrSoftKeyInPath). The seed survives hard
// junctions and is dropped by a soft one, as in sp-core.
func (kp *Keypair) Derive(path string) (*Keypair, error) {
	u, err := parseURI(path)
	if err != nil {
		return nil, err
	}
	if u.hasPhrase || u.hasPass {
		return nil, ErrInvalidPath
	}
	out, err := kp.derive(u.path)
	if err == nil && out == kp {
		out = kp.clone()
	}
	return out, err
}

func (kp *Keypair) clone() *Keypair {
	c := &Keypair{scheme: kp.scheme, public: kp.public}
	if kp.ref != nil {
		s := *kp.sk()
		s.phrase = append([]byte(nil), kp.sk().phrase...)
		c.ref = refOf(&s)
	}
	return c
}

// derive applies path; with an empty path it returns kp itself. As in
// sp-core's sr25519 Pair::derive, the result knows its seed only when kp
// did and no soft junction was crossed (a hard junction after a soft one
// does not bring it back).
func (kp *Keypair) derive(path []junction) (*Keypair, error) {
	cur := kp
	keepSeed := kp.ref != nil && kp.sk().hasSeed
	for _, j := range path {
		next, err := cur.step(j)
		if cur != kp {
			cur.Zero()
		}
		if err != nil {
			return nil, err
		}
		if !j.hard {
			keepSeed = false
		}
		cur = next
	}
	if cur != kp && !keepSeed && cur.ref != nil {
		clear(cur.sk().seed[:])
		cur.sk().hasSeed = false
	}
	return cur, nil
}

func (kp *Keypair) step(j junction) (*Keypair, error) {
	switch kp.scheme {
	case Ed25519:
		if !j.hard {
			return nil, ErrSoftKeyInPath
		}
		if kp.ref == nil {
			return nil, ErrInvalidPath
		}
		seed := edHardDerive(&kp.sk().key, j.code)
		defer clear(seed[:])
		return newFromSeed(Ed25519, &seed)
	case SR25519:
		if kp.ref == nil {
			if j.hard {
				return nil, ErrInvalidPath
			}
			pub, err := srSoftDerivePublic(kp.public, j.code)
			if err != nil {
				return nil, err
			}
			return &Keypair{scheme: SR25519, public: pub}, nil
		}
		if j.hard {
			mini, err := srHardDerive(&kp.sk().key, j.code)
			if err != nil {
				return nil, err
			}
			defer clear(mini[:])
			return newFromSeed(SR25519, &mini)
		}
		key, nonce, err := srSoftDeriveSecret(&kp.sk().key, &kp.sk().nonce, j.code)
		if err != nil {
			return nil, err
		}
		next := &Keypair{scheme: SR25519, ref: refOf(&secret{key: key, nonce: nonce})}
		clear(key[:])
		clear(nonce[:])
		pub, err := srPublic(&next.sk().key)
		if err != nil {
			next.Zero()
			return nil, err
		}
		next.public = pub
		return next, nil
	}
	return nil, fmt.Errorf("%w: %d", ErrUnsupportedScheme, kp.scheme)
}

// Scheme returns the key's signature scheme.
func (kp *Keypair) Scheme() Scheme { return kp.scheme }

// AccountID returns the 32-byte public key, which is the account.
func (kp *Keypair) AccountID() units.AccountID { return kp.public }

// PublicKeyHex returns "0x" + the public key in lower-case hex.
func (kp *Keypair) PublicKeyHex() string { return "0x" + hex.EncodeToString(kp.public[:]) }

// Address returns the SS58 address with Bittensor's prefix 42.
func (kp *Keypair) Address() string { return Address(kp.public) }

// AddressWithPrefix returns the SS58 address under another prefix.
func (kp *Keypair) AddressWithPrefix(prefix uint16) (string, error) {
	return EncodeSS58(kp.public, prefix)
}

// HasSecret reports whether the keypair can sign; false for nil.
func (kp *Keypair) HasSecret() bool { return kp != nil && kp.ref != nil }

// Seed returns the 32-byte mini secret when known (keys from a mnemonic, a
// seed, or a URI with hard junctions only).
func (kp *Keypair) Seed() ([32]byte, bool) {
	if kp.ref == nil || !kp.sk().hasSeed {
		return [32]byte{}, false
	}
	return kp.sk().seed, true
}

// Mnemonic returns the BIP39 sentence the key was made from, as given.
func (kp *Keypair) Mnemonic() (string, bool) {
	if kp.ref == nil || kp.sk().phrase == nil {
		return "", false
	}
	return string(kp.sk().phrase), true
}

// PrivateKey returns the 64-byte secret in keyfile form. For sr25519 that is
// key(32, canonical scalar LE) ‖ nonce(32), sp-core's to_raw_vec. For
// ed25519 it is seed ‖ public key (Go's and libsodium's form).
func (kp *Keypair) PrivateKey() ([64]byte, bool) {
	var out [64]byte
	if kp.ref == nil {
		return out, false
	}
	copy(out[:32], kp.sk().key[:])
	if kp.scheme == Ed25519 {
		copy(out[32:], kp.public[:])
	} else {
		copy(out[32:], kp.sk().nonce[:])
	}
	return out, true
}

// PolkadotJSSecret returns an sr25519 secret in polkadot.js form:
// key×8 ‖ nonce. It is false for ed25519 and public-only keys.
func (kp *Keypair) PolkadotJSSecret() ([64]byte, bool) {
	var out [64]byte
	if kp.ref == nil || kp.scheme != SR25519 {
		return out, false
	}
	var k [32]byte = kp.sk().key
	multiplyByCofactor(&k)
	copy(out[:32], k[:])
	copy(out[32:], kp.sk().nonce[:])
	clear(k[:])
	return out, true
}

// Zero overwrites the secret held by kp and makes it public-only. The
// public key stays. Go cannot promise that no copy survives elsewhere
// (the garbage collector may have moved or copied memory, and strings
// handed out by Mnemonic are immutable), so this is best effort. Zero on a
// nil *Keypair does nothing.
func (kp *Keypair) Zero() {
	if kp != nil && kp.ref != nil {
		kp.sk().wipe()
		kp.ref = nil
	}
}

// String returns "Keypair(sr25519 pair 5Grw…)" style text with no secret in
// it. String, GoString and Format have value receivers so that a Keypair
// printed by value is covered too.
func (kp Keypair) String() string {
	kind := "public"
	if kp.ref != nil {
		kind = "pair"
	}
	return "Keypair(" + kp.scheme.String() + " " + kind + " " + kp.Address() + ")"
}

// GoString is String, so %#v prints no secret either.
func (kp Keypair) GoString() string { return kp.String() }

// Format makes every fmt verb print String, so no verb can reach the secret.
func (kp Keypair) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(kp.String())) }

// Sign signs msg. sr25519 uses the "substrate" signing context and returns
// a marked schnorrkel signature (randomized: two calls differ, both
// verify); ed25519 is plain RFC 8032. A public-only key is ErrNoSecret.
func (kp *Keypair) Sign(msg []byte) ([64]byte, error) {
	if kp.ref == nil {
		return [64]byte{}, ErrNoSecret
	}
	if kp.scheme == Ed25519 {
		return edSign(&kp.sk().key, msg), nil
	}
	return srSign(&kp.sk().key, msg)
}

// Verify reports whether sig is kp's signature of msg.
func (kp *Keypair) Verify(msg, sig []byte) bool {
	return verifyScheme(kp.scheme, kp.public, msg, sig)
}

func verifyScheme(scheme Scheme, pub units.AccountID, msg, sig []byte) bool {
	if len(sig) != 64 {
		return false
	}
	var s [64]byte
	copy(s[:], sig)
	p := [32]byte(pub)
	if scheme == Ed25519 {
		return edVerify(&p, msg, &s)
	}
	return srVerify(&p, msg, &s)
}
