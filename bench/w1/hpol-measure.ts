// Manual W1 measurement of the two hpol rows against the hand-written floor (the suite in bench/workloads has
// the official figures): wall time of tickAll per agent-tick, two rounds each, and the action checksum, which
// must be equal across rows.   node bin/run-ts.mjs bench/w1/hpol-measure.ts [agents=1000] [frames=1000]
import { CombatWorld } from "./world.ts";
import { handwrittenW1 } from "./handwritten.ts";
import { hpolW1 } from "./hpol.ts";

const N = Number(process.argv[2] ?? 1000);
const FRAMES = Number(process.argv[3] ?? 1000);
for (const impl of [handwrittenW1, ...hpolW1, handwrittenW1, ...hpolW1]) {
  const world = new CombatWorld(N, 7);
  const pool = impl.createPool(world);
  let sum = 0;
  let ns = 0n;
  for (let f = 0; f < FRAMES; f++) {
    const t = process.hrtime.bigint();
    pool.tickAll();
    ns += process.hrtime.bigint() - t;
    for (let i = 0; i < N; i++) sum = (sum * 31 + pool.actions[i]!) >>> 0;
    world.advance(pool.actions);
  }
  console.log(`${impl.name.padEnd(18)} ${(Number(ns) / (N * FRAMES)).toFixed(1).padStart(7)} ns/agent-tick   checksum ${sum}`);
}
