// `hpol build <spec> -o <dir>`: compile a spec into the files a host project imports — the TypeScript module
// (<name>.ts), its JavaScript (<name>.js) and declarations (<name>.d.ts), and the policy IR (<name>.ir.json).
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { transformSync } from "esbuild";
import { emitPolicy } from "../../compiler/emit/emit.ts";
import { irJson } from "../../compiler/emit/embed-ir.ts";
import type { CliIO } from "../io.ts";
import { ExitCode } from "../exit-codes.ts";
import { compileSpec } from "../compile-spec.ts";
import { checkOptionsOf, type SpecFlags } from "../spec-options.ts";

export interface BuildCommandOptions extends SpecFlags {
  readonly outDir: string;
  /** Module specifier the emitted code imports the runtime from (default "hpol"). */
  readonly runtimeModule?: string;
}

export interface BuildOutput {
  readonly files: readonly string[];
  readonly timings: Readonly<Record<string, number>>;
}

export function runBuildCommand(file: string, options: BuildCommandOptions, io: CliIO): number {
  const t0 = performance.now();
  const compiled = compileSpec(file, io, "built", checkOptionsOf(options));
  if (!compiled.ok) return compiled.exit;
  const t1 = performance.now();
  // Span files relative to the spec's directory: the outputs do not depend on where the build ran.
  const sourceRoot = dirname(file);
  const emitted = emitPolicy(compiled.ir, { sourceRoot, ...(options.runtimeModule ? { runtimeModule: options.runtimeModule } : {}) });
  const t2 = performance.now();
  // The module is self-contained TypeScript, so stripping its types per file gives the same JavaScript as a full
  // build; esbuild does it in a fraction of the TypeScript API's time on large policies. The .ts is the readable
  // artifact (comments name IR ids and .hpol lines); the .js drops indentation and comments, about half its size
  // for large policies, and keeps only the header line. Runtime errors map to .hpol spans through the IR.
  const header = emitted.ts.slice(0, emitted.ts.indexOf("\n"));
  const js = transformSync(emitted.ts, { loader: "ts", format: "esm", target: "es2022", minifyWhitespace: true, banner: header }).code;
  const t3 = performance.now();
  const name = safeFileName(compiled.ir.name || basename(file, ".hpol"));
  try {
    mkdirSync(options.outDir, { recursive: true });
    const files: [string, string][] = [
      [`${name}.ts`, emitted.ts],
      [`${name}.js`, js],
      [`${name}.d.ts`, emitted.dts],
      [`${name}.ir.json`, `${irJson(compiled.ir, sourceRoot)}\n`],
    ];
    for (const [f, text] of files) writeFileSync(join(options.outDir, f), text, "utf8");
    const t4 = performance.now();
    io.stdout(
      `${file} → ${files.map(([f]) => join(options.outDir, f)).join(", ")}\n` +
        `check+lower ${ms(t1 - t0)}, emit ${ms(t2 - t1)}, transpile ${ms(t3 - t2)}, write ${ms(t4 - t3)}; total ${ms(t4 - t0)}\n`,
    );
  } catch (e) {
    io.stderr(`error: cannot write to ${options.outDir}: ${(e as Error).message}\n`);
    return ExitCode.userError;
  }
  return ExitCode.ok;
}

function ms(x: number): string {
  return `${Math.round(x)} ms`;
}

/** Module names come from the spec; keep only characters that are safe in a file name on every platform. */
function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^\.+/, "_");
  return cleaned.length > 0 ? cleaned.slice(0, 100) : "policy";
}
