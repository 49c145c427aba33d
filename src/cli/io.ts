// Where the CLI reads and writes. `main` takes it as a parameter so tests run commands in-process and capture
// their output; the default binds to the real process.
import { readFileSync, writeFileSync } from "node:fs";

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Colour only on a terminal and when NO_COLOR is unset (https://no-color.org). */
  readonly color: boolean;
  /** Progress bars for long runs: only when stderr is a terminal. */
  readonly progress?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** undefined when the file cannot be read. */
  readFile(path: string): string | undefined;
  writeFile(path: string, text: string): void;
}

export function processIO(): CliIO {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "";
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    color: Boolean(process.stdout.isTTY) && !noColor,
    progress: Boolean(process.stderr.isTTY),
    env: process.env,
    readFile(path) {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
    writeFile: (path, text) => writeFileSync(path, text, "utf8"),
  };
}
