// Symbols (syscall names, numbers, refined names) become small integer ids so a window of k
// symbols can be a k-code-unit string: a cheap, exact Map key with no hashing of our own.

/** Code unit standing for any symbol the alphabet has never seen (never assigned as an id). */
export const UNKNOWN = 0xffff;
/** Code unit models may use as a start-of-sequence pad (never assigned as an id). */
export const START = 0xfffe;
/** Ids are below this. */
const RESERVED = 0xfffe;

/** Symbol ↔ small integer id, assigned in order of first sight; ids never change once given. */
export class Alphabet {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];

  /** An alphabet holding `symbols`, with ids in their order. */
  constructor(symbols: Iterable<string> = []) {
    for (const s of symbols) this.id(s);
  }

  /** How many symbols have ids. */
  get size(): number {
    return this.names.length;
  }

  /** The id of `symbol`, assigning the next free id on first sight. */
  id(symbol: string): number {
    let id = this.ids.get(symbol);
    if (id === undefined) {
      id = this.names.length;
      if (id >= RESERVED) throw new RangeError(`alphabet full: more than ${RESERVED} distinct symbols`);
      this.ids.set(symbol, id);
      this.names.push(symbol);
    }
    return id;
  }

  /** The id of `symbol`, or UNKNOWN without growing the alphabet. */
  lookup(symbol: string): number {
    return this.ids.get(symbol) ?? UNKNOWN;
  }

  /** The symbol with this id, if assigned. */
  symbol(id: number): string | undefined {
    return this.names[id];
  }

  /** All symbols in id order (for serialisation: position = id). */
  symbols(): readonly string[] {
    return this.names;
  }

  /**
   * One code unit per symbol. `grow` assigns ids to new symbols (training); otherwise unseen
   * symbols become UNKNOWN, which no stored window contains (scoring).
   */
  encode(symbols: readonly string[], grow: boolean): string {
    const codes = new Array<number>(symbols.length);
    for (let i = 0; i < symbols.length; i++) {
      codes[i] = grow ? this.id(symbols[i]!) : this.lookup(symbols[i]!);
    }
    return codesToString(codes);
  }
}

/** String.fromCharCode over large arrays overflows the argument stack; go in chunks. */
export function codesToString(codes: readonly number[]): string {
  const CHUNK = 8192;
  if (codes.length <= CHUNK) return String.fromCharCode(...codes);
  let out = "";
  for (let i = 0; i < codes.length; i += CHUNK) {
    out += String.fromCharCode(...codes.slice(i, i + CHUNK));
  }
  return out;
}

/** The ids of an encoded string. */
export function stringToCodes(s: string): number[] {
  const out = new Array<number>(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
