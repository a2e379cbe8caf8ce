package vector

import (
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/dtao-go/dtao/wallet"
)

// keypairKind answers kind "keypair" (docs/conformance.md, kind keypair):
// the key btwallet derives from a mnemonic, 0x seed or secret URI
// (src/keypair.rs, Keypair::create_from_uri, through sp-core's
// Pair::from_string). Input {"uri": mnemonic, 0x seed or secret URI,
// "scheme": "sr25519" (default) or "ed25519"}, output {"public_key": hex,
// "ss58": address with prefix 42}.
func keypairKind(raw json.RawMessage) (any, error) {
	in := struct {
		URI    string `json:"uri"`
		Scheme string `json:"scheme"`
	}{Scheme: "sr25519"}
	if err := decodeInput(raw, &in, "uri"); err != nil {
		return nil, err
	}
	var scheme wallet.Scheme
	switch in.Scheme {
	case "sr25519":
		scheme = wallet.SR25519
	case "ed25519":
		scheme = wallet.Ed25519
	default:
		return nil, badVector("scheme must be \"sr25519\" or \"ed25519\", not %s", quoteShort(in.Scheme))
	}
	if n := uriJunctions(in.URI); n > MaxKeypairJunctions {
		return nil, badVector("%d junctions in the derivation path exceed this runner's bound of %d", n, MaxKeypairJunctions)
	}
	kp, err := wallet.FromURIScheme(in.URI, scheme)
	if err != nil {
		return nil, err
	}
	defer kp.Zero()
	id := kp.AccountID()
	return struct {
		PublicKey string `json:"public_key"`
		SS58      string `json:"ss58"`
	}{hex.EncodeToString(id[:]), kp.Address()}, nil
}

// MaxKeypairJunctions bounds the junctions of a "keypair" URI: each costs a
// derivation (tens of microseconds for sr25519), so a 16 MiB path of "/a"
// would take minutes. sp-core and btwallet put no bound on a path; their
// tests use a handful of junctions.
const MaxKeypairJunctions = 1024

// uriJunctions counts the junctions of a secret URI as sp-core's
// AddressUri::parse splits it: the runs of '/' before the first "///"
// (which starts the password).
func uriJunctions(uri string) int {
	if i := strings.Index(uri, "///"); i >= 0 {
		uri = uri[:i]
	}
	n := 0
	for i := 0; i < len(uri); i++ {
		if uri[i] == '/' && (i == 0 || uri[i-1] != '/') {
			n++
		}
	}
	return n
}
