package wallet

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosmos/go-bip39"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// substrate-bip39's 24 vectors: entropy and the 64-byte seed with
// passphrase "Substrate"; the mini secret is its first half.
func TestSubstrateBIP39Vectors(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "substrate_bip39.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var v struct{ Phrase, Entropy, Seed string }
		require.NoError(t, json.Unmarshal([]byte(line), &v))
		var ent [33]byte
		k, err := mnemonicEntropy(&ent, v.Phrase)
		require.NoError(t, err, v.Phrase)
		assert.Equal(t, v.Entropy, hex.EncodeToString(ent[:k]))
		seed, err := seedFromMnemonic(v.Phrase, "Substrate")
		require.NoError(t, err)
		assert.Equal(t, v.Seed, hex.EncodeToString(seed[:]))
		mini, err := MiniSecretFromMnemonic(v.Phrase, "Substrate")
		require.NoError(t, err)
		assert.Equal(t, v.Seed[:64], hex.EncodeToString(mini[:]))
		assert.Equal(t, v.Phrase, entropyToMnemonic(ent[:k]))
		n++
	}
	require.NoError(t, sc.Err())
	assert.Equal(t, 24, n)
}

// Not standard BIP39: go-bip39's NewSeed (sentence as the password) gives
// another key, the classic interop bug.
func TestNotStandardBIP39(t *testing.T) {
	phrase := "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
	std := bip39.NewSeed(phrase, "Substrate")
	ours, err := seedFromMnemonic(phrase, "Substrate")
	require.NoError(t, err)
	assert.NotEqual(t, std, ours[:])
}

func TestMnemonicErrors(t *testing.T) {
	for _, p := range []string{
		"",
		"abandon",
		"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon",       // checksum
		"Abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",         // case
		"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abouts",        // word
		"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",                 // 11
		"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", // 13
	} {
		assert.ErrorIs(t, ValidateMnemonic(p), ErrInvalidPhrase, p)
		_, err := FromMnemonic(p, "")
		assert.ErrorIs(t, err, ErrInvalidPhrase, p)
	}
	// Any whitespace separates words.
	assert.NoError(t, ValidateMnemonic("\tabandon abandon  abandon abandon abandon abandon abandon abandon abandon abandon abandon\nabout "))
	assert.Equal(t, "a b", NormalizeMnemonic(" a \t b\n"))
	for _, n := range []int{0, 11, 13, 27} {
		_, err := GenerateMnemonic(n)
		assert.ErrorIs(t, err, ErrInvalidPhrase, n)
	}
}

// Property: generated mnemonics of every length validate, decode to
// entropy of the right size and re-encode to themselves.
func TestGenerateMnemonicProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		words := rapid.SampledFrom([]int{12, 15, 18, 21, 24}).Draw(t, "words")
		m, err := GenerateMnemonic(words)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(strings.Fields(m)); got != words {
			t.Fatalf("%d words, want %d", got, words)
		}
		if !bip39.IsMnemonicValid(m) {
			t.Fatalf("go-bip39 rejects %q", m)
		}
		var ent [33]byte
		k, err := mnemonicEntropy(&ent, m)
		if err != nil || k != words*4/3 {
			t.Fatalf("entropy %d, %v", k, err)
		}
		if entropyToMnemonic(ent[:k]) != m {
			t.Fatal("round trip")
		}
	})
}

// Property: random entropy encodes to a sentence go-bip39 produces too.
func TestEntropyToMnemonicMatchesGoBIP39(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.SampledFrom([]int{16, 20, 24, 28, 32}).Draw(t, "n")
		e := rapid.SliceOfN(rapid.Byte(), n, n).Draw(t, "entropy")
		want, err := bip39.NewMnemonic(e)
		if err != nil {
			t.Fatal(err)
		}
		if got := entropyToMnemonic(e); got != want {
			t.Fatalf("%q vs %q", got, want)
		}
	})
}

// Curiosity from the spec: all-zero entropies of 16, 24 and 32 bytes give
// the same seed (HMAC zero-pads short keys).
func TestZeroEntropySameSeed(t *testing.T) {
	var seeds [][64]byte
	for _, n := range []int{16, 24, 32} {
		s, err := seedFromMnemonic(entropyToMnemonic(make([]byte, n)), "")
		require.NoError(t, err)
		seeds = append(seeds, s)
	}
	assert.Equal(t, seeds[0], seeds[1])
	assert.Equal(t, seeds[0], seeds[2])
}

// Round trip: generate -> save -> load gives the same key and address
// (low KDF cost; the real one is checked in encryption_test.go).
func TestGenerateSaveLoadProperty(t *testing.T) {
	dir := t.TempDir()
	i := 0
	rapid.Check(t, func(t *rapid.T) {
		i++
		words := rapid.SampledFrom([]int{12, 15, 18, 21, 24}).Draw(t, "words")
		pw := rapid.String().Draw(t, "password")
		w, err := New("w"+strings.Repeat("x", i%7)+string(rune('a'+i%26)), "h", filepath.Join(dir, hex.EncodeToString([]byte{byte(i), byte(i >> 8)})))
		if err != nil {
			t.Fatal(err)
		}
		phrase, err := w.CreateColdkey(words, WithPassword(Password(pw)))
		if err != nil {
			t.Fatal(err)
		}
		want, err := FromMnemonic(phrase, "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := w.Coldkey(WithPassword(Password(pw)))
		if err != nil {
			t.Fatal(err)
		}
		pub, err := w.Coldkeypub()
		if err != nil {
			t.Fatal(err)
		}
		if got.Address() != want.Address() || pub.Address() != want.Address() {
			t.Fatalf("%s / %s vs %s", got.Address(), pub.Address(), want.Address())
		}
		a, _ := got.PrivateKey()
		b, _ := want.PrivateKey()
		if a != b {
			t.Fatal("private key differs")
		}
	})
}

func FuzzUnmarshalKeyfile(f *testing.F) {
	f.Add([]byte(`{"secretPhrase":"` + DevPhrase + `"}`))
	f.Add([]byte(`{"accountId": "0x` + aliceHex + `", "secretSeed": null}`))
	f.Add([]byte("0x" + aliceHex))
	f.Add([]byte(`{"privateKey":"0x` + secretVectors[1].private + `"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		kp, err := UnmarshalKeyfile(data)
		if err != nil {
			return
		}
		// Whatever loads re-marshals and loads to the same account.
		out, err := MarshalKeyfile(kp)
		if err != nil {
			t.Fatal(err)
		}
		back, err := UnmarshalKeyfile(out)
		if err != nil || back.AccountID() != kp.AccountID() {
			t.Fatalf("re-load: %v", err)
		}
	})
}

// Decryption of arbitrary data never panics and never returns data for a
// wrong password.
func FuzzDecryptKeyfileData(f *testing.F) {
	f.Add([]byte("$NACL"+strings.Repeat("\x00", 60)), []byte("pw"))
	f.Add([]byte("$ANSIBLE_VAULT;1.1;AES256\n3132\n"), []byte("pw"))
	f.Add([]byte("gAAAAABrB3Dqjh46eug7everYp0XG4WDK3M_qXclNxDM7w95llnaR8nju5TXID3hUNwi0sSZI85P6YZv0e3xkpdGU_KZHgsT_89-HuEF8uwSbZv8grwnNPU_Afed3PSprGu0GkEeRZSYS9-d88ddBt6FYbSPaEpP_Ppfng1-kQELMrMD3jjMrAA="), []byte("x"))
	f.Fuzz(func(t *testing.T, data, pw []byte) {
		out, err := DecryptKeyfileData(data, pw)
		if err != nil && out != nil {
			t.Fatal("data returned with an error")
		}
	})
}
