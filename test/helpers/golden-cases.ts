// Reads the golden case files of test/cases/ (format: test/cases/README.md): a `# name [options]`
// header, the input lines verbatim, a `==>` line, then the expected records as JSON objects.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Options a case may give in brackets after its name. */
export interface CaseOptions {
  /** `no-merge`: parse with `merge: false` (one record per input line). */
  merge?: false;
  /** `no-newline`: the input's last line has no newline (a trace cut off mid-line). */
  noNewline?: true;
  /** `maxPending=N`, `maxHeld=N`: the stitcher's caps. */
  maxPending?: number;
  maxHeld?: number;
  /** `arch=i386` etc.: the trace's default architecture. */
  arch?: "x86_64" | "i386" | "x32" | "arm64";
  /** `pid=N`: the pid of a `-ff` per-process file. */
  pid?: number;
}

export interface GoldenCase {
  /** `file.txt: name`, unique over all files. */
  id: string;
  file: string;
  /** 1-based line of the case's header in its file, for messages. */
  headerLine: number;
  name: string;
  options: CaseOptions;
  /** The input exactly as the parser gets it. */
  input: string;
  expected: Record<string, unknown>[];
}

const ARCHES = new Set(["x86_64", "i386", "x32", "arm64"]);

function parseOptions(text: string, where: string): CaseOptions {
  const o: CaseOptions = {};
  for (const raw of text.split(",")) {
    const opt = raw.trim();
    if (opt === "") continue;
    const [key, value] = opt.split("=", 2) as [string, string | undefined];
    if (key === "no-merge" && value === undefined) o.merge = false;
    else if (key === "no-newline" && value === undefined) o.noNewline = true;
    else if ((key === "maxPending" || key === "maxHeld" || key === "pid") && value !== undefined && /^\d+$/.test(value)) o[key] = Number(value);
    else if (key === "arch" && value !== undefined && ARCHES.has(value)) o.arch = value as CaseOptions["arch"];
    else throw new Error(`${where}: unknown case option "${opt}"`);
  }
  return o;
}

/** Parses one case file's text. Text before the first `# ` header is the file's description. */
export function parseCaseFile(file: string, text: string): GoldenCase[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const cases: GoldenCase[] = [];
  let i = 0;
  while (i < lines.length && !lines[i]!.startsWith("# ")) i++;
  while (i < lines.length) {
    const headerLine = i + 1;
    const where = `${file}:${headerLine}`;
    const m = /^# (.*?)(?:\s+\[([^\]]*)\])?\s*$/.exec(lines[i]!);
    if (!m || m[1]!.trim() === "") throw new Error(`${where}: a case header is "# name [options]"`);
    const name = m[1]!.trim();
    const options = parseOptions(m[2] ?? "", where);
    i++;
    const input: string[] = [];
    while (i < lines.length && lines[i] !== "==>") {
      if (lines[i]!.startsWith("# ")) throw new Error(`${where}: case "${name}" has no "==>" line`);
      input.push(lines[i]!);
      i++;
    }
    if (i >= lines.length) throw new Error(`${where}: case "${name}" has no "==>" line`);
    i++;
    // expected records: a line starting with `{` opens one; indented lines continue it
    const chunks: { text: string; line: number }[] = [];
    while (i < lines.length && !lines[i]!.startsWith("# ")) {
      const l = lines[i]!;
      if (l.startsWith("{")) chunks.push({ text: l, line: i + 1 });
      else if (l.trim() !== "") {
        if (chunks.length === 0 || !/^\s/.test(l))
          throw new Error(`${file}:${i + 1}: expected a JSON record starting with "{" (continuation lines are indented)`);
        chunks[chunks.length - 1]!.text += "\n" + l;
      }
      i++;
    }
    const expected = chunks.map(({ text, line }) => {
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch (e) {
        throw new Error(`${file}:${line}: ${(e as Error).message}`, { cause: e });
      }
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${file}:${line}: a record must be a JSON object`);
      return v as Record<string, unknown>;
    });
    if (input.length === 0) throw new Error(`${where}: case "${name}" has no input`);
    const body = input.join("\n");
    const id = `${file}: ${name}`;
    if (cases.some((c) => c.id === id)) throw new Error(`${where}: duplicate case name "${name}"`);
    cases.push({ id, file, headerLine, name, options, input: options.noNewline ? body : body + "\n", expected });
  }
  return cases;
}

/** Every case of every `*.txt` file in `dir`, files in name order. */
export function loadCases(dir: string): GoldenCase[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort();
  return files.flatMap((f) => parseCaseFile(f, readFileSync(join(dir, f), "utf8")));
}
