import { encodeBase64 } from "./base64";
import type { AttachmentLookup } from "./table";

/**
 * JSON of an upstream request whose blocks may carry attachment references: a reference
 * still in the body (its upload failed, or offloading is off for passthrough keys) is
 * expanded to base64 here, at the last moment. Offloaded ones are file ids by now, so
 * the usual payload is small and this is one plain JSON.stringify.
 */
export function stringifyWithAttachments(body: unknown, attachments: AttachmentLookup | undefined): string {
  const json = JSON.stringify(body);
  if (!attachments?.size) return json;
  const parts: string[] = [];
  let from = 0;
  for (let at = json.indexOf(MARKER, from); at >= 0; at = json.indexOf(MARKER, from)) {
    const start = at + MARKER.length;
    const end = json.indexOf('"', start);
    const a = end > start ? attachments.get(json.slice(start, end)) : undefined;
    if (!a) {
      parts.push(json.slice(from, start));
      from = start;
      continue;
    }
    parts.push(json.slice(from, start), encodeBase64(a.bytes));
    from = end;
  }
  if (!parts.length) return json;
  parts.push(json.slice(from));
  return parts.join("");
}

/** How a base64 block source's data begins in JSON.stringify's output. */
const MARKER = '"data":"';
