// Parquet output read back by an independent reader (DuckDB) and compared with the JSON Lines of
// the same input: convert --format parquet of a directory is, row for row, parse of it.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { SyscallRecord, TraceRecord } from "../src/model/record.js";
import { parse } from "../src/index.js";
import { PARQUET_COLUMNS, ParquetRecordWriter } from "../src/io/parquet.js";

const CLI = new URL("../dist/cli/main.js", import.meta.url).pathname;
const FIXTURES = new URL("../fixtures", import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });

let db: DuckDBInstance;
let con: DuckDBConnection;
beforeAll(async () => {
  db = await DuckDBInstance.create(":memory:");
  con = await db.connect();
});
afterAll(() => {
  con?.closeSync();
});

async function query(sql: string): Promise<Record<string, unknown>[]> {
  return (await con.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[];
}

/** One comparable line per syscall: the columns both sides carry, as text. */
function key(
  file: unknown,
  line: unknown,
  pid: unknown,
  name: unknown,
  nr: unknown,
  retText: unknown,
  errno: unknown,
  duration: unknown,
  time: unknown,
  args: unknown,
): string {
  return JSON.stringify([file, Number(line), pid === null ? null : Number(pid), name, nr === null ? null : Number(nr), retText, errno, duration, time, args]);
}

describe("Parquet output", () => {
  it("DuckDB over convert --format parquet of a directory gives parse's syscall records, per syscall name", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "parquet-"));
    const c = run(["convert", "-q", "--jobs", "2", "--format", "parquet", FIXTURES, "-o", out]);
    expect(c.status).toBe(0);
    const p = run(["parse", "-q", FIXTURES]);
    expect(p.status).toBe(0);
    const calls = p.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as TraceRecord)
      .filter((r): r is SyscallRecord => r.type === "syscall");
    expect(calls.length).toBeGreaterThan(3000);

    const perName = new Map<string, number>();
    for (const r of calls) perName.set(r.name, (perName.get(r.name) ?? 0) + 1);
    const rows = await query(`select name, count(*) as n from read_parquet('${out}/**/*.parquet') where type = 'syscall' group by name`);
    expect(new Map(rows.map((r) => [r.name as string, Number(r.n)]))).toEqual(perName);

    // (an INT32 column holds null for a value it cannot: a -n number no table gives, in a fuzz find)
    const int32 = (v: number | null | undefined) => (typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? v : null);
    const want = calls
      .map((r) =>
        key(
          r.file,
          r.line,
          int32(r.pid),
          r.name,
          int32(r.nr),
          r.retText ?? (r.ret === null ? null : String(r.ret)),
          r.errno,
          r.duration ?? null,
          r.time ?? null,
          JSON.stringify(r.args),
        ),
      )
      .sort();
    const got = (
      await query(`select file, line, pid, name, nr, ret_text, errno, duration, time, args from read_parquet('${out}/**/*.parquet') where type = 'syscall'`)
    )
      .map((r) => key(r.file, r.line, r.pid, r.name, r.nr, r.ret_text, r.errno, r.duration, r.time, r.args))
      .sort();
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) expect(got[i]).toBe(want[i]);

    // the query of docs/scale.md, run as written there over this output directory
    const doc = readFileSync(new URL("../docs/scale.md", import.meta.url), "utf8");
    const sql = /```sql\n([\s\S]*?)```/.exec(doc)![1].replace("'out/**/*.parquet'", `'${out}/**/*.parquet'`);
    const table = await query(sql);
    expect(table.map((r) => [r.name, Number(r.calls)])).toEqual([...perName].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
    const errs = new Map<string, number>();
    for (const r of calls) if (r.errno !== null) errs.set(r.name, (errs.get(r.name) ?? 0) + 1);
    for (const r of table) expect(Number(r.errors), String(r.name)).toBe(errs.get(r.name as string) ?? 0);

    // every file has the one documented schema, so a directory reads as one table
    const cols = await query(`describe select * from read_parquet('${out}/**/*.parquet')`);
    expect(cols.map((r) => r.column_name)).toEqual(PARQUET_COLUMNS);
    expect(Object.fromEntries(cols.map((r) => [r.column_name, r.column_type]))).toMatchObject({
      type: "VARCHAR",
      pid: "INTEGER",
      time: "DOUBLE",
      ret: "BIGINT",
      args: "VARCHAR",
      paths: "VARCHAR[]",
      fds: "INTEGER[]",
      line: "INTEGER",
    });
  });

  it("paths, fds, signals and exits as the typed API gives them; DuckDB's JSON functions read args", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "parquet-")), "a.parquet");
    const r = run(["parse", "-q", "--format", "parquet", path.join(FIXTURES, "analyze_y_f_T.strace"), "-o", file]);
    expect(r.status).toBe(0);
    // line 24: copy_file_range(3</tmp/fx/in.txt>, NULL, 1</tmp/fx/out.txt>, NULL, ...) = 11
    const [cfr] = await query(`select paths, fds, ret, ret_text, file from read_parquet('${file}') where line = 24`);
    expect(cfr.ret).toBe(11n);
    expect(cfr.ret_text).toBe("11");
    expect(JSON.stringify(cfr.paths)).toContain("/tmp/fx/in.txt");
    expect(String(cfr.file)).toMatch(/analyze_y_f_T\.strace$/);
    const [exit] = await query(`select signal, exit_code from read_parquet('${file}') where type = 'exit' and signal is not null`);
    expect(exit).toEqual({ signal: "SIGTERM", exit_code: null });
    const codes = await query(`select exit_code from read_parquet('${file}') where type = 'exit' and exit_code is not null order by line`);
    expect(codes.map((x) => x.exit_code)).toEqual([0, 1]);
    const [open] = await query(
      `select json_extract_string(args, '$[1].value') as path from read_parquet('${file}') where name = 'openat' and errno = 'ENOENT'`,
    );
    expect(open.path).toBe("/nonexistent");
  });

  it("a value an INT32 column cannot hold is null there (left out of fds) and kept in args: a -n number no table gives, an fd printed unsigned", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "parquet-"));
    const trace = path.join(dir, "odd.strace");
    writeFileSync(
      trace,
      ["[ 100000000000000000000] getuid()                         = 0", "[   3] close(4294967295)                = -1 EBADF (Bad file descriptor)", ""].join(
        "\n",
      ),
    );
    const file = path.join(dir, "odd.parquet");
    const r = run(["parse", "-q", "--format", "parquet", trace, "-o", file]);
    expect(r.status).toBe(0);
    const rows = await query(`select name, nr, fds, args from read_parquet('${file}') where type = 'syscall' order by line`);
    expect(rows.map((x) => [x.name, x.nr])).toEqual([
      ["getuid", null],
      ["close", 3],
    ]);
    expect(JSON.stringify(rows[1]!.fds)).toBe(JSON.stringify({ items: [] }));
    expect(String(rows[1]!.args)).toContain("4294967295");
  });

  it("writes row groups of a fixed size as it goes (bounded memory)", async () => {
    const text = readFileSync(path.join(FIXTURES, "analyze_f_T.strace"), "utf8");
    const records = (await parse(text)).records;
    const chunks: Uint8Array[] = [];
    const sizesSeen: number[] = [];
    const w = new ParquetRecordWriter((b) => void chunks.push(b), { rowGroup: 16, defaultFile: "x" });
    for (const rec of records) {
      w.add(rec);
      sizesSeen.push(chunks.length);
    }
    await w.finish();
    // bytes reached the sink before the end: after every 16th record a row group went out
    expect(sizesSeen[15]).toBeGreaterThan(0);
    expect(sizesSeen[records.length - 1]).toBeGreaterThanOrEqual(Math.floor(records.length / 16));
    const file = path.join(mkdtempSync(path.join(tmpdir(), "parquet-")), "g.parquet");
    writeFileSync(file, Buffer.concat(chunks));
    const groups = await query(
      `select row_group_id, max(row_group_num_rows) as n from parquet_metadata('${file}') group by row_group_id order by row_group_id`,
    );
    expect(groups.map((g) => Number(g.n))).toEqual([...Array(Math.ceil(records.length / 16))].map((_, i) => Math.min(16, records.length - 16 * i)));
    const [{ n }] = await query(`select count(*) as n from read_parquet('${file}')`);
    expect(Number(n)).toBe(records.length);
  });

  it("parse --format parquet needs a file", () => {
    const r = run(["parse", "--format", "parquet", path.join(FIXTURES, "overflow1.strace")]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("strace-seq: --format parquet writes a binary file: give it with -o FILE");
  });
});
