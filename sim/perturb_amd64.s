//go:build amd64 && !purego

#include "textflag.h"

// func perturbAVX512(dst *uint16, rounds int, h, l uint64, j *perturbJump) (done int, sh, sl uint64)
//
// Eight draws a round, lane i holding the LCG state after draw i of the
// round: the first round's states are (h, l)·A[i] + C[i] (A[i], C[i] the
// LCG stepped i+1 times), each next round's the last's ·A[7] + C[7]. A
// lane's 128-bit product s·a mod 2^128 is lo(sl·al) and hi(sl·al) +
// lo(sh·al) + lo(sl·ah), hi(sl·al) from 32-bit products (mulhi below).
// Each lane then draws DXSM, takes the draw's product with 101 and
// perturbs its value as perturbOne does. A round in which some lane's
// product's low word is below 101 (a draw uint64n must draw again for)
// is not taken: done counts the rounds taken, and (sh, sl) is the state
// after the last draw of the last round taken, when all rounds are.
//
// Registers: Z0/Z1 the states' high and low words; Z30 the 32-bit mask.

// mulhi(a, b, t) sets t to the high words of the lanes' 64-bit products
// a·b, from a = a1·2^32 + a0 and b = b1·2^32 + b0: a1·b1 + (a1·b0 >> 32)
// + (a0·b1 >> 32) + (the sum of a0·b0 >> 32 and the low halves of a1·b0
// and a0·b1, below 3·2^32) >> 32. Z24–Z29 are scratch.
#define MULHI(a, b, t) \
	VPSRLQ $32, a, Z24; \
	VPSRLQ $32, b, Z25; \
	VPMULUDQ b, a, Z26; \
	VPMULUDQ Z25, a, Z27; \
	VPMULUDQ b, Z24, Z28; \
	VPMULUDQ Z25, Z24, t; \
	VPSRLQ $32, Z26, Z26; \
	VPANDQ Z30, Z27, Z29; \
	VPADDQ Z29, Z26, Z26; \
	VPANDQ Z30, Z28, Z29; \
	VPADDQ Z29, Z26, Z26; \
	VPSRLQ $32, Z26, Z26; \
	VPSRLQ $32, Z27, Z27; \
	VPSRLQ $32, Z28, Z28; \
	VPADDQ Z27, t, t; \
	VPADDQ Z28, t, t; \
	VPADDQ Z26, t, t

// step(ah, al, ch, cl) sets (Z0, Z1) to (Z0, Z1)·(ah, al) + (ch, cl) mod
// 2^128, lane by lane. Z2–Z5 and the mulhi scratch are used.
#define STEP(ah, al, ch, cl) \
	MULHI(Z1, al, Z2); \
	VPMULLQ al, Z0, Z3; \
	VPMULLQ ah, Z1, Z4; \
	VPMULLQ al, Z1, Z5; \
	VPADDQ Z3, Z2, Z2; \
	VPADDQ Z4, Z2, Z2; \
	VPADDQ cl, Z5, Z1; \
	VPCMPUQ $1, cl, Z1, K2; \
	VPADDQ ch, Z2, Z0; \
	VPADDQ Z31, Z0, K2, Z0

TEXT ·perturbAVX512(SB), NOSPLIT, $0-64
	MOVQ dst+0(FP), DI
	MOVQ rounds+8(FP), CX
	MOVQ j+32(FP), SI
	MOVQ $0xffffffff, AX
	VPBROADCASTQ AX, Z30
	MOVQ $1, AX
	VPBROADCASTQ AX, Z31
	// The round's constants: A[7] and C[7] in every lane, DXSM's
	// multiplier, 101, 950, the division by 1000, 65535.
	VPBROADCASTQ 56(SI), Z10  // A[7] hi
	VPBROADCASTQ 120(SI), Z11 // A[7] lo
	VPBROADCASTQ 184(SI), Z12 // C[7] hi
	VPBROADCASTQ 248(SI), Z13 // C[7] lo
	MOVQ $0xda942042e4dd58b5, AX
	VPBROADCASTQ AX, Z14
	MOVQ $101, AX
	VPBROADCASTQ AX, Z15
	MOVQ $950, AX
	VPBROADCASTQ AX, Z16
	MOVQ $137438954, AX // perturbMagic
	VPBROADCASTQ AX, Z17
	MOVQ $65535, AX
	VPBROADCASTQ AX, Z18

	// The first round's states: (h, l) in every lane, stepped by A[i],
	// C[i] in lane i.
	VPBROADCASTQ h+16(FP), Z0
	VPBROADCASTQ l+24(FP), Z1
	VMOVDQU64 0(SI), Z6   // A hi
	VMOVDQU64 64(SI), Z7  // A lo
	VMOVDQU64 128(SI), Z8 // C hi
	VMOVDQU64 192(SI), Z9 // C lo
	STEP(Z6, Z7, Z8, Z9)

	XORQ R8, R8 // rounds taken
	TESTQ CX, CX
	JZ done

round:
	// DXSM of each lane's state: hi ^= hi>>32; hi *= cheap; hi ^=
	// hi>>48; hi *= lo|1.
	VPSRLQ $32, Z0, Z19
	VPXORQ Z0, Z19, Z19
	VPMULLQ Z14, Z19, Z19
	VPSRLQ $48, Z19, Z20
	VPXORQ Z20, Z19, Z19
	VPORQ Z31, Z1, Z20
	VPMULLQ Z20, Z19, Z19

	// The product with 101: low word (Z20), high word (Z21, the draw h
	// of between(950, 1050) less 950); a low word below 101 ends.
	VPMULLQ Z15, Z19, Z20
	VPCMPUQ $1, Z15, Z20, K1
	KORTESTB K1, K1
	JNZ done
	MULHI(Z19, Z15, Z21)

	// The values: floor(w·(950+h)/1000) clamped to 65535.
	VPMOVZXWQ (DI), Z22
	VPADDQ Z16, Z21, Z21
	VPMULLQ Z21, Z22, Z22
	VPMULLQ Z17, Z22, Z22
	VPSRLQ $37, Z22, Z22
	VPMINUQ Z18, Z22, Z22
	VPMOVQW Z22, (DI)

	INCQ R8
	ADDQ $16, DI
	CMPQ R8, CX
	JEQ last
	STEP(Z10, Z11, Z12, Z13)
	JMP round

last:
	// The state after the last draw: lane 7's.
	VEXTRACTI64X4 $1, Z0, Y2
	VEXTRACTI128 $1, Y2, X2
	VPEXTRQ $1, X2, AX
	MOVQ AX, sh+48(FP)
	VEXTRACTI64X4 $1, Z1, Y2
	VEXTRACTI128 $1, Y2, X2
	VPEXTRQ $1, X2, AX
	MOVQ AX, sl+56(FP)
	MOVQ R8, done+40(FP)
	VZEROUPPER
	RET

done:
	MOVQ R8, done+40(FP)
	MOVQ $0, sh+48(FP)
	MOVQ $0, sl+56(FP)
	VZEROUPPER
	RET
