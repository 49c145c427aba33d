// The embedded default environment: a deterministic 2-D team arena for `hpol run`. Two teams fight on a small
// map with walls (cover and line of sight), limited ammo with reloads, and health/ammo pickups. The arena is a
// consumer of a controller interface, exactly like a user's game: it knows nothing of the compiler.
//
// Determinism: all randomness (hit rolls) comes from one seeded Xoshiro128 stream per episode, and agents are
// processed in index order, so an episode is a pure function of (config, controllers).
import { Xoshiro128 } from "../runtime/rng.ts";
import { lineOfSight, pointInRect, type Rect } from "./geometry.ts";

/** What one agent observes each frame. Field names match the observation record of the arena examples. */
export interface ArenaObservation {
  pos: [number, number];
  health: number;
  ammo: number;
  reloading: boolean;
  enemy_visible: boolean;
  /** Nearest visible enemy, else the last place an enemy was seen by the team, else the map centre. */
  enemy_pos: [number, number];
  enemy_dist: number;
  enemies_visible: number;
  ally_pos: [number, number];
  cover_pos: [number, number];
  in_cover: boolean;
  health_pickup: [number, number];
  ammo_pickup: [number, number];
  time: number;
}

/** What one agent decides each frame. */
export interface ArenaOutput {
  /** Desired direction of travel; its length (capped at 1) scales the speed. */
  move: [number, number];
  /** A point to shoot at: the shot goes to the living enemy nearest that point. */
  aim: [number, number];
  fire: boolean;
  reload: boolean;
}

export interface ArenaController {
  readonly name: string;
  /** Fill `out[i]` from `obs[i]` for every agent of the team. Dead agents' outputs are ignored. */
  decide(obs: readonly ArenaObservation[], out: ArenaOutput[], frame: number): void | Promise<void>;
}

export interface ArenaConfig {
  readonly teamSize: number;
  readonly seed: number;
  /** Episode length limit in simulated seconds. */
  readonly maxSeconds: number;
  readonly frameHz: number;
}

export const DEFAULT_ARENA: ArenaConfig = { teamSize: 3, seed: 1, maxSeconds: 60, frameHz: 30 };

export const ARENA_RULES = {
  width: 40,
  height: 30,
  speed: 5,
  radius: 0.4,
  maxHealth: 100,
  maxAmmo: 12,
  fireCooldown: 0.25,
  reloadSeconds: 1.5,
  damage: 12,
  range: 25,
  /** A shot aimed further than this from every living enemy misses. */
  aimTolerance: 2,
  coverDistance: 1.5,
  pickupRadius: 1,
  pickupRespawn: 8,
  healthPickup: 40,
} as const;

const WALLS: readonly Rect[] = [
  { x0: 12, y0: 6, x1: 14, y1: 12 },
  { x0: 26, y0: 18, x1: 28, y1: 24 },
  { x0: 18, y0: 13, x1: 22, y1: 17 },
  { x0: 6, y0: 20, x1: 10, y1: 22 },
  { x0: 30, y0: 8, x1: 34, y1: 10 },
];

interface Pickup {
  readonly x: number;
  readonly y: number;
  readonly kind: "health" | "ammo";
  respawnAt: number;
}

export interface TeamResult {
  kills: number;
  deaths: number;
  damageDealt: number;
  shots: number;
  hits: number;
  alive: number;
  pickups: number;
}

export interface EpisodeResult {
  readonly winner: "A" | "B" | "draw";
  readonly seconds: number;
  readonly frames: number;
  readonly teams: readonly [TeamResult, TeamResult];
  /** Team A's score: 100 per kill, −50 per death, +1 per damage point, +200 for a win. */
  readonly score: number;
}

interface Agent {
  readonly team: 0 | 1;
  x: number;
  y: number;
  health: number;
  ammo: number;
  cooldown: number;
  reloadLeft: number;
}

function coverPoints(): [number, number][] {
  const points: [number, number][] = [];
  for (const w of WALLS) {
    const cx = (w.x0 + w.x1) / 2;
    const cy = (w.y0 + w.y1) / 2;
    points.push([w.x0 - 1, cy], [w.x1 + 1, cy], [cx, w.y0 - 1], [cx, w.y1 + 1]);
  }
  return points;
}

const COVER_POINTS = coverPoints();

function blankObservation(): ArenaObservation {
  return {
    pos: [0, 0],
    health: 0,
    ammo: 0,
    reloading: false,
    enemy_visible: false,
    enemy_pos: [0, 0],
    enemy_dist: 0,
    enemies_visible: 0,
    ally_pos: [0, 0],
    cover_pos: [0, 0],
    in_cover: false,
    health_pickup: [0, 0],
    ammo_pickup: [0, 0],
    time: 0,
  };
}

export function blankOutput(): ArenaOutput {
  return { move: [0, 0], aim: [0, 0], fire: false, reload: false };
}

export class Arena {
  readonly agents: Agent[] = [];
  readonly results: [TeamResult, TeamResult];
  private readonly pickups: Pickup[];
  private readonly rng: Xoshiro128;
  private readonly lastSeen: [[number, number] | undefined, [number, number] | undefined] = [undefined, undefined];
  readonly observations: [ArenaObservation[], ArenaObservation[]];
  readonly outputs: [ArenaOutput[], ArenaOutput[]];
  frame = 0;

  constructor(readonly config: ArenaConfig = DEFAULT_ARENA) {
    this.rng = new Xoshiro128(config.seed, 0xa2e4a);
    for (let team = 0 as 0 | 1; team < 2; team = (team + 1) as 0 | 1) {
      for (let i = 0; i < config.teamSize; i++) {
        const y = ((i + 1) * ARENA_RULES.height) / (config.teamSize + 1);
        this.agents.push({
          team,
          x: team === 0 ? 2 : ARENA_RULES.width - 2,
          y,
          health: ARENA_RULES.maxHealth,
          ammo: ARENA_RULES.maxAmmo,
          cooldown: 0,
          reloadLeft: 0,
        });
      }
      if (team === 1) break;
    }
    const blankTeam = (): TeamResult => ({ kills: 0, deaths: 0, damageDealt: 0, shots: 0, hits: 0, alive: config.teamSize, pickups: 0 });
    this.results = [blankTeam(), blankTeam()];
    this.pickups = [
      { x: 20, y: 4, kind: "health", respawnAt: 0 },
      { x: 20, y: 26, kind: "health", respawnAt: 0 },
      { x: 4, y: 15, kind: "ammo", respawnAt: 0 },
      { x: 36, y: 15, kind: "ammo", respawnAt: 0 },
    ];
    const team = (): ArenaObservation[] => Array.from({ length: config.teamSize }, blankObservation);
    const outs = (): ArenaOutput[] => Array.from({ length: config.teamSize }, blankOutput);
    this.observations = [team(), team()];
    this.outputs = [outs(), outs()];
  }

  get time(): number {
    return this.frame / this.config.frameHz;
  }

  get done(): boolean {
    return this.results[0].alive === 0 || this.results[1].alive === 0 || this.time >= this.config.maxSeconds;
  }

  private teamAgent(team: number, i: number): Agent {
    return this.agents[team * this.config.teamSize + i];
  }

  /** Refresh both teams' observation records in place. */
  observe(): void {
    for (let team = 0; team < 2; team++) {
      // The team shares sightings: any visible enemy updates the last-seen position.
      for (let i = 0; i < this.config.teamSize; i++) {
        const a = this.teamAgent(team, i);
        const o = this.observations[team][i];
        this.fillObservation(a, o);
        if (a.health > 0 && o.enemy_visible) this.lastSeen[team] = [o.enemy_pos[0], o.enemy_pos[1]];
      }
    }
  }

  private fillObservation(a: Agent, o: ArenaObservation): void {
    o.pos[0] = a.x;
    o.pos[1] = a.y;
    o.health = Math.max(0, a.health);
    o.ammo = a.ammo;
    o.reloading = a.reloadLeft > 0;
    o.time = this.time;
    let best: Agent | undefined;
    let bestD = Infinity;
    let visible = 0;
    let ally: Agent | undefined;
    let allyD = Infinity;
    for (const b of this.agents) {
      if (b === a || b.health <= 0) continue;
      const d = Math.hypot(b.x - a.x, b.y - a.y);
      if (b.team === a.team) {
        if (d < allyD) {
          allyD = d;
          ally = b;
        }
      } else if (lineOfSight(a.x, a.y, b.x, b.y, WALLS)) {
        visible++;
        if (d < bestD) {
          bestD = d;
          best = b;
        }
      }
    }
    o.enemies_visible = visible;
    o.enemy_visible = best !== undefined;
    const seen = this.lastSeen[a.team];
    const ex = best ? best.x : seen ? seen[0] : ARENA_RULES.width / 2;
    const ey = best ? best.y : seen ? seen[1] : ARENA_RULES.height / 2;
    o.enemy_pos[0] = ex;
    o.enemy_pos[1] = ey;
    o.enemy_dist = Math.hypot(ex - a.x, ey - a.y);
    o.ally_pos[0] = ally ? ally.x : a.x;
    o.ally_pos[1] = ally ? ally.y : a.y;
    // Nearest cover point hidden from the threat position.
    let cover: [number, number] = [a.x, a.y];
    let coverD = Infinity;
    for (const p of COVER_POINTS) {
      if (lineOfSight(p[0], p[1], ex, ey, WALLS)) continue;
      const d = Math.hypot(p[0] - a.x, p[1] - a.y);
      if (d < coverD) {
        coverD = d;
        cover = p;
      }
    }
    o.cover_pos[0] = cover[0];
    o.cover_pos[1] = cover[1];
    o.in_cover = WALLS.some((w) => pointInRect(a.x, a.y, w, ARENA_RULES.coverDistance)) && !lineOfSight(a.x, a.y, ex, ey, WALLS);
    this.nearestPickup(a, "health", o.health_pickup);
    this.nearestPickup(a, "ammo", o.ammo_pickup);
  }

  private nearestPickup(a: Agent, kind: Pickup["kind"], into: [number, number]): void {
    let bestD = Infinity;
    for (const p of this.pickups) {
      if (p.kind !== kind || p.respawnAt > this.time) continue;
      const d = Math.hypot(p.x - a.x, p.y - a.y);
      if (d < bestD) {
        bestD = d;
        into[0] = p.x;
        into[1] = p.y;
      }
    }
    if (bestD === Infinity) {
      into[0] = a.x;
      into[1] = a.y;
    }
  }

  /** Apply both teams' outputs and advance the world by one frame. */
  step(): void {
    const dt = 1 / this.config.frameHz;
    const R = ARENA_RULES;
    for (let idx = 0; idx < this.agents.length; idx++) {
      const a = this.agents[idx];
      if (a.health <= 0) continue;
      const out = this.outputs[a.team][idx % this.config.teamSize];
      a.cooldown = Math.max(0, a.cooldown - dt);
      if (a.reloadLeft > 0) {
        a.reloadLeft -= dt;
        if (a.reloadLeft <= 0) {
          a.reloadLeft = 0;
          a.ammo = R.maxAmmo;
        }
      } else if (out.reload && a.ammo < R.maxAmmo) {
        a.reloadLeft = R.reloadSeconds;
      }
      this.move(a, out.move, dt);
      if (out.fire && a.ammo > 0 && a.cooldown === 0 && a.reloadLeft === 0) this.shoot(a, out.aim);
      for (const p of this.pickups) {
        if (p.respawnAt > this.time || Math.hypot(p.x - a.x, p.y - a.y) > R.pickupRadius) continue;
        if (p.kind === "health" && a.health >= R.maxHealth) continue;
        if (p.kind === "ammo" && a.ammo >= R.maxAmmo) continue;
        if (p.kind === "health") a.health = Math.min(R.maxHealth, a.health + R.healthPickup);
        else a.ammo = R.maxAmmo;
        p.respawnAt = this.time + R.pickupRespawn;
        this.results[a.team].pickups++;
      }
    }
    this.frame++;
  }

  private move(a: Agent, dir: readonly number[], dt: number): void {
    const R = ARENA_RULES;
    let dx = Number.isFinite(dir[0]) ? dir[0] : 0;
    let dy = Number.isFinite(dir[1]) ? dir[1] : 0;
    const len = Math.hypot(dx, dy);
    if (len > 1) {
      dx /= len;
      dy /= len;
    }
    // Axis-separated moves slide along walls instead of stopping dead.
    const nx = Math.min(R.width - R.radius, Math.max(R.radius, a.x + dx * R.speed * dt));
    if (!WALLS.some((w) => pointInRect(nx, a.y, w, R.radius))) a.x = nx;
    const ny = Math.min(R.height - R.radius, Math.max(R.radius, a.y + dy * R.speed * dt));
    if (!WALLS.some((w) => pointInRect(a.x, ny, w, R.radius))) a.y = ny;
  }

  private shoot(a: Agent, aim: readonly number[]): void {
    const R = ARENA_RULES;
    a.ammo--;
    a.cooldown = R.fireCooldown;
    const team = this.results[a.team];
    team.shots++;
    let target: Agent | undefined;
    let bestD: number = R.aimTolerance;
    for (const b of this.agents) {
      if (b.team === a.team || b.health <= 0) continue;
      const d = Math.hypot(b.x - aim[0], b.y - aim[1]);
      if (d <= bestD) {
        bestD = d;
        target = b;
      }
    }
    const roll = this.rng.next();
    if (!target) return;
    const dist = Math.hypot(target.x - a.x, target.y - a.y);
    if (dist > R.range || !lineOfSight(a.x, a.y, target.x, target.y, WALLS)) return;
    const covered = WALLS.some((w) => pointInRect(target.x, target.y, w, R.coverDistance));
    const chance = (0.95 - dist / (2 * R.range)) * (covered ? 0.5 : 1);
    if (roll >= chance) return;
    team.hits++;
    const dealt = Math.min(target.health, R.damage);
    target.health -= R.damage;
    team.damageDealt += dealt;
    if (target.health <= 0) {
      team.kills++;
      this.results[target.team].deaths++;
      this.results[target.team].alive--;
    }
  }

  result(): EpisodeResult {
    const [a, b] = this.results;
    const winner = a.alive > 0 && b.alive === 0 ? "A" : b.alive > 0 && a.alive === 0 ? "B" : "draw";
    const score = 100 * a.kills - 50 * a.deaths + a.damageDealt + (winner === "A" ? 200 : 0);
    return { winner, seconds: this.time, frames: this.frame, teams: [{ ...a }, { ...b }], score };
  }
}

/** Run one episode to the end: observe, let both controllers decide, step. */
export async function runEpisode(
  teamA: ArenaController,
  teamB: ArenaController,
  config: ArenaConfig = DEFAULT_ARENA,
  onFrame?: (arena: Arena) => void,
): Promise<EpisodeResult> {
  const arena = new Arena(config);
  await playEpisode(arena, teamA, teamB, onFrame);
  return arena.result();
}

/** Play an arena to its end. */
export async function playEpisode(
  arena: Arena,
  teamA: ArenaController,
  teamB: ArenaController,
  onFrame?: (arena: Arena) => void,
): Promise<void> {
  while (!arena.done) {
    arena.observe();
    await teamA.decide(arena.observations[0], arena.outputs[0], arena.frame);
    await teamB.decide(arena.observations[1], arena.outputs[1], arena.frame);
    arena.step();
    onFrame?.(arena);
  }
}
