// W3 in mistreevous: the generated tree as a JSON definition (the form mistreevous accepts besides MDSL), with
// fact tests as agent condition functions taking the fact index and threshold as node arguments.

import { BehaviourTree, State } from "mistreevous";
import type { FactsWorld } from "../workloads/w3/facts.ts";
import type { W3Impl, W3Pool } from "../workloads/w3/impl.ts";
import type { W3Node, W3Tree } from "../workloads/w3/tree.ts";

interface DefinitionNode {
  type: string;
  call?: string;
  args?: number[];
  children?: DefinitionNode[];
}

function definitionOf(node: W3Node): DefinitionNode {
  switch (node.kind) {
    case "sequence":
    case "selector":
      return { type: node.kind, children: node.children.map(definitionOf) };
    case "fact-true":
      return { type: "condition", call: "FactTrue", args: [node.fact] };
    case "fact-above":
      return { type: "condition", call: "FactAbove", args: [node.fact, node.threshold] };
    case "act":
      return { type: "action", call: "Act", args: [node.action] };
  }
}

export function mistreevousDefinition(tree: W3Tree): { type: "root"; child: DefinitionNode } {
  return { type: "root", child: definitionOf(tree.root) };
}

class FactsAgent {
  [name: string]: unknown;

  constructor(
    private readonly facts: Float64Array,
    private readonly base: number,
    private readonly index: number,
    private readonly actions: Int32Array,
  ) {}

  FactTrue(fact: number): boolean {
    return this.facts[this.base + fact] === 1;
  }
  FactAbove(fact: number, threshold: number): boolean {
    return this.facts[this.base + fact] > threshold;
  }
  Act(action: number): State {
    this.actions[this.index] = action;
    return State.SUCCEEDED;
  }
}

export const mistreevousW3: W3Impl = {
  name: "mistreevous",
  createPool(tree: W3Tree, world: FactsWorld): W3Pool {
    const definition = mistreevousDefinition(tree);
    const actions = new Int32Array(world.agentCount);
    const trees: BehaviourTree[] = [];
    for (let i = 0; i < world.agentCount; i++) {
      const agent = new FactsAgent(world.facts, i * world.factCount, i, actions);
      // The definition type is structurally the library's RootNodeDefinition; it is built from W3Node kinds.
      trees.push(new BehaviourTree(definition as ConstructorParameters<typeof BehaviourTree>[0], agent));
    }
    return {
      actions,
      tickAll(): void {
        for (let i = 0; i < trees.length; i++) trees[i].step();
      },
    };
  },
};
