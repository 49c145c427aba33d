// Layers: planners (triggers, message type, emissions), executors (rate, follows, handlers, authority),
// write-write conflicts between executors, arbiters and shields.
import type * as A from "../../grammar/ast.ts";
import { namesCodes } from "../diagnostics/codes/names.ts";
import { typesCodes } from "../diagnostics/codes/types.ts";
import { structureCodes } from "../diagnostics/codes/structure.ts";
import { suggest } from "../diagnostics/suggest.ts";
import { renameFix } from "../resolve/fixes.ts";
import { lookupGlobal, visibleNames, type ModuleScope } from "../resolve/resolve.ts";
import { describeSymbol, type EventSymbol, type ExecutorSymbol, type PlannerSymbol } from "../resolve/symbols.ts";
import { errorType, formatNumber, formatType, isNumeric, type Type } from "../types/type.ts";
import { assignable, checkAssigned, checkCondition, checkExpr, unknownField, unknownMember } from "./expr.ts";
import { checkNode } from "./nodes.ts";
import { layerState, type CheckState, type BodyContext, type Scope } from "./state.ts";
import type { ExecutorInfo, PlannerInfo } from "./typed-program.ts";

function periodOf(t: A.Trigger): number | undefined {
  if (t.kind === "every") return t.period.ms;
  if (t.kind === "rate") return t.rate.hz > 0 ? 1000 / t.rate.hz : undefined;
  return undefined;
}

function newBody(kind: BodyContext["kind"], name: string, extra: Partial<BodyContext> = {}): BodyContext {
  return { kind, name, writableOut: kind !== "planner", written: new Map(), initialised: new Set(), ...extra };
}

export function checkPlanner(cx: CheckState, symbol: PlannerSymbol): PlannerInfo {
  const decl = symbol.decl;
  const module = cx.program.scopes.get(symbol.file)!;
  const events: EventSymbol[] = [];
  let periodMs: number | undefined;
  for (const t of decl.triggers) {
    const p = periodOf(t);
    if (t.kind !== "on" && (p === undefined || p <= 0)) {
      cx.report(structureCodes.badCount, symbol.file, t.span, { what: "rate", reason: "must be greater than zero" });
    }
    if (p !== undefined && p > 0) periodMs = periodMs === undefined ? p : Math.min(periodMs, p);
    if (t.kind === "on") for (const e of t.events) {
      const s = resolveNamed(cx, module, e, "event");
      if (s?.kind !== "event") continue;
      events.push(s);
      // Events are declared before use (imported events come from modules loaded first).
      if (s.file === symbol.file && s.decl.span.start > e.span.start) {
        cx.report(structureCodes.eventBeforeDeclaration, symbol.file, e.span, { event: s.name }, {
          labels: [{ file: s.file, span: s.nameSpan, message: "declared here" }],
        });
      }
    }
  }
  const message = cx.plannerMessage(symbol);
  const state = layerState(cx, module, decl, decl.state, symbol.name);
  const body = newBody("planner", symbol.name, message ? { message } : {});
  const scope: Scope = { module, file: symbol.file, obs: cx.observation, state, where: `in planner \`${symbol.name}\``, body };
  checkNode(cx, scope, decl.body);
  return { symbol, ...(periodMs !== undefined ? { periodMs } : {}), state: state.fields, ...(message ? { message } : {}), events };
}

/** Resolve an Ident that must name a module-level declaration of kind `kind`; reports and returns undefined otherwise. */
export function resolveNamed<K extends "event" | "planner" | "executor">(
  cx: CheckState,
  module: ModuleScope,
  name: A.Ident,
  kind: K,
): Extract<import("../resolve/symbols.ts").GlobalSymbol, { kind: K }> | undefined {
  const symbol = lookupGlobal(module, name.name);
  if (symbol === undefined) {
    const s = suggest(name.name, visibleNames(module, (x) => x.kind === kind));
    cx.report(namesCodes.unknownName, module.file, name.span, { what: kind, name: name.name }, s
      ? { help: `did you mean \`${s}\`?`, fix: renameFix(module.file, name.span, s) }
      : {});
    return undefined;
  }
  symbol.used = true;
  if (symbol.kind === "error") return undefined;
  cx.bindings.set(name, symbol);
  if (symbol.kind !== kind) {
    cx.report(namesCodes.wrongKind, module.file, name.span, { name: name.name, actual: describeSymbol(symbol), expected: kind });
    return undefined;
  }
  return symbol as Extract<import("../resolve/symbols.ts").GlobalSymbol, { kind: K }>;
}

export function checkExecutor(cx: CheckState, symbol: ExecutorSymbol, planners: ReadonlyMap<PlannerSymbol, PlannerInfo>): ExecutorInfo {
  const decl = symbol.decl;
  const file = symbol.file;
  const module = cx.program.scopes.get(file)!;
  const periodMs = periodOf(decl.rate);
  if (periodMs === undefined || periodMs <= 0) cx.report(structureCodes.badCount, file, decl.rate.span, { what: "rate", reason: "must be greater than zero" });

  const follows = decl.follows ? resolveNamed(cx, module, decl.follows, "planner") : undefined;
  const writes = new Set<string>();
  let brokenWrites = false;
  for (const w of decl.writes) {
    if (!cx.output.fields.has(w.name)) {
      unknownField(cx, { module, file, where: "" }, "the output", w, cx.output.fields.keys());
      brokenWrites = true;
      continue;
    }
    if (writes.has(w.name)) cx.report(namesCodes.duplicate, file, w.span, { name: w.name, where: `the writes of \`${symbol.name}\`` });
    writes.add(w.name);
    cx.bindings.set(w, cx.output.fields.get(w.name)!);
  }

  // An executor must not tick slower than the planner whose messages it plays out.
  const plannerInfo = follows ? planners.get(follows) : undefined;
  if (plannerInfo?.periodMs !== undefined && periodMs !== undefined && periodMs > plannerInfo.periodMs + 1e-9) {
    cx.report(structureCodes.executorTooSlow, file, decl.rate.span, {
      executor: symbol.name,
      planner: follows!.name,
      executorPeriod: formatNumber(periodMs),
      plannerPeriod: formatNumber(plannerInfo.periodMs),
    });
  }

  const state = layerState(cx, module, decl, decl.state, symbol.name);
  // With a misspelt `writes` entry (reported) the intended authority is unknown: skip authority checks.
  const body = newBody("executor", symbol.name, brokenWrites ? {} : { writes });
  const base: Scope = { module, file, obs: cx.observation, state, where: `in executor \`${symbol.name}\``, body };
  if (decl.body) checkNode(cx, base, decl.body);
  if (decl.handlers.length > 0) {
    const message = follows ? cx.plannerMessage(follows) : undefined;
    if (!decl.follows) {
      cx.report(structureCodes.handlersWithoutPlanner, file, decl.handlers[0].span, { executor: symbol.name });
    }
    const handled = new Set<string>();
    let hasDefault = false;
    // Where the planner, its message type or the handled kind is broken (and reported), `msg` is poisoned
    // rather than unavailable, so its uses stay silent.
    const poisoned: Scope = { ...base, msg: { type: errorType, kind: "" } };
    for (const h of decl.handlers) {
      let scope = h.messageKind === undefined ? base : poisoned;
      if (h.messageKind === undefined) {
        if (hasDefault) cx.report(namesCodes.duplicate, file, { start: h.span.start, end: h.span.start + 7 }, { name: "default", where: `the handlers of \`${symbol.name}\`` });
        hasDefault = true;
      } else if (message) {
        const kind = h.messageKind.name;
        const payload = message.kinds.get(kind);
        if (payload === undefined) unknownMember(cx, base, message.name, h.messageKind, message.kinds.keys());
        else if (handled.has(kind)) cx.report(namesCodes.duplicate, file, h.messageKind.span, { name: kind, where: `the handlers of \`${symbol.name}\`` });
        else {
          handled.add(kind);
          scope = { ...base, msg: { type: payload, kind } };
        }
      }
      checkNode(cx, scope, h.body);
    }
    if (message && !hasDefault) {
      const missing = [...message.kinds.keys()].filter((k) => !handled.has(k));
      if (missing.length > 0) {
        cx.report(structureCodes.unhandledKinds, file, decl.name.span, { executor: symbol.name, message: message.name, missing: missing.map((m) => `\`${m}\``).join(", ") }, {
          help: "add an `on` handler for each, or a `default` handler",
        });
      }
    }
  }
  return {
    symbol,
    ...(periodMs !== undefined ? { periodMs } : {}),
    state: state.fields,
    ...(follows ? { follows } : {}),
    writes,
    written: new Set(body.written.keys()),
  };
}

/** Every output field is written by at most one executor unless an arbiter is declared for it. */
export function checkConflicts(cx: CheckState, executors: readonly ExecutorInfo[], arbitrated: ReadonlySet<string>): void {
  const firstWriter = new Map<string, ExecutorInfo>();
  const reported = new Set<string>();
  for (const ex of executors) {
    for (const w of ex.symbol.decl.writes) {
      if (!ex.writes.has(w.name)) continue;
      const first = firstWriter.get(w.name);
      if (first === undefined) {
        firstWriter.set(w.name, ex);
        continue;
      }
      if (first === ex || arbitrated.has(w.name) || reported.has(w.name)) continue;
      reported.add(w.name);
      const firstIdent = first.symbol.decl.writes.find((x) => x.name === w.name)!;
      cx.report(structureCodes.writeConflict, ex.symbol.file, w.span, { field: w.name, first: first.symbol.name, second: ex.symbol.name }, {
        labels: [{ file: first.symbol.file, span: firstIdent.span, message: `\`${first.symbol.name}\` also writes \`${w.name}\`` }],
        help: `declare an arbiter for \`${w.name}\`, e.g. \`arbiter ${w.name}: priority(${first.symbol.name}, ${ex.symbol.name})\``,
      });
    }
  }
}

export function checkArbiter(cx: CheckState, decl: A.ArbiterDecl, file: string, executors: readonly ExecutorInfo[]): void {
  const module = cx.program.scopes.get(file)!;
  const field = cx.output.fields.get(decl.output.name);
  const where = `in the arbiter for \`${decl.output.name}\``;
  if (field === undefined) {
    unknownField(cx, { module, file, where }, "the output", decl.output, cx.output.fields.keys());
    return;
  }
  cx.bindings.set(decl.output, field);
  const scope: Scope = { module, file, obs: cx.observation, state: cx.state, value: field.type, where };
  const listed = new Set<string>();
  const writers = new Set(executors.filter((e) => e.writes.has(field.name)).map((e) => e.symbol.name));
  let brokenEntry = false;
  const entry = (name: A.Ident): void => {
    const ex = resolveNamed(cx, module, name, "executor");
    if (ex === undefined) {
      brokenEntry = true; // reported; the misspelt entry may be any writer
      return;
    }
    listed.add(ex.name);
    if (!writers.has(ex.name)) {
      cx.report(structureCodes.arbiterEntryNotWriter, file, name.span, { executor: ex.name, field: field.name });
    }
  };
  const strategy = (s: A.Strategy): void => {
    switch (s.kind) {
      case "priority":
      case "vote":
        if (s.kind === "vote" && !(field.type.kind === "bool" || field.type.kind === "int" || field.type.kind === "enum" || field.type.kind === "error")) {
          cx.report(structureCodes.strategyType, file, s.span, { strategy: "vote", field: field.name, type: formatType(field.type), needs: "bool, int or an enum" });
        }
        for (const e of s.executors) entry(e);
        break;
      case "utility":
      case "blend":
        if (s.kind === "blend" && !(isNumeric(field.type) || field.type.kind === "vec" || field.type.kind === "error")) {
          cx.report(structureCodes.strategyType, file, s.span, { strategy: "blend", field: field.name, type: formatType(field.type), needs: "a number or a vector" });
        }
        for (const w of s.entries) {
          entry(w.executor);
          const t = checkExpr(cx, scope, w.expr, { kind: "float" });
          if (t.kind !== "error" && !isNumeric(t)) cx.report(typesCodes.mismatch, file, w.expr.span, { expected: "a number", found: formatType(t) });
        }
        break;
      case "filter":
        checkCondition(cx, scope, s.predicate);
        strategy(s.then);
        break;
    }
  };
  strategy(decl.strategy);
  for (const ex of brokenEntry ? [] : executors) {
    if (ex.writes.has(field.name) && !listed.has(ex.symbol.name)) {
      cx.report(structureCodes.writerNotArbitrated, file, decl.output.span, { executor: ex.symbol.name, field: field.name }, {
        labels: [{ file: ex.symbol.file, span: ex.symbol.nameSpan, message: `\`${ex.symbol.name}\` writes \`${field.name}\`` }],
      });
    }
  }
}

export function checkShield(cx: CheckState, decl: A.ShieldDecl, file: string): void {
  const module = cx.program.scopes.get(file)!;
  const field = cx.output.fields.get(decl.output.name);
  const where = `in the shield for \`${decl.output.name}\``;
  if (field === undefined) {
    unknownField(cx, { module, file, where }, "the output", decl.output, cx.output.fields.keys());
    return;
  }
  cx.bindings.set(decl.output, field);
  // Shields run after every arbiter: `value` is the arbitrated proposal for this output, and `out` reads the
  // arbitrated values of the other outputs (before their own shields apply). Nothing writes after a shield.
  const scope: Scope = { module, file, obs: cx.observation, state: cx.state, out: cx.output, value: field.type, where };
  const rule = decl.rule;
  if (rule.kind === "clamp") {
    const t: Type = field.type;
    if (!(isNumeric(t) || t.kind === "vec" || t.kind === "error")) {
      cx.report(structureCodes.strategyType, file, rule.span, { strategy: "clamp", field: field.name, type: formatType(t), needs: "a number or a vector" });
      checkExpr(cx, scope, rule.min);
      checkExpr(cx, scope, rule.max);
      return;
    }
    const bound: Type = t.kind === "vec" ? { kind: "float" } : t;
    for (const b of [rule.min, rule.max]) {
      const bt = checkExpr(cx, scope, b, bound);
      assignable(cx, scope, b, bt, t.kind === "vec" && bt.kind === "vec" ? t : bound);
    }
    return;
  }
  checkCondition(cx, scope, rule.when);
  checkAssigned(cx, scope, rule.fallback, field.type);
}
