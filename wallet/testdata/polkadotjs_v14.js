// Generates polkadotjs_v14.json with @polkadot/keyring, util and util-crypto 14.0.3:
//   npm install @polkadot/keyring@14 @polkadot/util-crypto@14 @polkadot/util@14 && node polkadotjs_v14.js
// The scrypt export's salt and nonce are random; the rest is deterministic.
const { Keyring } = require('@polkadot/keyring');
const { cryptoWaitReady, scryptEncode, scryptToU8a, naclEncrypt, randomAsU8a, signatureVerify, base64Encode, } = require('@polkadot/util-crypto');
const { u8aConcat, u8aWrapBytes, u8aToHex, stringToU8a } = require('@polkadot/util');
const { PAIR_HDR, PAIR_DIV } = require('./node_modules/@polkadot/keyring/cjs/pair/defaults.js'); // PAIR_HDR, PAIR_DIV are not exported
(async () => {
  await cryptoWaitReady();
  const phrase = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
  const out = {};
  const sr = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(phrase + '//dtao');
  const ed = new Keyring({ type: 'ed25519', ss58Format: 42 }).addFromUri(phrase + '//dtao');
  out.sr25519_none = sr.toJson();
  out.ed25519_none = ed.toJson();
  // Encrypted ed25519 export at an accepted low scrypt cost (N=2^15, p=1, r=8),
  // built exactly as encodePair does with explicit params.
  {
    const { params, password, salt } = scryptEncode('dtao-pw', randomAsU8a(), { N: 1 << 15, p: 1, r: 8 });
    // plain pkcs8 of ed: decode its unencrypted json
    const plain = Buffer.from(out.ed25519_none.encoded, 'base64');
    const { encrypted, nonce } = naclEncrypt(plain, password.subarray(0, 32));
    const enc = u8aConcat(scryptToU8a(salt, params), nonce, encrypted);
    out.ed25519_scrypt = { ...out.ed25519_none, encoded: base64Encode(enc), encoding: { content: ['pkcs8', 'ed25519'], type: ['scrypt', 'xsalsa20-poly1305'], version: '3' } };
    const k = new Keyring({ type: 'ed25519' }); const p = k.addFromJson(out.ed25519_scrypt); p.decodePkcs8('dtao-pw');
    if (p.address !== ed.address) throw new Error('ed scrypt roundtrip');
  }
  // Old-style (generation 1-2) body: header, 32-byte seed, divider, public key.
  {
    const seed = new Uint8Array(32).map((_, i) => i + 1);
    const kr = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const pair = kr.addFromSeed(seed);
    const body = u8aConcat(PAIR_HDR, seed, PAIR_DIV, pair.publicKey);
    const j = { encoded: base64Encode(body), encoding: { content: ['pkcs8', 'sr25519'], type: ['none'], version: '3' }, address: pair.address, meta: {} };
    const q = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromJson(j); q.decodePkcs8();
    if (q.address !== pair.address || q.isLocked) throw new Error('old style');
    const sig = q.sign(stringToU8a('x'));
    if (!signatureVerify('x', sig, pair.address).isValid) throw new Error('old style sig');
    out.sr25519_seed_none = j;
  }
  // Each unencrypted export unlocks in polkadot.js with no password, and fails with one.
  for (const [name, type] of [['sr25519_none', 'sr25519'], ['ed25519_none', 'ed25519']]) {
    const p = new Keyring({ type }).addFromJson(out[name]); p.decodePkcs8();
    if (p.isLocked) throw new Error(name);
    let failed = false; try { new Keyring({ type }).addFromJson(out[name]).decodePkcs8('pw'); } catch (e) { failed = true; }
    if (!failed) throw new Error(name + ' with pw');
  }
  out.sr25519_address = sr.address; out.ed25519_address = ed.address;
  // WrapBytes idempotency and a deterministic ed25519 signature over a wrapped message.
  const wrapped = '<Bytes>dtao</Bytes>';
  out.wrap_of_wrapped = Buffer.from(u8aWrapBytes(stringToU8a(wrapped))).toString();
  out.wrap_of_plain = Buffer.from(u8aWrapBytes(stringToU8a('dtao'))).toString();
  out.wrap_of_eth = Buffer.from(u8aWrapBytes(stringToU8a('\x19Ethereum Signed Message:\nhi'))).toString();
  out.wrap_of_empty_wrapped = Buffer.from(u8aWrapBytes(stringToU8a('<Bytes></Bytes>'))).toString();
  out.wrap_of_short = Buffer.from(u8aWrapBytes(stringToU8a('<Bytes>/Bytes>'))).toString();
  out.ed25519_sig_wrapped = u8aToHex(ed.sign(u8aWrapBytes(stringToU8a(wrapped))));
  out.ed25519_sig_plain_wrapped = u8aToHex(ed.sign(u8aWrapBytes(stringToU8a('dtao'))));
  // polkadot.js rejects a signature over the double-wrapped message for the wrapped message.
  const dbl = ed.sign(stringToU8a('<Bytes>' + wrapped + '</Bytes>'));
  out.ed25519_sig_double = u8aToHex(dbl);
  out.pjs_accepts_double = signatureVerify(wrapped, dbl, ed.address).isValid;
  out.pjs_accepts_wrapped_sig_on_plain = signatureVerify('dtao', out.ed25519_sig_plain_wrapped, ed.address).isValid;
  console.log(JSON.stringify(out, null, 1));
})();
