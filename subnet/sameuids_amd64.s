//go:build amd64 && !purego

#include "textflag.h"

// FOLD32 folds a vector's sixteen doubleword lanes into X0's low
// doubleword by op (VPORD, VPMAXUD): the upper half onto the lower,
// twice, then the quadwords, then the doublewords; the result, zero
// extended, is stored at dst.
#define FOLD32(op, z, y, dst) \
	VEXTRACTI64X4 $1, z, Y0; \
	op            Y0, y, Y0; \
	VEXTRACTI128  $1, Y0, X1; \
	op            X1, X0, X0; \
	VPSHUFD       $0x4e, X0, X1; \
	op            X1, X0, X0; \
	VPSHUFD       $0xb1, X0, X1; \
	op            X1, X0, X0; \
	VMOVD         X0, AX; \
	MOVQ          AX, dst

// func sameUIDsAVX512(old *consensus.Entry, uids, values *uint16, blocks int) (orUID, mxVal, diff uint64)
//
// sameUIDs on blocks of 16: the stored row's entries (uid, value) as
// 16 doublewords, whose low halves are compared with the uids; the OR of
// the uids, the largest value and the OR of the differences, each over
// 16 lanes of 32 bits and folded at the end.
TEXT ·sameUIDsAVX512(SB), NOSPLIT, $0-56
	MOVQ old+0(FP), SI
	MOVQ uids+8(FP), DI
	MOVQ values+16(FP), R8
	MOVQ blocks+24(FP), CX
	MOVL $0xffff, AX
	VPBROADCASTD AX, Z24
	VPXORD Z20, Z20, Z20 // or of the uids
	VPXORD Z21, Z21, Z21 // largest value
	VPXORD Z22, Z22, Z22 // or of the differences

sameloop:
	VMOVDQU32 (SI), Z0
	VPANDD    Z24, Z0, Z0
	VPMOVZXWD (DI), Z1
	VPMOVZXWD (R8), Z2
	VPXORD    Z1, Z0, Z0
	VPORD     Z0, Z22, Z22
	VPORD     Z1, Z20, Z20
	VPMAXUD   Z2, Z21, Z21
	ADDQ      $64, SI
	ADDQ      $32, DI
	ADDQ      $32, R8
	DECQ      CX
	JNZ       sameloop

	FOLD32(VPORD, Z20, Y20, orUID+32(FP))
	FOLD32(VPMAXUD, Z21, Y21, mxVal+40(FP))
	FOLD32(VPORD, Z22, Y22, diff+48(FP))
	VZEROUPPER
	RET

// func upscaleValuesAVX512(row *consensus.Entry, values *uint16, blocks int, f uint64)
//
// storeValues' common scale on blocks of eight: each entry's value
// becomes (v·f + 2^31) >> 32 (v·f below 2^49: VPMULLQ is exact), written
// with the entry's uid as one doubleword.
TEXT ·upscaleValuesAVX512(SB), NOSPLIT, $0-32
	MOVQ row+0(FP), SI
	MOVQ values+8(FP), DI
	MOVQ blocks+16(FP), CX
	VPBROADCASTQ f+24(FP), Z20
	MOVQ $0x80000000, AX
	VPBROADCASTQ AX, Z21
	MOVQ $0xffff, AX
	VPBROADCASTQ AX, Z24

uploop:
	VPMOVZXWQ (DI), Z0
	VPMULLQ   Z20, Z0, Z0
	VPADDQ    Z21, Z0, Z0
	VPSRLQ    $32, Z0, Z0
	VPSLLQ    $16, Z0, Z0
	VPMOVZXDQ (SI), Z1
	VPANDQ    Z24, Z1, Z1
	VPORQ     Z1, Z0, Z0
	VPMOVQD   Z0, (SI)
	ADDQ      $32, SI
	ADDQ      $16, DI
	DECQ      CX
	JNZ       uploop
	VZEROUPPER
	RET
