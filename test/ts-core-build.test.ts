// The TS engine's core build (scripts/ts-core/): the transformers make state namespaces and
// top-level functions `const` bindings on the syntax tree, whatever the source's layout, without
// changing what the code does; namespaces that are more than state are left alone and reported;
// the inliner substitutes only read-only helpers, only where nothing can change a result;
// and the bundled core has no mutable function or state-object bindings left. (That the bundled
// engine's output is unchanged is the engines, golden and JSONL-digest tests' job: under vitest
// they run this bundle, see vitest.config.ts.)

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import * as coreIndex from "../src/core/index.js";
import { bundleTsCore } from "../scripts/ts-core/bundle.mjs";
import { inlinePureHelpers } from "../scripts/ts-core/inline.mjs";
import { functionsToConsts, stateNamespacesToConsts } from "../scripts/ts-core/transforms.mjs";

const everywhere = () => true;

/** Compiles one module with both transformers, as the build does. */
function compile(source: string, skipped: string[] = []): string {
  return ts.transpileModule(source, {
    fileName: "core.ts",
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
    transformers: {
      before: [stateNamespacesToConsts(everywhere, (_file, name) => skipped.push(name))],
      after: [functionsToConsts(everywhere)],
    },
  }).outputText;
}

const tmp = mkdtempSync(join(tmpdir(), "ts-core-build-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let modules = 0;

/** Runs compiled module code and returns its exports. */
async function run(code: string): Promise<Record<string, unknown>> {
  const file = join(tmp, `m${modules++}.mjs`);
  writeFileSync(file, code);
  return import(/* @vite-ignore */ pathToFileURL(file).href);
}

/** Top-level declarations of a module: name -> "const" | "let" | "var" | "function" | "namespace-iife". */
function topLevel(code: string): Map<string, string> {
  const file = ts.createSourceFile("out.js", code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
  const kinds = new Map<string, string>();
  for (const stmt of file.statements) {
    if (ts.isFunctionDeclaration(stmt) && stmt.name) kinds.set(stmt.name.text, "function");
    if (ts.isVariableStatement(stmt)) {
      const flags = stmt.declarationList.flags;
      const kind = flags & ts.NodeFlags.Const ? "const" : flags & ts.NodeFlags.Let ? "let" : "var";
      for (const d of stmt.declarationList.declarations) if (ts.isIdentifier(d.name)) kinds.set(d.name.text, kind);
    }
  }
  return kinds;
}

const STATE_ONE_LINE = `
export namespace cur { export let end: i32 = 0; export let pid: i32 = -1; export let seen: bool = false; }
export function at(p: i32): i32 { return p < cur.end ? p * 2 : 0; }
function twice(p: i32): i32 { return at(p) + at(p); }
export function both(p: i32): i32 { cur.seen = true; return twice(p); }
`;

const STATE_REFLOWED = `
/** The cursor. */
export namespace cur
{
  // end of the line
  export let end: i32 =
    0;
  export let pid: i32 = -1;
  export let seen: bool =
    false;
}

export function at(
  p: i32,
): i32 {
  return p < cur.end ? p * 2 : 0;
}

function twice(p: i32): i32 {
  return at(p) + at(p);
}

export function both(p: i32): i32 {
  cur.seen = true;
  return twice(p);
}
`;

describe("the transformers", () => {
  it("make a state namespace one const object and functions const, whatever the layout", async () => {
    for (const source of [STATE_ONE_LINE, STATE_REFLOWED]) {
      const code = compile(source);
      expect(Object.fromEntries(topLevel(code))).toEqual({ cur: "const", at: "const", twice: "const", both: "const" });

      const m = (await run(code)) as { cur: { end: number; pid: number; seen: boolean }; at(p: number): number; both(p: number): number };
      expect(m.cur).toEqual({ end: 0, pid: -1, seen: false });
      expect(m.at(3)).toBe(0);
      m.cur.end = 10;
      expect(m.at(3)).toBe(6);
      expect(m.both(4)).toBe(16);
      expect(m.cur.seen).toBe(true);
      // functions keep their names (stack traces read as before)
      expect(m.at.name).toBe("at");
    }
  });

  it("keep a function callable before its declaration, as hoisting did", async () => {
    const code = compile(`
      export const TABLE: i32 = make(3);
      export function make(n: i32): i32 { return n * 7; }
      export async function later(): Promise<i32> { return make(1); }
      export function* count(): Generator<i32> { yield 1; yield 2; }
    `);
    const m = (await run(code)) as { TABLE: number; later(): Promise<number>; count(): Iterable<number> };
    expect(m.TABLE).toBe(21);
    expect(await m.later()).toBe(7);
    expect([...m.count()]).toEqual([1, 2]);
  });

  it("leave namespaces that are more than state as tsc emits them, and report them", async () => {
    const skipped: string[] = [];
    const code = compile(
      `
      export namespace withFunction { export let n: i32 = 1; export function get(): i32 { return n; } }
      export namespace selfReferring { export let a: i32 = 2; export let b: i32 = a + 1; }
      export function merged(): i32 { return merged.k; }
      export namespace merged { export let k: i32 = 5; }
      export namespace unexported { let hidden: i32 = 1; export let shown: i32 = hidden; }
      export namespace plain { export let x: i32 = 9; }
      `,
      skipped,
    );
    expect(skipped).toEqual(["withFunction", "selfReferring", "merged", "unexported"]);
    const kinds = topLevel(code);
    expect(kinds.get("plain")).toBe("const");
    expect(kinds.get("withFunction")).toBe("var");
    const m = (await run(code)) as Record<string, Record<string, number> & { get(): number } & (() => number)>;
    expect(m.withFunction.get()).toBe(1);
    expect(m.selfReferring.b).toBe(3);
    expect(m.merged()).toBe(5);
    expect(m.unexported.shown).toBe(1);
    expect(m.plain.x).toBe(9);
  });
});

const HELPERS = `
const view = { u8: new Uint8Array([5, 6, 7, 8]) };
const cur = { end: 3, calls: 0 };
const ld8 = function ld8(a) { return view.u8[a]; };
const at = function at(p) { return p < cur.end ? ld8(p) : 0; };
const twice = function twice(c) { return c + c; };
const bump = function bump(x) { return (cur.end = x); };
const biggest = function biggest(a, b) { return Math.max(a, b); };
const next = function next() { cur.calls++; return 1; };
`;

describe("the helper inliner", () => {
  it("substitutes read-only helpers into their callers, through helpers they call", async () => {
    const { code, inlined } = inlinePureHelpers(`${HELPERS}
export const read = function read(p) { return at(p) + at(p + 1); };
`);
    expect(inlined).toBeGreaterThanOrEqual(3); // two calls of at, each with ld8 inside it (and at's own)
    const m = (await run(code)) as { read(p: number): number };
    expect(String(m.read)).not.toMatch(/\b(at|ld8)\(/);
    expect(m.read(0)).toBe(11);
    expect(m.read(2)).toBe(7); // 7 + 0: position 3 is past cur.end
  });

  it("leaves calls that write, call unknown code, would be shadowed or would repeat work", async () => {
    const { code } = inlinePureHelpers(`${HELPERS}
export const writes = function writes() { return bump(2); };
export const unknown = function unknown() { return biggest(1, 2); };
export const shadow = function shadow(view) { return at(view); };
export const effect = function effect() { return at(next()); };
export const repeat = function repeat(p) { return twice(at(p)); };
export const state = cur;
`);
    const m = (await run(code)) as Record<string, (p?: number) => number> & { state: { end: number; calls: number } };
    expect(String(m.writes)).toContain("bump(2)");
    expect(String(m.unknown)).toContain("biggest(1, 2)");
    expect(String(m.shadow)).toContain("at(view)");
    expect(String(m.effect)).toContain("at(next())"); // next() runs once, before at reads
    expect(String(m.repeat)).toContain("twice(");
    expect(m.shadow(1)).toBe(6);
    expect(m.effect()).toBe(6);
    expect(m.state.calls).toBe(1);
    expect(m.repeat(0)).toBe(10);
    expect(m.writes()).toBe(2);
    expect(m.state.end).toBe(2);
  });
});

describe("the bundled core", () => {
  it("is one module whose functions and state objects are constants, exporting the core's entry points", async () => {
    const warnings: string[] = [];
    const { code, inlined } = await bundleTsCore({ warn: (m) => warnings.push(m) });
    expect(inlined).toBeGreaterThan(0);
    // A namespace left out would work, only slower: the build reports it, and here that fails.
    expect(warnings).toEqual([]);

    const kinds = topLevel(code);
    const byKind = (k: string) => [...kinds].filter(([, kind]) => kind === k).map(([name]) => name);
    expect(byKind("function")).toEqual([]);
    expect(byKind("var")).toEqual([]);
    for (const state of ["view", "regions", "nodes", "cur", "output"]) expect(kinds.get(state), state).toBe("const");
    expect(kinds.get("scanChunk")).toBe("const");

    const bundled = await run(code);
    expect(Object.keys(bundled).sort()).toEqual([...Object.keys(coreIndex), "currentHeap", "useHeap"].sort());
  });
});
