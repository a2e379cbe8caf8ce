package wallet

import (
	"encoding/hex"
	"strings"

	"golang.org/x/crypto/blake2b"

	"github.com/dtao-go/dtao/units"
)

// BittensorPrefix is the SS58 prefix Bittensor writes (42, the generic
// Substrate format): 48-character addresses starting with '5'.
const BittensorPrefix uint16 = 42

// MaxPrefix is the largest SS58 prefix (14 bits).
const MaxPrefix uint16 = 16383

const ss58Pre = "SS58PRE"

// ss58Checksum returns the first two bytes of blake2b-512("SS58PRE" ‖
// payload), payload being prefix ‖ account (at most 34 bytes). The input is
// assembled on the stack so that encoding and decoding do not allocate for
// the hash.
func ss58Checksum(payload []byte) [2]byte {
	var buf [len(ss58Pre) + 34]byte
	n := copy(buf[:], ss58Pre)
	n += copy(buf[n:], payload)
	sum := blake2b.Sum512(buf[:n])
	return [2]byte{sum[0], sum[1]}
}

// reservedPrefix reports the two prefixes sp-core refuses (46, 47).
func reservedPrefix(p uint16) bool { return p == 46 || p == 47 }

// EncodeSS58 returns the SS58 text of id under prefix. Prefixes 0-63 take
// one byte, 64-16383 two. A prefix above 16383 is ErrInvalidPrefix and the
// reserved 46 and 47 are ErrFormatNotAllowed: polkadot.js refuses both,
// while sp-core silently masks the upper bits and encodes reserved
// prefixes ([EncodeSS58Any]); refusing keeps EncodeSS58 and DecodeSS58
// inverse to each other.
func EncodeSS58(id units.AccountID, prefix uint16) (string, error) {
	if prefix > MaxPrefix {
		return "", ErrInvalidPrefix
	}
	if reservedPrefix(prefix) {
		return "", ErrFormatNotAllowed
	}
	return EncodeSS58Any(id, prefix), nil
}

// EncodeSS58Any encodes id exactly as sp-core's to_ss58check_with_version
// does for any u16 prefix: the two upper bits are masked off (16384 encodes
// as 0, 16426 as 42) and the reserved 46 and 47 are encoded, though
// DecodeSS58 refuses them. Use it to reproduce sp-core's output; use
// [EncodeSS58] to make addresses.
func EncodeSS58Any(id units.AccountID, prefix uint16) string {
	prefix &= MaxPrefix
	var buf [2 + 32 + 2]byte
	n := 0
	if prefix < 64 {
		buf[0] = byte(prefix)
		n = 1
	} else {
		buf[0] = byte((prefix&0xFC)>>2) | 0x40
		buf[1] = byte(prefix>>8) | byte(prefix&0x03)<<6
		n = 2
	}
	n += copy(buf[n:], id[:])
	sum := ss58Checksum(buf[:n])
	buf[n], buf[n+1] = sum[0], sum[1]
	return encodeBase58(buf[:n+2])
}

// Address returns id's SS58 address with Bittensor's prefix 42.
func Address(id units.AccountID) string {
	s, _ := EncodeSS58(id, BittensorPrefix) // 42 is valid
	return s
}

// DecodeSS58 parses an SS58 address of any allowed prefix and returns the
// account and the prefix. The checks and their order are sp-core's
// from_ss58check_with_version: base58 (ErrBadBase58), length (ErrBadLength),
// first byte (ErrInvalidPrefix), length for that prefix (ErrBadLength),
// reserved prefix (ErrFormatNotAllowed), checksum (ErrInvalidChecksum).
func DecodeSS58(s string) (id units.AccountID, prefix uint16, err error) {
	var stack [maxB58Input]byte
	data, ok := decodeBase58(stack[:0], s)
	if !ok {
		return id, 0, ErrBadBase58
	}
	if len(data) < 2 {
		return id, 0, ErrBadLength
	}
	var plen int
	switch b0 := data[0]; {
	case b0 < 64:
		plen, prefix = 1, uint16(b0)
	case b0 < 128:
		lower := b0<<2 | data[1]>>6
		upper := data[1] & 0x3F
		plen, prefix = 2, uint16(lower)|uint16(upper)<<8
	default:
		return id, 0, ErrInvalidPrefix
	}
	if len(data) != plen+32+2 {
		return id, 0, ErrBadLength
	}
	if reservedPrefix(prefix) {
		return id, 0, ErrFormatNotAllowed
	}
	sum := ss58Checksum(data[:plen+32])
	if data[plen+32] != sum[0] || data[plen+33] != sum[1] {
		return id, 0, ErrInvalidChecksum
	}
	copy(id[:], data[plen:plen+32])
	return id, prefix, nil
}

// IsValidAddress reports whether s decodes as an SS58 address of any
// allowed prefix (btwallet's is_valid_ss58_address).
func IsValidAddress(s string) bool {
	_, _, err := DecodeSS58(s)
	return err == nil
}

// ParseAccountID accepts an SS58 address (any prefix) or "0x" followed by
// 64 hex digits, the two forms btwallet's
// is_valid_bittensor_address_or_public_key accepts. A bare hex string
// without 0x is refused, as there.
func ParseAccountID(s string) (units.AccountID, error) {
	var id units.AccountID
	if rest, ok := strings.CutPrefix(s, "0x"); ok {
		if len(rest) != 64 {
			return id, ErrBadLength
		}
		if _, err := hex.Decode(id[:], []byte(rest)); err != nil {
			return units.AccountID{}, ErrInvalidHex
		}
		return id, nil
	}
	id, _, err := DecodeSS58(s)
	return id, err
}
