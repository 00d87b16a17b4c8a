import { dayInZone } from '../../../common/dates.js';
import { CsvReader, detectDelimiter, type Delimiter } from './csv-reader.js';
import { FileUnreadable, problem, type FileProblem } from './file-problems.js';
import type { ReadContext, StatementItem, StatementRow } from './statement-row.js';
import { instantOfLocal, parseAmount, parseDate, type DateFormat, type DecimalMark } from './values.js';

/** Which header holds what. Either `amount` (signed) or `debit` and/or `credit` (both positive). */
export interface CsvColumns {
  date: string;
  time?: string | undefined;
  amount?: string | undefined;
  debit?: string | undefined;
  credit?: string | undefined;
  currency?: string | undefined;
  description?: string | undefined;
  payee?: string | undefined;
  category?: string | undefined;
  bankId?: string | undefined;
  mcc?: string | undefined;
  /** Rows whose status is one of `skipStatuses` never happened (declined, failed). */
  status?: string | undefined;
}

export interface CsvMapping {
  columns: CsvColumns;
  dateFormat: DateFormat;
  decimal: DecimalMark;
  skipStatuses: string[];
  /** The zone the file's times are written in; the user's own when absent. */
  sourceTimeZone?: string | undefined;
}

export interface CsvSettings {
  delimiter?: Delimiter | undefined;
  mapping?: CsvMapping | undefined;
}

/**
 * T-Bank (Tinkoff) card and account operations export: windows-1251, `;`, newest first. The
 * operation time is Moscow time; "Сумма платежа" / "Валюта платежа" is what moved the balance
 * (in the card's currency), "Сумма операции" the purchase's own currency. FAILED never happened.
 */
export const TBANK_HEADER = [
  'Дата операции',
  'Дата платежа',
  'Номер карты',
  'Статус',
  'Сумма операции',
  'Валюта операции',
  'Сумма платежа',
  'Валюта платежа',
  'Кэшбэк',
  'Категория',
  'MCC',
  'Описание',
  'Бонусы (включая кэшбэк)',
];

export const TBANK_MAPPING: CsvMapping = {
  columns: {
    date: 'Дата операции',
    amount: 'Сумма платежа',
    currency: 'Валюта платежа',
    description: 'Описание',
    payee: 'Описание',
    category: 'Категория',
    mcc: 'MCC',
    status: 'Статус',
  },
  dateFormat: 'dd.mm.yyyy',
  decimal: 'auto',
  skipStatuses: ['FAILED'],
  sourceTimeZone: 'Europe/Moscow',
};

/**
 * This app's own transactions export (budget → export CSV): day and the user's local time apart,
 * a signed amount from the account's side, the category's name, the transaction id as the bank id.
 */
const OWN_HEADER = ['Date', 'Time', 'Account', 'Currency', 'Amount', 'Type', 'Category', 'Description', 'Id'];

const OWN_MAPPING: CsvMapping = {
  columns: {
    date: 'Date',
    time: 'Time',
    amount: 'Amount',
    currency: 'Currency',
    description: 'Description',
    payee: 'Description',
    category: 'Category',
    bankId: 'Id',
  },
  dateFormat: 'yyyy-mm-dd',
  decimal: 'auto',
  skipStatuses: [],
};

/** Built-in mappings recognised by their header. */
export const BUILT_IN_PRESETS = [
  { id: 'tbank', header: TBANK_HEADER, mapping: TBANK_MAPPING },
  { id: 'wealthtracker', header: OWN_HEADER, mapping: OWN_MAPPING },
] as const;

export interface CsvLayout {
  delimiter: Delimiter;
  header: string[];
  preset: string | null;
  mapping: CsvMapping | null;
}

function guessPreset(header: string[]) {
  const names = new Set(header.map((h) => h.trim()));
  return BUILT_IN_PRESETS.find((p) => p.header.every((h) => names.has(h)));
}

/**
 * Reads a statement CSV: the header decides the columns (a built-in preset when it matches, else
 * the mapping given); every later record becomes a row, a skipped row or a problem naming its line
 * and column. Without a usable mapping `layout` is reported and reading stops (the page asks).
 */
export async function* readStatementCsv(
  chunks: AsyncIterable<string>,
  settings: CsvSettings,
  context: ReadContext,
  layout: (found: CsvLayout) => void,
): AsyncGenerator<StatementItem> {
  let reader: CsvReader | undefined;
  let map: ((fields: string[], line: number) => StatementItem) | undefined;
  let headerLength = 0;
  let rows = 0;
  const take = function* (records: { line: number; fields: string[] }[]): Generator<StatementItem> {
    for (const r of records) {
      if (map === undefined) {
        const header = r.fields.map((f) => f.trim().replace(/^\uFEFF/, ''));
        headerLength = header.length;
        const preset = settings.mapping ? undefined : guessPreset(header);
        const mapping = settings.mapping ?? preset?.mapping ?? null;
        layout({ delimiter: settingsDelimiter!, header, preset: preset?.id ?? null, mapping });
        if (mapping === null) return;
        map = rowMapper(header, mapping, context, r.line);
        continue;
      }
      if (++rows > context.maxRows) throw new FileUnreadable(problem(r.line, null, 'TOO_MANY_ROWS'));
      if (r.fields.length < headerLength) {
        yield { problem: problem(r.line, null, 'COLUMN_COUNT', String(r.fields.length)) };
        continue;
      }
      yield map(r.fields, r.line);
    }
  };
  let settingsDelimiter = settings.delimiter;
  for await (const text of chunks) {
    if (reader === undefined) {
      settingsDelimiter ??= detectDelimiter(
        text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n')),
      );
      reader = new CsvReader(settingsDelimiter);
    }
    const records = reader.push(text);
    yield* take(records);
    if (map === undefined && records.length > 0) return;
  }
  if (reader) yield* take(reader.end());
}

function rowMapper(
  header: string[],
  mapping: CsvMapping,
  context: ReadContext,
  headerLine: number,
): (fields: string[], line: number) => StatementItem {
  const c = mapping.columns;
  const index = (name: string | undefined): number | undefined => {
    if (name === undefined || name === '') return undefined;
    const i = header.indexOf(name);
    if (i === -1) throw new FileUnreadable(problem(headerLine, name, 'COLUMN_MISSING'));
    return i;
  };
  const at = {
    date: index(c.date)!,
    time: index(c.time),
    amount: index(c.amount),
    debit: index(c.debit),
    credit: index(c.credit),
    currency: index(c.currency),
    description: index(c.description),
    payee: index(c.payee),
    category: index(c.category),
    bankId: index(c.bankId),
    mcc: index(c.mcc),
    status: index(c.status),
  };
  if (at.amount === undefined && at.debit === undefined && at.credit === undefined)
    throw new FileUnreadable(problem(headerLine, 'amount', 'COLUMN_MISSING'));
  const skip = new Set(mapping.skipStatuses.map((s) => s.toUpperCase()));
  const zone = mapping.sourceTimeZone ?? context.timeZone;

  return (fields, line) => {
    // A leading apostrophe before = + - @ is how spreadsheets (and this app's export) keep a text
    // from running as a formula: the text is what follows it.
    const get = (i: number | undefined) =>
      i === undefined ? '' : fields[i]!.trim().replace(/^'(?=[=+\-@])/, '');
    if (at.status !== undefined && skip.has(get(at.status).toUpperCase())) return { skipped: line };
    const bad = (column: string, code: FileProblem['code'], value: string) => ({
      problem: problem(line, column, code, value),
    });
    const dateText = at.time === undefined ? get(at.date) : `${get(at.date)} ${get(at.time)}`;
    const parsed = parseDate(dateText, mapping.dateFormat);
    if (!parsed) return bad(c.date, 'DATE_INVALID', dateText);
    let amount: string | null;
    if (at.amount !== undefined) {
      amount = parseAmount(get(at.amount), mapping.decimal);
      if (amount === null)
        return bad(c.amount!, get(at.amount) === '' ? 'AMOUNT_MISSING' : 'AMOUNT_INVALID', get(at.amount));
    } else {
      const debit = get(at.debit) === '' ? '0.00' : parseAmount(get(at.debit), mapping.decimal);
      if (debit === null) return bad(c.debit!, 'AMOUNT_INVALID', get(at.debit));
      const credit = get(at.credit) === '' ? '0.00' : parseAmount(get(at.credit), mapping.decimal);
      if (credit === null) return bad(c.credit!, 'AMOUNT_INVALID', get(at.credit));
      // Debit is money out whatever sign the bank printed it with.
      const out = debit.replace('-', '');
      amount = out !== '0.00' ? `-${out}` : credit.replace('-', '');
    }
    const instant =
      parsed.instant ?? (parsed.time === null ? null : instantOfLocal(parsed.day, parsed.time, zone));
    const description = get(at.description);
    const mcc = get(at.mcc).replace(/\.0+$/, '');
    const row: StatementRow = {
      line,
      date: instant === null ? parsed.day : dayInZone(instant, context.timeZone),
      occurredAt: instant,
      amount,
      currency: get(at.currency).toUpperCase() || null,
      description,
      payee: get(at.payee) || description,
      mcc: mcc === '' ? null : mcc,
      bankCategory: get(at.category) || null,
      bankId: get(at.bankId) || null,
    };
    return { row };
  };
}
