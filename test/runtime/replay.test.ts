// Determinism (same seed and inputs → byte-identical traces), replay verification, tamper detection and
// crash-safe trace prefixes.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IRBuilder, BOOL, FLOAT, INT, act, check, emit, guardWhile, rsel, seq, set, wait } from "./support/builder.ts";
import { createPool, MemorySink, FileSink, replayTrace, Xoshiro128 } from "../../src/runtime/index.ts";
import type { PolicyIR } from "../../src/runtime/index.ts";

/** A small layered policy that uses randomness, an extern function, an async action, messages and outputs. */
function policy(): PolicyIR {
  const b = new IRBuilder("det");
  const hp = b.obs("hp", int0to100());
  const near = b.obs("near", BOOL);
  const speed = b.out("speed", FLOAT);
  const jitter = b.stateVar("jitter", FLOAT, [0]);
  const noise = b.fn("noise", [FLOAT], FLOAT);
  const strike = b.action("strike", [], { async: true, writes: [speed] });
  const msg = b.message("Intent", [
    { name: "fight", fields: [] },
    { name: "flee", fields: [] },
  ]);
  const planner = b.planner("Mind", {
    periodMs: 300,
    message: msg,
    root: rsel(seq(check(b.bin("<", b.read(hp), b.num(30))), emit(0, 1)), emit(0, 0)),
  });
  b.executor("Body", {
    periodMs: 100,
    follows: planner,
    writes: [speed],
    handlers: [
      { kind: 0, root: seq(set(b.read(jitter), b.call("random", [], FLOAT)), guardWhile(b.read(near), act(strike))) },
      {
        kind: 1,
        root: seq(set(b.read(speed), b.bin("+", b.ext(noise, [b.read(jitter)]), b.num(3))), wait(200)),
      },
    ],
  });
  return b.build();
}
function int0to100() {
  return { k: "int", min: 0, max: 100 } as const;
}

async function record(seed: number, sink: MemorySink | FileSink, steps = 60, agents = 4): Promise<void> {
  const world = new Xoshiro128(99); // the test's own world, independent of the pool's streams
  const pool = createPool(policy(), {
    agents,
    seed,
    stepMs: 100,
    trace: sink,
    externs: {
      noise: (x: number) => Math.round(x * 1000) / 1000,
      strike: (ctx: { phase: string; write: (o: string, v: unknown) => boolean }) => {
        if (ctx.phase === "halt") return undefined;
        ctx.write("speed", 1.5);
        return "running";
      },
    },
  });
  for (let s = 0; s < steps; s++) {
    for (let a = 0; a < agents; a++) pool.setObservation(a, { hp: Math.floor(world.next() * 101), near: world.next() < 0.5 });
    if (s === 25) pool.inject("Mind", "flee", {}, 2);
    pool.stepSync();
  }
  await pool.close();
}

describe("determinism", () => {
  it("the same seed and inputs give byte-identical traces", async () => {
    const a = new MemorySink();
    const b = new MemorySink();
    await record(7, a);
    await record(7, b);
    expect(a.text()).toBe(b.text());
    expect(a.lines.length).toBe(61);
    const c = new MemorySink();
    await record(8, c);
    expect(c.text()).not.toBe(a.text()); // the seed reaches `random()`
  });
});

describe("replay", () => {
  it("verifies a recorded trace", async () => {
    const sink = new MemorySink();
    await record(3, sink);
    const r = await replayTrace(policy(), sink.text());
    expect(r).toEqual({ ok: true, verified: 60 });
  });

  it("reports the first divergent tick of a tampered trace", async () => {
    const sink = new MemorySink();
    await record(3, sink);
    const lines = sink.text().split("\n");
    // Change a recorded output on step 40.
    const rec = JSON.parse(lines[41]!) as { out?: [number, number[]][]; step: number };
    expect(rec.step).toBe(40);
    const tampered = { ...rec, out: [[0, [123]], ...(rec.out ?? [])] };
    lines[41] = JSON.stringify(tampered);
    const r = await replayTrace(policy(), lines.join("\n"));
    expect(r.ok).toBe(false);
    expect(r.verified).toBe(40);
    expect(r.divergence?.tick).toBe(40);
    expect(r.divergence?.key).toBe("out");
    expect(r.error?.code).toBe("HP8050");
  });

  it("detects tampered inputs through their effects", async () => {
    const sink = new MemorySink();
    await record(3, sink);
    const lines = sink.text().split("\n");
    const idx = lines.findIndex((l, i) => i > 10 && l.includes('"ext"'));
    const rec = JSON.parse(lines[idx]!) as { ext: unknown[][] };
    const e = rec.ext.find((x) => typeof x[2] === "number");
    if (e) e[2] = (e[2] as number) + 1;
    else rec.ext[0]![2] = ["failure", []];
    lines[idx] = JSON.stringify(rec);
    const r = await replayTrace(policy(), lines.join("\n"));
    expect(r.ok).toBe(false);
    expect(r.divergence!.tick).toBe(idx - 1);
  });

  it("a file trace cut mid-line (a crash) still replays up to the last complete step", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hpol-trace-"));
    const path = join(dir, "run.jsonl");
    const sink = new FileSink(path);
    await record(5, sink, 30);
    const full = readFileSync(path, "utf8");
    const cut = full.slice(0, full.length - 40); // torn final write
    writeFileSync(path, cut);
    const r = await replayTrace(policy(), readFileSync(path, "utf8"));
    expect(r).toEqual({ ok: true, verified: 29 });
  });

  it("an unreadable trace is HP8051", async () => {
    const r = await replayTrace(policy(), "not a trace\n");
    expect(r.error?.code).toBe("HP8051");
  });
});

describe("traces are self-describing", () => {
  it("records inputs, status changes, messages and outputs in the documented keys", async () => {
    const sink = new MemorySink();
    await record(1, sink, 5);
    const header = JSON.parse(sink.lines[0]!) as Record<string, unknown>;
    expect(header).toEqual({ hpol: "trace", version: 1, policy: "det", agents: 4, stepMs: 100, seed: 1 });
    const first = JSON.parse(sink.lines[1]!) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(expect.arrayContaining(["step", "t", "obs", "status", "msg"]));
    expect((first["obs"] as unknown[]).length).toBe(4);
    void INT;
  });
});
