// The options every command that compiles a spec shares: resource limits (`--limit name=value`, repeatable;
// names and defaults in src/runtime/limits.ts) and where model files may be (`--project-root DIR`,
// `--allow-model-path DIR`, repeatable). The same directories confine the runtime's neural host.
import { dirname, resolve } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { LIMIT_NAMES, parseLimitSetting, type Limits } from "../runtime/limits.ts";
import type { CheckFilesOptions } from "../compiler/program.ts";

export interface SpecFlags {
  readonly limit?: Partial<Record<keyof Limits, number>>;
  readonly allowModelPath?: readonly string[];
  readonly projectRoot?: string;
}

function collectLimit(text: string, previous: Partial<Record<keyof Limits, number>> = {}): Partial<Record<keyof Limits, number>> {
  const parsed = parseLimitSetting(text);
  if ("error" in parsed) throw new InvalidArgumentError(parsed.error);
  return { ...previous, [parsed.name]: parsed.value };
}

function collectDir(dir: string, previous: readonly string[] = []): string[] {
  return [...previous, dir];
}

export function addSpecOptions(command: Command): Command {
  return command
    .option("--limit <name=value>", `raise or lower a resource limit (repeatable; names: ${LIMIT_NAMES.join(", ")})`, collectLimit)
    .option("--project-root <dir>", "directory imports and model files must stay inside (default: the spec's directory)")
    .option("--allow-model-path <dir>", "also allow model files inside <dir> (repeatable)", collectDir);
}

export function checkOptionsOf(flags: SpecFlags): CheckFilesOptions {
  return {
    ...(flags.limit ? { limits: flags.limit } : {}),
    ...(flags.projectRoot !== undefined ? { projectRoot: flags.projectRoot } : {}),
    ...(flags.allowModelPath ? { allowModelPaths: flags.allowModelPath } : {}),
  };
}

/** The directories the runtime may open model files in for `spec` (the compiler's rule, see checkFiles). */
export function modelRootsOf(spec: string, flags: SpecFlags): string[] {
  return [resolve(flags.projectRoot ?? dirname(resolve(spec))), ...(flags.allowModelPath ?? []).map((d) => resolve(d))];
}
