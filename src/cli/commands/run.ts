// `hpol run <spec>`: compile a spec and play its agents in the embedded arena against the scripted bot,
// printing one row per episode and a summary (or the summary as JSON with --json).
import { dirname, resolve } from "node:path";
import cliProgress from "cli-progress";
import { runArena, arenaContractProblems, type ArenaRunSummary } from "../../arena/policy-team.ts";
import { DEFAULT_ARENA, type EpisodeResult } from "../../arena/arena.ts";
import { createNeuralHost } from "../../runtime/neural/batching-host.ts";
import { FileSink, formatRuntimeError, type RuntimeError } from "../../runtime/index.ts";
import type { CliIO } from "../io.ts";
import { ExitCode } from "../exit-codes.ts";
import { compileSpec } from "../compile-spec.ts";
import { checkOptionsOf, modelRootsOf, type SpecFlags } from "../spec-options.ts";

export interface RunCommandOptions extends SpecFlags {
  readonly env?: string;
  readonly agents?: number;
  readonly episodes?: number;
  readonly seed?: number;
  readonly seconds?: number;
  readonly trace?: string;
  readonly json?: boolean;
  /** Show a progress bar (default: when stderr is a terminal). */
  readonly progress?: boolean;
}

/** Runtime errors printed in full before the rest are only counted. */
const SHOWN_ERRORS = 5;

export async function runRunCommand(file: string, options: RunCommandOptions, io: CliIO): Promise<number> {
  const env = options.env ?? "arena";
  if (env !== "arena") {
    io.stderr(`error: unknown environment \`${env}\`; the embedded environment is \`arena\` (docs/arena.md)\n`);
    return ExitCode.userError;
  }
  const compiled = compileSpec(file, io, "run", checkOptionsOf(options));
  if (!compiled.ok) return compiled.exit;
  const ir = compiled.ir;
  const problems = arenaContractProblems(ir);
  if (problems.length > 0) {
    io.stderr(`error: ${file} cannot play in the arena (see docs/arena.md):\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
    return ExitCode.userError;
  }
  const episodes = options.episodes ?? 5;
  const teamSize = options.agents ?? DEFAULT_ARENA.teamSize;
  const maxSeconds = options.seconds ?? DEFAULT_ARENA.maxSeconds;
  const seed = options.seed ?? 1;
  const specDir = dirname(resolve(file));
  const framesPerEpisode = Math.ceil(maxSeconds * DEFAULT_ARENA.frameHz);
  const showProgress = options.progress ?? false;
  const bar = showProgress
    ? new cliProgress.SingleBar(
        { format: "{bar} {percentage}% | episode {episode}/{episodes} | {eta_formatted} left", stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(episodes * framesPerEpisode, 0, { episode: 1, episodes });
  const errors: RuntimeError[] = [];
  let sink: FileSink | undefined;
  if (options.trace) {
    try {
      sink = new FileSink(options.trace);
    } catch (e) {
      io.stderr(`error: cannot write the trace to ${options.trace}: ${(e as Error).message}\n`);
      return ExitCode.userError;
    }
  }
  const started = performance.now();
  let summary: ArenaRunSummary;
  try {
    summary = await runArena(ir, {
      episodes,
      seed,
      arena: { teamSize, maxSeconds },
      neural: () => createNeuralHost(ir, specDir, { modelRoots: modelRootsOf(file, options) }),
      ...(sink ? { trace: sink } : {}),
      onError: (e) => {
        if (errors.length < SHOWN_ERRORS) errors.push(e);
      },
      onFrame: (e, frame) => bar?.update(e * framesPerEpisode + frame, { episode: e + 1 }),
      onEpisode: (e) => bar?.update((e + 1) * framesPerEpisode, { episode: Math.min(e + 2, episodes) }),
    });
  } finally {
    bar?.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  if (options.json) {
    io.stdout(`${JSON.stringify({ spec: file, env, seed, teamSize, ...summary, wallSeconds: seconds }, null, 2)}\n`);
  } else {
    io.stdout(renderSummary(file, summary, { seed, teamSize, seconds, trace: options.trace }));
    for (const e of errors) io.stdout(`${formatRuntimeError(e)}\n`);
    if (summary.runtimeErrors > errors.length) io.stdout(`… and ${summary.runtimeErrors - errors.length} more runtime errors\n`);
  }
  return ExitCode.ok;
}

function renderSummary(
  file: string,
  s: ArenaRunSummary,
  o: { seed: number; teamSize: number; seconds: number; trace: string | undefined },
): string {
  const rows: string[][] = [["episode", "result", "time (s)", "kills", "deaths", "damage", "hit rate", "score"]];
  s.episodes.forEach((r: EpisodeResult, i) => {
    const a = r.teams[0];
    rows.push([
      String(i + 1),
      r.winner === "A" ? "win" : r.winner === "B" ? "loss" : "draw",
      r.seconds.toFixed(1),
      String(a.kills),
      String(a.deaths),
      String(a.damageDealt),
      a.shots === 0 ? "-" : `${Math.round((100 * a.hits) / a.shots)}%`,
      String(r.score),
    ]);
  });
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]): string => r.map((cell, c) => (c === 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  const out = [
    `${file}: ${s.episodes.length} episode${s.episodes.length === 1 ? "" : "s"} in the arena, ${o.teamSize} vs ${o.teamSize} against the scripted bot (seed ${o.seed})`,
    "",
    line(rows[0]!),
    ...rows.slice(1).map(line),
    "",
    `wins ${s.wins}, losses ${s.losses}, draws ${s.draws}; mean score ${s.meanScore.toFixed(1)}`,
    `${s.agentTicks} agent-ticks in ${o.seconds.toFixed(2)} s; ${s.runtimeErrors} runtime error${s.runtimeErrors === 1 ? "" : "s"}`,
  ];
  if (o.trace) out.push(`trace of episode 1 written to ${o.trace}`);
  return `${out.join("\n")}\n`;
}
