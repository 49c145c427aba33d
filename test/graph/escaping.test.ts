// Hostile text through every format: node labels (the language's strings may hold quotes, backslashes, `<>{}|`,
// entity look-alikes, control characters and any unicode) must reach the drawing exactly as the user wrote them,
// and never change the structure of the DOT, the SVG or the mermaid text.
import { describe, expect, it } from "vitest";
import { buildGraph } from "../../src/compiler/graph/build.ts";
import { renderDot, quoted, escapeHtml } from "../../src/compiler/graph/dot.ts";
import { renderMermaid, escapeMermaid } from "../../src/compiler/graph/mermaid.ts";
import { renderSvg } from "../../src/compiler/graph/svg.ts";
import { visible } from "../../src/compiler/graph/label-text.ts";
import type { PolicyGraph } from "../../src/compiler/graph/model.ts";
import { checkMermaid, checkXml, compile, decodeXml, parseDot } from "./graph-checks.ts";

/** Every printable ASCII character, then the characters that matter to one of the formats, then unicode. */
const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join("");
const HOSTILE = [
  'say "hi" \\ <b>{x}|y</b> & #35; `tick`',
  "\\N \\G \\L \\E \\T \\H \\l \\r \\\\",
  "]]> <!-- x --> &amp; &#60; #quot; #lt;",
  "end subgraph graph class click",
  "é 中文 🙂 \u{1F680} Ω ∑",
  "}; digraph evil { a -> b",
  "%% comment --> x -.-> y",
];

/** The texts of one SVG node group, line by line, entities decoded. */
function svgNodeText(svg: string, id: string): { lines: string[]; tooltip: string | undefined } {
  const start = svg.indexOf(`<g id="${id}" class="node">`);
  expect(start, `node ${id} in the SVG`).toBeGreaterThanOrEqual(0);
  const end = svg.indexOf("</g>\n<!--", start) >= 0 ? svg.indexOf("\n<!--", start) : svg.length;
  const group = svg.slice(start, end);
  const lines = [...group.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decodeXml(m[1]!));
  const title = /xlink:title="([^"]*)"/.exec(group);
  return { lines, tooltip: title ? decodeXml(title[1]!) : undefined };
}

describe("escaping of labels from a spec", () => {
  // The spec's labels, written as .hpol string literals (backslash and quote escaped), plus raw control
  // characters that a string may hold: a bell, a tab by escape, a line break by escape, a line separator.
  const labels = [...HOSTILE, "bell\u0007 tab\\t nl\\n ls\u2028 done"];
  const literal = (s: string): string => `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\\\\t/g, "\\t").replace(/\\\\n/g, "\\n")}"`;
  const source = [
    "module hostile",
    "observation { x: float }",
    "output { y: float }",
    "executor run at 10hz writes y {",
    "  selector {",
    ...labels.map((l) => `    sequence ${literal(l)} { set out.y = obs.x }`),
    "  }",
    "}",
    "",
  ].join("\n");
  const file = "/virtual/hostile.hpol";
  const { ir, sources, subtrees } = compile(file, (p) => (p === file ? source : undefined));
  const decoded = labels.map((l) => l.replace(/\\t/g, "\t").replace(/\\n/g, "\n"));
  const graph = buildGraph(ir, { what: "tree", sources, subtrees });

  it("lowers the labels as written (the premise of the test)", () => {
    const got = ir.nodes.filter((n) => n.k === "sequence").map((n) => n.label);
    expect(got).toEqual(decoded);
  });

  it("SVG: each label is drawn exactly, as visible text; tooltips keep backslash sequences literal", async () => {
    const svg = await renderSvg(renderDot(graph));
    checkXml(svg);
    for (const n of ir.nodes) {
      if (n.k !== "sequence") continue;
      const { lines, tooltip } = svgNodeText(svg, `n${n.id}`);
      expect(lines).toEqual(["sequence", visible(`"${n.label}"`)]);
      expect(tooltip).toContain(visible(`"${n.label}"`));
    }
  });

  it("DOT: Graphviz's own parse has exactly the IR's nodes and edges (no text leaked into the structure)", async () => {
    const parsed = await parseDot(renderDot(graph));
    expect(parsed.nodes.size).toBe(ir.nodes.length);
    expect(parsed.edges.length).toBe(ir.nodes.length - 1);
  });

  it("mermaid: every label decodes back to the text, and the structure checks", () => {
    const parsed = checkMermaid(renderMermaid(graph));
    for (const n of ir.nodes) {
      if (n.k !== "sequence") continue;
      expect(parsed.nodes.get(`n${n.id}`)).toBe(`sequence\n${visible(`"${n.label}"`)}`);
    }
  });
});

describe("escaping in the renderers", () => {
  const texts = [PRINTABLE, ...HOSTILE, "nul\u0000 del\u007f c1\u0085 lone\ud800 pair\ud83d\ude00 nonchar\uffff"];
  // A hand-made graph puts hostile text everywhere a renderer writes text: title, cluster label and tooltip, node
  // title, lines and tooltip, edge label.
  const graph: PolicyGraph = {
    title: texts[0]!,
    clusters: [{ id: "c", kind: "layer", label: texts[1]!, tooltip: texts[2]! }],
    nodes: texts.map((t, i) => ({ id: `n${i}`, role: i % 2 ? "neural" : "action", title: t, lines: [t, `#${i}`], tooltip: t, cluster: "c" })),
    edges: texts.slice(1).map((t, i) => ({ from: `n${i}`, to: `n${i + 1}`, role: "flow", label: t })),
  };

  it("visible() leaves printable text alone and makes control characters and lone surrogates visible", () => {
    expect(visible(PRINTABLE)).toBe(PRINTABLE);
    expect(visible("é🙂\u{1F680}")).toBe("é🙂\u{1F680}");
    expect(visible("a\nb\tc\u0000d\ud800e\u2028")).toBe("a\\nb\\tc\\u{0}d\\u{d800}e\\u{2028}");
    expect(visible(visible("x\u0001"))).toBe(visible("x\u0001"));
  });

  it("escape functions leave none of their format's special characters raw", () => {
    for (const t of texts) {
      expect(escapeHtml(t)).not.toMatch(/[<>"]|&(?!(amp|lt|gt|quot);)/);
      expect(quoted(t)).toMatch(/^"(?:[^"\\]|\\["n]|\\{4})*"$/);
      expect(escapeMermaid(t)).not.toMatch(/["<>&`|]|#(?![0-9]+;)/);
    }
  });

  it("the SVG has every text exactly, and Graphviz sees exactly the graph's nodes, edges and cluster", async () => {
    const dot = renderDot(graph);
    const parsed = await parseDot(dot);
    expect([...parsed.nodes.keys()].sort()).toEqual(graph.nodes.map((n) => n.id).sort());
    expect(parsed.edges).toEqual(graph.edges.map((e) => `${e.from}->${e.to}`));
    expect([...parsed.clusters.keys()]).toEqual(["cluster_c"]);
    const svg = await renderSvg(dot);
    checkXml(svg);
    graph.nodes.forEach((n, i) => {
      const { lines, tooltip } = svgNodeText(svg, n.id);
      expect(lines).toEqual([visible(n.title), visible(n.lines[0]!), `#${i}`]);
      expect(tooltip).toBe(visible(n.tooltip));
    });
    const edgeLabels = [...svg.matchAll(/<g id="edge\d+" class="edge">[\s\S]*?<\/g>/g)].map((m) =>
      [...m[0].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => decodeXml(t[1]!)).join(""),
    );
    expect(edgeLabels).toEqual(graph.edges.map((e) => visible(e.label!)));
  });

  it("mermaid decodes to every text exactly", () => {
    const parsed = checkMermaid(renderMermaid(graph));
    graph.nodes.forEach((n, i) => expect(parsed.nodes.get(n.id)).toBe(`${visible(n.title)}\n${visible(n.lines[0]!)}\n#${i}`));
    expect(parsed.clusters.get("c")).toBe(visible(texts[1]!));
    expect(parsed.edges.map((e) => e.label)).toEqual(graph.edges.map((e) => visible(e.label!)));
  });
});
