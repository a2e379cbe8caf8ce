package vector

import (
	"encoding/hex"
	"encoding/json"

	"github.com/dtao-go/dtao/wallet"
)

// keypairKind answers kind "keypair" (spec/wallet.md, keys): input {"uri":
// mnemonic, 0x seed or secret URI, "scheme": "sr25519" (default) or
// "ed25519"}, output {"public_key": hex, "ss58": address with prefix 42}.
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
		return nil, badVector("scheme must be \"sr25519\" or \"ed25519\", not %q", in.Scheme)
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
