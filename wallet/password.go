package wallet

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// PasswordSource supplies the password of the keyfile at path. It returns
// ErrNoPassword when it has none. The library never prompts: a program that
// wants a prompt writes a PasswordSource that prompts.
type PasswordSource func(path string) ([]byte, error)

// Password returns a source that always gives pw. Passwords are used
// exactly as given (btwallet trims only passwords it prompts for).
func Password(pw string) PasswordSource {
	return func(string) ([]byte, error) { return []byte(pw), nil }
}

// EnvPassword returns a source reading btwallet's variable for the keyfile
// (EnvVarName(path)), whose value is base64(password XOR name). Absent
// variable: ErrNoPassword.
func EnvPassword() PasswordSource {
	return func(path string) ([]byte, error) {
		name := EnvVarName(path)
		v, ok := os.LookupEnv(name)
		if !ok {
			return nil, ErrNoPassword
		}
		return DecodeEnvPassword(name, v)
	}
}

// LegacyEnvPassword returns a source reading the old Python SDK's plaintext
// variable BT_COLD_PW_<WALLETNAME> (upper case; hyphens also tried as
// underscores).
func LegacyEnvPassword(walletName string) PasswordSource {
	return func(string) ([]byte, error) {
		up := strings.ToUpper(walletName)
		for _, n := range []string{"BT_COLD_PW_" + up, "BT_COLD_PW_" + strings.ReplaceAll(up, "-", "_")} {
			if v, ok := os.LookupEnv(n); ok {
				return []byte(v), nil
			}
		}
		return nil, ErrNoPassword
	}
}

// FirstPassword tries sources in order and returns the first password
// found; errors other than ErrNoPassword stop the search.
func FirstPassword(sources ...PasswordSource) PasswordSource {
	return func(path string) ([]byte, error) {
		for _, s := range sources {
			if s == nil {
				continue
			}
			pw, err := s(path)
			if err == nil {
				return pw, nil
			}
			if !errors.Is(err, ErrNoPassword) {
				return nil, err
			}
		}
		return nil, ErrNoPassword
	}
}

// EnvVarName returns btwallet's password variable for a keyfile path:
// "BT_PW_" + the path with the OS separator and '.' replaced by '_',
// upper-cased. btwallet uses the tilde-expanded path, as Wallet does.
func EnvVarName(path string) string {
	p := strings.ReplaceAll(path, string(filepath.Separator), "_")
	p = strings.ReplaceAll(p, ".", "_")
	return "BT_PW_" + strings.ToUpper(p)
}

// EncodeEnvPassword returns the value btwallet's save_password_to_env
// stores: base64(password XOR name), the name repeated as the XOR key. It is
// obfuscation, not encryption.
func EncodeEnvPassword(name, password string) string {
	return base64.StdEncoding.EncodeToString(xorName([]byte(password), name))
}

// DecodeEnvPassword inverts EncodeEnvPassword. Bad base64 is
// ErrInvalidEncryption.
func DecodeEnvPassword(name, value string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(value)
	if err != nil {
		return nil, ErrInvalidEncryption
	}
	return xorName(b, name), nil
}

func xorName(b []byte, name string) []byte {
	out := make([]byte, len(b))
	if name == "" {
		copy(out, b)
		return out
	}
	for i, c := range b {
		out[i] = c ^ name[i%len(name)]
	}
	return out
}
