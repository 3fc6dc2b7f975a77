import { z } from "zod";

/**
 * An array schema that stops at the first element that fails and reports that element's
 * first issue only. z.array checks every element and collects every issue; half a million
 * bad elements (`{"messages":[1,1,1,…]}`, 1 MB of JSON) made half a million issues, which
 * zod copies into its parent with `push(...issues)`: a RangeError (call stack exceeded)
 * and a 500, plus the time and memory to build issues nobody reads. The gateway only
 * reports the first bad field, so nothing is lost, and the issues of any request are now
 * bounded by the depth of the schema, not by the size of the body.
 */
export function arrayOf<T extends z.ZodType>(item: T, opts: { min?: number } = {}): z.ZodType<z.output<T>[], z.input<T>[]> {
  const min = opts.min ?? 0;
  // Typed as the array it validates: clients' request types (z.input) still see element types.
  return z.array(z.unknown()).transform((items, ctx): z.output<T>[] => {
    if (items.length < min) {
      ctx.issues.push({ code: "too_small", origin: "array", minimum: min, inclusive: true, input: items, message: `Too small: expected array to have >=${min} items` });
      return z.NEVER;
    }
    const out: z.output<T>[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const r = item.safeParse(items[i], { reportInput: true });
      if (!r.success) {
        const first = r.error.issues[0]!;
        ctx.issues.push({ ...first, path: [i, ...first.path] } as never);
        return z.NEVER;
      }
      out[i] = r.data;
    }
    return out;
  }) as unknown as z.ZodType<z.output<T>[], z.input<T>[]>;
}
