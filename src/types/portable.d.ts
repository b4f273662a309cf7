// AssemblyScript's integer type names, so files shared with assembly/ (src/engine/abi.ts) type-check under tsc.
type i32 = number;
type u32 = number;
type u8 = number;
