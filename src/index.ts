// strace-seq for Node: the browser-safe API plus file and stream helpers.
export * from "./browser.js";
export { parseFile, expandInputs, openInput, pidFromFileName, type FileParseOptions } from "./api/node.js";
