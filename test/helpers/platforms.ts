/**
 * Test identities for the Bedrock and Vertex fronts of the simulator: IAM credentials, a
 * Bedrock API key, and a freshly generated service account (its private key for the
 * gateway's VERTEX_SERVICE_ACCOUNT, its public key for the simulator).
 */
export const BEDROCK_REGION = "eu-west-1";
export const BEDROCK_CREDS = { accessKeyId: "AKIATESTBEDROCK00001", secretAccessKey: "test/Secret+Access/Key0000000000000000000" };
export const BEDROCK_TEMP_CREDS = { accessKeyId: "ASIATESTBEDROCK00002", secretAccessKey: "temp/Secret+Access/Key000000000000000000", sessionToken: "IQoJb3JpZ2luX2VjEtest-session-token" };
export const BEDROCK_API_KEY = "ABSKQmVkcm9ja0FQSUtleS10ZXN0LWtleQ==";
export const VERTEX_PROJECT = "test-project-4242";
export const VERTEX_EMAIL = "claude2api@test-project-4242.iam.gserviceaccount.com";

export interface TestServiceAccount {
  /** The key file's JSON, as an operator pastes it into VERTEX_SERVICE_ACCOUNT. */
  json: string;
  privateKeyPem: string;
  publicKey: CryptoKey;
  email: string;
}

export async function testServiceAccount(tokenUri: string, email = VERTEX_EMAIL, project = VERTEX_PROJECT): Promise<TestServiceAccount> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
  let bin = "";
  for (const b of pkcs8) bin += String.fromCharCode(b);
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${btoa(bin).replace(/(.{64})/g, "$1\n")}\n-----END PRIVATE KEY-----\n`;
  const json = JSON.stringify({
    type: "service_account",
    project_id: project,
    private_key_id: "0123456789abcdef",
    private_key: privateKeyPem,
    client_email: email,
    token_uri: tokenUri,
  });
  return { json, privateKeyPem, publicKey: pair.publicKey, email };
}
