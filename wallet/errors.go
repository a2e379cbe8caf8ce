package wallet

import "github.com/dtao-go/dtao/units"

// The package's errors are *units.ChainError sentinels, the module's one
// chain-error type: each mirrors an error of Substrate's sp-core (or of
// btwallet, for keyfile failures), its Error text starts with "wallet: ",
// and its ChainName (units.ChainName however it is wrapped) is that error's
// name as the conformance runner prints it.

// Address errors: sp-core's PublicError variants, by the same names.
var (
	// ErrBadBase58 reports a character outside the Bitcoin base58 alphabet.
	ErrBadBase58 = units.NewChainError("wallet", "BadBase58", "ss58: invalid base58")
	// ErrBadLength reports an address whose decoded length does not fit its prefix
	// and a 32-byte account.
	ErrBadLength = units.NewChainError("wallet", "BadLength", "ss58: bad length")
	// ErrInvalidPrefix reports a first byte of 128 or more, or (when
	// encoding) a prefix above 16383.
	ErrInvalidPrefix = units.NewChainError("wallet", "InvalidPrefix", "ss58: invalid prefix")
	// ErrInvalidChecksum reports a checksum that does not match.
	ErrInvalidChecksum = units.NewChainError("wallet", "InvalidChecksum", "ss58: invalid checksum")
	// ErrFormatNotAllowed reports one of the reserved prefixes 46 and 47.
	ErrFormatNotAllowed = units.NewChainError("wallet", "FormatNotAllowed", "ss58: reserved prefix")
)

// Key errors: sp-core's SecretStringError and DeriveError variants.
var (
	// ErrInvalidPhrase reports a mnemonic that is not a valid English BIP39
	// sentence of 12, 15, 18, 21 or 24 words with a correct checksum, or a
	// secret URI whose phrase part holds a character other than ASCII letters,
	// digits and spaces.
	ErrInvalidPhrase = units.NewChainError("wallet", "InvalidPhrase", "invalid secret phrase")
	// ErrInvalidSeed reports a 0x seed that is not 32 bytes of hex.
	ErrInvalidSeed = units.NewChainError("wallet", "InvalidSeed", "invalid seed")
	// ErrInvalidSeedLength reports secret bytes of a length other than 32 or 64.
	ErrInvalidSeedLength = units.NewChainError("wallet", "InvalidSeedLength", "invalid secret length")
	// ErrInvalidPath reports an empty junction, a hard junction applied to a
	// public key, or a malformed derivation path.
	ErrInvalidPath = units.NewChainError("wallet", "InvalidPath", "invalid derivation path")
	// ErrInvalidPassword reports a newline in a secret URI's ///password.
	ErrInvalidPassword = units.NewChainError("wallet", "InvalidPassword", "invalid character in URI password")
	// ErrSoftKeyInPath reports a soft junction on an ed25519 key.
	ErrSoftKeyInPath = units.NewChainError("wallet", "SoftKeyInPath", "soft junction in an ed25519 path")
	// ErrInvalidSecretKey reports a 64-byte secret whose scalar is not
	// canonical, or a keyfile whose secret does not reproduce its public key.
	ErrInvalidSecretKey = units.NewChainError("wallet", "InvalidSecretKey", "invalid secret key")
	// ErrNoSecret reports an operation that needs a secret on a public-only key.
	ErrNoSecret = units.NewChainError("wallet", "NoSecret", "key has no secret (public only)")
	// ErrInvalidHex reports a "0x" public key or secret that is not hex.
	ErrInvalidHex = units.NewChainError("wallet", "InvalidFormat", "invalid hex")
	// ErrUnsupportedScheme reports a Scheme other than SR25519 and Ed25519,
	// or an ed25519 key given to the keyfile writer (btwallet stores sr25519
	// only).
	ErrUnsupportedScheme = units.NewChainError("wallet", "UnsupportedScheme", "unsupported signature scheme")
	// ErrInvalidSignature reports a signature that is not 64 bytes or not a
	// marked schnorrkel signature.
	ErrInvalidSignature = units.NewChainError("wallet", "InvalidSignature", "invalid signature encoding")
)

// Keyfile and wallet errors (btwallet's KeyFileError family).
var (
	// ErrWrongPassword reports a failed authentication of an encrypted
	// keyfile: a wrong password or a corrupted file. No key is returned.
	ErrWrongPassword = units.NewChainError("wallet", "DecryptionError", "wrong password for decryption")
	// ErrInvalidEncryption reports an encrypted keyfile whose container is
	// malformed (truncated nonce, bad hex, bad base64...).
	ErrInvalidEncryption = units.NewChainError("wallet", "InvalidEncryption", "malformed encrypted keyfile")
	// ErrDeserialization reports keyfile data that is neither keyfile JSON
	// nor a legacy 0x public key.
	ErrDeserialization = units.NewChainError("wallet", "DeserializationError", "keyfile data cannot be parsed")
	// ErrKeyMismatch reports a keyfile whose secret does not give the public
	// key or address written next to it.
	ErrKeyMismatch = units.NewChainError("wallet", "KeyMismatch", "keyfile secret does not match its public key")
	// ErrUnencryptedColdkey reports a coldkey stored (or about to be stored)
	// without encryption while the caller did not opt in.
	ErrUnencryptedColdkey = units.NewChainError("wallet", "UnencryptedColdkey", "coldkey is not encrypted")
	// ErrNoPassword reports an encrypted keyfile read without a password source,
	// a source that had no password, or an encrypted polkadot.js export
	// opened with the empty password.
	ErrNoPassword = units.NewChainError("wallet", "NoPassword", "no password available")
	// ErrFileNotFound reports a missing keyfile.
	ErrFileNotFound = units.NewChainError("wallet", "FileNotFound", "keyfile does not exist")
	// ErrFileExists reports a keyfile write that would replace an existing
	// file without Overwrite.
	ErrFileExists = units.NewChainError("wallet", "NotWritable", "keyfile exists (overwrite not allowed)")
	// ErrInvalidName reports a wallet or hotkey name that is empty, contains a
	// path separator or a NUL, is "." or "..", or is not a local file name;
	// or a Wallet whose Path is empty. Every Wallet method that reads or
	// writes checks the names first.
	ErrInvalidName = units.NewChainError("wallet", "InvalidName", "invalid wallet or hotkey name")
	// ErrNotRegularFile reports a keyfile path that is not a regular file
	// (after following symbolic links): a directory, device, FIFO or socket.
	ErrNotRegularFile = units.NewChainError("wallet", "NotRegularFile", "keyfile is not a regular file")
	// ErrKeyfileTooLarge reports a keyfile longer than MaxKeyfileSize.
	ErrKeyfileTooLarge = units.NewChainError("wallet", "KeyfileTooLarge", "keyfile is too large")
	// ErrKDFCost reports an encrypted export whose key derivation asks for
	// more memory or work than the package accepts (see FromPolkadotJSON).
	ErrKDFCost = units.NewChainError("wallet", "KdfCostTooHigh", "key derivation cost above the accepted bound")
)

// ErrNilArgument reports a nil *Keypair, *Wallet or key passed to a package
// function or a Wallet method that returns an error.
var ErrNilArgument = units.NewChainError("wallet", "NilArgument", "nil argument")
