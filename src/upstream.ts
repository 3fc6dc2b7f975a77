/**
 * The upstream is a function: global `fetch` in production, the simulator's own
 * handler in the offline demo and in tests. No code path exists only for tests.
 */
export type Upstream = (request: Request) => Promise<Response>;
