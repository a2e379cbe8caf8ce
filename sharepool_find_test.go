package dtao

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/dtao-go/dtao/units"
)

// find, which starts where the key's prefix places it, returns
// the reference search's index whatever the keys' spread: uniform keys
// (the guess lands near), keys crowded at the bottom or top of the key
// space (it lands far and gallops), equal prefixes with different tails,
// and probes below, between and above them.
func TestSharePoolFindPrefixesMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		spread := rapid.IntRange(0, 3).Draw(t, "spread")
		gen := rapid.Custom(func(t *rapid.T) units.AccountID {
			var c units.AccountID
			for i := range c {
				c[i] = rapid.Byte().Draw(t, "byte")
			}
			switch spread {
			case 1: // crowded at the bottom
				c[0], c[1] = 0, 0
			case 2: // crowded at the top
				c[0], c[1] = 0xff, 0xff
			case 3: // few prefixes, many tails
				c = coldkeyFrom(c[0]&3, c[1], int(c[2]%24))
			}
			return c
		})
		p := poolOfColdkeys(rapid.SliceOfN(gen, 0, 300).Draw(t, "keys"))
		if !prefixesKept(p) {
			t.Fatal("prefixes not kept")
		}
		probes := append(rapid.SliceOfN(gen, 1, 20).Draw(t, "probes"), units.AccountID{}, allFF())
		es := p.entryList()
		for _, e := range es {
			probes = append(probes, e.coldkey, bump(e.coldkey, 31, 1), bump(e.coldkey, 31, -1), bump(e.coldkey, 7, 1))
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
