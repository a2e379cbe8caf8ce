package wallet

import (
	"encoding/binary"

	"golang.org/x/crypto/blake2b"
)

// DevPhrase is Substrate's public development mnemonic, implied when a secret
// URI starts with a path ("//Alice"). Keys derived from it are public
// knowledge: never hold value with them.
const DevPhrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk"

// junction is one step of a derivation path: a 32-byte chain code and
// whether it is hard ("//") or soft ("/").
type junction struct {
	hard bool
	code [32]byte
}

// secretURI is a parsed secret URI. It holds secrets and is never exported
// or printed.
type secretURI struct {
	phrase    string // "" when the URI starts with a path (DevPhrase applies)
	hasPhrase bool
	path      []junction
	password  string
	hasPass   bool
}

// parseURI splits s as sp-core's AddressUri::parse does, equivalent to the
// regular expression
//
//	^(?P<phrase>[a-zA-Z0-9 ]+)?(?P<path>(//?[^/]+)*)(///(?P<password>.*))?$
//
// At each step "///" is tried before "//" before "/"; everything after the
// first "///" up to a newline is the password. Errors: a character outside
// [a-zA-Z0-9 ] in the phrase is ErrInvalidPhrase, an empty junction
// ErrInvalidPath, a newline in the password ErrInvalidPassword. (sp-core
// reports all of them as InvalidFormat carrying the detail.)
func parseURI(s string) (secretURI, error) {
	var u secretURI
	i := 0
	for i < len(s) && isPhraseByte(s[i]) {
		i++
	}
	if i > 0 {
		u.phrase, u.hasPhrase = s[:i], true
	}
	rest := s[i:]
	for len(rest) > 0 {
		switch {
		case len(rest) >= 3 && rest[:3] == "///":
			rest = rest[3:]
			j := 0
			for j < len(rest) && rest[j] != '\n' {
				j++
			}
			u.password, u.hasPass = rest[:j], true
			rest = rest[j:]
		case len(rest) >= 2 && rest[:2] == "//":
			rest = rest[2:]
			j := junctionEnd(rest)
			if j == 0 {
				return secretURI{}, ErrInvalidPath
			}
			u.path = append(u.path, newJunction(rest[:j], true))
			rest = rest[j:]
		case rest[0] == '/':
			rest = rest[1:]
			j := junctionEnd(rest)
			if j == 0 {
				return secretURI{}, ErrInvalidPath
			}
			u.path = append(u.path, newJunction(rest[:j], false))
			rest = rest[j:]
		default:
			if u.hasPass {
				return secretURI{}, ErrInvalidPassword
			}
			return secretURI{}, ErrInvalidPhrase
		}
	}
	return u, nil
}

func isPhraseByte(c byte) bool {
	return c == ' ' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// junctionEnd returns the length of the junction text at the start of s
// (everything up to the next '/').
func junctionEnd(s string) int {
	j := 0
	for j < len(s) && s[j] != '/' {
		j++
	}
	return j
}

// newJunction encodes junction text as sp-core's DeriveJunction::from does:
// text that parses as a u64 (Rust's u64::from_str: an optional '+', then
// digits, leading zeros allowed) is the 8-byte little-endian SCALE encoding
// of the number; anything else is the SCALE encoding of the string (compact
// length ‖ bytes). An encoding longer than 32 bytes is replaced by its
// blake2b-256 hash; a shorter one is right-padded with zeros.
func newJunction(text string, hard bool) junction {
	j := junction{hard: hard}
	if n, ok := parseRustU64(text); ok {
		binary.LittleEndian.PutUint64(j.code[:8], n)
		return j
	}
	var prefix [5]byte
	p := compactLen(&prefix, len(text))
	if p+len(text) > 32 {
		h, _ := blake2b.New256(nil) // cannot fail without a key
		h.Write(prefix[:p])
		h.Write([]byte(text))
		h.Sum(j.code[:0])
		return j
	}
	copy(j.code[:], prefix[:p])
	copy(j.code[p:], text)
	return j
}

// parseRustU64 mirrors Rust's u64::from_str: optional '+', at least one
// decimal digit, no overflow.
func parseRustU64(s string) (uint64, bool) {
	if len(s) > 0 && s[0] == '+' {
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (^uint64(0)-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// compactLen writes SCALE's compact encoding of n into b and returns its
// length: 1, 2 or 4 bytes below 2^30, else 5 bytes in big-integer mode
// (junction text is never near 4 GiB; longer lengths are truncated to u32).
func compactLen(b *[5]byte, n int) int {
	switch {
	case n < 1<<6:
		b[0] = byte(n << 2)
		return 1
	case n < 1<<14:
		binary.LittleEndian.PutUint16(b[:2], uint16(n<<2|1))
		return 2
	case n < 1<<30:
		binary.LittleEndian.PutUint32(b[:4], uint32(n<<2|2))
		return 4
	default:
		b[0] = 3 // (4 bytes - 4) << 2 | 0b11: a u32 follows
		binary.LittleEndian.PutUint32(b[1:5], uint32(n))
		return 5
	}
}
