// Lists public exports without a TSDoc comment (`/** ... */`) and exits 1 if there are any.
// Public: everything the package entries (src/index.ts, src/node.ts) and src/eval/index.ts
// export, and the public members of exported classes and interfaces. Literal `kind`/`type`
// discriminants of record and node interfaces need none: their interface's comment says it.
// Usage: node scripts/check-tsdoc.mjs [entry.ts ...]
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const entries = (process.argv.length > 2 ? process.argv.slice(2) : ["src/index.ts", "src/node.ts", "src/eval/index.ts"]).map((e) => path.resolve(ROOT, e));
const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const program = ts.createProgram(entries, config.options);
const checker = program.getTypeChecker();

const documented = (node) => ts.getJSDocCommentsAndTags(node).some((d) => ts.isJSDoc(d));
const where = (node) => {
  const sf = node.getSourceFile();
  return `${path.relative(ROOT, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
};
const isDiscriminant = (m) => m.name && ["kind", "type"].includes(m.name.getText()) && m.type && ts.isLiteralTypeNode(m.type);

const missing = new Map();
const seen = new Set();
for (const entry of entries) {
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry));
  for (let sym of checker.getExportsOfModule(module)) {
    const name = sym.name;
    if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    for (const decl of sym.declarations ?? []) {
      if (seen.has(decl) || decl.getSourceFile().fileName.includes("/generated/")) continue;
      seen.add(decl);
      if (!documented(ts.isVariableDeclaration(decl) ? decl.parent.parent : decl)) missing.set(where(decl), name);
      if (!ts.isClassDeclaration(decl) && !ts.isInterfaceDeclaration(decl)) continue;
      for (const m of decl.members) {
        if (ts.isConstructorDeclaration(m) ? m.parameters.length === 0 : !m.name) continue;
        if (ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
        if ((m.name && ts.isPrivateIdentifier(m.name)) || isDiscriminant(m) || documented(m)) continue;
        missing.set(where(m), `${name}.${m.name ? m.name.getText() : "constructor"}`);
      }
    }
  }
}
for (const [at, name] of missing) console.log(`${at}: ${name} has no TSDoc comment`);
if (missing.size > 0) {
  console.log(`${missing.size} public export(s) without TSDoc`);
  process.exit(1);
}
