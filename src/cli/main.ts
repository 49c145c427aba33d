// The `hpol` command line. bin/hpol.mjs calls `main(process.argv.slice(2))` and exits with the returned code:
// 0 clean (warnings allowed), 1 user errors, 2 internal error. Nothing escapes as a stack trace: commander's
// own errors become usage messages and any other exception becomes an HP9001 diagnostic.
import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { renderPretty } from "../compiler/diagnostics/render.ts";
import type { Diagnostic } from "../compiler/diagnostics/diagnostic.ts";
import { processIO, type CliIO } from "./io.ts";
import { ExitCode } from "./exit-codes.ts";
import { debugStack, internalErrorDiagnostic } from "./internal-error.ts";
import type { OutputFormat } from "./commands/check.ts";
import { addSpecOptions, checkOptionsOf, type SpecFlags } from "./spec-options.ts";

function parseSeed(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a non-negative integer");
  return n;
}

function parseCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Builds the command tree; every action stores its exit code in `result.code`. */
function buildProgram(io: CliIO, result: { code: number }): Command {
  const program = new Command("hpol")
    .description("Compiler and runtime for hierarchical agent policies (.hpol specs).")
    .version(packageVersion(), "-V, --version", "print the hpol version")
    .helpOption("-h, --help", "show help")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    })
    .showSuggestionAfterError(true);

  const specCommand = (name: string): Command => addSpecOptions(program.command(name));

  specCommand("check")
    .description("parse and type-check specs; print every diagnostic")
    .argument("<files...>", ".hpol files or directories (searched for .hpol files)")
    .addOption(new Option("--format <format>", "diagnostic output").choices(["pretty", "json"]).default("pretty"))
    .addHelpText(
      "after",
      "\nExit codes: 0 no errors (warnings allowed), 1 errors in the specs, 2 internal error.\n" +
        "--format json prints one JSON document (see docs/diagnostics.md).",
    )
    .action(async (files: string[], opts: { format: OutputFormat } & SpecFlags) => {
      const { runCheck } = await import("./commands/check.ts");
      result.code = runCheck(files, opts.format, io, checkOptionsOf(opts));
    });

  program
    .command("fmt")
    .description("format specs in the canonical layout (comments kept)")
    .argument("<files...>", ".hpol files or directories")
    .addOption(new Option("--check", "list files whose layout would change; exit 1 if any").conflicts("write"))
    .addOption(new Option("--write", "rewrite files in place").conflicts("check"))
    .addHelpText("after", "\nWithout --check or --write the formatted text is printed to stdout.\nFiles with syntax errors are not formatted; their errors are printed (exit 1).")
    .action(async (files: string[], opts: { check?: boolean; write?: boolean }) => {
      const { runFmt } = await import("./commands/fmt.ts");
      result.code = runFmt(files, opts.check ? "check" : opts.write ? "write" : "print", io);
    });

  program
    .command("explain")
    .description("explain a diagnostic code, or list every code")
    .argument("[code]", "a code such as HP2001")
    .option("--list", "list every code with its severity and title")
    .action(async (code: string | undefined, opts: { list?: boolean }) => {
      const { runExplain } = await import("./commands/explain.ts");
      result.code = runExplain(code, opts.list === true, io);
    });

  specCommand("test")
    .description("run the test blocks of specs through the reference runtime")
    .argument("<files...>", ".hpol files or directories")
    .option("--filter <text>", "run only tests whose name contains <text>")
    .option("--seed <n>", "seed of the runtime's random number generator", parseSeed)
    .addHelpText("after", "\nExit codes: 0 every test passed, 1 a test failed or a spec has errors, 2 internal error.")
    .action(async (files: string[], opts: { filter?: string; seed?: number } & SpecFlags) => {
      const { runTestCommand } = await import("./commands/test.ts");
      result.code = await runTestCommand(files, opts, io);
    });

  specCommand("run")
    .description("play a spec's agents in the embedded arena against the scripted bot and print the results")
    .argument("<spec>", "an .hpol file whose observation/output fit the arena contract (docs/arena.md)")
    .option("--env <name>", "environment to run in", "arena")
    .option("--agents <n>", "agents per team", parseCount)
    .option("--episodes <n>", "number of episodes (default 5)", parseCount)
    .option("--seed <n>", "seed of episode 1 (episode k uses seed + k - 1)", parseSeed)
    .option("--seconds <n>", "episode time limit in simulated seconds (default 60)", parseCount)
    .option("--trace <file>", "write the trace of episode 1 as JSON Lines")
    .option("--json", "print the summary as JSON")
    .addHelpText("after", "\nExit codes: 0 the episodes ran, 1 the spec has errors or does not fit the arena, 2 internal error.")
    .action(async (spec: string, opts: { env: string; agents?: number; episodes?: number; seed?: number; seconds?: number; trace?: string; json?: boolean } & SpecFlags) => {
      const { runRunCommand } = await import("./commands/run.ts");
      result.code = await runRunCommand(spec, { ...opts, progress: io.progress }, io);
    });

  specCommand("build")
    .description("compile a spec to a TypeScript module, its JavaScript and .d.ts, and the policy IR")
    .argument("<spec>", "an .hpol file")
    .requiredOption("-o, --out <dir>", "output directory (created when missing)")
    .option("--runtime-module <specifier>", "module the generated code imports the runtime from", "hpol")
    .addHelpText("after", "\nExit codes: 0 built, 1 the spec has errors or the output cannot be written, 2 internal error.")
    .action(async (spec: string, opts: { out: string; runtimeModule: string } & SpecFlags) => {
      const { runBuildCommand } = await import("./commands/build.ts");
      result.code = runBuildCommand(spec, { ...opts, outDir: opts.out, runtimeModule: opts.runtimeModule }, io);
    });

  specCommand("graph")
    .description("draw a spec's layer trees and its layer diagram (dot, mermaid, svg)")
    .argument("<spec>", "an .hpol file")
    .option("--format <format>", "dot | mermaid | svg (default dot)")
    .option("--what <what>", "tree | layers | all (default all; tree with --layer)")
    .option("--layer <name>", "draw only this planner's or executor's tree")
    .option("-o, --out <file>", "write to <file> instead of standard output")
    .addHelpText(
      "after",
      "\nTrees are drawn as they run, subtree calls inlined and framed; node ids are IR node ids (n12 = node 12).\n" +
        "Exit codes: 0 drawn, 1 the spec has errors or an option is wrong, 2 internal error.",
    )
    .action(async (spec: string, opts: { format?: string; what?: string; layer?: string; out?: string } & SpecFlags) => {
      const { runGraphCommand } = await import("./commands/graph.ts");
      result.code = await runGraphCommand(spec, opts, io);
    });

  return program;
}

function reportInternal(diagnostic: Diagnostic, io: CliIO): void {
  try {
    io.stderr(renderPretty([diagnostic], new Map(), { color: io.color }));
  } catch {
    io.stderr(`error[${diagnostic.code}]: ${diagnostic.message}\n`);
  }
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const result = { code: ExitCode.ok as number };
  try {
    const program = buildProgram(io, result);
    await program.parseAsync(argv, { from: "user" });
    return result.code;
  } catch (error) {
    // --help and --version end through exitOverride with exit code 0; usage errors were already printed.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.userError;
    reportInternal(internalErrorDiagnostic(error, `running \`hpol ${argv.join(" ")}\``), io);
    const stack = debugStack(error);
    if (io.env.HPOL_DEBUG && stack) io.stderr(stack + "\n");
    return ExitCode.internalError;
  }
}
