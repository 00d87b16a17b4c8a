import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { buildTestApp, register, type Session, type TestApp } from '../support/app.js';
import { consumerCredit, CREDITS as BLOCKS } from '../support/credits.js';

const OBLIGATIONS = '/api/budget/obligations';

const terms = consumerCredit({
  title: 'Потребкредит',
  principal: '500000.00',
  annualRatePercent: '18.9',
  termMonths: 24,
  issueDate: '2024-05-15',
});

describe('obligations: another user’s ids answer 404, like ids that do not exist', () => {
  let t: TestApp;
  let owner: Session;
  let stranger: Session;
  let blockId: string;
  let paymentId: string;
  let repaymentId: string;
  let obligationId: string;
  let strangerBlockId: string;
  let ownerState: string;

  const call = (session: Session, method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as 'GET', url, headers: session.auth, payload });

  before(async () => {
    t = await buildTestApp();
    owner = await register(t.app);
    stranger = await register(t.app);

    blockId = (await call(owner, 'POST', BLOCKS, terms)).json().id;
    paymentId = (await call(owner, 'POST', `${BLOCKS}/${blockId}/payments`, { number: 1 })).json().payments[0]
      .id;
    repaymentId = (
      await call(owner, 'POST', `${BLOCKS}/${blockId}/early-repayments`, {
        date: '2024-07-15',
        amount: '50000.00',
        mode: 'reduce_payment',
      })
    ).json().earlyRepayments[0].id;
    obligationId = (
      await call(owner, 'POST', OBLIGATIONS, {
        title: 'Налог на имущество',
        dueDate: '2024-12-01',
        amount: '3120.00',
      })
    ).json().id;
    strangerBlockId = (await call(stranger, 'POST', BLOCKS, { ...terms, title: 'Свой кредит' })).json().id;
    ownerState = (await call(owner, 'GET', `${BLOCKS}/${blockId}`)).body;
  });
  after(() => t.close());

  /** [verb, path with {block}/{payment}/{repayment}/{obligation}, body] — every route with an id. */
  const routes: [string, string, object?][] = [
    ['GET', `${BLOCKS}/{block}`],
    ['PUT', `${BLOCKS}/{block}`, terms],
    ['PATCH', `${BLOCKS}/{block}`, { title: 'чужое' }],
    ['DELETE', `${BLOCKS}/{block}`],
    ['GET', `${BLOCKS}/{block}/schedule`],
    ['POST', `${BLOCKS}/{block}/payments`, { number: 2 }],
    ['POST', `${BLOCKS}/{block}/payments/through`, { number: 3 }],
    ['DELETE', `${BLOCKS}/{block}/payments/{payment}`],
    [
      'POST',
      `${BLOCKS}/{block}/early-repayments`,
      { date: '2024-08-20', amount: '1000.00', mode: 'reduce_term' },
    ],
    [
      'POST',
      `${BLOCKS}/{block}/early-repayments/preview`,
      { date: '2024-08-20', amount: '1000.00', mode: 'reduce_term' },
    ],
    ['DELETE', `${BLOCKS}/{block}/early-repayments/{repayment}`],
    ['GET', `${OBLIGATIONS}/{obligation}`],
    ['PATCH', `${OBLIGATIONS}/{obligation}`, { done: true }],
    ['DELETE', `${OBLIGATIONS}/{obligation}`],
  ];

  for (const [method, template, body] of routes) {
    it(`${method} ${template}`, async () => {
      const foreign = template
        .replace('{block}', blockId)
        .replace('{payment}', paymentId)
        .replace('{repayment}', repaymentId)
        .replace('{obligation}', obligationId);
      const missing = template.replace(/\{\w+\}/g, () => randomUUID());
      const theirs = await call(stranger, method, foreign, body);
      const none = await call(stranger, method, missing, body);
      assert.equal(theirs.statusCode, 404, theirs.body);
      assert.equal(none.statusCode, 404, none.body);
      assert.deepEqual(theirs.json(), none.json(), 'the same answer as for an id that does not exist');

      // A child id of another user's block under one's own block is not found either.
      if (template.includes('{payment}') || template.includes('{repayment}')) {
        const mixed = foreign.replace(blockId, strangerBlockId);
        const res = await call(stranger, method, mixed, body);
        assert.equal(res.statusCode, 404, res.body);
        const missingChild = template
          .replace('{block}', strangerBlockId)
          .replace(/\{\w+\}/g, () => randomUUID());
        assert.deepEqual(res.json(), (await call(stranger, method, missingChild, body)).json());
      }
    });
  }

  it('lists and the summary show nothing of the other user, and the owner’s data is unchanged', async () => {
    const blocks = (await call(stranger, 'GET', BLOCKS)).json<{ id: string }[]>();
    assert.deepEqual(
      blocks.map((b) => b.id),
      [strangerBlockId],
    );
    const month = (await call(stranger, 'GET', `${OBLIGATIONS}?month=2024-12`)).json();
    assert.deepEqual(month.items, []);
    const summary = (await call(stranger, 'GET', `${OBLIGATIONS}/summary`)).json<{
      credits: { count: number };
      upcoming: { id: string }[];
    }>();
    assert.equal(summary.credits.count, 1);
    assert.ok(summary.upcoming.every((u) => u.id === strangerBlockId));

    assert.equal((await call(owner, 'GET', `${BLOCKS}/${blockId}`)).body, ownerState);
    const obligation = await call(owner, 'GET', `${OBLIGATIONS}/${obligationId}`);
    assert.equal(obligation.statusCode, 200);
    assert.equal(obligation.json().done, false);
  });

  it('without a token every obligations route answers 401', async () => {
    for (const url of [BLOCKS, `${BLOCKS}/${blockId}/schedule`, OBLIGATIONS, `${OBLIGATIONS}/summary`]) {
      assert.equal((await t.app.inject({ url })).statusCode, 401, url);
    }
    const preview = await t.app.inject({ method: 'POST', url: `${BLOCKS}/preview`, payload: terms });
    assert.equal(preview.statusCode, 401);
  });
});
