/**
 * VERTEX_SERVICE_ACCOUNT: the service account key JSON Google issues (`type`,
 * `client_email`, `private_key`, `token_uri`, `project_id`). Checked at startup so that a
 * pasted key with a missing field is a configuration error naming the field, not a 500
 * on the first request.
 */
export interface ServiceAccount {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri: string;
  project_id?: string;
}

export const DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";

export function parseServiceAccount(text: string): ServiceAccount {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error("VERTEX_SERVICE_ACCOUNT must be the service account key file's JSON (as downloaded from Google Cloud IAM)");
  }
  if (!parsed || typeof parsed !== "object") throw new Error("VERTEX_SERVICE_ACCOUNT must be a JSON object");
  const str = (name: string) => (typeof parsed[name] === "string" && (parsed[name] as string).trim() ? (parsed[name] as string) : undefined);
  const email = str("client_email");
  const key = str("private_key");
  if (!email) throw new Error("VERTEX_SERVICE_ACCOUNT has no client_email");
  if (!key || !key.includes("PRIVATE KEY")) throw new Error("VERTEX_SERVICE_ACCOUNT has no private_key in PEM form");
  return { client_email: email, private_key: key, private_key_id: str("private_key_id"), token_uri: str("token_uri") ?? DEFAULT_TOKEN_URI, project_id: str("project_id") };
}
