// Live scoring: records in, in input order (from parseStream, a live strace), per-process
// running scores and alarms out, read the way the model's training data was read (its meta:
// by, symbol, splitExec and, for --symbol args, the learned path classes). Built on the
// sequence builder (so processes, threads, exec splits and argument state are what training
// saw) with symbols not retained, and one incremental scorer per open sequence, dropped when
// the process ends: memory is bounded by the live processes.

import type { SyscallRecord, TraceRecord } from "../model/record.js";
import { SequenceBuilder, type Sequence, type SequenceUnit } from "../seq/sequences.js";
import type { PathClasses } from "../seq/args.js";
import type { SymbolMode } from "../seq/symbols.js";
import type { Model } from "./model.js";
import { runningScore, type RunningScore } from "./running.js";

/** One call's effect on its process's score. */
export interface ProcessScore {
  /** The sequence key (pid, `pid.N` after an exec split or a reused pid). */
  key: string;
  /** The sequence's pid (thread id, or process leader pid); null for a per-trace sequence or a
   *  trace without pids. */
  pid: number | null;
  /** Input line of the call. */
  line: number;
  /** Running score of the process's calls so far (the model's units). */
  score: number;
  /** score > the model's threshold (false when the model has none). */
  alarm: boolean;
}

/** Scores records as they arrive: one incremental scorer per open sequence, cut as the model's
 *  training data was (its meta); alarms when a running score exceeds the model's threshold. */
export class LiveScorer {
  private readonly builder: SequenceBuilder;
  private readonly scorers = new Map<Sequence, RunningScore>();
  private last: ProcessScore | undefined;

  /** A live scorer for `model` (trained): every prefix scored as the model's score() scores it
   *  (src/detect/running.ts). */
  constructor(readonly model: Model) {
    const meta = model.meta;
    const threshold = model.threshold;
    this.builder = new SequenceBuilder({
      by: (meta.by as SequenceUnit | undefined) ?? "process",
      symbol: (meta.symbol as SymbolMode | undefined) ?? "name",
      splitExec: (meta.splitExec as boolean | undefined) ?? false,
      pathClasses: meta.pathClasses as PathClasses | undefined,
      retainSymbols: false,
      onCall: (seq: Sequence, symbol: string, rec: SyscallRecord) => {
        let sc = this.scorers.get(seq);
        if (!sc) this.scorers.set(seq, (sc = runningScore(model)));
        const score = sc.push(symbol).score;
        this.last = { key: seq.key, pid: seq.pid, line: rec.line, score, alarm: threshold !== undefined && score > threshold };
      },
    });
  }

  /** Feeds one record; returns its process's new score when it was a call, else undefined. */
  push(rec: TraceRecord): ProcessScore | undefined {
    this.last = undefined;
    for (const done of this.builder.push(rec)) this.scorers.delete(done);
    return this.last;
  }

  /** Processes still open (not seen exiting). */
  get open(): number {
    return this.scorers.size;
  }
}
