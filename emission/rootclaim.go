package emission

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Limits and defaults of root claims (pallets/subtensor/src/lib.rs).
const (
	// DefaultRootClaimThreshold is DefaultMinRootClaimAmount, the default
	// of RootClaimableThreshold: a claim of less owed alpha (rao) is
	// skipped. The chain stores the threshold as I96F32;
	// [RootClaimThreshold] converts.
	DefaultRootClaimThreshold units.Alpha = 500_000
	// MaxRootClaimThreshold is MAX_ROOT_CLAIM_THRESHOLD, the largest
	// threshold sudo_set_root_claim_threshold accepts.
	MaxRootClaimThreshold units.Alpha = 10_000_000
	// DefaultNumRootClaim is DefaultNumRootClaim: coldkeys auto-claimed
	// per block.
	DefaultNumRootClaim uint64 = 5
	// MaxNumRootClaims is MAX_NUM_ROOT_CLAIMS, the largest NumRootClaim
	// sudo_set_num_root_claims accepts.
	MaxNumRootClaims uint64 = 50
	// MaxSubnetClaims is MAX_SUBNET_CLAIMS, the most subnets one
	// claim_root call names.
	MaxSubnetClaims = 5
)

// Errors of the root-claim calls (pallets/subtensor/src/macros/errors.rs),
// testable with errors.Is. Each is a [*units.ChainError] whose ChainName is
// the chain's own name of the error.
var (
	// ErrInvalidRootClaimThreshold: sudo_set_root_claim_threshold above
	// [MaxRootClaimThreshold].
	ErrInvalidRootClaimThreshold = units.NewChainError("emission", "InvalidRootClaimThreshold", "invalid value of root claim threshold")
	// ErrInvalidNumRootClaim: sudo_set_num_root_claims above
	// [MaxNumRootClaims].
	ErrInvalidNumRootClaim = units.NewChainError("emission", "InvalidNumRootClaim", "invalid number of root claims")
	// ErrInvalidSubnetNumber: claim_root with no subnet or more than
	// [MaxSubnetClaims], or set_root_claim_type with an empty KeepSubnets.
	ErrInvalidSubnetNumber = units.NewChainError("emission", "InvalidSubnetNumber", "exceeded subnet limit number or zero")
)

// ErrUnknownRootClaimKind: a [RootClaimType] whose Kind is none of
// [RootClaimSwap], [RootClaimKeep] and [RootClaimKeepSubnets]; the chain's
// RootClaimTypeEnum cannot hold it.
var ErrUnknownRootClaimKind = errors.New("emission: unknown root claim kind")

// RootClaimThreshold is sudo_set_root_claim_threshold's check and
// conversion (pallets/subtensor/src/macros/dispatches.rs): the
// RootClaimableThreshold stored for value, I96F32 of value, or
// [ErrInvalidRootClaimThreshold] above [MaxRootClaimThreshold].
func RootClaimThreshold(value units.Alpha) (fixed.I96F32, error) {
	if value > MaxRootClaimThreshold {
		return fixed.I96F32{}, fmt.Errorf("%w: %d > %d", ErrInvalidRootClaimThreshold, value, MaxRootClaimThreshold)
	}
	return fixed.I96F32FromUint64(uint64(value)), nil
}

// CheckNumRootClaim is sudo_set_num_root_claims's check
// (pallets/subtensor/src/macros/dispatches.rs): NumRootClaim is at most
// [MaxNumRootClaims] ([ErrInvalidNumRootClaim]); 0 disables the automatic
// claim.
func CheckNumRootClaim(n uint64) error {
	if n > MaxNumRootClaims {
		return fmt.Errorf("%w: %d > %d", ErrInvalidNumRootClaim, n, MaxNumRootClaims)
	}
	return nil
}

// CheckClaimRootSubnets is claim_root's check of its subnet set
// (pallets/subtensor/src/macros/dispatches.rs): between 1 and
// [MaxSubnetClaims] distinct netuids, else [ErrInvalidSubnetNumber].
// subnets is read as a set: repeated netuids count once, as in the
// chain's BTreeSet.
func CheckClaimRootSubnets(subnets []units.NetUID) error {
	n := distinctNetUIDs(subnets, MaxSubnetClaims+1)
	if n == 0 || n > MaxSubnetClaims {
		return fmt.Errorf("%w: %d subnets", ErrInvalidSubnetNumber, n)
	}
	return nil
}

// distinctNetUIDs counts the distinct netuids of s, stopping at limit.
func distinctNetUIDs(s []units.NetUID, limit int) int {
	n := 0
	for i, u := range s {
		if slices.Contains(s[:i], u) {
			continue
		}
		if n++; n >= limit {
			break
		}
	}
	return n
}

// RootClaimKind is the variant of the chain's RootClaimTypeEnum
// (pallets/subtensor/src/lib.rs).
type RootClaimKind uint8

// The variants of RootClaimTypeEnum, in the chain's order (their SCALE
// indices).
const (
	// RootClaimSwap swaps all owed alpha to root stake (the default).
	RootClaimSwap RootClaimKind = iota
	// RootClaimKeep keeps all owed alpha as stake on its subnet.
	RootClaimKeep
	// RootClaimKeepSubnets keeps the alpha of the listed subnets and swaps
	// the rest.
	RootClaimKeepSubnets
)

// RootClaimType is a coldkey's RootClaimType: what a claim does with owed
// alpha. The zero value is the chain's default, [RootClaimSwap]. Subnets is
// the KeepSubnets set (read as a set: order and repeats do not matter) and
// is ignored by the other kinds.
type RootClaimType struct {
	Kind    RootClaimKind
	Subnets []units.NetUID
}

// Validate is set_root_claim_type's check
// (pallets/subtensor/src/macros/dispatches.rs): KeepSubnets with no
// subnet is [ErrInvalidSubnetNumber]; an unknown kind is
// [ErrUnknownRootClaimKind].
func (t RootClaimType) Validate() error {
	switch t.Kind {
	case RootClaimSwap, RootClaimKeep:
		return nil
	case RootClaimKeepSubnets:
		if len(t.Subnets) == 0 {
			return fmt.Errorf("%w: KeepSubnets with no subnet", ErrInvalidSubnetNumber)
		}
		return nil
	}
	return fmt.Errorf("%w: %d", ErrUnknownRootClaimKind, t.Kind)
}

// Swaps is root_claim_on_subnet's choice
// (pallets/subtensor/src/staking/claim_root.rs): whether alpha owed on
// netuid is swapped to root stake (true) or kept as stake on netuid. Swap
// swaps, Keep keeps, KeepSubnets keeps the listed subnets and swaps the
// others. An unknown kind (see [RootClaimType.Validate]) keeps, so that no
// swap happens on input the chain cannot hold.
func (t RootClaimType) Swaps(netuid units.NetUID) bool {
	switch t.Kind {
	case RootClaimSwap:
		return true
	case RootClaimKeepSubnets:
		return !slices.Contains(t.Subnets, netuid)
	}
	return false
}

// RootClaimableIncrement is increase_root_claimable_for_hotkey_and_subnet's
// rate step (pallets/subtensor/src/staking/claim_root.rs): amount /
// rootStake as I96F32 (0 when rootStake is 0), rootStake being the
// hotkey's total root stake. ok is false when the amount exceeds the root
// stake: the chain then stakes the amount to the hotkey's owner as alpha
// instead of raising the rate. When ok, the chain adds rate to
// RootClaimable[hotkey][netuid] with I96F32 SaturatingAdd, inserting the
// entry even when rate is 0.
func RootClaimableIncrement(amount, rootStake units.Alpha) (rate fixed.I96F32, ok bool) {
	total := fixed.I96F32FromUint64(uint64(rootStake))
	if uint64(amount) > total.SaturatingToUint64() {
		return fixed.I96F32{}, false
	}
	rate, divOK := fixed.I96F32FromUint64(uint64(amount)).CheckedDiv(total)
	if !divOK {
		rate = fixed.I96F32{}
	}
	return rate, true
}

// RootOwedFloat is get_root_owed_for_hotkey_coldkey_float
// (pallets/subtensor/src/staking/claim_root.rs): rate · rootStake −
// I96F32(claimed), each step saturating in I96F32 (claimed past 2^95
// saturates to I96F32's maximum). The result is negative when more was
// claimed than the rate now pays. rate is RootClaimable[hotkey][netuid]
// (0 when absent), rootStake the coldkey's root stake on the hotkey,
// claimed RootClaimed[(netuid, hotkey, coldkey)].
func RootOwedFloat(rate fixed.I96F32, rootStake units.Alpha, claimed fixed.U128) fixed.I96F32 {
	claimable := rate.SaturatingMul(fixed.I96F32FromUint64(uint64(rootStake)))
	return claimable.SaturatingSub(fixed.I96F32FromU128(claimed))
}

// RootOwed is get_root_owed_for_hotkey_coldkey
// (pallets/subtensor/src/staking/claim_root.rs): [RootOwedFloat] floored
// to rao, 0 when negative, u64::MAX when larger.
func RootOwed(rate fixed.I96F32, rootStake units.Alpha, claimed fixed.U128) units.Alpha {
	return owedToAlpha(RootOwedFloat(rate, rootStake, claimed))
}

func owedToAlpha(owed fixed.I96F32) units.Alpha {
	if owed.IsNegative() {
		return 0
	}
	return units.Alpha(owed.SaturatingToUint64())
}

// RootClaimAmount is root_claim_on_subnet's decision
// (pallets/subtensor/src/staking/claim_root.rs): the alpha a claim pays
// for owed ([RootOwedFloat]), or 0 when the claim is skipped. Unless
// ignoreThreshold, owed below threshold (RootClaimableThreshold[netuid],
// compared in I96F32) is skipped; otherwise owed is floored to rao (0 when
// negative, u64::MAX when larger), and 0 is skipped. The chain's own
// callers never ignore the threshold.
func RootClaimAmount(owed, threshold fixed.I96F32, ignoreThreshold bool) units.Alpha {
	if !ignoreThreshold && owed.Less(threshold) {
		return 0
	}
	return owedToAlpha(owed)
}

// RootClaimedAfterAddStake is one netuid's step of
// add_stake_adjust_root_claimed_for_hotkey_and_coldkey
// (pallets/subtensor/src/staking/claim_root.rs): when amount of root stake
// is added to (hotkey, coldkey), RootClaimed[(netuid, hotkey, coldkey)]
// becomes claimed + u128(rate · amount), the product I96F32 saturating,
// floored to u128 (0 when negative) and the sum saturating at 2^128 − 1.
// rate is RootClaimable[hotkey][netuid]; the chain applies this to every
// netuid of RootClaimable[hotkey].
func RootClaimedAfterAddStake(claimed fixed.U128, rate fixed.I96F32, amount units.Alpha) fixed.U128 {
	return claimed.SaturatingAdd(rateTimes(rate, amount))
}

// RootClaimedAfterRemoveStake is one netuid's step of
// remove_stake_adjust_root_claimed_for_hotkey_and_coldkey
// (pallets/subtensor/src/staking/claim_root.rs): when amount of root stake
// leaves (hotkey, coldkey), RootClaimed[(netuid, hotkey, coldkey)] becomes
// claimed − u128(rate · amount), saturating at 0 (the product as in
// [RootClaimedAfterAddStake]). The chain applies this to every netuid of
// RootClaimable[hotkey] except the root netuid 0, which it leaves as it
// is.
func RootClaimedAfterRemoveStake(claimed fixed.U128, rate fixed.I96F32, amount units.Alpha) fixed.U128 {
	return claimed.SaturatingSub(rateTimes(rate, amount))
}

func rateTimes(rate fixed.I96F32, amount units.Alpha) fixed.U128 {
	return rate.SaturatingMul(fixed.I96F32FromUint64(uint64(amount))).SaturatingToU128()
}

// BlockHashToIndices is block_hash_to_indices
// (pallets/subtensor/src/staking/claim_root.rs): the staking-coldkey
// indices the automatic root claim visits in a block, from the parent
// block's hash, k = NumRootClaim and n = NumStakingColdkeys. Starting from
// the hash's first 8 bytes (big-endian), k times: step by the next 8-byte
// big-endian word of the hash (cycling through its four words, from the
// first), adding with saturation, and take the result mod n (0 when n is
// 0) as the new position. The distinct positions are appended to dst in
// ascending order (the chain's BTreeSet); at most k, fewer when positions
// repeat. It runs in O(k·min(k, n)) and allocates only when dst must
// grow; the chain bounds k by [MaxNumRootClaims].
func BlockHashToIndices(hash [32]byte, k, n uint64, dst []uint64) []uint64 {
	start := len(dst)
	last := binary.BigEndian.Uint64(hash[:8])
	for i := range k {
		// The chain reads the word at saturating i·8 mod 32, and a zero
		// step when the 8 bytes there run past the hash (only once i·8
		// saturates, at offset 31).
		var step uint64
		if i < 1<<61 {
			off := (i % 4) * 8
			step = binary.BigEndian.Uint64(hash[off : off+8])
		}
		var idx uint64
		if n != 0 {
			idx = fixed.SaturatingAddUint64(last, step) % n
		}
		set := dst[start:]
		if j, found := slices.BinarySearch(set, idx); !found {
			dst = slices.Insert(dst, start+j, idx)
		}
		last = idx
	}
	return dst
}
