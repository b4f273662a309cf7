// The ./node entry: the same as the main Node entry.
export * from "./browser.js";
export { parseFile, expandInputs, openInput, pidFromFileName, type FileParseOptions } from "./api/node.js";
