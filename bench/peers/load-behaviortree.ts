// npm `behaviortree` ships a CommonJS build (`main`) and a browser ES build (`module`). Node picks the former and
// bundler-style resolvers (vitest) the latter, whose default export differs; requiring it pins the one build
// Node users get, so the benchmark and the tests measure the same code.

import { createRequire } from "node:module";
import type behaviortree from "behaviortree";

export function loadBehaviortree(): typeof behaviortree {
  return createRequire(import.meta.url)("behaviortree") as typeof behaviortree;
}
