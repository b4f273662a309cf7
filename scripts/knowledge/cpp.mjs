// A tiny C preprocessor: enough of #if/#ifdef/#elif/#else/#endif/#define to pick the branches
// of unistd.h and syscalls.h a given configuration sees. Unknown macros are undefined (0).

export function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " ")).replace(/\/\/[^\n]*/g, "");
}

export function evalCondition(expr, defines) {
  const toks = expr.match(/defined|\w+|&&|\|\||==|!=|<=|>=|[!()<>]/g) ?? [];
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++];
  const value = (id) => {
    if (/^\d/.test(id)) return parseInt(id, 10);
    const v = defines.get(id);
    if (v === undefined) return 0;
    return /^\d+$/.test(v) ? parseInt(v, 10) : 1;
  };
  function primary() {
    const t = next();
    if (t === "!") return primary() ? 0 : 1;
    if (t === "(") {
      const v = or();
      next();
      return v;
    }
    if (t === "defined") {
      const paren = peek() === "(";
      if (paren) next();
      const id = next();
      if (paren) next();
      return defines.has(id) ? 1 : 0;
    }
    return value(t);
  }
  function cmp() {
    let v = primary();
    while (["==", "!=", "<", ">", "<=", ">="].includes(peek())) {
      const op = next();
      const r = primary();
      v = { "==": v === r, "!=": v !== r, "<": v < r, ">": v > r, "<=": v <= r, ">=": v >= r }[op] ? 1 : 0;
    }
    return v;
  }
  function and() {
    let v = cmp();
    while (peek() === "&&") {
      next();
      const r = cmp();
      v = v && r ? 1 : 0;
    }
    return v;
  }
  function or() {
    let v = and();
    while (peek() === "||") {
      next();
      const r = and();
      v = v || r ? 1 : 0;
    }
    return v;
  }
  return or() !== 0;
}

/**
 * Returns the source text that survives preprocessing; #define lines update `defines`.
 * With `decided` (a set of macro names), works like unifdef: a condition naming any other
 * macro keeps both branches, so only the listed configuration switches are resolved.
 */
export function preprocess(text, defines, decided) {
  const lines = stripComments(text).replace(/\\\n/g, " ").split("\n");
  // Each frame: is this branch active, has any branch of this #if been taken, was parent active.
  const stack = [];
  const active = () => stack.every((f) => f.active);
  const out = [];
  for (const line of lines) {
    const m = line.match(/^\s*#\s*(\w+)\s*(.*)$/);
    if (!m) {
      if (active()) out.push(line);
      continue;
    }
    const [, dir, rest] = m;
    const undecided = () => decided && (rest.match(/\w+/g) ?? []).some((id) => id !== "defined" && !/^\d/.test(id) && !decided.has(id));
    if ((dir === "if" || dir === "ifdef" || dir === "ifndef" || dir === "elif") && undecided()) {
      if (dir === "elif") stack[stack.length - 1].active = stack[stack.length - 1].parentActive;
      else stack.push({ active: active(), taken: false, parentActive: active(), undecided: true });
    } else if (dir === "else" && stack[stack.length - 1]?.undecided) {
      // both branches stay
    } else if (dir === "if" || dir === "ifdef" || dir === "ifndef") {
      const parentActive = active();
      let cond;
      if (dir === "if") cond = evalCondition(rest, defines);
      else cond = defines.has(rest.trim().split(/\s/)[0]) === (dir === "ifdef");
      stack.push({ active: parentActive && cond, taken: cond, parentActive });
    } else if (dir === "elif") {
      const f = stack[stack.length - 1];
      const cond = !f.taken && evalCondition(rest, defines);
      f.active = f.parentActive && cond;
      f.taken ||= cond;
    } else if (dir === "else") {
      const f = stack[stack.length - 1];
      f.active = f.parentActive && !f.taken;
      f.taken = true;
    } else if (dir === "endif") {
      stack.pop();
    } else if (dir === "define" && active()) {
      const d = rest.match(/^(\w+)(?:\([^)]*\))?\s*(.*)$/);
      if (d) defines.set(d[1], d[2].trim());
    } else if (dir === "undef" && active()) {
      defines.delete(rest.trim());
    }
  }
  return out.join("\n");
}
