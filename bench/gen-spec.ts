// A deterministic, well-typed spec of about N tree nodes for the compile benchmarks (parse, check, lower).
// Everything it uses is declared, calls only go to trees with a higher index (no recursion), and every tree is
// reachable from the executor, so the checker accepts it. A tree node is anything in docs/grammar.ebnf's `Node`.
import { Xoshiro128, type Rng } from "../src/runtime/rng.ts";

const PER_TREE = 50;
/** Trees reached from the executor directly; the others are reached through a chain of calls. */
const CHAIN = 10;

const header = [
  "module generated",
  "observation { hp: float[0, 100], pos: vec2, enemies: list<vec2, 8>, ammo: int[0, 30], alert: bool }",
  "output { speed: float[0, 1], aim: vec2, fire: bool }",
  "message Intent { Go { target: vec2 }, Hold }",
  "state { ticks: int[0, 1000000] = 0 }",
  "extern action shout(volume: float = 1.0)",
];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng.next() * xs.length)];
}
function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng.next() * (hi - lo + 1));
}

const leaves: readonly ((rng: Rng) => string)[] = [
  (r) => `check obs.hp > ${int(r, 0, 99)}.0 and any(e in obs.enemies: distance(e, obs.pos) < ${int(r, 1, 20)}.0)`,
  (r) => `check obs.ammo >= ${int(r, 0, 30)}`,
  () => "set out.speed = clamp(obs.hp / 100.0 * k, 0.0, 1.0)",
  (r) => `set out.aim = obs.pos + [1.0, ${int(r, 0, 9)}.0]`,
  (r) => `set out.fire = obs.alert or obs.ammo > ${int(r, 0, 30)}`,
  () => "set state.n = clamp(state.n + 1, 0, 1000000)",
  () => "do shout()",
  (r) => `do shout(volume: 0.${int(r, 1, 9)})`,
  (r) => `wait ${int(r, 1, 9)}00ms`,
  () => "succeed",
];
const decorators: readonly ((rng: Rng) => string)[] = [
  (r) => `retry(${int(r, 1, 5)})`,
  (r) => `timeout(${int(r, 1, 3)}s)`,
  () => "invert",
  (r) => `cooldown(${int(r, 1, 9)}00ms)`,
  () => "force_success",
  (r) => `repeat(${int(r, 1, 3)})`,
];
const composites = ["sequence", "selector", "reactive sequence", "reactive selector", "parallel(success: 1)"];

/** A subtree of exactly `budget` nodes. */
function subtree(rng: Rng, budget: number, depth: number): string {
  if (budget <= 1) return pick(rng, leaves)(rng);
  if (budget <= 3 || (depth > 1 && rng.next() < 0.2)) return `${pick(rng, decorators)(rng)} ${subtree(rng, budget - 1, depth + 1)}`;
  let rest = budget - 1;
  const parts: string[] = [];
  const n = Math.min(rest, int(rng, 2, 6));
  for (let i = 0; i < n; i++) {
    const share = i === n - 1 ? rest : Math.max(1, Math.floor(rest / (n - i)) + int(rng, -1, 1));
    const size = Math.min(share, rest - (n - 1 - i));
    parts.push(subtree(rng, size, depth + 1));
    rest -= size;
  }
  const indent = "  ".repeat(depth + 2);
  return `${pick(rng, composites)} {\n${parts.map((p) => indent + p).join("\n")}\n${"  ".repeat(depth + 1)}}`;
}

/** About `nodes` tree nodes (rounded to whole trees of 50), the same text for the same (nodes, seed). */
export function generateSpec(nodes: number, seed = 1): string {
  const rng = new Xoshiro128(seed);
  const trees = Math.max(1, Math.round(nodes / PER_TREE));
  const out = [...header];
  for (let t = 0; t < trees; t++) {
    const chained = t + 1 < trees && (t + 1) % CHAIN !== 0;
    // the tree's own root selector and the chain call are 2 of its 50 nodes
    const body = subtree(rng, PER_TREE - (chained ? 2 : 1), 1);
    const tail = chained ? `\n    call t${t + 1}(0.5)` : "";
    out.push(`tree t${t}(k: float[0, 1] = 1.0) {\n  state { n: int[0, 1000000] = 0 }\n  selector {\n    ${body}${tail}\n  }\n}`);
  }
  out.push(
    "planner brain every 500ms emits Intent {\n  selector {\n    sequence { check obs.ammo > 0 emit Go { target: obs.pos } }\n    emit Hold\n  }\n}",
  );
  const entries: string[] = [];
  for (let t = 0; t < trees; t += CHAIN) entries.push(`call t${t}()`);
  out.push(
    `executor legs at 30hz follows brain writes speed, aim, fire {\n  on Go selector { ${entries.join(" ")} set out.fire = true }\n` +
      "  on Hold sequence { set state.ticks = clamp(state.ticks + 1, 0, 1000000) set out.fire = false }\n}",
  );
  return out.join("\n\n") + "\n";
}
