// The aiming network's input per agent: the eight W1 state fields scaled to [0, 1], then 24 sensor readings that
// stay fixed per agent (seeded). Every W4 implementation builds its rows with these functions, so every one
// feeds the network the same float32 values.
import { Xoshiro128 } from "../../src/runtime/rng.ts";
import { Dynamics } from "../w1/thresholds.ts";
import type { CombatWorld } from "../w1/world.ts";

export const FEATURES = 32;
export const STATE_FEATURES = 8;
export const SENSORS = FEATURES - STATE_FEATURES;
/** An aim (the argmax of the network's 8 scores) at or above this is off target: the agent does not fire. */
export const AIM_OFF_TARGET = 4;

/** Every agent's fixed sensor readings, uniform in [-1, 1): agent a's are at [a * SENSORS, (a + 1) * SENSORS). */
export function sensorReadings(agents: number, seed: number): Float32Array {
  const rng = new Xoshiro128(seed, 0x5e);
  const values = new Float32Array(agents * SENSORS);
  for (let i = 0; i < values.length; i++) values[i] = rng.next() * 2 - 1;
  return values;
}

/** Writes agent i's eight state features at dst[at … at + 7]. */
export function writeStateFeatures(world: CombatWorld, i: number, dst: Float32Array | Float64Array, at: number): void {
  dst[at] = world.health[i] / Dynamics.maxHealth;
  dst[at + 1] = world.ammo[i] / Dynamics.magazineSize;
  dst[at + 2] = world.medkits[i] / Dynamics.maxMedkits;
  dst[at + 3] = world.enemyDistance[i] / Dynamics.maxEnemyDistance;
  dst[at + 4] = world.enemyVisible[i];
  dst[at + 5] = world.weaponCooldown[i] / Dynamics.weaponCooldownTicks;
  dst[at + 6] = world.waypointIndex[i] / (Dynamics.waypointCount - 1);
  dst[at + 7] = world.atWaypoint[i];
}
