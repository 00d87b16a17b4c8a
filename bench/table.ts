/** Markdown tables: readable in a terminal and pasted as is into the README. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((row) => row.map(String));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(headers), rule, ...cells.map(line)].join('\n');
}

export const ms = (value: number): string =>
  Number.isNaN(value) ? '—' : value < 10 ? value.toFixed(2) : value.toFixed(1);
export const rps = (value: number): string => Math.round(value).toLocaleString('en-US');
export const pct = (value: number): string => (Number.isFinite(value) ? `${Math.round(value * 100)} %` : '—');
export const kib = (bytes: number): string => (bytes / 1024).toFixed(1);
