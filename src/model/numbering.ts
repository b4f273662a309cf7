// Gives syscall records their number (`nr`) in the architecture of the process that made them.
// `[ Process PID=N runs in 32 bit mode. ]` switches a process's personality; a `-n` number wins
// over the table, and one that matches no personality's table is reported.

import { archForPersonality, multiplexerNumber, syscallNumber, type Arch } from "../knowledge/index.js";
import { diagnostic } from "./diagnostics.js";
import type { DiagnosticRecord, MessageRecord, SyscallRecord } from "./record.js";

const PERSONALITIES: Arch[] = ["x86_64", "i386", "x32"];

export class SyscallNumbering {
  private readonly archByPid = new Map<number | null, Arch>();

  constructor(private readonly defaultArch: Arch) {}

  /** No process has switched personality (every number is the default table's). */
  get idle(): boolean {
    return this.archByPid.size === 0;
  }

  observe(msg: MessageRecord): void {
    if (msg.kind !== "personality" || msg.mode === undefined) return;
    const arch = archForPersonality(msg.mode);
    if (arch) this.archByPid.set(msg.pid, arch);
  }

  /** Sets rec.nr (and rec.arch when not the default); returns a diagnostic for a -n mismatch. */
  number(rec: SyscallRecord): DiagnosticRecord | undefined {
    if (!rec.name || rec.fmt?.cont) return undefined;
    const arch = this.archByPid.get(rec.pid) ?? this.defaultArch;
    const printed = rec.fmt?.scno !== undefined ? Number(rec.fmt.scno.trim()) : NaN;
    if (Number.isInteger(printed)) {
      rec.nr = printed;
      if (syscallNumber(rec.name, arch) === printed) {
        if (arch !== this.defaultArch) rec.arch = arch;
        return undefined;
      }
      // -o traces lose the personality messages: find the personality the number belongs to.
      for (const a of PERSONALITIES) {
        if (syscallNumber(rec.name, a) === printed || multiplexerNumber(rec.name, a) === printed) {
          if (a !== this.defaultArch) rec.arch = a;
          return undefined;
        }
      }
      return diagnostic(
        "nr-mismatch",
        { line: rec.line, text: "" },
        1,
        `-n printed ${printed} for ${rec.name}, which no syscall table (${PERSONALITIES.join(", ")}) gives that number`,
      );
    }
    const nr = syscallNumber(rec.name, arch);
    if (nr !== undefined) rec.nr = nr;
    if (arch !== this.defaultArch) rec.arch = arch;
    return undefined;
  }
}
