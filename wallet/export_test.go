package wallet

import (
	"os"
	"sync"
	"testing"
)

// The real key derivations cost seconds and 512 MiB ($NACL argon2i) or
// 10,000,000 PBKDF2 rounds (Fernet), and far more under -race. Tests run
// everything at a low cost, except the few that check the documented
// parameters: those pass the real cost explicitly (naclRealCost,
// realFernetIterations) and run in parallel with the rest, and the
// derivations are memoized per (password, cost) for the whole test binary,
// so each real derivation runs once (two argon2, one PBKDF2 in all).
var testLowNaCl = kdfCost{time: 1, memory: 64}

const (
	testLowFernetIterations = 1000
	realFernetIterations    = 10_000_000
)

type memoKey struct {
	pw    string
	cost  kdfCost
	iters int
}

type memoEntry struct {
	once sync.Once
	v    []byte
	err  error
}

var (
	memoMu sync.Mutex
	memo   = map[memoKey]*memoEntry{}
)

// memoized runs f once per key; concurrent callers of other keys are not
// blocked while it runs.
func memoized(k memoKey, f func() ([]byte, error)) ([]byte, error) {
	memoMu.Lock()
	e, ok := memo[k]
	if !ok {
		e = &memoEntry{}
		memo[k] = e
	}
	memoMu.Unlock()
	e.once.Do(func() { e.v, e.err = f() })
	if e.err != nil {
		return nil, e.err
	}
	return append([]byte(nil), e.v...), nil
}

func TestMain(m *testing.M) {
	realArgon, realFernet := argon2iKey, fernetKDF
	argon2iKey = func(password, salt []byte, c kdfCost) []byte {
		v, _ := memoized(memoKey{pw: string(password) + "\x00" + string(salt), cost: c}, func() ([]byte, error) {
			return realArgon(password, salt, c), nil
		})
		return v
	}
	fernetKDF = func(password []byte, iterations int) ([]byte, error) {
		return memoized(memoKey{pw: string(password), iters: iterations}, func() ([]byte, error) {
			return realFernet(password, iterations)
		})
	}
	naclCost = testLowNaCl
	fernetIterations = testLowFernetIterations
	os.Exit(m.Run())
}
