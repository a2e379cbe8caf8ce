package dtao

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

func acct(b byte) units.AccountID { return units.AccountID{b} }

type fataler interface {
	Helper()
	Fatal(args ...any)
}

func mustStake(t fataler, p *SharePool, c units.AccountID, a uint64) {
	t.Helper()
	if err := p.Stake(c, units.Alpha(a)); err != nil {
		t.Fatal(err)
	}
}

func mustUnstake(t fataler, p *SharePool, c units.AccountID, a uint64) bool {
	t.Helper()
	done, err := p.Unstake(c, units.Alpha(a))
	if err != nil {
		t.Fatal(err)
	}
	return done
}

// primitives/share-pool/src/lib.rs tests::test_get_value.
func TestSharePoolGetValue(t *testing.T) {
	p := NewSharePool(100, fixed.SafeFloatFromUint64(10))
	p.SetShare(acct(1), fixed.SafeFloatFromUint64(3))
	p.SetShare(acct(2), fixed.SafeFloatFromUint64(7))
	if v1, v2 := p.Value(acct(1)), p.Value(acct(2)); v1 != 30 || v2 != 70 {
		t.Errorf("values %d, %d, want 30, 70", v1, v2)
	}
	if v := p.Value(acct(3)); v != 0 {
		t.Errorf("a coldkey without an entry has %d", v)
	}
}

// tests::test_denom_precision and tests::test_update_value_for_one.
func TestSharePoolDenomPrecision(t *testing.T) {
	var p SharePool
	mustStake(t, &p, acct(1), 1000)
	if v := p.Value(acct(1)); v != 1000 {
		t.Fatalf("value %d, want 1000", v)
	}
	mustUnstake(t, &p, acct(1), 990)
	mustStake(t, &p, acct(2), 1000)
	mustUnstake(t, &p, acct(2), 990)
	if v1, v2 := p.Value(acct(1)), p.Value(acct(2)); v1 != 10 || v2 != 10 {
		t.Errorf("values %d, %d, want 10, 10", v1, v2)
	}
}

// pallets/subtensor/src/tests/staking.rs
// test_sharepool_dataops_update_value_for_one_v1_with_migration: legacy
// U64F64 shares of 1 read as 1.
func TestSharePoolLegacyImport(t *testing.T) {
	one := fixed.U64F64FromBits(1, 0)
	p := NewSharePool(200_000, fixed.SafeFloatFromU64F64(one))
	p.ImportLegacyShare(acct(1), one)
	if v := p.Value(acct(1)); v != 200_000 {
		t.Fatalf("value %d, want 200000", v)
	}
	mustStake(t, p, acct(1), 200_000)
	if v := p.Value(acct(1)); v != 400_000 {
		t.Errorf("after the stake %d, want 400000", v)
	}
}

// decrease_stake_for_hotkey_and_coldkey_on_subnet: more than the value, or
// no entry, changes nothing.
func TestSharePoolUnstakeNoOp(t *testing.T) {
	var p SharePool
	mustStake(t, &p, acct(1), 100)
	before := clonePool(&p)
	if mustUnstake(t, &p, acct(1), 101) || mustUnstake(t, &p, acct(2), 1) {
		t.Fatal("an unstake above the value must be a no-op")
	}
	if p.value != before.value || p.denom != before.denom || p.Len() != 1 || *p.firstEntry() != *before.firstEntry() {
		t.Fatal("a no-op unstake changed the pool")
	}
	if !mustUnstake(t, &p, acct(1), 100) || p.Len() != 0 || !p.Denominator().IsZero() || p.Total() != 0 {
		t.Fatalf("a full unstake must empty the pool: %+v", p)
	}
}

// The first staker into a pool with a zero denominator owns what V held.
func TestSharePoolFirstStakerOwnsAll(t *testing.T) {
	var p SharePool
	if err := p.Dividend(5000); err != nil {
		t.Fatal(err)
	}
	mustStake(t, &p, acct(9), 100)
	if v := p.Value(acct(9)); v != 5100 {
		t.Errorf("first staker has %d, want 5100", v)
	}
}

func TestSharePoolAmountTooLarge(t *testing.T) {
	var p SharePool
	mustStake(t, &p, acct(1), 100)
	big := units.Alpha(math.MaxInt64 + 1)
	if err := p.Stake(acct(1), big); !errors.Is(err, ErrAmountTooLarge) {
		t.Errorf("Stake: %v", err)
	}
	if _, err := p.Unstake(acct(1), big); !errors.Is(err, ErrAmountTooLarge) {
		t.Errorf("Unstake: %v", err)
	}
	if err := p.Dividend(big); !errors.Is(err, ErrAmountTooLarge) {
		t.Errorf("Dividend: %v", err)
	}
	if p.Total() != 100 || p.Value(acct(1)) != 100 {
		t.Error("a refused amount changed the pool")
	}
}

func TestSharePoolHoldersSorted(t *testing.T) {
	var p SharePool
	for _, b := range []byte{7, 3, 9, 1, 5} {
		mustStake(t, &p, acct(b), uint64(b)*1000)
	}
	var prev units.AccountID
	n := 0
	for c := range p.Holders() {
		if n > 0 && bytes.Compare(prev[:], c[:]) >= 0 {
			t.Fatalf("holders out of order: %x after %x", c[:1], prev[:1])
		}
		prev = c
		n++
	}
	if n != 5 {
		t.Fatalf("%d holders, want 5", n)
	}
}

func TestSharePoolAllocs(t *testing.T) {
	var p SharePool
	mustStake(t, &p, acct(1), 1_000_000)
	mustStake(t, &p, acct(2), 3_000_000)
	allocs := testing.AllocsPerRun(100, func() {
		_ = p.Stake(acct(1), 1234)
		_, _ = p.Unstake(acct(1), 1234)
		_ = p.Dividend(7)
		_ = p.Value(acct(2))
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run on an existing holder", allocs)
	}
}

// poolOps drives a pool from empty with random stakes, unstakes and
// dividends of a few coldkeys, the only way the chain builds one. A
// dividend goes only to a pool with holders, as the ledger pays one
// (creditPool): the chain's increase_stake_for_hotkey_on_subnet on a pool
// without shares leaves value that the next staker's share, computed from
// an empty denominator, does not account for.
func poolOps(t *rapid.T, p *SharePool) {
	n := rapid.IntRange(0, 30).Draw(t, "n")
	for range n {
		c := acct(byte(rapid.IntRange(0, 4).Draw(t, "c")))
		a := units.Alpha(rapid.Uint64Range(0, 1<<50).Draw(t, "a"))
		var err error
		switch rapid.IntRange(0, 2).Draw(t, "op") {
		case 0:
			err = p.Stake(c, a)
		case 1:
			_, err = p.Unstake(c, a)
		default:
			if p.Len() > 0 {
				err = p.Dividend(a)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func sumValues(p *SharePool) uint64 {
	var s uint64
	for c := range p.Holders() {
		s += p.Value(c).Rao()
	}
	return s
}

// No coldkey's value is above V. Their sum can be, by a few rao: the
// chain's SafeFloat truncation (TestSharePoolTruncationDust).
func TestSharePoolPropertyNoCreation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var p SharePool
		poolOps(t, &p)
		for c := range p.Holders() {
			if v := p.Value(c); v > p.Total() {
				t.Fatalf("a value %d above V = %d", v, p.Total())
			}
		}
	})
}

// Staking an amount and then unstaking the same amount gains at most one
// rao: what the coldkey holds afterwards plus what the unstake paid out is
// at most what it held before plus what it staked, plus 1. The chain's
// SafeFloat shares are truncated at 21 digits, so the round trip can move
// the floor of floor(V·share/denominator) up by one rao
// (TestSharePoolRoundTripOneRao); the unstake may also be a silent no-op
// when truncation left the new value below the amount, which the property
// counts as nothing paid. The exception is the chain's first-staker rule:
// into a pool with a zero denominator but a value (dividends paid to
// nobody) the staker receives that value too, so such a pool is first
// given an owner outside the coldkeys the property draws.
func TestSharePoolPropertyRoundTripNeverGains(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var p SharePool
		poolOps(t, &p)
		if p.Denominator().IsZero() && p.Total() != 0 {
			// Unowned value: a first staker outside the drawn coldkeys takes
			// it (update_value_for_one), so the property meets an owned pool.
			mustStake(t, &p, acct(9), 1)
		}
		c := acct(byte(rapid.IntRange(0, 5).Draw(t, "who")))
		a := rapid.Uint64Range(0, 1<<50).Draw(t, "amount")
		before := p.Value(c).Rao()
		mustStake(t, &p, c, a)
		paid := uint64(0)
		if mustUnstake(t, &p, c, a) {
			paid = a
		}
		if after := p.Value(c).Rao(); after+paid > before+a+1 {
			t.Fatalf("stake and unstake of %d: held %d, holds %d and was paid %d", a, before, after, paid)
		}
	})
}

// The smallest round trip rapid found that gains a rao, as the chain's
// arithmetic gives it: b holds 1 (1.999… floored), stakes 3, unstakes 3
// and holds 2, because its share came back 2·10^-20 larger and the
// denominator 10^-20 smaller.
func TestSharePoolRoundTripOneRao(t *testing.T) {
	var p SharePool
	a, b := acct(1), acct(2)
	for _, x := range []uint64{1, 2, 3} {
		mustStake(t, &p, a, x)
	}
	if err := p.Dividend(1); err != nil {
		t.Fatal(err)
	}
	mustStake(t, &p, b, 2)
	if v := p.Value(b); v != 1 {
		t.Fatalf("b holds %d, want 1", v)
	}
	mustStake(t, &p, b, 3)
	if !mustUnstake(t, &p, b, 3) {
		t.Fatal("the unstake must go through")
	}
	hi, lo, e := p.Denominator().Parts()
	if v := p.Value(b); v != 2 || hi != 41 || lo != 15112064406479812314 || e != -20 {
		t.Fatalf("b holds %d, denominator (%d, %d, %d); want 2 and 771428571428571428570e-20", v, hi, lo, e)
	}
}

// A dividend never lowers any holder's value.
func TestSharePoolPropertyDividendMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var p SharePool
		poolOps(t, &p)
		before := map[units.AccountID]units.Alpha{}
		for c := range p.Holders() {
			before[c] = p.Value(c)
		}
		if err := p.Dividend(units.Alpha(rapid.Uint64Range(0, 1<<55).Draw(t, "d"))); err != nil {
			t.Fatal(err)
		}
		for c, v := range before {
			if now := p.Value(c); now < v {
				t.Fatalf("a dividend lowered %x from %d to %d", c[:1], v, now)
			}
		}
	})
}

// TestSharePoolTruncationDust pins what the chain's share arithmetic does
// when a large stake comes and goes beside a small one: the holders'
// values end one rao above the pool's value. (rapid found the sequence.)
func TestSharePoolTruncationDust(t *testing.T) {
	var p SharePool
	mustStake(t, &p, acct(0), 1)
	if err := p.Dividend(2); err != nil {
		t.Fatal(err)
	}
	mustStake(t, &p, acct(1), 1<<50)
	mustStake(t, &p, acct(0), 1)
	if _, err := p.Unstake(acct(1), 1<<50); err != nil {
		t.Fatal(err)
	}
	if err := p.Dividend(0x516154); err != nil {
		t.Fatal(err)
	}
	if s, v := sumValues(&p), p.Total().Rao(); s != v+1 {
		t.Fatalf("values sum to %d, V = %d", s, v)
	}
}

// searchEntriesRef is find as it was first written, the reference of
// SharePool.find: slices.BinarySearchFunc with bytes.Compare.
func searchEntriesRef(entries []shareEntry, c units.AccountID) (int, bool) {
	return slices.BinarySearchFunc(entries, c, func(e shareEntry, c units.AccountID) int {
		return bytes.Compare(e.coldkey[:], c[:])
	})
}

// poolOfColdkeys returns a pool whose entries are the distinct coldkeys of
// keys, sorted, each with share 1.
func poolOfColdkeys(keys []units.AccountID) *SharePool {
	var p SharePool
	one := fixed.SafeFloatFromUint64(1)
	for _, k := range keys {
		p.setShare(k, one)
	}
	return &p
}

// coldkeyFrom builds a coldkey from a few bytes spread over the 32, so that
// equal 8-byte prefixes with different tails occur.
func coldkeyFrom(prefix, tail byte, at int) units.AccountID {
	var c units.AccountID
	c[0], c[7] = prefix>>4, prefix&15
	c[8+at%24] = tail
	return c
}

// find returns the index and presence the reference search returns, for
// coldkeys present and absent, sharing prefixes or not, on pools of 0 to
// 40 entries.
func TestSharePoolFindMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gen := rapid.Custom(func(t *rapid.T) units.AccountID {
			return coldkeyFrom(rapid.Byte().Draw(t, "prefix")&0x33, rapid.Byte().Draw(t, "tail"),
				rapid.IntRange(0, 23).Draw(t, "at"))
		})
		p := poolOfColdkeys(rapid.SliceOfN(gen, 0, 40).Draw(t, "keys"))
		es := p.entryList()
		if !slices.IsSortedFunc(es, func(a, b shareEntry) int { return bytes.Compare(a.coldkey[:], b.coldkey[:]) }) {
			t.Fatal("entries not sorted")
		}
		probes := append(rapid.SliceOfN(gen, 1, 10).Draw(t, "probes"), units.AccountID{}, allFF())
		for _, e := range es {
			probes = append(probes, e.coldkey)
		}
		for _, c := range probes {
			i, ok := p.find(c)
			wi, wok := searchEntriesRef(es, c)
			if p.index(i, c) != wi || ok != wok {
				t.Fatalf("find(%x) = %d, %v; reference %d, %v", c[:], i, ok, wi, wok)
			}
		}
	})
}

func allFF() units.AccountID {
	var c units.AccountID
	for i := range c {
		c[i] = 0xff
	}
	return c
}

// FuzzSharePoolFind compares find with the reference search on pools built
// from the fuzz bytes, 32 bytes a coldkey (up to 200: pools of several
// chunks), probing with every coldkey and with each one's neighbours (last
// byte ±1, prefix ±1).
func FuzzSharePoolFind(f *testing.F) {
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{1}, 96))
	f.Add(append(bytes.Repeat([]byte{0}, 32), bytes.Repeat([]byte{0xff}, 32)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		var keys []units.AccountID
		for len(data) >= 32 && len(keys) < 200 {
			keys = append(keys, units.AccountID(data[:32]))
			data = data[32:]
		}
		p := poolOfColdkeys(keys)
		// whole holds the same entries built at once, as genesis builds a
		// pool (fill), where p's grew by insertions.
		whole := clonePool(p)
		es := p.entryList()
		for _, k := range keys {
			for _, c := range []units.AccountID{k, bump(k, 31, 1), bump(k, 31, -1), bump(k, 7, 1), bump(k, 7, -1)} {
				wi, wok := searchEntriesRef(es, c)
				for _, q := range []*SharePool{p, whole} {
					if i, ok := q.find(c); q.index(i, c) != wi || ok != wok {
						t.Fatalf("find(%x) = %d, %v (%d chunks); reference %d, %v", c[:], i, ok, len(q.chunks()), wi, wok)
					}
				}
			}
		}
	})
}

func bump(c units.AccountID, at int, d int) units.AccountID {
	c[at] = byte(int(c[at]) + d)
	return c
}

// stakeAt, whatever its hint (right, stale, out of range), changes a pool
// exactly as Stake does, and leaves the hint at the coldkey's entry.
func TestSharePoolStakeAtMatchesStake(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := &SharePool{}, &SharePool{}
		hint := rapid.IntRange(-2, 40).Draw(t, "hint")
		for range rapid.IntRange(1, 60).Draw(t, "ops") {
			c := acct(byte(rapid.IntRange(0, 30).Draw(t, "coldkey")))
			amount := units.Alpha(rapid.Uint64Range(0, 1<<40).Draw(t, "amount"))
			switch rapid.IntRange(0, 3).Draw(t, "op") {
			case 0: // another coldkey's stake moves the entries
				mustStake(t, a, c, uint64(amount))
				mustStake(t, b, c, uint64(amount))
			case 1:
				mustUnstake(t, a, c, uint64(amount)>>2)
				mustUnstake(t, b, c, uint64(amount)>>2)
			default:
				if err := a.Stake(c, amount); err != nil {
					t.Fatal(err)
				}
				if err := b.stakeAt(c, amount, &hint); err != nil {
					t.Fatal(err)
				}
				if i, ok := b.find(c); ok && i != hint {
					t.Fatalf("hint %d, entry at %d", hint, i)
				}
			}
			if !reflect.DeepEqual(a.entryList(), b.entryList()) || a.value != b.value || a.denom != b.denom {
				t.Fatalf("stakeAt's pool %+v, Stake's %+v", b, a)
			}
		}
	})
}

// Unstake finds the coldkey once and updates the entry found: the pool
// ends as the reference steps (Share, the value check, then
// update_value_for_one with a fresh search) leave it, for coldkeys
// present and absent and amounts above and below their value.
func TestSharePoolUnstakeMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := &SharePool{}
		for range rapid.IntRange(1, 20).Draw(t, "stakes") {
			mustStake(t, a, acct(byte(rapid.IntRange(0, 12).Draw(t, "coldkey"))), rapid.Uint64Range(1, 1<<40).Draw(t, "amount"))
		}
		b := clonePool(a)
		for range rapid.IntRange(1, 20).Draw(t, "unstakes") {
			c := acct(byte(rapid.IntRange(0, 14).Draw(t, "coldkey")))
			amount := rapid.Uint64Range(0, 1<<41).Draw(t, "amount")
			done, err := a.Unstake(c, units.Alpha(amount))
			if err != nil {
				t.Fatal(err)
			}
			s, ok := b.Share(c)
			want := ok && b.valueOf(s) >= amount
			if want {
				b.updateForOne(c, amount, false, nil)
			}
			if done != want || a.value != b.value || a.denom != b.denom || !slices.Equal(a.entryList(), b.entryList()) {
				t.Fatalf("unstake %d of %x: done %v, pool %+v; reference %v, %+v", amount, c[:1], done, a, want, b)
			}
		}
	})
}

// prefixesKept reports whether the pool's prefixes are its entries'
// coldkeys' first 8 bytes, big-endian, one per entry, and its chunks as
// checkChunks wants them.
func prefixesKept(p *SharePool) bool { return checkChunks(p) == nil }

// Every write keeps the prefixes: stakes, unstakes (whole ones delete an
// entry), shares set and cleared, starting from an empty pool or from one
// whose entries were filled at once (genesis, SharePool.fill). The
// searches agree with the reference throughout.
func TestSharePoolPrefixesKept(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := &SharePool{}
		if rapid.Bool().Draw(t, "genesis") {
			var es []shareEntry
			for _, k := range rapid.SliceOfNDistinct(rapid.IntRange(0, 40), 1, 12, rapid.ID[int]).Draw(t, "holders") {
				es = append(es, shareEntry{coldkeyFrom(byte(k), byte(k*7), k), fixed.SafeFloatFromUint64(uint64(k + 1))})
			}
			slices.SortFunc(es, func(a, b shareEntry) int { return bytes.Compare(a.coldkey[:], b.coldkey[:]) })
			p.value, p.denom = 1_000_000, fixed.SafeFloatFromUint64(1_000)
			p.fill(es)
			if !prefixesKept(p) {
				t.Fatal("genesis's pool without its prefixes")
			}
		}
		for range rapid.IntRange(1, 40).Draw(t, "ops") {
			k := rapid.IntRange(0, 40).Draw(t, "coldkey")
			c := coldkeyFrom(byte(k), byte(k*7), k)
			wi, wok := searchEntriesRef(p.entryList(), c)
			if i, ok := p.find(c); p.index(i, c) != wi || ok != wok {
				t.Fatalf("find = %d, %v; reference %d, %v", i, ok, wi, wok)
			}
			switch rapid.IntRange(0, 3).Draw(t, "op") {
			case 0:
				mustStake(t, p, c, rapid.Uint64Range(1, 1<<40).Draw(t, "amount"))
			case 1:
				if _, err := p.Unstake(c, p.Value(c)); err != nil {
					t.Fatal(err)
				}
			case 2:
				p.SetShare(c, fixed.SafeFloat{})
			default:
				p.SetShare(c, fixed.SafeFloatFromUint64(rapid.Uint64Range(1, 1<<30).Draw(t, "share")))
			}
			if err := checkChunks(p); err != nil {
				t.Fatal(err)
			}
		}
	})
}
