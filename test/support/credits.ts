/** Credits (obligation blocks) for the API tests: the path, typical terms, creating one, its schedule. */
import assert from 'node:assert/strict';
import type { ScheduleRow } from '../../src/server/modules/obligations/loan-math.js';
import type { Session, TestApp } from './app.js';

export const CREDITS = '/api/budget/obligation-blocks';

/** A consumer credit of 300 000.00 at 14.9 % for 24 months; `overrides` changes any term. */
export function consumerCredit(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'consumer',
    title: 'Потребительский',
    principal: '300000.00',
    annualRatePercent: '14.9',
    termMonths: 24,
    issueDate: '2026-01-15',
    ...overrides,
  };
}

export interface CreatedCredit {
  id: string;
  paymentShift: string;
  penaltyRatePercent: string | null;
  [key: string]: unknown;
}

/** Creates a credit for the user and asserts the 201. */
export async function createCredit(t: TestApp, s: Session, body: object): Promise<CreatedCredit> {
  const res = await t.app.inject({ method: 'POST', url: CREDITS, headers: s.auth, payload: body });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

export interface CreditSchedule {
  rows: ScheduleRow[];
  totals: { totalInterest: string; paymentCount: number; payoffDate: string };
  interestSaved: string;
  penalty: string;
  progress: Record<string, unknown> & { penalty: string };
}

/** A credit's schedule as the API answers it, asserting the 200. */
export async function creditSchedule(t: TestApp, s: Session, id: string): Promise<CreditSchedule> {
  const res = await t.app.inject({ url: `${CREDITS}/${id}/schedule`, headers: s.auth });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}
