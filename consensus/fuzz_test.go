package consensus_test

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
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

// FuzzEpoch runs epochs on arbitrary chain input. With flags&16 clear the
// input has a shape and values the chain can hold (per-uid vectors of the
// lengths Input.Validate accepts, shorter ones included, uids below N,
// hyperparameters in the setters' ranges) and must be accepted; with it
// set, vector lengths, uids and values are anything, and the epoch must
// refuse exactly what Validate refuses. It must never panic, must return
// outputs of length N, and must never pay out more than the emission it is
// given.
func FuzzEpoch(f *testing.F) {
	f.Add([]byte{4, 0x11, 0x22, 0x33}, uint8(0))
	f.Add(make([]byte, 200), uint8(0xff))
	f.Add(make([]byte, 200), uint8(0xef))
	f.Add([]byte("yuma consensus with liquid alpha and a few bonds...."), uint8(0x0f))
	f.Add([]byte("yuma consensus with liquid alpha and a few bonds...."), uint8(0x1f))
	f.Fuzz(func(t *testing.T, data []byte, flags uint8) {
		r := bytesReader(data)
		raw := flags&16 != 0
		n := r.byte() % 17
		// length draws a vector length: anything up to n+2 for a raw
		// input, else exactly n (exact), or at most n.
		length := func(exact bool) int {
			switch {
			case raw:
				return r.byte() % (n + 3)
			case exact:
				return n
			default:
				return r.byte() % (n + 1)
			}
		}
		vec := func(k int) []uint64 {
			v := make([]uint64, k)
			for i := range v {
				v[i] = r.u64() >> uint(r.byte()%64)
			}
			return v
		}
		uid := func() units.UID {
			if raw {
				return units.UID(r.byte() % (n + 3))
			}
			return units.UID(r.byte() % max(n, 1))
		}
		rows := func() [][]consensus.Entry {
			m := make([][]consensus.Entry, length(false))
			for i := range m {
				m[i] = make([]consensus.Entry, r.byte()%(n+4))
				for k := range m[i] {
					m[i][k] = consensus.Entry{UID: uid(), Value: r.u16()}
				}
			}
			return m
		}
		in := consensus.Input{
			N:                      uint16(n),
			CurrentBlock:           r.u64() >> 40,
			Tempo:                  r.u16(),
			LastUpdate:             vec(length(false)),
			BlockAtRegistration:    vec(length(true)),
			AlphaStake:             alphas(vec(length(true))...),
			TaoWeight:              r.u64(),
			StakeThreshold:         r.u64() >> 40,
			MaxAllowedValidators:   uint16(r.byte()),
			Kappa:                  r.u16(),
			BondsPenalty:           r.u16(),
			BondsMovingAverage:     r.u64() >> uint(r.byte()%64),
			Yuma3:                  flags&1 != 0,
			LiquidAlpha:            flags&2 != 0,
			AlphaSigmoidSteepness:  int16(r.u16()),
			HasOwner:               flags&4 != 0 && (raw || n > 0),
			OwnerUID:               uid(),
			LastMechanismStepBlock: r.u64() >> 40,
			Emission:               units.Alpha(r.u64()),
		}
		if raw || r.byte()%2 == 0 {
			in.TaoStake = taos(vec(length(true))...)
		}
		if raw {
			in.ActivityCutoffFactorMilli = uint32(r.u64())
			in.AlphaLow, in.AlphaHigh = r.u16(), r.u16()
		} else {
			in.ActivityCutoffFactorMilli = 1000 + uint32(r.u64()%49_001)
			in.AlphaLow = 1638 + uint16(r.u64()%(65536-1638))
			in.AlphaHigh = in.AlphaLow + uint16(r.u64()%uint64(65536-int(in.AlphaLow)))
		}
		in.ValidatorPermit = make([]bool, length(false))
		for i := range in.ValidatorPermit {
			in.ValidatorPermit[i] = r.byte()%4 != 0
		}
		in.Weights = rows()
		in.Bonds = rows()
		if flags&8 != 0 {
			in.CommitBlocks = vec(length(false))
		}
		verr := in.Validate()
		if !raw && verr != nil {
			t.Fatalf("an input the chain can hold is refused: %v", verr)
		}
		out, err := consensus.Epoch(in)
		if verr != nil {
			if !errors.Is(err, consensus.ErrInvalidInput) || err.Error() != verr.Error() {
				t.Fatalf("Epoch returned %v where Validate returned %v", err, verr)
			}
			return
		}
		if errors.Is(err, consensus.ErrBondsMovingAverageOverflow) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Emission) != n || len(out.Bonds) != n || len(out.ValidatorPermit) != n {
			t.Fatalf("output lengths %d/%d/%d, want %d", len(out.Emission), len(out.Bonds), len(out.ValidatorPermit), n)
		}
		// The payout never exceeds the emission for stakes the chain can
		// hold: issuance caps the alpha and the TAO in existence at 21M
		// each, so a subnet's total stake stays far below 2^63 rao. Past
		// that, the I64F64 stake sum of the emission fallback saturates
		// (as on chain: epoch_mechanism's normalisation of the stake) and
		// shares can add up to more than 1; corpus entry 96f907b92e306089
		// (12.6e9 α on one uid) is such a state.
		if stakeWithinSupply(in) {
			var paid units.Alpha
			for i := range n {
				paid += out.ServerEmission[i] + out.ValidatorEmission[i]
			}
			if paid > in.Emission {
				t.Fatalf("paid %d of %d", paid, in.Emission)
			}
		}
	})
}

// stakeWithinSupply reports whether the input's stakes fit in the supply:
// the alpha stake and the TAO stake each sum to at most 21M (in rao).
func stakeWithinSupply(in consensus.Input) bool {
	const supply = 21_000_000 * units.RaoPerTAO
	var alpha, tao uint64
	for _, a := range in.AlphaStake {
		if alpha += min(uint64(a), supply+1); alpha > supply {
			return false
		}
	}
	for _, x := range in.TaoStake {
		if tao += min(uint64(x), supply+1); tao > supply {
			return false
		}
	}
	return true
}
