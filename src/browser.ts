// strace-seq for browsers and workers: no Node APIs.
export { parseSync } from "./api/sync.js";
export {
  parse,
  parseStream,
  createParser,
  createEngine,
  TraceParser,
  type ParseOptions,
  type EngineName,
  type ByteSource,
  type ParseCounts,
  type ParserOptions,
} from "./api/core.js";
export { Trace, Syscall } from "./model/trace.js";
export { renderRecord, renderRecords, renderArg } from "./model/render.js";
export { DIAGNOSTIC_CODES, formatDiagnostic } from "./model/diagnostics.js";
export * from "./model/record.js";
export * from "./knowledge/index.js";
export * from "./seq/index.js";
export * from "./detect/index.js";
export { rocAuc, rocPoints, detectionAt, falseAlarmAt } from "./eval/metrics.js";
export { evaluate, scoreTrace, type EvaluateOptions, type EvaluationResult, type TraceInput, type TraceScore } from "./eval/evaluate.js";
export { trainCalibrated, thresholdFor, alarmOf, DEFAULT_FOLDS, DEFAULT_FALSE_ALARM_RATE, type CalibrationOptions } from "./eval/calibrate.js";
export { TraceStats, type StatsResult, type SyscallStats } from "./model/stats.js";
export { recordJson } from "./model/record-json.js";
export { jsonlStream, type JsonlStreamOptions } from "./api/jsonl-stream.js";
export { LatencyStats, DurationDigest, LATENCY_RELATIVE_ERROR, type LatencySummary } from "./analyze/latency.js";
export { ProcessTree, type TaskNode } from "./analyze/tree.js";
export { FileAccess, filesTable, FILE_COLUMNS, type FileUsage, type FileColumn } from "./analyze/files.js";
export { PerfettoExporter, perfettoJson, type TraceEvent } from "./analyze/perfetto.js";
