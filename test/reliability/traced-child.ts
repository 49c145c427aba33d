// Child process of crash-trace.test.ts: steps a traced pool forever (until killed) and writes the IR it runs
// next to the trace, so the parent replays exactly what ran. argv: <dir>.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createPool, FileSink, Xoshiro128 } from "../../src/runtime/index.ts";
import { compileSpec } from "./compile.ts";

export const CHILD_SPEC = `module crashy

observation {
  x: float[-1.0, 1.0]
  near: bool
}

output {
  speed: float
  alarm: bool
}

state {
  ticks: float = 0.0
}

extern function noise(x: float) -> float

executor body at 50hz writes speed, alarm {
  selector {
    sequence "near" {
      check obs.near
      set out.speed = noise(obs.x) + gaussian(0.0, 0.1)
      set out.alarm = obs.x > 0.5
    }
    sequence "far" {
      set state.ticks = state.ticks + 1.0
      set out.speed = obs.x * 2.0
      set out.alarm = false
    }
  }
}
`;

const dir = process.argv[2]!;
const ir = compileSpec(CHILD_SPEC, join(dir, "crashy.hpol"));
writeFileSync(join(dir, "ir.json"), JSON.stringify(ir));
const agents = 64;
const pool = createPool(ir, {
  agents,
  seed: 7,
  externs: { noise: (x: unknown) => Math.sin((x as number) * 10) },
  trace: new FileSink(join(dir, "trace.jsonl")),
});
const rng = new Xoshiro128(11);
// Steps never end: the parent kills this process with SIGKILL.
for (;;) {
  for (let a = 0; a < agents; a++) pool.setObservation(a, { x: rng.next() * 2 - 1, near: rng.next() < 0.5 });
  pool.stepSync();
}
