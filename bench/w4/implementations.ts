// The W4 implementations. Each decides, for every agent of a CombatWorld, one action and (for agents that see
// their enemy) one aim per frame; only `tickAll` is timed.
//   hand-written      — W1's if/else with one batched InferenceSession.run per frame over the agents that reach
//                       the attack branch: the floor.
//   hpol-interpreter  — combat-neural.hpol through the reference interpreter and the BatchingNeuralHost that
//                       createNeuralHost makes for it.
//   hpol-emitted      — the module the emitter writes for the spec. Roots holding an infer node run in the
//                       interpreter (src/compiler/emit), and this spec's only root holds one: this row measures
//                       the emitted module's pool with that root interpreted, not straight-line tree code.
//   hpol tree time    — the interpreter with a host that answers from the hand-written row's outputs of the same
//                       frame at no cost: the tree and the infer node's suspend/flush/resume without the engine.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import * as ort from "onnxruntime-node";
import { checkFiles } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import { emitPolicy } from "../../src/compiler/emit/emit.ts";
import { createPool } from "../../src/runtime/index.ts";
import type { AgentPool, PolicyIR, PoolOptions } from "../../src/runtime/index.ts";
import { createNeuralHost } from "../../src/runtime/neural/batching-host.ts";
import { onnxSessionOptions } from "../../src/runtime/neural/onnx-backend.ts";
import type { NeuralHost } from "../../src/runtime/neural/host.ts";
import { argmax } from "../../src/runtime/neural/processing.ts";
import { Action } from "../w1/actions.ts";
import { Decide } from "../w1/thresholds.ts";
import { OBS_FIELD, STATE_FIELDS } from "../w1/world.ts";
import type { CombatWorld } from "../w1/world.ts";
import { AIM_OFF_TARGET, FEATURES, SENSORS, STATE_FEATURES, sensorReadings, writeStateFeatures } from "./features.ts";
import { W4_DIMS, W4_SPEC, writeAimModel } from "./models.ts";

export interface W4Pool {
  readonly name: string;
  /** One action code per agent (bench/w1/actions.ts), valid after tickAll. */
  readonly actions: Int32Array;
  /** Each agent's last aim (kept while it does not attack, as the spec's output keeps its value). */
  readonly aims: Int32Array;
  tickAll(): Promise<void>;
  close(): Promise<void>;
}

/** The hand-written row's session, with the options of the host's OnnxBackend, so engine meets engine. */
export async function createSession(path: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path, onnxSessionOptions());
}

/** The hand-written floor; `lastBatch` exposes the frame's batch and outputs for the raw run and the replay host. */
export interface HandWrittenPool extends W4Pool {
  readonly lastBatch: { count: number; input: Float32Array; scores: Float32Array | null };
}

export function handWritten(world: CombatWorld, session: ort.InferenceSession, sensorSeed: number): HandWrittenPool {
  const n = world.agentCount;
  const sensors = sensorReadings(n, sensorSeed);
  const actions = new Int32Array(n);
  const aims = new Int32Array(n);
  const attackers = new Int32Array(n);
  const input = new Float32Array(n * FEATURES);
  const [, , , OUT] = W4_DIMS;
  const { health, ammo, medkits, enemyDistance, enemyVisible, weaponCooldown, atWaypoint } = world;
  const lastBatch: HandWrittenPool["lastBatch"] = { count: 0, input, scores: null };
  return {
    name: "hand-written",
    actions,
    aims,
    lastBatch,
    async tickAll(): Promise<void> {
      // Pass 1: every branch but attack decides at once; attackers queue their feature rows.
      let count = 0;
      for (let i = 0; i < n; i++) {
        const lowHealth = health[i] < Decide.lowHealth;
        if (lowHealth && enemyDistance[i] < Decide.nearDistance) actions[i] = Action.Flee;
        else if (lowHealth && medkits[i] > 0) actions[i] = Action.Heal;
        else if (enemyVisible[i] === 1) {
          const at = count * FEATURES;
          writeStateFeatures(world, i, input, at);
          input.set(sensors.subarray(i * SENSORS, (i + 1) * SENSORS), at + STATE_FEATURES);
          attackers[count++] = i;
        } else if (atWaypoint[i] === 0) actions[i] = Action.MoveToWaypoint;
        else actions[i] = Action.AdvanceWaypoint;
      }
      lastBatch.count = count;
      lastBatch.scores = null;
      if (count === 0) return;
      // Pass 2: one batched run, then the weapon choice with each attacker's aim.
      const out = await session.run({ features: new ort.Tensor("float32", input.subarray(0, count * FEATURES), [count, FEATURES]) });
      const scores = out.scores.data as Float32Array;
      lastBatch.scores = scores;
      for (let r = 0; r < count; r++) {
        const i = attackers[r];
        const aim = argmax(scores, r * OUT, OUT);
        aims[i] = aim;
        if (ammo[i] === 0) actions[i] = Action.Reload;
        else if (enemyDistance[i] <= Decide.fireRange && weaponCooldown[i] === 0 && aim < AIM_OFF_TARGET) actions[i] = Action.Fire;
        else actions[i] = Action.Approach;
      }
    },
    async close(): Promise<void> {},
  };
}

/** combat-neural.hpol checked and lowered (its model file written first: the checker reads it). */
export function compileW4(): PolicyIR {
  writeAimModel();
  const result = checkFiles([W4_SPEC]);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !result.program) throw new Error(`combat-neural.hpol: ${errors.map((d) => d.message).join("; ")}`);
  return lower(result.program, result.sources);
}

export async function loadEmitted(ir: PolicyIR): Promise<(options: PoolOptions) => AgentPool> {
  const outDir = join(dirname(W4_SPEC), "out");
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "combat_w4.ts");
  const runtime = relative(outDir, join(dirname(W4_SPEC), "../../src/runtime/index.ts")).split(sep).join("/");
  writeFileSync(file, emitPolicy(ir, { runtimeModule: runtime }).ts);
  const mod = (await import(pathToFileURL(file).href)) as { createPolicyPool: (options: PoolOptions) => AgentPool };
  return mod.createPolicyPool;
}

/** A pool of the spec (interpreted or emitted) fed the way a host with its own arrays feeds it: copied into the
 *  pool's observation columns, the outputs read from its output columns. */
export function hpolPool(name: string, world: CombatWorld, makePool: (options: PoolOptions) => AgentPool, stepMs: number, neural: NeuralHost, sensorSeed: number): W4Pool {
  const n = world.agentCount;
  const pool = makePool({ agents: n, stepMs, neural });
  const state = STATE_FIELDS.map((f) => pool.observationColumn(OBS_FIELD[f]));
  const features = pool.observationColumn("features");
  const action = pool.outputColumn("action");
  const aim = pool.outputColumn("aim");
  const width = STATE_FEATURES + SENSORS;
  // The sensor readings never change: written once, like any observation the host leaves alone.
  const sensors = sensorReadings(n, sensorSeed);
  for (let i = 0; i < n; i++) for (let k = 0; k < SENSORS; k++) features[i * width + STATE_FEATURES + k] = sensors[i * SENSORS + k]!;
  const actions = new Int32Array(n);
  const aims = new Int32Array(n);
  return {
    name,
    actions,
    aims,
    async tickAll(): Promise<void> {
      world.copyInto(state);
      for (let i = 0; i < n; i++) writeStateFeatures(world, i, features, i * width);
      await pool.stepOnce();
      for (let i = 0; i < n; i++) {
        actions[i] = action[i]!;
        aims[i] = aim[i]!;
      }
    },
    close: () => pool.close(),
  };
}

export { createPool, createNeuralHost };
