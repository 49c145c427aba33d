// The floor: the W1 decision logic as plain if/else over the world's arrays, no tree, no allocation.
// Branch order mirrors the tree exactly (flee, heal, attack{reload, fire, approach}, patrol, advance).

import { Action } from "./actions.ts";
import type { W1Impl, W1Pool } from "./impl.ts";
import { Decide } from "./thresholds.ts";
import type { CombatWorld } from "./world.ts";

export function decideCombat(world: CombatWorld, i: number): number {
  const lowHealth = world.health[i] < Decide.lowHealth;
  if (lowHealth && world.enemyDistance[i] < Decide.nearDistance) return Action.Flee;
  if (lowHealth && world.medkits[i] > 0) return Action.Heal;
  if (world.enemyVisible[i] === 1) {
    if (world.ammo[i] === 0) return Action.Reload;
    if (world.enemyDistance[i] <= Decide.fireRange && world.weaponCooldown[i] === 0) return Action.Fire;
    return Action.Approach;
  }
  if (world.atWaypoint[i] === 0) return Action.MoveToWaypoint;
  return Action.AdvanceWaypoint;
}

export const handwrittenW1: W1Impl = {
  name: "hand-written",
  createPool(world: CombatWorld): W1Pool {
    const actions = new Int32Array(world.agentCount);
    return {
      actions,
      tickAll(): void {
        for (let i = 0; i < world.agentCount; i++) actions[i] = decideCombat(world, i);
      },
    };
  },
};
