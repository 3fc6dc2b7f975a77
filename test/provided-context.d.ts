// What vitest.config.ts hands the tests through provide/inject (read in Node, used in workerd).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** test/fixtures/anthropic-recorded/*, by file name. */
    recordedFixtures: Record<string, string>;
  }
}
