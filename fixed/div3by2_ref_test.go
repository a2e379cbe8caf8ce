package fixed

import "math/bits"

// div3by2 is the reference for the word steps of fast_div.go (div3by2q,
// div3by2n, quoWide's two-word path): floor(n / d) and n mod d for
// n = n2·2^128 + n1·2^64 + n0 and d = d1·2^64 + d0, where d1 != 0 and
// n2·2^64 + n1 < d, with the full three-word product and its own
// normalisation (shifts by 64 − s, which Go makes 0 for s = 0).
//
// It is one step of Knuth's algorithm D (TAOCP vol. 2, 4.3.1) with 64-bit
// digits: with d shifted left until its top bit is set and n shifted by the
// same amount (n < d·2^64, so n·2^s < 2^192 loses no bit), the estimate
// q̂ = min(floor((n2'·2^64 + n1') / d1'), 2^64 − 1) satisfies q ≤ q̂ ≤ q + 2
// (Theorem B), and q̂ is lowered while q̂·d' exceeds n'.
func div3by2(n2, n1, n0, d1, d0 uint64) (q, r1, r0 uint64) {
	s := uint(bits.LeadingZeros64(d1))
	dn1, dn0 := d1<<s|d0>>(64-s), d0<<s
	nn2, nn1, nn0 := n2<<s|n1>>(64-s), n1<<s|n0>>(64-s), n0<<s
	q = ^uint64(0)
	if nn2 < dn1 {
		q, _ = bits.Div64(nn2, nn1, dn1)
	}
	// p = q·d', three words.
	ph, p0 := bits.Mul64(q, dn0)
	p2, pm := bits.Mul64(q, dn1)
	p1, c := bits.Add64(pm, ph, 0)
	p2 += c
	for p2 > nn2 || p2 == nn2 && (p1 > nn1 || p1 == nn1 && p0 > nn0) {
		q--
		var b uint64
		p0, b = bits.Sub64(p0, dn0, 0)
		p1, b = bits.Sub64(p1, dn1, b)
		p2 -= b
	}
	// The remainder n' − q·d' is below d' < 2^128.
	var b uint64
	x0, b := bits.Sub64(nn0, p0, 0)
	x1, _ := bits.Sub64(nn1, p1, b)
	r0 = x0>>s | x1<<(64-s)
	r1 = x1 >> s
	return q, r1, r0
}
