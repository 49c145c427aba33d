import { describe, expect, it } from "vitest";
import { Action, ACTION_COUNT } from "../../bench/w1/actions.ts";
import { ActionChecksum } from "../../bench/w1/checksum.ts";
import type { W1Impl } from "../../bench/w1/impl.ts";
import { w1Implementations } from "../../bench/w1/implementations.ts";
import { Decide, Dynamics } from "../../bench/w1/thresholds.ts";
import { CombatWorld } from "../../bench/w1/world.ts";

function run(impl: W1Impl, agents: number, ticks: number, seed: number): ActionChecksum {
  const world = new CombatWorld(agents, seed);
  const pool = impl.createPool(world);
  const checksum = new ActionChecksum(ACTION_COUNT);
  for (let t = 0; t < ticks; t++) {
    pool.actions.fill(Action.Idle);
    pool.tickAll();
    checksum.add(pool.actions);
    world.advance(pool.actions);
  }
  return checksum;
}

/** A one-agent world whose state is set by hand, for checking single decisions. */
function worldWith(state: Partial<Record<"health" | "ammo" | "medkits" | "enemyDistance" | "enemyVisible" | "weaponCooldown" | "atWaypoint", number>>): CombatWorld {
  const world = new CombatWorld(1, 1);
  world.health[0] = state.health ?? Dynamics.maxHealth;
  world.ammo[0] = state.ammo ?? Dynamics.magazineSize;
  world.medkits[0] = state.medkits ?? 0;
  world.enemyDistance[0] = state.enemyDistance ?? 30;
  world.enemyVisible[0] = state.enemyVisible ?? 0;
  world.weaponCooldown[0] = state.weaponCooldown ?? 0;
  world.atWaypoint[0] = state.atWaypoint ?? 0;
  return world;
}

const low = Decide.lowHealth - 1;
const decisionCases: Array<[string, Parameters<typeof worldWith>[0], number]> = [
  ["low health and enemy near flees", { health: low, enemyDistance: Decide.nearDistance - 1, medkits: 1 }, Action.Flee],
  ["low health with a medkit heals", { health: low, medkits: 1, enemyVisible: 1, enemyDistance: 10 }, Action.Heal],
  ["low health without a medkit fights", { health: low, medkits: 0, enemyVisible: 1, enemyDistance: 10 }, Action.Fire],
  ["out of ammo reloads", { enemyVisible: 1, ammo: 0, enemyDistance: 10 }, Action.Reload],
  ["in range and ready fires", { enemyVisible: 1, enemyDistance: Decide.fireRange }, Action.Fire],
  ["cooling down approaches", { enemyVisible: 1, enemyDistance: 10, weaponCooldown: 2 }, Action.Approach],
  ["out of range approaches", { enemyVisible: 1, enemyDistance: Decide.fireRange + 1 }, Action.Approach],
  ["near but healthy does not flee", { enemyVisible: 1, enemyDistance: 2 }, Action.Fire],
  ["no enemy, away from waypoint moves", { atWaypoint: 0 }, Action.MoveToWaypoint],
  ["no enemy, at waypoint advances", { atWaypoint: 1 }, Action.AdvanceWaypoint],
];

describe("W1 combat decisions", () => {
  for (const impl of w1Implementations()) {
    describe(impl.name, () => {
      for (const [label, state, expected] of decisionCases) {
        it(label, () => {
          const pool = impl.createPool(worldWith(state));
          pool.tickAll();
          expect(pool.actions[0]).toBe(expected);
        });
      }
    });
  }
});

describe("W1 checksums", () => {
  const agents = 64;
  const ticks = 3000;
  const reference = run(w1Implementations()[0], agents, ticks, 42);

  it("exercises every action of the tree", () => {
    for (let code = 1; code < ACTION_COUNT; code++) expect(reference.histogram[code], `action ${code}`).toBeGreaterThan(0);
    expect(reference.histogram[Action.Idle]).toBe(0);
  });

  it("depends on the seed", () => {
    expect(run(w1Implementations()[0], agents, ticks, 43).value).not.toBe(reference.value);
  });

  for (const impl of w1Implementations().slice(1)) {
    it(`${impl.name} makes the same ${agents * ticks} decisions as the hand-written code`, () => {
      const checksum = run(impl, agents, ticks, 42);
      expect(checksum.histogram).toEqual(reference.histogram);
      expect(checksum.value).toBe(reference.value);
    });
  }
});
