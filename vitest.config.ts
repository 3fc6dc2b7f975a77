import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig } from "vitest/config";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SummaryLineReporter } from "./test/support/summary-line-reporter";

// Recorded Anthropic responses (test/fixtures/anthropic-recorded, with their provenance note).
// Tests run inside workerd, which has no host filesystem, so the config (which runs
// in Node) reads them and hands them to the tests through vitest's provide/inject.
const fixturesDir = fileURLToPath(new URL("./test/fixtures/anthropic-recorded/", import.meta.url));
const recordedFixtures: Record<string, string> = {};
if (!existsSync(fixturesDir)) {
  throw new Error(`The recorded Anthropic fixtures are missing: expected ${fixturesDir}.`);
}
for (const name of readdirSync(fixturesDir)) {
  if (name.endsWith(".json") || name.endsWith(".txt")) recordedFixtures[name] = readFileSync(fixturesDir + name, "utf8");
}

// Two projects in one run: the gateway in workerd (everything but test/node), and the Node
// runtime (src/runtime/node-*.ts) in plain Node under test/node, where node:http exists.
export default defineConfig({
  test: {
    reporters: ["default", new SummaryLineReporter()],
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.jsonc" },
            miniflare: {
              bindings: { UPSTREAM: "simulator" },
            },
          }),
        ],
        test: {
          name: "workerd",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/node/**"],
          provide: { recordedFixtures },
        },
      },
      {
        test: {
          name: "node",
          environment: "node",
          include: ["test/node/**/*.test.ts"],
        },
      },
    ],
  },
});
