/** Where the gateway's log lines go (one JSON line per event in production). */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/**
 * One JSON line per event, for `wrangler tail` and Workers Logs. Values that look like
 * API keys are masked here as a last line of defence: callers already pass only the
 * last four characters of a key, but an upstream message could quote one back.
 */
const KEY_PATTERN = /\b(sk-(?:ant|c2a)-[A-Za-z0-9_-]{2})[A-Za-z0-9_-]+/g;
/** user:password@ in a URL (an outbound proxy's, say, quoted back by an error). */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"']*@/gi;

export function redactSecrets(text: string): string {
  return text.replace(KEY_PATTERN, "$1…").replace(URL_CREDENTIALS, "$1…@");
}

export function keyHint(key: string): string {
  // Platform members (`bedrock:eu-west-1`, `vertex:project@global`) carry no secret in their id.
  if (key.startsWith("bedrock:") || key.startsWith("vertex:")) return key;
  return `…${key.slice(-4)}`;
}

export function createConsoleLogger(base: Record<string, unknown> = {}): Logger {
  const write = (level: "info" | "warn" | "error", event: string, fields?: Record<string, unknown>) => {
    const line = redactSecrets(JSON.stringify({ level, event, ...base, ...fields }));
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
  return {
    info: (e, f) => write("info", e, f),
    warn: (e, f) => write("warn", e, f),
    error: (e, f) => write("error", e, f),
  };
}
