/**
 * The Node server process as the Docker image runs it (the bundle of scripts/build-node.mjs,
 * configured by environment variables only): where it listens (ADDRESS, PORT), that with no
 * upstream keys and UPSTREAM=auto it answers from the simulator and says so, that the
 * container's health check finds it, and that SIGTERM (`docker stop`) ends it promptly.
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNodeBundle, type NodeBundle } from "./support/bundle";

let built: NodeBundle;
const children: ChildProcess[] = [];
beforeAll(async () => {
  built = await buildNodeBundle();
}, 60_000);
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  built?.remove();
});

async function freePort(): Promise<number> {
  const server = http.createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

function run(file: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, [file], { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (c: Uint8Array) => void (output += Buffer.from(c).toString()));
  child.stderr!.on("data", (c: Uint8Array) => void (output += Buffer.from(c).toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once("exit", () => resolve({ code: child.exitCode, signal: child.signalCode })));
  return { child, output: () => output, exited };
}

async function untilListening(p: Running): Promise<void> {
  for (let i = 0; i < 200 && !p.output().includes('"event":"listening"'); i++) {
    if (p.child.exitCode !== null) throw new Error(`the server exited: ${p.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  if (!p.output().includes('"event":"listening"')) throw new Error(`the server did not start: ${p.output()}`);
}

describe("the Node server process", () => {
  it("listens on PORT when ADDRESS is unset, answers from the simulator without keys (and says so), passes its health check and stops on SIGTERM", async () => {
    const port = await freePort();
    const env = { PORT: String(port), UPSTREAM: "auto" };
    const server = run(built.server, env);
    await untilListening(server);
    expect(server.output()).toContain(`"address":"0.0.0.0:${port}","from":"PORT","upstream":"simulator"`);
    expect(server.output()).toContain('"event":"simulator_mode"');

    const chat = await fetch(`http://127.0.0.1:${port}/hf/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "hello from a process" }] }),
    });
    expect(chat.status).toBe(200);
    expect(chat.headers.get("x-claude2api-upstream")).toBe("simulator");

    // The container's HEALTHCHECK runs with the same environment.
    expect((await run(built.healthcheck, env).exited).code).toBe(0);

    const started = Date.now();
    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(server.output()).toContain('"event":"shutting_down","runtime":"node","signal":"SIGTERM"');
  });

  it("lets an explicit ADDRESS win over PORT, and the health check follows it", async () => {
    const port = await freePort();
    const env = { ADDRESS: `127.0.0.1:${port}`, PORT: "1", UPSTREAM: "simulator" };
    const server = run(built.server, env);
    await untilListening(server);
    expect(server.output()).toContain(`"address":"127.0.0.1:${port}","from":"ADDRESS"`);
    expect((await run(built.healthcheck, env).exited).code).toBe(0);
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
  });

  it("fails the health check when nothing answers, and refuses to start on a PORT that is not one", async () => {
    const port = await freePort();
    const check = run(built.healthcheck, { PORT: String(port) });
    expect((await check.exited).code).toBe(1);
    expect(check.output()).toContain("health check failed");

    const bad = run(built.server, { PORT: "http", UPSTREAM: "simulator" });
    expect((await bad.exited).code).toBe(1);
    expect(bad.output()).toContain('invalid PORT "http"');
  });
});
