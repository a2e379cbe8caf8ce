package vector

import (
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/dtao-go/dtao/units"
	"github.com/dtao-go/dtao/wallet"
)

// MaxSS58Text bounds the address of an "ss58" decode case. sp-core decodes
// the whole base58 text before it checks the length, and so does
// wallet.DecodeSS58, whose work grows faster than linearly in the text
// (minutes for 16 MiB); an address is 47 to 50 characters.
const MaxSS58Text = 4096

// ss58Kind answers kind "ss58" (docs/conformance.md, kind ss58): SS58 as
// sp-core's Ss58Codec makes and reads it (src/crypto.rs), the way btwallet
// uses it (src/keypair.rs, Keypair::ss58_address). Encode: input
// {"public_key": hex(32 bytes), "prefix": u16 (default 42)}, output
// {"address"}, as Ss58Codec::to_ss58check_with_version (any u16 prefix,
// masked to 14 bits). Decode: input {"address"} alone, output
// {"public_key", "prefix"}, as Ss58Codec::from_ss58check_with_version.
// Mixing the two forms, or giving neither, is BadVector.
func ss58Kind(raw json.RawMessage) (any, error) {
	var in struct {
		Address   *string `json:"address"`
		PublicKey *string `json:"public_key"`
		Prefix    *uint16 `json:"prefix"`
	}
	if err := decodeInput(raw, &in); err != nil {
		return nil, err
	}
	switch {
	case in.Address != nil && (in.PublicKey != nil || in.Prefix != nil):
		return nil, badVector("give either address (decode) or public_key and prefix (encode)")
	case in.Address != nil:
		if len(*in.Address) > MaxSS58Text {
			return nil, badVector("address of %d bytes exceeds this runner's bound of %d", len(*in.Address), MaxSS58Text)
		}
		id, prefix, err := wallet.DecodeSS58(*in.Address)
		if err != nil {
			return nil, err
		}
		return struct {
			PublicKey string `json:"public_key"`
			Prefix    uint16 `json:"prefix"`
		}{hex.EncodeToString(id[:]), prefix}, nil
	case in.PublicKey != nil:
		b, err := hex.DecodeString(strings.TrimPrefix(*in.PublicKey, "0x"))
		if err != nil || len(b) != 32 {
			return nil, badVector("public_key must be 32 bytes of hex")
		}
		prefix := wallet.BittensorPrefix
		if in.Prefix != nil {
			prefix = *in.Prefix
		}
		// sp-core's to_ss58check_with_version: every u16 encodes (upper two
		// bits masked, reserved 46 and 47 included); docs/conformance.md
		// lists errors for decoding only.
		return struct {
			Address string `json:"address"`
		}{wallet.EncodeSS58Any(units.AccountID(b), prefix)}, nil
	}
	return nil, badVector("missing field \"address\" or \"public_key\"")
}
