package dtao

import (
	"testing"

	"github.com/dtao-go/dtao/units"
)

// A rollback restores a subnet's whole state whichever way a call
// recorded it: its pool fields alone (subnetPoolOf, as the stake paths
// do), its whole state (subnet), both in either order, or the pool fields
// twice, with writes to the pool fields and to the other fields between
// the records.
func TestJournalPoolRecordRollback(t *testing.T) {
	poolWrite := func(s *SubnetState, k uint64) {
		s.Pool.TAO += units.TAO(k)
		s.Pool.AlphaIn += units.Alpha(2 * k)
		s.TaoFlow -= int64(k)
		s.AlphaBurned += units.Alpha(3 * k)
	}
	otherWrite := func(s *SubnetState, k uint64) {
		s.Locked += units.TAO(k)
		s.SubtokenEnabled = !s.SubtokenEnabled
		s.RootClaimableAlpha += units.Alpha(k)
	}
	for _, c := range []struct {
		name  string
		steps string // p: subnetPoolOf then a pool write; s: subnet then writes to both
	}{
		{"pool", "p"}, {"pool twice", "pp"}, {"whole", "s"},
		{"pool then whole", "ps"}, {"whole then pool", "sp"}, {"pool, whole, pool", "psp"},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := testNetwork(t)
			netuid := l.order[1]
			before := *l.subnets[netuid]
			j := l.begin()
			for i, st := range c.steps {
				k := uint64(i + 1)
				switch st {
				case 'p':
					poolWrite(j.subnetPoolOf(netuid, l.subnets[netuid]), k)
				case 's':
					s := j.subnet(netuid)
					poolWrite(s, 10*k)
					otherWrite(s, k)
				}
			}
			if *l.subnets[netuid] == before {
				t.Fatal("the writes changed nothing")
			}
			j.rollback()
			if got := *l.subnets[netuid]; got != before {
				t.Fatalf("after the rollback %+v, before the call %+v", got, before)
			}
		})
	}
}
