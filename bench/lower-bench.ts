// Lowering benchmark (issue 4): lower a generated program of N tree nodes and report the median time, the IR
// size and the time per IR node at several sizes, so linear scaling is visible (target for 10,000 nodes: well
// under a second). The program is built directly as an AST (trees with parameters and local state, called
// from several executors, so inlining multiplies instances) and checked once by the real resolver and
// checker; only `lower` is timed. It does not depend on the parser.
//
//   node bin/run-ts.mjs bench/lower-bench.ts [--nodes N] [--reps R]
import type * as A from "../src/grammar/ast.ts";
import { resolve } from "../src/compiler/resolve/resolve.ts";
import { check } from "../src/compiler/check/check.ts";
import { lower } from "../src/compiler/lower/lower.ts";
import type { TypedProgram } from "../src/compiler/check/typed-program.ts";

const FILE = "/bench/generated.hpol";

class AstGen {
  private offset = 0;
  span(): A.Span {
    return { start: this.offset, end: ++this.offset };
  }
  ident(name: string): A.Ident {
    return { kind: "Ident", name, span: this.span() };
  }
  num(value: number): A.NumberLit {
    return { kind: "NumberLit", value, isInt: false, text: String(value), span: this.span() };
  }
  field(root: A.RootRef["root"], name: string): A.FieldAccess {
    return { kind: "FieldAccess", object: { kind: "RootRef", root, span: this.span() }, field: this.ident(name), span: this.span() };
  }
  bin(op: A.BinaryOp, left: A.Expr, right: A.Expr): A.BinaryExpr {
    return { kind: "BinaryExpr", op, opSpan: this.span(), left, right, span: this.span() };
  }
  floatField(name: string, init?: A.Expr): A.Field {
    return { kind: "Field", name: this.ident(name), type: { kind: "FloatType", span: this.span() }, ...(init ? { init } : {}), span: this.span() };
  }
  composite(composite: A.CompositeKind, children: A.TreeNode[]): A.CompositeNode {
    return { kind: "Composite", composite, children, openBrace: this.span(), span: this.span() };
  }
  get length(): number {
    return this.offset;
  }
}

/**
 * A program with about `nodes` tree nodes after inlining: `trees` subtrees of 10 nodes each (a selector of
 * sequences of checks and state updates, reading a parameter), each called from every one of 4 executors.
 */
export function generateProgram(nodes: number): { module: A.Module; sources: Map<string, string> } {
  const g = new AstGen();
  const perTree = 10; // selector + 2 × (sequence + 3 leaves) + fail
  const executors = 4;
  const trees = Math.max(1, Math.round(nodes / (perTree * executors)));
  const decls: A.Decl[] = [
    { kind: "ObservationDecl", fields: [g.floatField("x"), g.floatField("y")], span: g.span() },
    { kind: "OutputDecl", fields: [g.floatField("speed")], span: g.span() },
  ];
  for (let t = 0; t < trees; t++) {
    const limit: A.NameRef = { kind: "NameRef", name: "limit", span: g.span() };
    const branch = (k: number): A.CompositeNode =>
      g.composite(k % 2 ? "sequence" : "reactive_sequence", [
        { kind: "Check", condition: g.bin(">", g.bin("+", g.field("obs", "x"), g.num(k)), limit), span: g.span() },
        { kind: "Check", condition: g.bin("<", g.field("state", "n"), g.bin("*", g.num(2), g.num(t))), span: g.span() },
        { kind: "Set", target: { kind: "LValue", root: "state", path: [g.ident("n")], span: g.span() }, value: g.bin("+", g.field("state", "n"), g.field("obs", "y")), span: g.span() },
      ]);
    decls.push({
      kind: "TreeDecl",
      name: g.ident(`t${t}`),
      params: [{ kind: "Param", name: g.ident("limit"), type: { kind: "FloatType", span: g.span() }, default: g.num(1), span: g.span() }],
      state: { kind: "StateDecl", fields: [g.floatField("n", g.num(0))], span: g.span() },
      body: g.composite("selector", [branch(0), branch(1), { kind: "ConstStatus", status: "failure", span: g.span() }]),
      span: g.span(),
    });
  }
  for (let e = 0; e < executors; e++) {
    const calls: A.TreeNode[] = [];
    for (let t = 0; t < trees; t++) {
      calls.push({ kind: "Call", tree: g.ident(`t${t}`), args: [{ kind: "Arg", value: g.bin("*", g.field("obs", "y"), g.num(e + 1)), span: g.span() }], span: g.span() });
    }
    const writes = e === 0 ? [g.ident("speed")] : [];
    const body = g.composite("selector", [...calls, ...(e === 0 ? [{ kind: "Set", target: { kind: "LValue", root: "out", path: [g.ident("speed")], span: g.span() }, value: g.field("obs", "x"), span: g.span() } as A.SetNode] : [])]);
    decls.push({
      kind: "ExecutorDecl",
      name: g.ident(`e${e}`),
      rate: { kind: "every", period: { kind: "TimeLit", ms: 100, text: "100ms", span: g.span() }, span: g.span() },
      writes,
      body,
      handlers: [],
      span: g.span(),
    });
  }
  const module: A.Module = { kind: "Module", file: FILE, imports: [], decls, comments: [], span: { start: 0, end: g.length } };
  return { module, sources: new Map([[FILE, " ".repeat(g.length + 1)]]) };
}

export interface LowerBenchRow {
  readonly nodes: number;
  readonly irNodes: number;
  readonly irExprs: number;
  readonly vars: number;
  readonly lowerMs: number;
  readonly usPerIrNode: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function checked(nodes: number): { program: TypedProgram; sources: Map<string, string> } {
  const { module, sources } = generateProgram(nodes);
  const resolved = resolve({ entry: FILE, modules: new Map([[FILE, module]]), importTargets: new Map() });
  const result = check(resolved.program, { sources });
  const error = [...resolved.diagnostics, ...result.diagnostics].find((d) => d.severity === "error");
  if (error) throw new Error(`the generated program does not check: ${error.code} ${error.message}`);
  return { program: result.program, sources };
}

export function runLowerBench(sizes: readonly number[] = [2_500, 5_000, 10_000], reps = 9): LowerBenchRow[] {
  return sizes.map((nodes) => {
    const { program, sources } = checked(nodes);
    const times: number[] = [];
    let last = lower(program, sources);
    for (let i = 0; i < reps + 2; i++) {
      const t0 = performance.now();
      last = lower(program, sources);
      const ms = performance.now() - t0;
      if (i >= 2) times.push(ms); // the first runs warm the JIT up
    }
    const lowerMs = median(times);
    return { nodes, irNodes: last.nodes.length, irExprs: last.exprs.length, vars: last.layout.vars.length, lowerMs, usPerIrNode: (lowerMs * 1000) / last.nodes.length };
  });
}

if (process.argv[1]?.endsWith("lower-bench.ts")) {
  const arg = (name: string): number | undefined => {
    const i = process.argv.indexOf(name);
    return i < 0 ? undefined : Number(process.argv[i + 1]);
  };
  const n = arg("--nodes");
  const rows = runLowerBench(n === undefined ? undefined : [n], arg("--reps"));
  console.log("| target nodes | IR nodes | IR exprs | vars | lower ms (median) | µs per IR node |");
  console.log("|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) console.log(`| ${r.nodes} | ${r.irNodes} | ${r.irExprs} | ${r.vars} | ${r.lowerMs.toFixed(2)} | ${r.usPerIrNode.toFixed(2)} |`);
}
