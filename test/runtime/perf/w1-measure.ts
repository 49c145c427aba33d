// Manual measurement (not a test): interpreter vs hand-written time per agent-tick on a W1-shaped tree, and heap
// per agent in a 10,000-agent pool. CPU time (process.cpuUsage) around the decision code only, so a busy shared
// machine disturbs it less than wall time. The benchmark suite (bench/, issue 7) has the official figures.
//   node --expose-gc --import tsx test/runtime/perf/w1-measure.ts [agents=1000] [steps=500]
import { IRBuilder, BOOL, INT, FLOAT, sel, seq, check, set } from "../support/builder.ts";
import { createPool } from "../../../src/runtime/index.ts";

function w1() {
  const b = new IRBuilder("w1");
  const health = b.obs("health", INT), ammo = b.obs("ammo", INT), medkits = b.obs("medkits", INT);
  const dist = b.obs("dist", FLOAT), visible = b.obs("visible", BOOL), cool = b.obs("cool", FLOAT), atWp = b.obs("atWp", BOOL);
  const action = b.out("action", INT);
  const A = (k: number) => set(b.read(action), b.num(k));
  const root = sel(
    seq(check(b.bin("and", b.bin("<", b.read(health), b.num(30)), b.bin("<", b.read(dist), b.num(5.0, FLOAT)))), A(1)),
    seq(check(b.bin("and", b.bin("<", b.read(health), b.num(30)), b.bin(">", b.read(medkits), b.num(0)))), A(2)),
    seq(check(b.read(visible)), sel(
      seq(check(b.bin("==", b.read(ammo), b.num(0))), A(3)),
      seq(check(b.bin("and", b.bin("<", b.read(dist), b.num(10.0, FLOAT)), b.bin("<=", b.read(cool), b.num(0.0, FLOAT)))), A(4)),
      A(5))),
    seq(check(b.not(b.read(atWp))), A(6)),
    A(7),
  );
  b.executor("E", { periodMs: 100, default: root });
  return b.build();
}

const N = Number(process.argv[2] ?? 1000), STEPS = Number(process.argv[3] ?? 500);
const ir = w1();
// world state per agent (hand-written world step shared by both)
const H = new Float64Array(N), AM = new Float64Array(N), MK = new Float64Array(N), D = new Float64Array(N), V = new Uint8Array(N), C = new Float64Array(N), W = new Uint8Array(N);
let seed = 1; const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
function reset() { seed = 1; for (let i = 0; i < N; i++) { H[i] = 100; AM[i] = 5; MK[i] = 2; D[i] = 20; V[i] = 0; C[i] = 0; W[i] = 0; } }
function world(i: number, act: number) {
  D[i] = Math.max(0, D[i]! + (rnd() - 0.5) * 4); V[i] = rnd() < 0.6 ? 1 : 0; if (rnd() < 0.2) H[i] = Math.max(0, H[i]! - 7);
  if (act === 2) { H[i] = Math.min(100, H[i]! + 30); MK[i]!--; } if (act === 3) AM[i] = 5; if (act === 4) { AM[i]!--; C[i] = 3; }
  C[i] = Math.max(0, C[i]! - 1); if (act === 6) W[i] = rnd() < 0.3 ? 1 : 0; if (act === 7) W[i] = 0; if (H[i] === 0) H[i] = 100;
}
function hand(i: number): number {
  if (H[i]! < 30 && D[i]! < 5) return 1; if (H[i]! < 30 && MK[i]! > 0) return 2;
  if (V[i]) { if (AM[i] === 0) return 3; if (D[i]! < 10 && C[i]! <= 0) return 4; return 5; }
  if (!W[i]) return 6; return 7;
}
// hand-written timing
reset(); let sum = 0; const acts = new Int32Array(N);
let t0 = process.hrtime.bigint(); let tickNs = 0n;
for (let s = 0; s < STEPS; s++) { const a = process.cpuUsage(); for (let i = 0; i < N; i++) { acts[i] = hand(i); } tickNs += BigInt(process.cpuUsage(a).user * 1000); for (let i = 0; i < N; i++) { sum += acts[i]!; world(i, acts[i]!); } }
const handNs = Number(tickNs) / (N * STEPS);
const handSum = sum;
// interpreter
reset(); sum = 0;
const pool = createPool(ir, { agents: N, stepMs: 100 });
const off = ["health", "ammo", "medkits", "dist", "visible", "cool", "atWp"].map((f) => pool.slotOf(f)); const outOff = pool.slotOf("action", "out");
const fs = pool.frameStride; const mem = pool.mem; tickNs = 0n;
for (let s = 0; s < STEPS; s++) {
  for (let i = 0; i < N; i++) { const b = i * fs; mem[b + off[0]!] = H[i]!; mem[b + off[1]!] = AM[i]!; mem[b + off[2]!] = MK[i]!; mem[b + off[3]!] = D[i]!; mem[b + off[4]!] = V[i]!; mem[b + off[5]!] = C[i]!; mem[b + off[6]!] = W[i]!; }
  const a = process.cpuUsage(); pool.stepSync(); tickNs += BigInt(process.cpuUsage(a).user * 1000);
  for (let i = 0; i < N; i++) { const act = mem[i * fs + outOff]!; sum += act; world(i, act); }
}
const interpNs = Number(tickNs) / (N * STEPS);
console.log(JSON.stringify({ N, STEPS, handNs: +handNs.toFixed(1), interpNs: +interpNs.toFixed(1), ratio: +(interpNs / handNs).toFixed(2), checksumMatch: sum === handSum }));
// heap per agent
const g = (globalThis as { gc?: () => void }).gc;
if (g) {
  g(); const h0 = process.memoryUsage(); const pools = createPool(ir, { agents: 10000, stepMs: 100 }); pools.stepSync(); g(); const h1 = process.memoryUsage();
  console.log(JSON.stringify({ heapPerAgentBytes: ((h1.heapUsed + h1.arrayBuffers) - (h0.heapUsed + h0.arrayBuffers)) / 10000, frameStride: pools.frameStride }));
}
