// Package amm is the subnet pool of Bittensor's dynamic TAO: it quotes and
// executes TAO ↔ alpha swaps in-process with the same integers the chain
// produces (subtensor 14bc6f9f, runtime spec 425: the swap pallet,
// pallets/swap/src/pallet/, and the staking code that calls it,
// pallets/subtensor/src/staking/stake_utils.rs).
//
// The live pool, [Pool], is the swap pallet's two-token weighted pool
// ("PalSwap", Balancer style): x^w1 · y^w2 is constant during a swap, the
// spot price is (w1/w2)·(y/x), a fee of FeeRate/65535 is taken from the
// input and paid to the block author, and emission changes the weights, not
// the price. [ConstantProductPool] is the x·y = k pool of the dTAO launch,
// for replaying that era (its Era selects the signed product of v2.0.0 …
// v2.0.10 or the unsigned one of v2.0.11 … v3.1.5, the default); both have
// the same Price, Quote, Swap and Inject methods.
//
// # Use
//
// [Pool.Quote] answers "how much will I get" without changing anything;
// [Pool.Swap] executes and updates the reserves as the chain's staking code
// does. [Pool.SimulateBuy] and [Pool.SimulateSell] are the runtime API's
// sim_swap (slippage included); [Pool.MaxAmountAdd] and
// [Pool.MaxAmountRemove] the limit-price helpers of add_stake_limit and
// remove_stake_limit. [Pool.AdjustWeights], [Pool.Inject],
// [Pool.InjectAndBuy] (the coinbase's weight update, chain buy and
// deposits in one call; [Pool.InjectAndBuyValid] the same for a pool
// already validated), [Pool.InitializeAtPrice] and [NextMovingPrice]
// (or [MovingEMA], the same bits with the weight prepared once for many
// subnets sharing their operands) are the emission hooks.
//
// # Units
//
// Amounts are rao in their token's type, at every exported boundary, so
// that the compiler refuses to mix TAO and alpha. An [Order] is made by
// [BuyOrder], which takes [units.TAO], or [SellOrder], which takes
// [units.Alpha]; its fields are unexported, so its amount cannot be set in
// the wrong token. A [Result] holds the two legs of the swap as TAO and
// Alpha (a buy pays TAO in and alpha out, a sell the reverse) and the fee
// as TAOFee or AlphaFee: the live pool charges it in the input token, the
// constant-product pool in TAO. Reserves, simulation results, limit
// amounts and injections are [units.TAO] and [units.Alpha]; [ApproxFee],
// generic like the chain's approx_fee_amount, returns the type it is
// given. Saturating arithmetic on amounts is units' own (SaturatingAdd,
// SaturatingSub). Weights are [fixed.Perquintill] parts of 1e18;
// QuoteWeight is the TAO side's.
//
// uint64 and uint16 remain only where the chain's quantity is a bare
// integer: FeeRate (parts of 65535), MaxInputReserveMultiplier, block
// counts (BlocksSinceStart, DefaultEMAPriceHalvingBlocks), the minimum
// reserves MinReserve and MinPoolLiquidity (a bare u64 the chain compares
// with whichever reserve pays out), and prices in the chain's own form,
// rao per alpha (MinPriceRao, MaxPriceRao, [Pool.PriceRao],
// [PriceFromRao], [Price.Rao]).
//
// # Prices
//
// A [Price] is TAO per alpha with the chain's U64F64 inside. [ParsePrice]
// reads what users type ("0.013", "τ0.013", "0.013τ", "0.013 τ/α"),
// exactly, and String prints it as the Python SDK prints a subnet price, a
// TAO balance with at least 9 decimals ("τ0.013000000"), with more
// decimals when the value needs them to read back exactly. Limits are
// Prices ([Order.WithLimit], [Pool.MaxAmountAdd]); the chain takes them as
// rao per alpha, and the conversion ([Price.Rao], round to nearest) gives
// every price typed with at most 9 decimals back as exactly its rao.
//
// # Rounding
//
// Exactly the chain's: every U64F64 product and quotient floors, safe_div
// gives 0 on a zero divisor or overflow, saturating operations saturate,
// the rational power is safe-bigmath's pow_ratio_scaled (internal/bigpow),
// floored at 1e-18. The chain's quirks are reproduced, not fixed; those a
// caller may meet are: the first swap of an uninitialised pool resets the
// weight to 0.5; the input needed to reach a limit saturates its ratio
// factor at 18.45; the minimum reserve is checked before a swap only; a
// buy can drain the alpha reserve (and zero the price) when the power
// floors to 0; with reserves above about 4.9e17 rao a round trip can gain a
// few rao; a binding limit can consume more than the order's amount. The
// tests name each one.
//
// # Valid pools
//
// A pool holds only what the chain could store: [Pool.Validate] refuses a
// quote weight outside [MinWeight, MaxWeight] (Balancer::new and
// set_quote_weight refuse it; the initial and reset weight is 0.5), a fee
// rate above [MaxFeeRate] (set_fee_rate refuses it) and a mechanism other
// than [Stable] and [Dynamic] (do_register_network refuses it). Every
// method that returns an error validates the pool first; the few that
// cannot fail (Price, PriceRao, ApproxFee, AlphaForTAO, MovingPrice)
// compute with the stored fields. Nothing is clamped: a pool is either
// used as it is or refused.
//
// # Zero value, aliasing, concurrency
//
// The zero Pool is not valid (its quote weight 0 is no weight the chain
// stores): make pools with [NewPool] (dynamic) or [NewStablePool]. The zero
// [ConstantProductPool] is an empty stable pool of the latest era. Pools
// are plain values: copying one copies its whole state. Methods that
// change a pool need exclusive access; the read-only ones (Price, Quote,
// Simulate*, MaxAmount*, Validate) may run concurrently with each other.
// The package has no global state.
//
// # Errors
//
// Every failure of a pool is one of the exported sentinels, each a
// [*units.ChainError] named after the chain's error ([ErrReservesTooLow]
// is "ReservesTooLow", ...), testable with errors.Is and reachable with
// errors.As or [units.ChainName]. Validate's errors wrap the sentinel with
// the offending field and value. A method that returns an error leaves the
// pool unchanged. No input panics. [ParsePrice] and the Price decoders
// return errors wrapping [ErrInvalidPrice], which is not a chain error.
//
// # Performance
//
// With equal weights (most subnets) a quote is fixed-width integer work and
// does not allocate. With general weights the power series dominates (on
// pools weighted near 1/2, as the coinbase's injections keep them, a
// first-order bound of the power takes its place for small trades), far
// below the cost of the chain's two pow calls, still without allocating
// except on the rare weights whose reduced exponent fraction is small but
// not 1/1 (pow_ratio_scaled's exact path, done with math/big). The
// benchmarks BenchmarkSwapQuote and BenchmarkSwapQuoteBig (a plain
// math/big transcription of the chain's formulas) measure both.
package amm
