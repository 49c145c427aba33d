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

/** The floor plus the checks an hpol policy makes where it reads an observation (combat.hpol's declared types:
 *  health and enemy distance in range, ammo, medkits and cooldown integers in range, flags 0 or 1); a value
 *  that fails fails its branch, as HP8021 fails the node. Not a row of the suite: hpol-measure.ts times it to
 *  show what the checks themselves cost on hand-written code. Every value the world produces is valid, so it
 *  decides exactly what the floor decides. */
export const handwrittenCheckedW1: W1Impl = {
  name: "hand-written, checked",
  createPool(world: CombatWorld): W1Pool {
    const actions = new Int32Array(world.agentCount);
    const { agentCount, health, ammo, medkits, enemyDistance, enemyVisible, weaponCooldown, atWaypoint } = world;
    const int = (x: number, hi: number): boolean => x >= 0 && x <= hi && (x | 0) === x;
    const flag = (x: number): boolean => x === 0 || x === 1;
    return {
      actions,
      tickAll(): void {
        for (let i = 0; i < agentCount; i++) {
          const h = health[i]!;
          const lowHealth = h >= 0 && h <= 100 && h < Decide.lowHealth;
          const d = enemyDistance[i]!;
          const dOk = d >= 1 && d <= 40;
          const m = medkits[i]!;
          const v = enemyVisible[i]!;
          let action: number;
          if (lowHealth && dOk && d < Decide.nearDistance) action = Action.Flee;
          else if (lowHealth && int(m, 3) && m > 0) action = Action.Heal;
          else if (flag(v) && v === 1) {
            const a = ammo[i]!;
            const c = weaponCooldown[i]!;
            if (int(a, 6) && a === 0) action = Action.Reload;
            else if (dOk && d <= Decide.fireRange && int(c, 3) && c === 0) action = Action.Fire;
            else action = Action.Approach;
          } else {
            const w = atWaypoint[i]!;
            action = flag(w) && w === 0 ? Action.MoveToWaypoint : Action.AdvanceWaypoint;
          }
          actions[i] = action;
        }
      },
    };
  },
};
