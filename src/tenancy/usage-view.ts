import type { KeyJson, UsageJson } from "./admin";

/**
 * The usage section of the status page: per key, spend this period against its budget,
 * and the last days' requests, tokens and spend, the spend drawn as an inline SVG bar
 * chart. Plain HTML and SVG, no script and no external asset: it works offline.
 */

const esc = (v: unknown): string => String(v ?? "—").replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

const money = (usd: number) => (usd >= 0.01 || usd === 0 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`);
const tokens = (r: UsageJson) => r.input_tokens + r.output_tokens + r.cache_read_tokens + r.cache_write_tokens;

/** The `count` UTC days up to and including `today`, oldest first. */
export function lastDays(today: string, count: number): string[] {
  const end = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(end - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** Spend per day as bars; the tallest bar is the period's maximum, each bar titled with its day and amount. */
export function spendChart(days: string[], spendByDay: ReadonlyMap<string, number>, width = 280, height = 60): string {
  const max = Math.max(0, ...days.map((d) => spendByDay.get(d) ?? 0));
  const slot = width / Math.max(1, days.length);
  const bars = days
    .map((d, i) => {
      const v = spendByDay.get(d) ?? 0;
      const h = max > 0 ? Math.max(v > 0 ? 1 : 0, Math.round((v / max) * (height - 12))) : 0;
      return `<rect x="${(i * slot + 1).toFixed(1)}" y="${height - h}" width="${Math.max(1, slot - 2).toFixed(1)}" height="${h}" fill="#4a7"><title>${esc(d)}: ${esc(money(v))}</title></rect>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="spend per day, maximum ${esc(money(max))}"><line x1="0" y1="${height - 0.5}" x2="${width}" y2="${height - 0.5}" stroke="#bbb"/>${bars}<text x="0" y="10" font-size="10" fill="#666">max ${esc(money(max))}/day</text></svg>`;
}

/**
 * `daily` holds one row per key × day (GET /admin/usage?group_by=… is not enough: the
 * store's plain rows are summed over models here).
 */
export function renderUsageSection(keys: KeyJson[], daily: UsageJson[], today: string, dayCount = 14): string {
  const days = lastDays(today, dayCount);
  const perKey = new Map<string, Map<string, UsageJson>>();
  for (const r of daily) {
    if (!r.key_id || !r.day) continue;
    const m = perKey.get(r.key_id) ?? new Map<string, UsageJson>();
    const cur = m.get(r.day);
    m.set(r.day, cur ? { ...cur, requests: cur.requests + r.requests, input_tokens: cur.input_tokens + r.input_tokens, output_tokens: cur.output_tokens + r.output_tokens, cache_read_tokens: cur.cache_read_tokens + r.cache_read_tokens, cache_write_tokens: cur.cache_write_tokens + r.cache_write_tokens, cost_usd: cur.cost_usd + r.cost_usd, estimated: cur.estimated || r.estimated } : r);
    perKey.set(r.key_id, m);
  }
  if (keys.length === 0) return "<h2>Usage</h2><p>No client keys.</p>";
  const sections = keys.map((k) => {
    const byDay = perKey.get(k.id) ?? new Map<string, UsageJson>();
    const spend = new Map([...byDay].map(([d, r]) => [d, r.cost_usd]));
    const budget = k.budget_usd === null ? "no budget" : `${money(k.spend_this_period_usd)} of ${money(k.budget_usd)} this ${k.budget_period === "total" ? "key's life" : k.budget_period}`;
    const pct = k.budget_usd ? Math.min(100, Math.round((k.spend_this_period_usd / k.budget_usd) * 100)) : 0;
    const meter = k.budget_usd === null ? "" : `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="10" role="img" aria-label="${pct}% of budget"><rect width="120" height="10" fill="#eee"/><rect width="${(pct * 1.2).toFixed(1)}" height="10" fill="${pct >= 100 ? "#b00" : pct >= 80 ? "#c80" : "#4a7"}"/></svg> ${pct}%`;
    const rows = days
      .filter((d) => byDay.has(d))
      .reverse()
      .map((d) => {
        const r = byDay.get(d)!;
        return `<tr><td>${esc(d)}</td><td>${r.requests}</td><td>${tokens(r)}</td><td>${esc(money(r.cost_usd))}${r.estimated ? " <small>(incl. estimates)</small>" : ""}</td></tr>`;
      })
      .join("");
    return `<section class="usage-key"><h3>${esc(k.name)} <small><code>${esc(k.id)}</code> · ${esc(k.kind)} · …${esc(k.last4)}${k.disabled ? " · <b>disabled</b>" : ""}</small></h3>
<p>${esc(budget)} ${meter}${k.rpm !== null ? ` · ${k.rpm} rpm` : ""}${k.tpm !== null ? ` · ${k.tpm} tpm` : ""}${k.period_resets_at ? ` · resets ${esc(k.period_resets_at)}` : ""}</p>
${spendChart(days, spend)}
${rows ? `<table><thead><tr><th>day (UTC)</th><th>requests</th><th>tokens</th><th>spend</th></tr></thead><tbody>${rows}</tbody></table>` : `<p><small>No requests in the last ${dayCount} days.</small></p>`}</section>`;
  });
  return `<h2>Usage</h2>\n<p><small>Last ${dayCount} days (UTC). Details: <code>GET /admin/usage?group_by=day|model|key&amp;format=csv</code>.</small></p>\n${sections.join("\n")}`;
}
