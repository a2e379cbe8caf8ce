package dtao

import (
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/dtao-go/dtao/units"
)

// samePool reports whether two pools hold the same value, denominator and
// entries.
func samePool(a, b *SharePool) bool {
	return a.value == b.value && a.denom == b.denom && slices.Equal(a.entryList(), b.entryList())
}

// The kept computations give the bits of the computations they replace,
// on pools driven from empty by random calls (poolOps), for amounts from
// 0 to above i64::MAX:
//   - simStakeShares answers as simStake, and its shares, kept while the
//     pool does not change (knows), make stakeKnown change the pool as
//     Stake does;
//   - valueShare's value is Value's and its index valueIndex's, and
//     unstakeRead with it changes the pool as Unstake does.
//
// After another write to the pool the kept results are stale: knows
// refuses them and unstakeRead computes the value again, so the pools
// still end equal.
func TestSharePoolReadsMatchComputations(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := &SharePool{}
		poolOps(t, a)
		b := clonePool(a)
		amount := units.Alpha(rapid.OneOf(rapid.Uint64Range(0, 1<<40), rapid.Uint64()).Draw(t, "amount"))
		c := acct(byte(rapid.IntRange(0, 12).Draw(t, "coldkey")))
		stale := rapid.Bool().Draw(t, "stale")
		between := func(p *SharePool) {
			if stale {
				mustStake(t, p, acct(200), 1_000_000)
			}
		}

		ok, ss := b.simStakeShares(amount)
		if want := a.simStake(amount); ok != want {
			t.Fatalf("simStakeShares %v, simStake %v", ok, want)
		}
		if known := !b.denom.IsZero() && amount.Rao() <= maxPoolUpdate; known != b.knows(&ss, amount) {
			t.Fatalf("shares known %v for a pool of denominator %v and %d rao", b.knows(&ss, amount), b.denom, amount)
		}
		between(a)
		between(b)
		if b.knows(&ss, amount) && stale {
			t.Fatal("shares known after the pool changed")
		}
		if b.knows(&ss, amount+1) {
			t.Fatal("shares known for another amount")
		}
		if b.knows(&ss, amount) {
			// What stakeIntoSubnet reads for simStake.
			if ss.shares.IsZero() == a.simStake(amount) {
				t.Fatalf("kept shares %v, simStake %v", ss.shares, a.simStake(amount))
			}
			errA := a.Stake(c, amount)
			errB := b.stakeKnown(c, amount, &ss)
			if (errA == nil) != (errB == nil) || !samePool(a, b) {
				t.Fatalf("stakeKnown %v pool %+v; Stake %v pool %+v", errB, b, errA, a)
			}
		}

		kv, i := b.valueShare(c)
		if v, wi := a.valueIndex(c); units.Alpha(kv.v) != v || i != wi || v != a.Value(c) {
			t.Fatalf("valueShare %d at %d; valueIndex %d at %d, Value %d", kv.v, i, v, wi, a.Value(c))
		}
		between(a)
		between(b)
		take := units.Alpha(rapid.OneOf(rapid.Just(kv.v), rapid.Uint64Range(0, kv.v+1), rapid.Uint64()).Draw(t, "take"))
		doneA, errA := a.Unstake(c, take)
		doneB, errB := b.unstakeRead(c, take, &i, &kv)
		if doneA != doneB || (errA == nil) != (errB == nil) || !samePool(a, b) {
			t.Fatalf("unstakeRead %v %v pool %+v; Unstake %v %v pool %+v", doneB, errB, b, doneA, errA, a)
		}
	})
}
