// Independent readers of what `hpol graph` prints, for the tests: Graphviz itself (wasm) parses the DOT, a small
// XML well-formedness checker reads the SVG, and a mermaid flowchart reader checks the structure mermaid relies on.
import { checkFiles } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { loadGraphviz } from "../../src/compiler/graph/svg.ts";
import { subtreeDecls } from "../../src/cli/commands/graph.ts";
import type { SubtreeDecl } from "../../src/compiler/graph/build.ts";
import type { PolicyIR } from "../../src/runtime/ir.ts";
import { nodeChildren } from "../../src/runtime/ir.ts";

export interface Compiled {
  readonly ir: PolicyIR;
  readonly sources: ReadonlyMap<string, string>;
  readonly subtrees: readonly SubtreeDecl[];
}

export function compile(file: string, readFile?: (p: string) => string | undefined): Compiled {
  const checked = readFile ? checkFiles([file], { readFile }) : checkFiles([file]);
  if (!checked.program) throw new Error(`${file} has errors: ${checked.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return { ir: lower(checked.program, checked.sources), sources: checked.sources, subtrees: subtreeDecls(checked.program) };
}

/** Every parent → child pair of the IR's trees, as DOT/mermaid node ids. */
export function irTreeEdges(ir: PolicyIR): string[] {
  return ir.nodes.flatMap((n) => nodeChildren(n).map((c) => `n${n.id}->n${c}`));
}

// ------------------------------------------------------------------ DOT through Graphviz

export interface ParsedDot {
  /** Node names (ids) and their parsed attributes. */
  readonly nodes: Map<string, Record<string, unknown>>;
  /** Cluster subgraph names → names of the nodes directly or transitively inside. */
  readonly clusters: Map<string, string[]>;
  /** `tail->head` by node name, in definition order. */
  readonly edges: string[];
}

/** Graphviz's own parse of `dot` (no layout: the `nop` engine), as names. Throws Graphviz's syntax error. */
export async function parseDot(dot: string): Promise<ParsedDot> {
  const graphviz = await loadGraphviz();
  const json = JSON.parse(graphviz.layout(dot, "dot_json", "nop")) as {
    objects?: { _gvid: number; name: string; nodes?: number[]; subgraphs?: number[]; [k: string]: unknown }[];
    edges?: { tail: number; head: number }[];
  };
  const objects = json.objects ?? [];
  const name = (gvid: number): string => objects.find((o) => o._gvid === gvid)!.name;
  const nodes = new Map<string, Record<string, unknown>>();
  const clusters = new Map<string, string[]>();
  for (const o of objects) {
    if (o.name.startsWith("cluster_")) clusters.set(o.name, (o.nodes ?? []).map((g) => objects[g]!.name));
    else nodes.set(o.name, o);
  }
  const byGvid = new Map(objects.map((o) => [o._gvid, o.name]));
  return { nodes, clusters, edges: (json.edges ?? []).map((e) => `${byGvid.get(e.tail) ?? name(e.tail)}->${byGvid.get(e.head) ?? name(e.head)}`) };
}

// ------------------------------------------------------------------ XML well-formedness

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*$/;
const ENTITY = /&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);/y;

/** Checks that `text` is one well-formed XML document; returns the element names in document order. */
export function checkXml(text: string): string[] {
  const elements: string[] = [];
  const open: string[] = [];
  let i = 0;
  let rootsClosed = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed XML at offset ${i}: ${why} (…${text.slice(Math.max(0, i - 40), i + 40)}…)`);
  };
  const checkChars = (s: string, where: string): void => {
    for (let k = 0; k < s.length; k++) {
      const c = s[k]!;
      if (c === "<") fail(`raw < in ${where}`);
      if (c === "&") {
        ENTITY.lastIndex = k;
        if (!ENTITY.test(s)) fail(`bare & in ${where}`);
      }
      const code = s.charCodeAt(k);
      if (code < 0x20 && c !== "\n" && c !== "\r" && c !== "\t") fail(`control character ${code} in ${where}`);
    }
  };
  while (i < text.length) {
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i);
      if (end < 0) fail("unterminated processing instruction");
      i = end + 2;
    } else if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end < 0) fail("unterminated comment");
      if (text.slice(i + 4, end).includes("--")) fail("-- inside a comment");
      i = end + 3;
    } else if (text.startsWith("<!DOCTYPE", i)) {
      const end = text.indexOf(">", i);
      if (end < 0 || open.length > 0 || elements.length > 0) fail("misplaced DOCTYPE");
      i = end + 1;
    } else if (text.startsWith("</", i)) {
      const end = text.indexOf(">", i);
      const tag = text.slice(i + 2, end).trim();
      if (open.pop() !== tag) fail(`</${tag}> does not close the open element`);
      if (open.length === 0) rootsClosed++;
      i = end + 1;
    } else if (text[i] === "<") {
      const m = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(text.slice(i));
      if (!m) fail("malformed start tag");
      const [whole, tag, attrs, selfClosing] = m!;
      if (!NAME.test(tag!)) fail(`bad element name ${tag}`);
      if (open.length === 0 && rootsClosed > 0) fail("a second root element");
      const seen = new Set<string>();
      for (const a of attrs!.matchAll(/([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
        if (!NAME.test(a[1]!)) fail(`bad attribute name ${a[1]}`);
        if (seen.has(a[1]!)) fail(`duplicate attribute ${a[1]}`);
        seen.add(a[1]!);
        checkChars(a[3] ?? a[4] ?? "", `attribute ${a[1]}`);
      }
      elements.push(tag!);
      if (selfClosing === "/") {
        if (open.length === 0) rootsClosed++;
      } else open.push(tag!);
      i += whole!.length;
    } else {
      const end = text.indexOf("<", i);
      const chunk = text.slice(i, end < 0 ? text.length : end);
      if (open.length === 0 && chunk.trim() !== "") fail("text outside the root element");
      checkChars(chunk, "text");
      i += chunk.length;
    }
  }
  if (open.length > 0) fail(`unclosed <${open.at(-1)}>`);
  if (rootsClosed !== 1) fail("no root element");
  return elements;
}

/** XML text with the five predefined and numeric entities decoded. */
export function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/g, (_, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" } as Record<string, string>)[e]!;
  });
}

// ------------------------------------------------------------------ mermaid

export interface ParsedMermaid {
  readonly nodes: Map<string, string>;
  readonly clusters: Map<string, string>;
  readonly edges: { from: string; to: string; label?: string }[];
}

// A quoted mermaid string as hpol writes it: none of `"#<>&|` or a backtick raw, except `#` starting an entity and
// `<br/>` as the line break.
const QUOTED = '"((?:[^"#<>&|\\x60]|#[0-9]+;|<br/>)+)"';
const SHAPES = [String.raw`\[\[`, String.raw`\]\]`, String.raw`\(\[`, String.raw`\]\)`, String.raw`\[/`, String.raw`/\]`, "\\{\\{", "\\}\\}", "\\(", "\\)", "\\[", "\\]"];
const NODE_LINE = new RegExp(String.raw`^([A-Za-z][A-Za-z0-9_]*)(${[0, 2, 4, 6, 8, 10].map((k) => `${SHAPES[k]}${QUOTED}${SHAPES[k + 1]}`).join("|")})$`);
const EDGE_LINE = new RegExp(String.raw`^([A-Za-z][A-Za-z0-9_]*) -->(?:\|${QUOTED}\|)? ([A-Za-z][A-Za-z0-9_]*)$`);
const SUBGRAPH_LINE = new RegExp(String.raw`^subgraph ([A-Za-z][A-Za-z0-9_]*) \[${QUOTED}\]$`);

/**
 * Reads a flowchart as hpol writes it, line by line, and throws on anything mermaid could misread: an unknown line,
 * an unescaped character in a string, an edge whose endpoint was never declared, unbalanced subgraphs or a
 * duplicate id. Returns the decoded texts.
 */
export function checkMermaid(text: string): ParsedMermaid {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const nodes = new Map<string, string>();
  const clusters = new Map<string, string>();
  const edges: { from: string; to: string; label?: string }[] = [];
  const classed = new Set<string>();
  let depth = 0;
  let sawHeader = false;
  const ids = new Set<string>();
  const declare = (id: string): void => {
    if (ids.has(id)) throw new Error(`duplicate id ${id}`);
    if (["end", "graph", "subgraph", "flowchart", "class", "classDef", "style", "click"].includes(id)) throw new Error(`reserved word as id: ${id}`);
    ids.add(id);
  };
  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith("%%")) continue;
    if (!sawHeader) {
      if (line !== "flowchart TB") throw new Error(`expected the flowchart header, got ${line}`);
      sawHeader = true;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = SUBGRAPH_LINE.exec(line))) {
      declare(m[1]!);
      clusters.set(m[1]!, decodeMermaid(m[2]!));
      depth++;
    } else if (line === "end") {
      if (--depth < 0) throw new Error("`end` without a subgraph");
    } else if ((m = NODE_LINE.exec(line))) {
      declare(m[1]!);
      nodes.set(m[1]!, decodeMermaid(m.slice(3).find((g) => g !== undefined)!));
    } else if ((m = EDGE_LINE.exec(line))) {
      edges.push({ from: m[1]!, to: m[3]!, ...(m[2] !== undefined ? { label: decodeMermaid(m[2]) } : {}) });
    } else if ((m = /^classDef ([a-z]+) [a-z0-9:#,. -]+$/.exec(line))) {
      continue;
    } else if ((m = /^class ([A-Za-z0-9_,]+) ([a-z]+)$/.exec(line))) {
      for (const id of m[1]!.split(",")) classed.add(id);
    } else {
      throw new Error(`unexpected mermaid line: ${raw}`);
    }
  }
  if (depth !== 0) throw new Error("unbalanced subgraph/end");
  for (const e of edges) {
    if (!nodes.has(e.from) || !nodes.has(e.to)) throw new Error(`edge ${e.from} --> ${e.to} has an undeclared endpoint`);
  }
  for (const id of classed) if (!nodes.has(id)) throw new Error(`class given to undeclared node ${id}`);
  return { nodes, clusters, edges };
}

/** What mermaid displays for a string hpol escaped: entities decoded, `<br/>` as a line break. */
export function decodeMermaid(text: string): string {
  return text.replace(/<br\/>/g, "\n").replace(/#([0-9]+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
}
