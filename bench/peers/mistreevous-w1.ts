// W1 in mistreevous, written the way its README teaches: the tree in MDSL, conditions and actions as methods of
// an agent object, one BehaviourTree instance per agent (mistreevous binds a tree instance to one agent).

import { BehaviourTree, State } from "mistreevous";
import { Action } from "../w1/actions.ts";
import type { W1Impl, W1Pool } from "../w1/impl.ts";
import { Decide } from "../w1/thresholds.ts";
import type { CombatWorld } from "../w1/world.ts";

export const COMBAT_MDSL = `root {
    selector {
        sequence {
            condition [IsLowHealth]
            condition [IsEnemyNear]
            action [Flee]
        }
        sequence {
            condition [IsLowHealth]
            condition [HasMedkit]
            action [Heal]
        }
        sequence {
            condition [IsEnemyVisible]
            selector {
                sequence {
                    condition [IsOutOfAmmo]
                    action [Reload]
                }
                sequence {
                    condition [IsEnemyInRange]
                    condition [IsWeaponReady]
                    action [Fire]
                }
                action [Approach]
            }
        }
        sequence {
            condition [IsAwayFromWaypoint]
            action [MoveToWaypoint]
        }
        action [AdvanceWaypoint]
    }
}`;

/** The NPC as mistreevous sees it: a view of agent `index` of the world, plus the slot its decision goes to. */
class CombatAgent {
  [name: string]: unknown;

  constructor(
    private readonly world: CombatWorld,
    private readonly index: number,
    private readonly actions: Int32Array,
  ) {}

  IsLowHealth(): boolean {
    return this.world.health[this.index] < Decide.lowHealth;
  }
  IsEnemyNear(): boolean {
    return this.world.enemyDistance[this.index] < Decide.nearDistance;
  }
  HasMedkit(): boolean {
    return this.world.medkits[this.index] > 0;
  }
  IsEnemyVisible(): boolean {
    return this.world.enemyVisible[this.index] === 1;
  }
  IsOutOfAmmo(): boolean {
    return this.world.ammo[this.index] === 0;
  }
  IsEnemyInRange(): boolean {
    return this.world.enemyDistance[this.index] <= Decide.fireRange;
  }
  IsWeaponReady(): boolean {
    return this.world.weaponCooldown[this.index] === 0;
  }
  IsAwayFromWaypoint(): boolean {
    return this.world.atWaypoint[this.index] === 0;
  }
  Flee(): State {
    return this.decide(Action.Flee);
  }
  Heal(): State {
    return this.decide(Action.Heal);
  }
  Reload(): State {
    return this.decide(Action.Reload);
  }
  Fire(): State {
    return this.decide(Action.Fire);
  }
  Approach(): State {
    return this.decide(Action.Approach);
  }
  MoveToWaypoint(): State {
    return this.decide(Action.MoveToWaypoint);
  }
  AdvanceWaypoint(): State {
    return this.decide(Action.AdvanceWaypoint);
  }

  private decide(action: number): State {
    this.actions[this.index] = action;
    return State.SUCCEEDED;
  }
}

export const mistreevousW1: W1Impl = {
  name: "mistreevous",
  createPool(world: CombatWorld): W1Pool {
    const actions = new Int32Array(world.agentCount);
    const trees: BehaviourTree[] = [];
    for (let i = 0; i < world.agentCount; i++) {
      trees.push(new BehaviourTree(COMBAT_MDSL, new CombatAgent(world, i, actions)));
    }
    return {
      actions,
      tickAll(): void {
        // Every leaf resolves immediately, so each step finishes the tree; the next step resets it first.
        for (let i = 0; i < trees.length; i++) trees[i].step();
      },
    };
  },
};
