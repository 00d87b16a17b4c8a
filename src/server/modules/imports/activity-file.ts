import { dayInZone } from '../../../common/dates.js';
import { Decimal, dec } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';
import type { OperationType } from '../investments/valuation.js';
import {
  GENERIC_TYPES,
  GHOSTFOLIO,
  guessActivityPreset,
  type ActivityColumns,
  type ActivityMapping,
  type ActivityPreset,
} from './activity-presets.js';
import { CsvReader, detectDelimiter, type CsvRecord, type Delimiter } from './csv-reader.js';
import { FileUnreadable, problem, type FileProblem } from './file-problems.js';
import type { ReadContext } from './statement-row.js';
import { instantOfLocal, parseDate, parseDecimal } from './values.js';

/** One activity read from a file, in the terms of an operation typed by hand. */
export interface ActivityRow {
  line: number;
  /** The user's calendar day. */
  date: string;
  /** When the file gives a time. */
  occurredAt: Date | null;
  type: OperationType;
  /** Ticker or ISIN as written; '' when the activity names none. */
  symbol: string;
  quantity?: string | undefined;
  price?: string | undefined;
  amount?: string | undefined;
  commission?: string | undefined;
  accruedInterest?: string | undefined;
  currency: string | null;
  note: string;
}

export type ActivityItem = { row: ActivityRow } | { problem: FileProblem };

export interface ActivityLayout {
  format: 'csv' | 'json';
  delimiter: Delimiter | null;
  header: string[];
  preset: ActivityPreset['id'] | null;
  mapping: ActivityMapping | null;
}

type Raw = Partial<Record<keyof ActivityColumns, string>>;

const TRADES: ReadonlySet<OperationType> = new Set(['buy', 'sell']);
const QUANTITY_ONLY: ReadonlySet<OperationType> = new Set(['split', 'transfer_in', 'transfer_out']);
const CHARGES: ReadonlySet<OperationType> = new Set(['fee', 'tax']);
/** Markets' suffixes some apps add to a Moscow Exchange ticker (SBER.ME, SBER.MCX). */
const SUFFIX = /\.(ME|MM|MCX|MOEX)$/i;

/**
 * Turns one record's texts into an activity, or a problem naming its line and column. A payout is
 * its amount, else quantity × price, less a fee; a fee or tax without an amount is its fee column.
 */
function toActivity(
  raw: Raw,
  line: number,
  mapping: ActivityMapping,
  preset: ActivityPreset | undefined,
  context: ReadContext,
): ActivityItem {
  const c = mapping.columns;
  const bad = (column: string | undefined, code: FileProblem['code'], value: string) => ({
    problem: problem(line, column ?? null, code, value),
  });
  const word = (raw.type ?? '').trim();
  const key = word.toUpperCase();
  const type = preset ? preset.types[key] : GENERIC_TYPES[key];
  if (type === undefined) return bad(c.type, 'TYPE_UNKNOWN', word);
  if (type === null) return bad(c.type, 'TYPE_UNSUPPORTED', word);
  const dateText = (raw.date ?? '').trim();
  const parsed = parseDate(dateText, mapping.dateFormat);
  if (!parsed) return bad(c.date, 'DATE_INVALID', dateText);
  const instant =
    parsed.instant ??
    (parsed.time === null ? null : instantOfLocal(parsed.day, parsed.time, context.timeZone));

  const numbers: Partial<Record<keyof ActivityColumns, Decimal | null>> = {};
  for (const field of ['quantity', 'price', 'amount', 'fee', 'accruedInterest', 'nominal'] as const) {
    const text = (raw[field] ?? '').trim();
    if (text === '') {
      numbers[field] = null;
      continue;
    }
    const value = parseDecimal(text, mapping.decimal);
    if (value === null) return bad(c[field], 'NUMBER_INVALID', text);
    numbers[field] = dec(value).abs();
  }
  const { quantity, amount, fee, nominal } = numbers;
  let { price, accruedInterest } = numbers;
  if (price != null && preset?.percentOfNominal?.includes(key)) {
    if (nominal == null) return bad(c.nominal ?? 'NOMINAL', 'NUMBER_INVALID', '');
    price = price.times(nominal).div(100, 9);
  }
  if (accruedInterest != null && preset?.accruedPerPiece && quantity != null)
    accruedInterest = accruedInterest.times(quantity);
  const money = (d: Decimal | null | undefined) => (d == null ? undefined : toFixed(d, 2));
  const row: ActivityRow = {
    line,
    date: instant === null ? parsed.day : dayInZone(instant, context.timeZone),
    occurredAt: instant,
    type,
    symbol: (raw.symbol ?? '').trim().replace(SUFFIX, ''),
    currency: (raw.currency ?? '').trim().toUpperCase() || null,
    note: (raw.note ?? '').trim().slice(0, 500),
  };
  if (TRADES.has(type)) {
    row.quantity = quantity?.toFixed();
    row.price = price?.toFixed();
    row.amount = money(amount);
    row.commission = money(fee);
    row.accruedInterest = money(accruedInterest);
  } else if (QUANTITY_ONLY.has(type)) {
    row.quantity = quantity?.toFixed();
    row.amount = money(amount);
  } else {
    let total =
      amount ??
      (price == null ? null : quantity == null || quantity.isZero() ? price : quantity.times(price));
    if (CHARGES.has(type) && (total == null || total.isZero())) total = fee ?? total;
    else if (total != null && fee != null) total = total.minus(fee);
    if (total == null) return bad(c.amount ?? c.price, 'AMOUNT_MISSING', '');
    row.amount = money(total);
    if (type === 'dividend' || type === 'coupon') row.quantity = quantity?.toFixed();
  }
  return { row };
}

/** Index of each mapped column in a header, compared case-insensitively. */
function columnIndex(header: string[], mapping: ActivityMapping, headerLine: number) {
  const names = header.map((h) => h.toLowerCase());
  const at: Partial<Record<keyof ActivityColumns, number>> = {};
  for (const [field, name] of Object.entries(mapping.columns) as [keyof ActivityColumns, string][]) {
    if (name === undefined || name === '') continue;
    const i = names.indexOf(name.toLowerCase());
    // A preset's optional columns (NKD, Note) may be missing; what every row needs may not.
    if (i === -1) {
      if (field === 'date' || field === 'type')
        throw new FileUnreadable(problem(headerLine, name, 'COLUMN_MISSING'));
      continue;
    }
    at[field] = i;
  }
  return at;
}

/** Ghostfolio's JSON export: `{"activities": [...]}`; the line of an activity is its number in the list. */
function* readJson(text: string, context: ReadContext): Generator<ActivityItem> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new FileUnreadable(problem(1, null, 'FORMAT_UNKNOWN', 'JSON'));
  }
  const list = (parsed as { activities?: unknown } | null)?.activities;
  if (!Array.isArray(list)) throw new FileUnreadable(problem(1, 'activities', 'COLUMN_MISSING'));
  if (list.length > context.maxRows)
    throw new FileUnreadable(problem(context.maxRows + 1, null, 'TOO_MANY_ROWS'));
  const columns = GHOSTFOLIO.mapping.columns;
  for (const [i, item] of list.entries()) {
    const raw: Raw = {};
    for (const [field, name] of Object.entries(columns) as [keyof ActivityColumns, string][]) {
      const value = (item as Record<string, unknown> | null)?.[name];
      if (typeof value === 'number') raw[field] = Decimal.lenient(value)?.toFixed() ?? String(value);
      else if (typeof value === 'string') raw[field] = value;
    }
    yield toActivity(raw, i + 1, GHOSTFOLIO.mapping, GHOSTFOLIO, context);
  }
}

/**
 * Reads an activities file: Ghostfolio's JSON, or a CSV whose header names a built-in export or
 * is read with the mapping given. Without a usable mapping `layout` is reported and nothing read.
 */
export async function* readActivities(
  chunks: AsyncIterable<string>,
  settings: { delimiter?: Delimiter | undefined; mapping?: ActivityMapping | undefined },
  context: ReadContext,
  layout: (found: ActivityLayout) => void,
): AsyncGenerator<ActivityItem> {
  const iterator = chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  if (/^\uFEFF?\s*[{[]/.test(first.value)) {
    let text = first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) text += next.value;
    layout({
      format: 'json',
      delimiter: null,
      header: [],
      preset: 'ghostfolio',
      mapping: GHOSTFOLIO.mapping,
    });
    yield* readJson(text, context);
    return;
  }
  const newline = first.value.indexOf('\n');
  const delimiter =
    settings.delimiter ?? detectDelimiter(first.value.slice(0, newline === -1 ? undefined : newline));
  const reader = new CsvReader(delimiter);
  let map: ((r: CsvRecord) => ActivityItem) | undefined;
  let headerSeen = false;
  let rows = 0;
  const take = function* (records: CsvRecord[]): Generator<ActivityItem> {
    for (const r of records) {
      if (map === undefined) {
        headerSeen = true;
        const header = r.fields.map((f) => f.trim().replace(/^\uFEFF/, ''));
        const preset = settings.mapping ? undefined : guessActivityPreset(header);
        const mapping = settings.mapping ?? preset?.mapping ?? null;
        layout({ format: 'csv', delimiter, header, preset: preset?.id ?? null, mapping });
        if (mapping === null) return;
        const at = columnIndex(header, mapping, r.line);
        map = (record) => {
          const raw: Raw = {};
          for (const [field, i] of Object.entries(at) as [keyof ActivityColumns, number][])
            raw[field] = record.fields[i] ?? '';
          return toActivity(raw, record.line, mapping, preset, context);
        };
        continue;
      }
      if (++rows > context.maxRows) throw new FileUnreadable(problem(r.line, null, 'TOO_MANY_ROWS'));
      yield map(r);
    }
  };
  yield* take(reader.push(first.value));
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    if (headerSeen && map === undefined) return;
    yield* take(reader.push(next.value));
  }
  if (!headerSeen || map !== undefined) yield* take(reader.end());
}
