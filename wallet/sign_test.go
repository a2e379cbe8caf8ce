package wallet

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/units"
)

func TestSignVerify(t *testing.T) {
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	bob, err := FromURI("//Bob")
	require.NoError(t, err)
	msg := []byte("hello bittensor")
	sig, err := alice.Sign(msg)
	require.NoError(t, err)
	assert.NotZero(t, sig[63]&0x80, "marker bit")
	assert.True(t, alice.Verify(msg, sig[:]))
	assert.True(t, Verify(alice.AccountID(), msg, sig[:]))
	assert.False(t, Verify(bob.AccountID(), msg, sig[:]))
	assert.False(t, Verify(alice.AccountID(), []byte("hello bittensoR"), sig[:]))
	assert.False(t, Verify(alice.AccountID(), msg, sig[:63]))

	ok, err := VerifyAddress(alice.Address(), msg, sig[:])
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = VerifyAddress("16ADqpMa4yzfmWs3nuTSMhfZ2ckeGtvqhPWCNqECEGDcGgU2", msg, sig[:])
	require.NoError(t, err)
	assert.False(t, ok)
	_, err = VerifyAddress("blabla", msg, sig[:])
	assert.ErrorIs(t, err, ErrBadBase58)

	// Unmarked signatures fail sp-core's verify.
	unmarked := sig
	unmarked[63] &^= 0x80
	assert.False(t, Verify(alice.AccountID(), msg, unmarked[:]))

	// Signatures are randomized but both verify.
	sig2, err := alice.Sign(msg)
	require.NoError(t, err)
	assert.NotEqual(t, sig, sig2)
	assert.True(t, alice.Verify(msg, sig2[:]))

	// A soft-derived key signs for its public key.
	soft, err := FromURI("//Bob/test")
	require.NoError(t, err)
	sig3, err := soft.Sign(msg)
	require.NoError(t, err)
	ok, err = VerifyAddress("5CJGwWiKXSE16WJaxBdPZhWqUYkotgenLUALv7ZvqQ4TXeqf", msg, sig3[:])
	require.NoError(t, err)
	assert.True(t, ok)
}

// sp-core verify_known_old_message_should_work: a pre-0.8 (unmarked)
// signature made by Rust schnorrkel 0.1 must fail plain verification.
func TestOldUnmarkedSignatureFails(t *testing.T) {
	pub := units.AccountID(unhex(t, "b4bfa1f7a5166695eb75299fd1c4c03ea212871c342f2c5dfea0902b2c246918"))
	sig := unhex(t, "5a9755f069939f45d96aaf125cf5ce7ba1db998686f87f2fb3cbdea922078741a73891ba265f70c31436e18a9acd14d189d73c12317ab6c313285cd938453202")
	msg := []byte("Verifying that I am the owner of 5G9hQLdsKQswNPgB499DeA5PkFBbgkLPJWkkS6FAM6xGQ8xD. Hash: 221455a3\n")
	assert.False(t, Verify(pub, msg, sig))
	assert.False(t, VerifyWrapped(pub, msg, sig))
}

func TestBytesWrapper(t *testing.T) {
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	msg := []byte("proof")
	assert.Equal(t, "<Bytes>proof</Bytes>", string(WrapBytes(msg)))
	sig, err := alice.Sign(WrapBytes(msg))
	require.NoError(t, err)
	assert.False(t, Verify(alice.AccountID(), msg, sig[:]))
	assert.True(t, VerifyWrapped(alice.AccountID(), msg, sig[:]))

	b, err := MessageBytes("0x1234")
	require.NoError(t, err)
	assert.Equal(t, []byte{0x12, 0x34}, b)
	b, err = MessageBytes("hi")
	require.NoError(t, err)
	assert.Equal(t, []byte("hi"), b)
	_, err = MessageBytes("0xzz")
	assert.ErrorIs(t, err, ErrInvalidHex)
}

func TestEd25519SignVerify(t *testing.T) {
	kp, err := FromURIScheme("//Alice", Ed25519)
	require.NoError(t, err)
	sig, err := kp.Sign([]byte("m"))
	require.NoError(t, err)
	assert.True(t, kp.Verify([]byte("m"), sig[:]))
	assert.False(t, Verify(kp.AccountID(), []byte("m"), sig[:]), "not an sr25519 signature")
	priv, ok := kp.PrivateKey()
	require.True(t, ok)
	seed, _ := kp.Seed()
	assert.Equal(t, seed[:], priv[:32])
	_, ok = kp.PolkadotJSSecret()
	assert.False(t, ok)
}

// spec/wallet.md §A2: //Alice's polkadot.js secret is key×8 ‖ nonce.
func TestPolkadotJSSecret(t *testing.T) {
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	pj, ok := alice.PolkadotJSSecret()
	require.True(t, ok)
	h := hexOf(pj[:])
	assert.True(t, len(h) == 128 && h[:8] == "98319d4f" && h[56:64] == "fedfff48", h)
	assert.Equal(t, "925a225d", h[64:72])
	assert.Equal(t, "f4a66011", h[120:])
	back, err := FromPolkadotJSSecret(pj)
	require.NoError(t, err)
	assert.Equal(t, alice.AccountID(), back.AccountID())
}

func TestSecretsNeverPrinted(t *testing.T) {
	kp, err := FromMnemonic(secretVectors[2].uri, "")
	require.NoError(t, err)
	priv, _ := kp.PrivateKey()
	seed, _ := kp.Seed()
	secrets := []string{hexOf(priv[:32]), hexOf(priv[32:]), hexOf(seed[:]), "leopard"}
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q", "%d"} {
		out := sprintf(f, kp)
		for _, s := range secrets {
			assert.NotContains(t, out, s, f)
		}
		assert.Contains(t, out, kp.Address(), f)
		// Also inside a struct, where fmt recurses into the pointer.
		out = sprintf(f, struct{ K *Keypair }{kp})
		for _, s := range secrets {
			assert.NotContains(t, out, s, f)
		}
		out = sprintf(f, *kp)
		for _, s := range secrets {
			assert.NotContains(t, out, s, f)
		}
		assert.Contains(t, out, kp.Address(), f)
	}
	var nilKP *Keypair
	assert.Equal(t, "<nil>", sprintf("%v", nilKP))
	kp.Zero()
	assert.False(t, kp.HasSecret())
	_, err = kp.Sign([]byte("x"))
	assert.ErrorIs(t, err, ErrNoSecret)
	assert.Equal(t, "5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX", kp.Address())
}

// Item 8 of the review: WrapBytes is polkadot.js 14's u8aWrapBytes,
// idempotent (testdata/polkadotjs_v14.json holds its outputs).
func TestWrapBytesMatchesPolkadotJS(t *testing.T) {
	v := loadPJSVectors(t)
	for in, want := range map[string]string{
		"<Bytes>dtao</Bytes>":              v.WrapOfWrapped,
		"dtao":                             v.WrapOfPlain,
		"\x19Ethereum Signed Message:\nhi": v.WrapOfEth,
		"<Bytes></Bytes>":                  v.WrapOfEmptyWrapped,
		"<Bytes>/Bytes>":                   v.WrapOfShort,
	} {
		got := WrapBytes([]byte(in))
		assert.Equal(t, want, string(got), "%q", in)
		assert.Equal(t, got, WrapBytes(got), "%q: not idempotent", in)
	}
	for _, in := range []string{"", "<Bytes>", "</Bytes>", "<Bytes>x", "x</Bytes>", "<Bytes></Bytes>x"} {
		once := WrapBytes([]byte(in))
		assert.Equal(t, "<Bytes>"+in+"</Bytes>", string(once), "%q", in)
		assert.Equal(t, once, WrapBytes(once), "%q", in)
	}
	// The result never aliases the input.
	in := []byte("<Bytes>x</Bytes>")
	out := WrapBytes(in)
	out[7] = 'y'
	assert.Equal(t, "<Bytes>x</Bytes>", string(in))
}

// Item 8 of the review: a wrapped ed25519 verification exists, and dtao's
// ed25519 signature over WrapBytes of an already wrapped message is
// polkadot.js's, byte for byte (Ed25519 is deterministic).
func TestVerifyWrappedEd25519(t *testing.T) {
	v := loadPJSVectors(t)
	ed, err := FromURIScheme(pjsURI, Ed25519)
	require.NoError(t, err)
	id := ed.AccountID()
	wrapped := []byte("<Bytes>dtao</Bytes>")
	sig, err := ed.Sign(WrapBytes(wrapped))
	require.NoError(t, err)
	assert.Equal(t, v.Ed25519SigWrapped, "0x"+hexOf(sig[:]))

	pjsSig := unhex(t, strings.TrimPrefix(v.Ed25519SigPlainWrapped, "0x"))
	assert.False(t, VerifyEd25519(id, []byte("dtao"), pjsSig))
	assert.True(t, VerifyWrappedEd25519(id, []byte("dtao"), pjsSig))
	assert.True(t, VerifyEd25519(id, wrapped, pjsSig))
	assert.True(t, VerifyWrappedEd25519(id, wrapped, pjsSig))
	assert.True(t, ed.VerifyWrapped([]byte("dtao"), pjsSig))
	assert.False(t, VerifyWrapped(id, []byte("dtao"), pjsSig), "not an sr25519 signature")
	assert.False(t, VerifyWrappedEd25519(id, []byte("dtau"), pjsSig))
	assert.False(t, VerifyWrappedEd25519(id, []byte("dtao"), pjsSig[:63]))

	// A signature over the message wrapped twice: polkadot.js rejects it
	// for the wrapped message; the btwallet-style wrapped verification,
	// which always wraps once more, accepts it.
	require.False(t, v.PjsAcceptsDouble)
	double := unhex(t, strings.TrimPrefix(v.Ed25519SigDouble, "0x"))
	assert.False(t, VerifyEd25519(id, wrapped, double))
	assert.True(t, VerifyWrappedEd25519(id, wrapped, double))

	// sr25519: the Keypair method agrees with the function.
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	s, err := alice.Sign(WrapBytes([]byte("m")))
	require.NoError(t, err)
	assert.True(t, alice.VerifyWrapped([]byte("m"), s[:]))
	assert.Equal(t, VerifyWrapped(alice.AccountID(), []byte("m"), s[:]), alice.VerifyWrapped([]byte("m"), s[:]))
	assert.False(t, VerifyWrappedEd25519(alice.AccountID(), []byte("m"), s[:]))
}
