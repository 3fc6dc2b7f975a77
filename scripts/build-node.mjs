/**
 * `npm run build:node`: the Node server (dist/node.mjs) and the container's health check
 * (dist/healthcheck.mjs) as self-contained ESM bundles. The production dependencies (hono,
 * zod, …) are inside the bundle, so the Docker image's run stage needs no node_modules;
 * this script fails if the bundle would import anything at run time but a Node built-in.
 *
 *   node scripts/build-node.mjs [outdir]     (default dist/)
 */
import { build } from "esbuild";
import { builtinModules } from "node:module";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const outdir = resolve(process.argv[2] ?? join(root, "dist"));
const result = await build({
  absWorkingDir: root,
  entryPoints: { node: "src/runtime/node.ts", healthcheck: "src/runtime/healthcheck.ts" },
  outdir,
  // Some dependencies are CommonJS and require() Node built-ins (the AWS SigV4 helpers
  // require "buffer"); an ESM bundle has no require of its own, so give it Node's.
  banner: { js: 'import { createRequire as __claude2apiCreateRequire } from "node:module"; const require = __claude2apiCreateRequire(import.meta.url);' },
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  metafile: true,
  logLevel: "warning",
});

const builtins = new Set(builtinModules);
const external = new Set();
for (const output of Object.values(result.metafile.outputs)) {
  for (const i of output.imports) if (i.external) external.add(i.path);
}
const foreign = [...external].filter((p) => !builtins.has(p.replace(/^node:/, "")) && !p.startsWith("node:"));
if (foreign.length) {
  console.error(`build:node: the bundle imports ${foreign.join(", ")} at run time; the Docker image has no node_modules. Bundle it instead.`);
  process.exit(1);
}
