package subnet

import (
	"bytes"
	"errors"
	"math/bits"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// lcCommit is a commit-reveal commit the lifecycle machine made.
type lcCommit struct {
	hotkey             units.AccountID
	uids, values, salt []uint16
	versionKey         uint64
}

// lifecycle is the combined state machine's subnet and its model: who
// holds which uid (the model's, not read back from the subnet), the
// ledger's hotkey owners, the block and epoch index, and the commits made.
type lifecycle struct {
	s                   *Subnet
	ws                  Workspace
	block, epoch        uint64
	ownerCold, ownerHot units.AccountID
	hotkeys, coldkeys   []units.AccountID
	owners              map[units.AccountID]units.AccountID
	commits             []lcCommit
	nextSalt            uint16
	// burnDirty: MinBurn or MaxBurn changed since the price was last
	// clamped (the chain's setters do not clamp Burn; Step and a
	// registration do).
	burnDirty bool
	// versions are the HotkeysVersions seen, with their hotkeys: a
	// version seen again names the same hotkeys.
	versions versionLog
}

// lcStats counts what the runs reached, for the log.
var lcStats struct {
	epochs, exactEpochs, lossAtLeastN, replacements uint64
	errs, oks                                       map[string]int
}

func (m *lifecycle) now() Now { return Now{Block: m.block, Epoch: m.epoch} }

func (m *lifecycle) uid(h units.AccountID) (units.UID, bool) {
	i := slices.Index(m.hotkeys, h)
	return units.UID(i), i >= 0
}

// outcome checks a call against the model's prediction: want nil is a
// predicted success; otherwise the call must fail with a
// *units.ChainError of want's chain name and leave the subnet as it was.
func (m *lifecycle) outcome(t *rapid.T, what string, before *Subnet, err, want error) {
	t.Helper()
	if err == nil {
		lcStats.oks[what]++
	} else {
		lcStats.errs[units.ChainName(err)]++
		var ce *units.ChainError
		if !errors.As(err, &ce) {
			t.Fatalf("%s: error %v (%T) is not a *units.ChainError", what, err, err)
		}
		if !before.Equal(m.s) {
			t.Fatalf("%s: failed call (%v) changed the subnet", what, err)
		}
	}
	switch {
	case want == nil && err != nil:
		t.Fatalf("%s: the model predicts success, got %v", what, err)
	case want != nil && err == nil:
		t.Fatalf("%s: the model predicts %s, the call succeeded", what, units.ChainName(want))
	case want != nil && (units.ChainName(err) != units.ChainName(want) || !errors.Is(err, want)):
		t.Fatalf("%s: got %v (%s), the model predicts %s", what, err, units.ChainName(err), units.ChainName(want))
	}
}

// rateLimited is check_rate_limit as the model reads it: a LastUpdate set
// and fewer than WeightsSetRateLimit blocks ago.
func (m *lifecycle) rateLimited(uid units.UID) bool {
	last := m.s.LastUpdate(0)[uid]
	since := uint64(0)
	if m.block > last {
		since = m.block - last
	}
	return last != 0 && since < m.s.Hyperparameters.WeightsSetRateLimit
}

// predictWeights is the model of internal_set_weights's checks
// (subnets/weights.rs), in the chain's order; reveal skips the
// commit-reveal and rate-limit checks, as a reveal does.
func (m *lifecycle) predictWeights(hot units.AccountID, stake uint64, uids, values []uint16, vk uint64, reveal bool) error {
	h := &m.s.Hyperparameters
	n := len(m.hotkeys)
	uid, registered := m.uid(hot)
	self := len(values) == 1 && len(uids) > 0 && units.UID(uids[0]) == uid
	owner := registered && hot == m.ownerHot
	switch {
	case !reveal && h.CommitRevealWeightsEnabled:
		return ErrCommitRevealEnabled
	case len(uids) != len(values):
		return ErrWeightVecNotEqualSize
	case len(uids) > n:
		return ErrUidsLengthExceedUidsInSubNet
	case !registered:
		return ErrHotKeyNotRegisteredInSubNet
	case !owner && stake < m.s.Globals.StakeThreshold:
		return ErrNotEnoughStakeToSetWeights
	case h.WeightsVersionKey != 0 && vk < h.WeightsVersionKey:
		return ErrIncorrectWeightVersionKey
	case !reveal && m.rateLimited(uid):
		return ErrSettingWeightsTooFast
	case !self && !owner && !m.s.ValidatorPermit()[uid]:
		return ErrNeuronNoValidatorPermit
	}
	seen := map[uint16]bool{}
	for _, u := range uids {
		if seen[u] {
			return ErrDuplicateUids
		}
		seen[u] = true
	}
	for _, u := range uids {
		if int(u) >= n {
			return ErrUidVecContainInvalidOne
		}
	}
	if !self && len(values) < min(n, int(h.MinAllowedWeights)) {
		return ErrWeightVecLengthIsLow
	}
	return nil
}

// drawWeights draws a weight vector of one of the shapes the chain
// refuses or accepts: valid, unequal lengths, a duplicate uid, a uid out
// of range, too few, or a self weight.
func (m *lifecycle) drawWeights(t *rapid.T, self units.UID) (uids, values []uint16) {
	n := len(m.hotkeys)
	perm := rapid.Permutation(m.s.Hotkeys()).Draw(t, "perm")
	k := rapid.IntRange(1, n).Draw(t, "k")
	for _, h := range perm[:k] {
		u, _ := m.uid(h)
		uids = append(uids, uint16(u))
	}
	values = rapid.SliceOfN(rapid.Uint16(), k, k).Draw(t, "values")
	switch rapid.IntRange(0, 5).Draw(t, "shape") {
	case 1:
		values = append(values, 1)
	case 2:
		uids, values = append(uids, uids[0]), append(values, 7)
	case 3:
		uids[rapid.IntRange(0, k-1).Draw(t, "bad")] = uint16(n + rapid.IntRange(0, 3).Draw(t, "over"))
	case 4:
		j := rapid.IntRange(0, min(k, 2)).Draw(t, "few")
		uids, values = uids[:j], values[:j]
	case 5:
		uids, values = []uint16{uint16(self)}, values[:1]
	}
	return uids, values
}

func (m *lifecycle) drawSigner(t *rapid.T) units.AccountID {
	if rapid.IntRange(0, 4).Draw(t, "unregistered") == 0 {
		return acct(rapid.Uint64Range(50, 52).Draw(t, "stranger"))
	}
	return rapid.SampledFrom(m.hotkeys).Draw(t, "signer")
}

// check is the invariant after every action.
func (m *lifecycle) check(t *rapid.T) {
	s, h := m.s, &m.s.Hyperparameters
	n := int(s.N())
	if n != len(m.hotkeys) || n > int(h.MaxAllowedUids) {
		t.Fatalf("N %d, model %d, MaxAllowedUids %d", n, len(m.hotkeys), h.MaxAllowedUids)
	}
	if !slices.Equal(s.Hotkeys(), m.hotkeys) || !slices.Equal(s.Coldkeys(), m.coldkeys) {
		t.Fatal("hotkeys or coldkeys differ from the model")
	}
	m.versions.see(t, "check", s)
	seen := map[units.AccountID]bool{}
	for uid, hk := range m.hotkeys {
		if seen[hk] {
			t.Fatalf("hotkey %x twice", hk[:1])
		}
		seen[hk] = true
		if got, ok := s.UID(hk); !ok || int(got) != uid {
			t.Fatalf("UID(%x) = %d %v, want %d", hk[:1], got, ok, uid)
		}
	}
	if m.hotkeys[0] != m.ownerHot {
		t.Fatal("the immortal owner hotkey left uid 0")
	}
	byHotkey := make([]units.UID, n)
	for i := range byHotkey {
		byHotkey[i] = units.UID(i)
	}
	slices.SortFunc(byHotkey, func(a, b units.UID) int { return bytes.Compare(m.hotkeys[a][:], m.hotkeys[b][:]) })
	if got := byHotkeyUIDs(s); !slices.Equal(got, byHotkey) {
		t.Fatalf("uids by hotkey %v, want %v", got, byHotkey)
	}
	checkUIDIndex(t, s)
	for name, l := range map[string]int{"active": len(s.Active()), "emission": len(s.Emission()),
		"consensus": len(s.Consensus()), "dividends": len(s.Dividends()), "vtrust": len(s.ValidatorTrust()),
		"permit": len(s.ValidatorPermit()), "incentive": len(s.Incentive(0)), "lastUpdate": len(s.LastUpdate(0)),
		"blockAtRegistration": len(s.BlockAtRegistration())} {
		if l != n {
			t.Fatalf("%s holds %d entries, N %d", name, l, n)
		}
	}
	rows := s.Weights.Rows(0)
	if len(rows) > n {
		t.Fatalf("%d weight rows, N %d", len(rows), n)
	}
	for _, row := range rows {
		for _, e := range row {
			if int(e.UID) >= n {
				t.Fatalf("a weight on uid %d, N %d", e.UID, n)
			}
		}
	}
	if !m.burnDirty && (s.Burn < h.MinBurn || s.Burn > h.MaxBurn) {
		t.Fatalf("burn %d outside [%d, %d]", s.Burn, h.MinBurn, h.MaxBurn)
	}
}

func (m *lifecycle) register(t *rapid.T) { m.registerWith(t, false) }

// registerWith registers a drawn hotkey; rich pays at least the burn.
func (m *lifecycle) registerWith(t *rapid.T, rich bool) {
	s, h := m.s, &m.s.Hyperparameters
	hot := acct(rapid.Uint64Range(0, 40).Draw(t, "hotkey"))
	cold := acct(rapid.Uint64Range(100, 106).Draw(t, "coldkey"))
	owner, has := m.owners[hot]
	b := uint64(s.Burn)
	balance := units.TAO(rapid.SampledFrom([]uint64{0, 1, max(b, 1) - 1, b, b + 1, 2 * b}).Draw(t, "balance"))
	if rich {
		balance = units.TAO(2*b + 2)
	}
	before := s.Clone()
	full := len(m.hotkeys) >= int(h.MaxAllowedUids)
	_, registered := m.uid(hot)
	var want error
	_, pruneErr := before.NeuronToPrune(m.block)
	switch {
	case !h.NetworkRegistrationAllowed:
		want = ErrSubNetRegistrationDisabled
	case registered:
		want = ErrHotKeyAlreadyRegisteredInSubNet
	case balance < s.Burn:
		want = ErrNotEnoughBalanceToStake
	case has && owner != cold:
		want = ErrNonAssociatedColdKey
	case full && pruneErr != nil:
		want = ErrNoNeuronIdAvailable
	case s.Burn > 0 && balance <= 1:
		want = ErrInsufficientBalance
	default:
		// The payment's swap is the pool's (package amm): a payment too
		// small to buy any alpha is its ReservesTooLow.
		pool := before.Pool
		if _, err := pool.Swap(amm.BuyOrder(min(s.Burn, balance-1))); err != nil {
			want = err
		}
	}
	r, err := s.Register(RegisterRequest{Coldkey: cold, Hotkey: hot, HotkeyOwner: owner, HotkeyHasOwner: has,
		Balance: balance, ExistentialDeposit: 1, Block: m.block})
	m.outcome(t, "register", before, err, want)
	if err != nil {
		return
	}
	if !has {
		m.owners[hot] = cold
	}
	m.burnDirty = false
	if r.Price != before.Burn || r.Paid > r.Price || s.Burn != h.BurnRule().Bump(before.Burn) {
		t.Fatalf("price %d paid %d, burn %d → %d", r.Price, r.Paid, before.Burn, s.Burn)
	}
	uid := r.UID
	if !full {
		if r.Replaced || int(uid) != len(m.hotkeys) {
			t.Fatalf("appended at %d (replaced %v), N was %d", uid, r.Replaced, len(m.hotkeys))
		}
		m.hotkeys, m.coldkeys = append(m.hotkeys, hot), append(m.coldkeys, cold)
		return
	}
	lcStats.replacements++
	want2, _ := before.NeuronToPrune(m.block)
	if !r.Replaced || uid != want2 || r.ReplacedHotkey != m.hotkeys[uid] {
		t.Fatalf("replaced uid %d (%+v), NeuronToPrune %d", uid, r, want2)
	}
	if r.ReplacedHotkey == m.ownerHot {
		t.Fatal("the owner hotkey was pruned")
	}
	m.hotkeys[uid], m.coldkeys[uid] = hot, cold
	// The pruned uid is reused and its old data is gone (subnets/uids.rs
	// replace_neuron, clear_neuron).
	if s.Emission()[uid] != 0 || s.Incentive(0)[uid] != 0 || s.Dividends()[uid] != 0 || s.Consensus()[uid] != 0 ||
		s.ValidatorTrust()[uid] != 0 || s.ValidatorPermit()[uid] || !s.Active()[uid] ||
		s.BlockAtRegistration()[uid] != m.block || s.LastUpdate(0)[uid] != m.block {
		t.Fatalf("replaced uid %d keeps old per-uid data", uid)
	}
	if sw := s.StakeWeight(); int(uid) < len(sw) && sw[uid] != 0 {
		t.Fatalf("replaced uid %d keeps its stake weight", uid)
	}
	if len(s.Weights.Row(0, uid)) != 0 {
		t.Fatalf("replaced uid %d keeps its weights row", uid)
	}
	if b := s.Bonds(0); int(uid) < len(b) && len(b[uid]) != 0 {
		t.Fatalf("replaced uid %d keeps its bonds row", uid)
	}
	for i, row := range s.Weights.Rows(0) {
		for _, e := range row {
			if e.UID == uid && e.Value != 0 {
				t.Fatalf("uid %d still weighs the replaced uid %d", i, uid)
			}
		}
	}
}

func (m *lifecycle) setWeights(t *rapid.T) {
	hot := m.drawSigner(t)
	self, _ := m.uid(hot)
	uids, values := m.drawWeights(t, self)
	stake := rapid.Uint64Range(0, 2).Draw(t, "stake")
	vk := rapid.Uint64Range(0, 1).Draw(t, "vk")
	want := m.predictWeights(hot, stake, uids, values, vk, false)
	before := m.s.Clone()
	err := m.s.SetWeights(m.now(), Signer{Hotkey: hot, Stake: stake}, 0, uids, values, vk)
	m.outcome(t, "set_weights", before, err, want)
	if err == nil {
		m.checkRow(t, self, uids, values)
		if m.s.LastUpdate(0)[self] != m.block {
			t.Fatal("set_weights did not set LastUpdate")
		}
	}
}

// checkRow checks that uid's stored row is uids with the max-upscaled values.
func (m *lifecycle) checkRow(t *rapid.T, uid units.UID, uids, values []uint16) {
	row, up := m.s.Weights.Row(0, uid), MaxUpscaleWeights(nil, values)
	if len(row) != len(uids) {
		t.Fatalf("stored %d cells for %d uids", len(row), len(uids))
	}
	for k, e := range row {
		if e.UID != units.UID(uids[k]) || e.Value != up[k] {
			t.Fatalf("cell %d is %+v, want uid %d value %d", k, e, uids[k], up[k])
		}
	}
}

// liveCommits splits hot's stored commits into the live and the expired
// (is_commit_expired: the epoch past commit epoch + RevealPeriodEpochs).
func (m *lifecycle) liveCommits(hot units.AccountID) (live []WeightCommit, expired [][32]byte) {
	for _, c := range m.s.Weights.Commits(0, hot) {
		if m.epoch > c.Epoch+m.s.Hyperparameters.RevealPeriodEpochs {
			expired = append(expired, c.Hash)
		} else {
			live = append(live, c)
		}
	}
	return live, expired
}

func (m *lifecycle) commit(t *rapid.T) { m.commitAs(t, m.drawSigner(t)) }

// commitBurst commits MaxUnrevealedCommits+1 times from one hotkey in one
// block: with no rate limit the last is TooManyUnrevealedCommits.
func (m *lifecycle) commitBurst(t *rapid.T) {
	hot := m.drawSigner(t)
	for range MaxUnrevealedCommits + 1 {
		m.commitAs(t, hot)
	}
}

func (m *lifecycle) commitAs(t *rapid.T, hot units.AccountID) {
	self, registered := m.uid(hot)
	uids, values := m.drawWeights(t, self)
	m.nextSalt++
	c := lcCommit{hotkey: hot, uids: uids, values: values, salt: salt8(m.nextSalt), versionKey: rapid.Uint64Range(0, 1).Draw(t, "vk")}
	hash := CommitHash(hot, m.s.NetUID, 0, c.uids, c.values, c.salt, c.versionKey)
	live, _ := m.liveCommits(hot)
	var want error
	switch {
	case !m.s.Hyperparameters.CommitRevealWeightsEnabled:
		want = ErrCommitRevealDisabled
	case !registered:
		want = ErrHotKeyNotRegisteredInSubNet
	case m.rateLimited(self):
		want = ErrCommittingWeightsTooFast
	case len(live) >= MaxUnrevealedCommits:
		want = ErrTooManyUnrevealedCommits
	}
	before := m.s.Clone()
	err := m.s.CommitWeights(m.now(), Signer{Hotkey: hot}, 0, hash)
	m.outcome(t, "commit", before, err, want)
	if err != nil {
		return
	}
	m.commits = append(m.commits, c)
	q := m.s.Weights.Commits(0, hot)
	if !slices.Equal(q, append(live, WeightCommit{Hash: hash, Epoch: m.epoch, Block: m.block})) {
		t.Fatalf("commit queue %v after committing in epoch %d", q, m.epoch)
	}
	if m.s.LastUpdate(0)[self] != m.block {
		t.Fatal("a commit did not set LastUpdate")
	}
}

func (m *lifecycle) reveal(t *rapid.T) {
	if len(m.commits) == 0 {
		return // nothing to reveal yet; commits come from the commit action
	}
	c := rapid.SampledFrom(m.commits).Draw(t, "commit")
	salt := c.salt
	if rapid.IntRange(0, 3).Draw(t, "wrong salt") == 0 {
		salt = salt8(c.salt[0] + 1 + uint16(rapid.IntRange(0, 3).Draw(t, "saltDelta")))
	}
	stake := rapid.Uint64Range(0, 2).Draw(t, "stake")
	hash := CommitHash(c.hotkey, m.s.NetUID, 0, c.uids, c.values, salt, c.versionKey)
	live, expired := m.liveCommits(c.hotkey)
	stored := len(m.s.Weights.Commits(0, c.hotkey)) > 0
	pos := slices.IndexFunc(live, func(w WeightCommit) bool { return w.Hash == hash })
	var want error
	switch {
	case !m.s.Hyperparameters.CommitRevealWeightsEnabled:
		want = ErrCommitRevealDisabled
	case !stored:
		want = ErrNoWeightsCommitFound
	case len(live) == 0 && slices.Contains(expired, hash):
		want = ErrExpiredWeightCommit
	case len(live) == 0:
		want = ErrNoWeightsCommitFound
	case pos < 0 && slices.Contains(expired, hash):
		want = ErrExpiredWeightCommit
	case pos < 0:
		want = ErrInvalidRevealCommitHashNotMatch
	case m.epoch != live[pos].Epoch+m.s.Hyperparameters.RevealPeriodEpochs:
		want = ErrRevealTooEarly
	default:
		want = m.predictWeights(c.hotkey, stake, c.uids, c.values, c.versionKey, true)
	}
	before := m.s.Clone()
	err := m.s.RevealWeights(m.now(), Signer{Hotkey: c.hotkey, Stake: stake}, 0, c.uids, c.values, salt, c.versionKey)
	m.outcome(t, "reveal", before, err, want)
	if err != nil {
		return
	}
	uid, _ := m.uid(c.hotkey)
	m.checkRow(t, uid, c.uids, c.values)
	if !slices.Equal(m.s.Weights.Commits(0, c.hotkey), live[pos+1:]) {
		t.Fatal("a reveal left the wrong commits")
	}
	if m.s.LastUpdate(0)[uid] != before.LastUpdate(0)[uid] {
		t.Fatal("a reveal changed LastUpdate")
	}
}

// setter is one hyperparameter extrinsic: whether only root may call it,
// and a call with drawn values returning the error and the model's
// prediction for the value (nil when in range).
type setter struct {
	rootOnly bool
	call     func(t *rapid.T, m *lifecycle, o Origin) (err, rangeErr error)
}

var lcSetters = map[string]setter{
	"commit reveal": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		return m.s.Hyperparameters.SetCommitRevealWeightsEnabled(o, rapid.Bool().Draw(t, "on")), nil
	}},
	"reveal period": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		v := rapid.SampledFrom([]uint64{0, 1, 2, 3, 100, 101}).Draw(t, "period")
		var want error
		switch {
		case v > MaxRevealPeriodEpochs:
			want = ErrRevealPeriodTooLarge
		case v < MinRevealPeriodEpochs:
			want = ErrRevealPeriodTooSmall
		}
		return m.s.Hyperparameters.SetRevealPeriodEpochs(o, v), want
	}},
	"min allowed weights": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		return m.s.Hyperparameters.SetMinAllowedWeights(o, rapid.Uint16Range(0, 4).Draw(t, "minWeights")), nil
	}},
	"rate limit": {true, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		return m.s.Hyperparameters.SetWeightsSetRateLimit(o, rapid.Uint64Range(0, 3).Draw(t, "rateLimit")), nil
	}},
	"version key": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		return m.s.Hyperparameters.SetWeightsVersionKey(o, rapid.Uint64Range(0, 1).Draw(t, "key")), nil
	}},
	"registration allowed": {true, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		return m.s.Hyperparameters.SetNetworkRegistrationAllowed(o, rapid.IntRange(0, 3).Draw(t, "allowed") > 0), nil
	}},
	"immunity period": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		return m.s.Hyperparameters.SetImmunityPeriod(o, rapid.Uint16Range(0, 10).Draw(t, "immunity")), nil
	}},
	"min non-immune": {true, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		return m.s.Hyperparameters.SetMinNonImmuneUids(o, rapid.Uint16Range(0, 4).Draw(t, "minNonImmune")), nil
	}},
	"immune owner limit": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		v := rapid.Uint16Range(0, 11).Draw(t, "ownerLimit")
		var want error
		if v < MinImmuneOwnerUidsLimit || v > MaxImmuneOwnerUidsLimit {
			want = ErrInvalidValue
		}
		return m.s.Hyperparameters.SetImmuneOwnerUidsLimit(o, v), want
	}},
	"max allowed uids": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		h := &m.s.Hyperparameters
		v := rapid.Uint16Range(0, 17).Draw(t, "maxUids")
		var want error
		switch {
		case v < h.MinAllowedUids:
			want = ErrMaxAllowedUidsLessThanMinAllowedUids
		case int(v) < len(m.hotkeys):
			want = ErrMaxAllowedUIdsLessThanCurrentUIds
		}
		return h.SetMaxAllowedUids(o, v, m.s.N()), want
	}},
	"min burn": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		h := &m.s.Hyperparameters
		v := units.TAO(rapid.SampledFrom([]uint64{1, 1_000, 1_000_000, uint64(h.MaxBurn), uint64(MinBurnUpperBound)}).Draw(t, "minBurn"))
		var want error
		if v >= MinBurnUpperBound || v >= h.MaxBurn {
			want = ErrValueNotInBounds
		}
		err := h.SetMinBurn(o, v)
		m.burnDirty = m.burnDirty || err == nil
		return err, want
	}},
	"max burn": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		h := &m.s.Hyperparameters
		v := units.TAO(rapid.SampledFrom([]uint64{uint64(MaxBurnLowerBound), uint64(MaxBurnLowerBound) + 1, 500_000_000, 2_000_000_000, uint64(h.MinBurn)}).Draw(t, "maxBurn"))
		var want error
		if v <= MaxBurnLowerBound || v <= h.MinBurn {
			want = ErrValueNotInBounds
		}
		err := h.SetMaxBurn(o, v)
		m.burnDirty = m.burnDirty || err == nil
		return err, want
	}},
	"burn half-life": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		v := rapid.SampledFrom([]uint16{0, 1, 2, 10, 100, MaxBurnHalfLife, MaxBurnHalfLife + 1}).Draw(t, "halfLife")
		var want error
		if v == 0 || v > MaxBurnHalfLife {
			want = ErrInvalidValue
		}
		return m.s.Hyperparameters.SetBurnHalfLife(o, v), want
	}},
	"burn increase mult": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		i, f := rapid.Uint64Range(0, 4).Draw(t, "multInt"), rapid.SampledFrom([]uint64{0, 1, 1 << 63}).Draw(t, "multFrac")
		var want error
		if i < 1 || i > 3 || i == 3 && f != 0 {
			want = ErrInvalidValue
		}
		return m.s.Hyperparameters.SetBurnIncreaseMult(o, fixed.U64F64FromBits(i, f)), want
	}},
	"kappa": {true, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		return m.s.Hyperparameters.SetKappa(o, rapid.Uint16().Draw(t, "kappa")), nil
	}},
	"tempo": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		v := rapid.SampledFrom([]uint16{0, 1, 10, MinTempo - 1, MinTempo, 1_000, MaxTempo, MaxTempo + 1}).Draw(t, "tempo")
		var want error
		if o == OriginOwner && (v < MinTempo || v > MaxTempo) {
			want = ErrTempoOutOfBounds
		}
		return m.s.Hyperparameters.SetTempo(o, v), want
	}},
	"bonds moving average": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		v := rapid.SampledFrom([]uint64{0, 500_000, 900_000, MaxOwnerBondsMovingAverage, MaxOwnerBondsMovingAverage + 1, 999_999}).Draw(t, "bma")
		var want error
		if o == OriginOwner && v > MaxOwnerBondsMovingAverage {
			want = ErrBondsMovingAverageMaxReached
		}
		return m.s.Hyperparameters.SetBondsMovingAverage(o, v), want
	}},
	"yuma3": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		return m.s.Hyperparameters.SetYuma3On(o, rapid.Bool().Draw(t, "yuma3")), nil
	}},
	"liquid alpha": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		return m.s.Hyperparameters.SetLiquidAlphaOn(o, rapid.Bool().Draw(t, "liquid")), nil
	}},
	"alpha values": {false, func(t *rapid.T, m *lifecycle, o Origin) (error, error) {
		vals := []uint16{0, MinAlphaValue - 1, MinAlphaValue, 30_000, 60_000}
		low, high := rapid.SampledFrom(vals).Draw(t, "low"), rapid.SampledFrom(vals).Draw(t, "high")
		var want error
		switch {
		case !m.s.Hyperparameters.LiquidAlphaOn:
			want = ErrLiquidAlphaDisabled
		case high < MinAlphaValue:
			want = ErrAlphaHighTooLow
		case low < MinAlphaValue || low > high:
			want = ErrAlphaLowOutOfRange
		}
		return m.s.Hyperparameters.SetAlphaValues(o, low, high), want
	}},
}

var lcSetterNames = func() []string {
	var names []string
	for k := range lcSetters {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}()

func (m *lifecycle) hyper(t *rapid.T) {
	name := rapid.SampledFrom(lcSetterNames).Draw(t, "setter")
	st := lcSetters[name]
	o := rapid.SampledFrom([]Origin{OriginNone, OriginSigned, OriginOwner, OriginRoot, OriginOwner, OriginRoot}).Draw(t, "origin")
	before := m.s.Clone()
	dirty := m.burnDirty
	err, want := st.call(t, m, o)
	if o != OriginRoot && (st.rootOnly || o != OriginOwner) {
		want = ErrBadOrigin
	}
	if err != nil {
		m.burnDirty = dirty
	}
	m.outcome(t, name, before, err, want)
	if err == nil {
		if err := m.s.Hyperparameters.Validate(); err != nil && o == OriginOwner {
			t.Fatalf("%s by the owner left invalid hyperparameters: %v", name, err)
		}
	}
}

func (m *lifecycle) step(t *rapid.T) {
	for range rapid.IntRange(1, 4).Draw(t, "blocks") {
		prev := m.s.Burn
		m.block++
		m.s.Step(m.block)
		h := &m.s.Hyperparameters
		if m.s.RegistrationsThisBlock != 0 || m.s.Burn != h.BurnRule().Decay(prev) {
			t.Fatalf("step: counter %d, burn %d → %d", m.s.RegistrationsThisBlock, prev, m.s.Burn)
		}
		m.burnDirty = false
	}
}

func (m *lifecycle) runEpoch(t *rapid.T) {
	s, h := m.s, &m.s.Hyperparameters
	n := len(m.hotkeys)
	view := StakeView{Alpha: make([]units.Alpha, n)}
	for i := range view.Alpha {
		view.Alpha[i] = units.Alpha(rapid.SampledFrom([]uint64{0, 1, 1_000, 1_000_000_000, 1 << 40}).Draw(t, "alpha"))
	}
	if rapid.Bool().Draw(t, "tao") {
		view.TAO = make([]units.TAO, n)
		for i := range view.TAO {
			view.TAO[i] = units.TAO(rapid.Uint64Range(0, 1e12).Draw(t, "taoStake"))
		}
	}
	e := rapid.SampledFrom([]uint64{0, 1, 7, 1_000_000, 1 << 32, 1e12, 1 << 50, 1<<62 - 1}).Draw(t, "emissionKind")
	if e > 7 && e < 1<<50 {
		e = rapid.Uint64Range(e/2, e).Draw(t, "emission")
	}
	emission := units.Alpha(e)
	before := s.Clone()
	out, err := s.RunEpoch(m.now(), emission, view, &m.ws)
	if err != nil {
		if !errors.Is(err, consensus.ErrBondsMovingAverageOverflow) || !h.Yuma3On || h.BondsMovingAverage <= 1_000_000 {
			t.Fatalf("epoch: %v", err)
		}
		if !before.Equal(s) {
			t.Fatal("a failed epoch changed the subnet")
		}
		return
	}
	m.epoch++
	lcStats.epochs++
	if len(out) != n || s.LastMechanismStepBlock() != m.block {
		t.Fatalf("epoch returned %d lines for %d uids, last step %d", len(out), n, s.LastMechanismStepBlock())
	}
	var sum, paid uint64
	for _, x := range s.Emission() {
		sum += uint64(x)
	}
	for _, l := range out {
		if _, ok := m.uid(l.Hotkey); !ok {
			t.Fatal("an emission line for an unregistered hotkey")
		}
		paid += uint64(l.Incentive) + uint64(l.Dividend)
	}
	if sum > e || paid > e {
		t.Fatalf("emission %d: stored %d, paid %d", e, sum, paid)
	}
	// The stored Emission is floor(x_i·E) with x = inplace_normalize of
	// incentive + dividends (or, when that is all 0, of the active or
	// the whole stake) in I32F32 (epoch/run_epoch.rs epoch_mechanism):
	// each x_i truncated loses under 2^-32, each floor under 1 rao, so
	// E − Σ < N·(1 + E/2^32) whenever the normalised vector is not all
	// 0, which a stored non-zero incentive, dividend or stake weight
	// shows.
	nonzero := slices.ContainsFunc(s.Incentive(0), func(v uint16) bool { return v > 0 }) ||
		slices.ContainsFunc(s.Dividends(), func(v uint16) bool { return v > 0 }) ||
		slices.ContainsFunc(s.StakeWeight(), func(v uint16) bool { return v > 0 })
	if !nonzero {
		return
	}
	lcStats.exactEpochs++
	loss := e - sum
	if loss >= uint64(n) {
		lcStats.lossAtLeastN++
	}
	lhsHi, lhsLo := bits.Mul64(loss, 1<<32)
	rhsHi, rhsLo := bits.Mul64(uint64(n), 1<<32+e)
	if lhsHi > rhsHi || lhsHi == rhsHi && lhsLo >= rhsLo {
		t.Fatalf("emission %d over %d uids: stored %d, loss %d ≥ N·(1+E/2^32)", e, n, sum, loss)
	}
}

// newLifecycle draws a lifecycle machine's subnet (small, with drawn
// hyperparameters) and fills it near full, so that registrations prune.
func newLifecycle(t *rapid.T) *lifecycle {
	ownerCold, ownerHot := acct(100), acct(0)
	s, err := New(1, ownerCold, ownerHot, amm.NewPool(1e12, 1e12), 1)
	if err != nil {
		t.Fatal(err)
	}
	h := &s.Hyperparameters
	h.MinAllowedUids = 1
	h.MaxAllowedUids = rapid.Uint16Range(8, 16).Draw(t, "maxUids")
	h.MaxAllowedValidators = rapid.Uint16Range(1, h.MaxAllowedUids).Draw(t, "maxValidators")
	h.ImmuneOwnerUidsLimit = rapid.Uint16Range(1, 3).Draw(t, "ownerLimit")
	h.ImmunityPeriod = rapid.Uint16Range(0, 10).Draw(t, "immunity")
	h.Tempo = rapid.Uint16Range(1, 10).Draw(t, "tempo")
	h.WeightsSetRateLimit = rapid.SampledFrom([]uint64{0, 0, 1, 3}).Draw(t, "rateLimit")
	h.MinAllowedWeights = rapid.Uint16Range(0, 3).Draw(t, "minWeights")
	h.RevealPeriodEpochs = rapid.Uint64Range(1, 2).Draw(t, "period")
	h.CommitRevealWeightsEnabled = rapid.Bool().Draw(t, "cr")
	h.BurnHalfLife = rapid.Uint16Range(1, 50).Draw(t, "halfLife")
	h.BurnIncreaseMult = fixed.U64F64FromBits(rapid.Uint64Range(1, 2).Draw(t, "multInt"), rapid.Uint64().Draw(t, "multFrac"))
	h.MinBurn = units.TAO(rapid.Uint64Range(1, 1_000_000).Draw(t, "minBurn"))
	h.MaxBurn = units.TAO(rapid.Uint64Range(uint64(MaxBurnLowerBound)+1, 2e9).Draw(t, "maxBurn"))
	s.Burn = min(s.Burn, h.MaxBurn)
	s.Globals.StakeThreshold = rapid.Uint64Range(0, 1).Draw(t, "threshold")
	m := &lifecycle{s: s, block: 1, ownerCold: ownerCold, ownerHot: ownerHot,
		hotkeys: []units.AccountID{ownerHot}, coldkeys: []units.AccountID{ownerCold},
		owners: map[units.AccountID]units.AccountID{ownerHot: ownerCold}, versions: versionLog{}}
	// Start near full, so that registrations prune.
	for range rapid.IntRange(int(h.MaxAllowedUids)/2, int(h.MaxAllowedUids)+2).Draw(t, "prefill") {
		m.registerWith(t, true)
		m.check(t)
	}
	return m
}

// actions returns the machine's actions for t.Repeat, the invariant check
// under "".
func (m *lifecycle) actions() map[string]func(*rapid.T) {
	return map[string]func(*rapid.T){
		"register":     m.register,
		"register 2":   m.register,
		"commit burst": m.commitBurst,
		"set weights":  m.setWeights,
		"commit":       m.commit,
		"reveal":       m.reveal,
		"hyper":        m.hyper,
		"step":         m.step,
		"epoch":        m.runEpoch,
		"":             m.check,
	}
}

// One subnet's life: random burned registrations from many coldkeys and
// hotkeys (already registered, short of balance, with registration
// disabled), weight settings valid and invalid, commits and reveals (right
// and wrong salt, too early, expired, too many), hyperparameter changes
// by every origin in and out of range (commit-reveal toggled among them),
// blocks, and epochs at random intervals with a random emission and stake.
// Against a model of who holds which uid, after every action: uids dense
// and unique, each hotkey once, the owner hotkey never pruned, a pruned
// uid reused with its old data gone, a failed call a *units.ChainError of
// the predicted name that changed nothing, the burn within [MinBurn,
// MaxBurn], and an epoch's emission per uid summing to what was given
// less the chain's rounding.
func TestLifecycleStateMachine(t *testing.T) {
	lcStats.errs, lcStats.oks = map[string]int{}, map[string]int{}
	rapid.Check(t, func(t *rapid.T) {
		m := newLifecycle(t)
		t.Repeat(m.actions())
	})
	t.Logf("epochs %d (%d with a non-zero score, %d of them losing ≥ N rao), replacements %d, successes %v, errors %v",
		lcStats.epochs, lcStats.exactEpochs, lcStats.lossAtLeastN, lcStats.replacements, lcStats.oks, lcStats.errs)
}

// Regression: the owner may lower MaxAllowedUids below
// MaxAllowedValidators (admin-utils sudo_set_max_allowed_uids does not
// compare them), and Validate accepts every value a setter reaches; it
// used to refuse this one with ErrMaxValidatorsLargerThanMaxUIds.
func TestValidateMaxUidsBelowValidators(t *testing.T) {
	h := DefaultHyperparameters()
	if err := h.SetMinAllowedUids(OriginRoot, 1, 10); err != nil {
		t.Fatal(err)
	}
	if err := h.SetMaxAllowedUids(OriginOwner, 16, 10); err != nil {
		t.Fatal(err)
	}
	if h.MaxAllowedValidators <= h.MaxAllowedUids {
		t.Fatalf("validators %d, uids %d: not the case under test", h.MaxAllowedValidators, h.MaxAllowedUids)
	}
	if err := h.Validate(); err != nil {
		t.Fatalf("Validate() = %v for values the setters reached", err)
	}
}
