// Model declarations: port types, the batch dimension, and the declared signature checked against the
// model file itself (read through the runtime's model reader, so compiler and runtime agree on what a file
// contains). A mismatch names the tensor, the declared and the actual shape or dtype.
import { dirname, isAbsolute, join, resolve as resolvePath } from "node:path";
import type * as A from "../../grammar/ast.ts";
import type { ModelInfo, TensorInfo } from "../../runtime/neural/host.ts";
import { isSingleElement } from "../../runtime/neural/model-info.ts";
import { insideRoots } from "../../runtime/neural/model-paths.ts";
import { namesCodes } from "../diagnostics/codes/names.ts";
import { typesCodes } from "../diagnostics/codes/types.ts";
import { projectCodes } from "../diagnostics/codes/project.ts";
import { suggest } from "../diagnostics/suggest.ts";
import { renameFix } from "../resolve/fixes.ts";
import type { ModelSymbol } from "../resolve/symbols.ts";
import { formatShape, formatType, type TensorDim } from "../types/type.ts";
import { declaredType, tensorType } from "./declared-types.ts";
import { count, tensorElements } from "./limits.ts";
import { limitHelp } from "../../runtime/limits.ts";
import type { CheckState } from "./state.ts";
import type { ModelPortInfo, ModelTable } from "./typed-program.ts";

export type ModelReadResult =
  | { readonly ok: true; readonly info: ModelInfo }
  | { readonly ok: false; readonly kind: "missing" | "unreadable" | "invalid"; readonly message: string };

/** Reads a model file's signature. Synchronous: checking never awaits. */
export type ModelReader = (absPath: string, backend: A.Backend) => ModelReadResult;

export function modelPath(file: string, decl: A.ModelDecl): string {
  return isAbsolute(decl.path.value) ? decl.path.value : resolvePath(dirname(resolvePath(file)), decl.path.value);
}

export interface ModelCheckOptions {
  readonly readModel?: ModelReader;
  /** Directories model files must stay inside (insideRoots, shared with the runtime); absent: not confined. */
  readonly modelRoots?: readonly string[];
  /** Resolves symbolic links; undefined when the path does not exist. Absent: links are not followed. */
  readonly realpath?: (path: string) => string | undefined;
}

export function checkModelDecl(cx: CheckState, symbol: ModelSymbol, options: ModelCheckOptions): void {
  const reader = options.readModel;
  const decl = symbol.decl;
  const file = symbol.file;
  const module = cx.program.scopes.get(file)!;
  const inputs = new Map<string, ModelPortInfo>();
  const outputs = new Map<string, ModelPortInfo>();
  let broken = false;
  for (const port of decl.ports) {
    if (port.recovered) {
      broken = true;
      continue;
    }
    const ports = port.direction === "input" ? inputs : outputs;
    if (ports.has(port.name.name)) {
      cx.report(namesCodes.duplicate, file, port.name.span, { name: port.name.name, where: `the ${port.direction}s of model ${symbol.name}` });
      continue;
    }
    // Ports are bounded by tensorElements, not by valueSlots: their tensors live in the neural host's batches.
    if (port.type.kind === "TensorType" && !cx.typeOf.has(port.type)) {
      const tensor = tensorType(port.type);
      const size = tensor.kind === "tensor" ? tensorElements(tensor.shape) : 0;
      if (size > cx.limits.tensorElements) {
        cx.report(projectCodes.tensorTooLarge, file, port.type.span, { tensor: port.name.name, where: "as declared", size: count(size), max: cx.limits.tensorElements }, { help: limitHelp("tensorElements") });
        broken = true;
        continue;
      }
      cx.typeOf.set(port.type, tensor);
    }
    const type = declaredType(cx, module, port.type);
    if (type.kind === "error") {
      broken = true;
      continue;
    }
    if (type.kind !== "tensor") {
      cx.report(typesCodes.badPort, file, port.type.span, { port: port.name.name, reason: `its type must be a tensor, found ${formatType(type)}` });
      broken = true;
      continue;
    }
    const batched = type.shape.length > 0 && typeof type.shape[0] !== "number";
    const perAgent = batched ? type.shape.slice(1) : type.shape;
    if (perAgent.some((d) => typeof d !== "number")) {
      cx.report(typesCodes.badPort, file, port.type.span, { port: port.name.name, reason: `only the leading (batch) dimension may be symbolic or \`?\`, found ${formatShape(type.shape)}` });
      broken = true;
      continue;
    }
    ports.set(port.name.name, { name: port.name.name, declared: port, type, perAgent, batched });
  }
  const path = modelPath(file, decl);
  if (options.modelRoots !== undefined && !insideRoots(path, options.modelRoots, options.realpath)) {
    cx.report(projectCodes.modelOutsideProject, file, decl.path.span, { path: decl.path.value, root: options.modelRoots[0] ?? "" }, {
      notes: options.modelRoots.length > 1 ? [`allowed directories: ${options.modelRoots.join(", ")}`] : [],
      help: "move the model into the project directory, or allow its directory with `--allow-model-path DIR` (allowModelPaths in the compiler options)",
    });
    return;
  }
  if (broken) return;
  cx.models.set(symbol, { symbol, path, inputs, outputs } satisfies ModelTable);
  if (reader === undefined) return;

  const read = reader(path, decl.backend);
  if (!read.ok) {
    // The path as the user can find it: relative to how the spec file itself was named.
    const shown = isAbsolute(decl.path.value) ? decl.path.value : join(dirname(file), decl.path.value);
    if (read.kind === "missing") cx.report(projectCodes.modelMissing, file, decl.path.span, { path: shown });
    else cx.report(projectCodes.modelUnreadable, file, decl.path.span, { path: shown, reason: read.message });
    return;
  }
  // Every tensor of the file, declared or not: the runtime allocates the file's outputs too.
  for (const t of [...read.info.inputs, ...read.info.outputs]) {
    const size = tensorElements(t.shape.map((d) => (typeof d === "number" && d >= 0 ? d : null)));
    if (size > cx.limits.tensorElements) {
      cx.report(projectCodes.tensorTooLarge, file, symbol.nameSpan, { tensor: t.name, where: "in the model file", size: count(size), max: cx.limits.tensorElements }, { help: limitHelp("tensorElements") });
      return;
    }
  }
  compareSide(cx, symbol, inputs, read.info.inputs, "input");
  compareSide(cx, symbol, outputs, read.info.outputs, "output");
}


function normaliseDtype(d: string): string {
  switch (d.toLowerCase()) {
    case "float":
    case "float32":
    case "f32":
      return "f32";
    case "double":
    case "float64":
    case "f64":
      return "f64";
    case "int32":
    case "i32":
      return "i32";
    case "int64":
    case "i64":
      return "i64";
    case "bool":
    case "boolean":
      return "bool";
    default:
      return d;
  }
}

function compareSide(
  cx: CheckState,
  symbol: ModelSymbol,
  declared: Map<string, ModelPortInfo>,
  actual: readonly TensorInfo[],
  direction: "input" | "output",
): void {
  const file = symbol.file;
  const byName = new Map(actual.map((t) => [t.name, t]));
  for (const port of declared.values()) {
    const real = byName.get(port.name);
    const span = port.declared.name.span;
    if (real === undefined) {
      const s = suggest(port.name, byName.keys());
      cx.report(typesCodes.portNotInModel, file, span, { direction, name: port.name, model: symbol.name, available: [...byName.keys()].map((n) => `\`${n}\``).join(", ") || "none" }, s
        ? { help: `did you mean \`${s}\`?`, fix: renameFix(file, span, s) }
        : {});
      continue;
    }
    if (port.type.kind !== "tensor") continue;
    const dtype = normaliseDtype(String(real.dtype));
    if (dtype !== port.type.dtype) {
      cx.report(typesCodes.portDtype, file, port.declared.type.span, { tensor: port.name, expected: port.type.dtype, actual: dtype });
    }
    const mismatch = shapeMismatch(port.type.shape, real.shape);
    if (mismatch !== undefined) {
      cx.report(typesCodes.portShape, file, port.declared.type.span, { tensor: port.name, expected: formatShape(port.type.shape), actual: formatShape(real.shape) }, {
        notes: [mismatch],
      });
    }
  }
  if (direction === "input") {
    const undeclared = actual.filter((t) => !declared.has(t.name));
    if (undeclared.length > 0) {
      cx.report(typesCodes.undeclaredModelInput, file, symbol.nameSpan, { model: symbol.name, names: undeclared.map((t) => `\`${t.name}\``).join(", ") }, {
        notes: undeclared.map((t) => `the file declares input \`${t.name}\`: ${normaliseDtype(String(t.dtype))}${formatShape(t.shape)}`),
      });
    }
  }
}

/** Why a declared shape does not describe the file's shape, or undefined when it does. */
function shapeMismatch(declared: readonly TensorDim[], actual: readonly (number | string | null)[]): string | undefined {
  if (declared.length !== actual.length) {
    if (onePerAgent(declared, actual)) return undefined;
    return `the file's tensor has rank ${actual.length}, the declaration rank ${declared.length}`;
  }
  for (let i = 0; i < declared.length; i++) {
    const d = declared[i];
    const a = actual[i];
    const aDynamic = typeof a !== "number" || a < 0;
    if (typeof d === "number") {
      if (!aDynamic && a !== d) return `dimension ${i} is ${a} in the file, ${d} in the declaration`;
    } else if (!aDynamic) {
      return `dimension ${i} is declared dynamic (\`${d ?? "?"}\`) but the file fixes it to ${a}; agents could not be batched`;
    }
  }
  return undefined;
}

/** Both shapes hold one number per agent (`[batch]` and `[batch, 1]`, or `[]` and `[1]`): the same tensor. */
function onePerAgent(declared: readonly TensorDim[], actual: readonly (number | string | null)[]): boolean {
  const dynamic = (d: number | string | null | undefined): boolean => d !== undefined && (typeof d !== "number" || d < 0);
  const batched = dynamic(declared[0]);
  if (batched !== dynamic(actual[0])) return false;
  return isSingleElement(batched ? declared.slice(1) : declared) && isSingleElement(batched ? actual.slice(1) : actual);
}
