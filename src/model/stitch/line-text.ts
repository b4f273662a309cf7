// What the stitcher is told about each physical line besides the scanner's record.

/** What the stitcher knows about the physical line it is given. */
export interface LineText {
  line: number;
  file?: string;
  /** The whole line, for diagnostics and tables. */
  text: string;
  /** 1-based column where reading failed, when it did. */
  errColumn?: number;
  errCode?: number;
  /** The line had no newline and ended the input. */
  last?: boolean;
  /** The line ended with `\r\n`. */
  crlf?: boolean;
}
