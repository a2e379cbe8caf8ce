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
	"slices"
)

// Snapshot format. A snapshot is
//
//	magic    8 bytes  "DTAOSNAP"
//	version  u16      SnapshotVersion, little-endian
//	length   u64      the payload's length in bytes, little-endian
//	payload  length   the canonical encoding of Ledger.Genesis, which
//	                  StateHash digests (genesis_codec.go)
//	checksum 32 bytes SHA-256 of the payload, which is the StateHash
//
// and nothing after it.
const (
	// SnapshotMagic opens every snapshot.
	SnapshotMagic = "DTAOSNAP"
	// SnapshotVersion is the format version WriteSnapshot writes and the
	// only one ReadSnapshot reads.
	SnapshotVersion uint16 = 2
	// MaxSnapshotPayload is the largest payload ReadSnapshot accepts: 1 GiB,
	// about 15 million AlphaV2 entries.
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
	// not read, or whose payload was written by a build with another
	// GenesisConfig layout.
	ErrSnapshotVersion = errors.New("dtao: unsupported snapshot version")
	// ErrSnapshotTooLarge: a declared payload above MaxSnapshotPayload, or
	// a file above MaxSnapshotSize.
	ErrSnapshotTooLarge = errors.New("dtao: snapshot too large")
	// ErrSnapshotCorrupt: a truncated snapshot, a checksum mismatch,
	// trailing bytes, or a payload that is not the canonical encoding of a
	// state a ledger can hold (it then also wraps NewLedger's error:
	// ErrInvalidGenesis, and ErrInvariant when CheckInvariants refuses the
	// state).
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
	// The payload is gathered in chunks, which spares copying one growing
	// buffer: the header needs its length before it is written.
	var payload chunks
	l.mu.RLock()
	l.encodeState(&payload)
	l.mu.RUnlock()

	var head [snapshotHeaderLen]byte
	copy(head[:], SnapshotMagic)
	binary.LittleEndian.PutUint16(head[8:], SnapshotVersion)
	binary.LittleEndian.PutUint64(head[10:], uint64(payload.n))
	h := sha256.New()
	for _, c := range payload.list {
		h.Write(c)
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	for _, b := range slices.Concat([][]byte{head[:]}, payload.list, [][]byte{sum[:]}) {
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("dtao: write snapshot: %w", err)
		}
	}
	return nil
}

// chunks keeps a copy of each write.
type chunks struct {
	list [][]byte
	n    int
}

func (c *chunks) Write(p []byte) (int, error) {
	c.list = append(c.list, slices.Clone(p))
	c.n += len(p)
	return len(p), nil
}

// sameBytes compares what is written to want, recording whether it all
// matched and where it first differed.
type sameBytes struct {
	want    []byte
	off     int
	differs int // -1 while everything matched
}

func (s *sameBytes) Write(p []byte) (int, error) {
	if s.differs < 0 {
		rest := s.want[s.off:]
		for i := range p {
			if i >= len(rest) || rest[i] != p[i] {
				s.differs = s.off + i
				break
			}
		}
	}
	s.off += len(p)
	return len(p), nil
}

// ReadSnapshot reads a snapshot written by WriteSnapshot and returns a new
// ledger holding its state: the payload decoded into a GenesisConfig and
// given to NewLedger, which validates it whole. It reads r to its end and
// refuses, with an error wrapping ErrSnapshotForeign, ErrSnapshotVersion,
// ErrSnapshotTooLarge or ErrSnapshotCorrupt: a wrong magic, a version other
// than SnapshotVersion or a payload tag of another GenesisConfig layout
// (ErrSnapshotVersion), a declared payload above MaxSnapshotPayload, a
// truncated input, a checksum mismatch, bytes after the checksum, a
// payload that does not decode (flags other than 0 or 1, a SafeFloat not
// normalised, a list longer than the bytes left), a state NewLedger
// refuses (the error wraps NewLedger's: ErrInvalidGenesis, and
// ErrInvariant when CheckInvariants refuses the state), and a payload
// that is not the canonical encoding of its state (unsorted lists,
// defaults left implicit), so that a ledger read re-encodes to the same
// bytes. A read error of r is returned wrapped. The memory it allocates
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
	// Read in chunks as large as what arrived so far (from 64 KiB to at
	// most 4 MiB), so that memory grows with the data that arrives, not
	// with length, then join them once.
	var parts [][]byte
	for got := uint64(0); got < length; {
		c := make([]byte, min(length-got, max(64<<10, min(got, 4<<20))))
		n, err := io.ReadFull(r, c)
		got += uint64(n)
		if err != nil {
			return nil, readErr(fmt.Sprintf("the payload (%d of %d bytes)", got, length), err)
		}
		parts = append(parts, c)
	}
	payload := bytes.NewBuffer(slices.Concat(parts...))
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
	return ledgerFromPayload(payload.Bytes())
}

// ledgerFromPayload decodes a payload, builds its ledger with NewLedger
// (which validates the state whole) and accepts it only when the ledger
// encodes back to the same bytes: the payload was canonical.
func ledgerFromPayload(payload []byte) (*Ledger, error) {
	g, err := decodeGenesis(payload)
	if err != nil {
		return nil, err
	}
	l, err := NewLedger(g)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSnapshotCorrupt, err)
	}
	cmp := &sameBytes{want: payload, differs: -1}
	l.encodeState(cmp)
	if cmp.differs < 0 && cmp.off != len(payload) {
		cmp.differs = min(cmp.off, len(payload))
	}
	if cmp.differs >= 0 {
		return nil, corrupt("the payload is not the canonical encoding of its state (it differs from byte %d on: unsorted lists or defaults left implicit)", cmp.differs)
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
