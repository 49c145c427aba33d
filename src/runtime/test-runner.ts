// Runs a spec's test blocks (`hpol test`) through the reference runtime. Each test gets a fresh one-agent pool;
// steps run in order: `given` assigns observations or state, `raise` and `inject` queue host inputs for the
// next step, `run` advances the clock, `expect` evaluates a bool expression and, when it is false, records
// what was expected, the actual values of its operands, the step, and the running node path of every layer.
import type { IRExpr, IRTestStep, IRType, PolicyIR, IRSpan } from "./ir.ts";
import { createPool } from "./pool.ts";
import type { AgentPool, ExternFn, PoolOptions } from "./pool.ts";
import type { NeuralHost } from "./neural/host.ts";
import type { RuntimeError } from "./errors.ts";
import { formatRuntimeError } from "./errors.ts";
import { printExpr } from "./ir-print.ts";
import { setOwnValue } from "./values.ts";

export interface TestRunOptions {
  /** Extern bindings; externs left unbound get stubs (conditions false, functions zero, actions success). */
  externs?: Record<string, ExternFn>;
  /** A factory gives every test block a fresh host; a single host is closed with the first test's pool. */
  neural?: NeuralHost | (() => NeuralHost | undefined);
  stepMs?: number;
  seed?: number;
  /** Run only tests whose name contains this text. */
  filter?: string;
}

export interface TestFailure {
  /** The expectation as written in the spec. */
  readonly expected: string;
  /** Values of the expectation's operands, e.g. "out.speed = 2.5". */
  readonly actual: string;
  /** Step number when the expectation was checked. */
  readonly tick: number;
  /** Per layer, the chain of running nodes: "Body: reactive_selector#3 > sequence#4 > do#6". */
  readonly nodePaths: readonly string[];
  readonly span: IRSpan | null;
}

export interface TestReport {
  readonly name: string;
  readonly passed: boolean;
  readonly failures: readonly TestFailure[];
  /** Runtime errors raised while the test ran (they do not fail a test by themselves). */
  readonly errors: readonly RuntimeError[];
  readonly span: IRSpan | null;
}

export interface TestRunResult {
  readonly tests: readonly TestReport[];
  readonly passed: number;
  readonly failed: number;
}

export async function runTests(ir: PolicyIR, options: TestRunOptions = {}): Promise<TestRunResult> {
  const reports: TestReport[] = [];
  for (const test of ir.tests) {
    if (options.filter && !test.name.includes(options.filter)) continue;
    reports.push(await runOne(ir, test.name, test.steps, test.span, options));
  }
  const passed = reports.filter((r) => r.passed).length;
  return { tests: reports, passed, failed: reports.length - passed };
}

async function runOne(ir: PolicyIR, name: string, steps: readonly IRTestStep[], span: IRSpan | null, options: TestRunOptions): Promise<TestReport> {
  const poolOptions: PoolOptions = { agents: 1, externs: withStubs(ir, options.externs ?? {}), seed: options.seed ?? 0 };
  if (options.stepMs !== undefined) poolOptions.stepMs = options.stepMs;
  // Closing a pool releases its host's sessions, so each test gets its own host when a factory is given.
  const neural = typeof options.neural === "function" ? options.neural() : options.neural;
  if (neural) poolOptions.neural = neural;
  const pool = createPool(ir, poolOptions);
  const failures: TestFailure[] = [];
  const errors: RuntimeError[] = [];
  for (const step of steps) {
    switch (step.k) {
      case "given":
        for (const a of step.assigns) pool.assign(0, a.target, a.value);
        break;
      case "raise":
        pool.raiseById(0, step.event);
        break;
      case "inject":
        pool.injectRaw(0, step.planner, step.kind, pool.evaluatePayload(0, step.planner, step.kind, step.values));
        break;
      case "run": {
        const count = step.ticks ?? Math.max(1, Math.round((step.ms ?? 0) / pool.stepMs));
        for (let i = 0; i < count; i++) {
          const r = pool.stepOnce();
          if (r) await r;
        }
        break;
      }
      case "expect": {
        const ok = pool.evaluate(0, step.expr);
        if (ok !== true) {
          failures.push({
            expected: step.text,
            actual: describeActual(ir, pool, step.expr, ok),
            tick: pool.step - 1,
            nodePaths: layerPaths(ir, pool),
            span: step.span,
          });
        }
        break;
      }
    }
    errors.push(...pool.drainErrors());
  }
  await pool.close();
  return { name, passed: failures.length === 0, failures, errors, span };
}

/** "out.speed = 2.5, 3 = 3" for a comparison; the whole value otherwise. */
function describeActual(ir: PolicyIR, pool: AgentPool, expr: number, value: unknown): string {
  if (value === undefined) return "the expectation could not be evaluated (an extern failed)";
  const x: IRExpr = ir.exprs[expr]!;
  const operands: number[] = [];
  if (x.k === "binary") operands.push(x.left, x.right);
  else if (x.k === "unary") operands.push(x.operand);
  const parts = operands
    .filter((o) => ir.exprs[o]!.k !== "const")
    .map((o) => `${printExpr(ir, o)} = ${JSON.stringify(pool.evaluate(0, o))}`);
  return parts.length ? parts.join(", ") : `${printExpr(ir, expr)} is ${JSON.stringify(value)}`;
}

function layerPaths(ir: PolicyIR, pool: AgentPool): string[] {
  const out: string[] = [];
  for (const p of ir.planners) out.push(`${p.name}: ${pool.runningPath(0, p.root).join(" > ")}`);
  for (const x of ir.executors) {
    const roots = [...x.handlers.map((h) => h.root), ...(x.default === null ? [] : [x.default])];
    for (const r of roots) if (pool.nodeStatus(0, r) !== "idle") out.push(`${x.name}: ${pool.runningPath(0, r).join(" > ")}`);
  }
  return out;
}

function zeroOf(t: IRType): unknown {
  switch (t.k) {
    case "bool":
      return false;
    case "int":
    case "float":
      return Math.max(t.min ?? 0, Math.min(t.max ?? 0, 0));
    case "enum":
      return 0;
    case "vec":
      return new Array(t.size).fill(0);
    case "tensor":
      return [];
    case "record":
      return Object.fromEntries(t.fields.map((f) => [f.name, zeroOf(f.type)]));
    case "list":
      return [];
  }
}

function withStubs(ir: PolicyIR, given: Record<string, ExternFn>): Record<string, ExternFn> {
  const all: Record<string, ExternFn> = { ...given };
  for (const x of ir.externs) {
    if (Object.hasOwn(all, x.name)) continue;
    const zero = x.kind === "function" ? zeroOf(x.returns!) : undefined;
    const stub: ExternFn = x.kind === "condition" ? () => false : x.kind === "function" ? () => zero : () => "success";
    setOwnValue(all, x.name, stub);
  }
  return all;
}

/** Human-readable report, one line per test and indented details per failure. */
export function formatTestResult(result: TestRunResult): string {
  const lines: string[] = [];
  for (const t of result.tests) {
    lines.push(`${t.passed ? "✓" : "✗"} ${t.name}`);
    for (const f of t.failures) {
      const where = f.span ? ` (${f.span.file}:${f.span.line}:${f.span.column})` : "";
      lines.push(`    expected ${f.expected}${where}`);
      lines.push(`    actual   ${f.actual}`);
      lines.push(`    at tick ${f.tick}`);
      for (const p of f.nodePaths) lines.push(`    running  ${p}`);
    }
    for (const e of t.errors) lines.push(`    ${formatRuntimeError(e)}`);
  }
  lines.push(`${result.passed} passed, ${result.failed} failed`);
  return lines.join("\n");
}
