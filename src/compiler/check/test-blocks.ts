// Test blocks: `given` observations and program state, `raise` host events, `inject` messages, `run`, and
// `expect` conditions that may read outputs and `emitted(planner)`.
import type * as A from "../../grammar/ast.ts";
import { namesCodes } from "../diagnostics/codes/names.ts";
import { structureCodes } from "../diagnostics/codes/structure.ts";
import { checkAssigned, checkCondition, checkExpr, unknownField, unknownMember } from "./expr.ts";
import { resolveNamed } from "./layers.ts";
import { checkPayload } from "./nodes.ts";
import type { CheckState, Scope } from "./state.ts";
import type { RootFields } from "./typed-program.ts";

export function checkTest(cx: CheckState, decl: A.TestDecl, file: string): void {
  const module = cx.program.scopes.get(file)!;
  const scope: Scope = { module, file, obs: cx.observation, state: cx.state, out: cx.output, where: "in a test", test: true };
  for (const step of decl.steps) {
    switch (step.kind) {
      case "given":
        given(cx, scope, step.target === "obs" ? cx.observation : cx.state, step.target === "obs" ? "the observation" : "the state", step.fields);
        break;
      case "raise": {
        const event = resolveNamed(cx, module, step.event, "event");
        if (event?.decl.when) {
          cx.report(structureCodes.raiseEdgeEvent, file, step.event.span, { event: event.name }, {
            labels: [{ file: event.file, span: event.decl.when.span, message: "raised by this condition" }],
          });
        }
        break;
      }
      case "inject": {
        const planner = resolveNamed(cx, module, step.planner, "planner");
        const message = planner ? cx.plannerMessage(planner) : undefined;
        const payload = message?.kinds.get(step.messageKind.name);
        if (message && payload === undefined) unknownMember(cx, scope, message.name, step.messageKind, message.kinds.keys());
        if (message && payload) checkPayload(cx, scope, `${message.name}.${step.messageKind.name}`, payload.fields, step.fields, step.messageKind.span);
        else for (const f of step.fields) checkExpr(cx, scope, f.value);
        break;
      }
      case "run":
        if (step.ticks !== undefined && step.ticks < 1) cx.report(structureCodes.badCount, file, step.span, { what: "run", reason: "must run at least one tick" });
        if (step.time !== undefined && step.time.ms <= 0) cx.report(structureCodes.badCount, file, step.time.span, { what: "duration", reason: "must be greater than zero" });
        break;
      case "expect":
        checkCondition(cx, scope, step.expr);
        break;
    }
  }
}

function given(cx: CheckState, scope: Scope, root: RootFields, owner: string, inits: readonly A.FieldInit[]): void {
  const seen = new Set<string>();
  for (const init of inits) {
    const field = root.fields.get(init.name.name);
    if (field === undefined) {
      unknownField(cx, scope, owner, init.name, root.fields.keys());
      checkExpr(cx, scope, init.value);
      continue;
    }
    if (seen.has(field.name)) {
      cx.report(namesCodes.duplicate, scope.file, init.name.span, { name: field.name, where: "this given block" });
    }
    seen.add(field.name);
    cx.bindings.set(init.name, field);
    checkAssigned(cx, scope, init.value, field.type);
  }
}
