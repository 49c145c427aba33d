// `hpol graph <spec> [--format dot|mermaid|svg] [--what tree|layers|all] [--layer NAME] [-o file]`: draw a spec's
// layer trees and its layer diagram. Standard output carries only the drawing, so every diagnostic (the spec's
// errors included) goes to standard error.
import { buildGraph, layerNames, type SubtreeDecl } from "../../compiler/graph/build.ts";
import { renderDot } from "../../compiler/graph/dot.ts";
import { renderMermaid } from "../../compiler/graph/mermaid.ts";
import { renderSvg } from "../../compiler/graph/svg.ts";
import { commandCodes } from "../../compiler/diagnostics/codes/command.ts";
import { diag, type Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import { renderPretty } from "../../compiler/diagnostics/render.ts";
import { suggest } from "../../compiler/diagnostics/suggest.ts";
import type { TypedProgram } from "../../compiler/check/typed-program.ts";
import type { CliIO } from "../io.ts";
import { ExitCode, exitCodeFor } from "../exit-codes.ts";
import { compileSpec } from "../compile-spec.ts";
import { checkOptionsOf, type SpecFlags } from "../spec-options.ts";

export const GRAPH_FORMATS = ["dot", "mermaid", "svg"] as const;
export const GRAPH_WHATS = ["tree", "layers", "all"] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export interface GraphCommandOptions extends SpecFlags {
  readonly format?: string;
  readonly what?: string;
  readonly layer?: string;
  readonly out?: string;
}

/** Where option diagnostics point: there is no source span for a command-line argument. */
const COMMAND_LINE = "<command line>";
const NO_SPAN = { start: 0, end: 0 };

export async function runGraphCommand(file: string, options: GraphCommandOptions, io: CliIO): Promise<number> {
  const report = (d: Diagnostic): number => {
    io.stderr(renderPretty([d], new Map(), { color: io.color }) + "\n");
    return exitCodeFor([d]);
  };
  const format = options.format ?? "dot";
  if (!isOneOf(format, GRAPH_FORMATS)) return report(badValue("--format", format, GRAPH_FORMATS));
  const what = options.what ?? (options.layer !== undefined ? "tree" : "all");
  if (!isOneOf(what, GRAPH_WHATS)) return report(badValue("--what", what, GRAPH_WHATS));
  if (options.layer !== undefined && what !== "tree") {
    return report(diag(commandCodes.badOptionValue, COMMAND_LINE, NO_SPAN, { option: "--what", value: what, allowed: "`tree` (or no --what) with --layer" }));
  }

  const compiled = compileSpec(file, { ...io, stdout: io.stderr }, "graphed", checkOptionsOf(options));
  if (!compiled.ok) return compiled.exit;
  const { ir } = compiled;
  if (options.layer !== undefined && !layerNames(ir).includes(options.layer)) {
    const names = layerNames(ir);
    const close = suggest(options.layer, names);
    return report(
      diag(commandCodes.unknownLayer, file, NO_SPAN, { name: options.layer, spec: file }, {
        notes: [names.length > 0 ? `its layers: ${names.join(", ")}` : "it declares no planner or executor"],
        ...(close !== undefined ? { help: `did you mean \`${close}\`?` } : {}),
      }),
    );
  }

  const graph = buildGraph(ir, {
    what,
    ...(options.layer !== undefined ? { layer: options.layer } : {}),
    sources: compiled.sources,
    subtrees: subtreeDecls(compiled.program),
  });
  const text = format === "mermaid" ? renderMermaid(graph) : format === "svg" ? await renderSvg(renderDot(graph)) : renderDot(graph);

  if (options.out === undefined) {
    io.stdout(text);
    return ExitCode.ok;
  }
  try {
    io.writeFile(options.out, text);
  } catch (e) {
    return report(diag(commandCodes.cannotWrite, COMMAND_LINE, NO_SPAN, { path: options.out, reason: (e as Error).message }));
  }
  io.stderr(`${file} → ${options.out} (${graph.nodes.length} nodes, ${graph.edges.length} edges)\n`);
  return ExitCode.ok;
}

/** The spans of every `tree` declaration, so the drawing can frame each inlined call. */
export function subtreeDecls(program: TypedProgram): SubtreeDecl[] {
  return [...program.trees.keys()].map((t) => ({ name: t.name, file: t.file, start: t.decl.span.start, end: t.decl.span.end }));
}

function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

function badValue(option: string, value: string, allowed: readonly string[]): Diagnostic {
  const close = suggest(value, allowed);
  return diag(commandCodes.badOptionValue, COMMAND_LINE, NO_SPAN, { option, value, allowed: allowed.join(", ") }, close !== undefined ? { help: `did you mean \`${close}\`?` } : {});
}
