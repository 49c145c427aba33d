// Typing of tree nodes, registered per node kind (STYLE 7). Each check returns the node's outcome
// capabilities (can it ever succeed / fail?), which drive the unreachable-node warnings and are memoised
// per tree so calls see their callee's capabilities.
import type * as A from "../../grammar/ast.ts";
import { namesCodes } from "../diagnostics/codes/names.ts";
import { typesCodes } from "../diagnostics/codes/types.ts";
import { structureCodes } from "../diagnostics/codes/structure.ts";
import { suggest } from "../diagnostics/suggest.ts";
import { renameFix } from "../resolve/fixes.ts";
import { lookupGlobal, visibleNames } from "../resolve/resolve.ts";
import { describeSymbol, type ExternSymbol, type FieldSymbol, type TreeSymbol } from "../resolve/symbols.ts";
import { errorType, formatType, indexedElement, intType, type Type } from "../types/type.ts";
import { checkArgs, checkAssigned, checkCondition, checkConstantIndex, checkExpr, fold, unknownField, unknownMember } from "./expr.ts";
import { checkInfer } from "./infer.ts";
import { treeEffects } from "./trees.ts";
import type { CheckState, Scope } from "./state.ts";

export interface Outcome {
  readonly canSucceed: boolean;
  readonly canFail: boolean;
}

const ANY: Outcome = { canSucceed: true, canFail: true };
const SUCCEEDS: Outcome = { canSucceed: true, canFail: false };
const FAILS: Outcome = { canSucceed: false, canFail: true };
const NEVER: Outcome = { canSucceed: false, canFail: false };

type NodeCheck<N extends A.TreeNode> = (cx: CheckState, scope: Scope, node: N) => Outcome;

const checks: { [K in A.TreeNode["kind"]]: NodeCheck<Extract<A.TreeNode, { kind: K }>> } = {
  Composite: checkComposite,
  Parallel: checkParallel,
  Decorator: checkDecorator,
  Check: (cx, scope, node) => {
    checkCondition(cx, scope, node.condition);
    const v = fold(cx, node.condition);
    return v === true ? SUCCEEDS : v === false ? FAILS : ANY;
  },
  Do: checkDo,
  // A fault in an extern call (the only way an expression can fail at run time) makes `set`/`emit` fail.
  Set: (cx, scope, node) => {
    const before = cx.externCalls;
    checkSet(cx, scope, node.target, node.value);
    return cx.externCalls !== before ? ANY : SUCCEEDS;
  },
  Emit: (cx, scope, node) => {
    const before = cx.externCalls;
    checkEmit(cx, scope, node);
    return cx.externCalls !== before ? ANY : SUCCEEDS;
  },
  Call: checkCall,
  Wait: (cx, scope, node) => {
    positiveDuration(cx, scope, node.duration);
    return SUCCEEDS;
  },
  ConstStatus: (_cx, _scope, node) => (node.status === "success" ? SUCCEEDS : node.status === "failure" ? FAILS : NEVER),
  Infer: (cx, scope, node) => {
    checkInfer(cx, scope, node);
    return ANY;
  },
};

export function checkNode(cx: CheckState, scope: Scope, node: A.TreeNode): Outcome {
  if (node.recovered) return ANY;
  return (checks[node.kind] as NodeCheck<A.TreeNode>)(cx, scope, node);
}

function checkComposite(cx: CheckState, scope: Scope, node: A.CompositeNode): Outcome {
  const isSelector = node.composite === "selector" || node.composite === "reactive_selector";
  const isSequence = node.composite === "sequence" || node.composite === "reactive_sequence";
  let reachable = true;
  let reported = false;
  let canSucceed = isSelector ? false : true;
  let canFail = isSelector ? true : false;
  let anySucceed = false;
  let anyFail = false;
  for (const child of node.children) {
    if (!reachable && !reported) {
      reported = true;
      const previous = node.children[node.children.indexOf(child) - 1];
      cx.report(structureCodes.unreachable, scope.file, child.span, { composite: node.composite.replace("_", " ") }, {
        labels: [{ file: scope.file, span: previous.span, message: isSelector ? "this child never fails" : "this child never succeeds" }],
      });
    }
    const o = checkNode(cx, scope, child);
    anySucceed ||= o.canSucceed;
    anyFail ||= o.canFail;
    if (!reachable) continue;
    if (isSelector) {
      // A selector fails only when every child failed; it succeeds if any reachable child can succeed.
      if (o.canSucceed) canSucceed = true;
      if (!o.canFail) {
        reachable = false;
        canFail = false;
      }
    } else if (isSequence) {
      if (o.canFail) canFail = true;
      if (!o.canSucceed) {
        reachable = false;
        canSucceed = false;
      }
    }
  }
  if (node.composite === "race") return { canSucceed: anySucceed, canFail: anyFail };
  if (node.children.length === 0) return isSelector ? FAILS : SUCCEEDS;
  return { canSucceed, canFail };
}

function checkParallel(cx: CheckState, scope: Scope, node: A.ParallelNode): Outcome {
  for (const child of node.children) checkNode(cx, scope, child);
  const n = node.children.length;
  for (const t of [node.success, node.failure]) {
    if (t && (t.value < 1 || t.value > n)) {
      cx.report(structureCodes.badCount, scope.file, t.span, { what: "parallel threshold", reason: `must be between 1 and the number of children (${n})` });
    }
  }
  return ANY;
}

function positiveDuration(cx: CheckState, scope: Scope, t: A.TimeLit | undefined): void {
  if (t && t.ms <= 0) cx.report(structureCodes.badCount, scope.file, t.span, { what: "duration", reason: "must be greater than zero" });
}

function checkDecorator(cx: CheckState, scope: Scope, node: A.DecoratorNode): Outcome {
  if (node.count && node.count.value < 1) {
    cx.report(structureCodes.badCount, scope.file, node.count.span, { what: `${node.decorator} count`, reason: "must be at least 1" });
  }
  positiveDuration(cx, scope, node.duration);
  if (node.condition) checkCondition(cx, scope, node.condition);
  const o = checkNode(cx, scope, node.child);
  switch (node.decorator) {
    case "invert":
      return { canSucceed: o.canFail, canFail: o.canSucceed };
    case "force_success":
      return o.canSucceed || o.canFail ? SUCCEEDS : NEVER;
    case "force_failure":
      return o.canSucceed || o.canFail ? FAILS : NEVER;
    case "timeout":
    case "cooldown":
    case "guard_while":
      return { canSucceed: o.canSucceed, canFail: true };
    case "guard_until":
      // Reaching the `until` condition halts the child and succeeds (docs/semantics.md).
      return { canSucceed: true, canFail: o.canFail };
    default:
      return o;
  }
}

function checkDo(cx: CheckState, scope: Scope, node: A.DoNode): Outcome {
  const symbol = lookupGlobal(scope.module, node.action.name);
  if (symbol === undefined) {
    const s = suggest(node.action.name, visibleNames(scope.module, (x) => x.kind === "extern" && x.decl.externKind === "action"));
    cx.report(namesCodes.unknownName, scope.file, node.action.span, { what: "extern action", name: node.action.name }, s
      ? { help: `did you mean \`${s}\`?`, fix: renameFix(scope.file, node.action.span, s) }
      : {});
    for (const a of node.args) checkExpr(cx, scope, a.value);
    return ANY;
  }
  cx.bindings.set(node.action, symbol);
  symbol.used = true;
  if (symbol.kind === "error") return ANY;
  if (symbol.kind !== "extern" || symbol.decl.externKind !== "action") {
    for (const a of node.args) checkExpr(cx, scope, a.value);
    cx.report(namesCodes.wrongKind, scope.file, node.action.span, { name: node.action.name, actual: describeSymbol(symbol), expected: "extern action" },
      symbol.kind === "tree" ? { help: `run a tree with \`call ${node.action.name}(…)\``, fix: { file: scope.file, span: { start: node.span.start, end: node.span.start + 2 }, replacement: "call", description: "replace `do` with `call`" } } : {});
    return ANY;
  }
  checkArgs(cx, scope, node, symbol, node.args);
  actionAuthority(cx, scope, node, symbol);
  return ANY;
}

/** An extern action writes the outputs it declares: the enclosing layer must hold authority over them. */
function actionAuthority(cx: CheckState, scope: Scope, node: A.DoNode, action: ExternSymbol): void {
  const body = scope.body;
  if (body === undefined) return;
  for (const w of action.decl.writes) {
    if (!cx.output.fields.has(w.name)) continue; // reported at the extern declaration
    if (body.kind === "planner") {
      cx.report(structureCodes.plannerWritesOutput, scope.file, node.action.span, { planner: body.name, field: w.name }, {
        labels: [{ file: action.file, span: w.span, message: `\`${action.name}\` writes \`${w.name}\`` }],
      });
      return;
    }
    if (body.writes && !body.writes.has(w.name)) {
      cx.report(structureCodes.actionWritesUndeclared, scope.file, node.action.span, { action: action.name, field: w.name, layer: body.name }, {
        labels: [{ file: action.file, span: w.span, message: "declared here" }],
        help: `add \`${w.name}\` to the \`writes\` list of \`${body.name}\``,
      });
    }
    if (!body.written.has(w.name)) body.written.set(w.name, { file: scope.file, span: node.action.span });
  }
}

/** `set`/`write` targets: `state.…` or `out.…`, typed along the path; returns the target's type. */
export function checkSet(cx: CheckState, scope: Scope, target: A.LValue, value: A.Expr): void {
  const t = lvalueType(cx, scope, target);
  if (t.kind === "error") {
    checkExpr(cx, scope, value);
    return;
  }
  checkAssigned(cx, scope, value, t);
}

export function lvalueType(cx: CheckState, scope: Scope, target: A.LValue): Type {
  if (target.recovered) return errorType;
  const root = target.root === "state" ? scope.state : cx.output;
  const first = target.path[0];
  if (root === undefined || first === undefined || first.kind !== "Ident") return errorType;
  const body = scope.body;
  if (target.root === "state" && root === undefined) return errorType;
  const field: FieldSymbol | undefined = root.fields.get(first.name);
  if (field === undefined) {
    return unknownField(cx, scope, target.root === "out" ? "the output" : "the state", first, root.fields.keys());
  }
  cx.bindings.set(first, field);
  if (target.root === "out") {
    if (body === undefined || body.kind === "planner") {
      cx.report(structureCodes.plannerWritesOutput, scope.file, target.span, { planner: body?.name ?? "this block", field: first.name }, {
        notes: ["planners emit messages; executors write outputs"],
      });
      return errorType;
    }
    if (body.writes && !body.writes.has(first.name)) {
      cx.report(structureCodes.writesUndeclared, scope.file, target.span, { layer: body.name, field: first.name }, {
        help: `add \`${first.name}\` to the \`writes\` list of \`${body.name}\``,
      });
    }
    if (!body.written.has(first.name)) body.written.set(first.name, { file: scope.file, span: target.span });
  } else if (body && target.path.length === 1) {
    body.initialised.add(field);
  }
  let t: Type = field.type;
  for (const step of target.path.slice(1)) {
    if (t.kind === "error") return t;
    if (step.kind === "Ident") {
      if (t.kind === "record") {
        const f = t.fields.get(step.name);
        if (f === undefined) return unknownField(cx, scope, `record ${t.name}`, step, t.fields.keys());
        t = f;
      } else if (t.kind === "vec") {
        const i = ["x", "y", "z", "w"].indexOf(step.name);
        if (i < 0 || i >= t.size) return unknownField(cx, scope, formatType(t), step, ["x", "y", "z", "w"].slice(0, t.size));
        t = { kind: "float" };
      } else {
        return unknownField(cx, scope, formatType(t), step, []);
      }
    } else {
      const it = checkExpr(cx, scope, step, intType);
      const indexed = indexedElement(t);
      if (indexed === undefined) {
        cx.report(typesCodes.badIndex, scope.file, step.span, { reason: `${formatType(t)} cannot be indexed` });
        return errorType;
      }
      checkConstantIndex(cx, scope, step, it, t, indexed.length);
      t = indexed.element;
    }
  }
  return t;
}

function checkEmit(cx: CheckState, scope: Scope, node: A.EmitNode): Outcome {
  const body = scope.body;
  if (body?.kind !== "planner") {
    cx.report(structureCodes.emitOutsidePlanner, scope.file, node.span, {});
    for (const f of node.fields) checkExpr(cx, scope, f.value);
    return SUCCEEDS;
  }
  const message = body.message;
  const payload = message?.kinds.get(node.messageKind.name);
  if (message === undefined || payload === undefined) {
    if (message) unknownMember(cx, scope, message.name, node.messageKind, message.kinds.keys());
    for (const f of node.fields) checkExpr(cx, scope, f.value);
    return SUCCEEDS;
  }
  checkPayload(cx, scope, `${message.name}.${node.messageKind.name}`, payload.fields, node.fields, node.messageKind.span);
  return SUCCEEDS;
}

/** A message payload (`emit` or a test's `inject`): every field exactly once, each typed. */
export function checkPayload(
  cx: CheckState,
  scope: Scope,
  owner: string,
  fields: ReadonlyMap<string, Type>,
  inits: readonly A.FieldInit[],
  at: A.Span,
): void {
  const seen = new Set<string>();
  for (const init of inits) {
    const t = fields.get(init.name.name);
    if (t === undefined) {
      unknownField(cx, scope, owner, init.name, fields.keys());
      checkExpr(cx, scope, init.value);
      continue;
    }
    if (seen.has(init.name.name)) {
      cx.report(namesCodes.duplicate, scope.file, init.name.span, { name: init.name.name, where: `the payload of ${owner}` });
      checkExpr(cx, scope, init.value);
      continue;
    }
    seen.add(init.name.name);
    checkAssigned(cx, scope, init.value, t);
  }
  const missing = [...fields.keys()].filter((f) => !seen.has(f));
  if (missing.length > 0) {
    cx.report(typesCodes.missingFields, scope.file, at, { owner, missing: missing.map((m) => `\`${m}\``).join(", ") });
  }
}

function checkCall(cx: CheckState, scope: Scope, node: A.CallNode): Outcome {
  const symbol = lookupGlobal(scope.module, node.tree.name);
  if (symbol === undefined) {
    const s = suggest(node.tree.name, visibleNames(scope.module, (x) => x.kind === "tree"));
    cx.report(namesCodes.unknownName, scope.file, node.tree.span, { what: "tree", name: node.tree.name }, s
      ? { help: `did you mean \`${s}\`?`, fix: renameFix(scope.file, node.tree.span, s) }
      : {});
    for (const a of node.args) checkExpr(cx, scope, a.value);
    return ANY;
  }
  cx.bindings.set(node.tree, symbol);
  symbol.used = true;
  if (symbol.kind === "error") return ANY;
  if (symbol.kind !== "tree") {
    for (const a of node.args) checkExpr(cx, scope, a.value);
    cx.report(namesCodes.wrongKind, scope.file, node.tree.span, { name: node.tree.name, actual: describeSymbol(symbol), expected: "tree" },
      symbol.kind === "extern" && symbol.decl.externKind === "action"
        ? { help: `run an action with \`do ${node.tree.name}(…)\``, fix: { file: scope.file, span: { start: node.span.start, end: node.span.start + 4 }, replacement: "do", description: "replace `call` with `do`" } }
        : {});
    return ANY;
  }
  cx.calls.set(node, symbol);
  checkArgs(cx, scope, node, symbol, node.args);
  const effects = treeEffects(cx, symbol, { file: scope.file, node });
  const body = scope.body;
  if (effects && body) {
    for (const [field, where] of effects.writes) {
      if (body.kind === "planner") {
        cx.report(structureCodes.plannerWritesOutput, scope.file, node.tree.span, { planner: body.name, field }, {
          labels: [{ file: where.file, span: where.span, message: `\`${symbol.name}\` writes \`${field}\` here` }],
        });
        break;
      }
      if (body.writes && !body.writes.has(field)) {
        cx.report(structureCodes.writesUndeclared, scope.file, node.tree.span, { layer: body.name, field }, {
          labels: [{ file: where.file, span: where.span, message: `\`${symbol.name}\` writes \`${field}\` here` }],
          help: `add \`${field}\` to the \`writes\` list of \`${body.name}\``,
        });
      }
      if (!body.written.has(field)) body.written.set(field, { file: scope.file, span: node.tree.span });
    }
  }
  return effects ?? ANY;
}

export type { TreeSymbol };
