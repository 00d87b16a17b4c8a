import type { importRows } from '../../db/schema.js';
import { newTransactionId } from '../budget/transaction-ids.js';
import { problem, type FileProblem } from './file-problems.js';
import { firstRule, normalisePayee, type ImportRule } from './row-rules.js';
import type { StatementRow } from './statement-row.js';
import type { StagedRow } from './statements.queries.js';
import type { ImportRow } from './statements.schemas.js';

/** Looks at the first text to tell OFX and QIF from CSV. */
export async function* withFormat(
  chunks: AsyncGenerator<string>,
  found: (format: 'csv' | 'ofx' | 'qif') => void,
): AsyncGenerator<string> {
  const first = await chunks.next();
  if (first.done) return;
  const head = first.value.replace(/^\uFEFF/, '').trimStart();
  found(
    /^(OFXHEADER|<\?xml|<\?OFX|<OFX>)/i.test(head)
      ? 'ofx'
      : /^!(Type|Account|Option)/i.test(head)
        ? 'qif'
        : 'csv',
  );
  yield first.value;
  yield* chunks;
}

/** A read statement row as it is staged for the account, the user's first matching rule applied. */
export function stageRow(
  account: { id: string; currency: string },
  userRules: ImportRule[],
  row: StatementRow,
): StagedRow | FileProblem {
  if (row.currency !== null && row.currency !== account.currency)
    return problem(row.line, 'currency', 'CURRENCY_MISMATCH', row.currency);
  const out = row.amount.startsWith('-');
  const amount = out ? row.amount.slice(1) : row.amount;
  const rule = firstRule(userRules, row);
  const transfer =
    rule?.transferAccountId && rule.transferAccountId !== account.id ? rule.transferAccountId : null;
  return {
    line: row.line,
    status: 'new',
    // The fingerprint reads the bank's own description, whatever rules later rewrite.
    dedupeKey:
      row.bankId !== null
        ? `id:${row.bankId}`
        : `fp:${row.date}|${row.amount}|${normalisePayee(row.description)}`,
    date: row.date,
    occurredAt: row.occurredAt,
    type: out ? 'expense' : 'income',
    amount,
    // A transfer rule names the other account; money in came from it.
    toAccountId: transfer,
    categoryId: transfer ? null : (rule?.categoryId ?? null),
    categorySource: !transfer && rule?.categoryId ? 'rule' : null,
    description: (rule?.setDescription ?? row.description).slice(0, 500),
    payee: row.payee.slice(0, 500),
    payeeKey: normalisePayee(row.payee),
    mcc: row.mcc,
    bankCategory: row.bankCategory,
    bankId: row.bankId,
    transactionId: newTransactionId(),
  };
}

export function toRowDto(row: typeof importRows.$inferSelect): ImportRow {
  return {
    line: row.line,
    status: row.status as ImportRow['status'],
    date: row.date,
    occurredAt: row.occurredAt?.toISOString() ?? null,
    type: row.type as ImportRow['type'],
    amount: row.amount,
    toAccountId: row.toAccountId,
    categoryId: row.categoryId,
    categorySource: row.categorySource,
    description: row.description,
    payee: row.payee,
    mcc: row.mcc,
    bankCategory: row.bankCategory,
    bankId: row.bankId,
    transferMatchId: row.transferMatchId,
  };
}
