package wallet

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"strings"

	"github.com/cosmos/go-bip39"
)

// DefaultWords is the mnemonic length btcli and btwallet create by default.
const DefaultWords = 12

// validWords reports the BIP39 sentence lengths (12, 15, 18, 21, 24).
func validWords(n int) bool { return n >= 12 && n <= 24 && n%3 == 0 }

// GenerateMnemonic returns a new English BIP39 sentence of words words
// (12, 15, 18, 21 or 24) from crypto/rand entropy. Any other count is
// ErrInvalidPhrase.
func GenerateMnemonic(words int) (string, error) {
	if !validWords(words) {
		return "", ErrInvalidPhrase
	}
	var entropy [32]byte
	n := words * 4 / 3 // entropy bytes: 16..32
	if _, err := rand.Read(entropy[:n]); err != nil {
		return "", err
	}
	defer clear(entropy[:])
	return entropyToMnemonic(entropy[:n]), nil
}

// entropyToMnemonic encodes 16-32 bytes of entropy (a multiple of 4) as an
// English sentence: entropy ‖ first len/4 bits of SHA-256(entropy), in
// 11-bit groups.
func entropyToMnemonic(entropy []byte) string {
	sum := sha256.Sum256(entropy)
	var buf [33]byte
	n := copy(buf[:], entropy)
	buf[n] = sum[0] // at most 8 checksum bits are needed
	words := (len(entropy)*8 + len(entropy)/4) / 11
	var b strings.Builder
	for w := 0; w < words; w++ {
		idx := 0
		for bit := w * 11; bit < w*11+11; bit++ {
			idx = idx<<1 | int(buf[bit/8]>>(7-bit%8)&1)
		}
		if w > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(bip39.WordList[idx])
	}
	clear(buf[:])
	return b.String()
}

// mnemonicEntropy parses an English BIP39 sentence the way rust-bip39's
// parse_in_normalized does (words split on any whitespace, matched exactly,
// so upper case is refused), checks the checksum and writes the entropy
// into dst, returning its length (16..32). Errors are ErrInvalidPhrase.
func mnemonicEntropy(dst *[33]byte, phrase string) (int, error) {
	words := strings.Fields(phrase)
	if !validWords(len(words)) {
		return 0, ErrInvalidPhrase
	}
	clear(dst[:])
	for w, word := range words {
		idx, ok := bip39.ReverseWordMap[word]
		if !ok {
			clear(dst[:])
			return 0, ErrInvalidPhrase
		}
		for k := 0; k < 11; k++ {
			bit := w*11 + k
			if idx>>(10-k)&1 == 1 {
				dst[bit/8] |= 1 << (7 - bit%8)
			}
		}
	}
	entBits := len(words) * 11 * 32 / 33
	n := entBits / 8
	csBits := uint(len(words)*11 - entBits)
	sum := sha256.Sum256(dst[:n])
	got := dst[n] >> (8 - csBits)
	want := sum[0] >> (8 - csBits)
	dst[n] = 0
	if got != want {
		clear(dst[:])
		return 0, ErrInvalidPhrase
	}
	return n, nil
}

// ValidateMnemonic reports whether phrase is a valid English BIP39 sentence
// (word count, word list, checksum); the error is ErrInvalidPhrase.
func ValidateMnemonic(phrase string) error {
	var ent [33]byte
	_, err := mnemonicEntropy(&ent, phrase)
	clear(ent[:])
	return err
}

// NormalizeMnemonic returns phrase with its words joined by single spaces,
// the form keyfiles store and go-bip39 expects.
func NormalizeMnemonic(phrase string) string {
	return strings.Join(strings.Fields(phrase), " ")
}

// MiniSecretFromMnemonic returns the 32-byte mini secret ("secret seed")
// Substrate derives from phrase and passphrase: PBKDF2-HMAC-SHA512 with the
// BIP39 *entropy* as the password, "mnemonic"+passphrase as the salt and
// 2048 iterations, first 32 bytes (substrate-bip39). This is not standard
// BIP39, which uses the sentence as the password.
func MiniSecretFromMnemonic(phrase, passphrase string) ([32]byte, error) {
	var out [32]byte
	seed, err := seedFromMnemonic(phrase, passphrase)
	if err != nil {
		return out, err
	}
	copy(out[:], seed[:32])
	clear(seed[:])
	return out, nil
}

// seedFromMnemonic returns substrate-bip39's 64-byte seed.
func seedFromMnemonic(phrase, passphrase string) ([64]byte, error) {
	var seed [64]byte
	var ent [33]byte
	n, err := mnemonicEntropy(&ent, phrase)
	if err != nil {
		return seed, err
	}
	k, err := pbkdf2.Key(sha512.New, string(ent[:n]), []byte("mnemonic"+passphrase), 2048, 64)
	clear(ent[:])
	if err != nil {
		return seed, err
	}
	copy(seed[:], k)
	clear(k)
	return seed, nil
}
