/**
 * The Node server as users and the Docker image run it: `scripts/build-node.mjs` (what
 * `npm run build:node` runs) into a temporary directory of its own, so a test never races
 * a `start:node` over dist/.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

export interface NodeBundle {
  /** dist/node.mjs's counterpart. */
  server: string;
  /** dist/healthcheck.mjs's counterpart (the container's HEALTHCHECK). */
  healthcheck: string;
  remove: () => void;
}

export async function buildNodeBundle(): Promise<NodeBundle> {
  const dir = mkdtempSync(`${tmpdir()}/claude2api-node-bundle-`);
  // vitest runs from the project root.
  const built = spawn(process.execPath, [`${process.cwd()}/scripts/build-node.mjs`, dir], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  built.stderr!.on("data", (c: Uint8Array) => void (out += Buffer.from(c).toString()));
  await new Promise<void>((resolve, reject) => built.once("exit", () => (built.exitCode === 0 ? resolve() : reject(new Error(`build:node failed: ${out}`)))));
  return { server: `${dir}/node.mjs`, healthcheck: `${dir}/healthcheck.mjs`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
