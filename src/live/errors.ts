// What can stop a live trace before it starts, checked up front where that is possible and
// read from strace's own message where only strace can tell (ptrace permission), each turned
// into one line a user can act on.

import { accessSync, constants, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** A live trace could not start. `message` is one line; the CLI prints it and exits 2. */
export class LiveError extends Error {
  /** An error with a one-line `message` and a `code` saying which failure it is. */
  constructor(
    message: string,
    /** `strace-missing`, `program-not-found`, `not-executable`, `no-such-pid`, `ptrace-denied`, `strace-failed`, `bad-model`. */
    readonly code: string,
  ) {
    super(message);
    this.name = "LiveError";
  }
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `name` looked up the way execvp does: a name with a slash as it is, else each PATH entry. */
export function which(name: string, envPath = process.env.PATH ?? ""): string | undefined {
  if (name.includes("/")) return isExecutableFile(name) ? name : undefined;
  for (const dir of envPath.split(path.delimiter)) {
    const file = path.join(dir === "" ? "." : dir, name);
    if (isExecutableFile(file)) return file;
  }
  return undefined;
}

/** The strace to run, or the error that says how to install it. */
export function findStrace(envPath?: string): string {
  const found = which("strace", envPath);
  if (found) return found;
  throw new LiveError(
    "strace is not installed (not found on PATH); install it with your package manager, e.g. `apt-get install strace`, `dnf install strace` or `apk add strace`",
    "strace-missing",
  );
}

/** Checks the program exists and can be run, as strace's own exec would need. */
export function checkProgram(command: string, envPath?: string): void {
  if (command === "") throw new LiveError("no program to trace: give one after `--`, or -p PID", "program-not-found");
  if (which(command, envPath)) return;
  if (command.includes("/")) {
    let exists = false;
    try {
      exists = statSync(command).isFile();
    } catch {
      /* missing */
    }
    if (exists) throw new LiveError(`${command}: permission denied (not executable)`, "not-executable");
    throw new LiveError(`${command}: no such file`, "program-not-found");
  }
  throw new LiveError(`${command}: command not found (not on PATH)`, "program-not-found");
}

/** Checks each pid names a running process (signal 0 probes without sending anything). */
export function checkPids(pids: readonly number[]): void {
  for (const pid of pids) {
    if (!Number.isInteger(pid) || pid < 1) throw new LiveError(`not a process id: ${pid}`, "no-such-pid");
    try {
      process.kill(pid, 0);
    } catch (e) {
      // EPERM: it exists but belongs to someone else; whether ptrace may attach is strace's to say
      if ((e as NodeJS.ErrnoException).code === "ESRCH") throw new LiveError(`no such process: ${pid}`, "no-such-pid");
    }
  }
}

/** kernel.yama.ptrace_scope, when the Yama module is there. */
export function ptraceScope(): number | undefined {
  try {
    const n = Number(readFileSync("/proc/sys/kernel/yama/ptrace_scope", "utf8").trim());
    return Number.isInteger(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The one-line explanation of a refused ptrace. */
export function ptraceDenied(what: string): LiveError {
  const scope = ptraceScope();
  const now = scope === undefined ? "not set here (no Yama)" : `${scope}`;
  const fix =
    scope !== undefined && scope >= 3
      ? "ptrace_scope 3 forbids ptrace until reboot"
      : "run as root or grant the CAP_SYS_PTRACE capability (containers: --cap-add=SYS_PTRACE), or for your own processes set `sysctl kernel.yama.ptrace_scope=0`";
  return new LiveError(
    `ptrace is not permitted to ${what}: another user's process, or any process not your child when kernel.yama.ptrace_scope is 1 or more (now: ${now}), needs CAP_SYS_PTRACE; ${fix}`,
    "ptrace-denied",
  );
}

/** strace's own error lines (stderr) mapped to a LiveError, or undefined when none explains the failure. */
export function straceFailure(lines: readonly string[], what: string): LiveError | undefined {
  for (const line of lines) {
    if (/Operation not permitted|EPERM/.test(line) && /ptrace|attach|PTRACE/.test(line)) return ptraceDenied(what);
    const m = /attach: ptrace\(PTRACE_\w+, (\d+)\): No such process/.exec(line);
    if (m) return new LiveError(`no such process: ${m[1]}`, "no-such-pid");
  }
  for (const line of lines) {
    if (line.startsWith("strace: ") && !/Process \d+ (attached|detached)/.test(line)) return new LiveError(`strace failed: ${line.slice(8)}`, "strace-failed");
  }
  return undefined;
}
