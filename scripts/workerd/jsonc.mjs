/**
 * wrangler.jsonc is JSON with comments and trailing commas; JSON.parse refuses both.
 * Strings are copied verbatim so that a "//" inside a URL is not taken for a comment.
 * @param {string} text
 */
export function parseJsonc(text) {
  const trailing = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*[\]}]/;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2);
      if (i < 0) break;
      i++;
    } else if (c === "," && trailing.test(text.slice(i + 1, i + 4097))) {
      // a trailing comma: dropped
    } else out += c;
  }
  return JSON.parse(out);
}
