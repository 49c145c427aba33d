// The W1 "combat" world: N agents, each with its own state of plain numbers, stepped between ticks by a seeded
// simulation. Implementations only read the state and write one action code per agent; the world applies those
// actions and then advances (enemy movement, damage, cooldown, waypoint arrival). Because every implementation
// makes identical decisions, every implementation sees an identical world trajectory for the same seed.
//
// State is laid out as one typed array per field (structure of arrays), the layout a game engine with thousands
// of agents would hand to a decision layer; a peer that wants a blackboard object per agent builds it over this.

import { Xoshiro128 } from "../../src/runtime/rng.ts";
import { Action } from "./actions.ts";
import { Dynamics } from "./thresholds.ts";
import type { ActionCodes } from "./impl.ts";

/** One field of every agent. The world allocates compact typed arrays; a host can move its state into other
 *  storage (relocate), e.g. the observation columns of an hpol pool. */
export type Column = Float64Array | Int32Array | Uint8Array;

/** The per-agent state fields, by name. */
export const STATE_FIELDS = ["health", "ammo", "medkits", "enemyDistance", "enemyVisible", "weaponCooldown", "waypointIndex", "atWaypoint"] as const;
export type StateField = (typeof STATE_FIELDS)[number];

/** The pool's observation field for each world state field in combat.hpol (bench/w4's spec uses the same names). */
export const OBS_FIELD: Record<StateField, string> = {
  health: "health",
  ammo: "ammo",
  medkits: "medkits",
  enemyDistance: "enemy_distance",
  enemyVisible: "enemy_visible",
  weaponCooldown: "weapon_cooldown",
  waypointIndex: "waypoint_index",
  atWaypoint: "at_waypoint",
};

export class CombatWorld {
  readonly agentCount: number;
  health: Column;
  ammo: Column;
  medkits: Column;
  enemyDistance: Column;
  /** 1 when the enemy is visible this tick, else 0. */
  enemyVisible: Column;
  /** Ticks until the weapon can fire again; 0 means ready. */
  weaponCooldown: Column;
  waypointIndex: Column;
  /** 1 when the agent stands at its current waypoint, else 0. */
  atWaypoint: Column;
  /** One random stream per agent, so an agent's world does not depend on how many agents share the pool. */
  private readonly rngs: Xoshiro128[];

  constructor(agentCount: number, seed: number) {
    this.agentCount = agentCount;
    this.health = new Float64Array(agentCount);
    this.ammo = new Int32Array(agentCount);
    this.medkits = new Int32Array(agentCount);
    this.enemyDistance = new Float64Array(agentCount);
    this.enemyVisible = new Uint8Array(agentCount);
    this.weaponCooldown = new Int32Array(agentCount);
    this.waypointIndex = new Int32Array(agentCount);
    this.atWaypoint = new Uint8Array(agentCount);
    this.rngs = [];
    for (let i = 0; i < agentCount; i++) {
      const rng = new Xoshiro128(seed, i);
      this.rngs.push(rng);
      this.health[i] = Dynamics.maxHealth;
      this.ammo[i] = Dynamics.magazineSize;
      this.medkits[i] = Dynamics.startMedkits;
      this.enemyDistance[i] = uniform(rng, Dynamics.minEnemyDistance, Dynamics.maxEnemyDistance);
      this.enemyVisible[i] = this.enemyDistance[i] < Dynamics.sightRange ? 1 : 0;
      this.waypointIndex[i] = i % Dynamics.waypointCount;
      this.atWaypoint[i] = 0;
    }
  }

  /** Moves every state field into storage the host provides (one array of agentCount numbers per field); the
   *  world reads and writes there from then on. */
  relocate(storage: (field: StateField) => Column): void {
    for (const f of STATE_FIELDS) {
      const to = storage(f);
      to.set(this[f]);
      this[f] = to;
    }
  }

  /** Copies every state field into the host's storage: `into[k]` receives field STATE_FIELDS[k]. */
  copyInto(into: readonly Column[]): void {
    for (let k = 0; k < STATE_FIELDS.length; k++) into[k]!.set(this[STATE_FIELDS[k]!]);
  }

  /** Applies each agent's decided action, then advances the world one tick. */
  advance(actions: ActionCodes): void {
    for (let i = 0; i < this.agentCount; i++) {
      this.applyAction(i, actions[i]);
      this.stepAgent(i);
    }
  }

  private applyAction(i: number, action: number): void {
    const rng = this.rngs[i];
    switch (action) {
      case Action.Flee:
        this.enemyDistance[i] = Math.min(Dynamics.maxEnemyDistance, this.enemyDistance[i] + Dynamics.fleeSpeed);
        break;
      case Action.Heal:
        this.medkits[i] -= 1;
        this.health[i] = Math.min(Dynamics.maxHealth, this.health[i] + Dynamics.healAmount);
        break;
      case Action.Reload:
        this.ammo[i] = Dynamics.magazineSize;
        break;
      case Action.Fire:
        this.ammo[i] -= 1;
        this.weaponCooldown[i] = Dynamics.weaponCooldownTicks;
        if (rng.next() < Dynamics.shotKillChance) {
          this.enemyDistance[i] = uniform(rng, Dynamics.respawnMinDistance, Dynamics.respawnMaxDistance);
        }
        break;
      case Action.Approach:
        this.enemyDistance[i] = Math.max(Dynamics.minEnemyDistance, this.enemyDistance[i] - Dynamics.approachSpeed);
        break;
      case Action.MoveToWaypoint:
        if (rng.next() < Dynamics.arrivalChance) this.atWaypoint[i] = 1;
        break;
      case Action.AdvanceWaypoint:
        this.waypointIndex[i] = (this.waypointIndex[i] + 1) % Dynamics.waypointCount;
        this.atWaypoint[i] = 0;
        break;
      default:
        // Idle (or an unknown code, which the checksum will expose): the world moves on without the agent.
        break;
    }
  }

  private stepAgent(i: number): void {
    const rng = this.rngs[i];
    const jitter = (rng.next() * 2 - 1) * Dynamics.enemyJitter;
    const distance = clamp(this.enemyDistance[i] - Dynamics.enemyAdvance + jitter, Dynamics.minEnemyDistance, Dynamics.maxEnemyDistance);
    this.enemyDistance[i] = distance;
    const visible = distance < Dynamics.sightRange && rng.next() < Dynamics.sightChance;
    this.enemyVisible[i] = visible ? 1 : 0;
    if (visible && rng.next() < Dynamics.enemyHitChance) {
      this.health[i] -= Dynamics.enemyDamage;
      if (this.health[i] <= 0) this.respawn(i, rng);
    }
    if (this.weaponCooldown[i] > 0) this.weaponCooldown[i] -= 1;
    if (this.medkits[i] < Dynamics.maxMedkits && rng.next() < Dynamics.medkitPickupChance) this.medkits[i] += 1;
  }

  private respawn(i: number, rng: Xoshiro128): void {
    this.health[i] = Dynamics.maxHealth;
    this.ammo[i] = Dynamics.magazineSize;
    this.medkits[i] = Dynamics.startMedkits;
    this.weaponCooldown[i] = 0;
    this.enemyDistance[i] = uniform(rng, Dynamics.respawnMinDistance, Dynamics.respawnMaxDistance);
    this.enemyVisible[i] = 0;
  }
}

function uniform(rng: Xoshiro128, lo: number, hi: number): number {
  return lo + rng.next() * (hi - lo);
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
