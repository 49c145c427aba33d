// Expands the command line's paths: a directory stands for every .hpol file below it, in sorted order, so
// `hpol check examples` works without shell globbing (and the same way on every platform).
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export function expandInputs(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    if (isDirectory(path)) out.push(...hpolFilesUnder(path));
    else out.push(path);
  }
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function hpolFilesUnder(dir: string): string[] {
  const found: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...hpolFilesUnder(path));
    else if (entry.isFile() && entry.name.endsWith(".hpol")) found.push(path);
  }
  return found;
}
