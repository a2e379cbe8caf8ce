// Command wallet walks a key through its life: create it, encrypt it into
// a keyfile as btcli writes one, load it back with the password, sign a
// message and verify the signature against the address alone, as a
// service does with an operator's hotkey.
//
//	go run ./examples/wallet          # the development account //Alice
//	go run ./examples/wallet -fresh   # a new key from a fresh mnemonic
//
// By default the key is //Alice, derived from the public development seed
// (wallet.DevPhrase), so the address printed is always the same; -fresh
// generates a 12-word mnemonic instead. Neither the mnemonic nor any
// secret is printed: a Keypair prints only its scheme and address.
//
// The keyfile is btwallet's $NACL format, written to a temporary directory
// that is removed at exit. Its key derivation (argon2i, 8 passes over 512
// MiB) takes seconds by design, so this program derives the key once
// (wallet.NaClKey) and uses it both ways; wallet.WriteKeyfile and
// wallet.ReadKeyfile, or a Wallet directory's SetColdkey and Coldkey, do
// the same in one call each, deriving every time.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/dtao-go/dtao/wallet"
)

func main() {
	log.SetFlags(0)
	fresh := flag.Bool("fresh", false, "create the key from a fresh 12-word mnemonic instead of //Alice")
	flag.Parse()

	// Create.
	var kp *wallet.Keypair
	var err error
	if *fresh {
		phrase, err := wallet.GenerateMnemonic(wallet.DefaultWords)
		if err != nil {
			log.Fatal(err)
		}
		kp, err = wallet.FromMnemonic(phrase, "")
		if err != nil {
			log.Fatal(err)
		}
	} else if kp, err = wallet.FromURI("//Alice"); err != nil {
		log.Fatal(err)
	}
	defer kp.Zero()
	fmt.Println("address:", kp.Address())

	// Encrypt into a keyfile, readable only by its owner.
	dir, err := os.MkdirTemp("", "dtao-wallet-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	password := []byte("correct horse battery staple")
	key := wallet.NaClKey(password)
	plain, err := wallet.MarshalKeyfile(kp)
	if err != nil {
		log.Fatal(err)
	}
	sealed, err := wallet.EncryptNaClWithKey(plain, &key)
	clear(plain)
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "coldkey")
	if err := os.WriteFile(path, sealed, 0o600); err != nil {
		log.Fatal(err)
	}

	// Load it back with the password's key.
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("keyfile encryption:", wallet.DetectEncryption(data))
	opened, err := wallet.DecryptNaClWithKey(data, &key)
	if err != nil {
		log.Fatal(err) // wallet.ErrWrongPassword for another password
	}
	loaded, err := wallet.UnmarshalKeyfile(opened)
	clear(opened)
	if err != nil {
		log.Fatal(err)
	}
	defer loaded.Zero()
	fmt.Println("loaded back, same address:", loaded.Address() == kp.Address())

	// Sign with the loaded key; anyone verifies with the address alone.
	msg := []byte("weights for epoch 4242")
	sig, err := loaded.Sign(msg)
	if err != nil {
		log.Fatal(err)
	}
	ok, err := wallet.VerifyAddress(kp.Address(), msg, sig[:])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signature verifies:", ok)
	forged, err := wallet.VerifyAddress(kp.Address(), bytes.ToUpper(msg), sig[:])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("same signature on another message verifies:", forged)
}
