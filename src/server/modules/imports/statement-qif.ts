import { FileUnreadable, problem } from './file-problems.js';
import type { ReadContext, StatementItem } from './statement-row.js';
import { parseAmount, parseDate, type DateFormat } from './values.js';

/** Bank-like QIF sections; `!Type:Invst` and lists (categories, classes) are not statements. */
const STATEMENT_TYPES = /^!Type:(Bank|Cash|CCard|Oth A|Oth L)\s*$/i;

/**
 * Quicken's day: "01/15/2024", "1/15'24" (an apostrophe marks years from 2000) or "15.01.2024".
 * Slashes are read month first unless the user chose day first.
 */
function qifDate(text: string, slashFormat: DateFormat) {
  const s = text.trim().replace(/\s+/g, '');
  const apostrophe = /^(\d{1,2})\/(\d{1,2})'(\d{2})$/.exec(s);
  if (apostrophe) return parseDate(`${apostrophe[1]}/${apostrophe[2]}/20${apostrophe[3]}`, slashFormat);
  if (s.includes('.')) return parseDate(s, /\.\d{4}$/.test(s) ? 'dd.mm.yyyy' : 'dd.mm.yy');
  if (s.includes('-')) return parseDate(s, 'yyyy-mm-dd');
  return parseDate(s, slashFormat);
}

/** Operations of a QIF file: one record per `^`, fields by their first letter. */
export async function* readQif(
  chunks: AsyncIterable<string>,
  context: ReadContext & { slashFormat: DateFormat },
): AsyncGenerator<StatementItem> {
  let rest = '';
  let line = 0;
  let inStatement = false;
  let sawType = false;
  let record: Record<string, { value: string; line: number }> = {};
  let rows = 0;
  const finish = (endLine: number): StatementItem | null => {
    const r = record;
    record = {};
    if (!inStatement || Object.keys(r).length === 0) return null;
    const first = Math.min(...Object.values(r).map((f) => f.line));
    if (++rows > context.maxRows) throw new FileUnreadable(problem(first, null, 'TOO_MANY_ROWS'));
    if (!r.D) return { problem: problem(endLine, 'D', 'DATE_INVALID', '') };
    const date = qifDate(r.D.value, context.slashFormat);
    if (!date) return { problem: problem(r.D.line, 'D', 'DATE_INVALID', r.D.value) };
    const t = r.T ?? r.U;
    const amount = t && parseAmount(t.value, 'auto');
    if (!amount)
      return {
        problem: problem(t?.line ?? first, 'T', t ? 'AMOUNT_INVALID' : 'AMOUNT_MISSING', t?.value ?? ''),
      };
    const payee = r.P?.value.trim() ?? '';
    const memo = r.M?.value.trim() ?? '';
    const category = r.L?.value.trim() ?? '';
    return {
      row: {
        line: first,
        date: date.day,
        occurredAt: null,
        amount,
        currency: null,
        description: memo || payee,
        payee: payee || memo,
        mcc: null,
        // "[Account]" in L is a transfer, not a category.
        bankCategory: category === '' || category.startsWith('[') ? null : category.split(':').pop()!,
        bankId: r.N?.value.trim() || null,
      },
    };
  };
  const handle = (text: string): StatementItem | null => {
    line++;
    const l = text.replace(/\r$/, '');
    if (l.trim() === '') return null;
    if (l.startsWith('!')) {
      if (/^!Type:/i.test(l)) {
        sawType = true;
        inStatement = STATEMENT_TYPES.test(l);
        if (!inStatement && /^!Type:Invst/i.test(l))
          throw new FileUnreadable(problem(line, null, 'ACCOUNT_TYPE_UNSUPPORTED', l));
      } else if (/^!Account/i.test(l)) {
        inStatement = false;
      }
      return null;
    }
    if (!sawType) throw new FileUnreadable(problem(line, null, 'FORMAT_UNKNOWN', l));
    if (l.startsWith('^')) return finish(line);
    const key = l[0]!;
    // Split lines (S, E, $) belong to the whole record's amount already.
    if (!(key in record)) record[key] = { value: l.slice(1), line };
    return null;
  };
  for await (const text of chunks) {
    const lines = (rest + text).split('\n');
    rest = lines.pop()!;
    for (const l of lines) {
      const item = handle(l);
      if (item) yield item;
    }
  }
  const last = handle(rest);
  if (last) yield last;
  if (!sawType) throw new FileUnreadable(problem(1, null, 'FORMAT_UNKNOWN'));
  if (Object.keys(record).length > 0 && inStatement)
    throw new FileUnreadable(problem(line, null, 'RECORD_UNFINISHED'));
}
