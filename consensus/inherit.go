package consensus

import "github.com/dtao-go/dtao/fixed"

// Share is one side of a child-key delegation: the stake of the hotkey on
// the other side of the link (used for parents) and the proportion of the
// parent's stake delegated, in parts of 2^64−1 (the chain's ChildKeys u64).
type Share struct {
	Stake      uint64
	Proportion uint64
}

// Inherited is staking/stake_utils.rs get_inherited_for_hotkey_on_subnet
// (and get_tao_inherited_for_hotkey_on_subnet, which is the same formula
// over root stakes): own − Σ_children own·p_c + Σ_parents stake_p·p_p in
// U96F32 with p = proportion/(2^64−1) (truncated to 32 fractional bits),
// saturating, floored to rao. children lists only the proportions this
// hotkey delegates (their Stake is ignored); parents list each parent's own
// stake and the proportion it delegates to this hotkey. On the root subnet
// the chain does not apply inheritance to alpha: pass own stake as is.
func Inherited(own uint64, children, parents []Share) uint64 {
	initial := fixed.U96F32FromUint64(own)
	max := fixed.U96F32FromUint64(^uint64(0))
	var toChildren, fromParents fixed.U96F32
	for _, c := range children {
		p := fixed.U96F32FromUint64(c.Proportion).SafeDiv(max)
		toChildren = toChildren.SaturatingAdd(initial.SaturatingMul(p))
	}
	for _, pr := range parents {
		p := fixed.U96F32FromUint64(pr.Proportion).SafeDiv(max)
		fromParents = fromParents.SaturatingAdd(fixed.U96F32FromUint64(pr.Stake).SaturatingMul(p))
	}
	return initial.SaturatingSub(toChildren).SaturatingAdd(fromParents).SaturatingToUint64()
}
