// The two hpol rows of W3: the generated tree written out as a .hpol spec (one observation field per fact, one
// `check` per fact test, `set out.action = k` per action leaf), compiled by the checker and lowering, then run
// by the reference interpreter ("hpol-interpreter") and by the module the emitter generates ("hpol-emitted").
// Like W1's rows, each frame copies every agent's facts into its frame slots (the whole observation: the policy
// reads them in place), steps once, and reads the action slot back — all inside the timed `tickAll`.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";
import { checkSource } from "../../../src/compiler/program.ts";
import { lower } from "../../../src/compiler/lower/lower.ts";
import { emitPolicy } from "../../../src/compiler/emit/emit.ts";
import * as runtime from "../../../src/runtime/index.ts";
import { createPool } from "../../../src/runtime/index.ts";
import type { AgentPool, PolicyIR, PoolOptions } from "../../../src/runtime/index.ts";
import type { FactsWorld } from "./facts.ts";
import type { W3Impl, W3Pool } from "./impl.ts";
import type { W3Node, W3Tree } from "./tree.ts";

const here = dirname(fileURLToPath(import.meta.url));
const RUNTIME_SPECIFIER = "hpol";

/** The tree as an hpol spec: facts `f0`… (booleans first), output `action`, one executor ticking every step. */
export function w3Spec(tree: W3Tree): string {
  const lines = ["module w3_generated", "", "observation {"];
  for (let k = 0; k < tree.factCount; k++) lines.push(`  f${k}: ${k < tree.booleanFacts ? "bool" : "float[0.0, 1.0]"}`);
  lines.push("}", "", "output {", `  action: int[0, ${tree.actionCount}]`, "}", "", "executor main at 30hz writes action {");
  const node = (n: W3Node, indent: string): void => {
    switch (n.kind) {
      case "sequence":
      case "selector":
        lines.push(`${indent}${n.kind} {`);
        for (const c of n.children) node(c, indent + "  ");
        lines.push(`${indent}}`);
        return;
      case "fact-true":
        lines.push(`${indent}check obs.f${n.fact}`);
        return;
      case "fact-above":
        // Thresholds are on a 1/100 grid (tree.ts), printed exactly.
        lines.push(`${indent}check obs.f${n.fact} > ${n.threshold.toFixed(2)}`);
        return;
      case "act":
        lines.push(`${indent}set out.action = ${n.action}`);
        return;
    }
  };
  node(tree.root, "  ");
  lines.push("}", "");
  return lines.join("\n");
}

function compile(tree: W3Tree): PolicyIR {
  const result = checkSource(w3Spec(tree), join(here, "w3_generated.hpol"));
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !result.program) throw new Error(`W3 spec: ${errors.map((d) => d.message).join("; ")}`);
  return lower(result.program, result.sources);
}

/** The emitted module of `ir`, loaded synchronously (the suite builds pools synchronously): stripped of types with
 *  esbuild as `hpol build` does, and evaluated with the runtime it imports. */
function emitted(ir: PolicyIR): (options: PoolOptions) => AgentPool {
  const ts = emitPolicy(ir, { runtimeModule: RUNTIME_SPECIFIER }).ts;
  const js = transformSync(ts, { loader: "ts", format: "cjs" }).code;
  const module = { exports: {} as { createPolicyPool?: (options: PoolOptions) => AgentPool } };
  const load = (specifier: string): unknown => {
    if (specifier !== RUNTIME_SPECIFIER) throw new Error(`W3 emitted module imports ${specifier}`);
    return runtime;
  };
  new Function("require", "module", "exports", js)(load, module, module.exports);
  return module.exports.createPolicyPool!;
}

function adapter(name: string, build: (ir: PolicyIR) => (options: PoolOptions) => AgentPool): W3Impl {
  // Compiling is not part of the measurement: each tree is compiled once, when its first pool is created.
  const factories = new Map<W3Tree, (options: PoolOptions) => AgentPool>();
  return {
    name,
    createPool(tree: W3Tree, world: FactsWorld): W3Pool {
      let makePool = factories.get(tree);
      if (!makePool) factories.set(tree, (makePool = build(irOf(tree))));
      const n = world.agentCount;
      const pool = makePool({ agents: n });
      const facts = world.facts;
      const fc = world.factCount;
      // Fact k of every agent goes into observation column f<k> (the world keeps one agent's facts together);
      // the host reads the actions in place, from the output column.
      const columns = Array.from({ length: fc }, (_, k) => pool.observationColumn(`f${k}`));
      return {
        actions: pool.outputColumn("action"),
        tickAll(): void {
          for (let k = 0; k < fc; k++) {
            const column = columns[k]!;
            for (let i = 0, from = k; i < n; i++, from += fc) column[i] = facts[from]!;
          }
          pool.stepSync();
        },
      };
    },
  };
}

const irs = new Map<W3Tree, PolicyIR>();
const irOf = (tree: W3Tree): PolicyIR => irs.get(tree) ?? irs.set(tree, compile(tree)).get(tree)!;

export const hpolW3: W3Impl[] = [adapter("hpol-emitted", emitted), adapter("hpol-interpreter", (ir) => (o) => createPool(ir, o))];
