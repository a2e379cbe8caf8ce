package wallet_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/dtao-go/dtao/units"
	"github.com/dtao-go/dtao/wallet"
)

// Every error of the package is a *units.ChainError that errors.As reaches
// through a wrapper, with the message and chain name it had before the
// module settled on one chain-error type.
func TestErrorsAreChainErrors(t *testing.T) {
	for _, c := range []struct {
		err       error
		name, msg string
	}{
		{wallet.ErrBadBase58, "BadBase58", "wallet: ss58: invalid base58"},
		{wallet.ErrBadLength, "BadLength", "wallet: ss58: bad length"},
		{wallet.ErrInvalidPrefix, "InvalidPrefix", "wallet: ss58: invalid prefix"},
		{wallet.ErrInvalidChecksum, "InvalidChecksum", "wallet: ss58: invalid checksum"},
		{wallet.ErrFormatNotAllowed, "FormatNotAllowed", "wallet: ss58: reserved prefix"},
		{wallet.ErrInvalidPhrase, "InvalidPhrase", "wallet: invalid secret phrase"},
		{wallet.ErrInvalidSeed, "InvalidSeed", "wallet: invalid seed"},
		{wallet.ErrInvalidSeedLength, "InvalidSeedLength", "wallet: invalid secret length"},
		{wallet.ErrInvalidPath, "InvalidPath", "wallet: invalid derivation path"},
		{wallet.ErrInvalidPassword, "InvalidPassword", "wallet: invalid character in URI password"},
		{wallet.ErrSoftKeyInPath, "SoftKeyInPath", "wallet: soft junction in an ed25519 path"},
		{wallet.ErrInvalidSecretKey, "InvalidSecretKey", "wallet: invalid secret key"},
		{wallet.ErrNoSecret, "NoSecret", "wallet: key has no secret (public only)"},
		{wallet.ErrInvalidHex, "InvalidFormat", "wallet: invalid hex"},
		{wallet.ErrUnsupportedScheme, "UnsupportedScheme", "wallet: unsupported signature scheme"},
		{wallet.ErrInvalidSignature, "InvalidSignature", "wallet: invalid signature encoding"},
		{wallet.ErrWrongPassword, "DecryptionError", "wallet: wrong password for decryption"},
		{wallet.ErrInvalidEncryption, "InvalidEncryption", "wallet: malformed encrypted keyfile"},
		{wallet.ErrDeserialization, "DeserializationError", "wallet: keyfile data cannot be parsed"},
		{wallet.ErrKeyMismatch, "KeyMismatch", "wallet: keyfile secret does not match its public key"},
		{wallet.ErrUnencryptedColdkey, "UnencryptedColdkey", "wallet: coldkey is not encrypted"},
		{wallet.ErrNoPassword, "NoPassword", "wallet: no password available"},
		{wallet.ErrFileNotFound, "FileNotFound", "wallet: keyfile does not exist"},
		{wallet.ErrFileExists, "NotWritable", "wallet: keyfile exists (overwrite not allowed)"},
		{wallet.ErrInvalidName, "InvalidName", "wallet: invalid wallet or hotkey name"},
		{wallet.ErrNotRegularFile, "NotRegularFile", "wallet: keyfile is not a regular file"},
		{wallet.ErrKeyfileTooLarge, "KeyfileTooLarge", "wallet: keyfile is too large"},
		{wallet.ErrKDFCost, "KdfCostTooHigh", "wallet: key derivation cost above the accepted bound"},
		{wallet.ErrNilArgument, "NilArgument", "wallet: nil argument"},
	} {
		wrapped := fmt.Errorf("opening wallet default: %w", c.err)
		var ce *units.ChainError
		if !errors.As(wrapped, &ce) || ce != c.err {
			t.Errorf("%s: errors.As does not reach a *units.ChainError", c.name)
			continue
		}
		if got := ce.ChainName(); got != c.name {
			t.Errorf("ChainName() = %q, want %q", got, c.name)
		}
		if got := units.ChainName(wrapped); got != c.name {
			t.Errorf("units.ChainName = %q, want %q", got, c.name)
		}
		if got := c.err.Error(); got != c.msg {
			t.Errorf("Error() = %q, want %q", got, c.msg)
		}
	}
}
