// Stage 2: the per-line scanner. The chunk driver (index.ts) frames lines and writes each row's
// Start/End/NodeStart/NodeEnd; scanLine fills in the rest of the row and appends the line's nodes.
//
// Phase 1 placeholder: classifies lines as Blank or Foreign only and writes no nodes. The real
// argument scanner (a port of src/engine/ts/scanner.ts) replaces this file behind the same entry.

import { LineField, LineKind, ErrCode } from "../src/engine/abi";

/**
 * Scans the line `[start, end)` (offsets relative to `base`, the chunk's first byte; `end` excludes
 * the terminator) and writes Kind/Err/ErrAt/Pid into the line row at `row`.
 * Returns false when the node table filled up before the line was done; the driver then discards
 * the line's nodes and stops the chunk at this line boundary.
 */
export function scanLine(base: usize, start: i32, end: i32, row: usize): bool {
  let kind = LineKind.Blank;
  for (let i = start; i < end; i++) {
    const c = load<u8>(base + <usize>i);
    if (c != 0x20 && c != 0x09) {
      kind = LineKind.Foreign;
      break;
    }
  }
  store<i32>(row, kind, LineField.Kind << 2);
  store<i32>(row, ErrCode.None, LineField.Err << 2);
  store<i32>(row, 0, LineField.ErrAt << 2);
  store<i32>(row, -1, LineField.Pid << 2);
  return true;
}
