// Program-wide resource limits, measured before lowering so a spec that would exhaust memory is stopped with a
// diagnostic instead (limits: src/runtime/limits.ts, docs/security.md):
// - nodes: the syntax nodes of every layer body once subtree calls are inlined (each call is a full copy of the
//   called tree). Sizes are memoised per tree, so measuring is linear in the spec even when the inlined size is
//   exponential; numbers saturate at Infinity instead of overflowing.
// - frameSlots: the agent frame as lowering lays it out (observation, outputs, program state, planner channels,
//   arbiter proposals, then each layer's local state and the local state of every inlined tree instance).
// Per-type limits (valueSlots, listCapacity) are checked where types are declared (declared-types.ts).
import type * as A from "../../grammar/ast.ts";
import { projectCodes } from "../diagnostics/codes/project.ts";
import type { FieldSymbol, TreeSymbol } from "../resolve/symbols.ts";
import type { Type } from "../types/type.ts";
import type { CheckState } from "./state.ts";
import { limitHelp } from "../../runtime/limits.ts";
import type { ExecutorInfo, PlannerInfo } from "./typed-program.ts";

/** Number slots a value of type `t` occupies in the frame (the runtime's typeSize, on checker types). */
export function slotsOf(t: Type): number {
  switch (t.kind) {
    case "bool":
    case "int":
    case "float":
    case "enum":
    case "message":
      return 1;
    case "vec":
      return t.size;
    case "list":
      return 1 + t.capacity * slotsOf(t.element);
    case "tensor":
      return tensorElements(t.shape);
    case "record": {
      let n = 0;
      for (const f of t.fields.values()) n += slotsOf(f);
      return n;
    }
    case "messageKind":
      return slotsOf(t.payload);
    case "string":
    case "error":
      return 0;
  }
}

/** Elements of a tensor per agent: the product of its fixed dimensions (a symbolic or `?` one is the batch). */
export function tensorElements(shape: readonly (number | string | null)[]): number {
  let n = 1;
  for (const d of shape) if (typeof d === "number") n *= d;
  return n;
}

/** Calls `visit` on every syntax node (an object with a `kind`) under `root`, itself included. */
export function forEachSyntaxNode(root: unknown, visit: (node: { readonly kind: string }) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x !== "object" || x === null) continue;
    if (Array.isArray(x)) {
      for (const y of x) stack.push(y);
      continue;
    }
    const o = x as Record<string, unknown>;
    if (typeof o["kind"] === "string") visit(o as { kind: string });
    for (const key in o) if (key !== "span" && key !== "openBrace") stack.push(o[key]);
  }
}

interface Measured {
  /** Syntax nodes once every call under it is inlined. */
  readonly nodes: number;
  /** Frame slots of the local state of every tree instance inlined under it. */
  readonly slots: number;
  /** The trees it calls, one entry per call site. */
  readonly callees: readonly TreeSymbol[];
}

export function checkProgramLimits(
  cx: CheckState,
  planners: readonly PlannerInfo[],
  executors: readonly ExecutorInfo[],
  arbitrated: ReadonlySet<string>,
): void {
  const { limits } = cx;
  const memo = new Map<TreeSymbol, Measured>();
  const inProgress = new Set<TreeSymbol>();
  const localSlots = (fields: ReadonlyMap<string, FieldSymbol> | undefined): number => {
    let n = 0;
    if (fields) for (const f of fields.values()) n += slotsOf(f.type);
    return n;
  };
  const measureBody = (body: unknown): Measured => {
    let nodes = 0;
    let slots = 0;
    const callees: TreeSymbol[] = [];
    forEachSyntaxNode(body, (n) => {
      nodes++;
      if (n.kind !== "Call") return;
      const callee = cx.calls.get(n as A.CallNode);
      if (callee === undefined) return;
      const m = measureTree(callee);
      nodes += m.nodes;
      slots += m.slots;
      callees.push(callee);
    });
    return { nodes, slots, callees };
  };
  const measureTree = (tree: TreeSymbol): Measured => {
    const known = memo.get(tree);
    if (known !== undefined) return known;
    // A recursive call is its own error (HP4011); count the cycle once.
    if (inProgress.has(tree)) return { nodes: 0, slots: 0, callees: [] };
    inProgress.add(tree);
    const body = measureBody(tree.decl.body);
    inProgress.delete(tree);
    const m = { ...body, slots: body.slots + localSlots(cx.localState.get(tree.decl)) };
    memo.set(tree, m);
    return m;
  };

  // ---- nodes: layers in declaration order; the first whose running total crosses the limit is reported, at
  // the innermost tree that is itself over the limit when there is one (where an exponential chain crosses it).
  // A layer's own state block (LayerInfo.state also holds the program state, which the frame counts once).
  const layers: { readonly file: string; readonly span: A.Span; readonly what: string; readonly bodies: readonly unknown[]; readonly state: ReadonlyMap<string, FieldSymbol> | undefined }[] = [
    ...planners.map((p) => ({ file: p.symbol.file, span: p.symbol.nameSpan, what: `planner \`${p.symbol.name}\``, bodies: [p.symbol.decl.body], state: cx.localState.get(p.symbol.decl) })),
    ...executors.map((x) => ({
      file: x.symbol.file,
      span: x.symbol.nameSpan,
      what: `executor \`${x.symbol.name}\``,
      bodies: [x.symbol.decl.body, ...x.symbol.decl.handlers.map((h) => h.body)],
      state: cx.localState.get(x.symbol.decl),
    })),
  ];
  const measuredLayers = layers.map((l) => {
    let nodes = 0;
    let slots = localSlots(l.state);
    const callees: TreeSymbol[] = [];
    for (const b of l.bodies) {
      if (b === undefined) continue;
      const m = measureBody(b);
      nodes += m.nodes;
      slots += m.slots;
      callees.push(...m.callees);
    }
    return { ...l, nodes, slots, callees };
  });
  // Declarations outside the layers that lower to expressions too (events, arbiters, shields, tests, …) count
  // once each; trees count only where they are called.
  let total = 0;
  for (const m of cx.program.modules) {
    for (const d of m.module.decls) {
      if (d.kind === "TreeDecl" || d.kind === "PlannerDecl" || d.kind === "ExecutorDecl") continue;
      forEachSyntaxNode(d, () => total++);
    }
  }
  for (const l of measuredLayers) {
    total += l.nodes;
    if (total <= limits.nodes) continue;
    let culprit: TreeSymbol | undefined = l.callees.find((t) => measureTree(t).nodes > limits.nodes);
    for (let next = culprit; next !== undefined; ) {
      culprit = next;
      next = measureTree(next).callees.find((t) => measureTree(t).nodes > limits.nodes);
    }
    if (culprit !== undefined) {
      cx.report(projectCodes.tooManyNodes, culprit.file, culprit.nameSpan, { where: `tree \`${culprit.name}\``, size: count(measureTree(culprit).nodes), max: limits.nodes }, { help: limitHelp("nodes") });
    } else {
      cx.report(projectCodes.tooManyNodes, l.file, l.span, { where: `the policy up to ${l.what}`, size: count(total), max: limits.nodes }, { help: limitHelp("nodes") });
    }
    break;
  }

  // ---- frame: in lowering's layout order, reported where the running total crosses the limit.
  const parts: { readonly file: string; readonly span: A.Span; readonly slots: number }[] = [];
  for (const root of [cx.observation, cx.output, cx.state]) {
    for (const f of root.fields.values()) parts.push({ file: f.file, span: f.nameSpan, slots: slotsOf(f.type) });
  }
  for (const p of planners) {
    const kinds = p.message ? [...p.message.kinds.values()] : [];
    parts.push({ file: p.symbol.file, span: p.symbol.nameSpan, slots: 1 + kinds.reduce((n, k) => n + slotsOf(k), 0) });
  }
  for (const x of executors) {
    for (const name of arbitrated) {
      const out = cx.output.fields.get(name);
      if (out !== undefined && x.written.has(name)) parts.push({ file: x.symbol.file, span: x.symbol.nameSpan, slots: slotsOf(out.type) + 1 });
    }
  }
  for (const l of measuredLayers) parts.push({ file: l.file, span: l.span, slots: l.slots });
  let frame = 0;
  for (const part of parts) {
    frame += part.slots;
    if (frame > limits.frameSlots) {
      const all = parts.reduce((n, p) => n + p.slots, 0);
      cx.report(projectCodes.frameTooLarge, part.file, part.span, { size: count(all), max: limits.frameSlots }, {
        notes: [`the frame reaches ${count(frame)} slots here`],
        help: limitHelp("frameSlots"),
      });
      break;
    }
  }
}

/** A size for a message: digits grouped, or "more than 10^308" when it saturated. */
export function count(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString("en-US") : "more than 10^308";
}
