// Where the parts of the line being written as JSON are (rows/json.ts and its helpers), found once
// per line, and the writers' way to refuse a shape.

import { output } from "../json/out.js";

/** Where the line's parts are (node indices, -1 for none; fields of one object: see scan/cursor.ts). */
export namespace shape {
  export let pidNode: i32 = -1;
  export let bracket: bool = false;
  export let comm: i32 = -1;
  export let time: i32 = -1;
  export let ip: i32 = -1;
  export let scno: i32 = -1;
  /** First node after the prefix, and the byte where the body starts. */
  export let body: i32 = 0;
  export let bodyStart: i32 = 0;
  export let canonicalPrefix: bool = true;
  export let name: i32 = -1;
  export let args: i32 = -1;
  export let pad: i32 = -1;
  export let ret: i32 = -1;
  export let retDecor: i32 = -1;
  export let retDeleted: bool = false;
  export let errno: i32 = -1;
  export let errmsg: i32 = -1;
  export let aux: i32 = -1;
  export let duration: i32 = -1;
  /** Whether the head part wrote any argument. */
  export let argsWritten: bool = false;
  /** The line's parts were found (an unfinished call's head and endings reuse them), and whether
   *  they are all written here. */
  export let known: bool = false;
  export let writable: bool = false;
}

/** No parts found yet (readPrefix starts with this). */
export function clearShape(): void {
  shape.pidNode = -1;
  shape.bracket = false;
  shape.comm = -1;
  shape.time = -1;
  shape.ip = -1;
  shape.scno = -1;
  shape.name = -1;
  shape.args = -1;
  shape.pad = -1;
  shape.ret = -1;
  shape.retDecor = -1;
  shape.retDeleted = false;
  shape.errno = -1;
  shape.errmsg = -1;
  shape.aux = -1;
  shape.duration = -1;
}

/** A new line is in `line`: its parts are found again at the next putRecordPart. */
export function forgetShape(): void {
  shape.known = false;
}

/** The record has a shape the core does not write: its rows stop (RowsAbort.Json). */
export function refuse(): void {
  output.unsupported = true;
}
