// Commands that later phases provide (build, run, graph, test). Until their phase lands they are listed in
// --help and say plainly that they are not available, rather than pretending to succeed.
import type { CliIO } from "../io.ts";
import { ExitCode } from "../exit-codes.ts";

export function runUnavailable(command: string, io: CliIO): number {
  io.stderr(`error: \`hpol ${command}\` is not yet available in this version of hpol\n`);
  return ExitCode.userError;
}
