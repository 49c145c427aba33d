// W1 in npm `behaviortree`, written the way its README teaches: Task nodes with a `run(blackboard)` returning
// SUCCESS/FAILURE, composed into Selector/Sequence nodes once; each agent gets its own BehaviorTree instance
// (which keeps the agent's running-node bookkeeping) over the shared node structure and its own blackboard.

import type { Node, BranchNode, BehaviorTree as AgentTree } from "behaviortree";
import { Action } from "../w1/actions.ts";
import type { W1Impl, W1Pool } from "../w1/impl.ts";
import { Decide } from "../w1/thresholds.ts";
import type { CombatWorld } from "../w1/world.ts";
import { loadBehaviortree } from "./load-behaviortree.ts";

const { BehaviorTree, Task, Sequence, Selector, SUCCESS, FAILURE } = loadBehaviortree();

/** The blackboard of one NPC: which agent of the world it is, and where its decision goes. */
interface CombatBlackboard {
  world: CombatWorld;
  index: number;
  actions: Int32Array;
}

type Bb = CombatBlackboard;

function condition(name: string, test: (bb: Bb) => boolean): Node<Bb> {
  return new Task<Bb>({ name, run: (bb) => (test(bb) ? SUCCESS : FAILURE) });
}

function act(name: string, action: number): Node<Bb> {
  return new Task<Bb>({
    name,
    run: (bb) => {
      bb.actions[bb.index] = action;
      return SUCCESS;
    },
  });
}

export function buildCombatTree(): BranchNode<Bb> {
  const isLowHealth = condition("isLowHealth", (bb) => bb.world.health[bb.index] < Decide.lowHealth);
  return new Selector<Bb>({
    nodes: [
      new Sequence<Bb>({
        nodes: [
          isLowHealth,
          condition("isEnemyNear", (bb) => bb.world.enemyDistance[bb.index] < Decide.nearDistance),
          act("flee", Action.Flee),
        ],
      }),
      new Sequence<Bb>({
        nodes: [isLowHealth, condition("hasMedkit", (bb) => bb.world.medkits[bb.index] > 0), act("heal", Action.Heal)],
      }),
      new Sequence<Bb>({
        nodes: [
          condition("isEnemyVisible", (bb) => bb.world.enemyVisible[bb.index] === 1),
          new Selector<Bb>({
            nodes: [
              new Sequence<Bb>({
                nodes: [condition("isOutOfAmmo", (bb) => bb.world.ammo[bb.index] === 0), act("reload", Action.Reload)],
              }),
              new Sequence<Bb>({
                nodes: [
                  condition("isEnemyInRange", (bb) => bb.world.enemyDistance[bb.index] <= Decide.fireRange),
                  condition("isWeaponReady", (bb) => bb.world.weaponCooldown[bb.index] === 0),
                  act("fire", Action.Fire),
                ],
              }),
              act("approach", Action.Approach),
            ],
          }),
        ],
      }),
      new Sequence<Bb>({
        nodes: [
          condition("isAwayFromWaypoint", (bb) => bb.world.atWaypoint[bb.index] === 0),
          act("moveToWaypoint", Action.MoveToWaypoint),
        ],
      }),
      act("advanceWaypoint", Action.AdvanceWaypoint),
    ],
  });
}

export const behaviortreeW1: W1Impl = {
  name: "behaviortree",
  createPool(world: CombatWorld): W1Pool {
    const actions = new Int32Array(world.agentCount);
    const tree = buildCombatTree();
    const agents: AgentTree<Bb>[] = [];
    for (let index = 0; index < world.agentCount; index++) {
      agents.push(new BehaviorTree<Bb>({ tree, blackboard: { world, index, actions } }));
    }
    return {
      actions,
      tickAll(): void {
        for (let i = 0; i < agents.length; i++) agents[i].step();
      },
    };
  },
};
