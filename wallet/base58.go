package wallet

import "math/big"

// The Bitcoin base58 alphabet, the one SS58 uses.
const b58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// b58Index maps an ASCII byte to its base58 digit, or 0xFF.
var b58Index = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	for i := 0; i < len(b58Alphabet); i++ {
		t[b58Alphabet[i]] = byte(i)
	}
	return t
}()

// maxB58Input is the longest text decodeBase58 converts on the stack with
// the schoolbook method. SS58 addresses are at most 50 characters. Longer
// text is still decoded exactly (sp-core's bs58 has no length limit, and
// whether such text is BadLength or InvalidPrefix depends on its leading
// byte), through math/big by halving, so its cost grows like a big-number
// multiplication rather than quadratically.
const maxB58Input = 128

// encodeBase58 writes src in base58 (leading zero bytes become '1'). For
// SS58-sized input the only allocation is the returned string.
// It is the schoolbook conversion, quadratic in the length, which is fine for
// the 35-36 bytes of an SS58 payload.
func encodeBase58(src []byte) string {
	zeros := 0
	for zeros < len(src) && src[zeros] == 0 {
		zeros++
	}
	// log(256)/log(58) < 1.37: enough digits for any input.
	size := (len(src)-zeros)*138/100 + 1
	var stack [64]byte
	var digits []byte
	if size <= len(stack) {
		digits = stack[:size]
	} else {
		digits = make([]byte, size)
	}
	used := 0
	for _, b := range src[zeros:] {
		carry := int(b)
		for i := 0; i < used || carry != 0; i++ {
			carry += 256 * int(digits[i])
			digits[i] = byte(carry % 58)
			carry /= 58
			if i >= used {
				used = i + 1
			}
		}
	}
	var outStack [96]byte
	var out []byte
	if zeros+used <= len(outStack) {
		out = outStack[:zeros+used]
	} else {
		out = make([]byte, zeros+used)
	}
	for i := 0; i < zeros; i++ {
		out[i] = '1'
	}
	for i := 0; i < used; i++ {
		out[zeros+i] = b58Alphabet[digits[used-1-i]]
	}
	return string(out)
}

// decodeBase58 decodes s into dst[:0] and returns the bytes, or ok=false
// for a character outside the alphabet. Text over maxB58Input characters is
// decoded into a fresh slice instead of dst.
func decodeBase58(dst []byte, s string) (out []byte, ok bool) {
	if len(s) > maxB58Input {
		return decodeBase58Long(s)
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	// log(58)/log(256) < 0.733.
	var stack [maxB58Input]byte
	bytes := stack[:(len(s)-zeros)*733/1000+1]
	used := 0
	for i := zeros; i < len(s); i++ {
		d := b58Index[s[i]]
		if d == 0xFF {
			return nil, false
		}
		carry := int(d)
		for j := 0; j < used || carry != 0; j++ {
			carry += 58 * int(bytes[j])
			bytes[j] = byte(carry)
			carry >>= 8
			if j >= used {
				used = j + 1
			}
		}
	}
	out = dst[:0]
	for i := 0; i < zeros; i++ {
		out = append(out, 0)
	}
	for i := used - 1; i >= 0; i-- {
		out = append(out, bytes[i])
	}
	return out, true
}

// decodeBase58Long is decodeBase58 for long text: every character is
// checked first (a bad one anywhere is BadBase58, as in bs58), then the
// digits are converted by halving: value(d) = value(hi)·58^len(lo) +
// value(lo).
func decodeBase58Long(s string) ([]byte, bool) {
	digits := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		d := b58Index[s[i]]
		if d == 0xFF {
			return nil, false
		}
		digits[i] = d
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	pows := map[int]*big.Int{}
	n := base58Value(digits[zeros:], pows)
	out := make([]byte, zeros, zeros+(n.BitLen()+7)/8)
	return append(out, n.Bytes()...), true
}

// base58Value returns the number the base-58 digits spell, most significant
// first; pows caches 58^k.
func base58Value(d []byte, pows map[int]*big.Int) *big.Int {
	if len(d) <= 64 {
		n := new(big.Int)
		var w big.Word
		for i, x := range d {
			// 58^10 < 2^64 fits a 64-bit Word; flush every 5 digits so
			// that 32-bit Words are safe too (58^5 < 2^32).
			w = w*58 + big.Word(x)
			if (i+1)%5 == 0 || i == len(d)-1 {
				k := i%5 + 1
				n.Mul(n, pow58(k, pows))
				n.Add(n, new(big.Int).SetUint64(uint64(w)))
				w = 0
			}
		}
		return n
	}
	m := len(d) / 2
	hi := base58Value(d[:m], pows)
	lo := base58Value(d[m:], pows)
	hi.Mul(hi, pow58(len(d)-m, pows))
	return hi.Add(hi, lo)
}

func pow58(k int, pows map[int]*big.Int) *big.Int {
	if p, ok := pows[k]; ok {
		return p
	}
	p := new(big.Int).Exp(big.NewInt(58), big.NewInt(int64(k)), nil)
	pows[k] = p
	return p
}
