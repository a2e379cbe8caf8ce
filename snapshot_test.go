package dtao

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// snapshotOf returns the ledger's snapshot.
func snapshotOf(t testing.TB, l *Ledger) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := l.WriteSnapshot(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// frame builds a snapshot around payload by hand, with its own checksum.
func frame(version uint16, payload []byte) []byte {
	b := []byte("DTAOSNAP")
	b = binary.LittleEndian.AppendUint16(b, version)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(payload)))
	b = append(b, payload...)
	sum := sha256.Sum256(payload)
	return append(b, sum[:]...)
}

// payloadOf returns the payload of a snapshot written by WriteSnapshot.
func payloadOf(snap []byte) []byte { return slices.Clone(snap[18 : len(snap)-32]) }

// driveCalls makes n calls chosen by r: every call kind of the ledger,
// most of them succeeding, some refused.
func driveCalls(l *Ledger, r *rand.Rand, n int) {
	for range n {
		c := acctN(byte(r.IntN(5)))
		hk := acctN(byte(100 + r.IntN(3)))
		hk2 := acctN(byte(100 + r.IntN(3)))
		net, net2 := units.NetUID(r.IntN(3)), units.NetUID(r.IntN(3))
		limit := amm.PriceFromRao(r.Uint64N(2_000_000_000))
		switch r.IntN(11) {
		case 0:
			_ = l.Transfer(c, acctN(byte(r.IntN(6))), units.TAO(r.Uint64N(10_000_000_000)))
		case 1, 2:
			_, _ = l.AddStake(c, hk, net, units.TAO(r.Uint64N(50_000_000_000)))
		case 3:
			_, _ = l.RemoveStake(c, hk, net, units.Alpha(r.Uint64N(50_000_000_000)))
		case 4:
			_, _ = l.AddStakeLimit(c, hk, net, units.TAO(r.Uint64N(50_000_000_000)), limit, r.IntN(2) == 0)
		case 5:
			_, _ = l.RemoveStakeLimit(c, hk, net, units.Alpha(r.Uint64N(50_000_000_000)), limit, r.IntN(2) == 0)
		case 6:
			_, _ = l.MoveStake(c, hk, hk2, net, net2, units.Alpha(r.Uint64N(20_000_000_000)))
		case 7:
			_, _ = l.TransferStake(c, acctN(byte(r.IntN(5))), hk, net, net2, units.Alpha(r.Uint64N(20_000_000_000)))
		case 8:
			_, _ = l.SwapStake(c, hk, net, net2, units.Alpha(r.Uint64N(20_000_000_000)))
		case 9:
			if r.IntN(2) == 0 {
				_, _ = l.UnstakeAll(c, hk)
			} else {
				_, _ = l.UnstakeAllAlpha(c, hk)
			}
		default:
			if r.IntN(3) == 0 {
				l.ClearBlockAuthor()
			} else {
				l.SetBlockAuthor(acctN(byte(r.IntN(6))))
			}
		}
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	l := testNetwork(t)
	driveCalls(l, rand.New(rand.NewPCG(3, 4)), 200)
	snap := snapshotOf(t, l)
	got, err := ReadSnapshot(bytes.NewReader(snap))
	if err != nil {
		t.Fatal(err)
	}
	if got.StateHash() != l.StateHash() {
		t.Fatal("the restored ledger has another StateHash")
	}
	if err := got.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
	if sum := l.StateHash(); !bytes.Equal(snap[len(snap)-32:], sum[:]) {
		t.Fatal("the checksum is not the StateHash")
	}
	if !bytes.Equal(snapshotOf(t, got), snap) {
		t.Fatal("the re-snapshot differs")
	}
	// The accessors agree field by field.
	if got.Block() != l.Block() || got.TotalIssuance() != l.TotalIssuance() || got.TotalStake() != l.TotalStake() ||
		got.ExistentialDeposit() != l.ExistentialDeposit() {
		t.Fatal("scalar fields differ")
	}
	for i := range byte(6) {
		if got.Balance(acctN(i)) != l.Balance(acctN(i)) {
			t.Fatalf("balance of account %d differs", i)
		}
		for h := range byte(3) {
			for n := range units.NetUID(3) {
				if got.Stake(acctN(100+h), acctN(i), n) != l.Stake(acctN(100+h), acctN(i), n) {
					t.Fatalf("stake of %d on hotkey %d netuid %d differs", i, h, n)
				}
			}
		}
	}
	for _, n := range l.NetUIDs() {
		a, _ := l.Subnet(n)
		b, ok := got.Subnet(n)
		if !ok || a != b {
			t.Fatalf("netuid %d: %+v, want %+v", n, b, a)
		}
	}
	wa, oka := l.BlockAuthor()
	wb, okb := got.BlockAuthor()
	if wa != wb || oka != okb {
		t.Fatal("block author differs")
	}
}

// Snapshot → restore → continue reaches the state of never stopping.
func TestSnapshotRestoreContinue(t *testing.T) {
	a, b := testNetwork(t), testNetwork(t)
	ra, rb := rand.New(rand.NewPCG(11, 12)), rand.New(rand.NewPCG(11, 12))
	driveCalls(a, ra, 150)
	driveCalls(b, rb, 150)
	mid := b.StateHash()
	restored, err := ReadSnapshot(bytes.NewReader(snapshotOf(t, a)))
	if err != nil {
		t.Fatal(err)
	}
	driveCalls(restored, ra, 150)
	driveCalls(b, rb, 150)
	if restored.StateHash() != b.StateHash() {
		t.Fatal("restore and continue differs from never stopping")
	}
	if b.StateHash() == mid {
		t.Fatal("the second half changed nothing")
	}
	if err := restored.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// tamper returns a snapshot of the test network after edit changed its
// state directly, as no call can.
func tamper(t *testing.T, edit func(l *Ledger)) []byte {
	l := testNetwork(t)
	edit(l)
	return snapshotOf(t, l)
}

func TestReadSnapshotRefuses(t *testing.T) {
	snap := snapshotOf(t, testNetwork(t))
	payload := payloadOf(snap)
	tag := len(genesisTag)
	// Offsets in the payload: the tag, then GenesisConfig's fields: Block,
	// ExistentialDeposit, MinStake (u64 each), BlockAuthor (32 bytes),
	// HasBlockAuthor (1 byte), the u32 count of Accounts, the accounts
	// (32 + 8 bytes each).
	edAt, authorFlagAt, accountsAt := tag+8, tag+56, tag+57
	const accountLen = 40
	patch := func(at int, b []byte) []byte {
		p := slices.Clone(payload)
		copy(p[at:], b)
		return frame(SnapshotVersion, p)
	}
	u64 := func(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }
	u32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	if got := binary.LittleEndian.Uint32(payload[accountsAt:]); got != 5 {
		t.Fatalf("the layout moved: %d accounts read at offset %d, want 5", got, accountsAt)
	}
	swapped := slices.Clone(payload)
	first := slices.Clone(swapped[accountsAt+4 : accountsAt+4+accountLen])
	copy(swapped[accountsAt+4:], swapped[accountsAt+4+accountLen:accountsAt+4+2*accountLen])
	copy(swapped[accountsAt+4+accountLen:], first)

	cases := []struct {
		name string
		in   []byte
		want error
		also error
	}{
		{"empty", nil, ErrSnapshotCorrupt, nil},
		{"foreign", append([]byte("PK\x03\x04 a zip file, not a snapshot"), snap...), ErrSnapshotForeign, nil},
		{"short foreign", []byte("DTX"), ErrSnapshotForeign, nil},
		{"version 0", frame(0, payload), ErrSnapshotVersion, nil},
		{"version 1", frame(1, payload), ErrSnapshotVersion, nil},
		{"version 3", frame(3, payload), ErrSnapshotVersion, nil},
		{"declared length above the maximum", func() []byte {
			b := slices.Clone(snap)
			binary.LittleEndian.PutUint64(b[10:], MaxSnapshotPayload+1)
			return b
		}(), ErrSnapshotTooLarge, nil},
		{"declared length too long", func() []byte {
			b := slices.Clone(snap)
			binary.LittleEndian.PutUint64(b[10:], uint64(len(payload)+1))
			return b
		}(), ErrSnapshotCorrupt, nil},
		{"checksum flipped", func() []byte {
			b := slices.Clone(snap)
			b[len(b)-1] ^= 1
			return b
		}(), ErrSnapshotCorrupt, nil},
		{"payload flipped", func() []byte {
			b := slices.Clone(snap)
			b[40] ^= 0x80
			return b
		}(), ErrSnapshotCorrupt, nil},
		{"trailing byte", append(slices.Clone(snap), 0), ErrSnapshotCorrupt, nil},
		{"second snapshot appended", append(slices.Clone(snap), snap...), ErrSnapshotCorrupt, nil},
		{"foreign tag", patch(0, []byte("dtao/ledger/state/v9")), ErrSnapshotVersion, nil},
		{"another layout's tag", patch(len(genesisTagBase), []byte("0000000000000000")), ErrSnapshotVersion, nil},
		{"zero existential deposit", patch(edAt, u64(0)), ErrSnapshotCorrupt, nil},
		{"flag 2", patch(authorFlagAt, []byte{2}), ErrSnapshotCorrupt, nil},
		{"accounts out of order", frame(SnapshotVersion, swapped), ErrSnapshotCorrupt, nil},
		{"account count beyond the payload", patch(accountsAt, u32(1<<30)), ErrSnapshotCorrupt, nil},
		{"payload bytes after the state", frame(SnapshotVersion, append(slices.Clone(payload), 0)), ErrSnapshotCorrupt, nil},
		{"payload cut short", frame(SnapshotVersion, payload[:len(payload)-1]), ErrSnapshotCorrupt, nil},
		{"issuance off by one", tamper(t, func(l *Ledger) { l.totalIssuance++ }), ErrSnapshotCorrupt, ErrInvariant},
		{"alpha out off by one", tamper(t, func(l *Ledger) { l.subnets[1].Pool.AlphaOut++ }), ErrSnapshotCorrupt, ErrInvariant},
		{"fee rate above the maximum", tamper(t, func(l *Ledger) { l.subnets[1].Pool.FeeRate = amm.MaxFeeRate + 1 }),
			ErrSnapshotCorrupt, ErrInvariant},
		{"dynamic root pool", tamper(t, func(l *Ledger) { l.subnets[0].Pool.Mechanism = amm.Dynamic }), ErrSnapshotCorrupt, nil},
		{"owner hotkey owned by another", tamper(t, func(l *Ledger) { l.owner[acctN(101)] = acctN(7) }), ErrSnapshotCorrupt, nil},
		{"empty share pool", tamper(t, func(l *Ledger) { l.stake.set(stakeKey{acctN(102), 1}, &SharePool{}) }), ErrSnapshotCorrupt, nil},
		{"zero minimum stake", tamper(t, func(l *Ledger) { l.minStake = 0 }), ErrSnapshotCorrupt, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := ReadSnapshot(bytes.NewReader(c.in))
			if l != nil {
				t.Fatal("a ledger was returned")
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if c.also != nil && !errors.Is(err, c.also) {
				t.Fatalf("err = %v, want it to wrap %v too", err, c.also)
			}
			t.Log(err)
		})
	}
	// A read error is passed on, and is no sentinel's.
	boom := errors.New("disk on fire")
	l, err := ReadSnapshot(io.MultiReader(bytes.NewReader(snap[:100]), iotest.ErrReader(boom)))
	if l != nil || !errors.Is(err, boom) || errors.Is(err, ErrSnapshotCorrupt) {
		t.Fatalf("read error: %v", err)
	}
}

// Every truncation of a snapshot is refused as corrupt.
func TestReadSnapshotTruncatedEverywhere(t *testing.T) {
	l, err := NewBuilder().Account(acctN(1), 1_000_000).Hotkey(acctN(100), acctN(1)).
		Subnet(1, acctN(1), acctN(100), 1_000_000_000, 1_000_000_000).
		Stake(acctN(100), acctN(1), 1, 5_000_000).Build()
	if err != nil {
		t.Fatal(err)
	}
	snap := snapshotOf(t, l)
	for n := range len(snap) {
		got, err := ReadSnapshot(bytes.NewReader(snap[:n]))
		if got != nil || !errors.Is(err, ErrSnapshotCorrupt) {
			t.Fatalf("%d of %d bytes: ledger %v, err %v", n, len(snap), got != nil, err)
		}
	}
	if _, err := ReadSnapshot(bytes.NewReader(snap)); err != nil {
		t.Fatal(err)
	}
}

// A hostile header declaring the maximum payload over a few bytes of data
// costs the bytes that arrive, not the declared length.
func TestReadSnapshotHostileLengthAllocatesLittle(t *testing.T) {
	in := frame(SnapshotVersion, make([]byte, 64))
	binary.LittleEndian.PutUint64(in[10:], MaxSnapshotPayload)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadSnapshot(bytes.NewReader(in))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrSnapshotCorrupt) {
		t.Fatal(err)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
		t.Fatalf("allocated %d bytes for a %d-byte input", d, len(in))
	}
}

func TestSaveLoadSnapshot(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.snap")
	l := testNetwork(t)
	if err := l.SaveSnapshot(path); err != nil {
		t.Fatal(err)
	}
	driveCalls(l, rand.New(rand.NewPCG(5, 6)), 50)
	if err := l.SaveSnapshot(path); err != nil { // over the old one
		t.Fatal(err)
	}
	got, err := LoadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.StateHash() != l.StateHash() {
		t.Fatal("the loaded ledger differs")
	}
	onlyFile(t, dir, "ledger.snap")
}

// onlyFile fails unless dir holds exactly the named entry: no temporary
// file was left behind.
func onlyFile(t *testing.T, dir, name string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].Name() != name {
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		t.Fatalf("directory holds %v, want only %s", names, name)
	}
}

func TestSaveSnapshotFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.snap")
	l := testNetwork(t)
	if err := l.SaveSnapshot(path); err != nil {
		t.Fatal(err)
	}
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	driveCalls(l, rand.New(rand.NewPCG(7, 8)), 50)
	boom := errors.New("write failed")
	for name, write := range map[string]func(io.Writer) error{
		"at once": func(io.Writer) error { return boom },
		"half way": func(w io.Writer) error {
			var b bytes.Buffer
			if err := l.WriteSnapshot(&b); err != nil {
				return err
			}
			if _, err := w.Write(b.Bytes()[:b.Len()/2]); err != nil {
				return err
			}
			return boom
		},
	} {
		if err := saveSnapshot(path, write); !errors.Is(err, boom) {
			t.Fatalf("%s: err = %v", name, err)
		}
		if now, err := os.ReadFile(path); err != nil || !bytes.Equal(now, old) {
			t.Fatalf("%s: the old snapshot changed (%v)", name, err)
		}
		onlyFile(t, dir, "ledger.snap")
	}

	// A parent that is a file: nothing can be created.
	if err := l.SaveSnapshot(filepath.Join(path, "child.snap")); err == nil {
		t.Fatal("saved under a file")
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, old) {
		t.Fatal("the file used as a parent changed")
	}
	onlyFile(t, dir, "ledger.snap")

	// A path that is a directory: the rename fails, the directory and its
	// contents stay, the temporary file goes.
	sub := filepath.Join(t.TempDir(), "taken")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "keep"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := l.SaveSnapshot(sub); err == nil {
		t.Fatal("saved over a directory")
	}
	onlyFile(t, filepath.Dir(sub), "taken")
	onlyFile(t, sub, "keep")
}

func TestLoadSnapshotRefuses(t *testing.T) {
	dir := t.TempDir()
	if l, err := LoadSnapshot(dir); l != nil || !errors.Is(err, ErrSnapshotForeign) {
		t.Fatalf("directory: %v", err)
	}
	if l, err := LoadSnapshot(filepath.Join(dir, "missing")); l != nil || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	foreign := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(foreign, []byte("hello, world\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if l, err := LoadSnapshot(foreign); l != nil || !errors.Is(err, ErrSnapshotForeign) {
		t.Fatalf("foreign file: %v", err)
	}
	// A sparse file one byte above the maximum is refused before a read.
	big := filepath.Join(dir, "big.snap")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(snapshotOf(t, testNetwork(t))); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxSnapshotSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if l, err := LoadSnapshot(big); l != nil || !errors.Is(err, ErrSnapshotTooLarge) {
		t.Fatalf("oversized file: %v", err)
	}
	// A truncated file.
	cut := filepath.Join(dir, "cut.snap")
	snap := snapshotOf(t, testNetwork(t))
	if err := os.WriteFile(cut, snap[:len(snap)-5], 0o644); err != nil {
		t.Fatal(err)
	}
	if l, err := LoadSnapshot(cut); l != nil || !errors.Is(err, ErrSnapshotCorrupt) {
		t.Fatalf("truncated file: %v", err)
	}
}

// Snapshots taken while calls run are of whole states: each restores to a
// ledger that passes CheckInvariants.
func TestWriteSnapshotConcurrent(t *testing.T) {
	l := testNetwork(t)
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Go(func() { driveCalls(l, rand.New(rand.NewPCG(uint64(g), 99)), 300) })
	}
	wg.Go(func() {
		for range 40 {
			var b bytes.Buffer
			if err := l.WriteSnapshot(&b); err != nil {
				t.Error(err)
				return
			}
			r, err := ReadSnapshot(&b)
			if err != nil {
				t.Error(err)
				return
			}
			if err := r.CheckInvariants(); err != nil {
				t.Error(err)
				return
			}
		}
	})
	wg.Wait()
}

func FuzzReadSnapshot(f *testing.F) {
	small, err := NewBuilder().ExistentialDeposit(1).Account(acctN(1), 10).Build()
	if err != nil {
		f.Fatal(err)
	}
	net := testNetwork(f)
	driveCalls(net, rand.New(rand.NewPCG(1, 1)), 40)
	full, err := NewLedger(fullGenesis(f))
	if err != nil {
		f.Fatal(err)
	}
	for _, l := range []*Ledger{small, testNetwork(f), net, full} {
		snap := snapshotOf(f, l)
		f.Add(snap)
		f.Add(payloadOf(snap)) // framed again by the target: explores the decoder
	}
	f.Add([]byte("DTAOSNAP"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// data as a whole file, then data as a payload behind a valid
		// header and checksum, which random bytes rarely reach.
		for _, in := range [][]byte{data, frame(SnapshotVersion, data)} {
			l, err := ReadSnapshot(bytes.NewReader(in))
			if err != nil {
				if l != nil {
					t.Fatal("a ledger with an error")
				}
				if !errors.Is(err, ErrSnapshotCorrupt) && !errors.Is(err, ErrSnapshotForeign) &&
					!errors.Is(err, ErrSnapshotVersion) && !errors.Is(err, ErrSnapshotTooLarge) {
					t.Fatalf("error wraps no sentinel: %v", err)
				}
				continue
			}
			if err := l.CheckInvariants(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(snapshotOf(t, l), in) {
				t.Fatal("the re-snapshot differs from the input")
			}
		}
	})
}

// The demand: snapshot → restore → continue gives the same state
// hash as never stopping, across blocks with epochs, and with the fields
// no block touches set (children, takes, root claims, rate limits).
func TestSnapshotRestoreContinueSteps(t *testing.T) {
	for name, mk := range map[string]func(t *testing.T) *Ledger{
		"stepped": func(t *testing.T) *Ledger { return steppedNetwork(t, 300) },
		"full": func(t *testing.T) *Ledger {
			g := fullGenesis(t)
			// The blocks here test restore-and-continue, not the childkey
			// burn: CKBurn back to its default.
			p := *g.Params
			p.CKBurn = DefaultParams().CKBurn
			g.Params = &p
			l, err := NewLedger(g)
			if err != nil {
				t.Fatal(err)
			}
			return l
		},
	} {
		t.Run(name, func(t *testing.T) {
			a := mk(t)
			restored, err := ReadSnapshot(bytes.NewReader(snapshotOf(t, a)))
			if err != nil {
				t.Fatal(err)
			}
			if restored.StateHash() != a.StateHash() {
				t.Fatal("the restored ledger has another StateHash")
			}
			start := a.StateHash()
			for i := range 400 {
				for _, l := range []*Ledger{a, restored} {
					if _, err := l.Step(); err != nil {
						t.Fatal(err)
					}
					if i%50 == 7 {
						hk := units.AccountID{0xb0, 1, byte(i % 3)}
						if _, err := l.AddStake(acctN(200), hk, 1, 2_000_000_000); err != nil {
							t.Fatal(err)
						}
					}
				}
				if i%50 == 49 {
					if restored.StateHash() != a.StateHash() {
						t.Fatalf("block %d: the restored ledger diverged", a.Block())
					}
					if err := a.CheckInvariants(); err != nil {
						t.Fatalf("block %d: %v", a.Block(), err)
					}
				}
			}
			if restored.StateHash() != a.StateHash() {
				t.Fatal("restore and continue differs from never stopping")
			}
			if a.StateHash() == start {
				t.Fatal("400 blocks changed nothing")
			}
			if err := restored.CheckInvariants(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A payload that decodes and builds a valid ledger but is not the
// canonical encoding of it (a list out of order) is refused.
func TestReadSnapshotRefusesNonCanonical(t *testing.T) {
	g := testNetwork(t).Genesis()
	slices.Reverse(g.Accounts)
	var e encoder
	encodeGenesis(&e, &g)
	if _, err := NewLedger(g); err != nil {
		t.Fatal(err)
	}
	l, err := ReadSnapshot(bytes.NewReader(frame(SnapshotVersion, e.buf)))
	if l != nil || !errors.Is(err, ErrSnapshotCorrupt) || !strings.Contains(err.Error(), "not the canonical encoding") {
		t.Fatalf("err = %v", err)
	}
	// An implicit default: a zero minimum stake.
	g = testNetwork(t).Genesis()
	g.MinStake = 0
	e = encoder{}
	encodeGenesis(&e, &g)
	if l, err := ReadSnapshot(bytes.NewReader(frame(SnapshotVersion, e.buf))); l != nil || !errors.Is(err, ErrSnapshotCorrupt) {
		t.Fatalf("err = %v", err)
	}
}
