// TypeScript compiler-API transformers for the TS engine's build of the core (src/core): they make
// the module-level bindings the scanner reads on every byte constants, which Node 20's V8 folds
// and inlines where it cannot for `var`, `let`, `function` and imported bindings
// (docs/performance.md, "The TS engine's scanner"). They work on the syntax tree, so the source's
// layout does not matter, and they change no behaviour:
//
// - stateNamespacesToConsts (before tsc's own transforms): a namespace that only holds exported
//   variables with initialisers (the core's state: `regions`, `nodes`, `cur`, `output`) becomes
//   one `const` object with those fields. tsc would emit `var ns; (function (ns) {...})(ns || ...)`,
//   an object with the same fields behind a mutable binding.
// - functionsToConsts (after tsc's transforms, on the emitted JavaScript): a top-level
//   `function f` becomes `const f = function f`, placed before the module's other statements, which
//   is where a function declaration is initialised anyway.
//
// asc never sees these: the WASM build reads the source as written (namespaces become globals).

import ts from "typescript";

/** The names a namespace would get as fields, or null when it is not plain state. */
function stateFields(decl, siblings) {
  if (!ts.isIdentifier(decl.name) || !decl.body || !ts.isModuleBlock(decl.body)) return null;
  // A namespace merged with another declaration of the name (a function, a class, a second block)
  // is more than state.
  const name = decl.name.text;
  const sameName = siblings.filter((s) => declaredNames(s).includes(name));
  if (sameName.length !== 1) return null;
  const fields = [];
  for (const stmt of decl.body.statements) {
    if (!ts.isVariableStatement(stmt)) return null;
    if (!stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return null;
    for (const v of stmt.declarationList.declarations) {
      if (!ts.isIdentifier(v.name) || !v.initializer) return null;
      fields.push({ name: v.name.text, init: v.initializer });
    }
  }
  // An initialiser naming another field would read the namespace's own scope: not an object literal.
  const names = new Set(fields.map((f) => f.name));
  for (const f of fields) if (mentions(f.init, names)) return null;
  return fields;
}

function declaredNames(stmt) {
  if (ts.isVariableStatement(stmt)) return stmt.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  if ((ts.isFunctionDeclaration(stmt) || ts.isClassDeclaration(stmt) || ts.isEnumDeclaration(stmt) || ts.isModuleDeclaration(stmt)) && stmt.name) {
    return [stmt.name.text];
  }
  return [];
}

function mentions(node, names) {
  if (ts.isIdentifier(node) && names.has(node.text)) return true;
  return ts.forEachChild(node, (child) => mentions(child, names)) ?? false;
}

const hasExport = (node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const exportModifier = (node, factory) => (hasExport(node) ? [factory.createModifier(ts.SyntaxKind.ExportKeyword)] : undefined);

/**
 * Transformer factory: state namespaces in files accepted by `inScope(fileName)` become `const`
 * objects. `onSkip(fileName, name)` hears of each namespace left as tsc emits it.
 */
export function stateNamespacesToConsts(inScope, onSkip = () => {}) {
  return (context) => (file) => {
    if (!inScope(file.fileName)) return file;
    const { factory } = context;
    const statements = file.statements.map((stmt) => {
      if (!ts.isModuleDeclaration(stmt) || ts.isStringLiteral(stmt.name)) return stmt;
      if ((ts.getModifiers(stmt) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) return stmt; // emits nothing
      const fields = stateFields(stmt, file.statements);
      if (!fields) {
        onSkip(file.fileName, stmt.name.text);
        return stmt;
      }
      const object = factory.createObjectLiteralExpression(
        fields.map((f) => factory.createPropertyAssignment(f.name, f.init)),
        true,
      );
      const declaration = factory.createVariableDeclaration(stmt.name.text, undefined, undefined, object);
      const replaced = factory.createVariableStatement(exportModifier(stmt, factory), factory.createVariableDeclarationList([declaration], ts.NodeFlags.Const));
      return ts.setTextRange(ts.setOriginalNode(replaced, stmt), stmt);
    });
    return factory.updateSourceFile(file, statements);
  };
}

/** Transformer factory (for tsc's `after` stage): top-level function declarations in files accepted
 *  by `inScope(fileName)` become `const` bindings to named function expressions, hoisted. */
export function functionsToConsts(inScope) {
  return (context) => (file) => {
    if (!inScope(file.fileName)) return file;
    const { factory } = context;
    const imports = [];
    const functions = [];
    const rest = [];
    for (const stmt of file.statements) {
      if (ts.isImportDeclaration(stmt)) imports.push(stmt);
      else if (isConvertible(stmt)) functions.push(functionConst(stmt, factory));
      else rest.push(stmt);
    }
    if (functions.length === 0) return file;
    return factory.updateSourceFile(file, [...imports, ...functions, ...rest]);
  };
}

function isConvertible(stmt) {
  if (!ts.isFunctionDeclaration(stmt) || !stmt.name || !stmt.body) return false;
  // `export default function` has no binding to make const.
  return !(ts.getModifiers(stmt) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

function functionConst(fn, factory) {
  const asyncModifier = (ts.getModifiers(fn) ?? []).filter((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  const expression = factory.createFunctionExpression(asyncModifier, fn.asteriskToken, fn.name.text, undefined, fn.parameters, undefined, fn.body);
  const declaration = factory.createVariableDeclaration(fn.name.text, undefined, undefined, expression);
  const replaced = factory.createVariableStatement(exportModifier(fn, factory), factory.createVariableDeclarationList([declaration], ts.NodeFlags.Const));
  return ts.setOriginalNode(replaced, fn);
}
