import { describe, expect, it } from "vitest";
import { ActionChecksum } from "../../bench/w1/checksum.ts";
import { FactsWorld } from "../../bench/workloads/w3/facts.ts";
import { w3Implementations } from "../../bench/workloads/w3/implementations.ts";
import { CountingEvaluator } from "../../bench/workloads/w3/reference.ts";
import { countNodes, generateTree } from "../../bench/workloads/w3/tree.ts";
import type { W3Tree } from "../../bench/workloads/w3/tree.ts";

const agents = 40;
const frames = 150;

function reference(tree: W3Tree, seed: number): { checksum: ActionChecksum; visits: number } {
  const world = new FactsWorld(tree, agents, seed);
  const evaluator = new CountingEvaluator();
  const checksum = new ActionChecksum(tree.actionCount + 1);
  const actions = new Int32Array(agents);
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < agents; i++) {
      evaluator.action = 0;
      evaluator.tick(tree.root, world.facts, i * tree.factCount);
      actions[i] = evaluator.action;
    }
    checksum.add(actions);
    world.advance();
  }
  return { checksum, visits: evaluator.visits };
}

describe("W3 generated tree", () => {
  const tree = generateTree({ seed: 3, targetNodes: 1000 });

  it("has about the requested size and counts its nodes correctly", () => {
    expect(countNodes(tree.root)).toBe(tree.nodeCount);
    expect(tree.nodeCount).toBeGreaterThanOrEqual(1000);
    expect(tree.nodeCount).toBeLessThan(1100);
  });

  it("is a pure function of the seed", () => {
    expect(generateTree({ seed: 3, targetNodes: 1000 })).toEqual(tree);
    expect(generateTree({ seed: 4, targetNodes: 1000 })).not.toEqual(tree);
  });

  it("makes ticks visit a real share of the tree and take several branches", () => {
    const { checksum, visits } = reference(tree, 11);
    const perTick = visits / (agents * frames);
    expect(perTick).toBeGreaterThan(20);
    expect(perTick).toBeLessThan(tree.nodeCount);
    expect(checksum.histogram.filter((n) => n > 0).length).toBeGreaterThan(5);
    expect(checksum.histogram[0]).toBe(0);
  });

  const expected = reference(tree, 11).checksum;
  for (const impl of w3Implementations()) {
    it(`${impl.name} makes the reference evaluator's decisions`, () => {
      const world = new FactsWorld(tree, agents, 11);
      const pool = impl.createPool(tree, world);
      const checksum = new ActionChecksum(tree.actionCount + 1);
      for (let t = 0; t < frames; t++) {
        pool.actions.fill(0);
        pool.tickAll();
        checksum.add(pool.actions);
        world.advance();
      }
      expect(checksum.histogram).toEqual(expected.histogram);
      expect(checksum.value).toBe(expected.value);
    });
  }
});
