// Types of transforms.mjs, for the tests that import it.
import type ts from "typescript";

/** State namespaces in files `inScope` accepts become `const` objects; `onSkip` hears of the others. */
export declare function stateNamespacesToConsts(
  inScope: (fileName: string) => boolean,
  onSkip?: (fileName: string, name: string) => void,
): ts.TransformerFactory<ts.SourceFile>;

/** Top-level function declarations in files `inScope` accepts become hoisted `const` bindings. */
export declare function functionsToConsts(inScope: (fileName: string) => boolean): ts.TransformerFactory<ts.SourceFile>;
