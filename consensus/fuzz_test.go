package consensus_test

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/dtao-go/dtao/consensus"
)

// bytesReader draws values from fuzz input, yielding zeros once exhausted.
type bytesReader []byte

func (r *bytesReader) u64() uint64 {
	var b [8]byte
	k := copy(b[:], *r)
	*r = (*r)[k:]
	return binary.LittleEndian.Uint64(b[:])
}
func (r *bytesReader) u16() uint16 { return uint16(r.u64() >> 48) }
func (r *bytesReader) byte() int {
	if len(*r) == 0 {
		return 0
	}
	b := (*r)[0]
	*r = (*r)[1:]
	return int(b)
}

// FuzzEpoch runs epochs on arbitrary chain input: any vector lengths, rows,
// uids and values. It must never panic, must return outputs of length N, and
// must never pay out more than the emission it is given.
func FuzzEpoch(f *testing.F) {
	f.Add([]byte{4, 0x11, 0x22, 0x33}, uint8(0))
	f.Add(make([]byte, 200), uint8(0xff))
	f.Add([]byte("yuma consensus with liquid alpha and a few bonds...."), uint8(0x0f))
	f.Fuzz(func(t *testing.T, data []byte, flags uint8) {
		r := bytesReader(data)
		n := r.byte() % 17
		vec := func() []uint64 {
			v := make([]uint64, r.byte()%(n+3))
			for i := range v {
				v[i] = r.u64() >> uint(r.byte()%64)
			}
			return v
		}
		rows := func() [][]consensus.Entry {
			m := make([][]consensus.Entry, r.byte()%(n+3))
			for i := range m {
				m[i] = make([]consensus.Entry, r.byte()%(n+4))
				for k := range m[i] {
					m[i][k] = consensus.Entry{UID: uint16(r.byte() % (n + 3)), Value: r.u16()}
				}
			}
			return m
		}
		in := consensus.Input{
			N:                         uint16(n),
			CurrentBlock:              r.u64() >> 40,
			Tempo:                     r.u16(),
			ActivityCutoffFactorMilli: uint32(r.u64()),
			LastUpdate:                vec(),
			BlockAtRegistration:       vec(),
			AlphaStake:                vec(),
			TaoStake:                  vec(),
			TaoWeight:                 r.u64(),
			StakeThreshold:            r.u64() >> 40,
			MaxAllowedValidators:      uint16(r.byte()),
			Kappa:                     r.u16(),
			BondsPenalty:              r.u16(),
			BondsMovingAverage:        r.u64() >> uint(r.byte()%64),
			Yuma3:                     flags&1 != 0,
			LiquidAlpha:               flags&2 != 0,
			AlphaLow:                  r.u16(),
			AlphaHigh:                 r.u16(),
			AlphaSigmoidSteepness:     int16(r.u16()),
			HasOwner:                  flags&4 != 0,
			OwnerUID:                  uint16(r.byte()),
			LastMechanismStepBlock:    r.u64() >> 40,
			Emission:                  r.u64(),
		}
		in.ValidatorPermit = make([]bool, r.byte()%(n+3))
		for i := range in.ValidatorPermit {
			in.ValidatorPermit[i] = r.byte()%4 != 0
		}
		in.Weights = rows()
		in.Bonds = rows()
		if flags&8 != 0 {
			in.CommitBlocks = vec()
		}
		out, err := consensus.Epoch(in)
		if errors.Is(err, consensus.ErrBondsMovingAverageOverflow) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Emission) != n || len(out.Bonds) != n || len(out.ValidatorPermit) != n {
			t.Fatalf("output lengths %d/%d/%d, want %d", len(out.Emission), len(out.Bonds), len(out.ValidatorPermit), n)
		}
		var paid uint64
		for i := range n {
			paid += out.ServerEmission[i] + out.ValidatorEmission[i]
		}
		if paid > in.Emission {
			t.Fatalf("paid %d of %d", paid, in.Emission)
		}
	})
}
