import { FileUnreadable, problem } from './file-problems.js';

export type Delimiter = ';' | ',' | '\t';

export interface CsvRecord {
  /** The line the record starts on (a quoted field may span lines). */
  line: number;
  fields: string[];
}

/** The delimiter of a header line: the candidate that splits it most often outside quotes. */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts: Record<Delimiter, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch]++;
  }
  return (Object.keys(counts) as Delimiter[]).reduce((a, b) => (counts[b] > counts[a] ? b : a), ';');
}

/**
 * RFC 4180 records from text that arrives in chunks: quoted fields with doubled quotes, CRLF or
 * LF, blank lines skipped. Only the record being read is kept, never the whole file.
 */
export class CsvReader {
  private field = '';
  private fields: string[] = [];
  private quoted = false;
  /** A quote just closed inside a quoted field: the next quote doubles it, anything else ends it. */
  private quoteSeen = false;
  private line = 1;
  private recordLine = 1;

  constructor(private readonly delimiter: Delimiter) {}

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (ch === '"') {
            this.field += '"';
            continue;
          }
          this.quoted = false;
        } else if (ch === '"') {
          this.quoteSeen = true;
          continue;
        } else {
          if (ch === '\n') this.line++;
          this.field += ch;
          continue;
        }
      }
      if (ch === '"' && this.field === '') {
        this.quoted = true;
      } else if (ch === this.delimiter) {
        this.fields.push(this.field);
        this.field = '';
      } else if (ch === '\n') {
        this.endRecord(out);
        this.line++;
        this.recordLine = this.line;
      } else if (ch !== '\r') {
        this.field += ch;
      }
    }
    return out;
  }

  end(): CsvRecord[] {
    if (this.quoted && !this.quoteSeen)
      throw new FileUnreadable(problem(this.recordLine, null, 'QUOTE_UNCLOSED'));
    const out: CsvRecord[] = [];
    this.endRecord(out);
    return out;
  }

  private endRecord(out: CsvRecord[]) {
    this.quoted = false;
    this.quoteSeen = false;
    this.fields.push(this.field);
    const fields = this.fields;
    this.fields = [];
    this.field = '';
    if (fields.length === 1 && fields[0]!.trim() === '') return;
    out.push({ line: this.recordLine, fields });
  }
}
