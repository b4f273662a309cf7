// The ./node entry: the same as the main Node entry.
export * from "./browser.js";
export {
  parseFile,
  expandInputs,
  openInput,
  pidFromFileName,
  type FileParseOptions,
  trace,
  attach,
  LiveTrace,
  LiveError,
  type LiveOptions,
  type LiveRecord,
  type LiveResult,
  type AlertRecord,
  type AlertOptions,
  type StraceOptions,
} from "./api/node.js";
