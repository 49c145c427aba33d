import { describe, expect, it } from "vitest";
import { Arena, runEpisode, ARENA_RULES, type ArenaConfig } from "../../src/arena/arena.ts";
import { idleBot, scriptedBot } from "../../src/arena/scripted.ts";
import { lineOfSight, segmentHitsRect } from "../../src/arena/geometry.ts";

const config: ArenaConfig = { teamSize: 3, seed: 7, maxSeconds: 60, frameHz: 30 };

describe("arena geometry", () => {
  it("blocks line of sight through a wall and not past it", () => {
    const wall = { x0: 4, y0: 4, x1: 6, y1: 6 };
    expect(segmentHitsRect(0, 5, 10, 5, wall)).toBe(true);
    expect(segmentHitsRect(0, 7, 10, 7, wall)).toBe(false);
    expect(segmentHitsRect(5, 0, 5, 3, wall)).toBe(false);
    expect(lineOfSight(0, 0, 10, 10, [wall])).toBe(false);
    expect(lineOfSight(0, 0, 10, 0, [wall])).toBe(true);
  });
});

describe("arena episodes", () => {
  it("is deterministic for a seed", async () => {
    const a = await runEpisode(scriptedBot, scriptedBot, config);
    const b = await runEpisode(scriptedBot, scriptedBot, config);
    expect(b).toEqual(a);
    const c = await runEpisode(scriptedBot, scriptedBot, { ...config, seed: 8 });
    expect(c).not.toEqual(a);
  });

  it("lets a fighting team beat a target dummy", async () => {
    const r = await runEpisode(scriptedBot, idleBot, config);
    expect(r.winner).not.toBe("B");
    expect(r.teams[0].kills).toBeGreaterThan(0);
    expect(r.teams[1].deaths).toBe(r.teams[0].kills);
    expect(r.teams[0].deaths).toBe(0);
    expect(r.teams[0].hits).toBeLessThanOrEqual(r.teams[0].shots);
    const winBonus = r.winner === "A" ? 200 : 0;
    expect(r.score).toBe(100 * r.teams[0].kills + r.teams[0].damageDealt + winBonus);
  });

  it("ends at the time limit when nobody fights", async () => {
    const r = await runEpisode(idleBot, idleBot, { ...config, maxSeconds: 2 });
    expect(r.winner).toBe("draw");
    expect(r.frames).toBe(60);
    expect(r.teams[0].shots + r.teams[1].shots).toBe(0);
  });

  it("reloads to full ammo after the reload time and keeps agents inside the map", () => {
    const arena = new Arena(config);
    const agent = arena.agents[0];
    agent.ammo = 0;
    arena.outputs[0][0].reload = true;
    arena.outputs[0][0].move[0] = -1; // walk into the left edge
    const frames = Math.ceil(ARENA_RULES.reloadSeconds * config.frameHz) + 1;
    for (let i = 0; i < frames; i++) arena.step();
    expect(agent.ammo).toBe(ARENA_RULES.maxAmmo);
    expect(agent.x).toBeGreaterThanOrEqual(ARENA_RULES.radius);
  });

  it("observes a visible enemy and its distance", () => {
    const arena = new Arena(config);
    const [me, enemy] = [arena.agents[0], arena.agents[config.teamSize]];
    me.x = 2; me.y = 2; enemy.x = 8; enemy.y = 2;
    arena.observe();
    const o = arena.observations[0][0];
    expect(o.enemy_visible).toBe(true);
    expect(o.enemy_pos).toEqual([8, 2]);
    expect(o.enemy_dist).toBeCloseTo(6);
  });
});
