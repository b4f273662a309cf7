// AssemblyScript's integer and bool type names, so the core (src/core), compiled by both asc and
// tsc, type-checks under tsc. In the TS build every one of them is a JavaScript number (or boolean).
type i32 = number;
type u32 = number;
type u8 = number;
type i64 = number;
type u64 = number;
type f64 = number;
type usize = number;
type bool = boolean;
