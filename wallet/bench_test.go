package wallet

import (
	"testing"

	"github.com/dtao-go/dtao/units"
)

func BenchmarkEncodeSS58(b *testing.B) {
	id := units.AccountID{1, 2, 3}
	b.ReportAllocs()
	for b.Loop() {
		sinkStr, sinkErr = EncodeSS58(id, 42)
	}
}

func BenchmarkDecodeSS58(b *testing.B) {
	s := "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
	b.ReportAllocs()
	for b.Loop() {
		sinkID, _, sinkErr = DecodeSS58(s)
	}
}

func BenchmarkSign(b *testing.B) {
	kp, err := FromURI("//Alice")
	if err != nil {
		b.Fatal(err)
	}
	msg := []byte("benchmark message")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kp.Sign(msg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	kp, err := FromURI("//Alice")
	if err != nil {
		b.Fatal(err)
	}
	msg := []byte("benchmark message")
	sig, _ := kp.Sign(msg)
	id := kp.AccountID()
	b.ReportAllocs()
	for b.Loop() {
		if !Verify(id, msg, sig[:]) {
			b.Fatal("verify")
		}
	}
}

func BenchmarkFromMnemonic(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromMnemonic(DevPhrase, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFromURIHardPath(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromURI("//Alice//stash"); err != nil {
			b.Fatal(err)
		}
	}
}
