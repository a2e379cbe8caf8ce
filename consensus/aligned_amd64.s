//go:build amd64 && !purego

#include "textflag.h"

// The aligned kernels (aligned.go) as AVX-512 vectors, eight cells a
// block: each lane computes one cell exactly as the Go kernel does, with
// the same 64-bit products (VPMULLQ keeps a product's low 64 bits, as
// Go's uint64 multiplication does), shifts and corrections.
//
// A row's cells are entries of 16 bytes, j (a uint16 and 6 bytes of
// padding) then v: a block is two 512-bit loads, whose even quadwords
// are the js (masked to 16 bits, so that the padding is never read) and
// whose odd ones the vs, gathered apart by two permutations. A
// fixed.Uint64Divisor is d then r, 16 bytes, split alike.

// The folds of a vector's eight lanes into X0's low quadword, by op
// (VPADDQ, VPORQ, VPMINSQ): the upper half onto the lower, twice, then
// the two quadwords; the result is stored at dst.
#define FOLD(op, z, y, dst) \
	VEXTRACTI64X4 $1, z, Y0; \
	op            Y0, y, Y0; \
	VEXTRACTI128  $1, Y0, X1; \
	op            X1, X0, X0; \
	VPSHUFD       $0x4e, X0, X1; \
	op            X1, X0, X0; \
	VMOVQ         X0, dst

// The permutations' indexes: the even and the odd quadwords of two
// registers.
DATA evenQ<>+0(SB)/8, $0
DATA evenQ<>+8(SB)/8, $2
DATA evenQ<>+16(SB)/8, $4
DATA evenQ<>+24(SB)/8, $6
DATA evenQ<>+32(SB)/8, $8
DATA evenQ<>+40(SB)/8, $10
DATA evenQ<>+48(SB)/8, $12
DATA evenQ<>+56(SB)/8, $14
GLOBL evenQ<>(SB), RODATA|NOPTR, $64

DATA oddQ<>+0(SB)/8, $1
DATA oddQ<>+8(SB)/8, $3
DATA oddQ<>+16(SB)/8, $5
DATA oddQ<>+24(SB)/8, $7
DATA oddQ<>+32(SB)/8, $9
DATA oddQ<>+40(SB)/8, $11
DATA oddQ<>+48(SB)/8, $13
DATA oddQ<>+56(SB)/8, $15
GLOBL oddQ<>(SB), RODATA|NOPTR, $64

// func dividendCellsAVX512(dst *Entry, r *entry, blocks int, cols *uint64, divs *fixed.Uint64Divisor, inc *uint64) (t int64, or, bad uint64)
//
// Z20 sums the terms, Z21 ORs the bonds' bits, Z26 ORs the columns'
// differences; Z22, Z23 are the permutations, Z24 the 16-bit mask of a
// column, Z25 ones.
TEXT ·dividendCellsAVX512(SB), NOSPLIT, $0-72
	MOVQ dst+0(FP), DI
	MOVQ r+8(FP), SI
	MOVQ blocks+16(FP), CX
	MOVQ cols+24(FP), R8
	MOVQ divs+32(FP), R9
	MOVQ inc+40(FP), R10
	VMOVDQU64 evenQ<>(SB), Z23
	VMOVDQU64 oddQ<>(SB), Z22
	MOVQ $0xffff, AX
	VPBROADCASTQ AX, Z24
	MOVQ $1, AX
	VPBROADCASTQ AX, Z25
	VPXORQ Z20, Z20, Z20
	VPXORQ Z21, Z21, Z21
	VPXORQ Z26, Z26, Z26

	// First every block's columns against cols, before any store.
	MOVQ SI, R11
	MOVQ R8, R12
	MOVQ CX, R13

check:
	VMOVDQU64 (R11), Z0
	VMOVDQU64 64(R11), Z1
	VMOVDQA64 Z23, Z3
	VPERMI2Q  Z1, Z0, Z3
	VPANDQ    Z24, Z3, Z3
	VPXORQ    (R12), Z3, Z3
	VPORQ     Z3, Z26, Z26
	ADDQ      $128, R11
	ADDQ      $64, R12
	DECQ      R13
	JNZ       check
	VPTESTMQ  Z26, Z26, K1
	KORTESTW  K1, K1
	JNZ       misaligned

loop:
	// b (Z2) and j (Z3) of the block's cells.
	VMOVDQU64 (SI), Z0
	VMOVDQU64 64(SI), Z1
	VMOVDQA64 Z22, Z2
	VPERMI2Q  Z1, Z0, Z2
	VMOVDQA64 Z23, Z3
	VPERMI2Q  Z1, Z0, Z3
	VPANDQ    Z24, Z3, Z3
	VPORQ     Z2, Z21, Z21

	// The stored bond: j | ((b·65535) >> 32) << 16, in 32 bits.
	VPSLLQ    $16, Z2, Z4
	VPSUBQ    Z2, Z4, Z4
	VPSRLQ    $32, Z4, Z4
	VPSLLQ    $16, Z4, Z4
	VPORQ     Z3, Z4, Z4
	VPMOVQD   Z4, Y5
	VMOVDQU   Y5, (DI)

	// d (Z7) and r (Z8) of the cells' divisors, inc (Z9).
	VMOVDQU64 (R9), Z0
	VMOVDQU64 64(R9), Z1
	VMOVDQA64 Z23, Z7
	VPERMI2Q  Z1, Z0, Z7
	VMOVDQA64 Z22, Z8
	VPERMI2Q  Z1, Z0, Z8
	VMOVDQU64 (R10), Z9

	// DivShl32: q = (b·r) >> 32, plus 1 where b<<32 − q·d > d − 1.
	VPMULLQ   Z8, Z2, Z10
	VPSRLQ    $32, Z10, Z10
	VPMULLQ   Z7, Z10, Z11
	VPSLLQ    $32, Z2, Z12
	VPSUBQ    Z11, Z12, Z12
	VPSUBQ    Z25, Z7, Z13
	VPCMPUQ   $6, Z13, Z12, K4
	VPADDQ    Z25, Z10, K4, Z10

	// The term (q·inc) >> 32.
	VPMULLQ   Z9, Z10, Z14
	VPSRLQ    $32, Z14, Z14
	VPADDQ    Z14, Z20, Z20

	ADDQ      $128, SI
	ADDQ      $32, DI
	ADDQ      $128, R9
	ADDQ      $64, R10
	DECQ      CX
	JNZ       loop

	// The lanes' sum and OR.
	FOLD(VPADDQ, Z20, Y20, t+48(FP))
	FOLD(VPORQ, Z21, Y21, or+56(FP))
	MOVQ          $0, bad+64(FP)
	VZEROUPPER
	RET

misaligned:
	MOVQ $0, t+48(FP)
	MOVQ $0, or+56(FP)
	MOVQ $1, bad+64(FP)
	VZEROUPPER
	RET

// The permutations that spread eight quadwords over the odd quadwords of
// two registers (each value twice; a store masked to the odd ones keeps
// one).
DATA spreadLo<>+0(SB)/8, $0
DATA spreadLo<>+8(SB)/8, $0
DATA spreadLo<>+16(SB)/8, $1
DATA spreadLo<>+24(SB)/8, $1
DATA spreadLo<>+32(SB)/8, $2
DATA spreadLo<>+40(SB)/8, $2
DATA spreadLo<>+48(SB)/8, $3
DATA spreadLo<>+56(SB)/8, $3
GLOBL spreadLo<>(SB), RODATA|NOPTR, $64

DATA spreadHi<>+0(SB)/8, $4
DATA spreadHi<>+8(SB)/8, $4
DATA spreadHi<>+16(SB)/8, $5
DATA spreadHi<>+24(SB)/8, $5
DATA spreadHi<>+32(SB)/8, $6
DATA spreadHi<>+40(SB)/8, $6
DATA spreadHi<>+48(SB)/8, $7
DATA spreadHi<>+56(SB)/8, $7
GLOBL spreadHi<>(SB), RODATA|NOPTR, $64

// func clipCellsAVX512(save, r *entry, blocks int, cols *uint64, c *int64, a uint64, inc *int64) (rowSum, least int64, bad uint64)
//
// Z20 sums the clipped cells, Z27 is the least consensus, Z26 ORs the
// columns' differences, Z28 is a; K6 masks the odd quadwords (the vs of
// four entries).
TEXT ·clipCellsAVX512(SB), NOSPLIT, $0-80
	MOVQ save+0(FP), DI
	MOVQ r+8(FP), SI
	MOVQ blocks+16(FP), CX
	MOVQ cols+24(FP), R8
	MOVQ c+32(FP), R9
	VPBROADCASTQ a+40(FP), Z28
	MOVQ inc+48(FP), R10
	VMOVDQU64 evenQ<>(SB), Z23
	VMOVDQU64 oddQ<>(SB), Z22
	VMOVDQU64 spreadLo<>(SB), Z18
	VMOVDQU64 spreadHi<>(SB), Z19
	MOVQ $0xffff, AX
	VPBROADCASTQ AX, Z24
	MOVQ $0x7fffffffffffffff, AX
	VPBROADCASTQ AX, Z27
	MOVQ $0xaa, AX
	KMOVW AX, K6
	VPXORQ Z20, Z20, Z20
	VPXORQ Z26, Z26, Z26

	MOVQ SI, R11
	MOVQ R8, R12
	MOVQ CX, R13

clipcheck:
	VMOVDQU64 (R11), Z0
	VMOVDQU64 64(R11), Z1
	VMOVDQA64 Z23, Z3
	VPERMI2Q  Z1, Z0, Z3
	VPANDQ    Z24, Z3, Z3
	VPXORQ    (R12), Z3, Z3
	VPORQ     Z3, Z26, Z26
	ADDQ      $128, R11
	ADDQ      $64, R12
	DECQ      R13
	JNZ       clipcheck
	VPTESTMQ  Z26, Z26, K1
	KORTESTW  K1, K1
	JNZ       clipmisaligned

cliploop:
	// w (Z2) of the block's cells, saved: the loads hold each w at its
	// entry's place.
	VMOVDQU64 (SI), Z0
	VMOVDQU64 64(SI), Z1
	VMOVDQU64 Z0, K6, (DI)
	VMOVDQU64 Z1, K6, 64(DI)
	VMOVDQA64 Z22, Z2
	VPERMI2Q  Z1, Z0, Z2

	// th (Z3), the least, v = min(w, th) (Z4), the row sum.
	VMOVDQU64 (R9), Z3
	VPMINSQ   Z3, Z27, Z27
	VPMINSQ   Z3, Z2, Z4
	VPADDQ    Z4, Z20, Z20

	// The ranks: inc += (a·v) >> 32.
	VPMULLQ   Z28, Z4, Z5
	VPSRLQ    $32, Z5, Z5
	VPADDQ    (R10), Z5, Z5
	VMOVDQU64 Z5, (R10)

	// v over w in r.
	VPERMQ    Z4, Z18, Z6
	VMOVDQU64 Z6, K6, (SI)
	VPERMQ    Z4, Z19, Z7
	VMOVDQU64 Z7, K6, 64(SI)

	ADDQ      $128, SI
	ADDQ      $128, DI
	ADDQ      $64, R9
	ADDQ      $64, R10
	DECQ      CX
	JNZ       cliploop

	FOLD(VPADDQ, Z20, Y20, rowSum+56(FP))
	FOLD(VPMINSQ, Z27, Y27, least+64(FP))
	MOVQ          $0, bad+72(FP)
	VZEROUPPER
	RET

clipmisaligned:
	MOVQ $0, rowSum+56(FP)
	MOVQ $0, least+64(FP)
	MOVQ $1, bad+72(FP)
	VZEROUPPER
	RET

// func zipCellsAVX512(out *entry, b *Entry, blocks int, acc *int64, al, k uint64) (cols uint64, least int64)
//
// Z21 ORs the columns' XORs, Z27 is the least cell, Z28 al, Z29 k, Z30
// 2^16.
TEXT ·zipCellsAVX512(SB), NOSPLIT, $0-64
	MOVQ out+0(FP), SI
	MOVQ b+8(FP), BX
	MOVQ blocks+16(FP), CX
	MOVQ acc+24(FP), R10
	VPBROADCASTQ al+32(FP), Z28
	VPBROADCASTQ k+40(FP), Z29
	VMOVDQU64 evenQ<>(SB), Z23
	VMOVDQU64 oddQ<>(SB), Z22
	VMOVDQU64 spreadLo<>(SB), Z18
	VMOVDQU64 spreadHi<>(SB), Z19
	MOVQ $0xffff, AX
	VPBROADCASTQ AX, Z24
	MOVQ $0x10000, AX
	VPBROADCASTQ AX, Z30
	MOVQ $0x7fffffffffffffff, AX
	VPBROADCASTQ AX, Z27
	MOVQ $0xaa, AX
	KMOVW AX, K6
	VPXORQ Z21, Z21, Z21

ziploop:
	// v (Z2) and j (Z3) of the block's cells, e (Z4) of its bonds.
	VMOVDQU64 (SI), Z0
	VMOVDQU64 64(SI), Z1
	VMOVDQA64 Z22, Z2
	VPERMI2Q  Z1, Z0, Z2
	VMOVDQA64 Z23, Z3
	VPERMI2Q  Z1, Z0, Z3
	VPANDQ    Z24, Z3, Z3
	VPMOVZXDQ (BX), Z4

	// m = (al·v) >> 32 + ((e >> 16)·k) >> 32 + (e + 2^16) >> 32.
	VPMULLQ   Z28, Z2, Z5
	VPSRLQ    $32, Z5, Z5
	VPSRLQ    $16, Z4, Z6
	VPMULLQ   Z29, Z6, Z6
	VPSRLQ    $32, Z6, Z6
	VPADDQ    Z30, Z4, Z7
	VPSRLQ    $32, Z7, Z7
	VPADDQ    Z6, Z5, Z8
	VPADDQ    Z7, Z8, Z8

	// The column sums, the columns' XORs, the least cell.
	VPADDQ    (R10), Z8, Z9
	VMOVDQU64 Z9, (R10)
	VPANDQ    Z24, Z4, Z10
	VPXORQ    Z3, Z10, Z10
	VPORQ     Z10, Z21, Z21
	VPMINSQ   Z8, Z27, Z27

	// m over v in out.
	VPERMQ    Z8, Z18, Z6
	VMOVDQU64 Z6, K6, (SI)
	VPERMQ    Z8, Z19, Z7
	VMOVDQU64 Z7, K6, 64(SI)

	ADDQ      $128, SI
	ADDQ      $32, BX
	ADDQ      $64, R10
	DECQ      CX
	JNZ       ziploop

	FOLD(VPORQ, Z21, Y21, cols+48(FP))
	FOLD(VPMINSQ, Z27, Y27, least+56(FP))
	VZEROUPPER
	RET

// The permutations that interleave two registers' quadwords: a's lane i
// and b's lane i side by side, for the lanes 0–3 and 4–7.
DATA zipLo<>+0(SB)/8, $0
DATA zipLo<>+8(SB)/8, $8
DATA zipLo<>+16(SB)/8, $1
DATA zipLo<>+24(SB)/8, $9
DATA zipLo<>+32(SB)/8, $2
DATA zipLo<>+40(SB)/8, $10
DATA zipLo<>+48(SB)/8, $3
DATA zipLo<>+56(SB)/8, $11
GLOBL zipLo<>(SB), RODATA|NOPTR, $64

DATA zipHi<>+0(SB)/8, $4
DATA zipHi<>+8(SB)/8, $12
DATA zipHi<>+16(SB)/8, $5
DATA zipHi<>+24(SB)/8, $13
DATA zipHi<>+32(SB)/8, $6
DATA zipHi<>+40(SB)/8, $14
DATA zipHi<>+48(SB)/8, $7
DATA zipHi<>+56(SB)/8, $15
GLOBL zipHi<>(SB), RODATA|NOPTR, $64

// func keyCellsAVX512(out *entry, row *Entry, blocks int, cols *uint64, d *fixed.U16Divisor, st uint64, keys *uint64) (or, bad uint64)
//
// A cell's score is fixed.U16Divisor.Quo(u), the high word of x·m with
// x = u·p < 2^50 (VPMULLQ, exact) and m < 2^63, from 32-bit products:
// with x = xh·2^32 + xl and m = mh·2^32 + ml, the high word is
// xh·mh + (xh·ml + xl·mh + (xl·ml >> 32)) >> 32, whose inner sum is
// below 2^50 + 2^63 + 2^32 < 2^64. Z28 is m, Z27 mh, Z26 p, Z25 the
// stake, Z24 the 16-bit mask; Z21 ORs the scores, Z22 the columns'
// differences.
TEXT ·keyCellsAVX512(SB), NOSPLIT, $0-72
	MOVQ out+0(FP), DI
	MOVQ row+8(FP), SI
	MOVQ blocks+16(FP), CX
	MOVQ cols+24(FP), R8
	MOVQ d+32(FP), AX
	VPBROADCASTQ 0(AX), Z28
	VPBROADCASTQ 8(AX), Z26
	VPSRLQ $32, Z28, Z27
	VPBROADCASTQ st+40(FP), Z25
	MOVQ keys+48(FP), R9
	MOVQ $0xffff, AX
	VPBROADCASTQ AX, Z24
	VMOVDQU64 zipLo<>(SB), Z18
	VMOVDQU64 zipHi<>(SB), Z19
	VPXORQ Z21, Z21, Z21
	VPXORQ Z22, Z22, Z22

	MOVQ SI, R11
	MOVQ R8, R12
	MOVQ CX, R13

keycheck:
	VPMOVZXDQ (R11), Z0
	VPANDQ    Z24, Z0, Z0
	VPXORQ    (R12), Z0, Z0
	VPORQ     Z0, Z22, Z22
	ADDQ      $32, R11
	ADDQ      $64, R12
	DECQ      R13
	JNZ       keycheck
	VPTESTMQ  Z22, Z22, K1
	KORTESTW  K1, K1
	JNZ       keymisaligned

keyloop:
	// j (Z1) and u (Z2) of the block's cells.
	VPMOVZXDQ (SI), Z0
	VPANDQ    Z24, Z0, Z1
	VPSRLQ    $16, Z0, Z2

	// x = u·p, then the high word of x·m (Z10).
	VPMULLQ   Z26, Z2, Z3
	VPSRLQ    $32, Z3, Z4
	VPMULUDQ  Z28, Z3, Z5
	VPSRLQ    $32, Z5, Z5
	VPMULUDQ  Z28, Z4, Z6
	VPMULUDQ  Z27, Z3, Z7
	VPADDQ    Z6, Z5, Z5
	VPADDQ    Z7, Z5, Z5
	VPSRLQ    $32, Z5, Z5
	VPMULUDQ  Z27, Z4, Z10
	VPADDQ    Z5, Z10, Z10
	VPORQ     Z10, Z21, Z21

	// The cells (j, score) into out, two registers of four entries.
	VMOVDQA64 Z18, Z11
	VPERMI2Q  Z10, Z1, Z11
	VMOVDQU64 Z11, (DI)
	VMOVDQA64 Z19, Z12
	VPERMI2Q  Z10, Z1, Z12
	VMOVDQU64 Z12, 64(DI)

	// The keys score<<32 | stake.
	VPSLLQ    $32, Z10, Z13
	VPORQ     Z25, Z13, Z13
	VMOVDQU64 Z13, (R9)

	ADDQ      $32, SI
	ADDQ      $128, DI
	ADDQ      $64, R9
	DECQ      CX
	JNZ       keyloop

	FOLD(VPORQ, Z21, Y21, or+56(FP))
	MOVQ          $0, bad+64(FP)
	VZEROUPPER
	RET

keymisaligned:
	MOVQ $0, or+56(FP)
	MOVQ $1, bad+64(FP)
	VZEROUPPER
	RET
