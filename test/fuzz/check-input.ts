// One fuzz input through the whole front end (parse, resolve, check via checkSource; lower when a program comes
// out), judged against the contract: nothing thrown, every error a coded diagnostic with a span inside its file.
import { readFileSync } from "node:fs";
import { normalize } from "node:path";
import { checkSource, nodeHost, type CompilerHost } from "../../src/compiler/program.ts";
import { lower } from "../../src/compiler/lower/lower.ts";
import type { FuzzInput } from "./generate.ts";

export interface Verdict {
  /** Problems with this input; empty when it held. */
  readonly violations: string[];
  readonly ms: number;
  /** CPU time of the process (user + system) while checking: on a loaded machine, wall time mostly measures the
   *  other processes. */
  readonly cpuMs: number;
  /** True when the checker accepted the input and lowering ran. */
  readonly lowered: boolean;
  readonly errorCount: number;
}

/** Files and model signatures are read once: 100,000 inputs re-reading the examples' imports and ONNX files
 *  would measure the disk, not the compiler. */
export function cachingHost(): CompilerHost {
  const files = new Map<string, string | undefined>();
  const models = new Map<string, ReturnType<NonNullable<CompilerHost["readModel"]>>>();
  return {
    readFile(path) {
      const key = normalize(path);
      if (!files.has(key)) {
        let text: string | undefined;
        try {
          text = readFileSync(key, "utf8");
        } catch {
          text = undefined;
        }
        files.set(key, text);
      }
      return files.get(key);
    },
    readModel(path, backend) {
      const key = `${backend}\u0000${normalize(path)}`;
      if (!models.has(key)) models.set(key, nodeHost.readModel!(path, backend));
      return models.get(key)!;
    },
  };
}

const CODE = /^HP\d{4}$/;

export function checkInput(input: FuzzInput, host: CompilerHost): Verdict {
  const violations: string[] = [];
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let lowered = false;
  let errorCount = 0;
  try {
    const result = checkSource(input.text, input.file, host);
    for (const d of result.diagnostics) {
      if (d.severity === "error") errorCount++;
      if (!CODE.test(d.code)) violations.push(`diagnostic without a code: ${JSON.stringify(d.code)} ${d.message}`);
      if (typeof d.message !== "string" || d.message.length === 0) violations.push(`${d.code}: empty message`);
      const text = normalize(d.file) === normalize(input.file) ? input.text : result.sources.get(d.file);
      if (text === undefined) {
        violations.push(`${d.code}: diagnostic in a file that was never read: ${d.file}`);
        continue;
      }
      const { start, end } = d.span;
      if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length)) {
        violations.push(`${d.code}: span ${start}..${end} outside 0..${text.length} of ${d.file}`);
      }
    }
    if (result.program !== undefined) {
      if (errorCount > 0) violations.push(`a program came out despite ${errorCount} errors`);
      const ir = lower(result.program, result.sources);
      // What the runtime loads is the JSON form: it must survive the round trip.
      JSON.parse(JSON.stringify(ir));
      lowered = true;
    } else if (errorCount === 0) {
      violations.push("no program and no error");
    }
  } catch (e) {
    const err = e as Error;
    violations.push(`exception: ${err?.name ?? "?"}: ${err?.message ?? String(e)}\n${(err?.stack ?? "").split("\n").slice(1, 6).join("\n")}`);
  }
  const cpu = process.cpuUsage(c0);
  return { violations, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, lowered, errorCount };
}
