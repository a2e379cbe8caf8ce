package wallet

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// Vectors of spec/wallet.md §A2 ("Vectors"), sr25519 unless noted.
var keyVectors = []struct {
	uri     string
	scheme  Scheme
	public  string
	address string
}{
	{DevPhrase, SR25519, "46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a", "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV"},
	{"//Alice", SR25519, "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"},
	{DevPhrase + "//Alice", SR25519, "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"},
	{DevPhrase + "/Alice", SR25519, "d6c71059dbbe9ad2b0ed3f289738b800836eb425544ce694825285b958ca755e", ""},
	{"//Bob", SR25519, "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48", "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"},
	{"//Charlie", SR25519, "90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22", "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y"},
	{"//Dave", SR25519, "", "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy"},
	{"//Eve", SR25519, "", "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw"},
	{"//Ferdie", SR25519, "", "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL"},
	{"//Bob/test", SR25519, "", "5CJGwWiKXSE16WJaxBdPZhWqUYkotgenLUALv7ZvqQ4TXeqf"},
	{"//PathNameLongerThan32BytesWhichShouldBeHashed", SR25519, "", "5GR5pfZeNs1uQiSWVxZaQiZou3wdZiX894eqgvfNfHbEh7W2"},
	{"old leopard transfer rib spatial phone calm indicate online fire caution review", SR25519, "e4359ad3e2716c539a1d663ebd0a51bdc5c98a12e663bb4c4402db47828c9446", "5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX"},
	{"stool feel open east woman high can denial forget screen trust salt", SR25519, "86eb46a3f42935d901acc3b8910ca301d969b76cfc2a80f0eac733a8eda7ed24", "5F7cAYCZEBz21YEjzSZPGyP7W2fva7qUXDexxXsVezSHyktz"},
	{"0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", SR25519, "44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f", ""},
	{"0x" + hex.EncodeToString([]byte("12345678901234567890123456789012")), SR25519, "741c08a06f41c596608f6774259bd9043304adfa5d3eea62760bd9be97634d63", ""},
	{"0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", Ed25519, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", ""},
	{"//Alice", Ed25519, "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee", "5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu"},
}

func TestKeyVectors(t *testing.T) {
	for _, v := range keyVectors {
		t.Run(v.scheme.String()+" "+v.uri, func(t *testing.T) {
			kp, err := FromURIScheme(v.uri, v.scheme)
			require.NoError(t, err)
			if v.public != "" {
				id := kp.AccountID()
				assert.Equal(t, v.public, hex.EncodeToString(id[:]))
			}
			if v.address != "" {
				assert.Equal(t, v.address, kp.Address())
			}
		})
	}
}

func TestEd25519HardZeroJunction(t *testing.T) {
	seed := unhex(t, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
	var s [32]byte
	copy(s[:], seed)
	got := edHardDerive(&s, [32]byte{})
	assert.Equal(t, "ede3354e133f9c8e337ddd6ee5415ed4b4ffe5fc7d21e933f4930a3730e5b21c", hex.EncodeToString(got[:]))

	// The same through a URI: junction "0" encodes as u64 0, i.e. 32 zero bytes.
	kp, err := FromURIScheme("0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60//0", Ed25519)
	require.NoError(t, err)
	derived, ok := kp.Seed()
	require.True(t, ok)
	assert.Equal(t, "ede3354e133f9c8e337ddd6ee5415ed4b4ffe5fc7d21e933f4930a3730e5b21c", hex.EncodeToString(derived[:]))
	direct, err := FromSeedScheme(derived[:], Ed25519)
	require.NoError(t, err)
	assert.Equal(t, direct.AccountID(), kp.AccountID())
}

// Secrets for keyfile round trips (spec/wallet.md §A2).
var secretVectors = []struct {
	uri, seed, private string
}{
	{DevPhrase, "fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e", "05d65584630d16cd4af6d0bec10f34bb504a5dcb62dba2122d49f5a663763d0afd190cce74df356432b410bd64682309d6dedb27c76845daf388557cbac3ca34"},
	{"//Alice", "e5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a", "33a6f3093f158a7109f679410bef1a0c54168145e0cecb4df006c1c2fffb1f09925a225d97aa00682d6a59b95b18780c10d7032336e88f3442b42361f4a66011"},
	{"old leopard transfer rib spatial phone calm indicate online fire caution review", "da3cf5b1e9144931a0f0db65664aab662673b099415a7f8121b7245fb0be4143", "1f1995bdf3a17b60626a26cfe6f564b337d46056b7a1281b64c649d592ccda0a9cffd34d9fb01cae1fba61aeed184c817442a2186d5172416729a4b54dd4b84e"},
	{"stool feel open east woman high can denial forget screen trust salt", "023d5fbd7981676587a9f7232aeae1087ac7c265f9658fb643b6f5e61961dfbf", "2b400f61c21cbaad4d5cb2dcbb4ef4fcdc238b98d04d48c6d2a451ebfd306c0eed845edcc69b0a19a6905afed0dd84c16ebd0f458928f2e91a6b67b95fc0b42f"},
}

func TestSecretVectors(t *testing.T) {
	for _, v := range secretVectors {
		kp, err := FromURI(v.uri)
		require.NoError(t, err, v.uri)
		seed, ok := kp.Seed()
		require.True(t, ok)
		assert.Equal(t, v.seed, hex.EncodeToString(seed[:]), v.uri)
		priv, ok := kp.PrivateKey()
		require.True(t, ok)
		assert.Equal(t, v.private, hex.EncodeToString(priv[:]), v.uri)

		// The three inputs btwallet's tests use are the same key.
		fromSeed, err := FromSeed(unhex(t, v.seed))
		require.NoError(t, err)
		fromPriv, err := FromPrivateKey(unhex(t, v.private))
		require.NoError(t, err)
		assert.Equal(t, kp.AccountID(), fromSeed.AccountID())
		assert.Equal(t, kp.AccountID(), fromPriv.AccountID())
	}
}
