package dtao

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/dtao-go/dtao/fixed"
)

// The canonical encoding of a GenesisConfig, which StateHash digests and
// a snapshot holds as its payload: the tag genesisTag, then the config's
// fields in their declaration order, recursively:
//
//   - bool: one byte, 0 or 1;
//   - integers of 8, 16, 32 and 64 bits (uint, int: 64): fixed-width
//     little-endian, signed ones in two's complement;
//   - arrays: their elements, [N]byte as its N bytes;
//   - slices: their length as a little-endian u32, then the elements (an
//     empty and a nil slice encode alike and decode to nil);
//   - pointers: one byte, 0 for nil or 1 followed by the value;
//   - structs: their fields; fixed.I96F32, U96F32, U64F64, I64F64 and
//     U128 as their raw bits (high u64, low u64), fixed.SafeFloat as its
//     parts (mantissa high, mantissa low, exponent as i64), all
//     little-endian.
//
// No map is encoded, so nothing depends on a map's order. The tag ends in
// a fingerprint of the encoded types' layout (every type, field name and
// kind), so a payload written by a build whose GenesisConfig differs is
// refused rather than misread.

// genesisTagBase opens the tag; the layout fingerprint follows it.
const genesisTagBase = "dtao/genesis/v2/"

var (
	genesisCodec = buildCodec(reflect.TypeFor[GenesisConfig](), "GenesisConfig")
	// genesisTag is genesisTagBase and the first 8 bytes of the SHA-256
	// of the layout description, in hex.
	genesisTag = func() string {
		var b strings.Builder
		describeType(&b, reflect.TypeFor[GenesisConfig]())
		sum := sha256.Sum256([]byte(b.String()))
		return genesisTagBase + hex.EncodeToString(sum[:8])
	}()
)

// codec encodes and decodes one type at one place of GenesisConfig.
type codec struct {
	min int // the fewest bytes an encoding takes
	enc func(e *encoder, v reflect.Value)
	dec func(d *decoder, v reflect.Value)
}

// encoder appends to buf and, when w is set, hands full chunks to w
// (a hash, whose writes do not fail).
type encoder struct {
	buf []byte
	w   io.Writer
	// pools, when set, are the share pools of the config being encoded,
	// in its SharePools' order, their AlphaV2 lists left empty
	// (Ledger.genesisOf): each list is encoded from its pool's entries
	// (encodeHolders), as the list of GenesisShare would be.
	pools []*SharePool
}

// holdersPath is the place of the lists encoder.pools stands in for.
const holdersPath = "GenesisConfig.SharePools[].AlphaV2"

// encodeHolders encodes p's holders as the AlphaV2 list of GenesisShare
// they make: the count, then each coldkey and share, in coldkey order.
func encodeHolders(e *encoder, p *SharePool) {
	e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(p.Len()))
	for x := range p.entries {
		e.buf = append(e.buf, x.coldkey[:]...)
		e.safeFloat(&x.share)
		e.flushIfFull()
	}
}

// safeFloat encodes a SafeFloat as its parts.
func (e *encoder) safeFloat(x *fixed.SafeFloat) {
	hi, lo, exp := x.Parts()
	e.u64(hi)
	e.u64(lo)
	e.u64(uint64(exp))
}

const encoderChunk = 64 << 10

func (e *encoder) flushIfFull() {
	if e.w != nil && len(e.buf) >= encoderChunk {
		e.w.Write(e.buf)
		e.buf = e.buf[:0]
	}
}

func (e *encoder) flush() {
	if e.w != nil && len(e.buf) > 0 {
		e.w.Write(e.buf)
		e.buf = e.buf[:0]
	}
}

func (e *encoder) u64(v uint64) { e.buf = binary.LittleEndian.AppendUint64(e.buf, v) }

// decoder reads the encoding; the first error sticks and every later read
// returns zero values.
type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = corrupt("payload byte %d: "+format, append([]any{d.off}, args...)...)
	}
}

func (d *decoder) take(n int, what string) []byte {
	if d.err != nil {
		return nil
	}
	if len(d.b)-d.off < n {
		d.fail("%s: %d bytes needed, %d left", what, n, len(d.b)-d.off)
		return nil
	}
	v := d.b[d.off : d.off+n]
	d.off += n
	return v
}

func (d *decoder) u64(what string) uint64 {
	if b := d.take(8, what); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

// encodeGenesis appends the canonical encoding of g to e.
func encodeGenesis(e *encoder, g *GenesisConfig) {
	e.buf = append(e.buf, genesisTag...)
	genesisCodec.enc(e, reflect.ValueOf(g).Elem())
	e.flush()
}

// decodeGenesis reads a canonical encoding whole, refusing (with
// ErrSnapshotCorrupt) a foreign tag, a truncation, a bool other than 0 or
// 1, a SafeFloat that is not normalised, a list longer than the bytes
// left could hold, and bytes after the config. Its allocations are
// bounded by a multiple of len(payload).
func decodeGenesis(payload []byte) (GenesisConfig, error) {
	var g GenesisConfig
	d := &decoder{b: payload}
	if tag := d.take(len(genesisTag), "tag"); d.err == nil && string(tag) != genesisTag {
		return g, fmt.Errorf("%w: payload tag %q, this build reads %q (another format or another GenesisConfig layout)",
			ErrSnapshotVersion, tag, genesisTag)
	}
	genesisCodec.dec(d, reflect.ValueOf(&g).Elem())
	if d.err != nil {
		return GenesisConfig{}, d.err
	}
	if d.off != len(d.b) {
		return GenesisConfig{}, corrupt("%d bytes after the state in the payload", len(d.b)-d.off)
	}
	return g, nil
}

// wide128 reads and writes the fixed-point types held as two u64s.
type wide128 interface {
	Bits() (hi, lo uint64)
}

func wideCodec[T wide128](from func(hi, lo uint64) T) *codec {
	return &codec{
		min: 16,
		enc: func(e *encoder, v reflect.Value) {
			h, l := (*v.Addr().Interface().(*T)).Bits()
			e.u64(h)
			e.u64(l)
		},
		dec: func(d *decoder, v reflect.Value) {
			h, l := d.u64("bits"), d.u64("bits")
			*v.Addr().Interface().(*T) = from(h, l)
		},
	}
}

// leafCodecs are the types encoded by their bits rather than their fields.
var leafCodecs = map[reflect.Type]func() *codec{
	reflect.TypeFor[fixed.I96F32](): func() *codec { return wideCodec(fixed.I96F32FromBits) },
	reflect.TypeFor[fixed.U96F32](): func() *codec { return wideCodec(fixed.U96F32FromBits) },
	reflect.TypeFor[fixed.U64F64](): func() *codec { return wideCodec(fixed.U64F64FromBits) },
	reflect.TypeFor[fixed.I64F64](): func() *codec { return wideCodec(fixed.I64F64FromBits) },
	reflect.TypeFor[fixed.U128]():   func() *codec { return wideCodec(fixed.U128FromBits) },
	reflect.TypeFor[fixed.SafeFloat](): func() *codec {
		return &codec{
			min: 24,
			enc: func(e *encoder, v reflect.Value) {
				e.safeFloat(v.Addr().Interface().(*fixed.SafeFloat))
			},
			dec: func(d *decoder, v reflect.Value) {
				hi, lo, exp := d.u64("SafeFloat"), d.u64("SafeFloat"), int64(d.u64("SafeFloat"))
				x, ok := fixed.SafeFloatFromParts(hi, lo, exp)
				if !ok {
					d.fail("a SafeFloat that is not normalised")
				}
				*v.Addr().Interface().(*fixed.SafeFloat) = x
			},
		}
	},
}

// sliceCodec is the codec of slice type t at path, of elements el.
func sliceCodec(t reflect.Type, path string, el *codec) *codec {
	return &codec{
		min: 4,
		enc: func(e *encoder, v reflect.Value) {
			n := v.Len()
			e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(n))
			for i := range n {
				el.enc(e, v.Index(i))
				e.flushIfFull()
			}
		},
		dec: func(d *decoder, v reflect.Value) {
			b := d.take(4, path)
			if b == nil {
				return
			}
			n := int(binary.LittleEndian.Uint32(b))
			if left := len(d.b) - d.off; n > left/el.min {
				d.fail("%s: %d entries declared, the %d bytes left hold at most %d", path, n, left, left/el.min)
				return
			}
			if n == 0 {
				return
			}
			s := reflect.MakeSlice(t, n, n)
			for i := range n {
				el.dec(d, s.Index(i))
				if d.err != nil {
					return
				}
			}
			v.Set(s)
		},
	}
}

// buildCodec returns the codec of t at path (for error messages). It
// panics on a type the encoding does not cover: GenesisConfig holds none,
// and the package's tests build the codec.
func buildCodec(t reflect.Type, path string) *codec {
	if mk, ok := leafCodecs[t]; ok {
		return mk()
	}
	switch t.Kind() {
	case reflect.Bool:
		return &codec{
			min: 1,
			enc: func(e *encoder, v reflect.Value) {
				b := byte(0)
				if v.Bool() {
					b = 1
				}
				e.buf = append(e.buf, b)
			},
			dec: func(d *decoder, v reflect.Value) {
				b := d.take(1, path)
				if b == nil {
					return
				}
				if b[0] > 1 {
					d.fail("%s is %d, not 0 or 1", path, b[0])
				}
				v.SetBool(b[0] == 1)
			},
		}
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
		n := int(t.Size())
		return &codec{
			min: n,
			enc: func(e *encoder, v reflect.Value) {
				e.buf = appendUint(e.buf, v.Uint(), n)
			},
			dec: func(d *decoder, v reflect.Value) {
				if b := d.take(n, path); b != nil {
					v.SetUint(readUint(b))
				}
			},
		}
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		n := int(t.Size())
		return &codec{
			min: n,
			enc: func(e *encoder, v reflect.Value) {
				e.buf = appendUint(e.buf, uint64(v.Int()), n)
			},
			dec: func(d *decoder, v reflect.Value) {
				if b := d.take(n, path); b != nil {
					shift := 64 - 8*uint(n)
					v.SetInt(int64(readUint(b)<<shift) >> shift)
				}
			},
		}
	case reflect.Array:
		n := t.Len()
		if t.Elem().Kind() == reflect.Uint8 {
			return &codec{
				min: n,
				enc: func(e *encoder, v reflect.Value) { e.buf = append(e.buf, v.Bytes()...) },
				dec: func(d *decoder, v reflect.Value) {
					if b := d.take(n, path); b != nil {
						copy(v.Bytes(), b)
					}
				},
			}
		}
		el := buildCodec(t.Elem(), path+"[]")
		return &codec{
			min: n * el.min,
			enc: func(e *encoder, v reflect.Value) {
				for i := range n {
					el.enc(e, v.Index(i))
				}
			},
			dec: func(d *decoder, v reflect.Value) {
				for i := range n {
					el.dec(d, v.Index(i))
				}
			},
		}
	case reflect.Slice:
		el := buildCodec(t.Elem(), path+"[]")
		if el.min < 1 {
			panic("dtao: genesis codec: zero-size element at " + path)
		}
		if path == holdersPath {
			c := sliceCodec(t, path, el)
			return &codec{min: c.min, dec: c.dec, enc: func(e *encoder, v reflect.Value) {
				if e.pools == nil {
					c.enc(e, v)
					return
				}
				encodeHolders(e, e.pools[0])
				e.pools = e.pools[1:]
			}}
		}
		return sliceCodec(t, path, el)
	case reflect.Pointer:
		el := buildCodec(t.Elem(), path)
		return &codec{
			min: 1,
			enc: func(e *encoder, v reflect.Value) {
				if v.IsNil() {
					e.buf = append(e.buf, 0)
					return
				}
				e.buf = append(e.buf, 1)
				el.enc(e, v.Elem())
			},
			dec: func(d *decoder, v reflect.Value) {
				b := d.take(1, path)
				if b == nil || b[0] == 0 {
					return
				}
				if b[0] != 1 {
					d.fail("%s: presence byte %d, not 0 or 1", path, b[0])
					return
				}
				p := reflect.New(t.Elem())
				el.dec(d, p.Elem())
				v.Set(p)
			},
		}
	case reflect.Struct:
		fields := make([]*codec, t.NumField())
		min := 0
		for i := range fields {
			f := t.Field(i)
			if !f.IsExported() {
				panic(fmt.Sprintf("dtao: genesis codec: unexported field %s.%s at %s", t, f.Name, path))
			}
			fields[i] = buildCodec(f.Type, path+"."+f.Name)
			min += fields[i].min
		}
		return &codec{
			min: min,
			enc: func(e *encoder, v reflect.Value) {
				for i, f := range fields {
					f.enc(e, v.Field(i))
				}
			},
			dec: func(d *decoder, v reflect.Value) {
				for i, f := range fields {
					f.dec(d, v.Field(i))
				}
			},
		}
	}
	panic(fmt.Sprintf("dtao: genesis codec: %s of kind %s at %s is not encoded", t, t.Kind(), path))
}

func appendUint(b []byte, x uint64, n int) []byte {
	for i := range n {
		b = append(b, byte(x>>(8*i)))
	}
	return b
}

func readUint(b []byte) uint64 {
	var x uint64
	for i, c := range b {
		x |= uint64(c) << (8 * i)
	}
	return x
}

// describeType writes t's layout: its name and kind and, for a struct
// not encoded by its bits, each field's name and layout.
func describeType(b *strings.Builder, t reflect.Type) {
	fmt.Fprintf(b, "%s:%s", t.String(), t.Kind())
	if _, leaf := leafCodecs[t]; leaf {
		return
	}
	switch t.Kind() {
	case reflect.Array:
		fmt.Fprintf(b, "[%d]", t.Len())
		describeType(b, t.Elem())
	case reflect.Slice, reflect.Pointer:
		b.WriteByte('(')
		describeType(b, t.Elem())
		b.WriteByte(')')
	case reflect.Struct:
		b.WriteByte('{')
		for i := range t.NumField() {
			f := t.Field(i)
			fmt.Fprintf(b, "%s ", f.Name)
			describeType(b, f.Type)
			b.WriteByte(';')
		}
		b.WriteByte('}')
	}
}
