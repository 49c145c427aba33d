// The two hpol rows of W1: the W1 spec (combat.hpol) compiled by the checker and lowering, then run by the
// reference interpreter ("hpol-interpreter") and by the module the emitter generates for it ("hpol-emitted",
// written to bench/w1/out/, gitignored, and imported). Both keep the world's state in the pool's observation
// columns and read the actions from its output column (the zero-copy host API: pool.observationColumn,
// pool.outputColumn), stepping once per frame inside `tickAll`; every node checks the observation values it
// reads, as with any host. "hpol-emitted, copying" is the same module fed the other way: the world keeps its own
// arrays and the row copies them in (and the actions out) every frame, as a host whose state cannot live in the
// pool's arrays would.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { checkFiles } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { emitPolicy } from "../../src/compiler/emit/emit.ts";
import { createPool } from "../../src/runtime/index.ts";
import type { AgentPool, PolicyIR, PoolOptions } from "../../src/runtime/index.ts";
import type { W1Impl, W1Pool } from "./impl.ts";
import { OBS_FIELD, STATE_FIELDS } from "./world.ts";
import type { CombatWorld, StateField } from "./world.ts";

const here = dirname(fileURLToPath(import.meta.url));

function compileCombat(): PolicyIR {
  const result = checkFiles([join(here, "combat.hpol")]);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !result.program) throw new Error(`combat.hpol: ${errors.map((d) => d.message).join("; ")}`);
  return lower(result.program, result.sources);
}

const ir = compileCombat();
// One executor tick per frame (the spec's executor runs at 30 Hz).
const stepMs = ir.executors[0]!.periodMs;

async function loadEmitted(): Promise<(options: PoolOptions) => AgentPool> {
  const outDir = join(here, "out");
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "combat_w1.ts");
  const runtime = relative(outDir, join(here, "../../src/runtime/index.ts")).split(sep).join("/");
  writeFileSync(file, emitPolicy(ir, { runtimeModule: runtime }).ts);
  const mod = (await import(pathToFileURL(file).href)) as { createPolicyPool: (options: PoolOptions) => AgentPool };
  return mod.createPolicyPool;
}

/** How a row hands the world's state to the pool. "zero-copy": the world's state lives in the pool's observation
 *  columns (relocated there when the pool is created) and the host reads the actions in place from the pool's
 *  output column, so nothing is handed over either way. "copy": the world keeps its own arrays; every frame the
 *  row copies them into the observation columns and the actions out of the output column (`set`, one call per
 *  field), as a host whose state cannot live in the pool's arrays would. "copy only": those copies without the
 *  step (see hpol-measure.ts). */
type Feed = "zero-copy" | "copy" | "copy only";

function adapter(name: string, makePool: (options: PoolOptions) => AgentPool, feed: Feed): W1Impl {
  return {
    name,
    createPool(world: CombatWorld): W1Pool {
      const n = world.agentCount;
      const pool = makePool({ agents: n, stepMs });
      const action = pool.outputColumn("action");
      const column = (f: StateField): Float64Array => pool.observationColumn(OBS_FIELD[f]);
      if (feed === "zero-copy") {
        world.relocate(column);
        return {
          actions: action,
          tickAll(): void {
            pool.stepSync();
          },
        };
      }
      const columns = STATE_FIELDS.map(column);
      const step = feed === "copy";
      const actions = new Int32Array(n);
      return {
        actions,
        tickAll(): void {
          world.copyInto(columns);
          if (step) pool.stepSync();
          actions.set(action);
        },
      };
    },
  };
}

const emittedPool = await loadEmitted();
export const hpolW1: W1Impl[] = [
  adapter("hpol-emitted", emittedPool, "zero-copy"),
  adapter("hpol-emitted, copying", emittedPool, "copy"),
  adapter("hpol-interpreter", (o) => createPool(ir, o), "zero-copy"),
];

/** For measuring what the copying host pays (hpol-measure.ts): the copying row's copies in and out alone,
 *  without stepping the pool. Its decisions are meaningless (every action stays Idle). */
export const hostCopyOnlyW1: W1Impl = adapter("host copy only", emittedPool, "copy only");
