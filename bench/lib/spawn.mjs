/**
 * Starts a target as its own process group (so that stopping it also stops the npm and
 * shell wrappers) and waits until it answers HTTP.
 */
import { spawn } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { get } from "./client.mjs";
import { leafProcess } from "./proc.mjs";
import { outDir } from "./build.mjs";

/**
 * @param {{ name: string, cmd: string, args: string[], env?: Record<string, string>, cwd?: string, probe: string }} o
 * @returns {Promise<{ pid: number, stop: () => Promise<void> }>} pid of the process doing the work
 */
export async function startProcess(o) {
  mkdirSync(join(outDir, "logs"), { recursive: true });
  const log = openSync(join(outDir, "logs", `${o.name}.log`), "w");
  const child = spawn(o.cmd, o.args, { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ["ignore", log, log], detached: true });
  let exited = false;
  const exit = new Promise((resolve) => child.on("exit", () => resolve((exited = true))));
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, 3000);
    await exit;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`${o.name} exited during startup; see dist/bench/logs/${o.name}.log`);
    try {
      await get(o.probe);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${o.name} did not answer ${o.probe} within 60 s`);
      }
      await sleep(100);
    }
  }
  return { pid: leafProcess(child.pid), stop };
}
