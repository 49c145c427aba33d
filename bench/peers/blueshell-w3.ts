// W3 in blueshell: Predicate per fact test, SideEffect per action, Selector/Sequence composites, built once and
// shared; one BlueshellState per agent. Node names are unique among siblings because blueshell keys each node's
// per-agent storage by its path of names.

import { Predicate, Selector, Sequence, SideEffect } from "blueshell";
import type { BaseNode, BlueshellState } from "blueshell";
import type { FactsWorld } from "../workloads/w3/facts.ts";
import type { W3Impl, W3Pool } from "../workloads/w3/impl.ts";
import type { W3Node, W3Tree } from "../workloads/w3/tree.ts";

interface FactsState extends BlueshellState {
  facts: Float64Array;
  base: number;
  index: number;
  actions: Int32Array;
}

interface TickEvent {
  type: "tick";
}

type Node = BaseNode<FactsState, TickEvent>;

function build(node: W3Node, name: string): Node {
  switch (node.kind) {
    case "sequence":
      return new Sequence<FactsState, TickEvent>(name, node.children.map((c, k) => build(c, `n${k}`)));
    case "selector":
      return new Selector<FactsState, TickEvent>(name, node.children.map((c, k) => build(c, `n${k}`)));
    case "fact-true": {
      const fact = node.fact;
      return new Predicate<FactsState, TickEvent>(name, (s) => s.facts[s.base + fact] === 1);
    }
    case "fact-above": {
      const { fact, threshold } = node;
      return new Predicate<FactsState, TickEvent>(name, (s) => s.facts[s.base + fact] > threshold);
    }
    case "act": {
      const action = node.action;
      return new SideEffect<FactsState, TickEvent>(name, (s) => {
        s.actions[s.index] = action;
      });
    }
  }
}

export const blueshellW3: W3Impl = {
  name: "blueshell",
  createPool(tree: W3Tree, world: FactsWorld): W3Pool {
    const root = build(tree.root, "root");
    const event: TickEvent = { type: "tick" };
    const actions = new Int32Array(world.agentCount);
    const states: FactsState[] = [];
    for (let index = 0; index < world.agentCount; index++) {
      states.push({ facts: world.facts, base: index * world.factCount, index, actions, __blueshell: {} });
    }
    return {
      actions,
      tickAll(): void {
        for (let i = 0; i < states.length; i++) root.handleEvent(states[i], event);
      },
    };
  },
};
