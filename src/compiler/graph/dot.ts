// PolicyGraph → Graphviz DOT.
//
// Escaping: every display text goes into an HTML-like label (`label=<…>`), where the only special characters are
// `&`, `<`, `>` and `"` (written as entities) plus the backslash (doubled: see escapeHtml), so names with quotes,
// `{}|` or record-shape syntax are drawn as they are. Tooltips are quoted strings (see `quoted`). Ids are generated
// ASCII, never user text. test/graph/escaping.test.ts checks every printable character through Graphviz to SVG.
import { visible } from "./label-text.ts";
import { walkClusters, type EdgeRole, type GraphCluster, type GraphNode, type NodeRole, type PolicyGraph } from "./model.ts";

/** Graphviz attributes per node role: one look per role, neural nodes unmistakable. */
const NODE_STYLE: Record<NodeRole, string> = {
  composite: 'shape=box, style="rounded,filled", fillcolor="#cfe2f3"',
  decorator: 'shape=box, style="rounded,filled,dashed", fillcolor="#fff2cc"',
  condition: 'shape=box, style="rounded,filled", fillcolor="#d9ead3"',
  action: 'shape=box, style="filled", fillcolor="#ffffff"',
  status: 'shape=box, style="rounded,filled", fillcolor="#eeeeee"',
  neural: 'shape=box, style="filled,bold", peripheries=2, color="#990000", fillcolor="#f4cccc"',
  event: 'shape=ellipse, style="filled", fillcolor="#fce5cd"',
  planner: 'shape=box, style="filled,bold", fillcolor="#d9d2e9"',
  channel: 'shape=cds, style="filled", fillcolor="#ead1dc"',
  executor: 'shape=box, style="filled,bold", fillcolor="#d0e0e3"',
  arbiter: 'shape=box, style="rounded,filled", fillcolor="#ffe599"',
  shield: 'shape=octagon, style="filled", fillcolor="#f4cccc"',
  output: 'shape=ellipse, style="filled", fillcolor="#d9d9d9"',
};

const EDGE_STYLE: Record<EdgeRole, string> = {
  child: "",
  flow: 'color="#444444"',
};

export function renderDot(graph: PolicyGraph): string {
  const out: string[] = [];
  out.push("digraph policy {");
  out.push(`  graph [rankdir=TB, ordering=out, fontname="Helvetica", labelloc=t, label=${html(graph.title)}, tooltip=${quoted(graph.title)}];`);
  out.push('  node [fontname="Helvetica", fontsize=10];');
  out.push('  edge [fontname="Helvetica", fontsize=9];');

  walkClusters(graph, {
    nodes: (nodes, depth) => {
      for (const n of nodes) out.push(`${pad(depth + 1)}${nodeStatement(n)}`);
    },
    open: (c, depth) => {
      out.push(`${pad(depth)}subgraph cluster_${c.id} {`);
      out.push(`${pad(depth + 1)}graph [id="cluster_${c.id}", ${clusterStyle(c)}, label=${html(c.label)}, tooltip=${quoted(c.tooltip)}];`);
    },
    close: (_c, depth) => out.push(`${pad(depth)}}`),
  });

  for (const e of graph.edges) {
    const attrs = [
      EDGE_STYLE[e.role],
      e.label !== undefined ? `label=${html(e.label)}` : "",
      e.order !== undefined ? `headlabel=<${e.order}>, labelfontsize=8, labelfontcolor="#777777"` : "",
    ].filter((a) => a !== "");
    out.push(`  ${e.from} -> ${e.to}${attrs.length > 0 ? ` [${attrs.join(", ")}]` : ""};`);
  }
  out.push("}");
  return out.join("\n") + "\n";
}

function pad(depth: number): string {
  return "  ".repeat(depth);
}

function clusterStyle(c: GraphCluster): string {
  switch (c.kind) {
    case "layer":
      return 'style="rounded", color="#666666", fontname="Helvetica-Bold"';
    case "subtree":
      return 'style="dashed,rounded", color="#999999", fontname="Helvetica-Oblique"';
    case "diagram":
      return 'style="filled", color="#f7f7f7", fontname="Helvetica-Bold"';
  }
}

function nodeStatement(n: GraphNode): string {
  const body = [`<B>${escapeHtml(n.title)}</B>`, ...n.lines.map(escapeHtml)].join("<BR/>");
  return `${n.id} [id="${n.id}", ${NODE_STYLE[n.role]}, label=<${body}>, tooltip=${quoted(n.tooltip)}];`;
}

/** An HTML-like label holding `text` as plain text. */
function html(text: string): string {
  return `<${escapeHtml(text)}>`;
}

/**
 * Text content of an HTML-like label. Graphviz reads these labels as XML, so entities cover `&<>"`; it then still
 * expands escString sequences (`\N` → the node's name, `\G`, `\E`, `\\`) in the text, so a backslash is doubled.
 */
export function escapeHtml(text: string): string {
  return visible(text).replace(/[&<>"\\]/g, (c) => HTML_ESCAPES[c]!);
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\\": "\\\\" };

/**
 * A double-quoted DOT string for a tooltip, keeping `text` literal with line breaks. Graphviz expands escString
 * sequences (`\\N`, `\\G`, `\\\\`, …) in a tooltip twice on its way to SVG, so each backslash is written four times;
 * `&` becomes `&amp;` because Graphviz copies character references into SVG's `xlink:title` as they are; `"` is
 * the one escape of the DOT lexer itself, and a line break is the escString `\\n`.
 */
export function quoted(text: string): string {
  const lines = text.split("\n").map((l) => visible(l).replace(/[&\\"]/g, (c) => (c === '"' ? '\\"' : c === "&" ? "&amp;" : "\\\\\\\\")));
  return `"${lines.join("\\n")}"`;
}
