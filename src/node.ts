// The ./node entry: the same as the main Node entry.
export * from "./index.js";
