// W3 in npm `behaviortree`: one Task per fact test and action, Sequence/Selector for the composites, built once
// and shared; one BehaviorTree instance and blackboard per agent.

import type { BehaviorTree as AgentTree, BranchNode, Node } from "behaviortree";
import type { FactsWorld } from "../workloads/w3/facts.ts";
import type { W3Impl, W3Pool } from "../workloads/w3/impl.ts";
import type { W3Node, W3Tree } from "../workloads/w3/tree.ts";
import { loadBehaviortree } from "./load-behaviortree.ts";

const { BehaviorTree, Task, Sequence, Selector, SUCCESS, FAILURE } = loadBehaviortree();

interface FactsBlackboard {
  facts: Float64Array;
  base: number;
  index: number;
  actions: Int32Array;
}

type Bb = FactsBlackboard;

function build(node: W3Node): Node<Bb> | BranchNode<Bb> {
  switch (node.kind) {
    case "sequence":
      return new Sequence<Bb>({ nodes: node.children.map(build) });
    case "selector":
      return new Selector<Bb>({ nodes: node.children.map(build) });
    case "fact-true": {
      const fact = node.fact;
      return new Task<Bb>({ run: (bb) => (bb.facts[bb.base + fact] === 1 ? SUCCESS : FAILURE) });
    }
    case "fact-above": {
      const { fact, threshold } = node;
      return new Task<Bb>({ run: (bb) => (bb.facts[bb.base + fact] > threshold ? SUCCESS : FAILURE) });
    }
    case "act": {
      const action = node.action;
      return new Task<Bb>({
        run: (bb) => {
          bb.actions[bb.index] = action;
          return SUCCESS;
        },
      });
    }
  }
}

export const behaviortreeW3: W3Impl = {
  name: "behaviortree",
  createPool(tree: W3Tree, world: FactsWorld): W3Pool {
    const root = build(tree.root);
    const actions = new Int32Array(world.agentCount);
    const agents: AgentTree<Bb>[] = [];
    for (let index = 0; index < world.agentCount; index++) {
      const blackboard = { facts: world.facts, base: index * world.factCount, index, actions };
      agents.push(new BehaviorTree<Bb>({ tree: root, blackboard }));
    }
    return {
      actions,
      tickAll(): void {
        for (let i = 0; i < agents.length; i++) agents[i].step();
      },
    };
  },
};
