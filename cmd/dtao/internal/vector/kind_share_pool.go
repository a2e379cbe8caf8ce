package vector

import (
	"crypto/sha256"
	"encoding/json"
	"math"
	"math/big"
	"strconv"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// sharePoolMaxOps bounds the ops of one share_pool case; each op costs a
// few SafeFloat operations and one sorted insertion.
const sharePoolMaxOps = 1 << 16

// shareOut is a SafeFloat as the kind writes it.
type shareOut struct {
	Mantissa string `json:"mantissa"`
	Exponent string `json:"exponent"`
}

type stakeOut struct {
	Value uint64   `json:"value"`
	Share shareOut `json:"share"`
}

// sharePool answers kind "share_pool": a sequence of stake, unstake and
// dividend ops on one hotkey's share pool, as the wrappers of
// pallets/subtensor/src/staking/stake_utils.rs
// (increase_stake_for_hotkey_and_coldkey_on_subnet,
// decrease_stake_for_hotkey_and_coldkey_on_subnet,
// increase_stake_for_hotkey_on_subnet) drive primitives/share-pool, through
// dtao.SharePool. A coldkey is any non-empty string, mapped to an account
// by its SHA-256; the output lists coldkeys by name (encoding/json sorts
// them).
func sharePool(raw json.RawMessage) (any, error) {
	var in struct {
		Value       uint64            `json:"value"`
		Denominator json.RawMessage   `json:"denominator"`
		Shares      json.RawMessage   `json:"shares"`
		Ops         []json.RawMessage `json:"ops"`
	}
	if err := decodeInput(raw, &in, "ops"); err != nil {
		return nil, err
	}
	if in.Ops == nil {
		return nil, badVector("field \"ops\" must be a list")
	}
	if len(in.Ops) > sharePoolMaxOps {
		return nil, badVector("%d ops, above this runner's limit of %d", len(in.Ops), sharePoolMaxOps)
	}
	var denom fixed.SafeFloat
	if in.Denominator != nil {
		d, err := parseShare(in.Denominator)
		if err != nil {
			return nil, badVector("denominator: %v", err)
		}
		denom = d
	}
	pool := dtao.NewSharePool(units.Alpha(in.Value), denom)
	names := map[string]units.AccountID{}
	name := func(s string) (units.AccountID, error) {
		if s == "" {
			return units.AccountID{}, badVector("a coldkey is a non-empty string")
		}
		id := units.AccountID(sha256.Sum256([]byte(s)))
		names[s] = id
		return id, nil
	}
	if in.Shares != nil {
		entries, err := objectEntries(in.Shares)
		if err != nil {
			return nil, badVector("shares: %v", err)
		}
		for _, e := range entries {
			id, err := name(e.key)
			if err != nil {
				return nil, badVector("shares: %v", err)
			}
			s, err := parseShare(e.value)
			if err != nil {
				return nil, badVector("shares[%s]: %v", quoteShort(e.key), err)
			}
			pool.SetShare(id, s)
		}
	}
	skipped := []int{}
	for i, rawOp := range in.Ops {
		op, err := parseShareOp(rawOp)
		if err != nil {
			return nil, badVector("ops[%d]: %v", i, err)
		}
		amount := units.Alpha(op.Amount)
		if op.Op == "dividend" {
			if err := pool.Dividend(amount); err != nil {
				return nil, badVector("ops[%d]: %v", i, err)
			}
			continue
		}
		id, err := name(op.Coldkey)
		if err != nil {
			return nil, badVector("ops[%d]: %v", i, err)
		}
		if op.Op == "stake" {
			err = pool.Stake(id, amount)
		} else {
			if pool.Value(id) < amount {
				skipped = append(skipped, i)
			}
			_, err = pool.Unstake(id, amount)
		}
		if err != nil {
			return nil, badVector("ops[%d]: %v", i, err)
		}
	}
	stakes := make(map[string]stakeOut, len(names))
	for n, id := range names {
		s, _ := pool.Share(id)
		stakes[n] = stakeOut{Value: pool.Value(id).Rao(), Share: formatShare(s)}
	}
	return struct {
		Value       uint64              `json:"value"`
		Denominator shareOut            `json:"denominator"`
		Stakes      map[string]stakeOut `json:"stakes"`
		Skipped     []int               `json:"skipped"`
	}{pool.Total().Rao(), formatShare(pool.Denominator()), stakes, skipped}, nil
}

type shareOp struct {
	Op      string `json:"op"`
	Coldkey string `json:"coldkey"`
	Amount  uint64 `json:"amount"`
}

// parseShareOp reads one op: stake and unstake carry op, coldkey and
// amount; dividend carries op and amount. An amount above i64::MAX is
// BadVector (the chain casts it to i64).
func parseShareOp(raw json.RawMessage) (shareOp, error) {
	entries, err := objectEntries(raw)
	if err != nil {
		return shareOp{}, err
	}
	var kind string
	for _, e := range entries {
		if e.key == "op" {
			if err := json.Unmarshal(e.value, &kind); err != nil {
				return shareOp{}, badVector("field \"op\" must be a string")
			}
		}
	}
	var op shareOp
	switch kind {
	case "stake", "unstake":
		if err := decodeInput(raw, &op, "op", "coldkey", "amount"); err != nil {
			return shareOp{}, err
		}
	case "dividend":
		var d struct {
			Op     string `json:"op"`
			Amount uint64 `json:"amount"`
		}
		if err := decodeInput(raw, &d, "op", "amount"); err != nil {
			return shareOp{}, err
		}
		op = shareOp{Op: d.Op, Amount: d.Amount}
	default:
		return shareOp{}, badVector("op %s is not stake, unstake or dividend", quoteShort(kind))
	}
	if op.Amount > math.MaxInt64 {
		return shareOp{}, badVector("amount %d is above i64::MAX", op.Amount)
	}
	return op, nil
}

// parseShare reads a share: {"mantissa", "exponent"} of a normalised
// SafeFloat (or the zero 0, 0), or {"legacy_bits"} of a U64F64 read through
// fixed.SafeFloatFromU64F64.
func parseShare(raw json.RawMessage) (fixed.SafeFloat, error) {
	entries, err := objectEntries(raw)
	if err != nil {
		return fixed.SafeFloat{}, err
	}
	legacy := false
	for _, e := range entries {
		legacy = legacy || e.key == "legacy_bits"
	}
	if legacy {
		var in struct {
			Bits string `json:"legacy_bits"`
		}
		if err := decodeInput(raw, &in, "legacy_bits"); err != nil {
			return fixed.SafeFloat{}, err
		}
		bits, err := fixed.ParseU64F64Bits(in.Bits)
		if err != nil {
			return fixed.SafeFloat{}, badVector("legacy_bits: %v", err)
		}
		return fixed.SafeFloatFromU64F64(bits), nil
	}
	var in struct {
		Mantissa string `json:"mantissa"`
		Exponent string `json:"exponent"`
	}
	if err := decodeInput(raw, &in, "mantissa", "exponent"); err != nil {
		return fixed.SafeFloat{}, err
	}
	m, err := fixed.ParseU64F64Bits(in.Mantissa) // a plain decimal u128
	if err != nil {
		return fixed.SafeFloat{}, badVector("mantissa: %v", err)
	}
	e, err := strconv.ParseInt(in.Exponent, 10, 64)
	if err != nil || (in.Exponent[0] == '+') || (len(in.Exponent) > 1 && (in.Exponent[0] == '0' || in.Exponent[:2] == "-0")) {
		return fixed.SafeFloat{}, badVector("exponent %s is not a decimal i64", quoteShort(in.Exponent))
	}
	hi, lo := m.Bits()
	s, ok := fixed.SafeFloatFromParts(hi, lo, e)
	if !ok {
		return fixed.SafeFloat{}, badVector("mantissa %s, exponent %s is not a normalised SafeFloat", quoteShort(in.Mantissa), quoteShort(in.Exponent))
	}
	return s, nil
}

func formatShare(s fixed.SafeFloat) shareOut {
	hi, lo, e := s.Parts()
	m := new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
	m.Or(m, new(big.Int).SetUint64(lo))
	return shareOut{Mantissa: m.String(), Exponent: strconv.FormatInt(e, 10)}
}
