// strace 7.x `--color`: ANSI SGR sequences (`ESC [ params m`) around syscall names, arguments,
// strings, comments, return values and errno. The scanner never sees them: ColorStripper takes
// them out of the bytes before the feeder (only once a chunk holds an ESC, so uncoloured input
// pays two byte searches per chunk), remembers where each stood in its physical line, and puts
// them on the records as `fmt.sgr` so a coloured line gives exactly the record of the same line
// without colour, and render() can put the sequences back byte for byte.

import type { DiagnosticRecord, SyscallRecord, TraceRecord } from "./record.js";
import { firstHalfEnd } from "./stitch/combine.js";

/** The SGR sequences of one physical line of a record: `line` counts lines from the record's
 *  `line` (0 for its first); `at[i]` is the offset, in UTF-8 bytes of the line without its
 *  sequences, of the byte `seq[i]` stood before (ascending). */
export interface SgrLine {
  line: number;
  at: number[];
  seq: string[];
}

const ESC = 0x1b;
const LF = 0x0a;
const BRACKET = 0x5b; // [
const FINAL_M = 0x6d; // m
/** Longest sequence taken as SGR (strace's defaults are 5 bytes; STRACE_COLORS may lengthen them). */
const MAX_SGR = 64;
/** Lines whose sequences no record has claimed yet, kept at most (oldest dropped first). It only
 *  grows past a few lines while unfinished calls wait for their resumed half. */
const MAX_PENDING_LINES = 200_000;
/** Lines taken by records, remembered a little longer: a diagnostic about program output inside
 *  one of them can come out in a later batch than its record (a call split over two lines). */
const RECENT_LINES = 256;

/** Whether bytes[i..end) is `ESC [ digits/semicolons m`; returns its end, -1 if not SGR, or
 *  -2 if the bytes end before it could be told (a sequence cut by the chunk boundary). */
function sgrEnd(bytes: Uint8Array, i: number, end: number): number {
  if (i + 1 >= end) return -2;
  if (bytes[i + 1] !== BRACKET) return -1;
  for (let j = i + 2; j < end && j - i <= MAX_SGR; j++) {
    const b = bytes[j];
    if (b === FINAL_M) return j + 1;
    if (b !== 0x3b && (b < 0x30 || b > 0x39)) return -1;
  }
  return end - i <= MAX_SGR ? -2 : -1;
}

/** Sequences repeat endlessly (a handful of colours): one string each, looked up by their bytes. */
const seqCache = new Map<number, string>();

function sequenceText(bytes: Uint8Array, s: number, e: number): string {
  // up to 6 bytes (`ESC[35m`, `ESC[1;33m` is 7) fit a safe integer key exactly
  let key = e - s <= 6 ? 0 : -1;
  if (key === 0) {
    for (let i = s; i < e; i++) key = key * 256 + bytes[i];
    const hit = seqCache.get(key);
    if (hit !== undefined) return hit;
  }
  let out = "";
  for (let i = s; i < e; i++) out += String.fromCharCode(bytes[i]);
  if (key > 0 && seqCache.size < 4096) seqCache.set(key, out);
  return out;
}

/**
 * Removes SGR sequences from a byte stream chunk by chunk and keeps, per physical line, where
 * they stood; attach() hands them to the records of those lines.
 */
export class ColorStripper {
  /** Bytes taken out (so byte counts still describe the input). */
  removed = 0;
  /** Whether any ESC has been seen: until then chunks pass through untouched. */
  private active = false;
  /** Physical line (1-based) of the next byte, once active. */
  private line = 0;
  /** Bytes of the current line so far, without sequences. */
  private col = 0;
  /** An ESC sequence cut by the end of a chunk, waiting for the next one. */
  private held: Uint8Array | null = null;
  /** Sequences by physical line (`line` absolute until a record takes them over). */
  private readonly pending = new Map<number, SgrLine>();
  private readonly recentLine = new Float64Array(RECENT_LINES);
  private readonly recentMarks: (SgrLine | undefined)[] = new Array(RECENT_LINES);
  private recentNext = 0;

  /**
   * The chunk without its SGR sequences (the same array when it has none). `linesDone` is the
   * number of lines the parser has fully read so far; it is needed only the first time an ESC
   * appears, to number the lines from there.
   */
  strip(chunk: Uint8Array, linesDone: number): Uint8Array {
    if (this.held === null && !hasEsc(chunk)) {
      // the offset into the current line still has to be known when colour starts mid-line
      const nl = chunk.lastIndexOf(LF);
      if (nl < 0) this.col += chunk.length;
      else {
        if (this.active) this.line += countLf(chunk, 0, nl + 1);
        this.col = chunk.length - nl - 1;
      }
      return chunk;
    }
    if (!this.active) {
      this.active = true;
      this.line = linesDone + 1;
    }
    let buf = chunk;
    if (this.held !== null) {
      buf = new Uint8Array(this.held.length + chunk.length);
      buf.set(this.held);
      buf.set(chunk, this.held.length);
      this.held = null;
    }
    const out = new Uint8Array(buf.length);
    let n = 0;
    let line = this.line;
    let col = this.col;
    // one pass over the bytes: sequences are dense (a dozen or more per line), so a plain loop
    // beats searching for each ESC
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b === ESC) {
        const end = sgrEnd(buf, i, buf.length);
        if (end === -2) {
          this.held = buf.slice(i);
          break;
        }
        if (end > 0) {
          this.mark(line, col, sequenceText(buf, i, end));
          this.removed += end - i;
          i = end - 1;
          continue;
        }
        // a lone ESC that starts no SGR sequence is text like any other byte
      }
      out[n++] = b;
      if (b === LF) {
        line++;
        col = 0;
      } else col++;
    }
    this.line = line;
    this.col = col;
    return out.subarray(0, n);
  }

  /** What is still held back at the end of the input (an ESC sequence that never ended). */
  flush(): Uint8Array | null {
    const h = this.held;
    this.held = null;
    return h;
  }

  private mark(line: number, at: number, seq: string): void {
    let m = this.pending.get(line);
    if (!m) {
      m = { line, at: [], seq: [] };
      this.pending.set(line, m);
      if (this.pending.size > MAX_PENDING_LINES) this.pending.delete(this.pending.keys().next().value as number);
    }
    m.at.push(at);
    m.seq.push(seq);
  }

  /**
   * Gives records their lines' sequences (`fmt.sgr`), and diagnostics their line's original text
   * and a column counted in it. Records come from the stitcher, so a merged call claims its first
   * line and its resumed lines, not the other records' lines between them.
   */
  attach(recs: TraceRecord[], lean = false): void {
    if (!this.active) return;
    for (const r of recs) {
      if (r.type === "diagnostic") {
        // program output inside a record's line, or glued after a call's text: the line is the
        // record's, only the column is counted again
        if (r.fmt?.inline || r.fmt?.glued) {
          this.remapColumn(r, this.peek(r.line));
          continue;
        }
        const m = this.take(r.line);
        if (!m) continue;
        this.remapColumn(r, m);
        r.text = insertMarks(r.text, m.at, m.seq);
        continue;
      }
      // a record glued onto the previous record's line has its sequences rendered with that one
      if (r.fmt?.glued) continue;
      const marks: SgrLine[] = [];
      const first = r.line;
      const end = r.endLine ?? r.line;
      const resumed = r.type === "syscall" ? r.resumedLine : undefined;
      if (resumed !== undefined) {
        // the first half's lines, then the resumed half's; other records' lines lie between
        const firstEnd = firstHalfEnd.get(r as SyscallRecord) ?? first;
        for (let l = first; l <= firstEnd; l++) this.claim(l, first, marks);
        for (let l = resumed; l <= end; l++) this.claim(l, first, marks);
      } else {
        for (let l = first; l <= end; l++) this.claim(l, first, marks);
      }
      // lean records carry no layout; their lines' sequences are only let go
      if (marks.length > 0 && !lean) (r.fmt ??= {}).sgr = marks;
    }
  }

  /** The line's sequences move into the record (no copy), counted from the record's first line. */
  private claim(line: number, first: number, marks: SgrLine[]): void {
    const m = this.take(line);
    if (!m) return;
    m.line = line - first;
    marks.push(m);
  }

  private take(line: number): SgrLine | undefined {
    const m = this.pending.get(line);
    if (!m) return undefined;
    this.pending.delete(line);
    this.recentLine[this.recentNext] = line;
    this.recentMarks[this.recentNext] = m;
    this.recentNext = (this.recentNext + 1) % RECENT_LINES;
    return m;
  }

  /** A line's sequences, whether or not a record has taken them (only diagnostics ask). */
  private peek(line: number): SgrLine | undefined {
    const m = this.pending.get(line);
    if (m) return m;
    for (let i = 0; i < RECENT_LINES; i++) if (this.recentLine[i] === line && this.recentMarks[i]) return this.recentMarks[i];
    return undefined;
  }

  /** A column counted in the line without sequences, counted again in the line with them. */
  private remapColumn(d: DiagnosticRecord, m: SgrLine | undefined): void {
    if (!m) return;
    const c = d.column - 1;
    let extra = 0;
    for (let i = 0; i < m.at.length && m.at[i] <= c; i++) extra += m.seq[i].length;
    d.column += extra;
  }
}

/** Node's Buffer searches a byte with memchr, ~10x faster than TypedArray indexOf (which reads
 *  ~1 GB/s): what lets uncoloured input pay nearly nothing. Browsers use indexOf. */
const NodeBuffer = (globalThis as { Buffer?: { from(b: ArrayBufferLike, off: number, len: number): { indexOf(v: number): number } } }).Buffer;

function hasEsc(chunk: Uint8Array): boolean {
  if (NodeBuffer !== undefined) return NodeBuffer.from(chunk.buffer, chunk.byteOffset, chunk.length).indexOf(ESC) >= 0;
  return chunk.indexOf(ESC) >= 0;
}

function countLf(buf: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let i = buf.indexOf(LF, s); i >= 0 && i < e; i = buf.indexOf(LF, i + 1)) n++;
  return n;
}

/** UTF-8 byte length of the UTF-16 code unit at i of s (a surrogate pair counts 4 on its first half). */
function utf8Units(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff) return 4;
  if (c >= 0xdc00 && c <= 0xdfff) return 0;
  return 3;
}

/** `text` with each sequence put back before the byte at its UTF-8 offset (offsets ascending;
 *  those beyond the text's end go at its end). */
export function insertMarks(text: string, at: number[], seq: string[]): string {
  let out = "";
  let bytePos = 0;
  let i = 0;
  let k = 0;
  let from = 0;
  while (k < at.length) {
    while (i < text.length && bytePos < at[k]) bytePos += utf8Units(text, i++);
    out += text.slice(from, i) + seq[k];
    from = i;
    k++;
  }
  return out + text.slice(from);
}

/** UTF-8 byte length of a string. */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) n += utf8Units(s, i);
  return n;
}

/**
 * Puts a record's `fmt.sgr` sequences back into its rendered text. Sequences beyond the end of the
 * text's last line belong to a record glued onto that line; they are returned as `carry`, with
 * offsets counted from where that record's text starts.
 */
export function applySgr(text: string, sgr: SgrLine[], carryIn: SgrLine | null): { text: string; carry: SgrLine | null } {
  const lines = text.split("\n");
  let carry: SgrLine | null = null;
  const last = lines.length - 1;
  const all = carryIn ? [carryIn, ...sgr] : sgr;
  for (const m of all) {
    if (m.line > last) continue;
    let at = m.at;
    let seq = m.seq;
    if (m.line === last) {
      // sequences past the end stood in the text of a record glued onto this line
      const len = utf8Length(lines[last]);
      let k = at.length;
      while (k > 0 && at[k - 1] > len) k--;
      if (k < at.length) {
        carry = { line: 0, at: at.slice(k).map((o) => o - len), seq: seq.slice(k) };
        at = at.slice(0, k);
        seq = seq.slice(0, k);
      }
    }
    lines[m.line] = insertMarks(lines[m.line], at, seq);
  }
  return { text: lines.join("\n"), carry };
}
