import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The walls of docs/architecture.md, checked over the import graph of src/ (tests excluded):
 * imports point inwards http → core → (translate, pool, tenancy, uploads, platforms) → models.
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
  const spec = /(?:^|\n)\s*(?:import|export)[^'"]*?from\s*["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;
  for (const file of sources(SRC)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(spec)) {
      const target = resolve(dirname(file), (m[1] ?? m[2])!);
      edges.push({ from: relative(SRC, file), to: relative(SRC, target) });
    }
  }
  return edges;
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
