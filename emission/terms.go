package emission

import "github.com/dtao-go/dtao/fixed"

// DefaultOwnerCut is SubnetOwnerCut's default: 11_796/65_535 ≈ 18%.
const DefaultOwnerCut uint16 = 11_796

// TaoWeight is the chain's get_tao_weight: the stored TaoWeight (parts of
// u64::MAX) as U96F32, U96F32(stored) / U96F32(u64::MAX). u64::MAX is
// exactly 1.0.
func TaoWeight(stored uint64) fixed.U96F32 {
	return fixed.U96F32FromUint64(stored).SafeDiv(fixed.U96F32FromUint64(^uint64(0)))
}

// OwnerCutFraction is get_float_subnet_owner_cut: U96F32(cut) / 65535.
func OwnerCutFraction(cut uint16) fixed.U96F32 {
	return fixed.U96F32FromUint64(uint64(cut)).SafeDiv(fixed.U96F32FromUint64(65_535))
}

// RootProportion is the chain's root_proportion (coinbase/block_step.rs):
// with w = U96F32(rootTAO) · taoWeight, it returns w / (w + alphaIssuance),
// or 0 when that division fails. rootTAO is SubnetTAO of the root subnet;
// alphaIssuance is SubnetAlphaIn + SubnetAlphaOut of the subnet.
func RootProportion(rootTAO uint64, taoWeight fixed.U96F32, alphaIssuance uint64) fixed.U96F32 {
	w := fixed.U96F32FromUint64(rootTAO).SaturatingMul(taoWeight)
	rp, ok := w.CheckedDiv(w.SaturatingAdd(fixed.U96F32FromUint64(alphaIssuance)))
	if !ok {
		return fixed.U96F32{}
	}
	return rp
}

// AlphaIssuance is get_alpha_issuance: SubnetAlphaIn + SubnetAlphaOut,
// saturating.
func AlphaIssuance(alphaIn, alphaOut uint64) uint64 {
	return satAdd(alphaIn, alphaOut)
}

// Terms are one subnet's emission terms for a block, as get_subnet_terms
// computes them (all U96F32; the coinbase floors them to rao with tou64).
type Terms struct {
	TAOIn     fixed.U96F32 // TAO to inject into the pool
	AlphaIn   fixed.U96F32 // alpha to inject into the pool
	AlphaOut  fixed.U96F32 // alpha minted for the participants: the whole alpha emission
	ExcessTAO fixed.U96F32 // TAO that cannot be injected and buys alpha instead
}

// SubnetTerms is get_subnet_terms for one subnet (coinbase/run_coinbase.rs):
//
//	ae       = BlockEmission(alphaIssuance)
//	alpha_in = taoEmission / price              (safe_div_or 0)
//	tao_in   = taoEmission
//	cap      = rootProportion · ae
//	if alpha_in > cap: alpha_in = cap; tao_in = alpha_in · price
//	excess   = taoEmission − tao_in             (saturating)
//
// price is the pool's spot price (U64F64), which the chain reads as U96F32
// (dropping 32 fractional bits: a price below 2^-32 reads as 0, giving no
// alpha in and the whole TAO share as tao_in). rootProportion is
// [RootProportion] before the block's injection, at most 1 as
// [RootProportion] returns it (a larger value would lift the cap above the
// block's alpha emission).
func SubnetTerms(taoEmission fixed.U96F32, alphaIssuance uint64, price fixed.U64F64, rootProportion fixed.U96F32) Terms {
	ae := fixed.U96F32FromUint64(BlockEmission(alphaIssuance))
	p := price.SaturatingToU96F32()
	taoIn := taoEmission
	alphaIn := taoEmission.SafeDivOr(p, fixed.U96F32{})
	capped := rootProportion.SaturatingMul(ae)
	if capped.Less(alphaIn) {
		alphaIn = capped
		taoIn = alphaIn.SaturatingMul(p)
	}
	return Terms{
		TAOIn:     taoIn,
		AlphaIn:   alphaIn,
		AlphaOut:  ae,
		ExcessTAO: taoEmission.SaturatingSub(taoIn),
	}
}

// AlphaSplit is how one block's alpha out is divided (rao, floored).
type AlphaSplit struct {
	OwnerCut  uint64 // added to PendingOwnerCut
	Server    uint64 // added to PendingServerEmission (miners)
	Validator uint64 // added to PendingValidatorEmission
	Root      uint64 // root's part: PendingRootAlphaDivs when root sells, else recycled
}

// SplitAlphaOut is step 3 of emit_to_subnets for one subnet, all in
// U96F32 (the chain's order; each bucket floors its own value):
//
//	if ownerCutEnabled: oc = A·cut; A = A − oc      (OwnerCut = floor(oc))
//	R = (rootProportion · A) · ½
//	S = A · ½                                      (Server = floor(S))
//	V = (A − S) − R                                (Validator = floor(V))
//	Root = floor(R)
//
// alphaOut is the block's alpha emission (Terms.AlphaOut); cut is
// [OwnerCutFraction]; rootProportion must be recomputed by the caller
// after this block's injection, chain buy and alpha-out mint, as the chain
// does. cut and rootProportion are at most 1 as [OwnerCutFraction] and
// [RootProportion] return them; larger values would pay out more than
// alphaOut.
func SplitAlphaOut(alphaOut, cut fixed.U96F32, ownerCutEnabled bool, rootProportion fixed.U96F32) AlphaSplit {
	var split AlphaSplit
	a := alphaOut
	if ownerCutEnabled {
		oc := a.SaturatingMul(cut)
		a = a.SaturatingSub(oc)
		split.OwnerCut = oc.SaturatingToUint64()
	}
	half := fixed.U96F32FromBits(0, 1<<31)
	r := rootProportion.SaturatingMul(a).SaturatingMul(half)
	s := a.SaturatingMul(half)
	v := a.SaturatingSub(s).SaturatingSub(r)
	split.Server = s.SaturatingToUint64()
	split.Validator = v.SaturatingToUint64()
	split.Root = r.SaturatingToUint64()
	return split
}
