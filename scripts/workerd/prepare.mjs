/**
 * Bundle + capnp config for the gateway on plain workerd. Shared by `npm run start:workerd`
 * and the benchmark, so that the benchmark measures exactly what users start.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { renderConfig } from "./capnp.mjs";
import { bundleWorker, configVarNames, durableObjectsOf, listModules, readWranglerConfig, root } from "./worker-build.mjs";

export const workerdBin = join(root, "node_modules/.bin/workerd");

/**
 * @param {{ env: Record<string, string | undefined>, outdir: string, build?: boolean, storage?: string }} o
 *   storage: a directory for Durable Object data, or "memory" (only without SQLite classes)
 * @returns {Promise<string>} the config path, to run as `workerd serve <path>` with `env` as environment
 */
export async function prepareWorkerd({ env, outdir, build = true, storage = "memory" }) {
  const wrangler = readWranglerConfig();
  const modules = !build && existsSync(join(outdir, "index.js")) ? listModules(outdir) : bundleWorker(outdir);

  const names = new Set(await configVarNames(wrangler));
  for (const n of (env.WORKERD_VARS ?? "").split(",").map((s) => s.trim()).filter(Boolean)) names.add(n);
  /** @type {import("./capnp.mjs").VarBinding[]} */
  const vars = [];
  for (const name of names) {
    // Secrets stay in the environment: the config names the variable, not its value.
    if (env[name] !== undefined) vars.push({ name, fromEnvironment: name });
    else if (wrangler.vars?.[name] !== undefined) {
      const v = wrangler.vars[name];
      // Non-string vars reach a deployed Worker as parsed JSON; a json binding does the same here.
      vars.push(typeof v === "string" ? { name, text: v } : { name, json: JSON.stringify(v) });
    }
  }

  const durableObjects = durableObjectsOf(wrangler);
  // workerd offers the SQL API only on disk-backed storage; in memory, SQLite classes fail at first use.
  if (storage === "memory" && durableObjects.some((d) => d.sql)) throw new Error("Durable Object storage \"memory\" cannot back SQLite classes; give a directory");
  const storageDir = storage === "memory" ? undefined : resolve(storage);
  if (storageDir) mkdirSync(storageDir, { recursive: true });

  const configPath = join(outdir, "config.capnp");
  writeFileSync(
    configPath,
    renderConfig({
      name: wrangler.name ?? "worker",
      modules,
      compatibilityDate: wrangler.compatibility_date,
      compatibilityFlags: wrangler.compatibility_flags,
      vars,
      durableObjects,
      storageDir,
      address: env.ADDRESS || "0.0.0.0:8080",
      // The gateway fetches only its configured upstream (ANTHROPIC_BASE_URL), which may be
      // a local proxy or the benchmark's simulator; it never fetches client-supplied URLs.
      outbound: ["public", "private", "local"],
    }),
  );
  return configPath;
}

export { root };
