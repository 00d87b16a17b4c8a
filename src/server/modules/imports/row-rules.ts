import type { StatementRow } from './statement-row.js';

export interface ImportRule {
  id: string;
  field: 'description' | 'payee' | 'mcc';
  pattern: string;
  categoryId: string | null;
  setDescription: string | null;
  transferAccountId: string | null;
}

/**
 * The payee as rules and learning compare it: lower case, ё as е, without digits, punctuation and
 * extra spaces — "ОЗОН 12345*" and "озон" are one payee.
 */
export function normalisePayee(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether a rule matches a row: MCC exactly, text fields by case-insensitive containment. */
export function ruleMatches(rule: ImportRule, row: StatementRow): boolean {
  if (rule.field === 'mcc') return row.mcc === rule.pattern.trim();
  const text = rule.field === 'payee' ? row.payee : row.description;
  const pattern = normalisePayee(rule.pattern);
  // A pattern of digits or signs only is looked for as typed.
  if (pattern === '') return text.toLowerCase().includes(rule.pattern.trim().toLowerCase());
  return normalisePayee(text).includes(pattern);
}

/** The first matching rule in the user's order decides. */
export const firstRule = (rules: ImportRule[], row: StatementRow) =>
  rules.find((rule) => ruleMatches(rule, row));
