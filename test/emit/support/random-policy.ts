// A seeded generator of random well-typed policies (as IR, built with the runtime tests' IRBuilder): every
// non-infer node kind, scalar expressions of every printed operator and builtin, extern conditions, functions and
// async actions, a planner whose messages drive an executor's handlers, a second executor writing an arbitrated
// output through proposals, a shield, host-raised and edge-triggered events. With `neural`, a share of tree
// positions become infer nodes over the tiny ONNX models of random-models.ts: plain, chunked, refined and
// asynchronous (with and without a timeout), fed by random expressions (Gaussian noise among them) and
// post-processed with argmax, categorical and Gaussian sampling — in executor handlers that messages preempt,
// in default bodies and in the planner.
import { IRBuilder, BOOL, INT, act, infer, vec, check, cooldown, delay, emit, fail, forceFailure, forceSuccess, guardUntil, guardWhile, invert, once, par, race, repeat, retry, rsel, rseq, running, sel, seq, set, succeed, timeout, wait, float, int } from "../../runtime/support/builder.ts";
import type { NodeSpec } from "../../runtime/support/builder.ts";
import { Xoshiro128 } from "../../../src/runtime/index.ts";
import type { IRBuiltin, IRType, PolicyIR } from "../../../src/runtime/index.ts";
import { CHUNK_STEPS, RANDOM_MODELS } from "./random-models.ts";

const FLOAT_T: IRType = { k: "float" };
const MODE: IRType = { k: "enum", name: "Mode", members: ["calm", "alert", "panic"] };

export interface RandomPolicyOptions {
  /** Mix in infer nodes (models named as in RANDOM_MODELS). Without it the generator draws exactly what it
   *  always drew, so seeds keep producing the same policies. */
  readonly neural?: boolean;
}

export function randomPolicy(seed: number, options: RandomPolicyOptions = {}): PolicyIR {
  const rng = new Xoshiro128(seed, 3);
  const pick = (n: number): number => Math.floor(rng.next() * n);
  const chance = (p: number): boolean => rng.next() < p;
  const b = new IRBuilder(`random_${seed}`);

  const flags = [0, 1, 2].map((i) => b.obs(`f${i}`, BOOL));
  const dist = b.obs("dist", float(0, 50));
  const hp = b.obs("hp", int(0, 100));
  const mode = b.obs("mode", MODE);
  const pos = b.obs("pos", { k: "vec", size: 2 });
  const counter = b.stateVar("n", INT, [0]);
  const acc = b.stateVar("acc", FLOAT_T, [1.5]);
  const speed = b.out("speed", FLOAT_T);
  const fire = b.out("fire", BOOL);
  const near = b.condition("near", [FLOAT_T]);
  const score = b.fn("score", [FLOAT_T, BOOL], FLOAT_T);
  const actions = [0, 1, 2].map((i) => b.action(`a${i}`, i === 0 ? [FLOAT_T] : [], { async: i !== 2 }));
  const alarm = b.event("alarm");
  const declare = (m: { name: string; inputs: readonly number[]; outputs: readonly number[] }): number => b.model(m.name, [...m.inputs], [...m.outputs]);
  const models = options.neural
    ? { policy: declare(RANDOM_MODELS.policy), logits: declare(RANDOM_MODELS.logits), chunked: declare(RANDOM_MODELS.chunked), refiner: declare(RANDOM_MODELS.refiner) }
    : null;
  const msg = b.message("Order", [
    { name: "go", fields: [{ name: "v", type: FLOAT_T }] },
    { name: "stop", fields: [] },
  ]);

  // Scalar expressions: a pure core plus occasional extern calls and random draws.
  const floatExpr = (d: number): number => {
    const leaf = (): number => {
      switch (pick(5)) {
        case 0: return b.read(dist);
        case 1: return b.read(acc);
        case 2: return b.expr2("field", FLOAT_T, { object: b.read(pos), offset: pick(2) });
        case 3: return b.num(Math.round((rng.next() * 20 - 10) * 4) / 4, FLOAT_T);
        default: return b.call("float", [b.read(hp)], FLOAT_T);
      }
    };
    if (d >= 3) return leaf();
    switch (pick(12)) {
      case 0: case 1: return b.bin((["+", "-", "*", "/", "%"] as const)[pick(5)]!, floatExpr(d + 1), floatExpr(d + 1), FLOAT_T);
      case 2: return b.neg(floatExpr(d + 1));
      case 3: return b.iff(boolExpr(d + 1), floatExpr(d + 1), floatExpr(d + 1));
      case 4: return b.call((["abs", "sqrt", "floor", "ceil", "round", "sign", "sin", "cos", "exp", "log"] as IRBuiltin[])[pick(10)]!, [floatExpr(d + 1)], FLOAT_T);
      case 5: return b.call((["min", "max", "atan2", "pow"] as IRBuiltin[])[pick(4)]!, [floatExpr(d + 1), floatExpr(d + 1)], FLOAT_T);
      case 6: return b.call(chance(0.5) ? "clamp" : "lerp", [floatExpr(d + 1), floatExpr(d + 1), floatExpr(d + 1)], FLOAT_T);
      case 7: return b.match(b.read(mode), [floatExpr(d + 1), floatExpr(d + 1), floatExpr(d + 1)]);
      case 8: return chance(0.3) ? b.ext(score, [floatExpr(d + 1), boolExpr(d + 1)]) : chance(0.2) ? b.call("random", [], FLOAT_T) : leaf();
      default: return leaf();
    }
  };
  const intExpr = (d: number): number => {
    if (d >= 3) return chance(0.5) ? b.read(hp) : b.read(counter);
    switch (pick(5)) {
      case 0: return b.bin((["+", "-", "*", "/", "%"] as const)[pick(5)]!, intExpr(d + 1), chance(0.3) ? b.num(0) : b.num(1 + pick(7)), INT);
      case 1: return b.call("int", [floatExpr(d + 1)], INT);
      default: return chance(0.5) ? b.read(hp) : b.read(counter);
    }
  };
  const boolExpr = (d: number): number => {
    if (d >= 3) return b.read(flags[pick(3)]!);
    switch (pick(9)) {
      case 0: return b.not(boolExpr(d + 1));
      case 1: return b.bin(chance(0.5) ? "and" : "or", boolExpr(d + 1), boolExpr(d + 1));
      case 2: return b.bin((["<", "<=", ">", ">=", "==", "!="] as const)[pick(6)]!, floatExpr(d + 1), floatExpr(d + 1));
      case 3: return b.bin((["<", ">=", "==", "!="] as const)[pick(4)]!, intExpr(d + 1), intExpr(d + 1));
      case 4: return b.bin("==", b.read(mode), b.konst(MODE, [pick(3)]));
      case 5: return chance(0.4) ? b.ext(near, [floatExpr(d + 1)]) : b.read(flags[pick(3)]!);
      default: return b.read(flags[pick(3)]!);
    }
  };

  let inferNodes = 0;
  const inferNode = (writes: { speed: number; fire: number }): NodeSpec => {
    const M = models!;
    inferNodes++;
    const component = (object: number, offset: number): number => b.expr2("field", FLOAT_T, { object, offset });
    const vector = (n: number): number => b.construct(Array.from({ length: n }, () => floatExpr(1)), vec(n));
    const async = chance(0.3) ? { timeoutMs: chance(0.5) ? null : 100 * (1 + pick(4)) } : null;
    const kind = pick(4);
    const model = [M.policy, M.logits, M.chunked, M.refiner][kind]!;
    const feeds =
      kind === 0 ? [{ input: 0, value: vector(3) }]
      : kind === 1 ? [{ input: 0, value: b.read(pos) }]
      : kind === 2 ? [{ input: 0, value: vector(2) }]
      : [
          { input: 0, value: b.read(pos) },
          // Start refinement from noise, as a few-step diffusion policy does.
          { input: 1, value: chance(0.5) ? b.call("gaussian", [b.konst(vec(4), [0.5, -0.5, 0.25, 0]), b.num(0.3, FLOAT_T)], vec(4)) : vector(4) },
        ];
    const n = infer(model, {
      feeds,
      chunk: kind === 2 ? CHUNK_STEPS : 1,
      refine: kind === 3 ? { times: pick(4), from: 1, to: 0 } : null,
      async,
    });
    // Port reads per write: a chunked model's port is the current step (2 values).
    const width = kind === 1 ? 4 : kind === 3 ? 4 : 2;
    const out = (): number => b.port(n, 0, vec(width));
    const ws: { target: number; value: number }[] = [];
    if (kind === 1) {
      ws.push({ target: b.read(counter), value: b.call(chance(0.5) ? "sample" : "argmax", [out()], INT) });
      if (chance(0.5)) ws.push({ target: b.read(writes.fire), value: b.bin("==", b.call("argmax", [out()], INT), b.num(pick(4))) });
    } else {
      ws.push({ target: b.read(writes.speed), value: b.bin("*", component(out(), pick(width)), b.num(5, FLOAT_T), FLOAT_T) });
      if (chance(0.5)) ws.push({ target: b.read(writes.fire), value: b.bin(">", component(out(), width - 1), b.num(0, FLOAT_T)) });
      if (chance(0.3)) ws.push({ target: b.read(acc), value: b.call("gaussian", [component(out(), 0), b.num(0.5, FLOAT_T)], FLOAT_T) });
    }
    n.spec["writes"] = ws;
    return n;
  };

  const node = (depth: number, writes: { speed: number; fire: number }): NodeSpec => {
    if (models && chance(0.1)) return inferNode(writes);
    const leafOnly = depth >= 4;
    const k = leafOnly ? 20 + pick(9) : pick(29);
    const kids = (): NodeSpec[] => Array.from({ length: 1 + pick(3) }, () => node(depth + 1, writes));
    const child = (): NodeSpec => node(depth + 1, writes);
    switch (k) {
      case 0: return seq(...kids());
      case 1: return sel(...kids());
      case 2: return rseq(...kids());
      case 3: return rsel(...kids());
      case 4: { const c = kids(); return par(1 + pick(c.length), 1 + pick(c.length), ...c); }
      case 5: return race(...kids());
      case 6: return invert(child());
      case 7: return forceSuccess(child());
      case 8: return forceFailure(child());
      case 9: return once(child());
      case 10: return repeat(pick(4), child());
      case 11: return retry(pick(4), child());
      case 12: return timeout(100 * pick(5), child());
      case 13: return delay(100 * pick(3), child());
      case 14: return cooldown(100 * pick(4), child());
      case 15: return guardWhile(boolExpr(1), child());
      case 16: return guardUntil(boolExpr(1), child());
      case 17: case 18: case 19: return seq(check(boolExpr(0)), child());
      case 20: case 21: return check(boolExpr(0));
      case 22: { const i = pick(3); return i === 0 ? act(actions[0]!, floatExpr(1)) : act(actions[i]!); }
      case 23: return set(b.read(counter), b.bin("+", b.read(counter), b.num(1), INT));
      case 24: return set(b.read(acc), floatExpr(0));
      case 25: return chance(0.5) ? set(b.read(writes.speed), floatExpr(1)) : set(b.read(writes.fire), boolExpr(1));
      case 26: return wait(100 * pick(4));
      case 27: return [succeed, fail, running][pick(3)]!();
      default: return act(actions[1 + pick(2)]!);
    }
  };

  // A planner consulting a model (often asynchronously) before it orders the follower to go.
  const plannerModel = models && chance(0.4) ? [inferNode({ speed: acc, fire: b.stateVar("planned", BOOL, [0]) })] : [];
  const plannerRoot = sel(
    seq(check(boolExpr(0)), ...plannerModel, emit(0, 0, floatExpr(1))),
    seq(check(b.read(flags[1]!)), emit(0, 1)),
    succeed(),
  );
  const planner = b.planner("P", { periodMs: 300, events: [alarm], message: msg, root: plannerRoot });
  void planner;
  // The follower writes `aim` directly from its handlers; two body executors write `speed` and `fire` through
  // proposals that arbiters combine.
  const aim = b.out("aim", FLOAT_T);
  const wa = { speed: aim, fire: b.stateVar("armed", BOOL, [0]) };
  b.executor("Follow", {
    periodMs: 100,
    follows: 0,
    writes: [aim],
    handlers: [{ kind: 0, root: node(0, wa) }, ...(chance(0.5) ? [{ kind: 1, root: node(0, wa) }] : [])],
    ...(chance(0.7) ? { default: node(0, wa) } : {}),
  });
  const e1 = b.executor("Left", { periodMs: 100, writes: [speed, fire] });
  const e2 = b.executor("Right", { periodMs: 200, writes: [speed, fire] });
  const p1s = b.proposal(e1, speed);
  const p1f = b.proposal(e1, fire);
  const p2s = b.proposal(e2, speed);
  const p2f = b.proposal(e2, fire);
  b.setDefault(e1, node(0, { speed: p1s.var, fire: p1f.var }));
  const right = node(0, { speed: p2s.var, fire: p2f.var });
  // Every neural policy has at least one infer node.
  b.setDefault(e2, models && inferNodes === 0 ? sel(inferNode({ speed: p2s.var, fire: p2f.var }), right) : right);
  b.arbiter(speed, { k: "priority", executors: [e1, e2] }, [p1s, p2s]);
  b.arbiter(fire, chance(0.5) ? { k: "vote", executors: [e1, e2] } : { k: "priority", executors: [e2, e1] }, [p1f, p2f]);
  if (chance(0.5)) b.shield(speed, { k: "clamp", min: b.num(-5, FLOAT_T), max: b.num(5, FLOAT_T) });
  return b.build();
}
