package consensus

import (
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Amount is a stake the chain lets flow from parent to child hotkeys: alpha
// on a subnet (get_inherited_for_hotkey_on_subnet) or TAO on the root
// subnet (get_tao_inherited_for_hotkey_on_subnet).
type Amount interface {
	units.Alpha | units.TAO
}

// Share is one side of a child-key delegation: the stake of the hotkey on
// the other side of the link (used for parents) and the proportion of the
// parent's stake delegated, in parts of 2^64−1 (the chain's ChildKeys u64).
type Share[A Amount] struct {
	Stake      A
	Proportion uint64
}

// Inherited is staking/stake_utils.rs get_inherited_for_hotkey_on_subnet
// (alpha, A = units.Alpha) and get_tao_inherited_for_hotkey_on_subnet (root
// stake, A = units.TAO), which are the same formula: own − Σ_children
// own·p_c + Σ_parents stake_p·p_p in U96F32 with p = proportion/(2^64−1)
// (truncated to 32 fractional bits), saturating, floored to rao. children
// lists only the proportions this hotkey delegates (their Stake is
// ignored); parents list each parent's own stake and the proportion it
// delegates to this hotkey. On the root subnet the chain does not apply
// inheritance to alpha: pass own stake as is.
func Inherited[A Amount](own A, children, parents []Share[A]) A {
	initial := fixed.U96F32FromUint64(uint64(own))
	var toChildren, fromParents fixed.U96F32
	for _, c := range children {
		p := fixed.U96F32FromU64Proportion(c.Proportion)
		toChildren = toChildren.SaturatingAdd(initial.SaturatingMul(p))
	}
	for _, pr := range parents {
		p := fixed.U96F32FromU64Proportion(pr.Proportion)
		fromParents = fromParents.SaturatingAdd(fixed.U96F32FromUint64(uint64(pr.Stake)).SaturatingMul(p))
	}
	return A(initial.SaturatingSub(toChildren).SaturatingAdd(fromParents).SaturatingToUint64())
}
