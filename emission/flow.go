package emission

import "github.com/dtao-go/dtao/fixed"

// This file holds the TAO-flow share rules that decided the per-subnet
// TAO share from November 2025 to June 2026, for replay. At the pinned
// commit 14bc6f9f the code is still compiled but unused (get_shares_flow,
// get_ema_flow, update_ema_protocol_flow, inplace_pow_normalize and
// safe_pow in pallets/subtensor/src/coinbase/subnet_emissions.rs); it is
// reproduced from there.

// FlowEMA advances a flow EMA by one block, as get_ema_flow (user flow,
// SubnetEmaTaoFlow) and update_ema_protocol_flow (SubnetEmaProtocolFlow)
// do: with a = I64F64(smoothing) / I64F64(i64::MAX) (FlowEmaSmoothingFactor),
// it returns (1 − a)·last + a·flow, saturating, in I64F64. flow is the
// block's accumulated SubnetTaoFlow or SubnetProtocolFlow (rao, signed).
// The chain runs the update at most once per block and then resets the
// accumulator.
func FlowEMA(last fixed.I64F64, flow int64, smoothing uint64) fixed.I64F64 {
	a := fixed.I64F64FromUint64(smoothing).SafeDiv(fixed.I64F64FromInt64(1<<63 - 1))
	one := fixed.I64F64FromInt64(1)
	return one.SaturatingSub(a).SaturatingMul(last).SaturatingAdd(a.SaturatingMul(fixed.I64F64FromInt64(flow)))
}

// FlowInput is one emitting subnet's flow EMAs for the block, already
// advanced with [FlowEMA].
type FlowInput struct {
	User     fixed.I64F64 // SubnetEmaTaoFlow: staking in minus staking out
	Protocol fixed.I64F64 // SubnetEmaProtocolFlow: injections and chain buys minus root sells
}

// FlowShares is get_shares_flow: the TAO share of each subnet (in emit-to
// order) from its flow EMA. With netFlow (NetTaoFlowEnabled, May–June
// 2026), a positive protocol EMA is first scaled by n = min(1, Σ max(user,
// 0) / Σ max(protocol, 0)) (0 when there is no positive protocol flow) and
// subtracted; a negative one is subtracted as it is. Then, with
// L = max(cutoff, min(0, min flow)) (TaoFlowCutoff), z_i = max(flow_i − L,
// 0), and share_i = z_i^p / Σ z^p (FlowNormExponent p), computed as the
// chain computes it: scaled so the largest z is 1, rescaled by
// sqrt(i32::MAX / (n·max²)), powered through substrate-fixed's ln and exp
// in I32F32, and divided by the (wrapping) sum. The shares feed the
// emission switch and [SubnetTAOEmission] like [Shares]' do.
//
// FlowShares panics if out is shorter than flows, as [Shares] does: the
// caller sizes out, so that is a programming error, not bad input.
func FlowShares(flows []FlowInput, netFlow bool, cutoff fixed.I64F64, p fixed.U64F64, out []fixed.U64F64) {
	out = out[:len(flows)]
	zero := fixed.I64F64{}
	norm := zero
	if netFlow {
		userSum, protocolSum := zero, zero
		for _, f := range flows {
			userSum = userSum.SaturatingAdd(maxI64F64(f.User, zero))
			protocolSum = protocolSum.SaturatingAdd(maxI64F64(f.Protocol, zero))
		}
		if zero.Less(protocolSum) {
			norm = userSum.SafeDiv(protocolSum)
			if one := fixed.I64F64FromInt64(1); one.Less(norm) {
				norm = one
			}
		}
	}
	// The net flows go through out's slots as I64F64 bits would not fit
	// U64F64; keep them in a small stack buffer when possible.
	var buf [64]fixed.I64F64
	net := buf[:0]
	if len(flows) > len(buf) {
		net = make([]fixed.I64F64, 0, len(flows))
	}
	for _, f := range flows {
		v := f.User
		if netFlow {
			scaled := f.Protocol
			if zero.Less(f.Protocol) {
				scaled = norm.SaturatingMul(f.Protocol)
			}
			v = f.User.SaturatingSub(scaled)
		}
		net = append(net, v)
	}
	// Lower limit: the most negative flow (or 0), raised to the cutoff.
	lower := zero
	for _, v := range net {
		if v.Less(lower) {
			lower = v
		}
	}
	if lower.Less(cutoff) {
		lower = cutoff
	}
	for i, v := range net {
		if lower.Less(v) {
			out[i] = v.SaturatingSub(lower).SaturatingToU64F64()
		} else {
			out[i] = fixed.U64F64{}
		}
	}
	powNormalize(out, p)
}

// powNormalize is inplace_pow_normalize.
func powNormalize(flows []fixed.U64F64, p fixed.U64F64) {
	zero := fixed.U64F64{}
	// inplace_scale: the largest flow becomes 1.0.
	factor := fixed.U64F64FromUint64(1).SafeDiv(maxU64F64(flows))
	for i := range flows {
		flows[i] = factor.SaturatingMul(flows[i])
	}
	max := maxU64F64(flows)
	maxTimesCount := fixed.U64F64FromUint64(uint64(len(flows))).SaturatingMul(max.SaturatingMul(max))
	i32Max := fixed.U64F64FromUint64(1<<31 - 1)
	precisionMin := i32Max.SafeDiv(fixed.U64F64FromUint64(^uint64(0)))
	if maxTimesCount.Less(precisionMin) {
		return // every flow is too small for I32F32: left as scaled
	}
	epsilon := fixed.U64F64FromUint64(1).SafeDiv(fixed.U64F64FromUint64(1_000))
	scale, ok := i32Max.SafeDiv(maxTimesCount).CheckedSqrt(epsilon)
	if !ok {
		scale = zero
	}
	sum := zero
	for _, f := range flows {
		sum = sum.Add(safePow(scale.SaturatingMul(f), p))
	}
	for i, f := range flows {
		flows[i] = safePow(scale.SaturatingMul(f), p).SafeDiv(sum)
	}
}

// safePow is the chain's safe_pow: exp(p·ln(v)) in I32F32 via
// substrate-fixed's ln and exp ([fixed.Ln], [fixed.Exp]); 0 when ln fails
// (v reads as 0 in I32F32, or as its smallest positive value),
// and i32::MAX (as a value, not I32F32::MAX) when exp fails.
func safePow(v, p fixed.U64F64) fixed.U64F64 {
	ln, ok := fixed.Ln(v.SaturatingToI32F32())
	if !ok {
		return fixed.U64F64{}
	}
	e, ok := fixed.Exp(p.SaturatingToI32F32().SaturatingMul(ln))
	if !ok {
		e = fixed.I32F32FromInt64(1<<31 - 1)
	}
	return e.SaturatingToU64F64()
}

func maxI64F64(a, b fixed.I64F64) fixed.I64F64 {
	if a.Less(b) {
		return b
	}
	return a
}

func maxU64F64(xs []fixed.U64F64) fixed.U64F64 {
	var m fixed.U64F64
	for _, x := range xs {
		if m.Less(x) {
			m = x
		}
	}
	return m
}
