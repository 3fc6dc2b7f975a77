/**
 * Every benchmark target: how to start it and how to talk to it. Each runs in its own
 * process so that its CPU and memory can be read from /proc alone.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderConfig } from "../../scripts/workerd/capnp.mjs";
import { prepareWorkerd, workerdBin } from "../../scripts/workerd/prepare.mjs";
import { readWranglerConfig } from "../../scripts/workerd/worker-build.mjs";
import { outDir, root } from "./build.mjs";
import { startProcess } from "./spawn.mjs";

const CLIENT_KEY = "sk-bench-client";
const node = process.execPath;

/** @typedef {import("./client.mjs").Target & { stop: () => Promise<void> }} Running */

/** @returns {Promise<Running>} */
export async function startSimulator(port, simBundle, delayMs) {
  const p = await startProcess({
    name: "simulator",
    cmd: node,
    args: [join(root, "bench/upstream/sim-server.mjs"), simBundle, String(port), String(delayMs)],
    probe: `http://127.0.0.1:${port}/__bench/stats`,
  });
  return { name: "simulator", wire: "anthropic", url: `http://127.0.0.1:${port}`, path: "/v1/messages", headers: anthropicHeaders("sk-ant-bench-direct"), ...p };
}

function anthropicHeaders(key) {
  return { "x-api-key": key, "anthropic-version": "2023-06-01" };
}

/** Environment for our gateway, the same names a Worker deployment uses. */
function gatewayEnv(simUrl, port, key, extra = {}) {
  return {
    ADDRESS: `127.0.0.1:${port}`,
    APIKEY: CLIENT_KEY,
    ANTHROPIC_API_KEYS: key,
    ANTHROPIC_BASE_URL: simUrl,
    UPSTREAM: "anthropic",
    ...extra,
  };
}

/** Our app on Node, started exactly as users start it: `npm run start:node`. */
export async function startNodeApp(name, port, simUrl, extra = {}) {
  const p = await startProcess({
    name,
    cmd: "npm",
    args: ["run", "--silent", "start:node"],
    cwd: root,
    env: gatewayEnv(simUrl, port, `sk-ant-bench-${name}`, extra),
    probe: `http://127.0.0.1:${port}/`,
  });
  return { name, wire: "openai", url: `http://127.0.0.1:${port}`, path: "/v1/chat/completions", headers: { authorization: `Bearer ${CLIENT_KEY}` }, ...p };
}

/** An HTTP proxy process (bench/upstream/proxy-server.mjs) for the node-proxy target. */
export async function startProxyServer(port) {
  const p = await startProcess({ name: "proxy", cmd: node, args: [join(root, "bench/upstream/proxy-server.mjs"), String(port)], probe: `http://127.0.0.1:${port}/` });
  return { name: "proxy", url: `http://127.0.0.1:${port}`, ...p };
}

/** Our Worker on plain workerd, with the config `npm run start:workerd` would generate. */
export async function startWorkerdApp(name, port, simUrl, extra = {}) {
  const env = gatewayEnv(simUrl, port, `sk-ant-bench-${name}`, extra);
  const dir = join(outDir, `workerd-${name}`);
  // A fresh state directory: each run starts with empty Durable Objects, as a new deployment would.
  rmSync(join(dir, "state"), { recursive: true, force: true });
  const configPath = await prepareWorkerd({ env, outdir: dir, storage: join(dir, "state") });
  const p = await startProcess({ name, cmd: workerdBin, args: ["serve", configPath], env, probe: `http://127.0.0.1:${port}/` });
  return { name, wire: "openai", url: `http://127.0.0.1:${port}`, path: "/v1/chat/completions", headers: { authorization: `Bearer ${CLIENT_KEY}` }, ...p };
}

/** A floor Worker (bench/floors/<file>) on plain workerd, with the gateway's compatibility settings. */
export async function startFloor(name, file, port, simUrl) {
  const dir = join(outDir, `workerd-${name}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(root, "bench/floors", file), join(dir, file));
  const wrangler = readWranglerConfig();
  const configPath = join(dir, "config.capnp");
  writeFileSync(
    configPath,
    renderConfig({
      name,
      modules: [file],
      compatibilityDate: wrangler.compatibility_date,
      compatibilityFlags: wrangler.compatibility_flags,
      vars: [{ name: "UPSTREAM_URL", text: simUrl }],
      address: `127.0.0.1:${port}`,
      outbound: ["local"],
    }),
  );
  const p = await startProcess({ name, cmd: workerdBin, args: ["serve", configPath], probe: `http://127.0.0.1:${port}/` });
  return { name, wire: "anthropic", url: `http://127.0.0.1:${port}`, path: "/v1/messages", headers: anthropicHeaders(`sk-ant-bench-${name}`), ...p };
}

/**
 * A Node floor: node-passthrough.mjs (Hono's adapter and fetch, nothing else) or node-raw.mjs
 * (node:http both ways): what a gateway on Node pays before any work of its own.
 */
export async function startNodeFloor(name, file, port, simUrl) {
  const p = await startProcess({ name, cmd: node, args: [join(root, "bench/floors", file), String(port), simUrl], probe: `http://127.0.0.1:${port}/` });
  return { name, wire: "anthropic", url: `http://127.0.0.1:${port}`, path: "/v1/messages", headers: anthropicHeaders(`sk-ant-bench-${name}`), ...p };
}

export const portkeyEntry = join(root, "bench/peers/portkey/node_modules/@portkey-ai/gateway/build/start-server.js");

/**
 * Portkey's gateway on Node, headless (no log UI). Its README: x-portkey-provider picks
 * the provider, x-portkey-custom-host the upstream base (with /v1, as its Anthropic base is).
 */
export async function startPortkey(port, simUrl) {
  const p = await startProcess({ name: "portkey", cmd: node, args: [portkeyEntry, `--port=${port}`, "--headless"], cwd: join(root, "bench/peers/portkey"), probe: `http://127.0.0.1:${port}/` });
  return {
    name: "portkey",
    wire: "openai",
    url: `http://127.0.0.1:${port}`,
    path: "/v1/chat/completions",
    headers: { authorization: "Bearer sk-ant-bench-portkey", "x-portkey-provider": "anthropic", "x-portkey-custom-host": `${simUrl}/v1` },
    ...p,
  };
}
