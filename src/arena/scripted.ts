// The arena's built-in opponent: a hand-written rule bot, so an hpol policy always has someone to play against.
// Deliberately plain: it retreats to a health pickup when hurt, reloads when empty, shoots what it sees and
// otherwise advances on the last known enemy position.
import type { ArenaController, ArenaObservation, ArenaOutput } from "./arena.ts";

function steer(out: ArenaOutput, from: readonly number[], to: readonly number[]): void {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  const len = Math.hypot(dx, dy);
  out.move[0] = len > 1e-9 ? dx / len : 0;
  out.move[1] = len > 1e-9 ? dy / len : 0;
}

export const scriptedBot: ArenaController = {
  name: "scripted",
  decide(obs: readonly ArenaObservation[], out: ArenaOutput[]): void {
    for (let i = 0; i < obs.length; i++) {
      const o = obs[i];
      const a = out[i];
      a.fire = false;
      a.reload = false;
      a.aim[0] = o.enemy_pos[0];
      a.aim[1] = o.enemy_pos[1];
      if (o.health < 35) {
        steer(a, o.pos, o.health_pickup);
        a.fire = o.enemy_visible && o.ammo > 0;
      } else if (o.ammo === 0) {
        a.reload = true;
        steer(a, o.pos, o.cover_pos);
      } else if (o.enemy_visible) {
        a.fire = o.enemy_dist < 20;
        // Strafe: move sideways relative to the enemy.
        const dx = o.enemy_pos[0] - o.pos[0];
        const dy = o.enemy_pos[1] - o.pos[1];
        const len = Math.hypot(dx, dy) || 1;
        a.move[0] = -dy / len;
        a.move[1] = dx / len;
        if (o.enemy_dist > 15) steer(a, o.pos, o.enemy_pos);
      } else {
        steer(a, o.pos, o.enemy_pos);
      }
    }
  },
};

/** A controller that does nothing: a target dummy for tests. */
export const idleBot: ArenaController = {
  name: "idle",
  decide(_obs, out): void {
    for (const a of out) {
      a.move[0] = 0;
      a.move[1] = 0;
      a.fire = false;
      a.reload = false;
    }
  },
};
