// Whether a clone's arguments carry CLONE_THREAD (a new thread of the caller's process rather
// than a new process), wherever strace printed the flag: a flags argument, clone3's struct.
import type { ArgNode } from "../model/record.js";

export function hasCloneThread(node: ArgNode): boolean {
  switch (node.kind) {
    case "ident":
      return node.name === "CLONE_THREAD";
    case "flags":
    case "set":
    case "array":
      return node.items.some(hasCloneThread);
    case "struct":
      return node.fields.some(hasCloneThread);
    case "field":
      return hasCloneThread(node.value);
    case "change":
      return (node.from !== undefined && hasCloneThread(node.from)) || hasCloneThread(node.to);
    default:
      return false;
  }
}
