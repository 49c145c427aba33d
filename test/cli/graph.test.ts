// `hpol graph` as a command: formats, options, output file, and a coded diagnostic with exit code 1 for every user
// mistake (unknown layer, bad option value, a spec with errors, a file that cannot be written).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { readFileSync, rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { loadIR } from "../../src/runtime/index.ts";
import { nodeChildren } from "../../src/runtime/ir.ts";
import { checkMermaid, checkXml, compile, parseDot } from "../graph/graph-checks.ts";
import { captureIO } from "./capture.ts";

const root = join(import.meta.dirname, "..", "..");
const strategist = join(root, "examples", "strategist.hpol");
const buildDir = join(root, "test", "cli", "out", "graph-build");
afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

async function graph(args: string[], files?: Record<string, string>) {
  const io = captureIO(files ? { files } : {});
  const code = await main(["graph", ...args], io);
  return { code, out: io.out, err: io.err, written: io.written };
}

describe("hpol graph", () => {
  it("prints DOT by default: the trees and the layer diagram, nothing on stderr", async () => {
    const r = await graph([strategist]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const parsed = await parseDot(r.out);
    const { ir } = compile(strategist);
    expect(parsed.nodes.has("p0")).toBe(true);
    for (const n of ir.nodes) expect(parsed.nodes.has(`n${n.id}`)).toBe(true);
  });

  it("takes the spec options of the other compiling commands: --limit applies before anything is drawn", async () => {
    const limited = await graph([strategist, "--limit", "nodes=10"]);
    expect(limited.code).toBe(1);
    expect(limited.out).toBe("");
    expect(limited.err).toContain("HP5010");
    const raised = await graph([strategist, "--limit", "nodes=100000"]);
    expect(raised.code).toBe(0);
  });

  it("--format mermaid prints a flowchart that checks", async () => {
    const r = await graph([strategist, "--format", "mermaid"]);
    expect(r.code).toBe(0);
    const parsed = checkMermaid(r.out);
    expect(parsed.clusters.get("layers")).toBe("layers of strategist");
  });

  it("--format svg -o writes well-formed SVG and names the file on stderr", async () => {
    const out = join(root, "test", "cli", "out", "strategist.svg");
    const r = await graph([strategist, "--format", "svg", "-o", out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe("");
    expect(r.err).toContain(`→ ${out}`);
    const svg = r.written.get(out)!;
    expect(checkXml(svg)[0]).toBe("svg");
  });

  it("--layer draws one layer's tree; --what layers only the diagram", async () => {
    const { ir } = compile(strategist);
    const rusher = ir.executors.find((x) => x.name === "rusher")!;
    const want = new Set<string>();
    const stack = [...rusher.handlers.map((h) => h.root), rusher.default!];
    while (stack.length > 0) {
      const id = stack.pop()!;
      want.add(`n${id}`);
      stack.push(...nodeChildren(ir.nodes[id]!));
    }
    const one = await parseDot((await graph([strategist, "--layer", "rusher"])).out);
    expect(new Set(one.nodes.keys())).toEqual(want);
    const layers = await parseDot((await graph([strategist, "--what", "layers"])).out);
    expect([...layers.nodes.keys()].some((k) => k.startsWith("n"))).toBe(false);
    expect(layers.nodes.has("x0")).toBe(true);
  });

  it("an unknown layer is HP5101 with the closest name and the list of layers; exit 1, nothing on stdout", async () => {
    const r = await graph([strategist, "--layer", "rusherr"]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("error[HP5101]");
    expect(r.err).toContain("did you mean `rusher`?");
    expect(r.err).toContain("its layers: strategist, rusher, marksman, survivor");
  });

  it.each([
    [["--format", "png"], "--format"],
    [["--format", "dott"], "--format"],
    [["--what", "everything"], "--what"],
    [["--layer", "rusher", "--what", "layers"], "--what"],
  ])("%j is HP5102, exit 1", async (args, option) => {
    const r = await graph([strategist, ...args]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("error[HP5102]");
    expect(r.err).toContain(option);
    if (args[1] === "dott") expect(r.err).toContain("did you mean `dot`?");
  });

  it("a spec with errors prints its diagnostics on stderr and exits 1", async () => {
    const file = "/virtual/broken.hpol";
    const r = await graph([file], { [file]: "output { y: float }\nexecutor e at 10hz writes y { set out.y = nope }\n" });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/error\[HP2\d{3}\]/);
    expect(r.err).toContain("not graphed");
  });

  it("a missing spec is HP5001; an unwritable -o is HP5103; both exit 1", async () => {
    const missing = await graph([join(root, "no-such.hpol")]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("HP5001");

    const io = captureIO();
    io.writeFile = () => {
      throw new Error("EACCES: permission denied");
    };
    const code = await main(["graph", strategist, "-o", "/read-only/x.dot"], io);
    expect(code).toBe(1);
    expect(io.err).toContain("error[HP5103]");
    expect(io.err).toContain("EACCES");
  });

  it("the IR ids drawn are the IR's: a node's id and tooltip name the node hpol build writes", async () => {
    const io = captureIO();
    expect(await main(["build", strategist, "-o", buildDir], io)).toBe(0);
    const ir = loadIR(JSON.parse(readFileSync(join(buildDir, "strategist.ir.json"), "utf8")));
    const parsed = await parseDot((await graph([strategist, "--what", "tree"])).out);
    for (const n of ir.nodes) expect(String(parsed.nodes.get(`n${n.id}`)!["tooltip"])).toMatch(new RegExp(`^#${n.id} `));
  });
});

describe("bin/hpol.mjs graph", () => {
  it("renders SVG in a real process (the wasm Graphviz is a runtime dependency that loads without a network)", () => {
    const r = spawnSync(process.execPath, [join(root, "bin", "hpol.mjs"), "graph", join(root, "examples", "guarded.hpol"), "--format", "svg"], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(checkXml(r.stdout)[0]).toBe("svg");
  });
});
