package units

// ChainError is the one error type of the module for failures the chain
// itself has a name for: every package declares its chain errors as
// *ChainError sentinels (amm.ErrReservesTooLow, wallet.ErrBadBase58, ...),
// so that a caller can test a single error with errors.Is and any of them
// with errors.As:
//
//	var ce *units.ChainError
//	if errors.As(err, &ce) {
//		log.Printf("the chain would say %s", ce.ChainName())
//	}
//
// Error returns the package-prefixed message ("amm: price limit exceeded");
// ChainName returns the name of the error as the chain spells it
// ("PriceLimitExceeded"), which is also what the conformance runner prints.
// A ChainError is immutable: sentinels are compared by identity, and
// returning one never allocates.
type ChainError struct {
	pkg, name, msg string
}

// NewChainError returns a new sentinel for the package pkg (the prefix of
// its message), the chain's error name and a human message. It is meant for
// package-level var declarations.
func NewChainError(pkg, name, msg string) *ChainError {
	return &ChainError{pkg: pkg, name: name, msg: msg}
}

// Error returns "pkg: msg".
func (e *ChainError) Error() string { return e.pkg + ": " + e.msg }

// ChainName returns the chain's name for the error.
func (e *ChainError) ChainName() string { return e.name }

// ChainNamer is implemented by every error that carries a chain error name:
// *ChainError, and any wrapper a caller defines around one.
type ChainNamer interface {
	error
	ChainName() string
}

// ChainName returns the chain's name of the first error in err's tree that
// has one, in the order errors.As searches (depth first, through Unwrap()
// error and Unwrap() []error), or "" when none has. Unlike errors.As with an
// interface target, it does not allocate.
func ChainName(err error) string {
	for err != nil {
		if n, ok := err.(ChainNamer); ok {
			return n.ChainName()
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if name := ChainName(e); name != "" {
					return name
				}
			}
			return ""
		default:
			return ""
		}
	}
	return ""
}
