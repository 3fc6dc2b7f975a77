#!/usr/bin/env node
/**
 * `npm run start:workerd`: the bundled Worker on plain workerd (no wrangler dev in front),
 * configured from environment variables with the Worker's own var names.
 *
 *   ADDRESS            listen address (default 0.0.0.0:8080)
 *   WORKERD_STATE_DIR  Durable Object storage directory (default .wrangler/workerd-state)
 *   WORKERD_VARS       extra comma-separated variable names to pass through
 *   WORKERD_NO_BUILD=1 reuse the last bundle in .wrangler/workerd
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { prepareWorkerd, root, workerdBin } from "./prepare.mjs";

const configPath = await prepareWorkerd({
  env: process.env,
  outdir: join(root, ".wrangler/workerd"),
  build: process.env.WORKERD_NO_BUILD !== "1",
  storage: process.env.WORKERD_STATE_DIR ?? join(root, ".wrangler/workerd-state"),
});
const child = spawn(workerdBin, ["serve", configPath], { stdio: "inherit" });
console.error(`workerd: serving on http://${process.env.ADDRESS || "0.0.0.0:8080"} (pid ${child.pid})`);
for (const sig of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
