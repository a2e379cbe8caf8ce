//go:build !amd64 || purego

package subnet

import "github.com/dtao-go/dtao/consensus"

// sameUIDs is sameUIDsGo.
func sameUIDs(old []consensus.Entry, uids, values []uint16) (orUID, mxVal uint16, same bool) {
	return sameUIDsGo(old, uids, values)
}

// upscaleValues is upscaleValuesGo.
func upscaleValues(row []consensus.Entry, values []uint16, f uint64) {
	upscaleValuesGo(row, values, f)
}
