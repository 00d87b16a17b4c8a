import { Type } from 'typebox';
import { CalendarDate, Decimal, Nullable, Timestamp } from '../../platform/schemas.js';

export const TinvestTokenBody = Type.Object(
  {
    token: Type.String({
      minLength: 10,
      maxLength: 500,
      description: 'A read-only T-Invest API token; checked with T-Invest, stored encrypted, never returned',
    }),
  },
  { additionalProperties: false },
);

export const BrokerAccountDto = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    type: Type.String({ description: 'broker, iis, invest_box, invest_fund, other' }),
    status: Type.String({ description: 'new, open, closed, other' }),
    accessLevel: Type.String({ description: 'full, read_only, none, unknown' }),
    openedDate: Nullable(CalendarDate()),
    closedDate: Nullable(CalendarDate()),
    portfolioId: Nullable(Type.String({ description: 'The synced portfolio of this account, if any' })),
    lastSyncedAt: Nullable(Timestamp()),
  },
  { $id: 'BrokerAccount' },
);

export const TinvestTokenResponse = Type.Object({
  hasTinvestToken: Type.Boolean(),
  accounts: Type.Array(Type.Ref('BrokerAccount')),
});

export const AccountsResponse = Type.Object({ accounts: Type.Array(Type.Ref('BrokerAccount')) });

export const SyncBody = Type.Object(
  { accountId: Type.String({ minLength: 1, maxLength: 64, description: 'From GET /tinvest/accounts' }) },
  { additionalProperties: false },
);

export const SyncResponse = Type.Object({
  portfolio: Type.Ref('Portfolio'),
  fetched: Type.Integer({ description: 'Operations the broker reported' }),
  imported: Type.Integer({ description: 'New operations stored by this run' }),
  alreadyImported: Type.Integer({ description: 'Seen before; left as they were' }),
  skipped: Type.Integer({
    description:
      'Not stored: cancelled or pending orders, types that move neither securities nor cash, trade fees already counted in the trade, operations on instruments the provider does not know',
  }),
  reconciliation: Nullable(
    Type.Object(
      {
        equal: Type.Boolean({ description: 'Every position and cash balance equals the broker’s' }),
        checked: Type.Integer({ description: 'Positions and cash balances compared' }),
        differences: Type.Array(
          Type.Object({
            kind: Type.Union([Type.Literal('security'), Type.Literal('cash')]),
            ticker: Type.String({ description: 'The instrument’s ticker; for cash the currency code' }),
            instrumentUid: Nullable(Type.String()),
            broker: Decimal('What GetPortfolio holds (pieces, or cash in its currency)'),
            ours: Decimal('What the imported operations give'),
            cause: Type.Union(
              [
                Type.Literal('NOT_EXECUTED_YET'),
                Type.Literal('UNMAPPED_TYPE'),
                Type.Literal('UNKNOWN_INSTRUMENT'),
                Type.Literal('REPLAY_CONFLICT'),
                Type.Literal('UNEXPLAINED'),
              ],
              {
                description:
                  'NOT_EXECUTED_YET: orders still in progress; UNMAPPED_TYPE: operation types not imported (details: their names); UNKNOWN_INSTRUMENT: operations on instruments the provider does not describe (details: tickers); REPLAY_CONFLICT: the history sells or moves out more than it holds; UNEXPLAINED: nothing in the history accounts for it',
              },
            ),
            details: Type.Array(Type.String()),
          }),
        ),
      },
      {
        description: 'The result compared with the broker’s portfolio (null: the broker could not be asked)',
      },
    ),
  ),
  syncedAt: Timestamp(),
});
