// Memory access for the core — the pure-TypeScript target. The core is one source compiled twice:
// asc builds it into the WASM module, where this file is replaced by assembly/mem.ts (the build's
// only substitution, scripts/build-wasm.mjs), and tsc builds it into the TS engine, where
// "linear memory" is this ArrayBuffer. Both files export the same functions with the same
// meaning, so every table the core writes has the same layout and bytes on both targets.
//
// The TS heap belongs to whichever engine called useHeap() last: engines switch it before every
// call into the core (src/engine/ts-engine.ts), so several TS engines can live side by side.

const PAGE = 65536;

// (views kept as fields of one constant object: V8 optimises that far better than mutable module
// bindings, see scan/cursor.ts)
const view = { heap: new ArrayBuffer(PAGE), u8: new Uint8Array(0), i32: new Int32Array(0), f64: new Float64Array(0), reached: 0 };
view.u8 = new Uint8Array(view.heap);
view.i32 = new Int32Array(view.heap);
view.f64 = new Float64Array(view.heap);

/** Makes `buffer` the heap the core reads and writes (its size must be a multiple of 64 KiB). */
export function useHeap(buffer: ArrayBuffer): void {
  if (buffer !== view.heap) {
    view.heap = buffer;
    view.u8 = new Uint8Array(buffer);
    view.i32 = new Int32Array(buffer);
    view.f64 = new Float64Array(buffer);
  }
}

/** The heap now in use (growMemory replaces it, as memory.grow detaches WASM's buffer). */
export function currentHeap(): ArrayBuffer {
  return view.heap;
}

export function ld8(addr: usize): i32 {
  return view.u8[addr];
}
export function st8(addr: usize, v: i32): void {
  view.u8[addr] = v;
}
/** `addr` is 4-aligned: every table cell is. */
export function ld32(addr: usize): i32 {
  return view.i32[addr >>> 2];
}
export function st32(addr: usize, v: i32): void {
  view.i32[addr >>> 2] = v;
}
/** `addr` is 8-aligned: the record rows' f64 cells are (rows/layout.ts). */
export function ldf64(addr: usize): f64 {
  return view.f64[addr >>> 3];
}

export function stf64(addr: usize, v: f64): void {
  view.f64[addr >>> 3] = v;
}

/** Writes JavaScript's text for `x` (String(x): the shortest digits that read back as x) at
 *  `at`, at most `room` bytes of it; returns its whole length. For the numbers the core cannot
 *  prove it writes the same way itself (json/numbers.ts). */
export function formatNumber(x: f64, at: usize, room: i32): i32 {
  const s = String(x);
  const n = s.length < room ? s.length : room;
  for (let i = 0; i < n; i++) view.u8[at + i] = s.charCodeAt(i);
  return s.length;
}

/** Writes the ASCII string `s` at `at` (the WASM build may write up to 32 bytes: callers leave
 *  room; bytes past the string's length are meaningless). */
export function storeAscii(at: usize, s: string): void {
  const u8 = view.u8;
  for (let i = 0; i < s.length; i++) u8[at + i] = s.charCodeAt(i);
}

/** memmove of `n` bytes. */
export function copyBytes(dst: usize, src: usize, n: usize): void {
  view.u8.copyWithin(dst, src, src + n);
}

/** The class of each byte value (bytes.ts CharClass): one lookup answers "may this byte be in an
 *  identifier?", where the ranges took up to four compares. */
const CHAR_CLASSES = new Uint8Array([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17, 17, 17,
  17, 17, 17, 17, 17, 17, 17, 0, 0, 0, 0, 0, 0, 0, 18, 18, 18, 18, 18, 18, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 8, 0, 20, 20,
  20, 20, 20, 20, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);

/** The class bits of byte `c` (0..255). */
export function charClass(c: i32): i32 {
  return CHAR_CLASSES[c];
}

/** First address the core may use (WASM: __heap_base). */
export function heapBase(): usize {
  return 0;
}
export function memoryPages(): i32 {
  return view.heap.byteLength / PAGE;
}
/** The most headroom a growth adds beyond what was asked (a quarter of it, up to 64 MiB). */
const MAX_HEADROOM_PAGES = 1024;
/** The 4 GiB address space, in pages. */
const MAX_PAGES = 65536;

/** Grows the heap by at least `delta` pages, keeping its bytes; returns the old size in pages.
 *  Unlike WASM's memory.grow this copies, and reading the old heap makes its pages resident, so
 *  it grows with some headroom: an input's first reservations (the rows' block, then the tables
 *  of its first chunk, then a little more) then cost one growth, not three (peak RSS of a TS
 *  `parse` of 315 MB: 300 -> 85 MB). Pages never written stay untouched, so the headroom costs no memory. */
export function growMemory(delta: i32): i32 {
  const old = memoryPages();
  const want = old + delta;
  const roomy = Math.min(MAX_PAGES, want + Math.min(MAX_HEADROOM_PAGES, want >>> 2));
  let grown: ArrayBuffer;
  try {
    grown = new ArrayBuffer(roomy * PAGE);
  } catch {
    grown = new ArrayBuffer(want * PAGE); // (no room for the headroom: exactly what was asked)
  }
  const to = new Uint8Array(grown);
  // page by page, all-zero pages left out (the new heap is zero already): pages never written,
  // such as most of the rows' rings, then stay untouched in the new heap, so not resident
  const words = PAGE >>> 2;
  for (let p = 0; p < old; p++) {
    const w = p * words;
    let k = 0;
    while (k < words && view.i32[w + k] == 0) k++;
    if (k < words) to.set(view.u8.subarray(p * PAGE, (p + 1) * PAGE), p * PAGE);
  }
  useHeap(grown);
  return old;
}
/** Stops the core on a broken invariant (WASM: `unreachable`). */
export function trap(): void {
  throw new RangeError("strace-seq core: memory could not grow");
}

/** Stage 1: writes the offsets of "\n" in [from, len) of the chunk at `base` to `out` (i32 each),
 *  at most `cap`; returns how many. newlinesReached() tells where reading stopped. */
export function findNewlines(base: usize, from: i32, len: i32, out: usize, cap: i32): i32 {
  let n = 0;
  let p = from;
  const chunk = view.u8.subarray(base, base + len); // so indexOf stops at the chunk's end
  while (n < cap) {
    const nl = chunk.indexOf(10, p);
    if (nl < 0) {
      p = len;
      break;
    }
    view.i32[(out >>> 2) + n] = nl;
    n++;
    p = nl + 1;
  }
  view.reached = p;
  return n;
}
/** Offset of the first `"` or backslash in [p, end) of the chunk at `base`, or `end` (the WASM
 *  build looks at 16 bytes a step). */
export function quoteOrEscape(base: usize, p: i32, end: i32): i32 {
  const u8 = view.u8;
  while (p < end) {
    const c = u8[base + p];
    if (c === 34 || c === 92) return p;
    p++;
  }
  return end;
}

/** Copies the n <= 16 bytes at src to dst and returns true when none of them needs escaping in
 *  a JSON string (jsonPlainEnd); else false, with meaningless bytes written at dst (the WASM
 *  build writes 16 bytes in one step: callers leave room). */
export function copyJsonPlainShort(dst: usize, src: usize, n: i32): bool {
  const u8 = view.u8;
  for (let i = 0; i < n; i++) {
    const c = u8[src + i];
    if (isJsonOdd(c)) return false;
    u8[dst + i] = c;
  }
  return true;
}

/** Whether a JSON string cannot hold byte c as it is: a control byte, `"`, backslash, or one of
 *  0x80-0xff (two bytes of UTF-8 once the host's latin1 text is encoded). */
function isJsonOdd(c: i32): bool {
  return c < 0x20 || c >= 0x80 || c === 34 || c === 92;
}

/** Offset of the first byte in [p, end) at `base` that a JSON string cannot hold as it is (a
 *  control byte, `"`, backslash, or 0x80-0xff), or `end` (the WASM build looks at 16 bytes a step). */
export function jsonPlainEnd(base: usize, p: i32, end: i32): i32 {
  const u8 = view.u8;
  while (p < end) {
    if (isJsonOdd(u8[base + p])) return p;
    p++;
  }
  return end;
}

export function newlinesReached(): i32 {
  return view.reached;
}
