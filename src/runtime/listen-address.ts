/**
 * Where the Node server listens. ADDRESS (the seed project's name, `host:port`) wins when
 * set, because it is the operator's explicit choice of host and port; otherwise PORT (what
 * platforms such as a Hugging Face Space or Cloud Run set) on all interfaces; otherwise
 * 0.0.0.0:8080. A value that is not a port is refused at start-up rather than replaced by
 * a default the operator did not ask for.
 */
export interface ListenAddress {
  hostname: string;
  port: number;
  /** Which setting decided it, for the start-up log line. */
  from: "ADDRESS" | "PORT" | "default";
}

export const DEFAULT_LISTEN: ListenAddress = { hostname: "0.0.0.0", port: 8080, from: "default" };

export function listenAddress(env: Record<string, string | undefined>): ListenAddress {
  const address = env.ADDRESS?.trim();
  if (address) {
    const sep = address.lastIndexOf(":");
    // "8080" and ":8080" mean every interface, as they did in the seed project.
    const host = sep > 0 ? address.slice(0, sep) : "0.0.0.0";
    const hostname = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
    return { hostname, port: parsePort(sep >= 0 ? address.slice(sep + 1) : address, "ADDRESS", address), from: "ADDRESS" };
  }
  const port = env.PORT?.trim();
  if (port) return { hostname: "0.0.0.0", port: parsePort(port, "PORT", port), from: "PORT" };
  return DEFAULT_LISTEN;
}

function parsePort(text: string, name: string, whole: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new Error(`claude2api: invalid ${name} ${JSON.stringify(whole)}: expected ${name === "PORT" ? "a port number (1-65535)" : "host:port, such as 0.0.0.0:8080 or 127.0.0.1:3000"}`);
  }
  return port;
}

/** The host a local client (the container's health check) should call to reach `hostname`. */
export function localHost(hostname: string): string {
  if (hostname === "0.0.0.0" || hostname === "") return "127.0.0.1";
  if (hostname === "::") return "[::1]";
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}
