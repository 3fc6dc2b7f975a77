/** Nearest-rank percentile: with few samples it reports a value that was really observed. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values) => percentile(values, 50);
export const p99 = (values) => percentile(values, 99);

/** Rounds for tables: 3 significant digits is all this machine's noise allows. */
export function fmt(n, digits = 3) {
  if (n === undefined || n === null || Number.isNaN(n)) return "n/a";
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Number(n.toPrecision(digits)).toString();
}

export const ratio = (a, b) => (b > 0 ? a / b : NaN);

/** One target's failure is a finding to report, not a reason to lose the other targets' figures. */
export async function orError(fn) {
  try {
    return await fn();
  } catch (e) {
    return { error: String(e instanceof Error ? e.message : e).slice(0, 400) };
  }
}
