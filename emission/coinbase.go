package emission

import (
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
	var seen netuidSet
	if err := checkCoinbase(in, &seen); err != nil {
		return CoinbaseResult{}, err
	}
	res := CoinbaseResult{Subnets: make([]SubnetCoinbase, len(in.Subnets))}
	// The working space is on the stack up to coinbaseSubnets subnets.
	var buf coinbaseScratch
	ws := coinbaseWork{emit: buf.emit[:], shareIn: buf.shareIn[:], shares: buf.shares[:], terms: buf.terms[:]}
	if len(in.Subnets) > coinbaseSubnets {
		ws.grow(len(in.Subnets))
	}
	ws.run(in, &res)
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
// operands (the root weight and the alpha issuance) in the same way.
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
	if err := checkCoinbase(in, &z.seen); err != nil {
		return nil, err
	}
	n := len(in.Subnets)
	z.ws.grow(n)
	out := z.res.Subnets
	if cap(out) < n {
		out = make([]SubnetCoinbase, n)
	}
	out = out[:n]
	clear(out) // a subnet outside the emit-to set receives the zero SubnetCoinbase
	z.res = CoinbaseResult{Subnets: out}
	z.ws.run(in, &z.res)
	return &z.res, nil
}

// netuidSet has a bit per netuid.
type netuidSet [1 << 16 / 64]uint64

// checkCoinbase is Coinbase's validation of in (non-nil): netuids and
// pools, before anything is changed. seen must be all zero; it is all zero
// again on return (only the words of in's netuids are cleared, not the
// whole 8 KiB).
func checkCoinbase(in *CoinbaseInput, seen *netuidSet) error {
	err := checkSubnets(in, seen)
	for i := range in.Subnets {
		seen[in.Subnets[i].NetUID/64] = 0
	}
	return err
}

// checkSubnets is checkCoinbase's scan. seen gets a bit per netuid met so
// far: a netuid seen before is looked up among the earlier subnets only
// then, so the error names the first earlier index, as a scan of every
// earlier subnet would.
func checkSubnets(in *CoinbaseInput, seen *netuidSet) error {
	for i := range in.Subnets {
		s := &in.Subnets[i]
		if s.NetUID == 0 {
			return fmt.Errorf("%w: Subnets[%d]", ErrRootSubnet, i)
		}
		if w, b := s.NetUID/64, uint64(1)<<(s.NetUID%64); seen[w]&b == 0 {
			seen[w] |= b
		} else {
			for j := range i {
				if in.Subnets[j].NetUID == s.NetUID {
					return fmt.Errorf("%w: netuid %d at Subnets[%d] and [%d]", ErrDuplicateSubnet, s.NetUID, j, i)
				}
			}
		}
		if err := s.Pool.Validate(); err != nil {
			return fmt.Errorf("emission: Coinbase: pool of netuid %d (Subnets[%d]): %w", s.NetUID, i, err)
		}
	}
	return nil
}

// coinbaseWork is Coinbase's working space: each slice has room for every
// subnet of the block (grow).
type coinbaseWork struct {
	emit    []int
	shareIn []ShareInput
	shares  []fixed.U64F64
	terms   []Terms
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
}

// priceMemo is a pool's spot price and the pool fields it was computed
// from, and a root proportion ([rootProportionOf]) and its operands.
type priceMemo struct {
	netuid  units.NetUID
	mech    amm.Mechanism
	quote   fixed.Perquintill
	tao     units.TAO
	alphaIn units.Alpha
	price   amm.Price

	rootW    fixed.U96F32
	issuance units.Alpha
	rootProp fixed.U96F32
}

// grow gives every slice of w room for n subnets (the remembered prices
// are dropped when it reallocates).
func (w *coinbaseWork) grow(n int) {
	if cap(w.emit) < n {
		w.emit = make([]int, n)
		w.shareIn = make([]ShareInput, n)
		w.shares = make([]fixed.U64F64, n)
		w.terms = make([]Terms, n)
		w.prices = make([]priceMemo, n)
	}
}

// spot is s.Pool.Price(), from w.prices[i] when that entry was computed
// from the same netuid and price fields.
func (w *coinbaseWork) spot(i int, s *CoinbaseSubnet) amm.Price {
	p := &s.Pool
	if i < len(w.prices) {
		if m := &w.prices[i]; m.netuid == s.NetUID && m.tao == p.TAO && m.alphaIn == p.AlphaIn &&
			m.quote == p.QuoteWeight && m.mech == p.Mechanism {
			return m.price
		}
	}
	return p.Price()
}

// remember computes s.Pool.Price() and keeps it in w.prices[i] (when w
// has memory) with the fields it was computed from, and the root
// proportion rp = rootProportionOf(rootW, issuance).
func (w *coinbaseWork) remember(i int, s *CoinbaseSubnet, rootW fixed.U96F32, issuance units.Alpha, rp fixed.U96F32) amm.Price {
	p := &s.Pool
	price := p.Price()
	if i < len(w.prices) {
		w.prices[i] = priceMemo{netuid: s.NetUID, mech: p.Mechanism, quote: p.QuoteWeight, tao: p.TAO, alphaIn: p.AlphaIn, price: price,
			rootW: rootW, issuance: issuance, rootProp: rp}
	}
	return price
}

// rootProportion is rootProportionOf(rootW, issuance), from w.prices[i]
// when that entry was computed from the same operands: the usual case
// from block to block, as the block's split leaves the issuance the next
// block starts from (the chain buys and stake moves only move alpha
// between the pool and the stakes) and the root weight rarely changes.
func (w *coinbaseWork) rootProportion(i int, rootW fixed.U96F32, issuance units.Alpha) fixed.U96F32 {
	if i < len(w.prices) {
		if m := &w.prices[i]; m.issuance == issuance && m.rootW == rootW {
			return m.rootProp
		}
	}
	return rootProportionOf(rootW, issuance)
}

// run is Coinbase on a validated in, into res (res.Subnets has one zero
// entry per subnet of in): every value it reads from w is written first,
// but for w.prices, the prices and root proportions the previous block
// left (each read only where its inputs are those it was computed from).
func (w *coinbaseWork) run(in *CoinbaseInput, res *CoinbaseResult) {
	// The emit-to set, in the chain's storage order. The order matters when
	// the shares add up to more than 1 (a saturated price sum with every
	// weight zero): the credit then runs out, and the subnets visited first
	// get their chain buy and injection.
	emit := w.emit[:0]
	// Subnets given in storage order (the usual case: netuids ascending
	// below 256) need no sort: the stable sort of an ordered list is the
	// list itself, and the keys are distinct (duplicates were refused).
	sorted := true
	var last uint16
	for i := range in.Subnets {
		s := &in.Subnets[i]
		if s.Emitting {
			k := bits.ReverseBytes16(uint16(s.NetUID))
			sorted = sorted && (len(emit) == 0 || last < k)
			last = k
			emit = append(emit, i)
		}
	}
	if !sorted {
		slices.SortStableFunc(emit, func(a, b int) int {
			return StorageOrder(in.Subnets[a].NetUID, in.Subnets[b].NetUID)
		})
	}
	shareIn := w.shareIn[:0]
	for _, i := range emit {
		s := &in.Subnets[i]
		shareIn = append(shareIn, ShareInput{
			MovingPrice:      s.MovingPrice,
			Stable:           s.Pool.Mechanism == amm.Stable,
			MinerBurned:      s.MinerBurned,
			EmissionDisabled: s.EmissionDisabled,
		})
	}
	shares := w.shares[:len(emit)]
	res.RootSell = sharesAndRootSell(shareIn, shares) // Shares and RootSell

	// Terms for every emitting subnet on the state before any injection.
	// The root weight U96F32(RootTAO)·TaoWeight is the same for every
	// subnet: computed once ([RootProportion] is rootProportionOf of it).
	rootW := rootWeight(in.RootTAO, fixed.U96F32FromU64Proportion(in.TaoWeight))
	terms := w.terms[:len(emit)]
	for k, i := range emit {
		s := &in.Subnets[i]
		issuance := AlphaIssuance(s.Pool.AlphaIn, s.Pool.AlphaOut)
		rp := w.rootProportion(i, rootW, issuance)
		terms[k] = SubnetTerms(SubnetTAOEmission(in.BlockEmission, shares[k]), issuance, w.spot(i, s).U64F64(), rp)
	}

	// Injection and chain buys, spending the block's credit.
	credit := in.BlockEmission
	for k, i := range emit {
		p := &in.Subnets[i].Pool
		r := &res.Subnets[i]
		taoIn := units.TAO(terms[k].TAOIn.SaturatingToUint64())
		alphaIn := units.Alpha(terms[k].AlphaIn.SaturatingToUint64())
		toSwap := units.TAO(terms[k].ExcessTAO.SaturatingToUint64())

		if err := p.AdjustWeights(units.TAO(taoIn), units.Alpha(alphaIn)); err != nil {
			taoIn, alphaIn = 0, 0
		}
		if toSwap > 0 && credit >= toSwap {
			credit -= toSwap
			r.ChainBuyTAO = toSwap
			// A failed buy is swallowed by the chain; its TAO stays in the
			// subnet account, outside the pool.
			// The chain buys at the max price limit: BuyOrder's default
			// limit, MaxPriceRao (the same Order as WithLimit of
			// PriceFromRao(MaxPriceRao), without converting it per subnet),
			// which BuyWithoutFees swaps with, returning the legs only.
			if paid, bought, err := p.BuyWithoutFees(toSwap); err == nil {
				r.ExcessTAO = paid
				r.BoughtAlpha = bought
			}
		}
		r.AlphaIn = alphaIn
		p.AlphaIn = p.AlphaIn.SaturatingAdd(alphaIn)
		if taoIn > 0 && credit >= taoIn {
			credit -= taoIn
			r.TAOIn = taoIn
			p.TAO = p.TAO.SaturatingAdd(taoIn)
		}
	}
	res.Leftover = credit

	// Alpha out: mint, owner cut, and the server/validator/root split.
	for k, i := range emit {
		s := &in.Subnets[i]
		p := &s.Pool
		r := &res.Subnets[i]
		r.AlphaOut = units.Alpha(terms[k].AlphaOut.SaturatingToUint64())
		p.AlphaOut = p.AlphaOut.SaturatingAdd(r.AlphaOut)
		issuance := AlphaIssuance(p.AlphaIn, p.AlphaOut)
		rp := rootProportionOf(rootW, issuance)
		r.Split = SplitAlphaOut(terms[k].AlphaOut, fixed.U96F32FromU16Proportion(s.OwnerCut.Value()), !s.OwnerCutDisabled, rp)
		if !res.RootSell {
			r.RootRecycled = true
			p.AlphaOut = p.AlphaOut.SaturatingSub(r.Split.Root)
		}
		r.Price = w.remember(i, s, rootW, issuance, rp)
	}
}

// coinbaseSubnets is how many subnets [Coinbase] handles without
// allocating scratch space: the chain's DefaultSubnetLimit
// (pallets/subtensor/src/lib.rs). Past it the scratch is allocated
// ([Coinbaser] keeps its own, grown to the largest block).
const coinbaseSubnets = 128

// coinbaseScratch is Coinbase's per-call working space, on its stack.
type coinbaseScratch struct {
	emit    [coinbaseSubnets]int
	shareIn [coinbaseSubnets]ShareInput
	shares  [coinbaseSubnets]fixed.U64F64
	terms   [coinbaseSubnets]Terms
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
