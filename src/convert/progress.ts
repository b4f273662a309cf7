// The progress bar on stderr: bytes done of total, MB/s and ETA. Only on a TTY, so logs and pipes
// get the summary line alone.

import cliProgress from "cli-progress";

export interface Progress {
  add(bytes: number): void;
  stop(): void;
}

const NONE: Progress = { add() {}, stop() {} };

export function createProgress(totalBytes: number, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY || totalBytes <= 0) return NONE;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "{bar} {percentage}% | {doneMB}/{totalMB} MB | {rate} MB/s | ETA {eta_formatted}",
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const start = Date.now();
  let done = 0;
  // Whole MB for big runs; one decimal so a small corpus does not sit at "0/3 MB".
  const mb = (b: number) => (b / 1e6).toFixed(totalBytes < 100e6 ? 1 : 0);
  bar.start(totalBytes, 0, { doneMB: "0", totalMB: mb(totalBytes), rate: "0" });
  return {
    add(bytes) {
      done += bytes;
      const secs = (Date.now() - start) / 1000;
      bar.update(Math.min(done, totalBytes), { doneMB: mb(done), totalMB: mb(totalBytes), rate: secs > 0 ? (done / 1e6 / secs).toFixed(0) : "0" });
    },
    stop() {
      bar.stop();
    },
  };
}
