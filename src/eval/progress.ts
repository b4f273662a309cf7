// A progress bar on stderr for long runs (training and scoring thousands of traces), only
// when stderr is a terminal: piped or CI output stays clean. cli-progress is loaded lazily
// so library users and tests never pay for it.

/** A progress display for phases of counted work. */
export interface Progress {
  /** Begins a phase of `total` items (0 = unknown). */
  phase(label: string, total: number): void;
  /** Sets the count done in the current phase. */
  update(done: number): void;
  /** Ends the display. */
  stop(): void;
}

const silent: Progress = { phase() {}, update() {}, stop() {} };

/** A progress bar on stderr when enabled (default: when stderr is a terminal), else one that shows nothing. */
export async function progressBar(enabled: boolean = process.stderr.isTTY === true): Promise<Progress> {
  if (!enabled) return silent;
  const { default: cliProgress } = await import("cli-progress");
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "{label} [{bar}] {value}/{total} {eta_formatted}",
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    phase(label, total) {
      if (running) bar.stop();
      bar.start(Math.max(total, 1), 0, { label: label.padEnd(8) });
      running = true;
    },
    update(done) {
      if (running) bar.update(done);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
