const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Random base62 text; ids only need to look real and never collide in a test run. */
export function base62(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const b of bytes) out += BASE62[b % 62];
  return out;
}

// Real ids share the "01" prefix of Anthropic's id version (msg_01…, toolu_01…).
export const newMessageId = (): string => `msg_01${base62(22)}`;
export const newToolUseId = (): string => `toolu_01${base62(22)}`;
export const newRequestId = (): string => `req_011C${base62(20)}`;
export const newFileId = (): string => `file_011C${base62(20)}`;
