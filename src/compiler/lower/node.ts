// Tree node lowering. `call` nodes disappear: the called tree's body is lowered in place, with its parameters
// bound to the call's arguments and a fresh copy of the tree's local state, so every call site is an
// independent instance with its own node ids and its own state vars.
import type * as A from "../../grammar/ast.ts";
import type { FieldSymbol } from "../resolve/symbols.ts";
import type { ModelPortInfo } from "../check/typed-program.ts";
import type { Type } from "../types/type.ts";
import type { NodeShape } from "./builder.ts";
import { globalEnv, type Env, type LowerContext, type ParamBinding } from "./context.ts";
import { constantValue, feedValue, lowerArgs, lowerExpr, lowerTarget } from "./expr.ts";
import { zeroValue } from "./ir-types.ts";
import { LoweringBug } from "./lowering-bug.ts";

export function lowerNode(cx: LowerContext, n: A.TreeNode, env: Env): number {
  if (n.kind === "Call") return inlineCall(cx, n, env);
  const b = cx.b;
  const file = env.file;
  const id = b.reserveNode(file, n.span);
  const expr = (e: A.Expr): number => b.materialize(lowerExpr(cx, e, env));
  let shape: NodeShape;
  let label: string | undefined;
  switch (n.kind) {
    case "Composite": {
      label = n.label?.value;
      const children = n.children.map((c) => lowerNode(cx, c, env));
      shape = n.composite === "race" ? { k: "race", children } : { k: n.composite, children };
      break;
    }
    case "Parallel": {
      label = n.label?.value;
      const children = n.children.map((c) => lowerNode(cx, c, env));
      // Defaults: succeed when every child has succeeded, fail on the first failure.
      shape = { k: "parallel", children, success: n.success?.value ?? children.length, failure: n.failure?.value ?? 1 };
      break;
    }
    case "Decorator":
      shape = decorator(cx, n, env);
      break;
    case "Check":
      shape = { k: "check", cond: expr(n.condition) };
      break;
    case "Do": {
      const symbol = cx.symbolOf(n.action, "extern", file);
      const extern = cx.externs.get(symbol);
      if (extern === undefined) throw new LoweringBug(`extern ${n.action.name} has no id`, file, n.span);
      const args = cx.program.args.get(n);
      if (args === undefined) throw new LoweringBug(`do ${n.action.name} has no bound arguments`, file, n.span);
      shape = { k: "do", extern, args: lowerArgs(cx, args, env, n, symbol) };
      break;
    }
    case "Set":
      shape = { k: "set", target: lowerTarget(cx, n.target, env), value: expr(n.value) };
      break;
    case "Emit":
      shape = emit(cx, n, env);
      break;
    case "Wait":
      shape = { k: "wait", ms: n.duration.ms };
      break;
    case "ConstStatus":
      shape = { k: "const", status: n.status };
      break;
    case "Infer":
      shape = infer(cx, n, env, id);
      break;
  }
  b.setNode(id, shape, label);
  return id;
}

function decorator(cx: LowerContext, n: A.DecoratorNode, env: Env): NodeShape {
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new LoweringBug(`${n.decorator} without its ${what}`, env.file, n.span);
    return v;
  };
  switch (n.decorator) {
    case "invert":
    case "once":
    case "force_success":
    case "force_failure":
      return { k: n.decorator, child: lowerNode(cx, n.child, env) };
    case "repeat":
    case "retry": {
      const count = need(n.count, "count").value;
      return { k: n.decorator, count, child: lowerNode(cx, n.child, env) };
    }
    case "timeout":
    case "cooldown":
    case "delay": {
      const ms = need(n.duration, "duration").ms;
      return { k: n.decorator, ms, child: lowerNode(cx, n.child, env) };
    }
    case "guard_while":
    case "guard_until": {
      const cond = cx.b.materialize(lowerExpr(cx, need(n.condition, "condition"), env));
      return { k: n.decorator, cond, child: lowerNode(cx, n.child, env) };
    }
  }
}

function emit(cx: LowerContext, n: A.EmitNode, env: Env): NodeShape {
  if (env.layer.kind !== "planner") throw new LoweringBug("emit outside a planner", env.file, n.span);
  const { planner, channel } = env.layer;
  const kinds = [...channel.message.kinds.keys()];
  const kind = kinds.indexOf(n.messageKind.name);
  const payload = channel.message.kinds.get(n.messageKind.name);
  if (kind < 0 || payload === undefined) throw new LoweringBug(`message ${channel.message.name} has no kind ${n.messageKind.name}`, env.file, n.span);
  return { k: "emit", planner, kind, values: payloadValues(cx, payload.fields, n.fields, env) };
}

/** Payload values in the kind's field order; a field left out (the checker reports that) would be zero. */
export function payloadValues(
  cx: LowerContext,
  fields: ReadonlyMap<string, Type>,
  inits: readonly A.FieldInit[],
  env: Env,
): number[] {
  return [...fields].map(([name, type]) => {
    const init = inits.find((f) => f.name.name === name);
    if (init) return cx.b.materialize(lowerExpr(cx, init.value, env));
    const t = cx.types.convert(type);
    return cx.b.expr({ k: "const", type: t, value: zeroValue(t) }, env.file, null);
  });
}

function inlineCall(cx: LowerContext, n: A.CallNode, env: Env): number {
  const tree = cx.program.calls.get(n);
  if (tree === undefined) throw new LoweringBug(`call ${n.tree.name} is unresolved`, env.file, n.span);
  const args = cx.program.args.get(n);
  if (args === undefined) throw new LoweringBug(`call ${n.tree.name} has no bound arguments`, env.file, n.span);
  const params = new Map<A.Param, ParamBinding>();
  tree.decl.params.forEach((p, i) => {
    const arg = args[i];
    if (arg === undefined) throw new LoweringBug(`argument ${p.name.name} of ${tree.name} is unbound`, env.file, n.span);
    // A defaulted argument is the parameter's default: a constant expression in the tree's file.
    const argEnv = arg === p.default ? globalEnv(tree.file) : env;
    params.set(p, { arg, env: argEnv });
  });
  const instance = (cx.treeInstances.get(tree.name) ?? 0) + 1;
  cx.treeInstances.set(tree.name, instance);
  const fields = cx.program.localState.get(tree.decl) ?? new Map<string, FieldSymbol>();
  const localState = stateVars(cx, fields, `${tree.name}#${instance}.state`);
  const inner: Env = {
    file: tree.file,
    layer: env.layer,
    localState,
    localFields: fields,
    params,
    locals: new Map(),
  };
  return lowerNode(cx, tree.decl.body, inner);
}

/** One state var per field of a local state block, initialised from its declaration. */
export function stateVars(cx: LowerContext, fields: ReadonlyMap<string, FieldSymbol>, prefix: string): Map<FieldSymbol, number> {
  const vars = new Map<FieldSymbol, number>();
  for (const field of fields.values()) vars.set(field, stateVar(cx, field, `${prefix}.${field.name}`));
  return vars;
}

export function stateVar(cx: LowerContext, field: FieldSymbol, name: string): number {
  const type = cx.types.convert(field.type, true);
  const size = zeroValue(type).length;
  const init = field.decl.init ? constantValue(cx, field.decl.init, field.file, size) : zeroValue(type);
  const id = cx.b.addVar({ name, region: "state", field: field.name, type, init, span: cx.b.span(field.file, field.decl.span) });
  cx.stateVarIds.push(id);
  return id;
}

function infer(cx: LowerContext, n: A.InferNode, env: Env, node: number): NodeShape {
  const file = env.file;
  const symbol = cx.symbolOf(n.model, "model", file);
  const model = cx.models.get(symbol);
  const table = cx.program.models.get(symbol);
  if (model === undefined || table === undefined) throw new LoweringBug(`model ${n.model.name} has no id`, file, n.span);
  const inputs = [...table.inputs.keys()];
  const outputs = new Map([...table.outputs.keys()].map((name, i) => [name, i] as const));
  const feeds: { input: number; value: number }[] = [];
  const writes: { target: number; value: number }[] = [];
  let chunk = 1;
  let refine: { times: number; from: number; to: number } | null = null;
  let async: { timeoutMs: number | null } | null = null;
  const inner: Env = { ...env, infer: { node, outputs } };
  for (const item of n.items) {
    switch (item.kind) {
      case "feed": {
        const input = inputs.indexOf(item.input.name);
        if (input < 0) throw new LoweringBug(`model ${n.model.name} has no input ${item.input.name}`, file, item.span);
        const port = table.inputs.get(item.input.name)!;
        feeds.push({ input, value: feedValue(cx, item.value, env, cx.types.convert(perAgentTensor(port))) });
        break;
      }
      case "write":
        writes.push({ target: lowerTarget(cx, item.target, env), value: cx.b.materialize(lowerExpr(cx, item.value, inner)) });
        break;
      case "chunk":
        chunk = item.steps.value;
        break;
      case "refine": {
        // Source `refine k from <output> to <input>`; the IR names the input `from` and the output `to`.
        const input = inputs.indexOf(item.to.name);
        const output = outputs.get(item.from.name);
        if (input < 0 || output === undefined) throw new LoweringBug(`refine from ${item.from.name} to ${item.to.name} does not match the model`, file, item.span);
        refine = { times: item.times.value, from: input, to: output };
        break;
      }
      case "async":
        async = { timeoutMs: item.timeout?.ms ?? null };
        break;
    }
  }
  // One feed per input, in the model's input order, whatever the order of the items.
  feeds.sort((a, b) => a.input - b.input);
  return { k: "infer", model, feeds, writes, chunk, refine, async };
}

/** The tensor one agent feeds to a port: its declared type without the batch dimension. */
function perAgentTensor(port: ModelPortInfo): Type {
  if (port.type.kind !== "tensor") throw new LoweringBug(`model port ${port.name} is not a tensor`);
  return { kind: "tensor", dtype: port.type.dtype, shape: port.perAgent };
}
