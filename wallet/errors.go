package wallet

// chainError is a sentinel that mirrors an error of Substrate's sp-core (or
// of btwallet, for keyfile failures). ChainName returns that error's name as
// the conformance runner prints it.
type chainError struct{ name, msg string }

func (e *chainError) Error() string     { return "wallet: " + e.msg }
func (e *chainError) ChainName() string { return e.name }

// Address errors: sp-core's PublicError variants, by the same names.
var (
	// ErrBadBase58 reports a character outside the Bitcoin base58 alphabet.
	ErrBadBase58 error = &chainError{"BadBase58", "ss58: invalid base58"}
	// ErrBadLength reports an address whose decoded length does not fit its prefix
	// and a 32-byte account.
	ErrBadLength error = &chainError{"BadLength", "ss58: bad length"}
	// ErrInvalidPrefix reports a first byte of 128 or more, or (when
	// encoding) a prefix above 16383.
	ErrInvalidPrefix error = &chainError{"InvalidPrefix", "ss58: invalid prefix"}
	// ErrInvalidChecksum reports a checksum that does not match.
	ErrInvalidChecksum error = &chainError{"InvalidChecksum", "ss58: invalid checksum"}
	// ErrFormatNotAllowed reports one of the reserved prefixes 46 and 47.
	ErrFormatNotAllowed error = &chainError{"FormatNotAllowed", "ss58: reserved prefix"}
)

// Key errors: sp-core's SecretStringError and DeriveError variants.
var (
	// ErrInvalidPhrase reports a mnemonic that is not a valid English BIP39
	// sentence of 12, 15, 18, 21 or 24 words with a correct checksum, or a
	// secret URI whose phrase part holds a character other than ASCII letters,
	// digits and spaces.
	ErrInvalidPhrase error = &chainError{"InvalidPhrase", "invalid secret phrase"}
	// ErrInvalidSeed reports a 0x seed that is not 32 bytes of hex.
	ErrInvalidSeed error = &chainError{"InvalidSeed", "invalid seed"}
	// ErrInvalidSeedLength reports secret bytes of a length other than 32 or 64.
	ErrInvalidSeedLength error = &chainError{"InvalidSeedLength", "invalid secret length"}
	// ErrInvalidPath reports an empty junction, a hard junction applied to a
	// public key, or a malformed derivation path.
	ErrInvalidPath error = &chainError{"InvalidPath", "invalid derivation path"}
	// ErrInvalidPassword reports a newline in a secret URI's ///password.
	ErrInvalidPassword error = &chainError{"InvalidPassword", "invalid character in URI password"}
	// ErrSoftKeyInPath reports a soft junction on an ed25519 key.
	ErrSoftKeyInPath error = &chainError{"SoftKeyInPath", "soft junction in an ed25519 path"}
	// ErrInvalidSecretKey reports a 64-byte secret whose scalar is not
	// canonical, or a keyfile whose secret does not reproduce its public key.
	ErrInvalidSecretKey error = &chainError{"InvalidSecretKey", "invalid secret key"}
	// ErrNoSecret reports an operation that needs a secret on a public-only key.
	ErrNoSecret error = &chainError{"NoSecret", "key has no secret (public only)"}
	// ErrInvalidHex reports a "0x" public key or secret that is not hex.
	ErrInvalidHex error = &chainError{"InvalidFormat", "invalid hex"}
	// ErrUnsupportedScheme reports a Scheme other than SR25519 and Ed25519,
	// or an ed25519 key given to the keyfile writer (btwallet stores sr25519
	// only).
	ErrUnsupportedScheme error = &chainError{"UnsupportedScheme", "unsupported signature scheme"}
	// ErrInvalidSignature reports a signature that is not 64 bytes or not a
	// marked schnorrkel signature.
	ErrInvalidSignature error = &chainError{"InvalidSignature", "invalid signature encoding"}
)

// Keyfile and wallet errors (btwallet's KeyFileError family).
var (
	// ErrWrongPassword reports a failed authentication of an encrypted
	// keyfile: a wrong password or a corrupted file. No key is returned.
	ErrWrongPassword error = &chainError{"DecryptionError", "wrong password for decryption"}
	// ErrInvalidEncryption reports an encrypted keyfile whose container is
	// malformed (truncated nonce, bad hex, bad base64...).
	ErrInvalidEncryption error = &chainError{"InvalidEncryption", "malformed encrypted keyfile"}
	// ErrDeserialization reports keyfile data that is neither keyfile JSON
	// nor a legacy 0x public key.
	ErrDeserialization error = &chainError{"DeserializationError", "keyfile data cannot be parsed"}
	// ErrKeyMismatch reports a keyfile whose secret does not give the public
	// key or address written next to it.
	ErrKeyMismatch error = &chainError{"KeyMismatch", "keyfile secret does not match its public key"}
	// ErrUnencryptedColdkey reports a coldkey stored (or about to be stored)
	// without encryption while the caller did not opt in.
	ErrUnencryptedColdkey error = &chainError{"UnencryptedColdkey", "coldkey is not encrypted"}
	// ErrNoPassword reports an encrypted keyfile read without a password source,
	// a source that had no password, or an encrypted polkadot.js export
	// opened with the empty password.
	ErrNoPassword error = &chainError{"NoPassword", "no password available"}
	// ErrFileNotFound reports a missing keyfile.
	ErrFileNotFound error = &chainError{"FileNotFound", "keyfile does not exist"}
	// ErrFileExists reports a keyfile write that would replace an existing
	// file without Overwrite.
	ErrFileExists error = &chainError{"NotWritable", "keyfile exists (overwrite not allowed)"}
	// ErrInvalidName reports a wallet or hotkey name that is empty, contains a
	// path separator or a NUL, is "." or "..", or is not a local file name;
	// or a Wallet whose Path is empty. Every Wallet method that reads or
	// writes checks the names first.
	ErrInvalidName error = &chainError{"InvalidName", "invalid wallet or hotkey name"}
	// ErrNotRegularFile reports a keyfile path that is not a regular file
	// (after following symbolic links): a directory, device, FIFO or socket.
	ErrNotRegularFile error = &chainError{"NotRegularFile", "keyfile is not a regular file"}
	// ErrKeyfileTooLarge reports a keyfile longer than MaxKeyfileSize.
	ErrKeyfileTooLarge error = &chainError{"KeyfileTooLarge", "keyfile is too large"}
	// ErrKDFCost reports an encrypted export whose key derivation asks for
	// more memory or work than the package accepts (see FromPolkadotJSON).
	ErrKDFCost error = &chainError{"KdfCostTooHigh", "key derivation cost above the accepted bound"}
)

// ErrNilArgument reports a nil *Keypair, *Wallet or key passed to a package
// function or a Wallet method that returns an error.
var ErrNilArgument error = &chainError{"NilArgument", "nil argument"}
