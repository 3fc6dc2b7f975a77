import { encodeBase64 } from "./base64";
import type { AttachmentLookup } from "./table";

/**
 * JSON of an upstream request whose blocks may carry attachment references: a reference
 * still in the body (its upload failed, or offloading is off for passthrough keys) is
 * expanded to base64 here, at the last moment. Offloaded ones are file ids by now, so
 * the usual payload is small and this is one plain JSON.stringify.
 */
export function stringifyWithAttachments(body: unknown, attachments: AttachmentLookup | undefined): string {
  const json = wellFormedJson(JSON.stringify(body));
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

/** An escaped backslash (kept), or the escape of a surrogate code unit. */
const SURROGATE_ESCAPE = /\\\\|\\ud[89a-f][0-9a-f]{2}/g;

/**
 * JSON.stringify's output with lone surrogates replaced by U+FFFD. A client's JSON may
 * carry them (`"\ud83d"`, an emoji cut in half), JSON.parse accepts them, and
 * JSON.stringify writes them back as `\udXXX` escapes, which the Anthropic API refuses
 * for the whole request ("no low surrogate in string"). JSON.stringify writes paired
 * surrogates as they are, so every surrogate escape in its output is a lone one; an
 * escaped backslash is matched first so that the text `\ud800` is not mistaken for one.
 */
export function wellFormedJson(json: string): string {
  if (!json.includes("\\ud")) return json;
  return json.replace(SURROGATE_ESCAPE, (m) => (m.length === 2 ? m : "\\ufffd"));
}
