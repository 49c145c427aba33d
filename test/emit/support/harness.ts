// Differential-testing harness: writes an emitted policy module under test/emit/out/ (gitignored), type-checks
// emitted files with the TypeScript API, and drives the interpreter's pool and the emitted pool through the same
// randomized observation stream, extern results, raised events and injected messages, returning the trace text.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { createPool, MemorySink, Xoshiro128 } from "../../../src/runtime/index.ts";
import type { AgentPool, IRType, NeuralHost, PolicyIR, PoolOptions } from "../../../src/runtime/index.ts";
import { typeSize } from "../../../src/runtime/index.ts";
import { setOwnValue } from "../../../src/runtime/values.ts";
import { emitPolicy } from "../../../src/compiler/emit/emit.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const OUT_DIR = resolve(here, "../out");
const RUNTIME = resolve(here, "../../../src/runtime/index.ts");

export type PoolFactory = (options: PoolOptions) => AgentPool;

/** Emit `ir` into test/emit/out/<name>.ts importing the repository's runtime; returns the file path. */
export function writeEmitted(ir: PolicyIR, name: string, options: { functionBudget?: number } = {}): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `${name}.ts`);
  const rel = relative(OUT_DIR, RUNTIME).split(sep).join("/");
  writeFileSync(file, emitPolicy(ir, { runtimeModule: rel, ...options }).ts);
  return file;
}

/** The declaration file of `ir`'s module, written as test/emit/out/<name>.d.ts; returns the file path. */
export function writeDeclarations(ir: PolicyIR, name: string): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `${name}.d.ts`);
  writeFileSync(file, emitPolicy(ir, { runtimeModule: relative(OUT_DIR, RUNTIME).split(sep).join("/") }).dts);
  return file;
}

export async function loadEmitted(file: string): Promise<PoolFactory> {
  const mod = (await import(pathToFileURL(file).href)) as { createPolicyPool: PoolFactory };
  return mod.createPolicyPool;
}

/** `tsc --strict --noEmit` over the given files (and everything they import): the error messages. */
export function typecheck(files: readonly string[]): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    noFallthroughCasesInSwitch: true,
    noImplicitOverride: true,
    skipLibCheck: true,
    types: ["node"],
    lib: ["lib.es2023.d.ts"],
  };
  const program = ts.createProgram(files as string[], options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
    return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
  });
}

type Rand = Xoshiro128;
const pick = (r: Rand, n: number): number => Math.floor(r.next() * n);

/** A random valid host value of type `t` (observations, extern results, payloads). */
export function randomValue(t: IRType, r: Rand): unknown {
  switch (t.k) {
    case "bool":
      return r.next() < 0.5;
    case "int": {
      const lo = t.min ?? -5;
      const hi = t.max ?? 5;
      return lo + pick(r, Math.max(1, Math.min(hi - lo + 1, 1000)));
    }
    case "float": {
      const lo = t.min ?? -10;
      const hi = t.max ?? 10;
      return lo + (hi - lo) * r.next();
    }
    case "enum":
      return t.members[pick(r, t.members.length)];
    case "vec":
    case "tensor":
      return Array.from({ length: typeSize(t) }, () => Math.round((r.next() * 20 - 10) * 100) / 100);
    case "record": {
      const o: Record<string, unknown> = {};
      for (const f of t.fields) setOwnValue(o, f.name, randomValue(f.type, r));
      return o;
    }
    case "list":
      return Array.from({ length: pick(r, t.capacity + 1) }, () => randomValue(t.element, r));
  }
}

/** Scripted extern implementations drawing from their own stream (the same stream for both runs). */
function stubExterns(ir: PolicyIR, r: Rand): Record<string, (...args: unknown[]) => unknown> {
  const out: Record<string, (...args: unknown[]) => unknown> = {};
  for (const x of ir.externs) {
    setOwnValue(out, x.name, (...args: unknown[]) => {
      const ctx = args[args.length - 1] as { phase?: string };
      if (x.kind === "condition") return r.next() < 0.5;
      if (x.kind === "function") return x.returns ? randomValue(x.returns, r) : undefined;
      if (ctx.phase === "halt") return undefined;
      const v = r.next();
      if (x.async && v < 0.4) return "running";
      return v < 0.75 ? "success" : "failure";
    });
  }
  return out;
}

export interface DriveOptions {
  readonly seed: number;
  readonly steps: number;
  readonly agents: number;
  /** Probability per field of a value the runtime rejects (exercises HP8020/HP8021 paths). */
  readonly badRate?: number;
  /** Probability per agent and field with a column of writing an invalid value (NaN, ±Infinity, outside the
   *  range, not an integer) straight into the pool's observation column after setObservation: the nodes that
   *  read it must fail with HP8021. */
  readonly rawRate?: number;
  /** Attach a tracer (default true). Untraced pools run their untraced variants; the result then starts at
   *  its "--- state" section, which a traced run of the same policy must reproduce exactly. */
  readonly traced?: boolean;
}

/** The part of a drive result that untraced runs have too: every step's outputs and state, and the errors. */
export function stateSection(result: string): string {
  return result.slice(result.indexOf("--- state\n"));
}

/** Run a pool built by `factory` over a randomized input stream; the trace text plus the runtime errors. */
export function drive(ir: PolicyIR, factory: PoolFactory, o: DriveOptions): string {
  const out = driveSteps(ir, factory, o, {}, (pool) => pool.stepSync());
  if (typeof out !== "string") throw new Error("drive: use driveAsync for policies with infer nodes");
  return out;
}

/** `drive` for policies with infer nodes: steps are awaited and models run on `neural`. */
export async function driveAsync(ir: PolicyIR, factory: PoolFactory, o: DriveOptions, neural: NeuralHost): Promise<string> {
  return await driveSteps(ir, factory, o, { neural }, (pool) => pool.stepAsync());
}

function driveSteps<R extends void | Promise<void>>(
  ir: PolicyIR,
  factory: PoolFactory,
  o: DriveOptions,
  extra: Partial<PoolOptions>,
  step: (pool: AgentPool) => R,
): R extends Promise<void> ? Promise<string> : string {
  const sink = o.traced === false ? null : new MemorySink();
  const inputs = new Xoshiro128(o.seed, 11);
  const pool = factory({ ...extra, agents: o.agents, seed: o.seed, externs: stubExterns(ir, new Xoshiro128(o.seed, 12)), ...(sink ? { trace: sink } : {}) });
  const errors: string[] = [];
  const states: string[] = [];
  const stateVars = ir.layout.state.map((id) => ir.layout.vars[id]!.name);
  const record = (): void => {
    for (let a = 0; a < o.agents; a++) states.push(JSON.stringify([pool.getOutput(a), stateVars.map((v) => pool.read(a, v))]));
  };
  const result = (): string => (sink ? sink.text() : "") + "\n--- state\n" + states.join("\n") + "\n--- errors\n" + errors.join("\n");
  let s = 0;
  const next = (): string | Promise<string> => {
    for (; s < o.steps; s++) {
      feed(ir, pool, inputs, o);
      const r = step(pool);
      if (r instanceof Promise) {
        return r.then(() => {
          record();
          for (const e of pool.drainErrors()) errors.push(JSON.stringify(e));
          s++;
          return next();
        });
      }
      record();
      for (const e of pool.drainErrors()) errors.push(JSON.stringify(e));
    }
    return result();
  };
  return next() as never;
}

/** One step's host inputs: every agent's observation, host-raised events, occasionally an injected message. */
function feed(ir: PolicyIR, pool: AgentPool, inputs: Xoshiro128, o: DriveOptions): void {
  {
    for (let a = 0; a < o.agents; a++) {
      const obs: Record<string, unknown> = {};
      for (const id of ir.layout.observation) {
        const v = ir.layout.vars[id]!;
        setOwnValue(obs, v.field, inputs.next() < (o.badRate ?? 0) ? Number.NaN : randomValue(v.type, inputs));
      }
      pool.setObservation(a, obs);
      if (o.rawRate) writeRaw(ir, pool, a, inputs, o.rawRate);
    }
    for (const e of ir.events) if (e.when === undefined && inputs.next() < 0.2) pool.raise(e.name, pick(inputs, o.agents));
    if (ir.planners.length > 0 && inputs.next() < 0.1) {
      const p = ir.planners[pick(inputs, ir.planners.length)]!;
      const m = ir.messages[p.message]!;
      const k = m.kinds[pick(inputs, m.kinds.length)]!;
      const payload: Record<string, unknown> = {};
      for (const f of k.fields) setOwnValue(payload, f.name, randomValue(f.type, inputs));
      pool.inject(p.name, k.name, payload, pick(inputs, o.agents));
    }
  }
}

const RAW = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1e9, 1e9, 0.5, 2, -1];

/** Invalid (and some valid) raw values written straight into agent `a`'s observation columns. */
function writeRaw(ir: PolicyIR, pool: AgentPool, a: number, inputs: Xoshiro128, rate: number): void {
  for (const id of ir.layout.observation) {
    const v = ir.layout.vars[id]!;
    const t = v.type.k;
    if (t === "record" || t === "list") continue;
    if (inputs.next() >= rate) continue;
    const col = pool.observationColumn(v.field);
    col[a * v.size + pick(inputs, v.size)] = RAW[pick(inputs, RAW.length)]!;
  }
}

/** The interpreter as a PoolFactory for `ir`. */
export function interpreterFor(ir: PolicyIR): PoolFactory {
  return (options) => createPool(ir, options);
}
