// A span-free view of a syntax tree, to compare two parses for "same program": the formatter's self-check and
// its idempotence tests. Source positions and comments are layout, not meaning, so they are dropped.

/** Keys that hold only source positions or layout. */
const LAYOUT_KEYS = new Set(["span", "openBrace", "opSpan", "backendSpan", "comments", "recovered"]);

export function syntaxShape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(syntaxShape);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(node).sort()) {
    if (LAYOUT_KEYS.has(key)) continue;
    const value = (node as Record<string, unknown>)[key];
    if (value === undefined) continue;
    out[key] = syntaxShape(value);
  }
  return out;
}

export function sameSyntax(a: unknown, b: unknown): boolean {
  return JSON.stringify(syntaxShape(a)) === JSON.stringify(syntaxShape(b));
}
