import { dayInZone } from '../../../common/dates.js';
import { FileUnreadable, problem } from './file-problems.js';
import type { ReadContext, StatementItem } from './statement-row.js';
import { parseAmount } from './values.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const unescape = (s: string) =>
  s.replace(/&(#\d+|[a-z]+);/gi, (m, e: string) =>
    e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : (ENTITIES[e.toLowerCase()] ?? m),
  );

/**
 * A leaf's value in OFX 1.x SGML (`<TRNAMT>-12.50` up to the next tag or line end, no closing tag)
 * and 2.x XML (`<TRNAMT>-12.50</TRNAMT>`) alike, with its line inside the block.
 */
function leaf(block: string, tag: string): { value: string; lineOffset: number } | null {
  const m = new RegExp(`<${tag}>([^<\\r\\n]*)`, 'i').exec(block);
  if (!m) return null;
  let lineOffset = 0;
  for (let i = block.indexOf('\n'); i !== -1 && i < m.index; i = block.indexOf('\n', i + 1)) lineOffset++;
  return { value: unescape(m[1]!.trim()), lineOffset };
}

/**
 * OFX date-time: YYYYMMDD[HHMMSS[.XXX]][[±hh[.mm]][:TZ]]. Without an offset the spec means GMT;
 * a day alone stays that day.
 */
export function parseOfxDate(text: string, timeZone: string): { day: string; instant: Date | null } | null {
  const m =
    /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?(?:\.\d+)?)?(?:\[([+-]?\d{1,2})(?:\.(\d{2}))?(?::[^\]]*)?\])?$/.exec(
      text,
    );
  if (!m) return null;
  const day = `${m[1]}-${m[2]}-${m[3]}`;
  const check = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== day) return null;
  if (m[4] === undefined) return { day, instant: null };
  const hours = Number(m[7] ?? 0);
  const minutes = Number(m[8] ?? 0) * (hours < 0 || m[7]?.startsWith('-') ? -1 : 1);
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4], +m[5]!, +(m[6] ?? 0));
  const instant = new Date(wall - (hours * 60 + minutes) * 60_000);
  return { day: dayInZone(instant, timeZone), instant };
}

/** Operations of an OFX bank or card statement, one `<STMTTRN>` block at a time. */
export async function* readOfx(
  chunks: AsyncIterable<string>,
  context: ReadContext,
): AsyncGenerator<StatementItem> {
  let buffer = '';
  let line = 1;
  let currency: string | null = null;
  let seenOfx = false;
  let rows = 0;
  for await (const text of chunks) {
    buffer += text;
    if (!seenOfx) {
      if (/<OFX>/i.test(buffer)) seenOfx = true;
      else if (buffer.length > 4096) throw new FileUnreadable(problem(1, null, 'FORMAT_UNKNOWN'));
    }
    for (;;) {
      const start = buffer.search(/<STMTTRN>/i);
      if (currency === null)
        currency = leaf(start === -1 ? buffer : buffer.slice(0, start), 'CURDEF')?.value ?? null;
      if (start === -1) break;
      const end = buffer.slice(start).search(/<\/STMTTRN>/i);
      if (end === -1) break;
      line += countLines(buffer.slice(0, start));
      const block = buffer.slice(start, start + end);
      if (++rows > context.maxRows) throw new FileUnreadable(problem(line, null, 'TOO_MANY_ROWS'));
      yield transaction(block, line, currency, context);
      line += countLines(block);
      buffer = buffer.slice(start + end + '</STMTTRN>'.length);
    }
  }
  if (!seenOfx) throw new FileUnreadable(problem(1, null, 'FORMAT_UNKNOWN'));
  if (/<STMTTRN>/i.test(buffer)) throw new FileUnreadable(problem(line, 'STMTTRN', 'RECORD_UNFINISHED'));
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function transaction(
  block: string,
  line: number,
  currency: string | null,
  context: ReadContext,
): StatementItem {
  const posted = leaf(block, 'DTPOSTED');
  const date = posted && parseOfxDate(posted.value, context.timeZone);
  if (!date)
    return {
      problem: problem(line + (posted?.lineOffset ?? 0), 'DTPOSTED', 'DATE_INVALID', posted?.value ?? ''),
    };
  const amountText = leaf(block, 'TRNAMT');
  const amount = amountText && parseAmount(amountText.value, 'auto');
  if (!amount)
    return {
      problem: problem(
        line + (amountText?.lineOffset ?? 0),
        'TRNAMT',
        amountText ? 'AMOUNT_INVALID' : 'AMOUNT_MISSING',
        amountText?.value ?? '',
      ),
    };
  const name = leaf(block, 'NAME')?.value ?? '';
  const memo = leaf(block, 'MEMO')?.value ?? '';
  return {
    row: {
      line,
      date: date.day,
      occurredAt: date.instant,
      amount,
      currency: leaf(block, 'CURSYM')?.value ?? currency,
      description: memo || name,
      payee: name || memo,
      mcc: leaf(block, 'SIC')?.value ?? null,
      bankCategory: null,
      bankId: leaf(block, 'FITID')?.value || null,
    },
  };
}
