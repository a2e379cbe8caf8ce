package dtao

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Snapshot format. A snapshot is
//
//	magic    8 bytes  "DTAOSNAP"
//	version  u16      SnapshotVersion, little-endian
//	length   u64      the payload's length in bytes, little-endian
//	payload  length   the canonical state encoding StateHash digests
//	checksum 32 bytes SHA-256 of the payload, which is the StateHash
//
// and nothing after it.
const (
	// SnapshotMagic opens every snapshot.
	SnapshotMagic = "DTAOSNAP"
	// SnapshotVersion is the format version WriteSnapshot writes and the
	// only one ReadSnapshot reads.
	SnapshotVersion uint16 = 1
	// MaxSnapshotPayload is the largest payload ReadSnapshot accepts: 1 GiB,
	// about 19 million stake entries.
	MaxSnapshotPayload = 1 << 30
	// MaxSnapshotSize is the largest snapshot LoadSnapshot opens: the
	// header, MaxSnapshotPayload and the checksum.
	MaxSnapshotSize = snapshotHeaderLen + MaxSnapshotPayload + sha256.Size

	snapshotHeaderLen = 8 + 2 + 8 // magic, version, length
)

// Errors of ReadSnapshot and LoadSnapshot, wrapped with the detail. A
// refused snapshot yields no ledger.
var (
	// ErrSnapshotForeign: the input is not a snapshot (a wrong magic, or
	// for LoadSnapshot a path that is not a regular file).
	ErrSnapshotForeign = errors.New("dtao: not a ledger snapshot")
	// ErrSnapshotVersion: a snapshot of a format version this package does
	// not read.
	ErrSnapshotVersion = errors.New("dtao: unsupported snapshot version")
	// ErrSnapshotTooLarge: a declared payload above MaxSnapshotPayload, or
	// a file above MaxSnapshotSize.
	ErrSnapshotTooLarge = errors.New("dtao: snapshot too large")
	// ErrSnapshotCorrupt: a truncated snapshot, a checksum mismatch,
	// trailing bytes, or a payload that is not the canonical encoding of a
	// state a ledger can hold (it also wraps ErrInvariant when
	// CheckInvariants refuses the state).
	ErrSnapshotCorrupt = errors.New("dtao: corrupt snapshot")
)

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrSnapshotCorrupt}, args...)...)
}

// WriteSnapshot writes the whole state to w in the snapshot format. It
// encodes the state under the read lock, so the snapshot never sees a
// half-applied call, and writes to w after releasing it. The payload is the
// encoding StateHash digests, so the checksum is the StateHash. The only
// errors are w's.
func (l *Ledger) WriteSnapshot(w io.Writer) error {
	var payload bytes.Buffer
	l.mu.RLock()
	l.encodeState(&payload)
	l.mu.RUnlock()

	var head [snapshotHeaderLen]byte
	copy(head[:], SnapshotMagic)
	binary.LittleEndian.PutUint16(head[8:], SnapshotVersion)
	binary.LittleEndian.PutUint64(head[10:], uint64(payload.Len()))
	sum := sha256.Sum256(payload.Bytes())
	for _, b := range [][]byte{head[:], payload.Bytes(), sum[:]} {
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("dtao: write snapshot: %w", err)
		}
	}
	return nil
}

// ReadSnapshot reads a snapshot written by WriteSnapshot and returns a new
// ledger holding its state. It reads r to its end and refuses, with an
// error wrapping ErrSnapshotForeign, ErrSnapshotVersion,
// ErrSnapshotTooLarge or ErrSnapshotCorrupt: a wrong magic, a version other
// than SnapshotVersion, a declared payload above MaxSnapshotPayload, a
// truncated input, a checksum mismatch, bytes after the checksum, and a
// payload that is not the canonical encoding of a state that NewLedger
// could build and calls could reach (lists sorted and without duplicates,
// flags 0 or 1, every value in its type's range, non-zero existential
// deposit and minimum stake, a stable root pool, an owned subnet owner
// hotkey, share pools without empty entries) or that CheckInvariants
// refuses. A read error of r is returned wrapped. The memory it allocates
// is bounded by the bytes r actually yields, never by the declared length
// alone. It never returns a partly loaded ledger.
func ReadSnapshot(r io.Reader) (*Ledger, error) {
	var head [snapshotHeaderLen]byte
	n, err := io.ReadFull(r, head[:len(SnapshotMagic)])
	if string(head[:n]) != SnapshotMagic[:n] {
		return nil, fmt.Errorf("%w: magic %q", ErrSnapshotForeign, head[:n])
	}
	if err != nil {
		return nil, readErr("the magic", err)
	}
	if _, err := io.ReadFull(r, head[len(SnapshotMagic):]); err != nil {
		return nil, readErr("the header", err)
	}
	if v := binary.LittleEndian.Uint16(head[8:]); v != SnapshotVersion {
		return nil, fmt.Errorf("%w: version %d, this package reads version %d", ErrSnapshotVersion, v, SnapshotVersion)
	}
	length := binary.LittleEndian.Uint64(head[10:])
	if length > MaxSnapshotPayload {
		return nil, fmt.Errorf("%w: payload of %d bytes declared, the maximum is %d",
			ErrSnapshotTooLarge, length, MaxSnapshotPayload)
	}
	// bytes.Buffer grows with the data that arrives, not with length.
	var payload bytes.Buffer
	if _, err := io.CopyN(&payload, r, int64(length)); err != nil {
		return nil, readErr(fmt.Sprintf("the payload (%d of %d bytes)", payload.Len(), length), err)
	}
	var sum [sha256.Size]byte
	if _, err := io.ReadFull(r, sum[:]); err != nil {
		return nil, readErr("the checksum", err)
	}
	var extra [1]byte
	if n, err := io.ReadFull(r, extra[:]); n > 0 {
		return nil, corrupt("bytes after the checksum")
	} else if err != io.EOF {
		return nil, fmt.Errorf("dtao: read snapshot: %w", err)
	}
	if sha256.Sum256(payload.Bytes()) != sum {
		return nil, corrupt("checksum mismatch")
	}
	l, err := decodeState(payload.Bytes())
	if err != nil {
		return nil, err
	}
	return l, nil
}

// readErr turns an end of input into a truncation and wraps any other
// read error.
func readErr(what string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return corrupt("truncated in %s", what)
	}
	return fmt.Errorf("dtao: read snapshot: %s: %w", what, err)
}

// SaveSnapshot writes the snapshot to path atomically: to a temporary file
// in the same directory (readable by its owner only), synced, renamed over
// path, and the directory synced. On an error before the rename, path is
// untouched and the temporary file removed; an error syncing the directory
// after the rename means the new snapshot is in place but its durability
// is not confirmed.
func (l *Ledger) SaveSnapshot(path string) error {
	return saveSnapshot(path, l.WriteSnapshot)
}

// saveSnapshot is SaveSnapshot with the writer given, so that a test can
// make the write fail.
func saveSnapshot(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("dtao: save snapshot %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			err = fmt.Errorf("dtao: save snapshot %s: %w", path, err)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("dtao: save snapshot %s: renamed, but syncing the directory failed: %w", path, err)
	}
	return nil
}

// syncDir makes a rename in dir durable. Windows cannot sync a directory;
// its rename is durable when MoveFileEx returns.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// LoadSnapshot reads the snapshot at path with ReadSnapshot. It opens only
// a regular file (a symbolic link to one included), refusing anything else
// with ErrSnapshotForeign, and one above MaxSnapshotSize with
// ErrSnapshotTooLarge.
func LoadSnapshot(path string) (*Ledger, error) {
	// Stat first: opening a FIFO would block.
	if fi, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("dtao: load snapshot: %w", err)
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file (%v)", ErrSnapshotForeign, path, fi.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dtao: load snapshot: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("dtao: load snapshot: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file (%v)", ErrSnapshotForeign, path, fi.Mode().Type())
	}
	if fi.Size() > MaxSnapshotSize {
		return nil, fmt.Errorf("%w: %s holds %d bytes, the maximum is %d", ErrSnapshotTooLarge, path, fi.Size(), MaxSnapshotSize)
	}
	// The limit holds a file that grows while it is read to the maximum.
	l, err := ReadSnapshot(bufio.NewReaderSize(io.LimitReader(f, MaxSnapshotSize+1), 1<<16))
	if err != nil {
		return nil, fmt.Errorf("load snapshot %s: %w", path, err)
	}
	return l, nil
}

// decoder reads the canonical encoding; the first error sticks and every
// later read returns zero values.
type decoder struct {
	b   []byte
	n   int // the payload's length
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = corrupt("payload byte %d: "+format, append([]any{d.n - len(d.b)}, args...)...)
	}
}

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if len(d.b) < n {
		d.fail("%d bytes needed", n)
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) u64() uint64 {
	if b := d.take(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func (d *decoder) bool(what string) bool {
	v := d.u64()
	if v > 1 {
		d.fail("%s is %d, not 0 or 1", what, v)
	}
	return v == 1
}

func (d *decoder) u16(what string) uint16 {
	v := d.u64()
	if v > 0xffff {
		d.fail("%s %d above 65535", what, v)
	}
	return uint16(v)
}

func (d *decoder) account() units.AccountID {
	var a units.AccountID
	copy(a[:], d.take(len(a)))
	return a
}

func (d *decoder) safeFloat(what string) fixed.SafeFloat {
	hi, lo, exp := d.u64(), d.u64(), int64(d.u64())
	x, ok := fixed.SafeFloatFromParts(hi, lo, exp)
	if !ok && d.err == nil {
		d.fail("%s is not a normalised SafeFloat", what)
	}
	return x
}

// count reads a list length and refuses one that the remaining bytes
// cannot hold at entry bytes an element, which bounds every allocation by
// the payload's size.
func (d *decoder) count(what string, entry int) int {
	n := d.u64()
	if d.err == nil && n > uint64(len(d.b)/entry) {
		d.fail("%d %s declared, the remaining bytes hold at most %d", n, what, len(d.b)/entry)
		return 0
	}
	return int(n)
}

// The smallest encoded size of a list element.
const (
	accountEntryLen = 32 + 8
	ownerEntryLen   = 32 + 32
	subnetEntryLen  = 8 + 32 + 32 + 8*8 + 8 + 8 + 8
	stakeEntryLen   = 8 + 32 + 8 + 24 + 8
	holderEntryLen  = 32 + 24
)

// decodeState is the inverse of encodeState: it accepts exactly the
// encodings encodeState can produce from a ledger that passes
// CheckInvariants, so that a decoded ledger re-encodes to the same bytes.
func decodeState(payload []byte) (*Ledger, error) {
	d := &decoder{b: payload, n: len(payload)}
	if tag := d.take(len(stateHashTag)); d.err == nil && string(tag) != stateHashTag {
		return nil, corrupt("payload tag %q, want %q", tag, stateHashTag)
	}
	l := &Ledger{
		block:     d.u64(),
		ed:        units.TAO(d.u64()),
		minStake:  units.TAO(d.u64()),
		hasAuthor: d.bool("HasBlockAuthor"),
		author:    d.account(),
	}
	l.totalIssuance = units.TAO(d.u64())
	l.totalStake = units.TAO(d.u64())
	if d.err == nil && (l.ed == 0 || l.minStake == 0) {
		return nil, corrupt("a zero existential deposit or minimum stake")
	}

	n := d.count("accounts", accountEntryLen)
	l.balances = make(map[units.AccountID]units.TAO, n)
	var prev units.AccountID
	for i := range n {
		a := d.account()
		if i > 0 && d.err == nil && bytes.Compare(prev[:], a[:]) >= 0 {
			d.fail("account %d out of order", i)
		}
		prev = a
		l.balances[a] = units.TAO(d.u64())
	}

	n = d.count("Owner entries", ownerEntryLen)
	l.owner = make(map[units.AccountID]units.AccountID, n)
	for i := range n {
		h := d.account()
		if i > 0 && d.err == nil && bytes.Compare(prev[:], h[:]) >= 0 {
			d.fail("Owner entry %d out of order", i)
		}
		prev = h
		l.owner[h] = d.account()
	}

	n = d.count("subnets", subnetEntryLen)
	var prevID units.NetUID
	l.subnets = make(map[units.NetUID]*SubnetState, n)
	for i := range n {
		id := units.NetUID(d.u16("netuid"))
		if i > 0 && d.err == nil && id <= prevID {
			d.fail("subnet %d (netuid %d) out of order", i, id)
		}
		prevID = id
		s := &SubnetState{NetUID: id, Owner: d.account(), OwnerHotkey: d.account()}
		s.Pool = amm.Pool{
			TAO:         units.TAO(d.u64()),
			AlphaIn:     units.Alpha(d.u64()),
			AlphaOut:    units.Alpha(d.u64()),
			QuoteWeight: fixed.Perquintill(d.u64()),
			FeeRate:     d.u16("FeeRate"),
			Mechanism:   amm.Mechanism(d.u16("Mechanism")),
			Initialized: d.bool("Initialized"),
			MinReserve:  d.u64(),
		}
		s.SubtokenEnabled = d.bool("SubtokenEnabled")
		s.AlphaBurned = units.Alpha(d.u64())
		s.TaoFlow = int64(d.u64())
		if d.err != nil {
			break
		}
		if id == RootNetUID && s.Pool.Mechanism != amm.Stable {
			d.fail("the root subnet's pool is not stable")
		}
		if s.OwnerHotkey != (units.AccountID{}) {
			if c, ok := l.owner[s.OwnerHotkey]; !ok || c != s.Owner {
				d.fail("netuid %d: OwnerHotkey is not owned by the subnet's owner", id)
			}
		}
		l.subnets[id] = s
	}

	n = d.count("share pools", stakeEntryLen)
	l.stake = make(map[stakeKey]*SharePool, n)
	var prevKey stakeKey
	for i := range n {
		k := stakeKey{netuid: units.NetUID(d.u16("share pool netuid"))}
		k.hotkey = d.account()
		if i > 0 && d.err == nil && prevKey.cmp(k) >= 0 {
			d.fail("share pool %d out of order", i)
		}
		prevKey = k
		p := &SharePool{value: units.Alpha(d.u64()), denom: d.safeFloat("TotalHotkeySharesV2")}
		m := d.count("AlphaV2 entries", holderEntryLen)
		p.entries = make([]shareEntry, 0, m)
		for j := range m {
			c := d.account()
			if j > 0 && d.err == nil && bytes.Compare(p.entries[j-1].coldkey[:], c[:]) >= 0 {
				d.fail("share pool %d: coldkey %d out of order", i, j)
			}
			s := d.safeFloat("AlphaV2")
			if d.err != nil {
				break
			}
			if s.IsZero() {
				d.fail("share pool %d: coldkey %d has a zero share", i, j)
			}
			p.entries = append(p.entries, shareEntry{c, s})
		}
		if d.err != nil {
			break
		}
		if p.isEmpty() {
			d.fail("share pool %d is empty", i)
		}
		l.stake[k] = p
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, corrupt("%d bytes after the state in the payload", len(d.b))
	}
	if err := l.checkInvariants(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSnapshotCorrupt, err)
	}
	return l, nil
}
