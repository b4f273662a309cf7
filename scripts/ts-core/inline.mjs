// A pass over the bundled TS core (after rollup): calls of small pure helpers — a top-level
// `const f = function f(a, b) { return EXPR; }` whose EXPR only reads (no assignment, no call but
// to other such helpers) — are replaced by EXPR with the arguments put in place of the parameters,
// when every argument is itself a side-effect-free read (names, literals, property reads,
// arithmetic). The core reads memory through such helpers (`ld8`, `at`, `byteAt`); V8 inlines
// them too, but the grammar's large functions use up its inlining budget first
// (docs/performance.md). Evaluation order cannot change what such code does: nothing in it writes.
// Works on the syntax tree (TypeScript's parser and printer), so layout does not matter.

import ts from "typescript";

const MAX_DEPTH = 8;

/** Whether `node` (an argument) only reads: names, literals, property reads and operators. */
function isPureArgument(node) {
  if (ts.isIdentifier(node) || ts.isNumericLiteral(node) || ts.isStringLiteral(node)) return true;
  if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) return true;
  if (ts.isParenthesizedExpression(node)) return isPureArgument(node.expression);
  if (ts.isPropertyAccessExpression(node)) return isPureArgument(node.expression);
  if (ts.isElementAccessExpression(node)) return isPureArgument(node.expression) && isPureArgument(node.argumentExpression);
  if (ts.isPrefixUnaryExpression(node))
    return node.operator !== ts.SyntaxKind.PlusPlusToken && node.operator !== ts.SyntaxKind.MinusMinusToken && isPureArgument(node.operand);
  if (ts.isBinaryExpression(node)) return !isAssignment(node.operatorToken.kind) && isPureArgument(node.left) && isPureArgument(node.right);
  if (ts.isConditionalExpression(node)) return isPureArgument(node.condition) && isPureArgument(node.whenTrue) && isPureArgument(node.whenFalse);
  return false;
}

/** Whether `node` is cheap enough to repeat where a parameter is read more than once: names,
 *  literals, property reads and a little arithmetic on them (no memory read, no branch). */
function isCheap(node, depth = 0) {
  if (depth > 2) return false;
  if (ts.isIdentifier(node) || ts.isNumericLiteral(node) || ts.isStringLiteral(node)) return true;
  if (ts.isParenthesizedExpression(node)) return isCheap(node.expression, depth);
  if (ts.isPropertyAccessExpression(node)) return isCheap(node.expression, depth);
  if (ts.isPrefixUnaryExpression(node)) return node.operator === ts.SyntaxKind.MinusToken && isCheap(node.operand, depth + 1);
  if (ts.isBinaryExpression(node)) return !isAssignment(node.operatorToken.kind) && isCheap(node.left, depth + 1) && isCheap(node.right, depth + 1);
  return false;
}

function isAssignment(kind) {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** A helper's body, or null when `init` is not `function (plain params) { return EXPR; }`. */
function helperShape(name, init) {
  if (!init || !ts.isFunctionExpression(init) || init.asteriskToken || init.modifiers?.length) return null;
  const params = [];
  for (const p of init.parameters) {
    if (!ts.isIdentifier(p.name) || p.initializer || p.dotDotDotToken) return null;
    params.push(p.name.text);
  }
  const body = init.body.statements;
  if (body.length !== 1 || !ts.isReturnStatement(body[0]) || !body[0].expression) return null;
  return { name, params, expr: body[0].expression, calls: new Set(), free: new Set(), uses: new Map() };
}

/** Fills `h.calls` and `h.free`; false when the expression does more than read. */
function onlyReads(h) {
  const params = new Set(h.params);
  const walk = (node) => {
    if (ts.isCallExpression(node)) {
      if (!ts.isIdentifier(node.expression)) return false;
      h.calls.add(node.expression.text);
      h.free.add(node.expression.text);
      return node.arguments.every(walk);
    }
    if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind)) return false;
    if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)
    )
      return false;
    if (
      ts.isFunctionLike(node) ||
      ts.isClassLike(node) ||
      ts.isNewExpression(node) ||
      ts.isDeleteExpression(node) ||
      ts.isAwaitExpression(node) ||
      ts.isYieldExpression(node)
    )
      return false;
    if (ts.isTaggedTemplateExpression(node) || node.kind === ts.SyntaxKind.ThisKeyword) return false;
    if (ts.isIdentifier(node)) {
      if (node.text === "arguments") return false;
      if (params.has(node.text)) h.uses.set(node.text, (h.uses.get(node.text) ?? 0) + 1);
      else h.free.add(node.text);
      return true;
    }
    if (ts.isPropertyAccessExpression(node)) return walk(node.expression); // the name is not a variable
    return ts.forEachChild(node, (child) => (walk(child) ? undefined : true)) === undefined;
  };
  return walk(h.expr);
}

/** The pure helpers among the top-level constants: read-only bodies calling only each other. */
function findHelpers(file) {
  const helpers = new Map();
  for (const stmt of file.statements) {
    if (!ts.isVariableStatement(stmt) || !(stmt.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of stmt.declarationList.declarations) {
      if (!ts.isIdentifier(d.name)) continue;
      const h = helperShape(d.name.text, d.initializer);
      if (h && onlyReads(h)) helpers.set(h.name, h);
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const h of helpers.values()) {
      if ([...h.calls].some((c) => !helpers.has(c) || c === h.name)) {
        helpers.delete(h.name);
        changed = true;
      }
    }
  }
  return helpers;
}

/** Every name declared anywhere inside `node` (parameters, variables, functions, classes, catch). */
function declaredInside(node, out = new Set()) {
  const add = (name) => {
    if (ts.isIdentifier(name)) out.add(name.text);
    else if (name && (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name)))
      for (const e of name.elements) if (!ts.isOmittedExpression(e)) add(e.name);
  };
  if (ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isBindingElement(node)) add(node.name);
  if ((ts.isFunctionLike(node) || ts.isClassLike(node)) && node.name) add(node.name);
  ts.forEachChild(node, (child) => void declaredInside(child, out));
  return out;
}

/** The names a top-level statement declares in the module scope. */
function topLevelNames(stmt) {
  if (ts.isVariableStatement(stmt)) return stmt.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  if ((ts.isFunctionDeclaration(stmt) || ts.isClassDeclaration(stmt)) && stmt.name) return [stmt.name.text];
  return [];
}

/** The free names a helper's expansion reads (its own and those of the helpers it calls). */
function expandedFree(helpers, h, names = new Set(), visited = new Set()) {
  if (visited.has(h.name)) return names;
  visited.add(h.name);
  names.add(h.name);
  for (const n of h.free) names.add(n);
  for (const c of h.calls) expandedFree(helpers, helpers.get(c), names, visited);
  return names;
}

/**
 * Inlines the pure helpers' calls in `code` (an ES module); returns the new code and how many
 * calls were replaced.
 */
export function inlinePureHelpers(code) {
  const file = ts.createSourceFile("core.js", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const helpers = findHelpers(file);
  if (helpers.size === 0) return { code, inlined: 0 };
  const reads = new Map([...helpers.values()].map((h) => [h.name, expandedFree(helpers, h)]));
  let inlined = 0;

  const transformer = (context) => (root) => {
    const { factory } = context;
    // Names a call site may not see differently from the top level: whatever the enclosing
    // top-level statement declares (computed once per statement; conservative).
    let shadowed = new Set();

    const substitute = (h, args) => {
      const byParam = new Map(h.params.map((p, i) => [p, args[i] ?? factory.createVoidZero()]));
      const visit = (node) => {
        if (ts.isIdentifier(node) && byParam.has(node.text)) return factory.createParenthesizedExpression(byParam.get(node.text));
        if (ts.isPropertyAccessExpression(node)) return factory.updatePropertyAccessExpression(node, ts.visitNode(node.expression, visit), node.name);
        return ts.visitEachChild(node, visit, context);
      };
      return ts.visitNode(h.expr, visit);
    };

    const expand = (node, depth) => {
      const visited = ts.visitEachChild(node, (n) => expand(n, depth), context);
      if (!ts.isCallExpression(visited) || !ts.isIdentifier(visited.expression) || depth >= MAX_DEPTH) return visited;
      const h = helpers.get(visited.expression.text);
      if (!h || visited.arguments.length > h.params.length || !visited.arguments.every(isPureArgument)) return visited;
      // An argument read twice is evaluated twice: only a cheap one may be.
      if (visited.arguments.some((a, i) => (h.uses.get(h.params[i]) ?? 0) > 1 && !isCheap(a))) return visited;
      for (const n of reads.get(h.name)) if (shadowed.has(n)) return visited;
      inlined++;
      return factory.createParenthesizedExpression(expand(substitute(h, visited.arguments), depth + 1));
    };

    const statements = root.statements.map((stmt) => {
      shadowed = declaredInside(stmt);
      // The statement's own top-level names are the top-level bindings (a function expression's
      // name binds the same function), so they shadow nothing.
      for (const n of topLevelNames(stmt)) shadowed.delete(n);
      return expand(stmt, 0);
    });
    return factory.updateSourceFile(root, statements);
  };

  const result = ts.transform(file, [transformer]);
  const printed = ts.createPrinter().printFile(result.transformed[0]);
  result.dispose();
  return { code: printed, inlined };
}
