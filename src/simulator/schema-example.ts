/**
 * A plausible value that validates against a JSON schema: what the mini model "decides"
 * to put in tool inputs and structured outputs.
 */
type Schema = Record<string, any>;

const MAX_DEPTH = 8;

const STRING_BY_NAME: Array<[RegExp, string]> = [
  [/location|city|place|address/i, "Paris"],
  [/country/i, "France"],
  [/unit/i, "celsius"],
  [/email/i, "user@example.com"],
  [/url|link|uri/i, "https://example.com"],
  [/date/i, "2025-01-01"],
  [/query|search|question|prompt/i, "example query"],
  [/name/i, "example"],
];

const STRING_BY_FORMAT: Record<string, string> = {
  date: "2025-01-01",
  "date-time": "2025-01-01T00:00:00Z",
  time: "12:00:00",
  email: "user@example.com",
  uri: "https://example.com",
  url: "https://example.com",
  uuid: "00000000-0000-4000-8000-000000000000",
};

export interface ExampleOptions {
  /** Fill optional properties too (structured outputs read better that way); tool inputs get only the required ones. */
  allProperties?: boolean;
}

export function exampleFor(schema: unknown, options: ExampleOptions = {}): unknown {
  return build(schema as Schema, schema as Schema, "", options, 0);
}

function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith("#/")) return undefined;
  let node: any = root;
  for (const part of ref.slice(2).split("/")) node = node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  return node;
}

function build(schema: Schema | undefined, root: Schema, name: string, options: ExampleOptions, depth: number): unknown {
  if (!schema || typeof schema !== "object" || depth > MAX_DEPTH) return null;
  if (typeof schema.$ref === "string") return build(resolveRef(root, schema.$ref), root, name, options, depth + 1);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ("default" in schema) return schema.default;
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union) && union.length > 0) {
    const choice = union.find((s: Schema) => s?.type !== "null") ?? union[0];
    return build(choice, root, name, options, depth + 1);
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Record<string, unknown> = {};
    for (const part of schema.allOf) Object.assign(merged, build(part, root, name, options, depth + 1) as object);
    return merged;
  }
  const type = Array.isArray(schema.type) ? (schema.type.find((t: string) => t !== "null") ?? "null") : schema.type;
  switch (type ?? (schema.properties ? "object" : schema.items ? "array" : "string")) {
    case "object": {
      const out: Record<string, unknown> = {};
      const required: string[] = Array.isArray(schema.required) ? schema.required : [];
      for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
        if (options.allProperties || required.includes(key)) out[key] = build(sub, root, key, options, depth + 1);
      }
      return out;
    }
    case "array": {
      const count = Math.max(1, schema.minItems ?? 1);
      return Array.from({ length: count }, () => build(schema.items, root, name, options, depth + 1));
    }
    case "integer":
    case "number": {
      let value = 1;
      if (typeof schema.minimum === "number") value = Math.max(value, schema.minimum);
      if (typeof schema.exclusiveMinimum === "number") value = Math.max(value, schema.exclusiveMinimum + 1);
      if (typeof schema.maximum === "number") value = Math.min(value, schema.maximum);
      return type === "integer" ? Math.ceil(value) : value;
    }
    case "boolean":
      return true;
    case "null":
      return null;
    default: {
      let text = STRING_BY_FORMAT[schema.format] ?? STRING_BY_NAME.find(([re]) => re.test(name))?.[1] ?? "example";
      if (typeof schema.minLength === "number") text = text.padEnd(schema.minLength, "x");
      if (typeof schema.maxLength === "number") text = text.slice(0, schema.maxLength);
      return text;
    }
  }
}
