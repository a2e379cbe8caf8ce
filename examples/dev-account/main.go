// Command dev-account derives the well-known development account //Alice,
// prints its address, signs a message and verifies the signature against
// the address alone, as a service does with an operator's hotkey.
package main

import (
	"fmt"
	"log"

	"github.com/dtao-go/dtao/wallet"
)

func main() {
	alice, err := wallet.FromURI("//Alice")
	if err != nil {
		log.Fatal(err)
	}
	defer alice.Zero()
	fmt.Println("address:", alice.Address())

	msg := []byte("weights for epoch 4242")
	sig, err := alice.Sign(msg)
	if err != nil {
		log.Fatal(err)
	}
	ok, err := wallet.VerifyAddress(alice.Address(), msg, sig[:])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signature verifies:", ok)
}
