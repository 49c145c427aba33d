// The W1 "combat" tree through the interpreter makes exactly the decisions of the same logic written by hand,
// over thousands of ticks of a seeded world, for many agents at once; and a pool's agents are independent.
import { describe, expect, it } from "vitest";
import { IRBuilder, BOOL, FLOAT, INT, check, sel, seq, set } from "./support/builder.ts";
import { createPool, Xoshiro128 } from "../../src/runtime/index.ts";
import type { PolicyIR } from "../../src/runtime/index.ts";

const FLEE = 1, HEAL = 2, RELOAD = 3, FIRE = 4, APPROACH = 5, PATROL = 6, ADVANCE = 7;

function w1(): PolicyIR {
  const b = new IRBuilder("w1");
  const health = b.obs("health", INT);
  const ammo = b.obs("ammo", INT);
  const medkits = b.obs("medkits", INT);
  const dist = b.obs("dist", FLOAT);
  const visible = b.obs("visible", BOOL);
  const cooldown = b.obs("cooldown", FLOAT);
  const atWaypoint = b.obs("atWaypoint", BOOL);
  const action = b.out("action", INT);
  const act = (k: number) => set(b.read(action), b.num(k));
  const lowHealth = () => b.bin("<", b.read(health), b.num(30));
  const root = sel(
    seq(check(b.bin("and", lowHealth(), b.bin("<", b.read(dist), b.num(5.0, FLOAT)))), act(FLEE)),
    seq(check(b.bin("and", lowHealth(), b.bin(">", b.read(medkits), b.num(0)))), act(HEAL)),
    seq(
      check(b.read(visible)),
      sel(
        seq(check(b.bin("==", b.read(ammo), b.num(0))), act(RELOAD)),
        seq(check(b.bin("and", b.bin("<", b.read(dist), b.num(10.0, FLOAT)), b.bin("<=", b.read(cooldown), b.num(0.0, FLOAT)))), act(FIRE)),
        act(APPROACH),
      ),
    ),
    seq(check(b.not(b.read(atWaypoint))), act(PATROL)),
    act(ADVANCE),
  );
  b.executor("Combat", { periodMs: 100, default: root });
  return b.build();
}

interface Npc {
  health: number;
  ammo: number;
  medkits: number;
  dist: number;
  visible: boolean;
  cooldown: number;
  atWaypoint: boolean;
}

function decide(s: Npc): number {
  if (s.health < 30 && s.dist < 5) return FLEE;
  if (s.health < 30 && s.medkits > 0) return HEAL;
  if (s.visible) {
    if (s.ammo === 0) return RELOAD;
    if (s.dist < 10 && s.cooldown <= 0) return FIRE;
    return APPROACH;
  }
  if (!s.atWaypoint) return PATROL;
  return ADVANCE;
}

function worldStep(s: Npc, act: number, rng: Xoshiro128): void {
  s.dist = Math.max(0, Math.round((s.dist + (rng.next() - 0.5) * 6) * 100) / 100);
  s.visible = rng.next() < 0.6;
  if (rng.next() < 0.3) s.health = Math.max(0, s.health - 9);
  if (act === HEAL) {
    s.health = Math.min(100, s.health + 40);
    s.medkits--;
  }
  if (act === RELOAD) s.ammo = 6;
  if (act === FIRE) {
    s.ammo--;
    s.cooldown = 2;
  }
  s.cooldown = Math.max(0, s.cooldown - 1);
  if (act === PATROL) s.atWaypoint = rng.next() < 0.4;
  if (act === ADVANCE) s.atWaypoint = false;
  if (s.health === 0) Object.assign(s, { health: 100, medkits: 2 });
}

function fresh(i: number): Npc {
  return { health: 100 - i, ammo: 6, medkits: 2, dist: 12 + i, visible: false, cooldown: 0, atWaypoint: false };
}

describe("W1 combat tree", () => {
  it("makes the hand-written decisions for 50 agents over 2,000 ticks", () => {
    const agents = 50;
    const pool = createPool(w1(), { agents, stepMs: 100 });
    const action = pool.outputColumn("action");
    const worldA = Array.from({ length: agents }, (_, i) => fresh(i));
    const worldB = Array.from({ length: agents }, (_, i) => fresh(i));
    const rngA = Array.from({ length: agents }, (_, i) => new Xoshiro128(17, i));
    const rngB = Array.from({ length: agents }, (_, i) => new Xoshiro128(17, i));
    const histogram = new Array(8).fill(0);
    let mismatches = 0;
    for (let t = 0; t < 2000; t++) {
      for (let a = 0; a < agents; a++) pool.setObservation(a, { ...worldA[a]! });
      pool.stepSync();
      for (let a = 0; a < agents; a++) {
        const got = action[a]!;
        const want = decide(worldB[a]!);
        if (got !== want) mismatches++;
        histogram[want]++;
        worldStep(worldA[a]!, got, rngA[a]!);
        worldStep(worldB[a]!, want, rngB[a]!);
      }
    }
    expect(pool.drainErrors()).toEqual([]);
    expect(mismatches).toBe(0);
    // Every branch of the tree was exercised.
    expect(histogram.slice(1).every((n) => n > 0)).toBe(true);
  });

  it("an agent behaves the same whatever the pool size", () => {
    const run = (agents: number): number[] => {
      const pool = createPool(w1(), { agents, stepMs: 100 });
      const world = Array.from({ length: agents }, (_, i) => fresh(i));
      const rng = Array.from({ length: agents }, (_, i) => new Xoshiro128(3, i));
      const seen: number[] = [];
      for (let t = 0; t < 300; t++) {
        for (let a = 0; a < agents; a++) pool.setObservation(a, { ...world[a]! });
        pool.stepSync();
        for (let a = 0; a < agents; a++) {
          const act = pool.getOutput(a)["action"] as number;
          if (a === 2) seen.push(act);
          worldStep(world[a]!, act, rng[a]!);
        }
      }
      return seen;
    };
    expect(run(3)).toEqual(run(40));
  });
});
