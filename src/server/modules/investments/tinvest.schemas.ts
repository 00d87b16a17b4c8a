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
      'Not accounting operations: cancelled or pending orders, types we do not track, trade fees already counted in the trade',
  }),
  mismatches: Nullable(
    Type.Array(
      Type.Object({
        ticker: Type.String(),
        instrumentUid: Type.String(),
        broker: Decimal('Quantity the broker holds'),
        ours: Decimal('Quantity the imported operations give'),
      }),
      {
        description: 'Positions where the broker’s quantity differs from the history (null: could not check)',
      },
    ),
  ),
  syncedAt: Timestamp(),
});
