import { regionsOf, type Config } from "../config";
import type { SimulatorOptions } from "../simulator";
import { publicKeyOf } from "./vertex/jwt";

/**
 * In simulator mode (UPSTREAM=simulator) the simulator's Bedrock and Vertex fronts accept
 * exactly the credentials the gateway is configured with, so that a demo or a test with
 * BEDROCK_* / VERTEX_* set answers end to end, signatures and tokens checked.
 */
export function simulatedPlatforms(config: Config): Pick<SimulatorOptions, "bedrock" | "vertex"> {
  const out: Pick<SimulatorOptions, "bedrock" | "vertex"> = {};
  if (config.BEDROCK_REGION) {
    out.bedrock = {
      region: regionsOf(config.BEDROCK_REGION),
      credentials:
        config.BEDROCK_ACCESS_KEY_ID && config.BEDROCK_SECRET_ACCESS_KEY
          ? [{ accessKeyId: config.BEDROCK_ACCESS_KEY_ID, secretAccessKey: config.BEDROCK_SECRET_ACCESS_KEY, sessionToken: config.BEDROCK_SESSION_TOKEN }]
          : [],
      apiKeys: config.BEDROCK_API_KEY ? [config.BEDROCK_API_KEY] : [],
    };
  }
  const account = config.VERTEX_SERVICE_ACCOUNT;
  if (account) {
    const publicKey = publicKeyOf(account.private_key);
    publicKey.catch(() => {}); // a bad key is reported by the token exchange, where the operator sees it
    out.vertex = { serviceAccounts: [{ client_email: account.client_email, publicKey, projects: [config.VERTEX_PROJECT_ID ?? account.project_id ?? ""] }] };
  }
  return out;
}
