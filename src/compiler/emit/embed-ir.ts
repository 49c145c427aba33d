// How a policy's IR travels inside build outputs. Span files are made relative to the main spec's directory, so
// a build does not depend on the machine or working directory it ran in; the emitted module carries the IR as
// one JSON string (parsed by JSON.parse, which V8 loads much faster than an equivalent object literal) with the
// spans packed separately (src/runtime/packed-spans.ts).
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { PolicyIR } from "../../runtime/ir.ts";
import { packSpans } from "../../runtime/packed-spans.ts";

/** Span files relative to `root` with `/` separators; identity when `root` is undefined. */
export function spanFileMapper(root: string | undefined): (file: string) => string {
  if (root === undefined) return (file) => file;
  const base = resolve(root);
  const memo = new Map<string, string>();
  return (file) => {
    let out = memo.get(file);
    if (out === undefined) {
      out = relative(base, isAbsolute(file) ? file : resolve(file)).split(sep).join("/");
      memo.set(file, out);
    }
    return out;
  };
}

/**
 * `JSON.stringify(value)` with every span's `file` mapped. `file` is a key only in spans, and a quote inside a
 * JSON string is always escaped, so `"file":"…"` in the text can only be such a key: one pass over the text is
 * much faster than a stringify replacer, which would be called for every value of a large policy.
 */
function stringifyMappingFiles(value: unknown, mapFile: (file: string) => string): string {
  return JSON.stringify(value).replace(/"file":"((?:[^"\\]|\\.)*)"/g, (_, text: string) => `"file":${JSON.stringify(mapFile(JSON.parse(`"${text}"`) as string))}`);
}

/** The IR as JSON text with span files relative to `root` (the build's `.ir.json`). */
export function irJson(ir: PolicyIR, root?: string): string {
  return root === undefined ? JSON.stringify(ir) : stringifyMappingFiles(ir, spanFileMapper(root));
}

/** A single-quoted JavaScript string literal for `text`. JSON text holds many `"` and few `'`, so this quoting
 *  needs far fewer escapes than JSON.stringify's; every character that could end the literal is escaped. */
export function singleQuoted(text: string): string {
  return `'${text.replace(/[\\'\n\r\u2028\u2029]/g, (c) => (c === "\\" || c === "'" ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`))}'`;
}

/** The expression an emitted module initialises `policyIR` with (it calls the runtime's `withPackedSpans`). */
export function embeddedIR(ir: PolicyIR, root?: string): string {
  const mapFile = spanFileMapper(root);
  const { spans, ...rest } = ir;
  const packed = packSpans({ nodes: spans.nodes, exprs: spans.exprs });
  const files = { ...packed, files: packed.files.map(mapFile) };
  const body = stringifyMappingFiles(rest, mapFile);
  return `withPackedSpans(JSON.parse(${singleQuoted(body)}), JSON.parse(${singleQuoted(JSON.stringify(files))}))`;
}
