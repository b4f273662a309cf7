// Types of inline.mjs, for the tests that import it.

/** Inlines the calls of small read-only helpers in an ES module; the new code and the count. */
export declare function inlinePureHelpers(code: string): { code: string; inlined: number };
