// IR → PolicyGraph: the trees of the policy's layers and its layer diagram, as plain data for the renderers.
//
// Trees are drawn as the IR has them — subtree calls inlined — because that is what runs: every node is one IR
// node with the id that traces, runtime errors and `hpol test` failures name, and a subtree called twice shows
// both instances, each with its own state. What the inlining hides, the call boundary, comes back as a cluster
// around each inlined instance: given the spans of the source's tree declarations, a node belongs to the innermost
// declaration whose span holds its own, and a node whose declaration differs from its parent's starts an instance.
import type { IRExecutor, IRNode, IRPlanner, IRStrategy, PolicyIR } from "../../runtime/ir.ts";
import { nodeChildren } from "../../runtime/ir.ts";
import { LabelText, duration, oneLine, rate, shorten, visible } from "./label-text.ts";
import type { GraphCluster, GraphEdge, GraphNode, NodeRole, PolicyGraph } from "./model.ts";

/**
 * What to draw: the layers' trees, the layer diagram, or both. With both, a layer's node in the diagram and its
 * tree's frame share the layer's name; no edge joins them, because such edges make Graphviz give up the child
 * order of the trees (`ordering=out`), and a sequence drawn out of order would misstate what it does.
 */
export type GraphWhat = "tree" | "layers" | "all";

/** A `tree` declaration of the source, for the call-instance clusters. Offsets as in IRSpan. */
export interface SubtreeDecl {
  readonly name: string;
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export interface GraphOptions {
  readonly what?: GraphWhat;
  /** Only this planner's or executor's tree (implies the tree view). */
  readonly layer?: string;
  /** The .hpol sources by file, so labels show expressions as written. */
  readonly sources?: ReadonlyMap<string, string>;
  readonly subtrees?: readonly SubtreeDecl[];
}

/** Names a layer of `ir` can be selected by, planners first. */
export function layerNames(ir: PolicyIR): string[] {
  return [...ir.planners.map((p) => p.name), ...ir.executors.map((x) => x.name)];
}

export function buildGraph(ir: PolicyIR, options: GraphOptions = {}): PolicyGraph {
  const text = new LabelText(ir, options.sources);
  const g = new GraphBuilder();
  const what = options.layer !== undefined ? "tree" : (options.what ?? "all");
  if (what !== "tree") drawLayers(ir, text, g);
  if (what !== "layers") {
    const owners = new SubtreeOwners(options.subtrees ?? []);
    for (const p of ir.planners) {
      if (options.layer === undefined || options.layer === p.name) drawLayerTrees(ir, text, g, owners, p);
    }
    for (const x of ir.executors) {
      if (options.layer === undefined || options.layer === x.name) drawLayerTrees(ir, text, g, owners, x);
    }
  }
  return { title: ir.name, nodes: g.nodes, edges: g.edges, clusters: g.clusters };
}

class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  readonly clusters: GraphCluster[] = [];
  node(n: GraphNode): void {
    this.nodes.push(n);
  }
  edge(e: GraphEdge): void {
    this.edges.push(e);
  }
  cluster(c: GraphCluster): void {
    this.clusters.push(c);
  }
}

// ------------------------------------------------------------------ trees

const plannerId = (p: IRPlanner): string => `p${p.id}`;
const executorId = (x: IRExecutor): string => `x${x.id}`;
const treeNodeId = (id: number): string => `n${id}`;

function isPlanner(layer: IRPlanner | IRExecutor): layer is IRPlanner {
  return "message" in layer;
}

/** Roots of a layer, each with the note that says when it runs (`on Assault`, `default`). */
function layerRoots(ir: PolicyIR, layer: IRPlanner | IRExecutor): { root: number; note?: string }[] {
  if (isPlanner(layer)) return [{ root: layer.root }];
  const kinds = layer.follows === null ? [] : ir.messages[ir.planners[layer.follows]!.message]!.kinds;
  const roots: { root: number; note?: string }[] = layer.handlers.map((h) => ({ root: h.root, note: `on ${kinds[h.kind]?.name ?? h.kind}` }));
  if (layer.default !== null) roots.push(layer.handlers.length > 0 ? { root: layer.default, note: "default" } : { root: layer.default });
  return roots;
}

function layerSummary(ir: PolicyIR, layer: IRPlanner | IRExecutor): string {
  if (isPlanner(layer)) return triggers(ir, layer);
  const follows = layer.follows === null ? "" : ` · follows ${ir.planners[layer.follows]!.name}`;
  return `${rate(layer.periodMs)}${follows}`;
}

function triggers(ir: PolicyIR, p: IRPlanner): string {
  const parts: string[] = [];
  if (p.periodMs !== null) parts.push(`every ${duration(p.periodMs)}`);
  if (p.events.length > 0) parts.push(`on ${p.events.map((e) => ir.events[e]!.name).join(", ")}`);
  return parts.join(" · ");
}

function drawLayerTrees(
  ir: PolicyIR,
  text: LabelText,
  g: GraphBuilder,
  owners: SubtreeOwners,
  layer: IRPlanner | IRExecutor,
): void {
  const kind = isPlanner(layer) ? "planner" : "executor";
  const layerId = isPlanner(layer) ? plannerId(layer) : executorId(layer);
  const cluster = `L${layerId}`;
  const summary = layerSummary(ir, layer);
  g.cluster({
    id: cluster,
    kind: "layer",
    label: `${kind} ${layer.name} (${summary})`,
    tooltip: [`${kind} ${layer.name}`, summary, text.where(layer.span)].filter((s) => s !== "").join("\n"),
  });
  for (const { root, note } of layerRoots(ir, layer)) {
    // Iterative walk: generated trees can be deep, and a recursion per node would bound the depth we can draw.
    const stack: { id: number; parent: number | null; cluster: string; owner: SubtreeDecl | undefined; order?: number }[] = [
      { id: root, parent: null, cluster, owner: undefined },
    ];
    while (stack.length > 0) {
      const at = stack.pop()!;
      const span = ir.spans.nodes[at.id];
      const owner = span ? owners.ownerOf(span.file, span.start, span.end) : at.owner;
      let nodeCluster = at.cluster;
      if (owner !== undefined && owner !== at.owner) {
        nodeCluster = `T${at.id}`;
        g.cluster({ id: nodeCluster, kind: "subtree", label: `tree ${owner.name}`, tooltip: `call of tree ${owner.name} (inlined)`, parent: at.cluster });
      }
      const n = ir.nodes[at.id]!;
      const d = describeNode(ir, text, n);
      // visible(): a line break inside a label is the user's text, not one of the tooltip's line breaks.
      const lines = (at.id === root && note !== undefined ? [note, ...d.lines] : d.lines).map(visible);
      const where = text.where(span);
      g.node({
        id: treeNodeId(at.id),
        role: d.role,
        title: shorten(d.title),
        lines: lines.slice(0, MAX_LINES).map((l) => shorten(l)),
        tooltip: [`#${at.id} ${d.title}${where ? ` at ${where}` : ""}`, ...lines].join("\n"),
        irNode: at.id,
        cluster: nodeCluster,
      });
      if (at.parent !== null) {
        g.edge({ from: treeNodeId(at.parent), to: treeNodeId(at.id), role: "child", ...(at.order !== undefined ? { order: at.order } : {}) });
      }
      const children = nodeChildren(n);
      // Sibling order is semantics (a sequence runs its children in order), but no layout engine can be relied on
      // to draw it left to right once clusters are involved, so edges to several children carry their position.
      for (let i = children.length - 1; i >= 0; i--) {
        stack.push({ id: children[i]!, parent: at.id, cluster: nodeCluster, owner, ...(children.length > 1 ? { order: i + 1 } : {}) });
      }
    }
  }
}

/** Lines drawn in a node; the tooltip has them all. */
const MAX_LINES = 6;

const COMPOSITE_TITLE: Record<string, string> = {
  sequence: "sequence",
  reactive_sequence: "reactive sequence",
  selector: "selector",
  reactive_selector: "reactive selector",
  race: "race",
};
const STATUS_WORD = { success: "succeed", failure: "fail", running: "running" } as const;

function describeNode(ir: PolicyIR, text: LabelText, n: IRNode): { role: NodeRole; title: string; lines: string[] } {
  const e = (id: number): string => text.expr(id);
  const label = n.label !== undefined ? [`"${n.label}"`] : [];
  switch (n.k) {
    case "sequence":
    case "reactive_sequence":
    case "selector":
    case "reactive_selector":
    case "race":
      return { role: "composite", title: COMPOSITE_TITLE[n.k]!, lines: label };
    case "parallel":
      return { role: "composite", title: `parallel(success: ${n.success}, failure: ${n.failure})`, lines: label };
    case "invert":
    case "force_success":
    case "force_failure":
    case "once":
      return { role: "decorator", title: n.k, lines: label };
    case "repeat":
    case "retry":
      return { role: "decorator", title: `${n.k}(${n.count})`, lines: label };
    case "timeout":
    case "cooldown":
    case "delay":
      return { role: "decorator", title: `${n.k}(${duration(n.ms)})`, lines: label };
    case "guard_while":
    case "guard_until":
      return { role: "decorator", title: n.k === "guard_while" ? "guard while" : "guard until", lines: [e(n.cond), ...label] };
    case "check":
      return { role: "condition", title: "check", lines: [e(n.cond), ...label] };
    case "do": {
      const ext = ir.externs[n.extern]!;
      const args = n.args.map((a, i) => `${ext.params[i]?.name ?? i}: ${e(a)}`);
      return { role: "action", title: `do ${ext.name}`, lines: [...(args.length > 0 ? [args.join(", ")] : []), ...label] };
    }
    case "set":
      return { role: "action", title: "set", lines: [`${e(n.target)} = ${e(n.value)}`, ...label] };
    case "emit": {
      const kind = ir.messages[ir.planners[n.planner]!.message]!.kinds[n.kind]!;
      return { role: "action", title: `emit ${kind.name}`, lines: [...n.values.map((v, i) => `${kind.fields[i]?.name ?? i}: ${e(v)}`), ...label] };
    }
    case "wait":
      return { role: "action", title: `wait ${duration(n.ms)}`, lines: label };
    case "const":
      return { role: "status", title: STATUS_WORD[n.status], lines: label };
    case "infer": {
      const m = ir.models[n.model]!;
      const lines = [
        `model ${m.backend} ${m.path}`,
        ...n.feeds.map((f) => `feed ${m.inputs[f.input]?.name ?? f.input} = ${e(f.value)}`),
        ...n.writes.map((w) => `write ${e(w.target)} = ${e(w.value)}`),
      ];
      if (n.chunk !== 1) lines.push(`chunk ${n.chunk}`);
      if (n.refine) lines.push(`refine ${n.refine.times} from ${m.inputs[n.refine.from]?.name} to ${m.outputs[n.refine.to]?.name}`);
      if (n.async) lines.push(n.async.timeoutMs === null ? "async" : `async timeout ${duration(n.async.timeoutMs)}`);
      return { role: "neural", title: `infer ${m.name}`, lines: [...lines, ...label] };
    }
  }
}

/** Finds the innermost tree declaration holding a span (declarations nest only by containment in one file). */
class SubtreeOwners {
  private readonly byFile = new Map<string, SubtreeDecl[]>();
  constructor(decls: readonly SubtreeDecl[]) {
    for (const d of decls) {
      const list = this.byFile.get(d.file) ?? [];
      list.push(d);
      this.byFile.set(d.file, list);
    }
  }
  ownerOf(file: string, start: number, end: number): SubtreeDecl | undefined {
    let best: SubtreeDecl | undefined;
    for (const d of this.byFile.get(file) ?? []) {
      if (d.start <= start && end <= d.end && (best === undefined || d.end - d.start < best.end - best.start)) best = d;
    }
    return best;
  }
}

// ------------------------------------------------------------------ layer diagram

/**
 * Data flows left to right: events → planners → message channels → executors → arbiters → shields → outputs.
 * Rates and triggers sit on the edges leaving the layer they pace; a channel edge names the message kinds the
 * executor handles.
 */
function drawLayers(ir: PolicyIR, text: LabelText, g: GraphBuilder): void {
  const cluster = "layers";
  g.cluster({ id: cluster, kind: "diagram", label: `layers of ${ir.name}`, tooltip: `layer diagram of ${ir.name}` });
  const varName = (v: number): string => ir.layout.vars[v]!.field;
  const place = (n: Omit<GraphNode, "cluster" | "tooltip"> & { tooltip?: string }, where?: string): void => {
    const tooltip = n.tooltip ?? [n.title, ...n.lines].map(visible).join("\n");
    g.node({ ...n, title: shorten(n.title), lines: n.lines.map((l) => shorten(l)), tooltip: where ? `${tooltip}\n${where}` : tooltip, cluster });
  };

  for (const ev of ir.events) {
    place({ id: `e${ev.id}`, role: "event", title: `event ${ev.name}`, lines: [ev.when === undefined ? "raised by the host" : `when ${text.expr(ev.when)}`] }, text.where(ev.span));
  }
  for (const p of ir.planners) {
    const message = ir.messages[p.message]!;
    place({ id: plannerId(p), role: "planner", title: `planner ${p.name}`, lines: [triggers(ir, p)] }, text.where(p.span));
    place({
      id: `c${p.id}`,
      role: "channel",
      title: `channel ${message.name}`,
      lines: message.kinds.map((k) => (k.fields.length > 0 ? `${k.name} { ${k.fields.map((f) => f.name).join(", ")} }` : k.name)),
    });
    for (const ev of p.events) g.edge({ from: `e${ev}`, to: plannerId(p), role: "flow", label: "triggers" });
    g.edge({ from: plannerId(p), to: `c${p.id}`, role: "flow", label: `emits · ${triggers(ir, p)}` });
  }

  const arbiterOf = new Map(ir.arbiters.map((a) => [a.output, a]));
  const shieldsOf = new Map<number, number[]>();
  for (const s of ir.shields) shieldsOf.set(s.output, [...(shieldsOf.get(s.output) ?? []), s.id]);
  /** The first stage a write to output `v` enters: its arbiter, else its first shield, else the output itself. */
  const entry = (v: number): string => {
    const a = arbiterOf.get(v);
    if (a) return `a${a.id}`;
    const s = shieldsOf.get(v);
    return s ? `s${s[0]}` : `o${v}`;
  };

  for (const x of ir.executors) {
    place({ id: executorId(x), role: "executor", title: `executor ${x.name}`, lines: [rate(x.periodMs)] }, text.where(x.span));
    if (x.follows !== null) {
      const kinds = ir.messages[ir.planners[x.follows]!.message]!.kinds;
      const handled = x.handlers.map((h) => kinds[h.kind]?.name ?? String(h.kind));
      if (x.default !== null && x.handlers.length > 0) handled.push("default");
      g.edge({ from: `c${x.follows}`, to: executorId(x), role: "flow", label: handled.length > 0 ? handled.join(", ") : "follows" });
    }
    for (const v of x.writes) g.edge({ from: executorId(x), to: entry(v), role: "flow", label: `${varName(v)} · ${rate(x.periodMs)}` });
  }

  for (const a of ir.arbiters) {
    place({ id: `a${a.id}`, role: "arbiter", title: `arbiter ${varName(a.output)}`, lines: [strategyText(ir, text, a.strategy)] }, text.where(a.span));
  }
  for (const s of ir.shields) {
    const lines =
      s.rule.k === "clamp"
        ? [`clamp(${text.expr(s.rule.min)}, ${text.expr(s.rule.max)})`]
        : [`deny when ${text.expr(s.rule.when)}`, `fallback ${text.expr(s.rule.fallback)}`];
    place({ id: `s${s.id}`, role: "shield", title: `shield ${varName(s.output)}`, lines }, text.where(s.span));
  }
  for (const v of ir.layout.output) {
    const out = ir.layout.vars[v]!;
    place({ id: `o${v}`, role: "output", title: `out.${out.field}`, lines: [] }, text.where(out.span));
    // The chain an output's value passes after the executors: arbiter, then each shield in declaration order.
    const stages = [...(arbiterOf.has(v) ? [`a${arbiterOf.get(v)!.id}`] : []), ...(shieldsOf.get(v) ?? []).map((s) => `s${s}`), `o${v}`];
    for (let i = 0; i + 1 < stages.length; i++) g.edge({ from: stages[i]!, to: stages[i + 1]!, role: "flow", label: out.field });
  }
}

function strategyText(ir: PolicyIR, text: LabelText, s: IRStrategy): string {
  const name = (x: number): string => ir.executors[x]!.name;
  switch (s.k) {
    case "priority":
    case "vote":
      return `${s.k}(${s.executors.map(name).join(", ")})`;
    case "utility":
    case "blend":
      return `${s.k}(${s.entries.map((w) => `${name(w.executor)} => ${oneLine(text.expr(w.expr))}`).join(", ")})`;
    case "filter":
      return `filter(${text.expr(s.predicate)}) then ${strategyText(ir, text, s.then)}`;
  }
}
