/**
 * The simulator and the translator are TypeScript with extensionless imports; Node cannot
 * run them as they are, so the benchmark bundles each into dist/bench first.
 */
import { build } from "esbuild";
import { join, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../..");
export const outDir = join(root, "dist/bench");

/** @param {string} entry path under src/  @param {string} name output file name */
export async function bundleForNode(entry, name) {
  const outfile = join(outDir, name);
  await build({
    entryPoints: [join(root, "src", entry)],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node24",
    outfile,
    logLevel: "warning",
    // CommonJS dependencies (the AWS SigV4 helpers the simulator's Bedrock front uses) require()
    // Node built-ins; an ESM bundle has none of its own (scripts/build-node.mjs does the same).
    banner: { js: 'import { createRequire as __claude2apiCreateRequire } from "node:module"; const require = __claude2apiCreateRequire(import.meta.url);' },
  });
  return outfile;
}
