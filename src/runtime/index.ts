// The runtime's public API (package entry "."): load policy IR, create agent pools, trace and replay runs,
// and run a spec's test blocks. Nothing here imports the compiler.
export { IR_VERSION, typeSize, fieldOffset, nodeChildren } from "./ir.ts";
export type * from "./ir.ts";
export { loadIR } from "./load-ir.ts";
export { DEFAULT_LIMITS, LIMIT_NAMES, parseLimitSetting, withLimits, type LimitName, type Limits } from "./limits.ts";
export { packSpans, unpackSpans, withPackedSpans } from "./packed-spans.ts";
export type { PackedSpans } from "./packed-spans.ts";
export { printNode, printExpr, printPolicy } from "./ir-print.ts";
export { AgentPool, createPool } from "./pool.ts";
export type { PoolOptions, ExternContext, ExternFn, ActionResult, TreeInstaller } from "./pool.ts";
export type { TreeEnv, CompiledTree } from "./tree.ts";
export type { CompiledExprs } from "./expr-compiler.ts";
export { runtimeCodes, allRuntimeCodes, formatRuntimeError, HpolRuntimeError, runtimeError } from "./errors.ts";
export type { RuntimeError, RuntimeCodeEntry, RuntimeSeverity } from "./errors.ts";
export { MemorySink, FileSink, TraceRecorder, parseTrace, TRACE_VERSION } from "./trace.ts";
export type { TraceSink, TraceHeader } from "./trace.ts";
export { replayTrace } from "./replay.ts";
export type { ReplayResult } from "./replay.ts";
export { IDLE, RUNNING, SUCCESS, FAILURE, STATUS_NAMES } from "./status.ts";
export type { StatusName } from "./status.ts";
export { encodeValue, decodeValue, typeName } from "./values.ts";
export { Xoshiro128, gaussian } from "./rng.ts";
export type { Rng } from "./rng.ts";
export type { NeuralHost, InferenceResult, InferenceInputs, ModelInfo, TensorInfo } from "./neural/host.ts";
export { runTests, formatTestResult } from "./test-runner.ts";
export type { TestRunOptions, TestRunResult, TestReport, TestFailure } from "./test-runner.ts";
