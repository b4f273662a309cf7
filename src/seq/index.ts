// Sequences, windows, n-grams and lookahead pairs: the sequence-set side of strace-seq.
export { Alphabet, UNKNOWN, START, codesToString, stringToCodes } from "./alphabet.js";
export { windows, windowCount, forEachWindow, WindowCounts } from "./windows.js";
export { ngramCounts, type NgramOptions } from "./ngrams.js";
export { lookaheadPairs, lookaheadTotal, forEachPair } from "./lookahead.js";
export { symbolizer, adfaSymbolizer, firstFlagArg, isSymbolMode, type SymbolMode } from "./symbols.js";
export { sequences, sequencesSync, SequenceBuilder, type Sequence, type SequenceOptions, type SequenceUnit } from "./sequences.js";
export { sequenceLine, sequenceText, windowLine, csvField, SEQUENCE_CSV_HEADER, WINDOW_CSV_HEADER, type SequenceFormat } from "./export.js";
export { ArgSymbolizer, PathClassLearner, normalisePath, DEFAULT_MIN_CHILDREN, type PathClasses } from "./args.js";
