package emission

import (
	"math"
	"math/bits"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// DefaultOwnerCut is SubnetOwnerCut's default (DefaultSubnetOwnerCut in
// pallets/subtensor/src/lib.rs, SubtensorInitialSubnetOwnerCut = 11_796 in
// runtime/src/lib.rs): 11_796/65_535 ≈ 18%, in parts of 65535.
const DefaultOwnerCut uint16 = 11_796

// Cut is the subnet owner cut as SubnetOwnerCut stores it, in parts of
// 65535 (the chain's value is global). Like [Take], its zero value is the
// storage default, [DefaultOwnerCut], which every subnet reads until the
// value is changed; any other cut is stated with [CutOf], including
// CutOf(0) for no cut. A field left out can therefore never silently mean
// 0%.
type Cut struct {
	value uint16
	set   bool
}

// CutOf is the stored owner cut v (parts of 65535).
func CutOf(v uint16) Cut { return Cut{value: v, set: true} }

// Value is the cut the chain reads (get_subnet_owner_cut and
// get_float_subnet_owner_cut, pallets/subtensor/src/utils/misc.rs): the
// stored value, or [DefaultOwnerCut] for the zero Cut.
func (c Cut) Value() uint16 {
	if !c.set {
		return DefaultOwnerCut
	}
	return c.value
}

// IsSet reports whether c was made by [CutOf] rather than left at the
// storage default.
func (c Cut) IsSet() bool { return c.set }

// RootProportion is the chain's root_proportion
// (pallets/subtensor/src/coinbase/block_step.rs): with w =
// U96F32(rootTAO) · taoWeight, it returns w / (w + alphaIssuance), or 0
// when that division fails. rootTAO is SubnetTAO of the root subnet;
// taoWeight is the stored TaoWeight as get_tao_weight reads it
// ([fixed.U96F32FromU64Proportion]); alphaIssuance is SubnetAlphaIn +
// SubnetAlphaOut of the subnet ([AlphaIssuance]).
func RootProportion(rootTAO units.TAO, taoWeight fixed.U96F32, alphaIssuance units.Alpha) fixed.U96F32 {
	return rootProportionOf(rootWeight(rootTAO, taoWeight), alphaIssuance)
}

// rootWeight is RootProportion's w = U96F32(rootTAO) · taoWeight, the same
// for every subnet of a block.
func rootWeight(rootTAO units.TAO, taoWeight fixed.U96F32) fixed.U96F32 {
	return fixed.U96F32FromUint64(uint64(rootTAO)).SaturatingMul(taoWeight)
}

// rootProportionOf is RootProportion from w = [rootWeight]: w / (w +
// alphaIssuance), 0 when the division fails.
func rootProportionOf(w fixed.U96F32, alphaIssuance units.Alpha) fixed.U96F32 {
	rp, ok := w.CheckedDiv(w.SaturatingAdd(fixed.U96F32FromUint64(uint64(alphaIssuance))))
	if !ok {
		return fixed.U96F32{}
	}
	return rp
}

// AlphaIssuance is get_alpha_issuance: SubnetAlphaIn + SubnetAlphaOut,
// saturating.
func AlphaIssuance(alphaIn, alphaOut units.Alpha) units.Alpha {
	return alphaIn.SaturatingAdd(alphaOut)
}

// Terms are one subnet's emission terms for a block, as get_subnet_terms
// computes them (all U96F32; the coinbase floors them to rao with tou64).
type Terms struct {
	TAOIn     fixed.U96F32 // TAO to inject into the pool
	AlphaIn   fixed.U96F32 // alpha to inject into the pool
	AlphaOut  fixed.U96F32 // alpha minted for the participants: the whole alpha emission
	ExcessTAO fixed.U96F32 // TAO that cannot be injected and buys alpha instead
}

// SubnetTerms is get_subnet_terms for one subnet
// (pallets/subtensor/src/coinbase/run_coinbase.rs):
//
//	ae       = AlphaBlockEmission(alphaIssuance)
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
func SubnetTerms(taoEmission fixed.U96F32, alphaIssuance units.Alpha, price fixed.U64F64, rootProportion fixed.U96F32) Terms {
	taoIn, alphaIn, alphaOut, excess := subnetTerms(taoEmission, alphaIssuance, price, rootProportion)
	return Terms{TAOIn: taoIn, AlphaIn: alphaIn, AlphaOut: fixed.U96F32FromUint64(uint64(alphaOut)), ExcessTAO: excess}
}

// subnetTerms is SubnetTerms with the four terms as separate results
// (the coinbase's loop keeps them in registers, where a Terms result is
// stored to memory and copied), the alpha out as the integer it is (the
// alpha emission; SubnetTerms' AlphaOut is U96F32FromUint64 of it, whose
// floor the coinbase would otherwise take back).
//
// It decides the usual case, a cap that binds with every operand of one
// word, in word operations and no call, so that none of its values is
// spilled around one: the cap rootProportion·ae is mulOneWord's; the
// quotient taoEmission/p exceeds it as QuoAbove's one-word test finds
// (p of one word above taoEmission's top 32 bits, so the quotient
// exists, and cap + 1 of one word: floor(x·2^32/p) > cap exactly when
// x·2^32 >= (cap + 1)·p, one word product against the three words of
// x·2^32); then alpha_in is the cap and tao_in cap·p, mulOneWord's again.
// Any other case (an operand of two words, a cap that does not bind,
// whose alpha_in takes the division) is subnetTermsWide's, the
// operations as written. TestSubnetTermsMatchWide and FuzzSubnetTerms
// compare the two.
func subnetTerms(taoEmission fixed.U96F32, alphaIssuance units.Alpha, price fixed.U64F64, rootProportion fixed.U96F32) (taoIn, alphaIn fixed.U96F32, alphaOut units.Alpha, excess fixed.U96F32) {
	alphaOut = AlphaBlockEmission(alphaIssuance)
	p := price.SaturatingToU96F32()
	capped, ok := mulOneWord(rootProportion, fixed.U96F32FromUint64(uint64(alphaOut)))
	xh, xl := taoEmission.Bits()
	ph, pl := p.Bits()
	ch, cl := capped.Bits()
	if ok && ph|ch == 0 && pl > xh>>32 && cl != math.MaxUint64 {
		n2, n1, n0 := xh>>32, xh<<32|xl>>32, xl<<32
		if p1, p0 := bits.Mul64(cl+1, pl); n2 != 0 || p1 < n1 || p1 == n1 && p0 <= n0 {
			h, l := bits.Mul64(cl, pl)
			taoIn = fixed.U96F32FromBits(h>>32, h<<32|l>>32)
			return taoIn, capped, alphaOut, taoEmission.SaturatingSub(taoIn)
		}
	}
	return subnetTermsWide(taoEmission, alphaIssuance, price, rootProportion)
}

// subnetTermsWide is subnetTerms for any operands: get_subnet_terms'
// operations as written (the cap's test by QuoAbove's multiplications,
// the division only for a cap that does not bind).
func subnetTermsWide(taoEmission fixed.U96F32, alphaIssuance units.Alpha, price fixed.U64F64, rootProportion fixed.U96F32) (taoIn, alphaIn fixed.U96F32, alphaOut units.Alpha, excess fixed.U96F32) {
	alphaOut = AlphaBlockEmission(alphaIssuance)
	ae := fixed.U96F32FromUint64(uint64(alphaOut))
	p := price.SaturatingToU96F32()
	taoIn = taoEmission
	capped, ok := mulOneWord(rootProportion, ae)
	if !ok {
		capped = rootProportion.SaturatingMul(ae)
	}
	if taoEmission.QuoAbove(p, capped) {
		// The quotient exists and exceeds the cap (decided by
		// multiplications): the cap is alpha_in, the division unneeded.
		alphaIn = capped
		if taoIn, ok = mulOneWord(alphaIn, p); !ok {
			taoIn = alphaIn.SaturatingMul(p)
		}
	} else {
		alphaIn, ok = taoEmission.CheckedDiv(p) // SafeDivOr(p, 0)
		if !ok {
			alphaIn = fixed.U96F32{}
		}
	}
	return taoIn, alphaIn, alphaOut, taoEmission.SaturatingSub(taoIn)
}

// AlphaSplit is how one block's alpha out is divided (floored to rao).
type AlphaSplit struct {
	OwnerCut  units.Alpha // added to PendingOwnerCut
	Server    units.Alpha // added to PendingServerEmission (miners)
	Validator units.Alpha // added to PendingValidatorEmission
	Root      units.Alpha // root's part: PendingRootAlphaDivs when root sells, else recycled
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
// alphaOut is the block's alpha emission (Terms.AlphaOut); cut is the
// owner cut as get_float_subnet_owner_cut reads it,
// [fixed.U96F32FromU16Proportion] of [Cut.Value]; rootProportion must be
// recomputed by the caller after this block's injection, chain buy and
// alpha-out mint, as the chain does. cut and rootProportion are at most 1
// as [fixed.U96F32FromU16Proportion] and [RootProportion] return them;
// larger values would pay out more than alphaOut.
func SplitAlphaOut(alphaOut, cut fixed.U96F32, ownerCutEnabled bool, rootProportion fixed.U96F32) AlphaSplit {
	c := splitCut(alphaOut, cut, ownerCutEnabled)
	return c.split(rootProportion)
}

// cutSplit is the part of [SplitAlphaOut] that does not read the root
// proportion: A after the owner cut, and the floors of the owner cut and
// of S = A·½ (S itself is halve(A), a shift: split forms it again, so
// that the Coinbaser's memory of a split is 32 bytes).
type cutSplit struct {
	a        fixed.U96F32
	ownerCut units.Alpha
	server   units.Alpha
}

// splitCut is SplitAlphaOut's owner cut and server half, in its
// operations and order.
func splitCut(alphaOut, cut fixed.U96F32, ownerCutEnabled bool) cutSplit {
	var c cutSplit
	a := alphaOut
	if ownerCutEnabled {
		oc := a.SaturatingMul(cut)
		a = a.SaturatingSub(oc)
		c.ownerCut = units.Alpha(oc.SaturatingToUint64())
	}
	c.a = a
	c.server = units.Alpha(halve(a).SaturatingToUint64())
	return c
}

// split is SplitAlphaOut of c's operands and the root proportion:
// R = (rootProportion · A) · ½ and V = (A − S) − R, each floored.
func (c *cutSplit) split(rootProportion fixed.U96F32) AlphaSplit {
	r := halve(rootProportion.SaturatingMul(c.a))
	v := c.a.SaturatingSub(halve(c.a)).SaturatingSub(r)
	return AlphaSplit{
		OwnerCut:  c.ownerCut,
		Server:    c.server,
		Validator: units.Alpha(v.SaturatingToUint64()),
		Root:      units.Alpha(r.SaturatingToUint64()),
	}
}

// mulOneWord is x.SaturatingMul(y) when both raw values are below 2^64
// (ok): the one word product shifted down by the 32 fraction bits, below
// 2^96 so never saturated, as SaturatingMul computes it in that case.
// Otherwise ok is false and z means nothing. Unlike SaturatingMul it
// inlines, so the coinbase's products of a proportion (at most 1) and
// an amount, all of this kind, take no call. TestMulOneWordMatches.
func mulOneWord(x, y fixed.U96F32) (z fixed.U96F32, ok bool) {
	xh, xl := x.Bits()
	yh, yl := y.Bits()
	h, l := bits.Mul64(xl, yl)
	return fixed.U96F32FromBits(h>>32, h<<32|l>>32), xh|yh == 0
}

// halve is U96F32's x.saturating_mul(½) with ½ = U96F32::from_num(0.5)
// (raw bits 2^31): the product of the raw bits floored by 2^32 is
// floor(x_raw·2^31/2^32) = floor(x_raw/2), below x_raw so never
// saturating: a one-bit shift of the raw bits.
func halve(x fixed.U96F32) fixed.U96F32 {
	hi, lo := x.Bits()
	return fixed.U96F32FromBits(hi>>1, lo>>1|hi<<63)
}
