package wallet

import (
	"encoding/hex"
	"fmt"
	"math/big"
)

func hexOf(b []byte) string { return hex.EncodeToString(b) }

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

// bigBase58 is a slow, obviously correct base58 encoder over math/big.
func bigBase58(b []byte) string {
	n := new(big.Int).SetBytes(b)
	var out []byte
	base, mod := big.NewInt(58), new(big.Int)
	for n.Sign() > 0 {
		n.DivMod(n, base, mod)
		out = append(out, b58Alphabet[mod.Int64()])
	}
	for _, c := range b {
		if c != 0 {
			break
		}
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}
