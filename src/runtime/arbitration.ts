// Phases 5 and 6 of a step (docs/semantics.md §5): arbiters combine the executors' proposals for an output,
// then shields constrain the final values. Nothing runs after the shields in a step, so nothing writes an
// output past them. All tables are offsets into the agent frame, computed once; nothing allocates per agent.
import type { IRStrategy, IRVar, PolicyIR } from "./ir.ts";
import type { CompiledExprs, EvalEnv } from "./expr-compiler.ts";
import type { TraceRecorder } from "./trace.ts";

export class Arbitration {
  /** Per arbiter: executor id → proposal index (-1 none); frame offsets of each proposal and valid flag. */
  private readonly arbProposal: Int32Array[];
  private readonly arbPropOff: Int32Array[];
  private readonly arbValidOff: Int32Array[];
  /** Last traced winner per agent per arbiter (decisions are traced when they change). */
  private readonly lastWinner: Int32Array;
  /** Clamp bounds, copied out of scratch (sized for the largest output). */
  private readonly staging: Float64Array;

  constructor(
    private readonly ir: PolicyIR,
    private readonly env: EvalEnv,
    private readonly ex: CompiledExprs,
    private readonly size: number,
    private readonly setAgent: (agent: number) => void,
    private readonly recorder: TraceRecorder | null,
  ) {
    this.arbProposal = ir.arbiters.map((arb) => {
      const t = new Int32Array(ir.executors.length).fill(-1);
      arb.proposals.forEach((p, k) => (t[p.executor] = k));
      return t;
    });
    this.arbPropOff = ir.arbiters.map((arb) => Int32Array.from(arb.proposals.map((p) => ir.layout.vars[p.var]!.offset)));
    this.arbValidOff = ir.arbiters.map((arb) => Int32Array.from(arb.proposals.map((p) => ir.layout.vars[p.validVar]!.offset)));
    this.lastWinner = new Int32Array(size * ir.arbiters.length).fill(-3);
    let largest = 1;
    for (const id of ir.layout.output) largest = Math.max(largest, ir.layout.vars[id]!.size);
    this.staging = new Float64Array(largest);
  }

  private get mem(): Float64Array {
    return this.env.mem;
  }

  /** Phase 5 of a step: every arbiter, for every agent. */
  arbitrate(): void {
    const env = this.env;
    const arbs = this.ir.arbiters;
    for (let i = 0; i < arbs.length; i++) {
      const arb = arbs[i]!;
      const out = this.ir.layout.vars[arb.output]!;
      for (let a = 0; a < this.size; a++) {
        this.setAgent(a);
        let mask = 0;
        const validOff = this.arbValidOff[i]!;
        for (let k = 0; k < validOff.length; k++) if (this.mem[env.fb + validOff[k]!] !== 0) mask |= 1 << k;
        const winner = this.decide(i, arb.strategy, mask, out);
        if (winner >= 0) {
          const src = env.fb + this.arbPropOff[i]![winner]!;
          const dst = this.ex.colBase[out.id]! + a * out.size;
          this.mem.copyWithin(dst, src, src + out.size);
        }
        const traced = winner >= 0 ? arb.proposals[winner]!.executor : winner;
        const wi = a * arbs.length + i;
        if (this.lastWinner[wi] !== traced) {
          this.lastWinner[wi] = traced;
          this.recorder?.decision(a, i, traced);
        }
      }
    }
  }

  /** Returns the index of the winning proposal, -1 when no proposal is eligible (the output keeps its value),
   *  or -2 when a blend wrote the output itself. */
  private decide(arbIndex: number, s: IRStrategy, mask: number, out: IRVar): number {
    const arb = this.ir.arbiters[arbIndex]!;
    const env = this.env;
    const propIndex = this.arbProposal[arbIndex]!;
    const propOff = this.arbPropOff[arbIndex]!;
    switch (s.k) {
      case "priority": {
        for (const e of s.executors) {
          const k = propIndex[e]!;
          if (k >= 0 && mask & (1 << k)) return k;
        }
        return -1;
      }
      case "vote": {
        // The value proposed most often wins; ties go to the value proposed first in the listed order.
        let best = -1;
        let bestVotes = 0;
        for (const e of s.executors) {
          const k = propIndex[e]!;
          if (k < 0 || !(mask & (1 << k))) continue;
          let votes = 0;
          for (const f of s.executors) {
            const j = propIndex[f]!;
            if (j >= 0 && mask & (1 << j) && this.sameSlots(env.fb + propOff[k]!, env.fb + propOff[j]!, out.size)) votes++;
          }
          if (votes > bestVotes) {
            best = k;
            bestVotes = votes;
          }
        }
        return best;
      }
      case "utility": {
        let best = -1;
        let bestScore = -Infinity;
        for (const entry of s.entries) {
          const k = propIndex[entry.executor]!;
          if (k < 0 || !(mask & (1 << k))) continue;
          env.valueOff = env.fb + propOff[k]!;
          env.faulted = false;
          const score = this.ex.scalar[entry.expr]!();
          if (env.faulted || Number.isNaN(score)) continue;
          if (best < 0 || score > bestScore) {
            best = k;
            bestScore = score;
          }
        }
        return best;
      }
      case "blend": {
        // Weights are clamped to ≥ 0 (a faulting or NaN weight counts as 0) and normalised over the proposals
        // present; when every weight is 0 the first listed proposal present wins.
        // Outputs live in columns (pool.ts): agent a's value at colBase + a * size.
        const dst = this.ex.colBase[out.id]! + env.agent * out.size;
        let total = 0;
        let any = false;
        let first = -1;
        for (const entry of s.entries) {
          const k = propIndex[entry.executor]!;
          if (k < 0 || !(mask & (1 << k))) continue;
          if (first < 0) first = k;
          env.valueOff = env.fb + propOff[k]!;
          env.faulted = false;
          const w = this.ex.scalar[entry.expr]!();
          if (env.faulted || !(w > 0)) continue;
          if (!any) this.mem.fill(0, dst, dst + out.size);
          any = true;
          total += w;
          const src = env.fb + propOff[k]!;
          for (let j = 0; j < out.size; j++) this.mem[dst + j]! += w * this.mem[src + j]!;
        }
        if (!any) return first;
        for (let j = 0; j < out.size; j++) this.mem[dst + j]! /= total;
        if (out.type.k === "int") for (let j = 0; j < out.size; j++) this.mem[dst + j] = Math.round(this.mem[dst + j]!);
        return -2;
      }
      case "filter": {
        let kept = 0;
        const pred = this.ex.scalar[s.predicate]!;
        for (let k = 0; k < arb.proposals.length; k++) {
          if (!(mask & (1 << k))) continue;
          env.valueOff = env.fb + propOff[k]!;
          env.faulted = false;
          if (pred() !== 0 && !env.faulted) kept |= 1 << k;
        }
        return this.decide(arbIndex, s.then, kept, out);
      }
    }
  }

  private sameSlots(a: number, b: number, n: number): boolean {
    for (let i = 0; i < n; i++) if (this.mem[a + i] !== this.mem[b + i]) return false;
    return true;
  }

  /** Phase 6 of a step: every shield, in declaration order, for every agent. */
  shield(): void {
    const env = this.env;
    const shields = this.ir.shields;
    for (let i = 0; i < shields.length; i++) {
      const sh = shields[i]!;
      const out = this.ir.layout.vars[sh.output]!;
      for (let a = 0; a < this.size; a++) {
        this.setAgent(a);
        const loc = this.ex.colBase[out.id]! + a * out.size;
        env.valueOff = loc;
        env.faulted = false;
        let changed = false;
        if (sh.rule.k === "clamp") {
          // Bounds are copied out of scratch before the second evaluation can reuse it.
          const lo = this.ex.block[sh.rule.min]!();
          const loStep = this.ex.size[sh.rule.min] === 1 ? 0 : 1;
          const bounds = this.staging;
          for (let j = 0; j < out.size; j++) bounds[j] = this.mem[lo + j * loStep]!;
          const hi = this.ex.block[sh.rule.max]!();
          const hiStep = this.ex.size[sh.rule.max] === 1 ? 0 : 1;
          if (env.faulted) continue;
          for (let j = 0; j < out.size; j++) {
            const v = this.mem[loc + j]!;
            const c = Math.min(Math.max(v, bounds[j]!), this.mem[hi + j * hiStep]!);
            if (c !== v || Number.isNaN(v)) {
              this.mem[loc + j] = Number.isNaN(c) ? bounds[j]! : c;
              changed = true;
            }
          }
        } else {
          const deny = this.ex.scalar[sh.rule.when]!() !== 0;
          // A denial check that faults denies: a shield fails safe.
          if (deny || env.faulted) {
            env.faulted = false;
            const src = this.ex.block[sh.rule.fallback]!();
            if (!env.faulted) {
              changed = !this.sameSlots(loc, src, out.size);
              this.mem.copyWithin(loc, src, src + out.size);
            }
          }
        }
        if (changed) this.recorder?.shielded(a, i);
      }
    }
  }
}
