// Test blocks → IR test steps. Test expressions see the program-wide roots (obs, state, out — the final,
// arbitrated and shielded output) and `emitted(planner)`.
import type * as A from "../../grammar/ast.ts";
import type { IRTest, IRTestStep } from "../../runtime/ir.ts";
import type { FieldSymbol } from "../resolve/symbols.ts";
import { globalEnv, type LowerContext } from "./context.ts";
import { lowerExpr } from "./expr.ts";
import { LoweringBug } from "./lowering-bug.ts";
import { payloadValues } from "./node.ts";

export function lowerTests(cx: LowerContext): IRTest[] {
  return cx.program.tests.map(({ decl, file }, id) => ({
    id,
    name: decl.name.value,
    steps: decl.steps.map((step) => lowerStep(cx, step, file)),
    span: cx.b.span(file, decl.name.span),
  }));
}

function lowerStep(cx: LowerContext, step: A.TestStep, file: string): IRTestStep {
  const env = globalEnv(file);
  const span = cx.b.span(file, step.span);
  const value = (e: A.Expr): number => cx.b.materialize(lowerExpr(cx, e, env));
  switch (step.kind) {
    case "given": {
      const assigns = step.fields.map((f) => {
        const v = step.target === "obs" ? cx.obsVars.get(f.name.name) : stateVarByName(cx, f.name.name);
        if (v === undefined) throw new LoweringBug(`given ${step.target} sets unknown field ${f.name.name}`, file, f.span);
        const target = cx.b.expr({ k: "read", type: cx.b.vars[v]!.type, var: v }, file, f.name.span);
        return { target, value: value(f.value) };
      });
      return { k: "given", assigns, span };
    }
    case "raise": {
      const event = cx.events.get(cx.symbolOf(step.event, "event", file));
      if (event === undefined) throw new LoweringBug(`event ${step.event.name} has no id`, file, step.span);
      return { k: "raise", event, span };
    }
    case "inject": {
      const planner = cx.planners.get(cx.symbolOf(step.planner, "planner", file));
      const channel = planner === undefined ? undefined : cx.channels[planner];
      if (planner === undefined || channel === undefined) throw new LoweringBug(`planner ${step.planner.name} has no id`, file, step.span);
      const kind = [...channel.message.kinds.keys()].indexOf(step.messageKind.name);
      const payload = channel.message.kinds.get(step.messageKind.name);
      if (kind < 0 || payload === undefined) throw new LoweringBug(`no message kind ${step.messageKind.name}`, file, step.span);
      return { k: "inject", planner, kind, values: payloadValues(cx, payload.fields, step.fields, env), span };
    }
    case "run":
      return { k: "run", ticks: step.ticks ?? null, ms: step.time?.ms ?? null, span };
    case "expect":
      return { k: "expect", expr: value(step.expr), text: cx.b.spans.text(file, step.expr.span), span };
  }
}

/** `given state { x: … }` names a program-wide state field. */
function stateVarByName(cx: LowerContext, name: string): number | undefined {
  const field: FieldSymbol | undefined = cx.program.state.fields.get(name);
  return field === undefined ? undefined : cx.globalState.get(field);
}
