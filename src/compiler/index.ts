// The compiler's public API: check specs, and the typed program that lowering consumes.
export { checkFiles, checkSource, nodeHost, type CheckResult, type CompilerHost } from "./program.ts";
export type {
  BoundArgs,
  Callee,
  ExecutorInfo,
  LayerInfo,
  MemberRef,
  ModelPortInfo,
  ModelTable,
  PlannerInfo,
  RootFields,
  TreeEffects,
  TypedProgram,
} from "./check/typed-program.ts";
export type { ModelReader, ModelReadResult } from "./check/models.ts";
export { builtins, type Builtin } from "./check/builtins.ts";
export type * from "./resolve/symbols.ts";
export type { ModuleScope, ResolvedProgram } from "./resolve/resolve.ts";
export type { Type, EnumType, RecordType, MessageType, MessageKindType, Interval, TensorDim } from "./types/type.ts";
export { formatType } from "./types/type.ts";
export type { Diagnostic, Fix, Label, Severity } from "./diagnostics/diagnostic.ts";
export { renderPretty, renderJson, toJsonRecords } from "./diagnostics/render.ts";
export { lower, LoweringBug } from "./lower/lower.ts";
