// Manual W2 measurement of the two hpol rows against the hand-written floor (the suite in bench/workloads has
// the official figures). Timed by CPU time (process.cpuUsage) rather than wall time, so a loaded machine —
// other processes taking the cores — inflates the figures far less; contenders rotate between repetitions and
// the median is reported, with every repetition and the action checksum (equal across decision rows).
// "host copy only" is the copying host's copies in and out without the step: what a host that keeps its own
// arrays pays on top of the zero-copy rows. "hand-written, checked" is the floor with the same observation checks
// an hpol policy makes where it reads, to show what those checks cost on hand-written code.
//   node bin/run-ts.mjs bench/w1/hpol-measure.ts [agents=1000] [frames=400] [repetitions=7]
import { loadavg } from "node:os";
import { CombatWorld } from "./world.ts";
import { handwrittenCheckedW1, handwrittenW1 } from "./handwritten.ts";
import { hostCopyOnlyW1, hpolW1 } from "./hpol.ts";
import type { W1Impl } from "./impl.ts";

const N = Number(process.argv[2] ?? 1000);
const FRAMES = Number(process.argv[3] ?? 400);
const REPS = Number(process.argv[4] ?? 7);
const WARMUP = 50;
const rows: W1Impl[] = [handwrittenW1, handwrittenCheckedW1, ...hpolW1, hostCopyOnlyW1];
const cpuUs = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
// The cost of the two cpuUsage calls around each frame, subtracted per frame.
const c0 = cpuUs();
for (let i = 0; i < 10_000; i++) cpuUs();
const pairUs = (cpuUs() - c0) / 10_000;

const samples = new Map<string, number[]>(rows.map((r) => [r.name, []]));
const checksums = new Map<string, number>();
for (let rep = 0; rep < REPS; rep++) {
  for (let k = 0; k < rows.length; k++) {
    const impl = rows[(k + rep) % rows.length]!;
    const world = new CombatWorld(N, 7);
    const pool = impl.createPool(world);
    // The copy-only row decides nothing; the world follows the floor's decisions so it sees the same states.
    const driver = impl === hostCopyOnlyW1 ? handwrittenW1.createPool(world) : null;
    let us = 0;
    let sum = 0;
    for (let f = 0; f < WARMUP + FRAMES; f++) {
      const t = cpuUs();
      pool.tickAll();
      if (f >= WARMUP) us += cpuUs() - t - pairUs;
      driver?.tickAll();
      const actions = driver ? driver.actions : pool.actions;
      for (let i = 0; i < N; i++) sum = (sum * 31 + actions[i]!) >>> 0;
      world.advance(actions);
    }
    samples.get(impl.name)!.push((us * 1000) / (N * FRAMES));
    checksums.set(impl.name, sum);
  }
}
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const floor = median(samples.get(handwrittenW1.name)!);
console.log(`W2, ${N} agents, ${FRAMES} frames, ${REPS} repetitions; CPU ns per agent-tick; load average ${loadavg()[0]!.toFixed(2)}`);
for (const [name, v] of samples) {
  const m = median(v);
  const all = v.map((x) => x.toFixed(1)).join(" ");
  console.log(`${name.padEnd(18)} ${m.toFixed(1).padStart(7)}  ${(m / floor).toFixed(2).padStart(5)}x   checksum ${checksums.get(name)}   [${all}]`);
}
