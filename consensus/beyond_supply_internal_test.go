package consensus

import (
	"reflect"
	"testing"

	"github.com/dtao-go/dtao/units"
)

// TestEpochBeyondSupplyMatchesReference pins a state the chain cannot hold
// (12.6e9 α staked on one uid, more than the 21M α any subnet can issue),
// found by FuzzEpoch (corpus entry 96f907b92e306089): nobody earns, so the
// emission follows stake, and the stake normalisation saturates, so the
// payout exceeds the emission. The fast epoch must still agree with the
// literal transcription of the chain's arithmetic, bit for bit.
func TestEpochBeyondSupplyMatchesReference(t *testing.T) {
	e := func(u, v uint16) Entry { return Entry{UID: units.UID(u), Value: v} }
	in := Input{N: 12, CurrentBlock: 2903385, Tempo: 50467, ActivityCutoffFactorMilli: 22009,
		BlockAtRegistration: []uint64{137058582046, 30859200824809, 3903966900380352, 119413290667, 97461659407279, 8585727501636565128, 585197, 2280546647060, 28, 7467654, 160013257884, 195381},
		AlphaStake:          alphas([]uint64{1141857125721907155, 6982048914568296586, 50700248684445, 12654909721266555836, 1, 0, 652483172618807788, 4849823221828735, 750866025295381528, 1941194, 61954815, 1}),
		TaoWeight:           997978087889597810, StakeThreshold: 4969086,
		ValidatorPermit:      []bool{true, true, false, true, false, false, true, true},
		MaxAllowedValidators: 205, Kappa: 60073, BondsPenalty: 53549, BondsMovingAverage: 32176, Yuma3: true, LiquidAlpha: true,
		AlphaLow: 64925, AlphaHigh: 65308, AlphaSigmoidSteepness: -19349, HasOwner: true, OwnerUID: 4,
		Weights: [][]Entry{{e(5, 16113), e(9, 64888), e(2, 17444), e(1, 64808), e(11, 57589), e(0, 55480), e(4, 41067), e(6, 39355), e(5, 22683), e(1, 21666)}, {},
			{e(8, 7957), e(5, 58093), e(10, 29752), e(4, 44374), e(1, 32246), e(2, 16283), e(4, 50225), e(2, 955)},
			{e(5, 44252), e(1, 0), e(0, 0), e(0, 0), e(0, 0), e(0, 0), e(0, 0), e(0, 0), e(0, 0)}},
		LastMechanismStepBlock: 11742578, CommitBlocks: []uint64{}, Emission: 3381115393371223147}
	got, err := Epoch(in)
	if err != nil {
		t.Fatal(err)
	}
	want, err := refEpoch(&in)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("epoch %+v\nreference %+v", got, want)
	}
	var paid units.Alpha
	for i := range got.ValidatorEmission {
		paid = paid.SaturatingAdd(got.ServerEmission[i]).SaturatingAdd(got.ValidatorEmission[i])
	}
	if paid <= in.Emission {
		t.Fatalf("paid %d of %d: the saturating state this test pins is gone", paid, in.Emission)
	}
}
