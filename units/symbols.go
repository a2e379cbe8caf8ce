package units

import "strconv"

// Currency signs used by String and accepted by the parsers.
const (
	// TAOSymbol is τ (U+03C4), the sign the Python SDK prints before TAO.
	TAOSymbol = "\u03c4"
	// AlphaSymbol is α (U+03B1), subnet 1's symbol, used for alpha whose
	// subnet is not known.
	AlphaSymbol = "\u03b1"
)

// symbolRun is a run of consecutive subnet indices whose symbols are
// consecutive code points, starting at first.
type symbolRun struct {
	first rune
	n     int
}

// sdkRuns is the Python SDK's UNITS table (bittensor/utils/balance.py,
// 439 single-rune symbols), run-length encoded by code point. TestSymbolTable pins the whole table to a digest of the SDK's list.
var sdkRuns = [...]symbolRun{
	{0x03C4, 1}, {0x03B1, 17}, {0x03C3, 1}, {0x0074, 1}, {0x03C5, 5},
	{0x05D0, 27}, {0x0627, 2}, {0x062A, 17}, {0x0641, 8}, {0x064A, 1},
	{0x0649, 1}, {0x16A0, 1}, {0x16A2, 1}, {0x16A6, 1}, {0x16A8, 1},
	{0x16B1, 1}, {0x16B3, 1}, {0x042B, 1}, {0x16C9, 1}, {0x16D2, 1},
	{0x1680, 6}, {0x169B, 1}, {0x10D0, 6}, {0x0531, 6}, {0x055E, 1},
	{0x0400, 6}, {0x044A, 1}, {0x2C80, 6}, {0x11000, 4}, {0x11005, 1},
	{0x0DB1, 6}, {0x2C00, 33}, {0x0E01, 35}, {0x0E25, 1}, {0x0E27, 8},
	{0x1100, 14}, {0x1161, 21}, {0x12A0, 8}, {0x12C8, 7}, {0x12B0, 7},
	{0x1290, 7}, {0x0905, 7}, {0x090F, 2}, {0x0913, 22}, {0x092A, 7},
	{0x0932, 1}, {0x0935, 5}, {0x30A2, 1}, {0x30A4, 1}, {0x30A6, 1},
	{0x30A8, 1}, {0x30AA, 2}, {0x30AD, 1}, {0x30AF, 1}, {0x30B1, 1},
	{0x30B3, 1}, {0x30B5, 1}, {0x30B7, 1}, {0x30B9, 1}, {0x30BB, 1},
	{0x30BD, 1}, {0x30BF, 1}, {0x30C1, 1}, {0x30C4, 1}, {0x30C6, 1},
	{0x30C8, 1}, {0x30CA, 6}, {0x30D2, 1}, {0x30D5, 1}, {0x30D8, 1},
	{0x30DB, 1}, {0x30DE, 5}, {0x30E4, 1}, {0x30E6, 1}, {0x30E8, 6},
	{0x30EF, 1}, {0x30F2, 2}, {0x2D30, 36}, {0x0D85, 8}, {0x0D8F, 8},
	{0x0D9A, 15}, {0x0DAA, 7},
}

// sdkSymbolCount is len(UNITS) in the Python SDK, the base of its
// multi-rune symbols.
const sdkSymbolCount = 439

// sdkSymbols is the expanded table, built once so that Symbol does not
// allocate for netuids below 439.
var sdkSymbols = func() (t [sdkSymbolCount]string) {
	i := 0
	for _, r := range sdkRuns {
		for k := range r.n {
			t[i] = string(r.first + rune(k))
			i++
		}
	}
	return t
}()

// Symbol returns the subnet's symbol as the Python SDK displays it
// (Balance.get_unit): τ for netuid 0, the table entry for 1–438, and for
// larger netuids the base-439 digits of n written with the same table
// (439 is "ατ"). Below 439 it does not allocate.
//
// This is a display table, not chain data. The chain's default
// (get_symbol_for_subnet) agrees for 1–438 but uses Τ (U+03A4) for 0 and
// above 438, and a subnet owner can change the symbol on chain; read
// DynamicInfo.symbol for the live value.
func (n NetUID) Symbol() string {
	if n < sdkSymbolCount {
		return sdkSymbols[n]
	}
	// 439² > 65535, so two digits always suffice.
	return sdkSymbols[n/sdkSymbolCount] + sdkSymbols[n%sdkSymbolCount]
}

// String returns the netuid in decimal.
func (n NetUID) String() string { return strconv.FormatUint(uint64(n), 10) }

// String returns the uid in decimal.
func (u UID) String() string { return strconv.FormatUint(uint64(u), 10) }
