// Types for the parts of npm `behaviortree` (2.x, untyped JavaScript) the benchmark uses. It is a CommonJS
// package, so under ES modules its exports arrive as the default export.

declare module "behaviortree" {
  export type RunResult = boolean | symbol;

  export interface TaskBlueprint<B> {
    name?: string;
    start?: (blackboard: B) => void;
    end?: (blackboard: B) => void;
    run: (blackboard: B) => RunResult;
  }

  export class Node<B = unknown> {
    constructor(blueprint: TaskBlueprint<B>);
  }
  export class Task<B = unknown> extends Node<B> {}
  export class BranchNode<B = unknown> {
    constructor(blueprint: { name?: string; nodes: Array<BranchNode<B> | Node<B> | string> });
  }
  export class Sequence<B = unknown> extends BranchNode<B> {}
  export class Selector<B = unknown> extends BranchNode<B> {}

  export class BehaviorTree<B = unknown> {
    constructor(options: { tree: BranchNode<B> | Node<B> | string; blackboard: B });
    blackboard: B;
    lastResult: unknown;
    step(options?: object): void;
  }

  const behaviortree: {
    BehaviorTree: typeof BehaviorTree;
    Task: typeof Task;
    Sequence: typeof Sequence;
    Selector: typeof Selector;
    SUCCESS: true;
    FAILURE: false;
    RUNNING: symbol;
  };
  export default behaviortree;
}
