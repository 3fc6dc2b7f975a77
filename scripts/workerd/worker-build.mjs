/**
 * Builds the Worker the way `wrangler deploy` would (same bundler, same nodejs_compat
 * polyfills) and collects what a workerd config needs from wrangler.jsonc, so that
 * plain workerd runs the same bytes Cloudflare would.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseJsonc } from "./jsonc.mjs";
import { moduleKind } from "./capnp.mjs";

export const root = resolve(import.meta.dirname, "../..");

export function readWranglerConfig() {
  return parseJsonc(readFileSync(join(root, "wrangler.jsonc"), "utf8"));
}

/** @param {string} dir */
export function listModules(dir) {
  /** @type {string[]} */
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.endsWith(".map") && name !== "README.md" && moduleKind(name)) out.push(relative(dir, p));
    }
  };
  walk(dir);
  // The entry point must come first in the capnp module list.
  return out.sort((a, b) => (a === "index.js" ? -1 : b === "index.js" ? 1 : a.localeCompare(b)));
}

/** @param {string} outdir */
export function bundleWorker(outdir) {
  rmSync(outdir, { recursive: true, force: true });
  const r = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (r.status !== 0) throw new Error(`wrangler bundling failed (exit ${r.status})`);
  return listModules(outdir);
}

/** Durable Object bindings declared in wrangler.jsonc, with SQLite where a migration asks for it. */
export function durableObjectsOf(wrangler) {
  const sqlite = new Set((wrangler.migrations ?? []).flatMap((m) => m.new_sqlite_classes ?? []));
  return (wrangler.durable_objects?.bindings ?? []).map((b) => {
    if (b.script_name) throw new Error(`Durable Object ${b.name} lives in another script (${b.script_name}); plain workerd cannot reach it`);
    return { binding: b.name, className: b.class_name, sql: sqlite.has(b.class_name) };
  });
}

/**
 * The variable names the Worker reads: every key of the config schema plus the vars in
 * wrangler.jsonc. Read from src/config.ts itself so a new setting needs no edit here.
 */
export async function configVarNames(wrangler) {
  const { build } = await import("esbuild");
  const out = await build({
    entryPoints: [join(root, "src/config.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    logLevel: "silent",
  });
  const url = "data:text/javascript;base64," + Buffer.from(out.outputFiles[0].contents).toString("base64");
  const mod = await import(url);
  const names = new Set(Object.keys(mod.configSchema?.shape ?? {}));
  for (const k of Object.keys(wrangler.vars ?? {})) names.add(k);
  return [...names];
}
