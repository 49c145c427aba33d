// An in-memory CliIO for running `main` in-process.
import type { CliIO } from "../../src/cli/io.ts";
import { readFileSync } from "node:fs";

export interface Captured extends CliIO {
  out: string;
  err: string;
  written: Map<string, string>;
}

export function captureIO(options: { color?: boolean; files?: Record<string, string>; env?: Record<string, string> } = {}): Captured {
  const files = new Map(Object.entries(options.files ?? {}));
  const io: Captured = {
    out: "",
    err: "",
    written: new Map(),
    color: options.color ?? false,
    env: options.env ?? {},
    stdout(text) {
      io.out += text;
    },
    stderr(text) {
      io.err += text;
    },
    readFile(path) {
      if (files.has(path)) return files.get(path);
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
    writeFile(path, text) {
      io.written.set(path, text);
      files.set(path, text);
    },
  };
  return io;
}
