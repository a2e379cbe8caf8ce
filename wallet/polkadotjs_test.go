package wallet

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// btwallet tests/test_common_calls.py: a polkadot.js export, password
// "Password123", address 5CuByUQ....
const polkadotExport = `{"encoded":"Z1yzxASuj21ej3CANbZKc3ibDaOpQPMahTT0qkniyZgAgAAAAQAAAAgAAACSDgflXWKXrX36EmX9XcA6cRpkN+oZX30/9FhtNP17krIG/yHLKmDnL1km1W/nZ+BpC7Qid6IuBvbZeboFyewFeXsKtcoY/bRY6nx/cLB5BND9WpXXS6Enf4RXAX7vPu/BY+o2z7VwPaXyFARfyPTiqJKqLDJWm3W5ZlvK0ks8FBv66mWEBYc+lLx8jvuzDNkdD3pnV3G802OwwHTy","encoding":{"content":["pkcs8","sr25519"],"type":["scrypt","xsalsa20-poly1305"],"version":"3"},"address":"5CuByUQBWZci5AtXonuHHhcbRL3yxM5xDdJsTNaYN3vPDY6f","meta":{"genesisHash":null,"name":"test","whenCreated":1727395683981}}`

func TestFromPolkadotJSON(t *testing.T) {
	t.Parallel()
	start := time.Now()
	kp, err := FromPolkadotJSON([]byte(polkadotExport), "Password123")
	t.Log("scrypt import:", time.Since(start))
	require.NoError(t, err)
	assert.Equal(t, "5CuByUQBWZci5AtXonuHHhcbRL3yxM5xDdJsTNaYN3vPDY6f", kp.Address())
	assert.True(t, kp.HasSecret())
	// The converted secret is canonical and round-trips through a keyfile.
	data, err := MarshalKeyfile(kp)
	require.NoError(t, err)
	back, err := UnmarshalKeyfile(data)
	require.NoError(t, err)
	assert.Equal(t, kp.AccountID(), back.AccountID())

	_, err = FromPolkadotJSON([]byte(polkadotExport), "Password124")
	assert.ErrorIs(t, err, ErrWrongPassword)
	_, err = FromPolkadotJSON([]byte(strings.Replace(polkadotExport, `"version":"3"`, `"version":"2"`, 1)), "Password123")
	assert.ErrorIs(t, err, ErrDeserialization)
	_, err = FromPolkadotJSON([]byte(`{"encoded":"AA==","encoding":{"content":["sr25519"],"type":["scrypt"],"version":"3"}}`), "x")
	assert.ErrorIs(t, err, ErrInvalidEncryption)
}
