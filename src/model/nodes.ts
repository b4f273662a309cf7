// Turns argument-tree node quads into typed ArgNode objects. Annotations (-y decorations,
// `(deleted)`, trailing comments) are children that start at or after their parent's end.

import { NodeField, NodeKind } from "../core/abi.js";
import type { ArgNode, IntNode, NodeExtras } from "./record.js";
import { decodeCString, latin1 } from "./text.js";
import { intern } from "./intern.js";
import { intValueAt } from "./ints.js";

const S = NodeField.Stride;

/** A read-only view of one batch's node table. */
export class NodeReader {
  constructor(
    readonly nodes: Int32Array,
    readonly bytes: Uint8Array,
  ) {}

  kind(i: number): number {
    return this.nodes[i * S];
  }
  start(i: number): number {
    return this.nodes[i * S + 1];
  }
  end(i: number): number {
    return this.nodes[i * S + 2];
  }
  next(i: number): number {
    return this.nodes[i * S + 3];
  }

  text(i: number): string {
    return latin1(this.bytes, this.start(i), this.end(i));
  }

  /** Text of a short token that repeats across lines (a flag, a field name, a number): shared. */
  word(i: number): string {
    return intern(this.bytes, this.start(i), this.end(i));
  }

  /** The layout of a list of item nodes (an argument list or a container's children) without
   *  materialising the items: their indices, non-canonical separators by item index, a trailing
   *  separator, and program output found between items. */
  layout(
    first: number,
    end: number,
    canonicalSep: string,
  ): { items: number[]; seps?: Record<string, string>; tail?: string; echoes?: { after: number; start: number; end: number }[] } {
    const items: number[] = [];
    let seps: Record<string, string> | undefined;
    let pendingSep: string | undefined;
    let echoes: { after: number; start: number; end: number }[] | undefined;
    for (let c = first; c < end; c = this.next(c)) {
      const k = this.kind(c);
      if (k === NodeKind.Sep) {
        pendingSep = this.text(c);
        continue;
      }
      if (k === NodeKind.Glued) {
        (echoes ??= []).push({ after: items.length - 1, start: this.start(c), end: this.end(c) });
        continue;
      }
      if (k === NodeKind.Resuming || k === NodeKind.Unfinished || k === NodeKind.Detached) continue;
      if (pendingSep !== undefined && (pendingSep !== canonicalSep || items.length === 0)) {
        (seps ??= {})[String(items.length)] = pendingSep;
      }
      pendingSep = undefined;
      items.push(c);
    }
    return { items, seps, tail: pendingSep, echoes };
  }

  /** Converts a list of item nodes to ArgNodes (see layout). */
  items(first: number, end: number, canonicalSep: string): { items: ArgNode[]; seps?: Record<string, string>; tail?: string } {
    const lay = this.layout(first, end, canonicalSep);
    return { items: lay.items.map((c) => this.arg(c)), seps: lay.seps, tail: lay.tail };
  }

  /** Converts the subtree rooted at node i. */
  arg(i: number): ArgNode {
    const k = this.kind(i);
    const own = this.end(i);
    let node: ArgNode;
    let annotationsFrom = this.next(i);
    switch (k) {
      case NodeKind.Int: {
        const text = this.word(i);
        node = { kind: "int", text, value: intValueAt(this.bytes, this.start(i), this.end(i)) } as IntNode;
        break;
      }
      case NodeKind.Float: {
        const text = this.text(i);
        node = { kind: "float", text, value: Number(text) };
        break;
      }
      case NodeKind.Str:
      case NodeKind.StrTrunc: {
        const raw = this.text(i);
        const at = raw.charCodeAt(0) === 64;
        const body = raw.slice(at ? 2 : 1, raw.length - 1);
        node = { kind: "str", value: decodeCString(body), raw };
        if (k === NodeKind.StrTrunc) node.truncated = true;
        if (at) node.at = true;
        break;
      }
      case NodeKind.Ident:
        node = { kind: "ident", name: this.word(i) };
        break;
      case NodeKind.Elided:
        node = { kind: "elided" };
        break;
      case NodeKind.Comment: {
        const c = commentText(this.text(i));
        node = { kind: "comment", text: c.text };
        if (c.raw !== undefined) node.commentRaw = c.raw;
        break;
      }
      case NodeKind.Field: {
        const v = i + 1;
        node = { kind: "field", name: this.word(i), value: this.arg(v) };
        if (this.bytes[this.end(i)] === 58) node.sep = ":";
        annotationsFrom = this.next(i); // fields carry no annotations of their own
        break;
      }
      case NodeKind.Change: {
        const first = i + 1;
        const second = this.next(first);
        if (second >= this.next(i)) node = { kind: "change", to: this.arg(first) };
        else node = { kind: "change", from: this.arg(first), to: this.arg(second) };
        const op = this.text(i);
        if (op !== " => ") node.op = op;
        break;
      }
      case NodeKind.Flags:
      case NodeKind.Expr: {
        // a plain loop over the children (a generator here cost more than the nodes: flags are on most lines)
        const terms: ArgNode[] = [];
        const ops: string[] | undefined = k === NodeKind.Expr ? [] : undefined;
        const end = this.next(i);
        for (let c = i + 1; c < end; c = this.next(c)) {
          if (this.kind(c) !== NodeKind.Op) terms.push(this.arg(c));
          else if (ops) ops.push(this.text(c));
        }
        node = ops ? { kind: "expr", terms, ops } : { kind: "flags", items: terms };
        break;
      }
      default: {
        // Containers whose span covers their brackets: children starting before `own` are members.
        const first = i + 1;
        let membersEnd = first;
        const end = this.next(i);
        while (membersEnd < end && this.start(membersEnd) < own) membersEnd = this.next(membersEnd);
        annotationsFrom = membersEnd;
        if (k === NodeKind.Call) {
          const text = this.text(i);
          const paren = text.indexOf("(");
          const { items, seps } = this.items(first, membersEnd, ", ");
          node = { kind: "call", name: text.slice(0, paren), args: items };
          if (seps) node.seps = seps;
        } else if (k === NodeKind.Struct) {
          const { items, seps } = this.items(first, membersEnd, ", ");
          node = { kind: "struct", fields: items };
          if (seps) node.seps = seps;
        } else if (k === NodeKind.Set || k === NodeKind.NegSet) {
          const { items, seps } = this.items(first, membersEnd, " ");
          node = { kind: "set", items };
          if (k === NodeKind.NegSet) node.negated = true;
          if (seps) node.seps = seps;
        } else if (k === NodeKind.Array) {
          const { items, seps } = this.items(first, membersEnd, ", ");
          node = { kind: "array", items };
          if (seps) node.seps = seps;
        } else {
          node = { kind: "ident", name: this.text(i) };
        }
      }
    }
    if (k !== NodeKind.Field && k !== NodeKind.Change && k !== NodeKind.Flags && k !== NodeKind.Expr) {
      this.annotate(
        node,
        k === NodeKind.Call || k === NodeKind.Struct || k === NodeKind.Array || k === NodeKind.Set || k === NodeKind.NegSet ? annotationsFrom : i + 1,
        this.next(i),
      );
    }
    return node;
  }

  private annotate(node: NodeExtras, from: number, end: number): void {
    for (let c = from; c < end; c = this.next(c)) {
      const k = this.kind(c);
      if (k === NodeKind.Decor) node.decor = this.text(c);
      else if (k === NodeKind.Deleted) node.deleted = true;
      else if (k === NodeKind.Comment) {
        const t = commentText(this.text(c));
        node.comment = t.text;
        if (t.raw !== undefined) node.commentRaw = t.raw;
      }
    }
  }
}

/** strace prints comments as `/* text *\/`; anything else keeps its exact inner text in `raw`. */
export function commentText(inner: string): { text: string; raw?: string } {
  const n = inner.length;
  if (n >= 2 && inner.charCodeAt(0) === 32 && inner.charCodeAt(n - 1) === 32) {
    const text = inner.slice(1, n - 1);
    // `/*  x */` would trim to "x" wrongly if we trimmed more: only one space each side is the form
    return { text };
  }
  return { text: inner.trim(), raw: inner };
}
