// Plays a policy in the arena: one agent pool per episode, one pool agent per arena agent. This file uses only
// the runtime's public API, as any game embedding a policy would.
import { createPool, type AgentPool, type ExternFn, type NeuralHost, type PolicyIR, type RuntimeError, type TraceSink } from "../runtime/index.ts";
import type { IRType } from "../runtime/ir.ts";
import { Arena, DEFAULT_ARENA, playEpisode, type ArenaConfig, type ArenaController, type ArenaObservation, type ArenaOutput, type EpisodeResult } from "./arena.ts";
import { scriptedBot } from "./scripted.ts";

type Shape = "vec2" | "bool" | "number";

/** The arena's observation and output fields and the value shape each carries. */
const OBSERVATION_FIELDS: Readonly<Record<keyof ArenaObservation, Shape>> = {
  pos: "vec2",
  health: "number",
  ammo: "number",
  reloading: "bool",
  enemy_visible: "bool",
  enemy_pos: "vec2",
  enemy_dist: "number",
  enemies_visible: "number",
  ally_pos: "vec2",
  cover_pos: "vec2",
  in_cover: "bool",
  health_pickup: "vec2",
  ammo_pickup: "vec2",
  time: "number",
};
const OUTPUT_FIELDS: Readonly<Record<keyof ArenaOutput, Shape>> = { move: "vec2", aim: "vec2", fire: "bool", reload: "bool" };

function shapeOf(t: IRType): Shape | undefined {
  if (t.k === "vec" && t.size === 2) return "vec2";
  if (t.k === "bool") return "bool";
  if (t.k === "int" || t.k === "float") return "number";
  return undefined;
}

/**
 * Why a policy cannot play in the arena: observation fields the arena does not provide (or with another shape)
 * and outputs it would ignore. Empty when the policy fits the contract in docs/arena.md.
 */
export function arenaContractProblems(ir: PolicyIR): string[] {
  const problems: string[] = [];
  const check = (ids: readonly number[], contract: Readonly<Record<string, Shape>>, what: string): void => {
    for (const id of ids) {
      const v = ir.layout.vars[id]!;
      const want = contract[v.field];
      const got = shapeOf(v.type);
      if (want === undefined) problems.push(`${what} field \`${v.field}\` is not part of the arena contract (fields: ${Object.keys(contract).join(", ")})`);
      else if (got !== want) problems.push(`${what} field \`${v.field}\` must be ${want === "number" ? "an int or float" : want} in the arena`);
    }
  };
  check(ir.layout.observation, OBSERVATION_FIELDS, "observation");
  check(ir.layout.output, OUTPUT_FIELDS, "output");
  if (ir.layout.output.length === 0) problems.push("the policy declares no outputs, so it cannot act in the arena");
  return problems;
}

export interface PolicyTeamOptions {
  readonly seed: number;
  readonly externs?: Record<string, ExternFn>;
  readonly neural?: NeuralHost;
  readonly trace?: TraceSink;
  readonly onError?: (e: RuntimeError) => void;
}

/** An arena controller backed by an agent pool of the policy. Call `close()` when the episode is over. */
export class PolicyTeam implements ArenaController {
  readonly name: string;
  readonly pool: AgentPool;
  private readonly observed: (keyof ArenaObservation)[];
  private readonly produced: (keyof ArenaOutput)[];
  /** Per produced output: its column in the pool (agent i's value at i * size). */
  private readonly outColumns: Float64Array[];
  private readonly scratch: Record<string, unknown> = {};

  constructor(readonly ir: PolicyIR, config: ArenaConfig, options: PolicyTeamOptions) {
    this.name = ir.name;
    this.pool = createPool(ir, {
      agents: config.teamSize,
      stepMs: 1000 / config.frameHz,
      seed: options.seed,
      ...(options.externs ? { externs: options.externs } : {}),
      ...(options.neural ? { neural: options.neural } : {}),
      ...(options.trace ? { trace: options.trace } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    this.observed = ir.layout.observation.map((id) => ir.layout.vars[id]!.field as keyof ArenaObservation);
    this.produced = ir.layout.output.map((id) => ir.layout.vars[id]!.field as keyof ArenaOutput);
    this.outColumns = this.produced.map((f) => this.pool.outputColumn(f));
  }

  async decide(obs: readonly ArenaObservation[], out: ArenaOutput[]): Promise<void> {
    const pool = this.pool;
    for (let i = 0; i < obs.length; i++) {
      const o = obs[i]!;
      for (const f of this.observed) this.scratch[f] = o[f];
      pool.setObservation(i, this.scratch);
    }
    const pending = pool.stepOnce();
    if (pending) await pending;
    // Outputs are read straight from the pool's output columns: the arena calls this every frame.
    for (let i = 0; i < out.length; i++) {
      const a = out[i]!;
      for (let k = 0; k < this.produced.length; k++) {
        const col = this.outColumns[k]!;
        switch (this.produced[k]!) {
          case "move":
            a.move[0] = col[i * 2]!;
            a.move[1] = col[i * 2 + 1]!;
            break;
          case "aim":
            a.aim[0] = col[i * 2]!;
            a.aim[1] = col[i * 2 + 1]!;
            break;
          case "fire":
            a.fire = col[i] !== 0;
            break;
          case "reload":
            a.reload = col[i] !== 0;
            break;
        }
      }
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export interface ArenaRunOptions {
  readonly episodes: number;
  readonly seed: number;
  readonly arena?: Partial<Omit<ArenaConfig, "seed">>;
  readonly externs?: Record<string, ExternFn>;
  /** A fresh neural host per episode (pools release their host when they close). */
  readonly neural?: () => NeuralHost | undefined;
  readonly trace?: TraceSink;
  readonly opponent?: ArenaController;
  readonly onError?: (e: RuntimeError) => void;
  /** Called after every frame with the frames done so far in this episode. */
  readonly onFrame?: (episode: number, frame: number) => void;
  readonly onEpisode?: (episode: number, result: EpisodeResult) => void;
}

export interface ArenaRunSummary {
  readonly episodes: readonly EpisodeResult[];
  readonly wins: number;
  readonly losses: number;
  readonly draws: number;
  readonly meanScore: number;
  readonly runtimeErrors: number;
  readonly agentTicks: number;
}

/** Play `episodes` episodes of the policy (team A) against the scripted bot; episode e uses seed `seed + e`. */
export async function runArena(ir: PolicyIR, options: ArenaRunOptions): Promise<ArenaRunSummary> {
  const problems = arenaContractProblems(ir);
  if (problems.length > 0) throw new ArenaContractError(problems);
  const episodes: EpisodeResult[] = [];
  let runtimeErrors = 0;
  let agentTicks = 0;
  for (let e = 0; e < options.episodes; e++) {
    const config: ArenaConfig = { ...DEFAULT_ARENA, ...options.arena, seed: options.seed + e };
    const neural = options.neural?.();
    const team = new PolicyTeam(ir, config, {
      seed: options.seed + e,
      ...(options.externs ? { externs: options.externs } : {}),
      ...(neural ? { neural } : {}),
      ...(options.trace && e === 0 ? { trace: options.trace } : {}),
      onError: (err) => {
        runtimeErrors++;
        options.onError?.(err);
      },
    });
    const arena = new Arena(config);
    const opponent = options.opponent ?? scriptedBot;
    try {
      await playEpisode(arena, team, opponent, (a) => {
        agentTicks += config.teamSize;
        options.onFrame?.(e, a.frame);
      });
    } finally {
      await team.close();
    }
    const result = arena.result();
    episodes.push(result);
    options.onEpisode?.(e, result);
  }
  const count = (w: EpisodeResult["winner"]): number => episodes.filter((r) => r.winner === w).length;
  return {
    episodes,
    wins: count("A"),
    losses: count("B"),
    draws: count("draw"),
    meanScore: episodes.reduce((s, r) => s + r.score, 0) / Math.max(1, episodes.length),
    runtimeErrors,
    agentTicks,
  };
}

export class ArenaContractError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the policy does not fit the arena contract (docs/arena.md):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ArenaContractError";
  }
}
