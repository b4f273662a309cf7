// Replacement for AssemblyScript's `env.abort` import (wired with `--use abort=assembly/abort/abort`),
// so the module has no imports at all and instantiates with `{}` in Node, browsers and workers.
// Nothing here can report a message without an import, so a failed assertion simply traps;
// the host sees a WebAssembly.RuntimeError.
export function abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}
