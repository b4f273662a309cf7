// Memory access for the core — the WASM target. asc compiles src/core with this file in place of
// src/core/mem.ts (scripts/build-wasm.mjs substitutes it when asc reads that path); the two export
// the same functions with the same meaning. Everything here is a builtin or a few instructions,
// and binaryen inlines it into the core.

// @ts-ignore: decorator
@inline export function ld8(addr: usize): i32 {
  return <i32>load<u8>(addr);
}
// @ts-ignore: decorator
@inline export function st8(addr: usize, v: i32): void {
  store<u8>(addr, <u8>v);
}
// @ts-ignore: decorator
@inline export function ld32(addr: usize): i32 {
  return load<i32>(addr);
}
// @ts-ignore: decorator
@inline export function st32(addr: usize, v: i32): void {
  store<i32>(addr, v);
}
// @ts-ignore: decorator
@inline export function ldf64(addr: usize): f64 {
  return load<f64>(addr);
}

// @ts-ignore: decorator
@inline export function stf64(addr: usize, v: f64): void {
  store<f64>(addr, v);
}

// @ts-ignore: decorator
@inline export function copyBytes(dst: usize, src: usize, n: usize): void {
  memory.copy(dst, src, n);
}
// The host writes JavaScript's text for a number (src/wasm/instance.ts): the one import, for the
// numbers json/numbers.ts cannot prove it writes as String(x) would.
// @ts-ignore: decorator
@external("env", "formatNumber")
declare function hostFormatNumber(x: f64, at: usize, room: i32): i32;

export function formatNumber(x: f64, at: usize, room: i32): i32 {
  return hostFormatNumber(x, at, room);
}

/** Writes the ASCII string `s` at `at`: with SIMD, 16 UTF-16 units narrowed to bytes a step, so
 *  up to 32 bytes are written (callers leave room; bytes past its length are meaningless, and the
 *  loads past a short literal's end stay inside the static data before the heap). */
export function storeAscii(at: usize, s: string): void {
  const n = s.length;
  const p = changetype<usize>(s);
  if (ASC_FEATURE_SIMD && n <= 32) {
    v128.store(at, i8x16.narrow_i16x8_u(v128.load(p), v128.load(p + 16)));
    if (n > 16) v128.store(at + 16, i8x16.narrow_i16x8_u(v128.load(p + 32), v128.load(p + 48)));
    return;
  }
  for (let i = 0; i < n; i++) store<u8>(at + <usize>i, <u8>load<u16>(p + (<usize>i << 1)));
}

// The class of each byte value (bytes.ts CharClass), as static data: one load answers "may this
// byte be in an identifier?", where the ranges took up to four compares and branches.
const CHAR_CLASSES: usize = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 0, 0, 0, 0, 0, 0,
  0, 18, 18, 18, 18, 18, 18, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 8,
  0, 20, 20, 20, 20, 20, 20, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);

// @ts-ignore: decorator
@inline export function charClass(c: i32): i32 {
  return <i32>load<u8>(CHAR_CLASSES + <usize>c);
}

let regionsStart: usize = 0;

/** First address the regions may use: past the core's state objects, which the start function
 *  allocated from __heap_base up (stub runtime). Nothing allocates after that. */
export function heapBase(): usize {
  if (regionsStart == 0) regionsStart = heap.alloc(0);
  return regionsStart;
}
export function memoryPages(): i32 {
  return memory.size();
}
export function growMemory(delta: i32): i32 {
  return memory.grow(delta);
}
export function trap(): void {
  unreachable();
}

let reached: i32 = 0;

const ONES: u64 = 0x0101010101010101;
const LOW7: u64 = 0x7f7f7f7f7f7f7f7f;

/**
 * Stage 1: writes the offsets of "\n" in `[from, len)` of the chunk at `base` to `out`, at most
 * `cap` of them, and returns how many; stops early once the index could overflow, and
 * newlinesReached() tells where to resume. `ASC_FEATURE_SIMD` is a compile-time constant: the
 * scalar build holds only the SWAR loop, the SIMD build adds the v128 loop in front of it.
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
/** Offset of the first `"` or backslash in [p, end) of the chunk at `base`, or `end`: where a
 *  string literal may close or escape (scan/args.ts scanStringEnd). 16 bytes a step with SIMD. */
export function quoteOrEscape(base: usize, p: i32, end: i32): i32 {
  if (ASC_FEATURE_SIMD) {
    const quote = i8x16.splat(0x22);
    const backslash = i8x16.splat(0x5c);
    while (p + 16 <= end) {
      const v = v128.load(base + <usize>p);
      const m = i8x16.bitmask(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)));
      if (m != 0) return p + <i32>ctz(m);
      p += 16;
    }
  }
  while (p < end) {
    const c = load<u8>(base + <usize>p);
    if (c == 0x22 || c == 0x5c) return p;
    p++;
  }
  return end;
}

/** Offset of the first byte in [p, end) at `base` that a JSON string cannot hold as it is (a
 *  control byte, `"`, backslash, or one of 0x80-0xff, which the host's latin1 text makes a
 *  two-byte character), or `end` (json/out.ts putJsonString). 16 bytes a step with SIMD. */
export function jsonPlainEnd(base: usize, p: i32, end: i32): i32 {
  if (ASC_FEATURE_SIMD) {
    while (p + 16 <= end) {
      const m = jsonOddMask(v128.load(base + <usize>p));
      if (m != 0) return p + <i32>ctz(m);
      p += 16;
    }
  }
  while (p < end) {
    if (isJsonOdd(load<u8>(base + <usize>p))) return p;
    p++;
  }
  return end;
}

/** Whether a JSON string cannot hold byte c as it is: a control byte, `"`, backslash, or one of
 *  0x80-0xff (two bytes of UTF-8 once the host's latin1 text is encoded). */
// @ts-ignore: decorator
@inline function isJsonOdd(c: i32): bool {
  return c < 0x20 || c >= 0x80 || c == 0x22 || c == 0x5c;
}

/** isJsonOdd of 16 bytes at once, as a bit mask (bit i: byte i). */
// @ts-ignore: decorator
@inline function jsonOddMask(v: v128): i32 {
  const quoteOrBackslash = v128.or(i8x16.eq(v, i8x16.splat(0x22)), i8x16.eq(v, i8x16.splat(0x5c)));
  const controlOrHigh = v128.or(i8x16.lt_u(v, i8x16.splat(0x20)), i8x16.lt_s(v, i8x16.splat(0)));
  return i8x16.bitmask(v128.or(quoteOrBackslash, controlOrHigh));
}

/** Copies the n <= 16 bytes at src to dst and returns true when none of them needs escaping in
 *  a JSON string (as jsonPlainEnd tells them); else returns false. Either way it may write 16
 *  bytes at dst (callers leave room; bytes past n are meaningless) and read 16 at src (the input
 *  region is followed by the newline index, so that stays inside memory). One step with SIMD. */
export function copyJsonPlainShort(dst: usize, src: usize, n: i32): bool {
  if (ASC_FEATURE_SIMD) {
    const v = v128.load(src);
    if ((jsonOddMask(v) & ((1 << n) - 1)) != 0) return false;
    v128.store(dst, v);
    return true;
  }
  for (let i = 0; i < n; i++) {
    const c = load<u8>(src + <usize>i);
    if (isJsonOdd(c)) return false;
    store<u8>(dst + <usize>i, c);
  }
  return true;
}

export function newlinesReached(): i32 {
  return reached;
}

// The TS target's heap switching has no meaning here: each WASM instance has its own memory.
