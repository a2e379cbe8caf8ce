package subnet

import (
	"slices"

	"github.com/dtao-go/dtao/units"
)

// Neuron is what pruning reads of one registered neuron.
type Neuron struct {
	// UID is the neuron's uid; a subnet's uids are exactly 0..n-1.
	UID units.UID
	// BlockAtRegistration is the block the neuron registered at (BlockAtRegistration).
	BlockAtRegistration uint64
	// Emission is the neuron's emission in the last epoch (Emission[uid]).
	Emission units.Alpha
	// OwnedBySubnetOwner reports that the hotkey is one of the subnet
	// owner coldkey's hotkeys (OwnedHotkeys[SubnetOwner]).
	OwnedBySubnetOwner bool
	// IsOwnerHotkey reports that the hotkey is the subnet's owner hotkey
	// (SubnetOwnerHotkey); at most one neuron has it.
	IsOwnerHotkey bool
}

// PruneParams are the hyperparameters pruning reads.
type PruneParams struct {
	ImmunityPeriod       uint16
	ImmuneOwnerUidsLimit uint16
	MinNonImmuneUids     uint16
}

// PruneParams returns the pruning parameters of h.
func (h *Hyperparameters) PruneParams() PruneParams {
	return PruneParams{
		ImmunityPeriod:       h.ImmunityPeriod,
		ImmuneOwnerUidsLimit: h.ImmuneOwnerUidsLimit,
		MinNonImmuneUids:     h.MinNonImmuneUids,
	}
}

// NeuronIsImmune reports whether a neuron registered at
// blockAtRegistration is still immune at currentBlock: currentBlock −
// blockAtRegistration, saturating at 0, is below immunityPeriod
// (utils/misc.rs get_neuron_is_immune).
func NeuronIsImmune(blockAtRegistration, currentBlock uint64, immunityPeriod uint16) bool {
	var age uint64
	if currentBlock > blockAtRegistration {
		age = currentBlock - blockAtRegistration
	}
	return age < uint64(immunityPeriod)
}

// before reports whether a registered before b in the (block at
// registration, uid) order of get_immune_owner_tuples.
func before(a, b *Neuron) bool {
	if a.BlockAtRegistration != b.BlockAtRegistration {
		return a.BlockAtRegistration < b.BlockAtRegistration
	}
	return a.UID < b.UID
}

// immortals describes the immortal set of get_immune_owner_tuples
// without materialising it: the owner hotkey (when inserted), and the
// owned neurons up to and including the threshold neuron in the
// (block, uid) order.
type immortals struct {
	owner     int  // index of the owner hotkey's neuron, -1 if none
	ownerIn   bool // the owner hotkey is immortal
	inserted  bool // ... because it was inserted at the front
	all       bool // every owned neuron is immortal
	none      bool // no owned neuron is immortal (besides an inserted owner hotkey)
	threshold Neuron
}

// has reports whether neurons[i] is immortal.
func (im *immortals) has(neurons []Neuron, i int) bool {
	if i == im.owner && im.ownerIn {
		return true
	}
	n := &neurons[i]
	if !n.OwnedBySubnetOwner || im.none {
		return false
	}
	return im.all || !before(&im.threshold, n)
}

// validate checks that the uids are exactly 0..n-1 and that at most one
// neuron is the owner hotkey; it returns the owner hotkey's index or -1.
func validate(neurons []Neuron) (int, error) {
	if len(neurons) > 1<<16 {
		return -1, ErrInvalidNeurons
	}
	var seen [1 << 16 / 64]uint64
	owner := -1
	for i := range neurons {
		u := int(neurons[i].UID)
		if u >= len(neurons) || seen[u/64]&(1<<(u%64)) != 0 {
			return -1, ErrInvalidNeurons
		}
		seen[u/64] |= 1 << (u % 64)
		if neurons[i].IsOwnerHotkey {
			if owner >= 0 {
				return -1, ErrInvalidNeurons
			}
			owner = i
		}
	}
	return owner, nil
}

// findImmortals reproduces get_immune_owner_tuples
// (subnets/registration.rs): the owned neurons sorted by (block at
// registration, uid), the oldest first, truncated to limit; then the owner
// hotkey, if registered and not already in the list, inserted at the front
// and the list truncated to limit again.
func findImmortals(neurons []Neuron, owner int, limit uint16) immortals {
	im := immortals{owner: owner}
	k := int(limit) // how many owned neurons stay immortal
	if owner >= 0 {
		o := &neurons[owner]
		if o.OwnedBySubnetOwner && rankBelow(neurons, o, k) {
			// Already in the list: nothing is inserted.
			im.ownerIn = true
		} else if k > 0 {
			im.ownerIn, im.inserted = true, true
			k--
		}
	}
	owned := 0
	for i := range neurons {
		if neurons[i].OwnedBySubnetOwner {
			owned++
		}
	}
	switch {
	case k == 0:
		im.none = true
	case owned <= k:
		im.all = true
	default:
		im.threshold = kthOwned(neurons, k)
	}
	return im
}

// rankBelow reports whether fewer than k owned neurons come before n.
func rankBelow(neurons []Neuron, n *Neuron, k int) bool {
	c := 0
	for i := range neurons {
		if neurons[i].OwnedBySubnetOwner && before(&neurons[i], n) {
			c++
			if c >= k {
				return false
			}
		}
	}
	return c < k
}

// kthOwned returns the k-th (1-based) owned neuron in the (block, uid)
// order, 0 < k < the owned count, without allocating: by k passes of
// selection for a small k (the setter allows at most 10), else by binary
// search on the key, 64 passes for the block and 16 for the uid.
func kthOwned(neurons []Neuron, k int) Neuron {
	if k <= 16 {
		var last *Neuron
		for range k {
			var next *Neuron
			for i := range neurons {
				n := &neurons[i]
				if n.OwnedBySubnetOwner && (last == nil || before(last, n)) && (next == nil || before(n, next)) {
					next = n
				}
			}
			last = next
		}
		return Neuron{UID: last.UID, BlockAtRegistration: last.BlockAtRegistration}
	}
	countBlocks := func(limit uint64) int { // owned with block ≤ limit
		c := 0
		for i := range neurons {
			if neurons[i].OwnedBySubnetOwner && neurons[i].BlockAtRegistration <= limit {
				c++
			}
		}
		return c
	}
	lo, hi := uint64(0), ^uint64(0) // smallest block with countBlocks ≥ k lies in [lo, hi]
	for lo < hi {
		mid := lo + (hi-lo)/2
		if countBlocks(mid) >= k {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	block := lo
	earlier := 0
	if block > 0 {
		earlier = countBlocks(block - 1)
	}
	countUIDs := func(limit units.UID) int { // owned at block with uid ≤ limit
		c := 0
		for i := range neurons {
			n := &neurons[i]
			if n.OwnedBySubnetOwner && n.BlockAtRegistration == block && n.UID <= limit {
				c++
			}
		}
		return c
	}
	ulo, uhi := units.UID(0), units.UID(65_535)
	for ulo < uhi {
		mid := ulo + (uhi-ulo)/2
		if earlier+countUIDs(mid) >= k {
			uhi = mid
		} else {
			ulo = mid + 1
		}
	}
	return Neuron{UID: ulo, BlockAtRegistration: block}
}

// ImmuneOwnerUIDs appends to dst[:0] the uids pruning never picks, in the
// chain's order, and returns the extended slice (subnets/registration.rs
// get_immune_owner_uids): the limit oldest of the subnet owner's
// registered hotkeys, by (block at registration, uid); then the owner
// hotkey, when registered and not among them, at the front, the list cut
// to limit again. A limit of 0 protects nobody. It does not allocate when
// cap(dst) is at least the list's length (at most limit). Neurons whose
// uids are not exactly 0..n-1, or with two owner hotkeys, are
// ErrInvalidNeurons.
func ImmuneOwnerUIDs(dst []units.UID, neurons []Neuron, limit uint16) ([]units.UID, error) {
	dst = dst[:0]
	owner, err := validate(neurons)
	if err != nil {
		return dst, err
	}
	im := findImmortals(neurons, owner, limit)
	if im.inserted {
		dst = append(dst, neurons[owner].UID)
	}
	// The rest in (block, uid) order: collect their indices (below 2^16,
	// so they fit a UID), sort them, then replace each by its uid.
	start := len(dst)
	for i := range neurons {
		if (i != owner || !im.inserted) && im.has(neurons, i) {
			dst = append(dst, units.UID(i))
		}
	}
	rest := dst[start:]
	slices.SortFunc(rest, func(a, b units.UID) int {
		switch {
		case before(&neurons[a], &neurons[b]):
			return -1
		case before(&neurons[b], &neurons[a]):
			return 1
		}
		return 0
	})
	for j, i := range rest {
		rest[j] = neurons[i].UID
	}
	return dst, nil
}

// NeuronToPrune returns the uid a registration on a full subnet replaces
// at currentBlock (subnets/registration.rs get_neuron_to_prune). Among the
// neurons that are not immortal (ImmuneOwnerUIDs), the best immune and the
// best non-immune (NeuronIsImmune) candidates are those with the lowest
// (emission, block at registration, uid). The best non-immune one is
// chosen when the non-immune neurons outnumber MinNonImmuneUids, otherwise
// the best immune one; when that does not exist either — no neurons, all
// immortal, or at most MinNonImmuneUids non-immune and none immune — the
// answer is ErrNoNeuronIdAvailable. The result does not depend on the
// order of neurons, and NeuronToPrune does not allocate. Invalid neurons
// are ErrInvalidNeurons.
func NeuronToPrune(neurons []Neuron, currentBlock uint64, p PruneParams) (units.UID, error) {
	owner, err := validate(neurons)
	if err != nil {
		return 0, err
	}
	if len(neurons) == 0 {
		return 0, ErrNoNeuronIdAvailable
	}
	im := findImmortals(neurons, owner, p.ImmuneOwnerUidsLimit)
	var freeCount uint16
	bestFree, bestImmune := -1, -1
	better := func(i, best int) bool {
		if best < 0 {
			return true
		}
		a, b := &neurons[i], &neurons[best]
		if a.Emission != b.Emission {
			return a.Emission < b.Emission
		}
		if a.BlockAtRegistration != b.BlockAtRegistration {
			return a.BlockAtRegistration < b.BlockAtRegistration
		}
		return a.UID < b.UID
	}
	for i := range neurons {
		if im.has(neurons, i) {
			continue
		}
		if NeuronIsImmune(neurons[i].BlockAtRegistration, currentBlock, p.ImmunityPeriod) {
			if better(i, bestImmune) {
				bestImmune = i
			}
		} else {
			if freeCount < 65_535 {
				freeCount++
			}
			if better(i, bestFree) {
				bestFree = i
			}
		}
	}
	if bestFree >= 0 && freeCount > p.MinNonImmuneUids {
		return neurons[bestFree].UID, nil
	}
	if bestImmune >= 0 {
		return neurons[bestImmune].UID, nil
	}
	return 0, ErrNoNeuronIdAvailable
}
