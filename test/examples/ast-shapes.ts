// Reads the AST contract (src/grammar/ast.ts) with the TypeScript compiler and lists every construct variant it
// can express, so the examples' coverage test follows the contract instead of a hand-kept list that could drift.
//
// A "shape" is an object type with a string-literal `kind`: an interface (`CheckNode`) or a member of a
// discriminated union alias (`Trigger`, `Strategy`, `TestStep`, ...). For each shape we record its variant
// properties: string-literal unions (`composite`, `op`, `root`, ...), booleans (`async`, `isInt`) and optional
// properties (whose presence or absence is itself a construct: `default` handlers, host-raised events).
import ts from "typescript";

export interface AstShape {
  readonly kind: string;
  /** Property → every string literal it may hold. */
  readonly literalProps: ReadonlyMap<string, readonly string[]>;
  readonly booleanProps: readonly string[];
  readonly optionalProps: readonly string[];
}

/** Properties shared by every node for bookkeeping, not language constructs. */
const BOOKKEEPING = new Set(["kind", "span", "recovered"]);

export function readAstShapes(astFile: string): Map<string, AstShape> {
  const program = ts.createProgram([astFile], { strict: true, noEmit: true, allowImportingTsExtensions: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(astFile);
  if (source === undefined) throw new Error(`cannot read ${astFile}`);
  const shapes = new Map<string, AstShape>();

  const addShape = (members: ts.NodeArray<ts.TypeElement>): void => {
    let kind: string | undefined;
    const literalProps = new Map<string, string[]>();
    const booleanProps: string[] = [];
    const optionalProps: string[] = [];
    for (const member of members) {
      if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name)) continue;
      const name = member.name.text;
      const type = checker.getTypeAtLocation(member);
      if (name === "kind") {
        if (type.isStringLiteral()) kind = type.value;
        continue;
      }
      if (BOOKKEEPING.has(name)) continue;
      if (member.questionToken !== undefined) optionalProps.push(name);
      const literals = stringLiterals(type);
      if (literals !== undefined && literals.length > 1) literalProps.set(name, literals);
      else if (checker.typeToString(checker.getNonNullableType(type)) === "boolean") booleanProps.push(name);
    }
    if (kind !== undefined) shapes.set(kind, { kind, literalProps, booleanProps, optionalProps });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isInterfaceDeclaration(node)) addShape(node.members);
    else if (ts.isTypeLiteralNode(node)) addShape(node.members);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return shapes;
}

function stringLiterals(type: ts.Type): string[] | undefined {
  const parts = type.isUnion() ? type.types : [type];
  const values: string[] = [];
  for (const part of parts) {
    if (part.flags & ts.TypeFlags.Undefined) continue;
    if (!part.isStringLiteral()) return undefined;
    values.push(part.value);
  }
  return values;
}

/** Every construct variant the shapes allow, as the keys `coveredVariants` produces. */
export function allVariants(shapes: ReadonlyMap<string, AstShape>): Set<string> {
  const out = new Set<string>();
  for (const shape of shapes.values()) {
    out.add(shape.kind);
    for (const [prop, values] of shape.literalProps) for (const v of values) out.add(`${shape.kind}.${prop}=${v}`);
    for (const prop of shape.booleanProps) {
      out.add(`${shape.kind}.${prop}=true`);
      out.add(`${shape.kind}.${prop}=false`);
    }
    for (const prop of shape.optionalProps) {
      out.add(`${shape.kind}.${prop}:present`);
      out.add(`${shape.kind}.${prop}:absent`);
    }
  }
  return out;
}

/** Walks a parsed AST (plain data) and records the variant keys of every node whose kind is a known shape. */
export function coveredVariants(root: unknown, shapes: ReadonlyMap<string, AstShape>, out = new Set<string>()): Set<string> {
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    const shape = typeof record.kind === "string" ? shapes.get(record.kind) : undefined;
    if (shape !== undefined) {
      out.add(shape.kind);
      for (const prop of shape.literalProps.keys()) {
        if (typeof record[prop] === "string") out.add(`${shape.kind}.${prop}=${record[prop]}`);
      }
      for (const prop of shape.booleanProps) {
        if (typeof record[prop] === "boolean") out.add(`${shape.kind}.${prop}=${String(record[prop])}`);
      }
      for (const prop of shape.optionalProps) {
        out.add(`${shape.kind}.${prop}:${record[prop] === undefined ? "absent" : "present"}`);
      }
    }
    for (const [key, child] of Object.entries(record)) if (key !== "span") walk(child);
  };
  walk(root);
  return out;
}
