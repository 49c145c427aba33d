// The W3 semantics, written once as a direct recursive evaluator that also counts the nodes it visits.
// Sequence and selector are the classic short-circuit composites (no running state: every leaf resolves
// immediately), so "visited" is exactly the set of nodes a short-circuit evaluation enters. Every implementation
// must produce the same decisions; since they then enter the same nodes, this count is their count too.

import type { W3Node } from "./tree.ts";

export class CountingEvaluator {
  visits = 0;
  /** The decision of the current tick (0 until an action leaf runs). */
  action = 0;

  tick(node: W3Node, facts: Float64Array, base: number): boolean {
    this.visits++;
    switch (node.kind) {
      case "sequence":
        for (const child of node.children) if (!this.tick(child, facts, base)) return false;
        return true;
      case "selector":
        for (const child of node.children) if (this.tick(child, facts, base)) return true;
        return false;
      case "fact-true":
        return facts[base + node.fact] === 1;
      case "fact-above":
        return facts[base + node.fact] > node.threshold;
      case "act":
        this.action = node.action;
        return true;
    }
  }
}
