// W1 in blueshell, written the way its README teaches: Predicate nodes for conditions and SideEffect nodes for
// actions, composed into Selector/Sequence once; the tree is shared and each agent is a BlueshellState object
// (blueshell keeps its per-node bookkeeping inside the state, under `__blueshell`) passed with every event.

import { Predicate, Selector, Sequence, SideEffect } from "blueshell";
import type { BaseNode, BlueshellState } from "blueshell";
import { Action } from "../w1/actions.ts";
import type { W1Impl, W1Pool } from "../w1/impl.ts";
import { Decide } from "../w1/thresholds.ts";
import type { CombatWorld } from "../w1/world.ts";

/** One NPC's blueshell state: which agent of the world it is, and where its decision goes. */
interface CombatState extends BlueshellState {
  world: CombatWorld;
  index: number;
  actions: Int32Array;
}

/** The event sent to the tree once per frame. */
interface TickEvent {
  type: "tick";
}

type Node = BaseNode<CombatState, TickEvent>;

function act(name: string, action: number): Node {
  return new SideEffect<CombatState, TickEvent>(name, (s) => {
    s.actions[s.index] = action;
  });
}

function when(name: string, test: (s: CombatState) => boolean): Node {
  return new Predicate<CombatState, TickEvent>(name, test);
}

export function buildCombatTree(): Node {
  const isLowHealth = (s: CombatState): boolean => s.world.health[s.index] < Decide.lowHealth;
  return new Selector<CombatState, TickEvent>("combat", [
    new Sequence<CombatState, TickEvent>("flee-branch", [
      when("isLowHealth", isLowHealth),
      when("isEnemyNear", (s) => s.world.enemyDistance[s.index] < Decide.nearDistance),
      act("flee", Action.Flee),
    ]),
    new Sequence<CombatState, TickEvent>("heal-branch", [
      when("isLowHealth", isLowHealth),
      when("hasMedkit", (s) => s.world.medkits[s.index] > 0),
      act("heal", Action.Heal),
    ]),
    new Sequence<CombatState, TickEvent>("attack-branch", [
      when("isEnemyVisible", (s) => s.world.enemyVisible[s.index] === 1),
      new Selector<CombatState, TickEvent>("attack", [
        new Sequence<CombatState, TickEvent>("reload-branch", [
          when("isOutOfAmmo", (s) => s.world.ammo[s.index] === 0),
          act("reload", Action.Reload),
        ]),
        new Sequence<CombatState, TickEvent>("fire-branch", [
          when("isEnemyInRange", (s) => s.world.enemyDistance[s.index] <= Decide.fireRange),
          when("isWeaponReady", (s) => s.world.weaponCooldown[s.index] === 0),
          act("fire", Action.Fire),
        ]),
        act("approach", Action.Approach),
      ]),
    ]),
    new Sequence<CombatState, TickEvent>("patrol-branch", [
      when("isAwayFromWaypoint", (s) => s.world.atWaypoint[s.index] === 0),
      act("moveToWaypoint", Action.MoveToWaypoint),
    ]),
    act("advanceWaypoint", Action.AdvanceWaypoint),
  ]);
}

export const blueshellW1: W1Impl = {
  name: "blueshell",
  createPool(world: CombatWorld): W1Pool {
    const actions = new Int32Array(world.agentCount);
    const tree = buildCombatTree();
    const event: TickEvent = { type: "tick" };
    const states: CombatState[] = [];
    for (let index = 0; index < world.agentCount; index++) {
      states.push({ world, index, actions, __blueshell: {} });
    }
    return {
      actions,
      tickAll(): void {
        for (let i = 0; i < states.length; i++) tree.handleEvent(states[i], event);
      },
    };
  },
};
