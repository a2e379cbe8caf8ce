// Package wallet holds Bittensor keys: sr25519 (and ed25519) key pairs,
// BIP39 mnemonics, secret URIs with derivation paths, SS58 addresses,
// signing, and the keyfiles and wallet directories that btcli and the
// Python bittensor-wallet (btwallet) read and write.
//
// # Loading an existing btcli wallet, signing, printing the address
//
//	w, err := wallet.New("my-wallet", "my-hotkey", "") // "" = ~/.bittensor/wallets
//	if err != nil { ... }
//	// The coldkey is encrypted ($NACL); the password comes from the caller,
//	// here from btwallet's BT_PW_... variable, else a fixed value.
//	cold, err := w.Coldkey(wallet.WithPassword(wallet.FirstPassword(
//		wallet.EnvPassword(), wallet.Password(os.Getenv("MY_PW")))))
//	if err != nil { ... } // wallet.ErrWrongPassword, wallet.ErrNoPassword, ...
//	defer cold.Zero()
//	sig, err := cold.Sign([]byte("hello"))
//	fmt.Println(cold.Address())         // 5..., SS58 with prefix 42
//	ok, _ := wallet.VerifyAddress(cold.Address(), []byte("hello"), sig[:])
//
// A machine that holds only coldkeypub.txt uses [Wallet.Coldkeypub]: a
// public-only [Keypair] verifies, derives soft paths and prints addresses;
// only Sign needs the secret ([ErrNoSecret]). Hotkeys are plaintext by
// default ([Wallet.Hotkey]).
//
// # Compatibility
//
//   - Mnemonic to key follows substrate-bip39 (PBKDF2 over the BIP39
//     entropy, not the sentence), then schnorrkel's Ed25519-mode expansion,
//     as sp-core does. Secret URIs follow sp-core's parser: "//" hard, "/"
//     soft, "///" password, DevPhrase when the URI starts with a path.
//   - Signing uses the "substrate" context and the schnorrkel marker bit;
//     signatures are randomized (no two are equal; all verify).
//     [VerifyWrapped] also accepts "<Bytes>…</Bytes>" signatures
//     (polkadot.js signRaw), as btwallet's verify does;
//     [VerifyWrappedEd25519] is the same for ed25519. [WrapBytes] is
//     polkadot.js's u8aWrapBytes: a message already wrapped is left as is.
//   - polkadot.js exports ([FromPolkadotJSON]) open as polkadot.js 14 opens
//     them: sr25519 and ed25519, encrypted or not ("type": ["none"]), with
//     scrypt bounded to what polkadot.js itself writes and reads (N ≤ 2^17,
//     r ≤ 16, p ≤ 4, 128 MiB; [ErrKDFCost] beyond).
//   - Keyfiles: plaintext JSON in either writer's shape, $NACL (argon2i
//     8 passes × 512 MiB, fixed salt, XSalsa20-Poly1305), Ansible Vault 1.1
//     and Fernet are read; plaintext and $NACL are written. Files are
//     created 0600 and written atomically (the directory synced after the
//     rename); a key and its public file are written together, so a failed
//     write changes neither. Keyfiles are read only from regular files of at
//     most [MaxKeyfileSize] bytes. The $NACL key derivation takes
//     seconds and 512 MiB by design; derive once with [NaClKey] to handle
//     many files. Fernet files are decrypted correctly, which btwallet 4.0.0
//     cannot do.
//   - A soft-derived secret key gets the nonce blake2b-256(nonce ‖ chain
//     code) where Rust draws a random one: same public key and signatures,
//     reproducible privateKey bytes.
//   - SS58 encoding refuses prefixes above 16383 and the reserved 46 and
//     47 (as polkadot.js), where sp-core masks or encodes them;
//     [EncodeSS58Any] reproduces sp-core. Decoding has no length limit, as
//     sp-core's: long text is BadLength or InvalidPrefix, never BadBase58
//     unless a character is outside the alphabet.
//   - A "0x" seed in a secret URI is read as sp-core reads it (array-bytes'
//     hex2bytes), which strips one more "0x": "0x0x<64 hex>" is that seed.
//
// # Conventions
//
// Units: keys and accounts are bytes; [units.AccountID] (a [32]byte) is the
// account the ledger uses and Bittensor's address is its SS58 form with
// prefix 42. There is no rounding anywhere in this package.
//
// Zero values: the zero AccountID is a valid account (the all-zero key,
// 5C4hrfjw…). A zero Keypair is the public-only sr25519 key of that
// account; Keypairs normally come from the From* constructors.
//
// Aliasing: functions copy what they keep; returned arrays are copies.
// Secret material lives in the Keypair and is overwritten by Zero; Go may
// still hold copies the package cannot reach (strings, moved memory), so
// zeroing is best effort.
//
// Concurrency: functions are safe for concurrent use; a Keypair is safe for
// concurrent reads, and Zero must not race with its other methods. Wallet
// methods touch the file system without locking; concurrent writers to the
// same wallet see whole files (atomic rename) but the last writer wins.
//
// Errors: exported sentinels usable with errors.Is, wrapped with context;
// no input makes a function panic. A nil *Keypair, *Wallet or key argument
// is [ErrNilArgument]; only methods called on a nil *Keypair (and the path
// methods of a nil *Wallet) panic, as documented on those types. Wallet
// names are checked at every read and write ([ErrInvalidName]), also for a
// Wallet built as a struct literal.
// The sentinels are *units.ChainError values, the module's one chain-error
// type: errors.As reaches them through any wrapping, and their ChainName
// (units.ChainName(err) on a wrapped one) is the name sp-core or btwallet
// gives the error (BadBase58, InvalidChecksum, InvalidPhrase, InvalidPath,
// SoftKeyInPath, DecryptionError, ...). A wrong password is always an error
// and never yields a key; a failed write leaves existing files unchanged.
// Nothing in the package prompts, prints or reads a terminal: passwords come
// from a [PasswordSource] the caller chooses.
//
// Secrets never print: a Keypair's String, GoString and Format show only
// the scheme and the address, for every fmt verb, and the secret is held
// where no reflection reaches it, so a Keypair inside any struct (exported
// field or not, by value or by pointer), slice, map or interface prints no
// secret byte under any verb, and encoding/json, encoding/xml and
// encoding/gob see no field of it.
package wallet
