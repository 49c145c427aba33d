// PolicyGraph → a mermaid flowchart.
//
// Escaping: every text is a double-quoted mermaid string. Mermaid's lexer ends such a string at the next `"`, and
// turns `#name;` / `#123;` into HTML entities afterwards, so `"` and `#` must never appear raw; `<`, `>` and `&`
// would be read as HTML, a leading backtick as a markdown string, and `|` ends an edge label. All of these become
// numeric `#…;` entities, which mermaid decodes back to the character. Ids are generated ASCII, never user text.
import { visible } from "./label-text.ts";
import { groupBy, walkClusters, type GraphNode, type NodeRole, type PolicyGraph } from "./model.ts";

/** Opening and closing brackets of each role's shape. */
const SHAPE: Record<NodeRole, readonly [string, string]> = {
  composite: ["(", ")"],
  decorator: ["[", "]"],
  condition: ["{{", "}}"],
  action: ["[", "]"],
  status: ["[", "]"],
  neural: ["[[", "]]"],
  event: ["([", "])"],
  planner: ["[", "]"],
  channel: ["[/", "/]"],
  executor: ["[", "]"],
  arbiter: ["[", "]"],
  shield: ["{{", "}}"],
  output: ["([", "])"],
};

const CLASS_DEF: Record<NodeRole, string> = {
  composite: "fill:#cfe2f3,stroke:#3d6e99",
  decorator: "fill:#fff2cc,stroke:#b59d3a,stroke-dasharray:4 2",
  condition: "fill:#d9ead3,stroke:#5a8f4a",
  action: "fill:#ffffff,stroke:#555555",
  status: "fill:#eeeeee,stroke:#777777",
  neural: "fill:#f4cccc,stroke:#990000,stroke-width:3px",
  event: "fill:#fce5cd,stroke:#b9772f",
  planner: "fill:#d9d2e9,stroke:#5b4a8f,stroke-width:2px",
  channel: "fill:#ead1dc,stroke:#8f4a6b",
  executor: "fill:#d0e0e3,stroke:#3f7580,stroke-width:2px",
  arbiter: "fill:#ffe599,stroke:#a68a14",
  shield: "fill:#f4cccc,stroke:#a33",
  output: "fill:#d9d9d9,stroke:#555555",
};

export function renderMermaid(graph: PolicyGraph): string {
  const out: string[] = [];
  // The title as a comment: a front-matter title would be YAML, with escaping rules of its own.
  out.push(`%% policy ${visible(graph.title)}`);
  out.push("flowchart TB");

  walkClusters(graph, {
    nodes: (nodes, depth) => {
      for (const n of nodes) out.push(`${pad(depth + 1)}${nodeStatement(n)}`);
    },
    open: (c, depth) => out.push(`${pad(depth)}subgraph ${c.id} [${str(c.label)}]`),
    close: (_c, depth) => out.push(`${pad(depth)}end`),
  });

  for (const e of graph.edges) {
    const label = e.label ?? (e.order !== undefined ? String(e.order) : undefined);
    out.push(`  ${e.from} -->${label !== undefined && label !== "" ? `|${str(label)}|` : ""} ${e.to}`);
  }

  for (const [role, nodes] of groupBy(graph.nodes, (n) => n.role)) {
    out.push(`  classDef ${role} ${CLASS_DEF[role]}`);
    out.push(`  class ${nodes.map((n) => n.id).join(",")} ${role}`);
  }
  return out.join("\n") + "\n";
}

function pad(depth: number): string {
  return "  ".repeat(depth);
}

function nodeStatement(n: GraphNode): string {
  const [open, close] = SHAPE[n.role];
  const text = [n.title, ...n.lines].map(escapeMermaid).join("<br/>");
  return `${n.id}${open}"${text}"${close}`;
}

/** A quoted mermaid string holding `text` literally (never empty: mermaid's string token needs a character). */
function str(text: string): string {
  const escaped = escapeMermaid(text);
  return `"${escaped === "" ? "#32;" : escaped}"`;
}

/** Text for inside a quoted mermaid string: see the file comment for why each character is replaced. */
export function escapeMermaid(text: string): string {
  return visible(text).replace(/["#<>&`|;]/g, (c) => `#${c.charCodeAt(0)};`);
}
