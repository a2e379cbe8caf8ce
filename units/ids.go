package units

// NetUID identifies a subnet (the chain's NetUid, a u16). Netuid 0 is the
// root subnet.
type NetUID uint16

// UID is a neuron's position inside one subnet (the chain's u16 uid).
type UID uint16

// AccountID is a 32-byte Substrate account: an sr25519 or ed25519 public
// key. Package wallet adds SS58 encoding and key handling around it; the
// ledger uses it as a map key.
type AccountID [32]byte
