// Evaluation: metrics, trace sources on disk, and the train/score/summarise loop.
export { rocAuc, rocPoints, detectionAt, falseAlarmAt, type OperatingPoint } from "./metrics.js";
export {
  evaluate,
  scoreTrace,
  type EvaluateOptions,
  type EvaluationResult,
  type TraceInput,
  type TraceScore,
  type Source,
  type Aggregate,
} from "./evaluate.js";
export { listFiles, fileSequences, readTrace, traces, pathSequences, type InputFormat, type Trace, type TraceOptions } from "./sources.js";
export { progressBar, type Progress } from "./progress.js";
export { trainCalibrated, thresholdFor, alarmOf, DEFAULT_FOLDS, DEFAULT_FALSE_ALARM_RATE, type CalibrationOptions } from "./calibrate.js";
