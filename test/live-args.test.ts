// strace's command line for a live trace, checked against what strace's manual says of each option.

import { describe, expect, it } from "vitest";
import { hasTrailingLines, straceArgv } from "../src/live/strace-args.js";

describe("straceArgv", () => {
  it("defaults: -f and -ttt -T, output last", () => {
    expect(straceArgv({}, "/tmp/x/trace", false)).toEqual(["-f", "-ttt", "-T", "-o", "/tmp/x/trace"]);
  });

  it("strace's own spellings: -e qualifiers in order, -s N, -y / -yy", () => {
    const argv = straceArgv({ expressions: ["signal=none", "status=failed"], stringLimit: 64, decodeFds: 2, follow: false, timestamps: false }, "F", false);
    expect(argv).toEqual(["-s", "64", "-yy", "-e", "signal=none", "-e", "status=failed", "-o", "F"]);
    expect(straceArgv({ decodeFds: 1, follow: false, timestamps: false }, "F", false)).toEqual(["-y", "-o", "F"]);
  });

  it("--seccomp-bpf only when a trace= filter selects calls, -f is on and nothing is attached", () => {
    // the manual: --seccomp-bpf needs -f, has no effect without a filter, and does not work with -p
    expect(straceArgv({ expressions: ["trace=openat,read"] }, "F", false)).toContain("--seccomp-bpf");
    expect(straceArgv({ expressions: ["t=%file"] }, "F", false)).toContain("--seccomp-bpf");
    expect(straceArgv({ expressions: ["trace=all"] }, "F", false)).not.toContain("--seccomp-bpf");
    expect(straceArgv({ expressions: ["signal=none"] }, "F", false)).not.toContain("--seccomp-bpf");
    expect(straceArgv({ expressions: ["trace=openat"], follow: false }, "F", false)).not.toContain("--seccomp-bpf");
    expect(straceArgv({ expressions: ["trace=openat"] }, "F", true)).not.toContain("--seccomp-bpf");
    expect(straceArgv({ expressions: ["trace=openat"], seccompBpf: false }, "F", false)).not.toContain("--seccomp-bpf");
    expect(straceArgv({ seccompBpf: true }, "F", false)).toContain("--seccomp-bpf");
  });

  it("anything else passes through before -o", () => {
    expect(straceArgv({ straceArgs: ["-X", "verbose"], follow: false, timestamps: false }, "F", false)).toEqual(["-X", "verbose", "-o", "F"]);
  });
});

describe("hasTrailingLines", () => {
  it("-k frames and read=/write= dumps follow their call; other options do not", () => {
    expect(hasTrailingLines({ straceArgs: ["-k"] })).toBe(true);
    expect(hasTrailingLines({ straceArgs: ["--stack-trace"] })).toBe(true);
    expect(hasTrailingLines({ expressions: ["write=1"] })).toBe(true);
    expect(hasTrailingLines({ expressions: ["r=all"] })).toBe(true);
    expect(hasTrailingLines({ straceArgs: ["-e", "read=3"] })).toBe(true);
    expect(hasTrailingLines({ straceArgs: ["-eread=3"] })).toBe(true);
    expect(hasTrailingLines({ straceArgs: ["--read-descs=3"] })).toBe(true);
    expect(hasTrailingLines({ expressions: ["trace=write", "signal=none"], straceArgs: ["-X", "verbose"] })).toBe(false);
  });
});
