// The floor: the W1 decision logic as plain if/else over the world's arrays, no tree, no allocation — what a
// programmer would write by hand for this one NPC. Branch order mirrors the tree exactly (flee, heal,
// attack{reload, fire, approach}, patrol, advance).

import { Action } from "./actions.ts";
import type { W1Impl, W1Pool } from "./impl.ts";
import { Decide } from "./thresholds.ts";
import type { CombatWorld } from "./world.ts";


export const handwrittenW1: W1Impl = {
  name: "hand-written",
  createPool(world: CombatWorld): W1Pool {
    const actions = new Int32Array(world.agentCount);
    const { agentCount, health, ammo, medkits, enemyDistance, enemyVisible, weaponCooldown, atWaypoint } = world;
    return {
      actions,
      tickAll(): void {
        for (let i = 0; i < agentCount; i++) {
          const lowHealth = health[i] < Decide.lowHealth;
          let action: number;
          if (lowHealth && enemyDistance[i] < Decide.nearDistance) action = Action.Flee;
          else if (lowHealth && medkits[i] > 0) action = Action.Heal;
          else if (enemyVisible[i] === 1) {
            if (ammo[i] === 0) action = Action.Reload;
            else if (enemyDistance[i] <= Decide.fireRange && weaponCooldown[i] === 0) action = Action.Fire;
            else action = Action.Approach;
          } else if (atWaypoint[i] === 0) action = Action.MoveToWaypoint;
          else action = Action.AdvanceWaypoint;
          actions[i] = action;
        }
      },
    };
  },
};
