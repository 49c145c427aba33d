// The parts of chevrotain the grammar uses at run time, loaded from the library's single-file build.
//
// The package entry (lib/src/api.js) is some 300 ES modules (chevrotain's own and lodash-es); through tsx's loader
// hooks, which every start of the CLI goes through, loading them took about 0.7 s — most of the time of an
// `hpol check` of a small spec. The package also ships the same library as one file, lib/chevrotain.mjs (about
// 25 ms to load), which its "exports" map does not expose, so it is found next to the resolved entry; if that
// ever fails, the entry itself is loaded. Every runtime use of chevrotain goes through this module, so the tokens,
// the lexer and the parser always share one instance of the library.
import type * as Chevrotain from "chevrotain";

async function loadChevrotain(): Promise<typeof Chevrotain> {
  try {
    const entry = import.meta.resolve("chevrotain");
    return (await import(new URL("../chevrotain.mjs", entry).href)) as typeof Chevrotain;
  } catch {
    return await import("chevrotain");
  }
}

const chevrotain = await loadChevrotain();

export const { createToken, CstParser, EOF, Lexer } = chevrotain;
