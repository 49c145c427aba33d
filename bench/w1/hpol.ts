// The two hpol rows of W1: the W1 spec (combat.hpol) compiled by the checker and lowering, then run by the
// reference interpreter ("hpol-interpreter") and by the module the emitter generates for it ("hpol-emitted",
// written to bench/w1/out/, gitignored, and imported). Both feed observations the way a zero-copy host does —
// straight into the pool's frame slots — step once per frame, and read the action slot back; all of that is
// inside `tickAll`, so the rows include the host-side copy the hand-written row does not need.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { checkFiles } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { emitPolicy } from "../../src/compiler/emit/emit.ts";
import { createPool } from "../../src/runtime/index.ts";
import type { AgentPool, PolicyIR, PoolOptions } from "../../src/runtime/index.ts";
import type { W1Impl, W1Pool } from "./impl.ts";
import type { CombatWorld } from "./world.ts";

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

function adapter(name: string, makePool: (options: PoolOptions) => AgentPool, step = true): W1Impl {
  return {
    name,
    createPool(world: CombatWorld): W1Pool {
      const n = world.agentCount;
      const pool = makePool({ agents: n, stepMs });
      const mem = pool.mem;
      const fs = pool.frameStride;
      const health = pool.slotOf("health");
      const ammo = pool.slotOf("ammo");
      const medkits = pool.slotOf("medkits");
      const distance = pool.slotOf("enemy_distance");
      const visible = pool.slotOf("enemy_visible");
      const cooldown = pool.slotOf("weapon_cooldown");
      const waypoint = pool.slotOf("waypoint_index");
      const atWaypoint = pool.slotOf("at_waypoint");
      const action = pool.slotOf("action", "out");
      const actions = new Int32Array(n);
      // The world's arrays are hoisted out of the agent loop, as the hand-written floor hoists them.
      const { health: wHealth, ammo: wAmmo, medkits: wMedkits, enemyDistance: wDistance, enemyVisible: wVisible, weaponCooldown: wCooldown, waypointIndex: wWaypoint, atWaypoint: wAt } = world;
      return {
        actions,
        tickAll(): void {
          for (let i = 0, b = 0; i < n; i++, b += fs) {
            mem[b + health] = wHealth[i]!;
            mem[b + ammo] = wAmmo[i]!;
            mem[b + medkits] = wMedkits[i]!;
            mem[b + distance] = wDistance[i]!;
            mem[b + visible] = wVisible[i]!;
            mem[b + cooldown] = wCooldown[i]!;
            mem[b + waypoint] = wWaypoint[i]!;
            mem[b + atWaypoint] = wAt[i]!;
          }
          if (step) pool.stepSync();
          for (let i = 0, b = 0; i < n; i++, b += fs) actions[i] = mem[b + action]!;
        },
      };
    },
  };
}

const emittedPool = await loadEmitted();
export const hpolW1: W1Impl[] = [adapter("hpol-emitted", emittedPool), adapter("hpol-interpreter", (o) => createPool(ir, o))];

/** For measuring what the host side costs (hpol-measure.ts): the hpol-emitted row's observation copy and action
 *  read-back alone, without stepping the pool. Its decisions are meaningless (every action stays Idle). */
export const hostCopyOnlyW1: W1Impl = adapter("host copy only", emittedPool, false);
