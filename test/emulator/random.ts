// A seedable random source (mulberry32) so chaos tests replay the same faults and ids.
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decimal digits, as Compute's uint64 ids and operation ids look. */
export function digits(random: Random, count: number): string {
  let out = String(1 + Math.floor(random() * 9));
  while (out.length < count) out += String(Math.floor(random() * 10));
  return out;
}

export function hex(random: Random, count: number): string {
  let out = '';
  while (out.length < count) out += Math.floor(random() * 16).toString(16);
  return out;
}

/** 8 random bytes, base64: the shape of Compute fingerprints and Cloud Run etags. */
export function fingerprint(random: Random): string {
  const bytes = Buffer.alloc(8);
  for (let i = 0; i < 8; i++) bytes[i] = Math.floor(random() * 256);
  return bytes.toString('base64');
}
