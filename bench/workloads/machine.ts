// The machine a run was measured on, recorded next to its figures.

import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { readFileSync } from "node:fs";

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly memoryGiB: number;
  /** 1-minute load average when the run started: on a shared machine, a high value explains noisy figures. */
  readonly loadAverage: number;
}

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    if (line) return line.split(":")[1].trim();
  } catch {
    // Not Linux: fall back to what os.cpus() reports.
  }
  return cpus()[0]?.model ?? "unknown";
}

export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: availableParallelism(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
  };
}
