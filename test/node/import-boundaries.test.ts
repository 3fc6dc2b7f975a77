import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The walls of docs/architecture.md, checked over the import graph of src/ (tests excluded):
 * imports point inwards http → core → (translate, pool, tenancy, uploads, platforms) → models,
 * and no module reaches itself through its imports (type-only imports included).
 */
// vitest runs from the project root.
const SRC = resolve("src");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name: string) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$|test-support\.ts$|\.d\.ts$/.test(name) ? [path] : [];
  });
}

/** Every relative import of every source file, as paths under src/ ("http/app.ts" imports "deps.ts"). */
function importGraph(): Array<{ from: string; to: string }> {
  const edges: Array<{ from: string; to: string }> = [];
  // import/export … from "…", import("…"), and bare side-effect imports (import "…").
  const spec = /(?:^|\n)\s*(?:import|export)[^'"]*?from\s*["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)|(?:^|\n)\s*import\s*["'](\.{1,2}\/[^"']+)["']/g;
  for (const file of sources(SRC)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(spec)) {
      const target = resolve(dirname(file), (m[1] ?? m[2] ?? m[3])!);
      edges.push({ from: relative(SRC, file), to: relative(SRC, target) });
    }
  }
  return edges;
}

/** The file an import names ("core/chat/handle-chat" → "core/chat/handle-chat.ts", a folder → its index.ts). */
function moduleFile(path: string): string {
  for (const candidate of [`${path}.ts`, `${path}/index.ts`, path.replace(/\.js$/, ".ts"), path]) if (existsSync(join(SRC, candidate))) return candidate;
  return path;
}

/**
 * Every import cycle: the strongly connected components of more than one module (or a
 * module importing itself), by Tarjan's algorithm. Type-only imports count: they are
 * erased at run time, but a type shared both ways means the two modules are one design
 * unit split in two, and the next value import along the same edge would make a cycle
 * the bundler orders silently.
 */
function importCycles(graph: ReadonlyArray<{ from: string; to: string }>): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of graph) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (next.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

const area = (path: string) => (path.includes("/") ? path.slice(0, path.indexOf("/")) : path.replace(/\.ts$/, ""));
const edges = importGraph();
const violations = (from: (a: string, path: string) => boolean, to: (a: string, path: string) => boolean) =>
  edges.filter((e) => from(area(e.from), e.from) && to(area(e.to), e.to)).map((e) => `${e.from} → ${e.to}`);

describe("import boundaries", () => {
  it("reads a graph of real size (the check is not vacuous)", () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(edges).toContainEqual({ from: "http/routes/chat-completions.ts", to: "core/chat/handle-chat" });
  });

  it("no import cycles among src/ modules, type-only imports included", () => {
    const resolved = edges.map((e) => ({ from: e.from, to: moduleFile(e.to) }));
    // Every edge resolves to a file, or a cycle through an unresolved name would go unseen.
    expect(resolved.filter((e) => !existsSync(join(SRC, e.to))).map((e) => `${e.from} → ${e.to}`)).toEqual([]);
    expect(importCycles(resolved)).toEqual([]);
  });

  it("the cycle check finds cycles (it is not vacuous)", () => {
    const graph = [
      { from: "deps.ts", to: "uploads/tracker.ts" },
      { from: "uploads/tracker.ts", to: "deps.ts" },
      { from: "a.ts", to: "b.ts" },
      { from: "b.ts", to: "c.ts" },
      { from: "c.ts", to: "a.ts" },
      { from: "c.ts", to: "d.ts" },
      { from: "e.ts", to: "e.ts" },
    ];
    expect(importCycles(graph)).toEqual(expect.arrayContaining([["deps.ts", "uploads/tracker.ts"], ["a.ts", "b.ts", "c.ts"], ["e.ts"]]));
    expect(importCycles(graph)).toHaveLength(3);
    expect(importCycles([{ from: "a.ts", to: "b.ts" }, { from: "b.ts", to: "c.ts" }])).toEqual([]);
  });

  it("nothing imports from http/ except the entry points", () => {
    expect(violations((a, p) => a !== "http" && p !== "index.ts" && p !== "runtime/node.ts", (a) => a === "http")).toEqual([]);
  });

  it("the core knows no HTTP and no renderer", () => {
    expect(violations((a) => a === "core", (a) => a === "http" || a === "render")).toEqual([]);
  });

  it("inner rings never import outer ones", () => {
    const inner = new Set(["translate", "pool", "tenancy", "uploads", "platforms", "models", "attachments", "thinking", "openai"]);
    expect(violations((a) => inner.has(a), (a) => a === "http" || a === "core" || a === "render")).toEqual([]);
  });

  it("translate/ does no I/O and holds no state: no pool, tenancy, uploads, runtime, deps or platform client", () => {
    const allowed = (p: string) => p.startsWith("platforms/anthropic/types") || p.startsWith("platforms/anthropic/files");
    expect(
      violations((a) => a === "translate", (a, p) => !allowed(p) && ["pool", "tenancy", "runtime", "thinking", "simulator", "platforms", "deps"].includes(a)),
    ).toEqual([]);
    for (const file of sources(join(SRC, "translate"))) expect(readFileSync(file, "utf8"), file).not.toMatch(/\bfetch\(|caches\.(default|open)|from \"node:/);
  });

  it("the simulator imports nothing of the gateway", () => {
    expect(violations((a) => a === "simulator", (a) => a !== "simulator")).toEqual([]);
  });
});
