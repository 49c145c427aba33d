// Every number of the W1 "combat" workload, in one place: the decision thresholds every implementation's tree
// reads, and the world dynamics the shared world step uses. Changing one changes every implementation at once,
// so their decisions stay identical by construction.

/** Decision thresholds (read by the trees). */
export const Decide = {
  /** health strictly below this is "low health" (flee / heal branches). */
  lowHealth: 35,
  /** enemy distance strictly below this is "enemy near" (flee branch). */
  nearDistance: 6,
  /** enemy distance at most this is "in range" (fire branch). */
  fireRange: 18,
} as const;

/** World dynamics (read only by the world step). */
export const Dynamics = {
  maxHealth: 100,
  magazineSize: 6,
  startMedkits: 2,
  maxMedkits: 3,
  /** Ticks a fired weapon needs before it can fire again. */
  weaponCooldownTicks: 3,
  healAmount: 40,
  fleeSpeed: 3,
  approachSpeed: 2,
  /** Per tick the enemy closes in by `enemyAdvance` plus a random step uniform in [-jitter, +jitter]. */
  enemyAdvance: 0.5,
  enemyJitter: 1.5,
  minEnemyDistance: 1,
  maxEnemyDistance: 40,
  /** The enemy can be seen only within this distance, and then only with `sightChance` per tick (cover). */
  sightRange: 25,
  sightChance: 0.85,
  /** Chance per tick that a visible enemy hits the agent, and the damage it deals. */
  enemyHitChance: 0.2,
  enemyDamage: 9,
  /** Chance that a shot defeats the enemy; a defeated enemy reappears far away. */
  shotKillChance: 0.25,
  respawnMinDistance: 25,
  respawnMaxDistance: 40,
  /** Chance per tick that a moving agent reaches its waypoint. */
  arrivalChance: 0.3,
  waypointCount: 4,
  /** Chance per tick of picking up a medkit. */
  medkitPickupChance: 0.02,
} as const;
