// The spans table in a compact form for embedding in emitted modules. A policy has one span per tree node and per
// expression — tens of thousands for a large spec — and as JSON objects they were about half of an emitted
// module's IR. Packed, each span is five integers and its file an index into a file table; the module unpacks
// them into the ordinary `PolicyIR["spans"]` when it loads, so the runtime sees the same IR either way.
import type { IRSpan, PolicyIR } from "./ir.ts";

export interface PackedSpans {
  readonly files: readonly string[];
  /** Per entry: -1 for a null span, else file index, start, end − start, line, column. */
  readonly nodes: readonly number[];
  readonly exprs: readonly number[];
}

export function packSpans(spans: PolicyIR["spans"]): PackedSpans {
  const files: string[] = [];
  const index = new Map<string, number>();
  const pack = (list: readonly (IRSpan | null)[]): number[] => {
    const out: number[] = [];
    for (const s of list) {
      if (s === null) {
        out.push(-1);
        continue;
      }
      let f = index.get(s.file);
      if (f === undefined) {
        f = files.length;
        files.push(s.file);
        index.set(s.file, f);
      }
      out.push(f, s.start, s.end - s.start, s.line, s.column);
    }
    return out;
  };
  return { files, nodes: pack(spans.nodes), exprs: pack(spans.exprs) };
}

export function unpackSpans(packed: PackedSpans): PolicyIR["spans"] {
  const unpack = (flat: readonly number[]): (IRSpan | null)[] => {
    const out: (IRSpan | null)[] = [];
    for (let i = 0; i < flat.length; ) {
      const f = flat[i]!;
      if (f < 0) {
        out.push(null);
        i += 1;
        continue;
      }
      const file = packed.files[f];
      if (file === undefined) throw new Error(`packed spans: file index ${f} out of range`);
      const start = flat[i + 1]!;
      out.push({ file, start, end: start + flat[i + 2]!, line: flat[i + 3]!, column: flat[i + 4]! });
      i += 5;
    }
    return out;
  };
  return { nodes: unpack(packed.nodes), exprs: unpack(packed.exprs) };
}

/** The policy of an emitted module: its IR without spans plus the packed spans, joined again. */
export function withPackedSpans(ir: Omit<PolicyIR, "spans">, packed: PackedSpans): PolicyIR {
  return { ...ir, spans: unpackSpans(packed) };
}
