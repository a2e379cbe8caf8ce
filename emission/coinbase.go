package emission

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// CoinbaseSubnet is one non-root subnet as the block's coinbase sees it.
// Pool is read and updated in place: the coinbase re-weights it, buys
// alpha with excess TAO, injects, and mints alpha out.
type CoinbaseSubnet struct {
	NetUID units.NetUID
	// Pool holds SubnetTAO, SubnetAlphaIn, SubnetAlphaOut and the swap
	// pallet's weight and fee for the subnet.
	Pool amm.Pool
	// MovingPrice is SubnetMovingPrice (I96F32), the EMA of the spot price
	// (last block's: the coinbase reads it before update_moving_prices).
	MovingPrice fixed.I96F32
	// MinerBurned is the withheld fraction of the last epoch's incentive.
	MinerBurned fixed.U96F32
	// Emitting marks membership of the emit-to set (FirstEmissionBlockNumber
	// set, SubtokenEnabled, registration allowed). A subnet outside it is
	// left untouched and receives nothing.
	Emitting bool
	// EmissionDisabled is !SubnetEmissionEnabled: no TAO share, but the
	// weight update (with zero deltas) and the alpha-out path still run.
	EmissionDisabled bool
	// OwnerCut is SubnetOwnerCut (the chain's value is global). The zero
	// Cut reads as [DefaultOwnerCut], the chain's default; state another
	// cut, 0 included, with [CutOf].
	OwnerCut Cut
	// OwnerCutDisabled is !OwnerCutEnabled.
	OwnerCutDisabled bool
}

// CoinbaseInput is one block's coinbase (run_coinbase steps 1–4).
type CoinbaseInput struct {
	// BlockEmission is the TAO credit minted this block ([BlockEmission]
	// of the issuance, capped by the supply left: [Mint]).
	BlockEmission units.TAO
	// TaoWeight is the stored TaoWeight, parts of u64::MAX (a ratio, so a
	// bare u64).
	TaoWeight uint64
	// RootTAO is SubnetTAO of the root subnet.
	RootTAO units.TAO
	// Subnets are the non-root subnets, in any order: Coinbase visits them
	// in the chain's storage order ([StorageOrder]) and reports them in
	// the order given.
	Subnets []CoinbaseSubnet
}

// SubnetCoinbase is what one subnet received in the block.
type SubnetCoinbase struct {
	TAOIn       units.TAO   // TAO injected into the pool (SubnetTaoInEmission)
	AlphaIn     units.Alpha // alpha injected into the pool (SubnetAlphaInEmission)
	ChainBuyTAO units.TAO   // TAO moved from the credit to the subnet account for the chain buy
	// ExcessTAO is the TAO the chain buy paid into the pool (SubnetExcessTao):
	// ChainBuyTAO, or what moves the price to the limit when that binds
	// (computed from the prices, so rounding can make it exceed ChainBuyTAO).
	ExcessTAO   units.TAO
	BoughtAlpha units.Alpha // alpha the chain buy took from the pool (SubnetProtocolAlpha +=)
	AlphaOut    units.Alpha // alpha minted for the participants (SubnetAlphaOutEmission)
	Split       AlphaSplit
	// RootRecycled is true when root's part was recycled (no root sell)
	// rather than kept as PendingRootAlphaDivs.
	RootRecycled bool
	// Price is the spot price of the pool after the coinbase (Pool.Price
	// of the updated pool), for a subnet in the emit-to set: the price the
	// block's update_moving_prices reads unless the pool's TAO, AlphaIn,
	// QuoteWeight or Mechanism change in between.
	Price amm.Price
}

// CoinbaseResult is the block's outcome across subnets.
type CoinbaseResult struct {
	RootSell bool      // root's alpha is kept as dividends (Σ EMA price > 1)
	Leftover units.TAO // TAO credit left unspent and recycled (TotalIssuance −=)
	// Subnets holds, for each input subnet in order, what it received;
	// zero for subnets outside the emit-to set.
	Subnets []SubnetCoinbase
}

// Coinbase runs the emission part of the chain's run_coinbase for one block
// (coinbase/run_coinbase.rs and subnet_emissions.rs at 14bc6f9f), in the
// chain's order, visiting the subnets in storage order ([StorageOrder]):
//
//  1. shares and TAO emission per emitting subnet ([Shares], [SubnetTAOEmission]);
//  2. root_sell from the moving prices ([RootSell]);
//  3. every subnet's terms on the pre-block state ([SubnetTerms], [RootProportion]);
//  4. per subnet: the weight update on the current reserves (its failure
//     injects nothing), the chain buy of floor(excess) TAO without fee at the
//     max price on the re-weighted pool (a failed buy is swallowed: its TAO
//     stays in the subnet account), then floor(alpha_in) and floor(tao_in)
//     are added to the reserves;
//  5. the unspent credit is the leftover;
//  6. per subnet: mint floor(alpha_out) into SubnetAlphaOut, owner cut,
//     root proportion recomputed, server/validator/root split; root's part
//     pends when root sells and is recycled from SubnetAlphaOut otherwise.
//
// Each in.Subnets[i].Pool is updated in place. Draining pending emission
// and running epochs (the rest of run_coinbase) are [AdvanceSchedules] and
// the epoch's distribution.
//
// A nil in is [ErrNilInput]; a subnet with netuid 0 is [ErrRootSubnet], a
// netuid listed twice [ErrDuplicateSubnet], and a pool the chain could
// not hold (amm's [amm.Pool.Validate] fails, as it does for the zero
// Pool) is that error, wrapped with the subnet's netuid: every subnet's
// pool is checked, emitting or not. On error no pool is changed.
func Coinbase(in *CoinbaseInput) (CoinbaseResult, error) {
	if in == nil {
		return CoinbaseResult{}, fmt.Errorf("%w: Coinbase", ErrNilInput)
	}
	// The working space is on the stack up to coinbaseSubnets subnets.
	var seen netuidSet
	var buf coinbaseScratch
	ws := coinbaseWork{lines: buf.lines[:0], share: buf.share[:0]}
	if len(in.Subnets) > coinbaseSubnets {
		ws.grow(len(in.Subnets))
	}
	sums, err := ws.scan(in, &seen)
	if err != nil {
		return CoinbaseResult{}, err
	}
	res := CoinbaseResult{Subnets: make([]SubnetCoinbase, len(in.Subnets))}
	ws.run(in, sums, &res)
	return res, nil
}

// Coinbaser runs [Coinbase] with buffers kept from one call to the next:
// once they have grown to the largest block seen it allocates nothing
// (the working space and the result's per-subnet slice are reused). The
// result it returns lives in the Coinbaser's memory and is valid until its
// next call. The zero value is ready to use; a Coinbaser is not safe for
// concurrent use.
//
// A Coinbaser also remembers each subnet's price after its coinbase
// ([SubnetCoinbase.Price]) with the pool fields it was computed from
// (netuid, Mechanism, TAO, AlphaIn, QuoteWeight: everything [amm.Pool.Price]
// reads): the next block's coinbase takes a subnet's spot price from there
// when its pool has not changed since, instead of computing it again. It
// remembers each subnet's last root proportion ([RootProportion]) with its
// operands (the root weight and the alpha issuance) in the same way, and
// the owner-cut part of its last alpha-out split ([SplitAlphaOut]) with
// the alpha out and the owner cut it was computed from.
type Coinbaser struct {
	res  CoinbaseResult
	ws   coinbaseWork
	seen netuidSet // all zero between calls
}

// Coinbase is [Coinbase] into z's buffers: the same result, errors and
// updates of in.Subnets[i].Pool.
func (z *Coinbaser) Coinbase(in *CoinbaseInput) (*CoinbaseResult, error) {
	if in == nil {
		return nil, fmt.Errorf("%w: Coinbase", ErrNilInput)
	}
	n := len(in.Subnets)
	z.ws.grow(n)
	sums, err := z.ws.scan(in, &z.seen)
	if err != nil {
		return nil, err
	}
	out := z.res.Subnets
	if cap(out) < n {
		out = make([]SubnetCoinbase, n)
	}
	out = out[:n]
	// run sets every field of an emitting subnet's entry; the others
	// receive the zero SubnetCoinbase.
	if len(z.ws.lines) < n {
		for i := range in.Subnets {
			if !in.Subnets[i].Emitting {
				out[i] = SubnetCoinbase{}
			}
		}
	}
	z.res = CoinbaseResult{Subnets: out}
	z.ws.run(in, sums, &z.res)
	return &z.res, nil
}

// netuidSet has a bit per netuid.
type netuidSet [1 << 16 / 64]uint64

// coinbaseWork is Coinbase's working space: lines has room for every
// subnet of the block (grow).
type coinbaseWork struct {
	// lines are the block's emit-to set in the chain's storage order
	// (scan), and share[k] is lines[k]'s moving price p_i (scan; p_i·2^-32
	// when the sums are scaled), then its weight w_i, then its share of
	// the block's TAO emission
	// (shares): a slice of their own, which each of shares' prepared
	// divisions takes whole (fixed.U64F64Divisor.DivideEach).
	lines []cbLine
	share []fixed.U64F64
	// prices holds, by index in the block's subnets, the price of the
	// pool a coinbase left and the last root proportion computed for the
	// subnet (the Coinbaser's memory from block to block; nil for
	// Coinbase's working space on the stack, which remembers nothing). A
	// price is used only when every field Pool.Price reads and the netuid
	// are the same: a zero entry (netuid 0, never a coinbase subnet's)
	// matches nothing. A root proportion is used when its two operands are
	// the same (it is a function of them alone, whichever subnet it was
	// computed for).
	prices []priceMemo
	// one is the memory of every subnet when prices has no entry for it
	// (Coinbase's working space): memo returns it so that the loop never
	// tests for a missing memory. Shared by the block's subnets, it is
	// still right: a price is taken from it only for the netuid it was
	// computed for (each netuid is visited once a block, so never), and
	// a root proportion or an owner-cut split only for the operands it
	// was computed from, of which each is a function alone; its zero
	// value matches nothing but what it holds (netuid 0; the split of a
	// zero alpha out, which is zero whatever the cut; the root proportion
	// of a zero weight and issuance, whose division fails: 0).
	one priceMemo
}

// cbLine is one subnet of the emit-to set in the coinbase's working space
// (its share is coinbaseWork.share at the same index), packed in a word:
// bits 0–31 its index in the block's subnets, 32–47 the netuid's
// storage-order key (StorageOrder's), lineBurned when MinerBurned is not
// 0 and lineDisabled for EmissionDisabled. scan writes a line with one
// store, and the or of a block's lines holds its anyBurned and
// anyDisabled.
type cbLine uint64

const (
	lineBurned   cbLine = 1 << 48
	lineDisabled cbLine = 1 << 49
)

// newLine is the line of subnet i with storage-order key k, whose
// MinerBurned has the raw words mh, ml.
func newLine(i int, k uint16, mh, ml uint64, disabled bool) cbLine {
	// x | −x has its top bit set exactly when x is not 0.
	nz := mh | ml
	l := cbLine(uint32(i)) | cbLine(k)<<32 | cbLine((nz|-nz)>>63)<<48
	if disabled {
		l |= lineDisabled
	}
	return l
}

func (l cbLine) index() int     { return int(uint32(l)) }
func (l cbLine) key() uint16    { return uint16(l >> 32) }
func (l cbLine) burned() bool   { return l&lineBurned != 0 }
func (l cbLine) disabled() bool { return l&lineDisabled != 0 }

// shareSums are the sums scan gathers for the shares and the root sell
// flag, and whether any subnet of the emit-to set burns or is disabled.
type shareSums struct {
	// totalPrice is Σ p_i, saturating (get_shares), in the shares' scale:
	// when scaled, the shares hold each p_i·2^-32 and totalPrice is
	// Σ p_i·2^-32, exact (scanIncreasing); otherwise they hold p_i
	// (scanChecked).
	totalPrice  fixed.U64F64
	rootSum     fixed.U64F64 // Σ p_i, wrapping (get_network_root_sell_flag)
	scaled      bool
	anyBurned   bool
	anyDisabled bool
}

// priceMemo is a pool's spot price and the pool fields it was computed
// from, and a root proportion ([rootProportionOf]) and its operands.
//
// Every field is read for each subnet in each block, and the array of
// them mostly leaves the data cache between two blocks: the fields are
// ordered so that the small ones share a word and an entry is 128 bytes,
// two cache lines (TestPriceMemoSize).
type priceMemo struct {
	netuid units.NetUID
	mech   amm.Mechanism
	cutOf  uint16
	cutOn  bool

	quote    fixed.Perquintill
	tao      units.TAO
	alphaIn  units.Alpha
	price    amm.Price
	issuance units.Alpha

	// The alpha out of the last split (with cutOf and cutOn its operands).
	cutOut units.Alpha

	rootW    fixed.U96F32
	rootProp fixed.U96F32

	// The owner cut and server half of the last alpha out split
	// (splitCut).
	cut cutSplit
}

// grow gives w room for n subnets (the remembered prices are dropped when
// it reallocates).
func (w *coinbaseWork) grow(n int) {
	if cap(w.lines) < n {
		w.lines = make([]cbLine, 0, n)
		w.share = make([]fixed.U64F64, 0, n)
		w.prices = make([]priceMemo, n)
	}
}

// scan is Coinbase's validation of in (non-nil), and its first pass over
// the subnets: w.lines gets the emit-to set in the chain's storage order,
// each line with its moving price, and the sums of the moving prices are
// returned. It changes nothing outside w. seen must be all zero; it is all
// zero again on return (only the words of in's netuids are cleared, not
// the whole 8 KiB).
func (w *coinbaseWork) scan(in *CoinbaseInput, seen *netuidSet) (shareSums, error) {
	sums, marked, err := w.scanSubnets(in, seen)
	if marked {
		for i := range in.Subnets {
			seen[in.Subnets[i].NetUID/64] = 0
		}
	}
	return sums, err
}

// scanSubnets is scan's pass: scanIncreasing's when it accepts the
// block (the usual input), scanChecked's otherwise.
func (w *coinbaseWork) scanSubnets(in *CoinbaseInput, seen *netuidSet) (shareSums, bool, error) {
	if sums, ok := w.scanIncreasing(in.Subnets); ok {
		return sums, false, nil
	}
	return w.scanChecked(in, seen)
}

// scanIncreasing is scanChecked for a block whose subnets' storage-order
// keys strictly increase (netuid 0, whose key is 0, is not among them),
// whose pools are all valid, whose emitting subnets' moving prices lie in
// [0, 2^64) (a stable subnet's reads as 1) and whose price sum is below
// 2^64: the lines and sums scanChecked gives it, the shares and the total
// scaled by 2^-32 (sums.scaled), without seen (no netuid can repeat), and
// ok. At the first subnet that breaks one of those it stops and reports
// !ok, having written lines and shares only (scanChecked then does the
// whole pass again and reports the error, if any). The loop has no call
// and no error path, so that its values stay in registers.
//
// A moving price p in [0, 2^64) is an I96F32 of raw bits r below 2^96,
// and its U64F64 (SaturatingToU64F64, movingPrice) has the raw bits
// r·2^32: the share holds r, the U64F64 of raw bits r, which is p·2^-32.
// The loop sums the r: fewer than 2^32 of them add to less than 2^128
// without a carry, and Σ p is that sum times 2^32 exactly; below 2^64
// (the sum of r below 2^96) it is the saturating sum unsaturated, and its
// low 128 bits are the wrapping sum rootSum. The price shares divide each
// p by Σ p, floor(p·2^64/Σ p) in raw bits, which is floor(r·2^64/Σ r):
// numerator and divisor scaled by the same 2^32. A divisor Σ r below 2^64
// (the sum of prices below 2^32 TAO per alpha) is one word, whose
// division step (fixed.U64F64Divisor's algorithm 4) is about half the
// two-word step that Σ p, from 1 up, takes. TestScanIncreasingMatchesChecked,
// FuzzScanIncreasing, TestCoinbaseSharesScaledMatchPrev and
// FuzzCoinbaseSharesScaled compare it with scanChecked and with
// scanIncreasingPrev, the loop that summed the U64F64 prices.
func (w *coinbaseWork) scanIncreasing(subs []CoinbaseSubnet) (sums shareSums, ok bool) {
	// grow gave both room for every subnet; the same length for both
	// spares the second bounds check.
	lines := w.lines[:len(subs)]
	shares := w.share[:len(lines)]
	var hi, lo uint64 // Σ r
	var all cbLine    // the or of the lines
	m := 0
	prev := uint16(0) // below every key but netuid 0's, which is 0
	for i := range subs {
		s := &subs[i]
		k := bits.ReverseBytes16(uint16(s.NetUID))
		if k <= prev || !s.Pool.Valid() {
			return sums, false
		}
		prev = k
		if !s.Emitting {
			continue
		}
		rh, rl := s.MovingPrice.Bits()
		if s.Pool.Mechanism == amm.Stable {
			rh, rl = 0, 1<<32 // movingPrice's 1
		}
		if rh>>32 != 0 {
			// Negative, or 2^64 or more: SaturatingToU64F64 clamps it.
			return sums, false
		}
		var c uint64
		lo, c = bits.Add64(lo, rl, 0)
		hi += rh + c
		mh, ml := s.MinerBurned.Bits()
		l := newLine(i, k, mh, ml, s.EmissionDisabled)
		all |= l
		lines[m] = l
		shares[m] = fixed.U64F64FromBits(rh, rl)
		m++
	}
	if hi>>32 != 0 {
		// Σ p is 2^128 or more: the saturating sum is not Σ r·2^32.
		return sums, false
	}
	w.lines, w.share = w.lines[:m], w.share[:m]
	sums.rootSum = fixed.U64F64FromBits(hi<<32|lo>>32, lo<<32)
	sums.totalPrice = fixed.U64F64FromBits(hi, lo)
	sums.scaled = true
	sums.anyBurned, sums.anyDisabled = all.burned(), all.disabled()
	return sums, true
}

// scanChecked is scan's pass on any input. While the subnets'
// storage-order keys strictly increase (netuids ascending below 256) no
// netuid can repeat, and seen is not touched; from the first subnet
// whose key does not exceed the one before, seen gets a bit per netuid
// met so far (the earlier ones first): a netuid seen before is looked up
// among the earlier subnets only then, so the error names the first
// earlier index, as a scan of every earlier subnet would. marked reports
// whether seen was written. Every subnet's pool is checked, emitting or
// not.
//
// The order of the emit-to set matters when the shares add up to more
// than 1 (a saturated price sum with every weight zero): the credit then
// runs out, and the subnets visited first get their chain buy and
// injection. Subnets given in storage order (the usual case: netuids
// ascending below 256) need no sort. The sums do not depend on the order:
// a saturating sum of unsigned values is min(exact sum, max), and a
// wrapping one the exact sum mod 2^128, in any order.
func (w *coinbaseWork) scanChecked(in *CoinbaseInput, seen *netuidSet) (sums shareSums, marked bool, err error) {
	// grow gave w.lines room for every subnet: filled by index (an append
	// stored back into w would move Coinbase's stack scratch to the heap).
	lines, shares := w.lines[:cap(w.lines)], w.share[:cap(w.share)]
	// The subnets in a local: read through in, the slice would be loaded
	// again after every store the compiler cannot tell apart from it.
	subs := in.Subnets
	m := 0
	var prev uint16 // the key of the last subnet
	for i := range subs {
		s := &subs[i]
		if s.NetUID == 0 {
			return sums, marked, fmt.Errorf("%w: Subnets[%d]", ErrRootSubnet, i)
		}
		k := bits.ReverseBytes16(uint16(s.NetUID))
		if marked || i > 0 && k <= prev {
			if !marked {
				// The keys stop increasing here: seen gets the earlier
				// netuids (distinct, as their keys increased).
				marked = true
				for j := range i {
					id := subs[j].NetUID
					seen[id/64] |= uint64(1) << (id % 64)
				}
			}
			if w, b := s.NetUID/64, uint64(1)<<(s.NetUID%64); seen[w]&b == 0 {
				seen[w] |= b
			} else {
				for j := range i {
					if subs[j].NetUID == s.NetUID {
						return sums, marked, fmt.Errorf("%w: netuid %d at Subnets[%d] and [%d]", ErrDuplicateSubnet, s.NetUID, j, i)
					}
				}
			}
		}
		prev = k
		if err := s.Pool.Validate(); err != nil {
			return sums, marked, fmt.Errorf("emission: Coinbase: pool of netuid %d (Subnets[%d]): %w", s.NetUID, i, err)
		}
		if !s.Emitting {
			continue
		}
		p := movingPrice(s)
		sums.totalPrice = sums.totalPrice.SaturatingAdd(p)
		sums.rootSum = sums.rootSum.Add(p)
		mh, ml := s.MinerBurned.Bits()
		l := newLine(i, k, mh, ml, s.EmissionDisabled)
		sums.anyBurned = sums.anyBurned || l.burned()
		sums.anyDisabled = sums.anyDisabled || l.disabled()
		lines[m] = l
		shares[m] = p
		m++
	}
	// While seen is not marked every key exceeds the one before, the
	// emitting subnets' among them: the lines are in storage order.
	// Otherwise they are checked.
	sorted := true
	if marked {
		for k := 1; k < m; k++ {
			if lines[k].key() <= lines[k-1].key() {
				sorted = false
				break
			}
		}
	}
	if !sorted {
		// The keys are distinct (duplicates were refused): any sort gives
		// the one order. The moving prices are taken again in that order.
		slices.SortFunc(lines[:m], func(a, b cbLine) int { return cmp.Compare(a.key(), b.key()) })
		for k := range m {
			shares[k] = movingPrice(&in.Subnets[lines[k].index()])
		}
	}
	w.lines, w.share = w.lines[:m], w.share[:m]
	return sums, marked, nil
}

// movingPrice is [ShareInput.movingPrice] of the coinbase subnet s.
func movingPrice(s *CoinbaseSubnet) fixed.U64F64 {
	if s.Pool.Mechanism == amm.Stable {
		return fixed.U64F64FromUint64(1)
	}
	return s.MovingPrice.SaturatingToU64F64()
}

// linePrice is s's moving price in the scale of the sums (shareSums):
// movingPrice(s), or scaled, its raw bits shifted down by 32 (exact for
// the prices scanIncreasing accepts: the I96F32 bits).
func linePrice(s *CoinbaseSubnet, scaled bool) fixed.U64F64 {
	switch {
	case !scaled:
		return movingPrice(s)
	case s.Pool.Mechanism == amm.Stable:
		return fixed.U64F64FromBits(0, 1<<32)
	}
	return fixed.U64F64FromBits(s.MovingPrice.Bits())
}

// shares turns each line's moving price into its share of the block's TAO
// emission: sharesAndRootSell's shares over the lines (the shares of
// [Shares] of the emit-to set), in the same operations and order.
func (w *coinbaseWork) shares(in *CoinbaseInput, sums shareSums) {
	lines, shares := w.lines, w.share
	zero := fixed.U64F64{}
	one := fixed.U64F64FromUint64(1)
	// Each loop divides by one sum: prepared once, each quotient is
	// CheckedDiv's (fixed.U64F64Divisor), by multiplications, over the
	// whole slice in one call (DivideEach: Divide's quotient, 0 where
	// CheckedDiv fails, as the price share's failure is taken, and the
	// saturating sum of the quotients in order). The price shares divide
	// the prices by their sum in the scale scan left them (sums.scaled:
	// both 2^-32 of the U64F64 values, the same quotients; see
	// scanIncreasing).
	byPrice := fixed.NewU64F64Divisor(sums.totalPrice)
	totalWeight := byPrice.DivideEach(shares) // s_i, and Σ s_i
	if sums.anyBurned {
		// w_i = s_i ·sat (1 − burned_i); a line that does not burn has
		// 1 − 0 = 1, and s_i ·sat 1 is s_i.
		totalWeight = zero
		for k := range lines {
			share := shares[k]
			if l := lines[k]; l.burned() {
				burned := in.Subnets[l.index()].MinerBurned.SaturatingToU64F64()
				if one.Less(burned) {
					burned = one
				}
				share = share.SaturatingMul(one.SaturatingSub(burned))
				shares[k] = share // w_i
			}
			totalWeight = totalWeight.SaturatingAdd(share)
		}
	}
	if !totalWeight.IsZero() {
		// When no subnet burns, the weights sum to just below 1 (each
		// price share lost less than 2^-64 to its floor), a divisor the
		// U64F64Divisor prepares without a division. SafeDiv: Divide's
		// quotient, 0 where it fails.
		byWeight := fixed.NewU64F64Divisor(totalWeight)
		byWeight.DivideEach(shares)
	} else {
		// Every weight is 0: the shares are the price shares s_i,
		// computed again (the same quotients as above).
		for k := range lines {
			shares[k] = linePrice(&in.Subnets[lines[k].index()], sums.scaled)
		}
		byPrice.DivideEach(shares)
	}
	if !sums.anyDisabled {
		return
	}
	enabledSum := zero
	for k := range lines {
		if !lines[k].disabled() {
			enabledSum = enabledSum.SaturatingAdd(shares[k])
		}
	}
	byEnabled := fixed.NewU64F64Divisor(enabledSum)
	for k := range lines {
		if !lines[k].disabled() && !enabledSum.IsZero() {
			shares[k], _ = byEnabled.Divide(shares[k]) // SafeDiv
		} else {
			shares[k] = zero
		}
	}
}

// memo is w.prices[i], or w.one when w remembers nothing for i
// (Coinbase's working space on the stack): never nil.
func (w *coinbaseWork) memo(i int) *priceMemo {
	if i < len(w.prices) {
		return &w.prices[i]
	}
	return &w.one
}

// setCut computes the owner-cut part of the split (splitCut) of the
// alpha out, the owner cut (parts of 65535) and whether it is enabled,
// and keeps it in m with those operands. From block to block a subnet's
// alpha out (the block's alpha emission, constant between halvings) and
// owner cut are mostly the same, and splitCut is a function of them
// alone: run calls setCut only when they differ from m's. The zero
// memory is the split of a zero alpha out, which is zero whatever the
// cut.
func (m *priceMemo) setCut(alphaOut units.Alpha, cut uint16, on bool) {
	m.cutOut, m.cutOf, m.cutOn = alphaOut, cut, on
	m.cut = splitCut(fixed.U96F32FromUint64(uint64(alphaOut)), fixed.U96F32FromU16Proportion(cut), on)
}

// rootProportion is rootProportionOf(rootW, issuance), from m when m was
// computed from the same operands: the usual case from block to block,
// as the block's split leaves the issuance the next block starts from
// (the chain buys and stake moves only move alpha between the pool and
// the stakes) and the root weight rarely changes.
func (m *priceMemo) rootProportion(rootW fixed.U96F32, issuance units.Alpha) fixed.U96F32 {
	if m.issuance == issuance && m.rootW == rootW {
		return m.rootProp
	}
	return rootProportionOf(rootW, issuance)
}

// run is Coinbase on in as scan left it (w.lines and its sums), into res
// (res.Subnets has one entry per subnet of in, zero for a subnet outside
// the emit-to set; run sets every field of the others): every value it
// reads from w is written first, but for w.prices, the prices, root
// proportions and owner-cut splits the previous block left (each read
// only where its inputs are those it was computed from).
//
// It visits each subnet of the emit-to set once, in storage order, and
// does the whole of the subnet's coinbase there: its terms, the weight
// update, the chain buy and the injection, then the alpha out. That is
// the chain's order, which finishes every subnet's terms before the first
// injection and every injection before the first alpha out, for the same
// reasons that the subnets can be taken one by one: the terms, the
// injection and the alpha out of a subnet read and write its own pool
// only (and the prices and root proportions remembered at its own index),
// with the block's shares, root weight and root sell flag, which nothing
// here changes; the one value shared from subnet to subnet is the credit,
// which only the injections and chain buys spend, in storage order as
// the chain does. (coinbaseRef in the tests keeps the chain's three
// passes.)
func (w *coinbaseWork) run(in *CoinbaseInput, sums shareSums, res *CoinbaseResult) {
	w.shares(in, sums)
	res.RootSell = fixed.U64F64FromUint64(1).Less(sums.rootSum) // RootSell
	rootSell := res.RootSell

	// The root weight U96F32(RootTAO)·TaoWeight is the same for every
	// subnet: computed once ([RootProportion] is rootProportionOf of it).
	rootW := rootWeight(in.RootTAO, fixed.U96F32FromU64Proportion(in.TaoWeight))
	credit, blockEmission := in.BlockEmission, in.BlockEmission
	// The slices in locals: read through w, in and res, they would be
	// loaded again after every store and call.
	lines, subs, out := w.lines, in.Subnets, res.Subnets
	shares := w.share[:len(lines)]
	for k := range lines {
		i := lines[k].index()
		s := &subs[i]
		p := &s.Pool
		r := &out[i]

		m := w.memo(i)

		// Terms on the state before the subnet's injection.
		issuance := AlphaIssuance(p.AlphaIn, p.AlphaOut)
		rp := m.rootProportion(rootW, issuance)
		// The spot price, from m when m was computed from the same netuid
		// and every pool field Pool.Price reads (Pool.Price otherwise).
		// The memory's helpers are written out here: as calls, each
		// would spill and reload the loop's values.
		var spot fixed.U64F64
		if m.netuid == s.NetUID && m.tao == p.TAO && m.alphaIn == p.AlphaIn &&
			m.quote == p.QuoteWeight && m.mech == p.Mechanism {
			spot = m.price.U64F64()
		} else {
			spot = p.Price().U64F64()
		}
		tIn, aIn, alphaOut, ex := subnetTerms(SubnetTAOEmission(blockEmission, shares[k]), issuance, spot, rp)
		// The terms floored to rao at once (the alpha out, the alpha
		// emission, is an integer already).
		taoIn := units.TAO(tIn.SaturatingToUint64())
		alphaIn := units.Alpha(aIn.SaturatingToUint64())
		toSwap := units.TAO(ex.SaturatingToUint64())

		// Injection and chain buy, spending the block's credit: the weight
		// update (its failure injects nothing), the chain buy of toSwap
		// when the credit covers it, then the alpha and, when the credit
		// left covers it, the TAO: amm's InjectAndBuy, which is
		// AdjustWeights, BuyWithoutFees and the deposits in one call. A
		// failed buy is swallowed by the chain; its TAO stays in the
		// subnet account, outside the pool. The chain buys at the max
		// price limit: BuyOrder's default limit, MaxPriceRao (the same
		// Order as WithLimit of PriceFromRao(MaxPriceRao), without
		// converting it per subnet), which BuyWithoutFees swaps with. scan
		// validated the pool (nothing has changed it since), so
		// InjectAndBuyValid, InjectAndBuy without its Validate, applies.
		var chainBuy units.TAO
		if toSwap > 0 && credit >= toSwap {
			credit -= toSwap
			chainBuy = toSwap
		}
		injected, alphaIn, excess, bought := p.InjectAndBuyValid(taoIn, alphaIn, chainBuy, credit)
		credit -= injected

		r.TAOIn, r.AlphaIn, r.ChainBuyTAO, r.ExcessTAO, r.BoughtAlpha = injected, alphaIn, chainBuy, excess, bought

		// Alpha out: mint, owner cut, and the server/validator/root split.
		p.AlphaOut = p.AlphaOut.SaturatingAdd(alphaOut)
		issuance = AlphaIssuance(p.AlphaIn, p.AlphaOut)
		rp = rootProportionOf(rootW, issuance)
		// The owner-cut part of the split from m when it split the same
		// operands (setCut), then c.split(rp) written out into r.Split.
		if cut, on := s.OwnerCut.Value(), !s.OwnerCutDisabled; m.cutOut != alphaOut || m.cutOf != cut || m.cutOn != on {
			m.setCut(alphaOut, cut, on)
		}
		c := &m.cut
		rootPart, ok := mulOneWord(rp, c.a)
		if !ok {
			rootPart = rp.SaturatingMul(c.a)
		}
		root := halve(rootPart)
		v := c.a.SaturatingSub(halve(c.a)).SaturatingSub(root)
		rootAlpha := units.Alpha(root.SaturatingToUint64())
		if !rootSell {
			p.AlphaOut = p.AlphaOut.SaturatingSub(rootAlpha)
		}
		r.AlphaOut, r.RootRecycled = alphaOut, !rootSell
		r.Split.OwnerCut, r.Split.Server, r.Split.Validator, r.Split.Root = c.ownerCut, c.server, units.Alpha(v.SaturatingToUint64()), rootAlpha
		// The price after the coinbase, kept in m with the fields it was
		// computed from, and the root proportion with its operands (the
		// entry written field by field: a composite literal would be
		// built on the stack and copied).
		price := p.Price()
		m.netuid, m.mech, m.quote, m.tao, m.alphaIn, m.price = s.NetUID, p.Mechanism, p.QuoteWeight, p.TAO, p.AlphaIn, price
		m.rootW, m.issuance, m.rootProp = rootW, issuance, rp
		r.Price = price
	}
	res.Leftover = credit
}

// coinbaseSubnets is how many subnets [Coinbase] handles without
// allocating scratch space: the chain's DefaultSubnetLimit
// (pallets/subtensor/src/lib.rs). Past it the scratch is allocated
// ([Coinbaser] keeps its own, grown to the largest block).
const coinbaseSubnets = 128

// coinbaseScratch is Coinbase's per-call working space, on its stack.
type coinbaseScratch struct {
	lines [coinbaseSubnets]cbLine
	share [coinbaseSubnets]fixed.U64F64
}

// StorageOrder compares two netuids in the order the chain iterates its
// subnets (NetworksAdded, an Identity-hashed map keyed by the SCALE
// encoding of the u16 netuid): by the little-endian bytes, low byte first.
// It is ascending netuid below 256; netuid 256 comes before netuid 1. It
// returns -1, 0 or +1 as a sorts before, with or after b.
func StorageOrder(a, b units.NetUID) int {
	ka, kb := bits.ReverseBytes16(uint16(a)), bits.ReverseBytes16(uint16(b))
	switch {
	case ka < kb:
		return -1
	case ka > kb:
		return 1
	}
	return 0
}

// Emits is the rule of get_subnets_to_emit_to
// (pallets/subtensor/src/coinbase/subnet_emissions.rs): a subnet is in the emit-to set when it is not root, its owner has called
// start_call (FirstEmissionBlockNumber is set), SubtokenEnabled and
// NetworkRegistrationAllowed. Subnets outside it get no TAO and no alpha,
// and their price EMA is frozen; their epochs still run on what is pending.
func Emits(netuid units.NetUID, firstEmissionSet, subtokenEnabled, registrationAllowed bool) bool {
	return netuid != 0 && firstEmissionSet && subtokenEnabled && registrationAllowed
}
