// Property, in source form: a constant expression folded by the checker and by lowering (`const C = …`) gives
// exactly what the interpreter and the emitted module compute for the same expression when its literals are
// observation fields holding the same numbers. Covers the path the IR-level property cannot: the checker's own
// folding of constants (constValues), which lowering trusts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkFiles, type CompilerHost } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { createPool, loadIR, type PolicyIR, type PoolOptions } from "../../src/runtime/index.ts";
import { loadEmitted, writeEmitted } from "../emit/support/harness.ts";
import { sameSlots } from "../support/expr-differential.ts";
import { SPEC } from "./compile.ts";

/** An expression over numbered leaves: `lit(i)` prints leaf i as a literal or as `obs.x<i>`. */
type Source = (lit: (i: number) => string) => string;
interface Expr {
  readonly text: Source;
  readonly leaves: readonly number[];
}

const LITERALS = [0.5, 2.5, 3, 7, 1, 2, 0.25, 10, 1.5, 4];
const leafValue = fc.tuple(fc.constantFrom(...LITERALS), fc.boolean()).map(([v, negative]) => (negative ? -v : v));

function expr(depth: number): fc.Arbitrary<Expr> {
  const leaf = leafValue.map((v): Expr => ({ text: (lit) => lit(0), leaves: [v] }));
  if (depth <= 0) return leaf;
  const sub = expr(depth - 1);
  /** Combines sub-expressions, renumbering their leaves one after another. */
  const combine = (parts: Expr[], print: (texts: string[]) => string): Expr => {
    const starts: number[] = [];
    let n = 0;
    for (const p of parts) {
      starts.push(n);
      n += p.leaves.length;
    }
    return {
      text: (lit) => print(parts.map((p, k) => p.text((i) => lit(starts[k]! + i)))),
      leaves: parts.flatMap((p) => p.leaves),
    };
  };
  return fc.oneof(
    leaf,
    fc.tuple(fc.constantFrom("+", "-", "*", "/", "%"), sub, sub).map(([op, a, b]) => combine([a, b], ([x, y]) => `(${x} ${op} ${y})`)),
    sub.map((a) => combine([a], ([x]) => `(-${x})`)),
    fc.tuple(fc.constantFrom("abs", "sqrt", "floor", "ceil", "round", "int", "float"), sub).map(([fn, a]) => combine([a], ([x]) => `${fn}(${x})`)),
    fc.tuple(fc.constantFrom("min", "max"), sub, sub).map(([fn, a, b]) => combine([a, b], ([x, y]) => `${fn}(${x}, ${y})`)),
    fc.tuple(fc.constantFrom("clamp", "clip"), sub, sub, sub).map(([fn, a, b, c]) => combine([a, b, c], ([x, y, z]) => `${fn}(${x}, ${y}, ${z})`)),
    fc.tuple(sub, sub, sub, sub).map((ps) => combine(ps, ([p, q, x, y]) => `(if ${p} < ${q} then ${x} else ${y})`)),
  );
}

const literal = (v: number): string => (v < 0 ? `(-${-v})` : String(v));

/** The spec: `const Cj = <literals>` written to out.aj, the same text over observation fields to out.bj. */
function specFor(exprs: readonly Expr[]): { text: string; obs: Record<string, number>; lines: number[] } {
  const obs: Record<string, number> = {};
  const consts: string[] = [];
  const sets: string[] = [];
  let field = 0;
  const lines: number[] = [];
  exprs.forEach((e, j) => {
    const base = field;
    e.leaves.forEach((v, i) => (obs[`x${base + i}`] = v));
    field += e.leaves.length;
    lines.push(j);
    consts.push(`const C${j} = ${e.text((i) => literal(e.leaves[i]!))}`);
    sets.push(`    set out.a${j} = C${j}\n    set out.b${j} = ${e.text((i) => `obs.x${base + i}`)}`);
  });
  const text = [
    ...consts,
    `observation {\n${Object.keys(obs).map((k) => `  ${k}: float`).join("\n")}\n}`,
    `output {\n${exprs.map((_, j) => `  a${j}: float\n  b${j}: float`).join("\n")}\n}`,
    `executor main every 100ms writes ${exprs.map((_, j) => `a${j}, b${j}`).join(", ")} {\n  sequence {\n${sets.join("\n")}\n  }\n}`,
  ].join("\n");
  return { text, obs, lines };
}

/** Checks the spec; the indices of the constants with an error (a divisor folding to 0 is HP3025). */
function compileSpec(text: string): { ir?: PolicyIR; broken: Set<number> } {
  const host: CompilerHost = { readFile: (p) => (p === SPEC ? text : undefined), readModel: () => ({ ok: false, kind: "missing", message: "none" }) };
  const result = checkFiles([SPEC], host);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const broken = new Set<number>();
  for (const d of errors) broken.add(text.slice(0, d.span.start).split("\n").length - 1);
  if (errors.length > 0) return { broken };
  return { ir: loadIR(JSON.parse(JSON.stringify(lower(result.program!, result.sources)))), broken };
}

const BATCH = 60;
const RUNS = 8;

describe("constants folded by the checker and lowering equal the same expression computed at run time", () => {
  it(`${RUNS} specs of up to ${BATCH} expressions`, async () => {
    const failures: string[] = [];
    let compared = 0;
    let run = 0;
    await fc.check(
      fc.asyncProperty(fc.array(expr(3), { minLength: BATCH, maxLength: BATCH }), async (generated) => {
        // Constants whose divisor folds to 0 are compile errors (HP3025): leave those expressions out.
        let exprs = generated;
        let compiled = compileSpec(specFor(exprs).text);
        if (compiled.ir === undefined) {
          exprs = exprs.filter((_, j) => !compiled.broken.has(j));
          compiled = compileSpec(specFor(exprs).text);
        }
        const { ir } = compiled;
        if (ir === undefined) {
          failures.push(`spec did not check: ${[...compiled.broken].join(", ")}`);
          return false;
        }
        const { obs } = specFor(exprs);
        const name = `constfold_${run++}`;
        const found: string[] = [];
        for (const factory of [(o: PoolOptions) => createPool(ir, o), await loadEmitted(writeEmitted(ir, name))]) {
          const pool = factory({ agents: 1 });
          if (!pool.setObservation(0, obs)) found.push("observation rejected");
          pool.stepSync();
          const out = pool.getOutput(0);
          exprs.forEach((e, j) => {
            const a = out[`a${j}`] as number;
            const b = out[`b${j}`] as number;
            if (!sameSlots([a], [b])) found.push(`${e.text((i) => literal(e.leaves[i]!))}: folded ${a}, computed ${b}`);
          });
        }
        compared += exprs.length;
        failures.push(...found);
        return found.length === 0;
      }),
      { numRuns: RUNS, seed: 4242, endOnFailure: true },
    );
    expect(failures.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan((RUNS * BATCH) / 2);
  });
});
