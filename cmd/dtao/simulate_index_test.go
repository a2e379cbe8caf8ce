package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/units"
)

// TestSubnetIndex checks the listener's netuid lookup against the map it
// replaced: every netuid of the list finds its place, every other (0,
// gaps, past the largest, the largest netuid there is) none.
func TestSubnetIndex(t *testing.T) {
	for _, netuids := range [][]units.NetUID{nil, {1}, {3, 1, 64}, {2, 7, 8, 300}, {65535, 5}} {
		want := make(map[units.NetUID]int, len(netuids))
		for i, id := range netuids {
			want[id] = i
		}
		ix := newSubnetIndex(netuids)
		for id := 0; id <= 65535; id++ {
			i, ok := ix.of(units.NetUID(id))
			j, wok := want[units.NetUID(id)]
			require.Equal(t, wok, ok, "netuids %v: netuid %d", netuids, id)
			require.Equal(t, j, i, "netuids %v: netuid %d", netuids, id)
		}
	}
}
