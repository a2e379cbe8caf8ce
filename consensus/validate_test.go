package consensus_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewInputDefaults: the hyperparameters of a new subnet, read from
// subtensor @14bc6f9f: runtime/src/lib.rs SubtensorInitial* (Tempo 360 in
// prod, Kappa 32767, BondsMovingAverage 900000, BondsPenalty u16::MAX,
// AlphaSigmoidSteepness 1000, TaoWeight 971718665099567868),
// pallets/subtensor/src/lib.rs (INITIAL_ACTIVITY_CUTOFF_FACTOR_MILLI
// 13889, DefaultAlphaValues (45875, 58982), DefaultLiquidAlpha false,
// DefaultStakeThreshold 0) and subnets/subnet.rs init_new_network
// (MaxAllowedValidators 64, Yuma 3 enabled).
func TestNewInputDefaults(t *testing.T) {
	in := consensus.NewInput(5)
	assert.Equal(t, uint16(5), in.N)
	assert.Equal(t, uint16(360), in.Tempo)
	assert.Equal(t, uint32(13889), in.ActivityCutoffFactorMilli)
	assert.Equal(t, uint16(64), in.MaxAllowedValidators)
	assert.Equal(t, uint16(32767), in.Kappa)
	assert.Equal(t, uint16(65535), in.BondsPenalty)
	assert.Equal(t, uint64(900_000), in.BondsMovingAverage)
	assert.True(t, in.Yuma3)
	assert.False(t, in.LiquidAlpha)
	assert.Equal(t, uint16(45875), in.AlphaLow)
	assert.Equal(t, uint16(58982), in.AlphaHigh)
	assert.Equal(t, int16(1000), in.AlphaSigmoidSteepness)
	assert.Equal(t, uint64(971_718_665_099_567_868), in.TaoWeight)
	assert.Equal(t, uint64(0), in.StakeThreshold)
	for name, l := range map[string]int{
		"LastUpdate": len(in.LastUpdate), "BlockAtRegistration": len(in.BlockAtRegistration),
		"AlphaStake": len(in.AlphaStake), "TaoStake": len(in.TaoStake),
		"ValidatorPermit": len(in.ValidatorPermit), "Weights": len(in.Weights), "Bonds": len(in.Bonds),
	} {
		assert.Equal(t, 5, l, name)
	}
	assert.Nil(t, in.CommitBlocks)
	assert.False(t, in.HasOwner)
	require.NoError(t, in.Validate())
	zero := consensus.NewInput(0)
	require.NoError(t, zero.Validate())
}

// validInput is a NewInput subnet of 4 uids in which uids 0 and 1 (equal
// stake, both permitted) weight uids 2 and 3.
func validInput() consensus.Input {
	in := consensus.NewInput(4)
	in.CurrentBlock, in.Emission = 100, 1_000_000_000
	for i := range 4 {
		in.LastUpdate[i] = 99
	}
	in.AlphaStake[0], in.AlphaStake[1] = 1e12, 1e12
	in.ValidatorPermit[0], in.ValidatorPermit[1] = true, true
	in.Weights[0] = []consensus.Entry{{UID: 2, Value: 65535}, {UID: 3, Value: 32768}}
	in.Weights[1] = []consensus.Entry{{UID: 2, Value: 65535}, {UID: 3, Value: 32768}}
	return in
}

// The issue: an Input built by hand that leaves hyperparameters out used to
// return err == nil with incentive and dividends all 0 while the emission
// was still paid out. The chain never holds ActivityCutoffFactorMilli 0.
func TestEpochRefusesZeroValueHyperparameters(t *testing.T) {
	in := validInput()
	out, err := consensus.Epoch(in)
	require.NoError(t, err)
	assert.NotZero(t, out.Incentive[2], "the constructor's input earns incentive")
	assert.NotZero(t, out.Dividends[0], "the constructor's input earns dividends")

	hand := consensus.Input{
		N: in.N, CurrentBlock: in.CurrentBlock, LastUpdate: in.LastUpdate,
		BlockAtRegistration: in.BlockAtRegistration, AlphaStake: in.AlphaStake,
		ValidatorPermit: in.ValidatorPermit, Weights: in.Weights, Emission: in.Emission,
	}
	_, err = consensus.Epoch(hand)
	require.ErrorIs(t, err, consensus.ErrInvalidInput)
	assert.Contains(t, err.Error(), "ActivityCutoffFactorMilli")

	_, err = consensus.Epoch(consensus.Input{N: 3})
	require.ErrorIs(t, err, consensus.ErrInvalidInput)
}

// Every rule of Input.Validate, each refused by Validate, Epoch,
// Workspace.Epoch (leaving out unchanged) and EpochWithMechanisms.
func TestValidateRefuses(t *testing.T) {
	cases := []struct {
		name  string
		field string
		edit  func(in *consensus.Input)
	}{
		{"AlphaStake short", "AlphaStake", func(in *consensus.Input) { in.AlphaStake = in.AlphaStake[:3] }},
		{"AlphaStake missing", "AlphaStake", func(in *consensus.Input) { in.AlphaStake = nil }},
		{"AlphaStake long", "AlphaStake", func(in *consensus.Input) { in.AlphaStake = append(in.AlphaStake, 1) }},
		{"BlockAtRegistration short", "BlockAtRegistration", func(in *consensus.Input) { in.BlockAtRegistration = in.BlockAtRegistration[:1] }},
		{"TaoStake partial", "TaoStake", func(in *consensus.Input) { in.TaoStake = in.TaoStake[:2] }},
		{"LastUpdate long", "LastUpdate", func(in *consensus.Input) { in.LastUpdate = append(in.LastUpdate, 99) }},
		{"ValidatorPermit long", "ValidatorPermit", func(in *consensus.Input) { in.ValidatorPermit = append(in.ValidatorPermit, true) }},
		{"CommitBlocks long", "CommitBlocks", func(in *consensus.Input) { in.CommitBlocks = make([]uint64, 5) }},
		{"Weights rows beyond N", "Weights", func(in *consensus.Input) { in.Weights = append(in.Weights, nil) }},
		{"Bonds rows beyond N", "Bonds", func(in *consensus.Input) { in.Bonds = append(in.Bonds, nil) }},
		{"weight to uid N", "Weights[1][2]", func(in *consensus.Input) {
			in.Weights[1] = append(slices.Clone(in.Weights[1]), consensus.Entry{UID: 4, Value: 1})
		}},
		{"weight to uid N from a uid without a permit", "Weights[2][0]", func(in *consensus.Input) {
			in.Weights[2] = []consensus.Entry{{UID: 4, Value: 1}}
		}},
		{"bond to uid N", "Bonds[0][0]", func(in *consensus.Input) { in.Bonds[0] = []consensus.Entry{{UID: 9, Value: 1}} }},
		{"owner beyond N", "OwnerUID", func(in *consensus.Input) { in.HasOwner, in.OwnerUID = true, 4 }},
		{"activity cutoff 0", "ActivityCutoffFactorMilli", func(in *consensus.Input) { in.ActivityCutoffFactorMilli = 0 }},
		{"activity cutoff 999", "ActivityCutoffFactorMilli", func(in *consensus.Input) { in.ActivityCutoffFactorMilli = 999 }},
		{"activity cutoff 50001", "ActivityCutoffFactorMilli", func(in *consensus.Input) { in.ActivityCutoffFactorMilli = 50_001 }},
		{"alpha low below 1638", "AlphaLow", func(in *consensus.Input) { in.LiquidAlpha, in.AlphaLow = true, 1637 }},
		{"alpha low above high", "AlphaLow", func(in *consensus.Input) { in.LiquidAlpha, in.AlphaLow, in.AlphaHigh = true, 40000, 39999 }},
		{"alpha values zero", "AlphaLow", func(in *consensus.Input) { in.LiquidAlpha, in.AlphaLow, in.AlphaHigh = true, 0, 0 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := validInput()
			c.edit(&in)
			err := in.Validate()
			require.ErrorIs(t, err, consensus.ErrInvalidInput)
			assert.Contains(t, err.Error(), c.field)

			_, err = consensus.Epoch(in)
			require.ErrorIs(t, err, consensus.ErrInvalidInput)

			var ws consensus.Workspace
			var out consensus.Output
			good := validInput()
			require.NoError(t, ws.Epoch(&good, &out))
			before := slices.Clone(out.Incentive)
			require.ErrorIs(t, ws.Epoch(&in, &out), consensus.ErrInvalidInput)
			assert.Equal(t, before, out.Incentive, "out is left unchanged")

			mechs := []consensus.Mechanism{{LastUpdate: in.LastUpdate, Weights: in.Weights, Bonds: in.Bonds, CommitBlocks: in.CommitBlocks}}
			_, _, err = consensus.EpochWithMechanisms(in, mechs, nil)
			require.ErrorIs(t, err, consensus.ErrInvalidInput)
		})
	}
}

// Values the chain's setters accept are not refused, however degenerate.
func TestValidateAcceptsWhatTheChainCanHold(t *testing.T) {
	cases := []struct {
		name string
		edit func(in *consensus.Input)
	}{
		// sudo_set_max_allowed_validators: any value up to MaxAllowedUids.
		{"MaxAllowedValidators 0", func(in *consensus.Input) { in.MaxAllowedValidators = 0 }},
		// sudo_set_kappa, sudo_set_bonds_penalty, sudo_set_tempo: any u16.
		{"Kappa 0", func(in *consensus.Input) { in.Kappa = 0 }},
		{"BondsPenalty 0", func(in *consensus.Input) { in.BondsPenalty = 0 }},
		{"Tempo 0", func(in *consensus.Input) { in.Tempo = 0 }},
		// Root is not capped by sudo_set_bonds_moving_average or
		// sudo_set_alpha_sigmoid_steepness.
		{"huge BondsMovingAverage on the original path", func(in *consensus.Input) { in.Yuma3, in.BondsMovingAverage = false, ^uint64(0) }},
		{"negative steepness", func(in *consensus.Input) { in.AlphaSigmoidSteepness = -1000 }},
		// do_set_activity_cutoff_factor's bounds, inclusive.
		{"activity cutoff 1000", func(in *consensus.Input) { in.ActivityCutoffFactorMilli = 1000 }},
		{"activity cutoff 50000", func(in *consensus.Input) { in.ActivityCutoffFactorMilli = 50_000 }},
		// do_set_alpha_values' bounds, inclusive; unread without liquid alpha.
		{"alpha values at their floor", func(in *consensus.Input) { in.LiquidAlpha, in.AlphaLow, in.AlphaHigh = true, 1638, 1638 }},
		{"alpha values unread", func(in *consensus.Input) { in.LiquidAlpha, in.AlphaLow, in.AlphaHigh = false, 0, 0 }},
		// Storage the epoch reads shorter than N.
		{"LastUpdate empty", func(in *consensus.Input) { in.LastUpdate = nil }},
		{"ValidatorPermit short", func(in *consensus.Input) { in.ValidatorPermit = in.ValidatorPermit[:1] }},
		{"ValidatorPermit empty", func(in *consensus.Input) { in.ValidatorPermit = nil }},
		{"CommitBlocks short", func(in *consensus.Input) { in.CommitBlocks = []uint64{5} }},
		{"TaoStake absent", func(in *consensus.Input) { in.TaoStake = nil }},
		{"Weights and Bonds rows short", func(in *consensus.Input) { in.Weights, in.Bonds = in.Weights[:2], nil }},
		{"owner at the last uid", func(in *consensus.Input) { in.HasOwner, in.OwnerUID = true, 3 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := validInput()
			c.edit(&in)
			require.NoError(t, in.Validate())
			_, err := consensus.Epoch(in)
			require.NoError(t, err)
		})
	}
	// The zero Input is an empty subnet.
	var zero consensus.Input
	require.NoError(t, zero.Validate())
	out, err := consensus.Epoch(zero)
	require.NoError(t, err)
	assert.NotNil(t, out.Incentive)
	assert.Empty(t, out.Incentive)
}

func TestValidateAllocs(t *testing.T) {
	in := benchInput(t, 256)
	allocs := testing.AllocsPerRun(20, func() {
		if err := in.Validate(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Input.Validate allocates %v times per run, want 0", allocs)
	}
}

// Nil pointers are refused with ErrNilArgument rather than a panic.
func TestNilArguments(t *testing.T) {
	in := validInput()
	var ws consensus.Workspace
	var out consensus.Output
	require.ErrorIs(t, ws.Epoch(nil, &out), consensus.ErrNilArgument)
	require.ErrorIs(t, ws.Epoch(&in, nil), consensus.ErrNilArgument)
	var nilWS *consensus.Workspace
	require.ErrorIs(t, nilWS.Epoch(&in, &out), consensus.ErrNilArgument)
	var nilIn *consensus.Input
	require.ErrorIs(t, nilIn.Validate(), consensus.ErrNilArgument)
	assert.Nil(t, out.Incentive, "out is left unchanged")

	// The other entry points take nil slices as empty ones.
	assert.Equal(t, units.Alpha(7), consensus.Inherited[units.Alpha](7, nil, nil))
	shares, err := consensus.SplitEmission(nil, 7, 1, nil)
	require.NoError(t, err)
	assert.Equal(t, []units.Alpha{7}, shares)
	_, _, err = consensus.EpochWithMechanisms(in, nil, nil)
	require.ErrorIs(t, err, consensus.ErrInvalidMechanismCount)
}

// The errors that stand for an outcome of the chain carry its name for the
// conformance runner; the SDK's own input errors carry none.
func TestErrorChainNames(t *testing.T) {
	in := validInput()
	in.Yuma3, in.LiquidAlpha = true, false
	in.BondsMovingAverage = 2_147_483_648_000_000
	_, err := consensus.Epoch(in)
	require.ErrorIs(t, err, consensus.ErrBondsMovingAverageOverflow)
	var named interface{ ChainName() string }
	require.ErrorAs(t, err, &named)
	assert.Equal(t, "BondsMovingAverageOverflow", named.ChainName())
	// The module's one chain-error type reaches it, wrapped or not.
	var ce *units.ChainError
	require.ErrorAs(t, fmt.Errorf("epoch: %w", err), &ce)
	assert.Equal(t, "BondsMovingAverageOverflow", ce.ChainName())
	assert.Equal(t, "BondsMovingAverageOverflow", units.ChainName(fmt.Errorf("epoch: %w", err)))
	assert.True(t, strings.HasPrefix(err.Error(), "consensus: "), err.Error())

	for _, e := range []error{consensus.ErrInvalidMechanismCount, consensus.ErrInvalidEmissionSplit} {
		require.ErrorAs(t, e, &named)
		assert.Equal(t, "InvalidValue", named.ChainName())
		require.ErrorAs(t, e, &ce)
	}
	for _, e := range []error{consensus.ErrInvalidInput, consensus.ErrNilArgument} {
		assert.False(t, errors.As(e, &named), "%v has no chain name", e)
		assert.Empty(t, units.ChainName(e))
	}
}
