// Diagnostic records: every line that is not strace's own output, or that could not be read,
// becomes one of these with a stable code. README "Bad input" documents each code.

import { ErrCode } from "../core/abi.js";
import type { DiagnosticRecord } from "./record.js";

/** Every diagnostic code with what it means (README "Bad input" lists the same). */
export const DIAGNOSTIC_CODES = {
  "not-strace": "not a line strace prints (program output in a stderr capture, or an unknown shape)",
  "program-output": "program output interleaved into a strace line",
  "unterminated-string": "a quoted string does not end on this line",
  unbalanced: "a bracket, brace or parenthesis is not closed on this line",
  "unexpected-text": "text strace does not print at this point of a line",
  "too-deep": "nesting deeper than the parser follows",
  "bad-return": "the text after `)` is not a return value",
  "truncated-line": "the input ends in the middle of a line",
  "blank-line": "an empty line",
  "orphan-continuation": "the continuation of a split call whose first part is missing",
  "orphan-stack-frame": "a -k stack frame with no call before it",
  "orphan-dump": "a hex dump line with no call before it",
  "too-many-pending": "more unfinished calls pending than the configured cap",
  "nr-mismatch": "the -n syscall number does not match the syscall table",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** The diagnostic code for why the scanner could not read a line (its ErrCode; none: not strace). */
export function codeFor(err: number | undefined): DiagnosticCode {
  switch (err) {
    case ErrCode.UnterminatedString:
      return "unterminated-string";
    case ErrCode.Unbalanced:
      return "unbalanced";
    case ErrCode.Unexpected:
      return "unexpected-text";
    case ErrCode.TooDeep:
      return "too-deep";
    case ErrCode.BadReturn:
      return "bad-return";
    default:
      return "not-strace";
  }
}

/** A diagnostic record for a line (its whole text kept), with the code's message unless one is given. */
export function diagnostic(
  code: DiagnosticCode,
  at: { line: number; file?: string; text: string; crlf?: boolean },
  column: number,
  message?: string,
): DiagnosticRecord {
  const d: DiagnosticRecord = {
    type: "diagnostic",
    pid: null,
    line: at.line,
    column,
    code,
    message: message ?? DIAGNOSTIC_CODES[code],
    // the whole line: nothing is lost, and render gives it back
    text: at.text,
  };
  if (at.file !== undefined) d.file = at.file;
  if (at.crlf) d.fmt = { crlf: true };
  return d;
}

/** `file:line:column: code: message`, the form --strict and stderr summaries print. */
export function formatDiagnostic(d: DiagnosticRecord): string {
  return `${d.file ?? "<input>"}:${d.line}:${d.column}: ${d.code}: ${d.message}`;
}
