// `hpol graph`'s model and renderers on every example and on the generated large spec: Graphviz parses the DOT
// and lays it out to SVG, the SVG is well-formed XML with one node group per graph node, and the mermaid text
// passes the structural reader. Structural facts are derived from the IR, never hard-coded.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildGraph } from "../../src/compiler/graph/build.ts";
import { renderDot } from "../../src/compiler/graph/dot.ts";
import { renderMermaid } from "../../src/compiler/graph/mermaid.ts";
import { renderSvg } from "../../src/compiler/graph/svg.ts";
import type { PolicyIR } from "../../src/runtime/ir.ts";
import { nodeChildren } from "../../src/runtime/ir.ts";
import { generateSpec } from "../../bench/gen-spec.ts";
import { checkMermaid, checkXml, compile, irTreeEdges, parseDot, type Compiled } from "./graph-checks.ts";

const examplesDir = join(import.meta.dirname, "..", "..", "examples");
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith(".hpol"))
  .map((f) => join(examplesDir, f));

/** Node ids the layer diagram must draw for `ir`, and the edges it must have, from the IR's own tables. */
function expectedLayerDiagram(ir: PolicyIR): { nodes: string[]; edges: string[] } {
  const nodes = [
    ...ir.events.map((e) => `e${e.id}`),
    ...ir.planners.flatMap((p) => [`p${p.id}`, `c${p.id}`]),
    ...ir.executors.map((x) => `x${x.id}`),
    ...ir.arbiters.map((a) => `a${a.id}`),
    ...ir.shields.map((s) => `s${s.id}`),
    ...ir.layout.output.map((v) => `o${v}`),
  ];
  const edges: string[] = [];
  for (const p of ir.planners) {
    for (const e of p.events) edges.push(`e${e}->p${p.id}`);
    edges.push(`p${p.id}->c${p.id}`);
  }
  for (const v of ir.layout.output) {
    const chain = [
      ...ir.arbiters.filter((a) => a.output === v).map((a) => `a${a.id}`),
      ...ir.shields.filter((s) => s.output === v).map((s) => `s${s.id}`),
      `o${v}`,
    ];
    for (let i = 0; i + 1 < chain.length; i++) edges.push(`${chain[i]}->${chain[i + 1]}`);
    for (const x of ir.executors) if (x.writes.includes(v)) edges.push(`x${x.id}->${chain[0]}`);
  }
  for (const x of ir.executors) if (x.follows !== null) edges.push(`c${x.follows}->x${x.id}`);
  return { nodes, edges };
}

/** Node ids of a layer's trees, walked from its roots. */
function layerTreeNodes(ir: PolicyIR, roots: readonly number[]): string[] {
  const out: string[] = [];
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    out.push(`n${id}`);
    stack.push(...nodeChildren(ir.nodes[id]!));
  }
  return out;
}

function sorted(xs: Iterable<string>): string[] {
  return [...xs].sort();
}

describe.each(examples.map((f) => [f.slice(examplesDir.length + 1), f] as const))("hpol graph on %s", (_name, file) => {
  let compiled: Compiled;
  const get = (): Compiled => (compiled ??= compile(file));

  it("tree view: one DOT node per IR node, edges exactly the IR's parent → child pairs", async () => {
    const { ir, sources, subtrees } = get();
    const dot = renderDot(buildGraph(ir, { what: "tree", sources, subtrees }));
    const parsed = await parseDot(dot);
    expect(parsed.nodes.size).toBe(ir.nodes.length);
    expect(sorted(parsed.nodes.keys())).toEqual(sorted(ir.nodes.map((n) => `n${n.id}`)));
    expect(sorted(parsed.edges)).toEqual(sorted(irTreeEdges(ir)));
    // Each layer's tree sits in that layer's cluster.
    for (const p of ir.planners) expect(sorted(parsed.clusters.get(`cluster_Lp${p.id}`)!)).toEqual(sorted(layerTreeNodes(ir, [p.root])));
    for (const x of ir.executors) {
      const roots = [...x.handlers.map((h) => h.root), ...(x.default !== null ? [x.default] : [])];
      expect(sorted(parsed.clusters.get(`cluster_Lx${x.id}`)!)).toEqual(sorted(layerTreeNodes(ir, roots)));
    }
    // Neural nodes are drawn differently from every other kind.
    for (const n of ir.nodes) {
      const attrs = parsed.nodes.get(`n${n.id}`)!;
      expect(attrs["peripheries"] === "2", `node ${n.id} (${n.k})`).toBe(n.k === "infer");
      expect(attrs["id"]).toBe(`n${n.id}`);
      expect(String(attrs["tooltip"])).toMatch(new RegExp(`^#${n.id} `));
    }
  });

  it("layer diagram: planners → channels → executors → arbiters → shields → outputs", async () => {
    const { ir, sources, subtrees } = get();
    const parsed = await parseDot(renderDot(buildGraph(ir, { what: "layers", sources, subtrees })));
    const want = expectedLayerDiagram(ir);
    expect(sorted(parsed.nodes.keys())).toEqual(sorted(want.nodes));
    expect(sorted(parsed.edges)).toEqual(sorted(want.edges));
  });

  it("all: the DOT lays out to well-formed SVG with one node group per graph node; mermaid checks", async () => {
    const { ir, sources, subtrees } = get();
    const graph = buildGraph(ir, { sources, subtrees });
    const layers = expectedLayerDiagram(ir);
    expect(graph.nodes.length).toBe(ir.nodes.length + layers.nodes.length);
    const svg = await renderSvg(renderDot(graph));
    const elements = checkXml(svg);
    expect(elements[0]).toBe("svg");
    const nodeGroups = [...svg.matchAll(/<g id="([^"]+)" class="node"/g)].map((m) => m[1]!);
    expect(sorted(nodeGroups)).toEqual(sorted(graph.nodes.map((n) => n.id)));
    expect([...svg.matchAll(/<g id="[^"]+" class="edge"/g)].length).toBe(graph.edges.length);

    const mermaid = checkMermaid(renderMermaid(graph));
    expect(sorted(mermaid.nodes.keys())).toEqual(sorted(graph.nodes.map((n) => n.id)));
    expect(sorted(mermaid.edges.map((e) => `${e.from}->${e.to}`))).toEqual(sorted([...irTreeEdges(ir), ...layers.edges]));
  });

  it("--layer draws exactly one layer's tree", async () => {
    const { ir, sources, subtrees } = get();
    for (const x of ir.executors) {
      const roots = [...x.handlers.map((h) => h.root), ...(x.default !== null ? [x.default] : [])];
      const parsed = await parseDot(renderDot(buildGraph(ir, { layer: x.name, sources, subtrees })));
      expect(sorted(parsed.nodes.keys())).toEqual(sorted(layerTreeNodes(ir, roots)));
    }
  });
});

describe("hpol graph on the generated 10,000-node spec", () => {
  const dir = mkdtempSync(join(tmpdir(), "hpol-graph-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("Graphviz parses the DOT: every IR node once, every parent → child edge, the layer edges; mermaid checks", async () => {
    const file = join(dir, "large.hpol");
    writeFileSync(file, generateSpec(10000));
    const { ir, sources, subtrees } = compile(file);
    expect(ir.nodes.length).toBeGreaterThan(9000);
    const graph = buildGraph(ir, { sources, subtrees });
    const parsed = await parseDot(renderDot(graph));
    const layers = expectedLayerDiagram(ir);
    expect(parsed.nodes.size).toBe(ir.nodes.length + layers.nodes.length);
    expect(sorted(parsed.edges)).toEqual(sorted([...irTreeEdges(ir), ...layers.edges]));
    // The generator inlines a chain of tree calls: each call is one framed instance, nested in its caller's frame.
    const instances = [...parsed.clusters.keys()].filter((c) => c.startsWith("cluster_T"));
    expect(instances.length).toBe(subtrees.length);

    const mermaid = checkMermaid(renderMermaid(graph));
    expect(mermaid.nodes.size).toBe(graph.nodes.length);
    expect(mermaid.edges.length).toBe(graph.edges.length);
  });
});

describe("what the tree labels say", () => {
  const file = join(examplesDir, "strategist.hpol");
  const { ir, sources, subtrees } = compile(file);
  const graph = buildGraph(ir, { what: "tree", sources, subtrees });
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));

  it("a check shows its condition as written in the source, cut at 48 characters with the whole in the tooltip", () => {
    const checks = ir.nodes.filter((n) => n.k === "check");
    expect(checks.length).toBeGreaterThan(0);
    for (const n of checks) {
      const span = ir.spans.exprs[n.cond]!;
      const written = sources.get(span.file)!.slice(span.start, span.end).replace(/\s+/g, " ");
      const drawn = byId.get(`n${n.id}`)!;
      expect(drawn.title).toBe("check");
      expect(drawn.lines[0]).toBe(written.length <= 48 ? written : `${[...written].slice(0, 47).join("")}…`);
      expect(drawn.tooltip).toContain(written);
      expect(drawn.tooltip).toContain(`${span.file}:`);
    }
  });

  it("every node from a tree declaration sits in a call frame titled with that tree; the others in none", () => {
    const frames = new Map(graph.clusters.filter((c) => c.kind === "subtree").map((c) => [c.id, c]));
    expect(frames.size).toBeGreaterThan(0);
    for (const n of ir.nodes) {
      const span = ir.spans.nodes[n.id]!;
      const decl = subtrees.find((t) => t.file === span.file && t.start <= span.start && span.end <= t.end);
      const frame = frames.get(byId.get(`n${n.id}`)!.cluster!);
      expect(frame?.label, `node ${n.id}`).toBe(decl ? `tree ${decl.name}` : undefined);
    }
  });
});
