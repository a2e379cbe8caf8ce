package consensus_test

import (
	"math/rand/v2"
	"testing"
)

// distributeNodes is tests/epoch.rs distribute_nodes; the random
// interleaving uses a fixed seed here.
func distributeNodes(v, n, interleave int) (validators, servers []uint16) {
	switch interleave {
	case 0:
		for i := range n {
			if i < v {
				validators = append(validators, uint16(i))
			} else {
				servers = append(servers, uint16(i))
			}
		}
	case 1:
		for i := range n {
			if i%(n/v) == 0 {
				validators = append(validators, uint16(i))
			} else {
				servers = append(servers, uint16(i))
			}
		}
	default:
		perm := rand.New(rand.NewPCG(5, 12)).Perm(n)
		for k, i := range perm {
			if k < v {
				validators = append(validators, uint16(i))
			} else {
				servers = append(servers, uint16(i))
			}
		}
	}
	return validators, servers
}

// Port of subtensor pallets/subtensor/src/tests/epoch.rs::test_512_graph
// @14bc6f9f964b9cc362e9635dd110a487fa5d15a0 (sparse; init_run_epochs with
// tempo 65534, neurons appended at block 0, epochs at block 1).
func TestGraph512(t *testing.T) {
	const n, v = 512, 64
	const stake = 328_125_000_000_000
	for interleave := range 3 {
		for _, serverSelf := range []bool{false, true} {
			validators, servers := distributeNodes(v, n, interleave)
			stakes := make([]uint64, n)
			for _, u := range validators {
				stakes[u] = stake
			}
			s := newSubnet(n, 65534, stakes, 0)
			s.in.CurrentBlock = 1
			s.in.MaxAllowedValidators = v
			s.epoch(t)
			w := make([]uint16, len(servers))
			for k := range w {
				w[k] = 65535 / n
			}
			for _, u := range validators {
				s.setWeights(int(u), servers, w)
			}
			if serverSelf {
				for _, u := range servers {
					s.setWeights(int(u), []uint16{u}, []uint16{65535})
				}
			}
			s.epoch(t)
			s.epoch(t)
			out := s.epoch(t)
			server, validator := servers[0], validators[0]
			for _, u := range validators {
				if out.Consensus[u] != 0 || out.Incentive[u] != 0 || out.Dividends[u] != 1023 || out.Emission[u] != 7812500 {
					t.Fatalf("interleave %d self %v validator %d: C %d I %d D %d E %d", interleave, serverSelf, u,
						out.Consensus[u], out.Incentive[u], out.Dividends[u], out.Emission[u])
				}
				if s.bond(int(u), validator) != 0 || s.bond(int(u), server) != 65535 {
					t.Fatalf("validator %d bonds: %d to validator, %d to server", u, s.bond(int(u), validator), s.bond(int(u), server))
				}
			}
			for _, u := range servers {
				if out.Consensus[u] != 146 || out.Incentive[u] != 146 || out.Dividends[u] != 0 || out.Emission[u] != 1116071 {
					t.Fatalf("interleave %d self %v server %d: C %d I %d D %d E %d", interleave, serverSelf, u,
						out.Consensus[u], out.Incentive[u], out.Dividends[u], out.Emission[u])
				}
				if s.bond(int(u), validator) != 0 || s.bond(int(u), server) != 0 {
					t.Fatalf("server %d holds bonds", u)
				}
			}
		}
	}
}
