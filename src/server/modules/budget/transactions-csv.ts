import type { ExportedTransaction } from './transactions.queries.js';

/**
 * The transactions CSV: the header the statement import recognises as its own preset, so an
 * exported account reads back into an account. Amounts are signed from the side of `Account`
 * (minus is money out); a transfer names the other account and what it saw.
 */
export const EXPORT_HEADER = [
  'Date',
  'Time',
  'Account',
  'Currency',
  'Amount',
  'Type',
  'Category',
  'Description',
  'Other account',
  'Other amount',
  'Other currency',
  'Id',
] as const;

export interface CsvStyle {
  delimiter: ';' | ',';
  decimal: 'comma' | 'dot';
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** HH:MM:SS of an instant in a time zone. */
function timeInZone(instant: Date, timeZone: string): string {
  let format = timeFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    timeFormats.set(timeZone, format);
  }
  return format.format(instant);
}

/**
 * A text cell: quoted when it holds the delimiter, a quote, a line break or edge spaces; a cell a
 * spreadsheet would run as a formula (`= + - @`) gets a leading apostrophe, which the import drops.
 */
export function textCell(value: string, delimiter: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /["\r\n]/.test(safe) || safe.includes(delimiter) || safe !== safe.trim()
    ? `"${safe.replace(/"/g, '""')}"`
    : safe;
}

function amountCell(value: string, negative: boolean, style: CsvStyle): string {
  const text = `${negative ? '-' : ''}${style.decimal === 'comma' ? value.replace('.', ',') : value}`;
  return style.decimal === 'comma' && style.delimiter === ',' ? `"${text}"` : text;
}

/** UTF-8 BOM (Excel reads the file as UTF-8 with it) and the header line. */
export function csvStart(style: CsvStyle): string {
  return `\uFEFF${EXPORT_HEADER.join(style.delimiter)}\r\n`;
}

/**
 * One line. With `side` the account the list was filtered by, a transfer into it is written from
 * its side (money in), so the file reads back into that account as its own statement.
 */
export function csvLine(
  row: ExportedTransaction,
  style: CsvStyle,
  timeZone: string,
  side: string | undefined,
): string {
  const incoming = row.type === 'transfer' && side !== undefined && row.toAccountId === side;
  const own = incoming
    ? {
        name: row.toAccountName ?? '',
        currency: row.toCurrency ?? '',
        amount: row.amountReceived ?? row.amount,
      }
    : { name: row.accountName, currency: row.currency, amount: row.amount };
  const other =
    row.type !== 'transfer'
      ? null
      : incoming
        ? { name: row.accountName, currency: row.currency, amount: row.amount }
        : {
            name: row.toAccountName ?? '',
            currency: row.toCurrency ?? '',
            amount: row.amountReceived ?? row.amount,
          };
  const outgoing = row.type === 'expense' || (row.type === 'transfer' && !incoming);
  const text = (v: string) => textCell(v, style.delimiter);
  return (
    [
      row.date,
      row.occurredAt === null ? '' : timeInZone(row.occurredAt, timeZone),
      text(own.name),
      own.currency,
      amountCell(own.amount, outgoing, style),
      row.type,
      text(row.categoryName ?? ''),
      text(row.description),
      other === null ? '' : text(other.name),
      other === null ? '' : amountCell(other.amount, !outgoing, style),
      other?.currency ?? '',
      row.id,
    ].join(style.delimiter) + '\r\n'
  );
}
