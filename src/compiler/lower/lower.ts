// lower: TypedProgram → PolicyIR. The phase decides everything the emitter and the interpreter need, so they
// never look at the source again: the frame layout, folded constants, inlined subtrees, defaults, message
// channels, proposal redirection for arbitrated outputs, enum ordinals and the spans table.
//
// Frame layout, in var-id (and offset) order: observation fields, output fields, program-wide state, each
// planner's channel (kind var, then one payload var per kind), each arbiter's proposals (per writing executor:
// the proposal, then its valid flag), then — in the order the bodies are lowered (planners, then executors) —
// each layer's local state followed by the local state of every tree instance inlined into it.
//
// Linear in the size of the program after inlining: every AST node is visited once per instance, and every
// lookup is a map access.
import { basename, extname } from "node:path";
import type * as A from "../../grammar/ast.ts";
import { IR_VERSION } from "../../runtime/ir.ts";
import type {
  IRArbiter,
  IRExecutor,
  IREvent,
  IRExtern,
  IRHandler,
  IRMessageType,
  IRModel,
  IRModelPort,
  IRPlanner,
  IRProposal,
  IRShield,
  IRStrategy,
  IRType,
  PolicyIR,
} from "../../runtime/ir.ts";
import type { ModelPortInfo, TypedProgram } from "../check/typed-program.ts";
import type { ExecutorSymbol, ExternSymbol, FieldSymbol } from "../resolve/symbols.ts";
import type { MessageType, Type } from "../types/type.ts";
import { globalEnv, LowerContext, type Channel, type Env } from "./context.ts";
import { lowerExpr } from "./expr.ts";
import { BOOL } from "./ir-types.ts";
import { LoweringBug } from "./lowering-bug.ts";
import { lowerNode, stateVar, stateVars } from "./node.ts";
import { lowerTests } from "./tests.ts";

export { LoweringBug };

/**
 * Lower a checked program. `sources` maps each file to its text (CheckResult.sources), for line/column spans.
 * Throws LoweringBug only when the program is not one the checker accepts (a bug in hpol).
 */
export function lower(program: TypedProgram, sources: ReadonlyMap<string, string>): PolicyIR {
  const cx = new LowerContext(program, sources);
  const b = cx.b;

  // ---- layout: host-facing vars first, so their offsets do not move when trees change
  const observation = fieldVars(cx, program.observation.fields, "obs", cx.obsVars);
  const output = fieldVars(cx, program.output.fields, "out", cx.outVars);
  for (const field of program.state.fields.values()) cx.globalState.set(field, stateVar(cx, field, `state.${field.name}`));

  const externs = lowerExterns(cx);
  const models = lowerModels(cx);

  // ---- planners' channels and executors' proposals exist before any body refers to them
  const messages: IRMessageType[] = [];
  program.planners.forEach((info, id) => {
    cx.planners.set(info.symbol, id);
    const message = info.message;
    if (message === undefined) throw new LoweringBug(`planner ${info.symbol.name} emits no message type`, info.symbol.file, info.symbol.nameSpan);
    let messageId = cx.messages.get(message.id);
    if (messageId === undefined) {
      messageId = messages.length;
      cx.messages.set(message.id, messageId);
      messages.push({ id: messageId, name: message.name, kinds: [...message.kinds].map(([name, payload]) => ({ name, fields: cx.types.fields(payload.fields, true) })) });
    }
    cx.channels.push(channel(cx, id, info.symbol.name, message));
  });
  program.executors.forEach((info, id) => cx.executors.set(info.symbol, id));
  const proposals = new Map<ExecutorSymbol, Map<string, number>>();
  const arbiterProposals = new Map<string, IRProposal[]>();
  for (const [name] of program.arbiters) {
    const out = cx.outVars.get(name);
    if (out === undefined) throw new LoweringBug(`arbiter for unknown output ${name}`);
    const list: IRProposal[] = [];
    program.executors.forEach((info, executor) => {
      if (!info.written.has(name)) return;
      const type = b.vars[out]!.type;
      const v = b.addVar({ name: `proposal.${info.symbol.name}.${name}`, region: "proposal", field: name, type });
      const validVar = b.addVar({ name: `proposal.${info.symbol.name}.${name}.valid`, region: "proposal", field: name, type: BOOL });
      let mine = proposals.get(info.symbol);
      if (mine === undefined) proposals.set(info.symbol, (mine = new Map()));
      mine.set(name, v);
      list.push({ executor, var: v, validVar });
    });
    arbiterProposals.set(name, list);
  }

  const events: IREvent[] = program.events.map((symbol, id) => {
    cx.events.set(symbol, id);
    return { id, name: symbol.name, span: b.span(symbol.file, symbol.nameSpan) };
  });
  program.events.forEach((symbol, id) => {
    if (symbol.decl.when) events[id] = { ...events[id]!, when: b.materialize(lowerExpr(cx, symbol.decl.when, globalEnv(symbol.file))) };
  });

  // ---- layers
  const planners: IRPlanner[] = program.planners.map((info, id) => {
    const { symbol } = info;
    const ch = cx.channels[id]!;
    const env = layerEnv(cx, symbol.file, symbol.decl, symbol.name, { kind: "planner", planner: id, channel: ch });
    const root = lowerNode(cx, symbol.decl.body, env);
    return {
      id,
      name: symbol.name,
      periodMs: info.periodMs ?? null,
      events: info.events.map((e) => must(cx.events.get(e), `event ${e.name}`)),
      message: must(cx.messages.get(ch.message.id), "message"),
      root,
      kindVar: ch.kindVar,
      payloadVars: ch.payloadVars,
      span: b.span(symbol.file, symbol.decl.name.span),
    };
  });
  const executors: IRExecutor[] = program.executors.map((info, id) => {
    const { symbol } = info;
    const decl = symbol.decl;
    if (info.periodMs === undefined) throw new LoweringBug(`executor ${symbol.name} has no period`, symbol.file, decl.span);
    const env = layerEnv(cx, symbol.file, decl, symbol.name, { kind: "executor", executor: id, proposals: proposals.get(symbol) ?? new Map() });
    const follows = info.follows === undefined ? null : must(cx.planners.get(info.follows), `planner ${info.follows.name}`);
    const ch = follows === null ? undefined : cx.channels[follows];
    const handlers: IRHandler[] = [];
    let defaultRoot: number | null = decl.body ? lowerNode(cx, decl.body, env) : null;
    for (const h of decl.handlers) {
      if (h.messageKind === undefined) {
        defaultRoot = lowerNode(cx, h.body, env);
        continue;
      }
      if (ch === undefined) throw new LoweringBug(`handler in executor ${symbol.name}, which follows no planner`, symbol.file, h.span);
      const kind = [...ch.message.kinds.keys()].indexOf(h.messageKind.name);
      if (kind < 0) throw new LoweringBug(`no message kind ${h.messageKind.name}`, symbol.file, h.messageKind.span);
      handlers.push({ kind, root: lowerNode(cx, h.body, { ...env, msgVar: ch.payloadVars[kind]! }) });
    }
    return {
      id,
      name: symbol.name,
      periodMs: info.periodMs,
      follows,
      handlers,
      default: defaultRoot,
      writes: [...info.written].map((name) => must(cx.outVars.get(name), `output ${name}`)).sort((x, y) => x - y),
      span: b.span(symbol.file, decl.name.span),
    };
  });

  // ---- arbitration and shields, in output order
  const arbiters: IRArbiter[] = [];
  const shields: IRShield[] = [];
  for (const [name, outVar] of cx.outVars) {
    const arbiter = program.arbiters.get(name);
    const valueEnv = (file: string): Env => ({ ...globalEnv(file), value: b.vars[outVar]!.type });
    if (arbiter) {
      const env = valueEnv(arbiter.file);
      arbiters.push({
        id: arbiters.length,
        output: outVar,
        strategy: strategy(cx, arbiter.decl.strategy, env),
        proposals: arbiterProposals.get(name) ?? [],
        span: b.span(arbiter.file, arbiter.decl.output.span),
      });
    }
    const shield = program.shields.get(name);
    if (shield) {
      const env = valueEnv(shield.file);
      const e = (x: A.Expr): number => b.materialize(lowerExpr(cx, x, env));
      const r = shield.decl.rule;
      shields.push({
        id: shields.length,
        output: outVar,
        rule: r.kind === "clamp" ? { k: "clamp", min: e(r.min), max: e(r.max) } : { k: "deny", when: e(r.when), fallback: e(r.fallback) },
        span: b.span(shield.file, shield.decl.output.span),
      });
    }
  }

  const tests = lowerTests(cx);
  return {
    irVersion: IR_VERSION,
    name: policyName(program),
    layout: { frameSize: b.frame, vars: b.vars, observation, output, state: cx.stateVarIds },
    externs,
    events,
    models,
    messages,
    planners,
    executors,
    arbiters,
    shields,
    nodes: b.nodes,
    exprs: b.exprs,
    locals: b.locals,
    tests,
    spans: { nodes: b.nodeSpans, exprs: b.exprSpans },
  };
}

function must<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new LoweringBug(`${what} has no IR id`);
  return v;
}

function policyName(program: TypedProgram): string {
  const entry = program.modules.find((m) => m.file === program.entry) ?? program.modules[program.modules.length - 1];
  return entry?.module.name?.name ?? basename(program.entry, extname(program.entry));
}

function fieldVars(cx: LowerContext, fields: ReadonlyMap<string, FieldSymbol>, region: "obs" | "out", byName: Map<string, number>): number[] {
  return [...fields.values()].map((f) => {
    const id = cx.b.addVar({ name: `${region}.${f.name}`, region, field: f.name, type: cx.types.convert(f.type, true), span: cx.b.span(f.file, f.decl.span) });
    byName.set(f.name, id);
    return id;
  });
}

function channel(cx: LowerContext, planner: number, name: string, message: MessageType): Channel {
  const kinds = [...message.kinds];
  const kindVar = cx.b.addVar({ name: `msg.${name}.kind`, region: "msg", field: "kind", type: { k: "int", min: -1, max: kinds.length - 1 }, init: [-1] });
  const payloadVars = kinds.map(([kind, payload]) =>
    cx.b.addVar({ name: `msg.${name}.${kind}`, region: "msg", field: kind, type: cx.types.convert(payload, true) }),
  );
  return { planner, message, kindVar, payloadVars };
}

function layerEnv(cx: LowerContext, file: string, decl: A.PlannerDecl | A.ExecutorDecl, name: string, layer: Env["layer"]): Env {
  const fields = cx.program.localState.get(decl) ?? new Map<string, FieldSymbol>();
  return { ...globalEnv(file), layer, localState: stateVars(cx, fields, `${name}.state`), localFields: fields };
}

function lowerExterns(cx: LowerContext): IRExtern[] {
  const externs: IRExtern[] = [];
  const seen = new Set<ExternSymbol>();
  for (const scope of cx.program.modules) {
    for (const symbol of scope.decls.values()) {
      if (symbol.kind !== "extern" || seen.has(symbol)) continue;
      seen.add(symbol);
      const { decl } = symbol;
      const id = externs.length;
      cx.externs.set(symbol, id);
      externs.push({
        id,
        name: symbol.name,
        kind: decl.externKind,
        params: decl.params.map((p) => ({ name: p.name.name, type: declared(cx, p.type, symbol.file) })),
        ...(decl.externKind === "function" && decl.returns ? { returns: declared(cx, decl.returns, symbol.file) } : {}),
        ...(decl.externKind === "condition" ? { returns: BOOL } : {}),
        async: decl.async,
        writes: decl.writes.map((w) => must(cx.outVars.get(w.name), `output ${w.name}`)),
        span: cx.b.span(symbol.file, decl.name.span),
      });
    }
  }
  return externs;
}

function declared(cx: LowerContext, t: A.TypeExpr, file: string): IRType {
  const type: Type | undefined = cx.program.typeOf.get(t);
  if (type === undefined) throw new LoweringBug("a declared type was not resolved", file, t.span);
  return cx.types.convert(type, true);
}

function lowerModels(cx: LowerContext): IRModel[] {
  const models: IRModel[] = [];
  for (const [symbol, table] of cx.program.models) {
    const id = models.length;
    cx.models.set(symbol, id);
    models.push({
      id,
      name: symbol.name,
      path: symbol.decl.path.value,
      backend: symbol.decl.backend,
      inputs: [...table.inputs.values()].map(port),
      outputs: [...table.outputs.values()].map(port),
      span: cx.b.span(symbol.file, symbol.decl.name.span),
    });
  }
  return models;
}

function port(p: ModelPortInfo): IRModelPort {
  if (p.type.kind !== "tensor") throw new LoweringBug(`model port ${p.name} is not a tensor`);
  let size = 1;
  for (const d of p.perAgent) size *= typeof d === "number" ? d : 1;
  return { name: p.name, dtype: p.type.dtype, shape: [...p.type.shape], size };
}

function strategy(cx: LowerContext, s: A.Strategy, env: Env): IRStrategy {
  const executor = (ident: A.Ident): number => {
    const symbol = cx.program.bindings.get(ident);
    const id = symbol?.kind === "executor" ? cx.executors.get(symbol) : undefined;
    if (id === undefined) throw new LoweringBug(`arbiter entry ${ident.name} is not an executor`, env.file, ident.span);
    return id;
  };
  const entries = (ws: readonly A.Weighted[]) => ws.map((w) => ({ executor: executor(w.executor), expr: cx.b.materialize(lowerExpr(cx, w.expr, env)) }));
  switch (s.kind) {
    case "priority":
    case "vote":
      return { k: s.kind, executors: s.executors.map(executor) };
    case "utility":
    case "blend":
      return { k: s.kind, entries: entries(s.entries) };
    case "filter":
      return { k: "filter", predicate: cx.b.materialize(lowerExpr(cx, s.predicate, env)), then: strategy(cx, s.then, env) };
  }
}

