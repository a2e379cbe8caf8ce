// Package consensus is subtensor's Yuma consensus epoch as a pure function:
// an [Input] holding what one mechanism's epoch reads from chain storage,
// an [Output] holding what it writes, and nothing else (no globals, no
// goroutines, no I/O, no floats on the way to a chain number).
//
// [Epoch] (and [Workspace.Epoch], which reuses buffers) reproduces the
// on-chain sparse epoch_mechanism of pallets/subtensor/src/epoch/run_epoch.rs
// (and the kernels of pallets/subtensor/src/epoch/math.rs it calls) at
// subtensor commit 14bc6f9f bit for bit: stake with TAO weight and the
// threshold filter, validator permits, weight masking and normalisation,
// the κ stake-weighted median, clipping, validator trust, incentive, the
// bonds penalty, both bond paths (original EMA bonds and Yuma 3 with liquid
// alpha), bond masking after re-registration, dividends, the emission split
// and its fallbacks, and the u16 quantisation of every stored output.
// [EpochWithMechanisms] splits the emission over mechanisms and aggregates
// them; [Inherited] is the parent/child stake rule that yields the stake
// an Input carries. The rules that write the weights an Input reads
// (set_weights, its max-upscale normalisation, commit-reveal) are package
// subnet's.
//
// # Units
//
// Amounts are typed as the chain types them: AlphaStake, the Emission and
// every emission output are [units.Alpha] (the chain's AlphaBalance),
// TaoStake is [units.TAO] (TaoBalance), and uids (Entry.UID, OwnerUID) are
// [units.UID]. [Inherited] works on either currency ([Amount]);
// [SplitEmission] and [EpochWithMechanisms] split and sum alpha. All are
// rao: 1 alpha or 1 TAO = 1e9 rao.
//
// uint64 remains only where the chain's quantity is a plain integer:
// block numbers (CurrentBlock, LastUpdate, BlockAtRegistration,
// CommitBlocks, LastMechanismStepBlock); the u64 ratios TaoWeight (parts of
// 2^64−1) and BondsMovingAverage (parts of 1e6); and the combined stake
// alpha + tao·TaoWeight, which mixes the two currencies and is no amount
// of either: Output.Stake, and StakeThreshold, the chain's plain u64
// storage value that the epoch compares with that sum
// (run_epoch.rs epoch_mechanism) and staking with TAO totals. Weights,
// bonds, consensus, incentive, dividends, validator trust and stake weight
// are u16 proportions x/65535, as the chain stores them, and so are Kappa,
// BondsPenalty, AlphaLow and AlphaHigh; N, Tempo and MaxAllowedValidators
// are the chain's u16 counts, ActivityCutoffFactorMilli thousandths of a
// tempo.
//
// # Rounding
//
// Internally every quantity is substrate-fixed I32F32 (stake I64F64,
// amounts I96F32) with the chain's operations: floor on multiply,
// truncation toward zero on divide, safe_div (0 on a zero divisor or
// overflow), saturation where the chain saturates and plain (wrapping)
// addition where it uses Rust's Sum. Stored u16 values are floor(x·65535);
// rao amounts are floor(x·E). Where the chain's result depends on the
// order of cells (duplicate cells, unsorted rows under liquid alpha) the
// chain's order is followed.
//
// # Zero value and aliasing
//
// The zero Input is an empty subnet (N = 0) and yields empty outputs. A
// subnet with uids starts from [NewInput], which sets the chain's
// defaults for a new subnet (the Default* constants); a hand-built Input
// that leaves out a hyperparameter the chain always holds in a range (the
// activity cutoff factor, say) is refused rather than run. The zero
// Workspace is ready to use. Epoch never modifies its Input; the Output's
// slices are owned by the Output and are reused by the next
// Workspace.Epoch that is given the same Output.
//
// # Speed
//
// The epoch's kernels never change a bit for speed: each faster form keeps
// the one it replaced in a test file, with a differential test and a fuzz
// target. Rows that lie on the same columns as a reference row, as the
// rows of validators weighting the same miners do, take kernels that read
// their columns' operands in order (aligned.go); on amd64 processors with
// AVX-512 (F, DQ and VL) they run eight cells at a time in assembly
// (aligned_amd64.s), lane by lane the Go kernels' arithmetic, against
// which the tests check them on every input. When every row with stake is
// aligned, the weighted medians of eight columns are taken at once, their
// keys sorted lane by lane by a sorting network (median_aligned.go,
// median_sortnet_amd64.s, which a test generates and checks). The build
// tag purego keeps the Go kernels everywhere.
//
// # Concurrency
//
// Functions are safe for concurrent use. A Workspace, like the Output it
// fills, belongs to one goroutine at a time.
//
// # Errors
//
// An Input the chain could never hold (per-uid vectors of the wrong length,
// uids at or beyond N, hyperparameters outside the ranges the chain's
// setters allow) is refused with [ErrInvalidInput], naming the field (see
// [Input.Validate]); shorter storage vectors the chain's epoch pads are
// read as it reads them (see [Input]). A mechanism count or emission split
// the chain's setters refuse is [ErrInvalidMechanismCount] or
// [ErrInvalidEmissionSplit]. [ErrBondsMovingAverageOverflow] is the one
// input on which the chain's own code panics. A nil pointer argument is
// [ErrNilArgument]; no function of the package panics on any input.
//
// The errors that stand for an outcome of the chain are *[units.ChainError]
// sentinels: ChainName gives the chain's error name ("InvalidValue"), or a
// descriptive name where the chain panics ("BondsMovingAverageOverflow"),
// and errors.As or units.ChainName reaches it through any wrapping.
// ErrInvalidInput and ErrNilArgument are this package's own and have none.
package consensus
