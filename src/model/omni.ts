// The seed's JSON shape (`[{"syscall", "args", "return", "pid"}]`, as posix-omni-parser users
// know it), but with arguments as plain structured JSON instead of a Python repr string.

import type { ArgNode, TraceRecord } from "./record.js";

export type Plain = string | number | boolean | null | Plain[] | { [k: string]: Plain };

/** An argument as plain JSON: numbers, strings, arrays, objects; symbolic parts as strings. */
export function plainArg(n: ArgNode): Plain {
  switch (n.kind) {
    case "int":
    case "float":
      return n.value;
    case "str":
      return n.value;
    case "ident":
      return n.name;
    case "flags":
      return n.items.map(plainArg);
    case "set":
      return n.negated ? { not: n.items.map(plainArg) } : n.items.map(plainArg);
    case "array":
      return n.items.map(plainArg);
    case "struct": {
      const o: { [k: string]: Plain } = {};
      let i = 0;
      for (const f of n.fields) {
        if (f.kind === "field") o[f.name] = plainArg(f.value);
        else if (f.kind !== "elided") o[String(i)] = plainArg(f);
        i++;
      }
      return o;
    }
    case "field":
      return { [n.name]: plainArg(n.value) };
    case "call":
      return { [n.name]: n.args.map(plainArg) };
    case "expr":
      return n.terms.map(plainArg).reduce<Plain[]>((acc, t, i) => (i === 0 ? [t] : [...acc, n.ops[i - 1].trim(), t]), []);
    case "change":
      return { from: n.from ? plainArg(n.from) : null, to: plainArg(n.to) };
    case "elided":
      return "...";
    case "comment":
      return `/* ${n.text} */`;
  }
}

export interface OmniCall {
  syscall: string;
  args: Plain[];
  return: number | string | null;
  errno?: string;
  pid: number | null;
}

/** Only syscall records have an omni form. */
export function toOmni(rec: TraceRecord): OmniCall | undefined {
  if (rec.type !== "syscall") return undefined;
  const o: OmniCall = { syscall: rec.name, args: rec.args.map(plainArg), return: rec.ret, pid: rec.pid };
  if (rec.errno !== null) o.errno = rec.errno;
  return o;
}
