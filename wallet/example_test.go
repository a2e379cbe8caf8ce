package wallet_test

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/dtao-go/dtao/units"
	"github.com/dtao-go/dtao/wallet"
)

// Load an existing btcli wallet, sign with its coldkey and print the
// address. The example first writes a wallet the way btcli lays it out, in
// a temporary directory instead of ~/.bittensor/wallets.
func ExampleWallet_Coldkey() {
	dir, _ := os.MkdirTemp("", "wallets")
	defer os.RemoveAll(dir)
	alice, _ := wallet.FromURI("//Alice")
	setup, _ := wallet.New("my-wallet", "", dir)
	_ = setup.SetColdkey(alice, wallet.WithPassword(wallet.Password("s3cret")))

	// What a Go service does: open the wallet by name, password from the
	// caller (an environment variable, a secret store...), never a prompt.
	w, err := wallet.New("my-wallet", "default", dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	cold, err := w.Coldkey(wallet.WithPassword(wallet.Password("s3cret")))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cold.Zero()
	msg := []byte("I own this coldkey")
	sig, _ := cold.Sign(msg)
	fmt.Println(cold.Address())
	ok, _ := wallet.VerifyAddress(cold.Address(), msg, sig[:])
	fmt.Println("verified:", ok)

	_, err = w.Coldkey(wallet.WithPassword(wallet.Password("guess")))
	fmt.Println(errors.Is(err, wallet.ErrWrongPassword))
	// Output:
	// 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
	// verified: true
	// true
}

// A validator machine holds coldkeypub.txt only: enough for addresses and
// verification.
func ExampleWallet_Coldkeypub() {
	dir, _ := os.MkdirTemp("", "wallets")
	defer os.RemoveAll(dir)
	w, _ := wallet.New("validator", "", dir)
	bob, _ := wallet.FromAddress("5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty")
	_ = w.SetColdkeypub(bob)

	pub, err := w.Coldkeypub()
	fmt.Println(pub.Address(), pub.HasSecret(), err)
	_, err = pub.Sign([]byte("x"))
	fmt.Println(err)
	// Output:
	// 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty false <nil>
	// wallet: key has no secret (public only)
}

func ExampleFromURI() {
	kp, err := wallet.FromURI("//Alice")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(kp.PublicKeyHex())
	fmt.Println(kp.Address())
	polkadot, _ := kp.AddressWithPrefix(0)
	fmt.Println(polkadot)
	fmt.Println(kp) // never the secret
	// Output:
	// 0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d
	// 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
	// 15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5
	// Keypair(sr25519 pair 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY)
}

func ExampleFromMnemonic() {
	kp, err := wallet.FromMnemonic("old leopard transfer rib spatial phone calm indicate online fire caution review", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(kp.Address())
	_, err = wallet.FromMnemonic("old leopard transfer rib spatial phone calm indicate online fire caution caution", "")
	fmt.Println(err)
	// Output:
	// 5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX
	// wallet: invalid secret phrase
}

func ExampleGenerateMnemonic() {
	phrase, _ := wallet.GenerateMnemonic(wallet.DefaultWords)
	fmt.Println(len(strings.Fields(phrase)), wallet.ValidateMnemonic(phrase))
	// Output: 12 <nil>
}

func ExampleDecodeSS58() {
	id, prefix, err := wallet.DecodeSS58("16ADqpMa4yzfmWs3nuTSMhfZ2ckeGtvqhPWCNqECEGDcGgU2")
	fmt.Println(prefix, err, wallet.Address(id))
	_, _, err = wallet.DecodeSS58("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ")
	var ce *units.ChainError
	if errors.As(err, &ce) {
		fmt.Println(ce.ChainName(), errors.Is(err, wallet.ErrInvalidChecksum))
	}
	// Output:
	// 0 <nil> 5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX
	// InvalidChecksum true
}

func ExampleVerifyWrapped() {
	alice, _ := wallet.FromURI("//Alice")
	msg := []byte("login nonce 42")
	// What a polkadot.js extension signs for signRaw:
	sig, _ := alice.Sign(wallet.WrapBytes(msg))
	fmt.Println(wallet.Verify(alice.AccountID(), msg, sig[:]), wallet.VerifyWrapped(alice.AccountID(), msg, sig[:]))
	// Output: false true
}
