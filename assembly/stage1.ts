// Stage 1: find the newlines of the input and write their positions into the index region.
// One source, two builds: `ASC_FEATURE_SIMD` is a compile-time constant, so the scalar build
// contains only the SWAR path and the SIMD build only adds the v128 loop in front of it.

/** Where the last findNewlines call stopped reading (every newline before it was indexed). */
export let reached: i32 = 0;

const ONES: u64 = 0x0101010101010101;
const LOW7: u64 = 0x7f7f7f7f7f7f7f7f;

/**
 * Writes the positions of "\n" in `[from, len)` of `base` to `out`, at most `cap` of them, and
 * returns how many. Stops early once the index could overflow; `reached` tells where to resume.
 */
export function findNewlines(base: usize, from: i32, len: i32, out: usize, cap: i32): i32 {
  let n = 0;
  let p = from;
  if (ASC_FEATURE_SIMD) {
    const nl = i8x16.splat(0x0a);
    // 32 bytes per step: two compares folded into one 32-bit mask. A block may add up to 32 entries.
    while (p + 32 <= len && n + 32 <= cap) {
      const a = i8x16.bitmask(i8x16.eq(v128.load(base + <usize>p), nl));
      const b = i8x16.bitmask(i8x16.eq(v128.load(base + <usize>p, 16), nl));
      let m = a | (b << 16);
      while (m != 0) {
        store<i32>(out + (<usize>n << 2), p + <i32>ctz(m));
        n++;
        m &= m - 1;
      }
      p += 32;
    }
  }
  // SWAR over 8 bytes: the exact zero-byte test (no borrow between bytes) on input ^ "\n\n\n\n\n\n\n\n".
  while (p + 8 <= len && n + 8 <= cap) {
    const x = load<u64>(base + <usize>p) ^ (ONES * 0x0a);
    let m = ~(((x & LOW7) + LOW7) | x | LOW7);
    while (m != 0) {
      store<i32>(out + (<usize>n << 2), p + <i32>(ctz(m) >> 3));
      n++;
      m &= m - 1;
    }
    p += 8;
  }
  while (p < len && n < cap) {
    if (load<u8>(base + <usize>p) == 0x0a) {
      store<i32>(out + (<usize>n << 2), p);
      n++;
    }
    p++;
  }
  reached = p;
  return n;
}
