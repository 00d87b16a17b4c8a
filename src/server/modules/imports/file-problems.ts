/**
 * What can be wrong with an uploaded file, as codes with a place: the line (1-based, as an editor
 * shows it) and the column (a CSV header, an OFX tag, a QIF field letter or an operation's field).
 */
export type ProblemCode =
  | 'FILE_EMPTY'
  | 'FILE_BINARY'
  | 'FILE_TOO_LARGE'
  | 'TOO_MANY_ROWS'
  | 'ENCODING_INVALID'
  | 'ENCODING_UNSUPPORTED'
  | 'FORMAT_UNKNOWN'
  | 'COLUMN_MISSING'
  | 'COLUMN_COUNT'
  | 'DATE_INVALID'
  | 'AMOUNT_INVALID'
  | 'AMOUNT_MISSING'
  | 'CURRENCY_MISMATCH'
  | 'RECORD_UNFINISHED'
  | 'QUOTE_UNCLOSED'
  | 'ACCOUNT_TYPE_UNSUPPORTED'
  | 'TYPE_UNKNOWN'
  | 'TYPE_UNSUPPORTED'
  | 'NUMBER_INVALID'
  | 'SYMBOL_MISSING'
  | 'OPERATION_INVALID'
  | 'OVERSOLD';

export interface FileProblem {
  line: number;
  column: string | null;
  code: ProblemCode;
  /** The offending text, cut to 60 characters. */
  value?: string;
}

/** A problem after which the rest of the file cannot be read. */
export class FileUnreadable extends Error {
  constructor(readonly problem: FileProblem) {
    super(problem.code);
  }
}

export const problem = (line: number, column: string | null, code: ProblemCode, value?: string) =>
  value === undefined ? { line, column, code } : { line, column, code, value: value.slice(0, 60) };
