// Untrusted IR: randomly mutated policies either fail loadIR with a coded error or load and run without
// throwing anything but coded errors.
import { describe, expect, it } from "vitest";
import { IRBuilder, BOOL, FLOAT, INT, vec, act, check, emit, guardWhile, par, rsel, seq, set, timeout, wait } from "./support/builder.ts";
import { createPool, HpolRuntimeError, loadIR, Xoshiro128 } from "../../src/runtime/index.ts";
import type { ExternFn, PolicyIR } from "../../src/runtime/index.ts";

function sample(): PolicyIR {
  const b = new IRBuilder("sample");
  const hp = b.obs("hp", { k: "int", min: 0, max: 100 });
  const pos = b.obs("pos", vec(2));
  const speed = b.out("speed", FLOAT);
  const n = b.stateVar("n", INT, [0]);
  const seen = b.condition("seen", [INT]);
  const go = b.action("go", [FLOAT], { async: true, writes: [speed] });
  const msg = b.message("M", [
    { name: "a", fields: [{ name: "k", type: INT }] },
    { name: "b", fields: [] },
  ]);
  b.planner("P", { periodMs: 300, message: msg, root: rsel(seq(check(b.bin("<", b.read(hp), b.num(30))), emit(0, 0, b.num(2))), emit(0, 1)) });
  const e = b.executor("E", { periodMs: 100, follows: 0, writes: [speed] });
  const prop = b.proposal(e, speed);
  b.setDefault(
    e,
    rsel(
      guardWhile(b.ext(seen, [b.read(hp)]), seq(set(b.read(prop.var), b.call("length", [b.read(pos)], FLOAT)), act(go, b.num(1.5, FLOAT)))),
      par(1, 1, timeout(200, wait(100)), set(b.read(n), b.bin("+", b.read(n), b.num(1)))),
    ),
  );
  b.arbiter(speed, { k: "priority", executors: [e] }, [prop]);
  b.shield(speed, { k: "clamp", min: b.num(0.0, FLOAT), max: b.num(3.0, FLOAT) });
  void BOOL;
  return b.build();
}

function mutate(json: unknown, rng: Xoshiro128): unknown {
  const copy = structuredClone(json) as Record<string, unknown>;
  const containers: unknown[] = [];
  const walk = (v: unknown): void => {
    if (v && typeof v === "object") {
      containers.push(v);
      for (const c of Object.values(v)) walk(c);
    }
  };
  walk(copy);
  const edits = 1 + Math.floor(rng.next() * 3);
  for (let i = 0; i < edits; i++) {
    const target = containers[Math.floor(rng.next() * containers.length)] as Record<string, unknown>;
    const keys = Object.keys(target);
    if (keys.length === 0) continue;
    const key = keys[Math.floor(rng.next() * keys.length)]!;
    const v = target[key];
    const r = rng.next();
    if (typeof v === "number") target[key] = r < 0.4 ? v + 1 : r < 0.7 ? v - 1 : r < 0.85 ? 0 : -1;
    else if (typeof v === "string") target[key] = r < 0.5 ? "" : ["read", "const", "sequence", "check", "float", "list", "bool"][Math.floor(rng.next() * 7)]!;
    else if (Array.isArray(v)) {
      if (r < 0.5) v.pop();
      else v.push(v[0]);
    } else if (r < 0.3) delete target[key];
    else target[key] = null;
  }
  return copy;
}

describe("untrusted IR", () => {
  it("2,000 mutated policies: a coded load error, or they load and run without throwing", () => {
    const base = sample();
    const rng = new Xoshiro128(Number(process.env.IRSEED ?? 2024));
    const externs: Record<string, ExternFn> = { seen: () => true, go: () => "running" };
    let loaded = 0;
    for (let i = 0; i < Number(process.env.IRN ?? 2000); i++) {
      const json = mutate(base, rng);
      let ir: PolicyIR;
      try {
        ir = loadIR(json);
      } catch (e) {
        expect(e).toBeInstanceOf(HpolRuntimeError);
        continue;
      }
      loaded++;
      try {
        const pool = createPool(ir, { agents: 2, externs });
        for (let s = 0; s < 5; s++) {
          pool.setObservation(0, { hp: 20, pos: [1, 2] });
          if (pool.isAsync) break;
          pool.stepSync();
        }
      } catch (e) {
        if (!(e instanceof HpolRuntimeError)) {
          throw new Error(`mutation ${i} loaded but crashed: ${(e as Error).stack}\n${JSON.stringify(json).slice(0, 4000)}`);
        }
      }
    }
    expect(loaded).toBeGreaterThan(50);
  });
});
