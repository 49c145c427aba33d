// `infer` nodes: bind every model input exactly once (`feed`), type `write` items with the model outputs in
// scope by name, and check `chunk`/`refine` against the model's per-agent tensor shapes.
import type * as A from "../../grammar/ast.ts";
import { namesCodes } from "../diagnostics/codes/names.ts";
import { typesCodes } from "../diagnostics/codes/types.ts";
import { structureCodes } from "../diagnostics/codes/structure.ts";
import { suggest } from "../diagnostics/suggest.ts";
import { renameFix } from "../resolve/fixes.ts";
import { lookupGlobal, visibleNames } from "../resolve/resolve.ts";
import { describeSymbol, type ModelOutputSymbol } from "../resolve/symbols.ts";
import { formatShape, type TensorDim, type Type } from "../types/type.ts";
import { isSingleElement } from "../../runtime/neural/model-info.ts";
import { checkAssigned, checkExpr } from "./expr.ts";
import { checkSet, lvalueType } from "./nodes.ts";
import type { CheckState, Scope } from "./state.ts";
import type { ModelPortInfo } from "./typed-program.ts";

export function checkInfer(cx: CheckState, scope: Scope, node: A.InferNode): void {
  const symbol = lookupGlobal(scope.module, node.model.name);
  // Without a usable model the items are checked for what does not depend on it: feed values, and the
  // targets of writes (so the outputs they write are still known to the authority checks).
  const skipItems = () => {
    for (const item of node.items) {
      if (item.kind === "feed") checkExpr(cx, scope, item.value);
      if (item.kind === "write") lvalueType(cx, scope, item.target);
    }
  };
  if (symbol === undefined) {
    const s = suggest(node.model.name, visibleNames(scope.module, (x) => x.kind === "model"));
    cx.report(namesCodes.unknownName, scope.file, node.model.span, { what: "model", name: node.model.name }, s
      ? { help: `did you mean \`${s}\`?`, fix: renameFix(scope.file, node.model.span, s) }
      : {});
    return skipItems();
  }
  cx.bindings.set(node.model, symbol);
  symbol.used = true;
  if (symbol.kind === "error") return skipItems();
  if (symbol.kind !== "model") {
    cx.report(namesCodes.wrongKind, scope.file, node.model.span, { name: node.model.name, actual: describeSymbol(symbol), expected: "model" });
    return skipItems();
  }
  const table = cx.models.get(symbol);
  if (table === undefined) return skipItems(); // its declaration is broken and was reported

  const fed = new Set<string>();
  let chunk: number | undefined;
  const seenOnce = new Map<string, A.Span>();
  const once = (kind: string, span: A.Span): boolean => {
    if (seenOnce.has(kind)) {
      cx.report(namesCodes.duplicate, scope.file, span, { name: kind, where: `this infer node` });
      return false;
    }
    seenOnce.set(kind, span);
    return true;
  };
  const port = (name: A.Ident, direction: "input" | "output"): ModelPortInfo | undefined => {
    const ports = direction === "input" ? table.inputs : table.outputs;
    const p = ports.get(name.name);
    if (p === undefined) {
      const s = suggest(name.name, ports.keys());
      cx.report(namesCodes.unknownPort, scope.file, name.span, { model: symbol.name, direction, name: name.name }, s
        ? { help: `did you mean \`${s}\`?`, fix: renameFix(scope.file, name.span, s) }
        : {});
    }
    return p;
  };

  for (const item of node.items) {
    if (item.kind === "chunk" && once("chunk", item.span)) {
      chunk = item.steps.value;
      if (chunk < 1) cx.report(structureCodes.badCount, scope.file, item.steps.span, { what: "chunk", reason: "must be at least 1" });
      for (const out of table.outputs.values()) {
        if (out.perAgent[0] !== chunk) {
          cx.report(typesCodes.chunkMismatch, scope.file, item.steps.span, { steps: chunk, output: out.name, shape: formatShape(out.perAgent) });
          chunk = undefined;
          break;
        }
      }
    }
    if (item.kind === "async" && once("async", item.span) && item.timeout && item.timeout.ms <= 0) {
      cx.report(structureCodes.badCount, scope.file, item.timeout.span, { what: "duration", reason: "must be greater than zero" });
    }
  }

  for (const item of node.items) {
    switch (item.kind) {
      case "feed": {
        const p = port(item.input, "input");
        if (p === undefined) {
          checkExpr(cx, scope, item.value);
          break;
        }
        if (fed.has(p.name)) {
          cx.report(namesCodes.duplicate, scope.file, item.input.span, { name: p.name, where: "the feeds of this infer node" });
          checkExpr(cx, scope, item.value);
          break;
        }
        fed.add(p.name);
        checkAssigned(cx, scope, item.value, perAgentType(p, p.perAgent));
        break;
      }
      case "refine": {
        if (!once("refine", item.span)) break;
        if (item.times.value < 1) cx.report(structureCodes.badCount, scope.file, item.times.span, { what: "refine", reason: "must be at least 1" });
        const from = port(item.from, "output");
        const to = port(item.to, "input");
        if (from && to && (from.perAgent.length !== to.perAgent.length || from.perAgent.some((d, i) => d !== to.perAgent[i]) || dtypeOf(from) !== dtypeOf(to))) {
          cx.report(typesCodes.tensorMismatch, scope.file, item.span, {
            expected: `${dtypeOf(to)}${formatShape(to.perAgent)} (input \`${to.name}\`)`,
            found: `${dtypeOf(from)}${formatShape(from.perAgent)} (output \`${from.name}\`)`,
          });
        }
        break;
      }
      default:
        break;
    }
  }
  const missing = [...table.inputs.keys()].filter((k) => !fed.has(k));
  if (missing.length > 0) {
    cx.report(typesCodes.inputNotFed, scope.file, node.model.span, { model: symbol.name, missing: missing.map((m) => `\`${m}\``).join(", ") });
  }

  // Model outputs are in scope by name inside `write` items; with `chunk`, each names one step.
  const outputs = new Map<string, ModelOutputSymbol>();
  for (const p of table.outputs.values()) {
    const shape = chunk !== undefined ? p.perAgent.slice(1) : p.perAgent;
    // One element per agent (`[batch]`, `[batch, 1]`, a chunk step of `[1]`) reads as a scalar.
    const type = perAgentType(p, isSingleElement(shape) ? [] : shape);
    outputs.set(p.name, { kind: "modelOutput", id: cx.program.ids.take(), name: p.name, file: symbol.file, nameSpan: p.declared.name.span, used: true, model: symbol, type });
  }
  const inner: Scope = { ...scope, locals: { names: outputs, ...(scope.locals ? { parent: scope.locals } : {}) } };
  for (const item of node.items) {
    if (item.kind === "write") checkSet(cx, inner, item.target, item.value);
  }
}

function dtypeOf(p: ModelPortInfo): string {
  return p.type.kind === "tensor" ? p.type.dtype : "?";
}

/** What one agent sees of a port: a scalar for a single element, otherwise a tensor of the per-agent shape. */
function perAgentType(p: ModelPortInfo, shape: readonly TensorDim[]): Type {
  const dtype = p.type.kind === "tensor" ? p.type.dtype : "f32";
  if (shape.length === 0) {
    return dtype === "bool" ? { kind: "bool" } : dtype === "i32" || dtype === "i64" ? { kind: "int" } : { kind: "float" };
  }
  return { kind: "tensor", dtype, shape };
}
